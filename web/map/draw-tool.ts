// Drawing on the map: urban cores (polygons) and road segments (lines), with terra-draw and its
// MapLibre adapter. Click to add vertices; a double-click (or a click on the last vertex) ends the
// shape, which then stays on the map with its vertices editable (drag a vertex, drag a midpoint to
// add one) until the app saves or cancels; undo steps back through vertices and edits.
import type { Map as MapLibreMap } from 'maplibre-gl';
import {
  TerraDraw,
  TerraDrawLineStringMode,
  TerraDrawModeUndoRedo,
  TerraDrawPolygonMode,
  TerraDrawSelectMode,
  TerraDrawSessionUndoRedo,
  type GeoJSONStoreFeatures,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';

export type DrawKind = 'line' | 'polygon';

/** The shape as drawn so far: a line's vertices, or a polygon's closed outer ring; null when none. */
export type DrawnShape = [number, number][] | null;

const MODE: Record<DrawKind, string> = { line: 'linestring', polygon: 'polygon' };
const COLOR = '#c92a2a';
const EDITABLE = { feature: { coordinates: { draggable: true, midpoints: true, deletable: true } } };

export class DrawTool {
  private readonly draw: TerraDraw;
  private featureId: string | number | null = null;

  /** Starts drawing `kind`; with `initial`, that shape is shown with its vertices ready to edit. */
  constructor(
    map: MapLibreMap,
    private readonly kind: DrawKind,
    private readonly onShape: (shape: DrawnShape) => void,
    initial?: [number, number][],
  ) {
    this.draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map, prefixId: 'draw' }),
      modes: [
        new TerraDrawLineStringMode({ styles: { lineStringColor: COLOR, lineStringWidth: 3, closingPointColor: COLOR, closingPointOutlineColor: '#ffffff' } }),
        new TerraDrawPolygonMode({
          styles: { fillColor: COLOR, fillOpacity: 0.12, outlineColor: COLOR, outlineWidth: 3, closingPointColor: COLOR, closingPointOutlineColor: '#ffffff' },
        }),
        new TerraDrawSelectMode({
          flags: { linestring: EDITABLE, polygon: EDITABLE },
          allowManualDeselection: false,
          styles: {
            selectedLineStringColor: COLOR,
            selectedLineStringWidth: 4,
            selectedPolygonColor: COLOR,
            selectedPolygonFillOpacity: 0.15,
            selectedPolygonOutlineColor: COLOR,
            selectionPointColor: '#ffffff',
            selectionPointOutlineColor: COLOR,
            selectionPointOutlineWidth: 2,
            midPointColor: COLOR,
          },
        }),
      ],
      undoRedo: { modeLevel: new TerraDrawModeUndoRedo(), sessionLevel: new TerraDrawSessionUndoRedo() },
    });
    this.draw.start();
    this.draw.on('finish', (id) => {
      this.featureId = id;
      // Ended (or edited): keep the shape shown and editable while the app asks for its name.
      if (this.draw.getMode() !== 'select') this.draw.selectFeature(id);
      this.onShape(this.shape());
    });
    if (initial && initial.length >= 2) {
      const geometry = kind === 'line' ? { type: 'LineString' as const, coordinates: initial } : { type: 'Polygon' as const, coordinates: [initial] };
      const [result] = this.draw.addFeatures([{ type: 'Feature', geometry, properties: { mode: MODE[kind] } } as GeoJSONStoreFeatures]);
      if (result?.valid) {
        this.featureId = result.id as string | number;
        this.draw.selectFeature(this.featureId);
        return;
      }
    }
    this.draw.setMode(MODE[kind]);
  }

  /** The shape as it is now (after any vertex edits). */
  shape(): DrawnShape {
    if (this.featureId === null || !this.draw.hasFeature(this.featureId)) return null;
    const geometry = this.draw.getSnapshotFeature(this.featureId)?.geometry;
    if (geometry?.type === 'LineString') return geometry.coordinates.map(([lon, lat]) => [lon!, lat!]);
    if (geometry?.type === 'Polygon') return geometry.coordinates[0]!.map(([lon, lat]) => [lon!, lat!]);
    return null;
  }

  /** Steps back one vertex while drawing, or one edit after; past the first edit the shape is gone and drawing starts again. */
  undo(): void {
    this.draw.undo();
    if (this.featureId !== null && !this.draw.hasFeature(this.featureId)) {
      this.featureId = null;
      this.draw.setMode(MODE[this.kind]);
    }
    this.onShape(this.shape());
  }

  stop(): void {
    try {
      if (this.draw.enabled) this.draw.stop();
    } catch {
      // After a style switch its layers are already gone with the old style.
    }
  }
}
