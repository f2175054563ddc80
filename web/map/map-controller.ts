// The one owner of the MapLibre map: sources, layers, markers and events. React creates it once,
// calls its setters (which do nothing when the input has not changed) and hears back through a
// ref of handlers, so a new callback never rebuilds the map.
import { Map as MapLibreMap, Marker, NavigationControl, ScaleControl, setWorkerUrl, type ExpressionSpecification, type GeoJSONSource, type LngLatBoundsLike, type MapMouseEvent } from 'maplibre-gl';
import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { ClusterFeature } from '../worker/cluster-index.ts';
import { addCategoryIcons } from './category-icons.ts';
import { clusterElement } from './cluster-marker.ts';
import { ROAD_STATUS_COLORS, STATUS_COLORS } from './colors.ts';
import { FONT_STACK, LOCAL_IDEOGRAPH_FONTS, offlineStyle, type OnlineBasemap } from './basemap-style.ts';
import { DrawTool } from './draw-tool.ts';

export interface MapView {
  center: [number, number];
  zoom: number;
}

export interface ViewChange extends MapView {
  bbox: [number, number, number, number];
  /** 'map' when the user moved it; 'app' when the app asked for it. */
  origin: 'map' | 'app';
}

export interface MapHandlers {
  onViewChange(view: ViewChange): void;
  onSiteClick(siteId: number): void;
  onClusterClick(county: string, clusterId: number, at: [number, number]): void;
  onRoadClick(roadId: number): void;
  onMapClick(at: [number, number]): void;
  /** The line being drawn, once ended by a double-click and after each vertex edit or undo (null: none yet). */
  onRoadDrawn(line: [number, number][] | null): void;
  /** The urban core being drawn: its closed ring, as for roads. */
  onCoreDrawn(ring: [number, number][] | null): void;
  onCellClick(cell: { band: number; sector: number | null; siteIds: number[] }): void;
  clusterTitle(count: number): string;
}

export type MapMode = 'browse' | 'place' | 'draw' | 'drawCore';

export type CountyFeatureCollection = FeatureCollection<Polygon | MultiPolygon, { code: string; name: string; labelPoint: [number, number] | null }>;

// MapLibre's own worker ships as a separate module file; Vite copies it and gives its URL.
setWorkerUrl(maplibreWorkerUrl);

/** An array property of a rendered feature: MapLibre may hand it back as an array or as JSON text. */
function arrayProperty(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number);
  if (typeof value === 'string' && value.startsWith('[')) return (JSON.parse(value) as unknown[]).map(Number);
  return [];
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

const matchColor = (property: string, colors: Record<string, string>, fallback: string) =>
  ['match', ['get', property], ...Object.entries(colors).flat(), fallback] as unknown as ExpressionSpecification;

export class MapController {
  readonly map: MapLibreMap;
  private readonly markers = new Map<string, Marker>();
  private last: Record<string, unknown> = {};
  private basemap: OnlineBasemap | null = null;
  private counties: CountyFeatureCollection | null = null;
  private styleReady: Promise<void>;
  private pendingOrigin: 'app' | null = null;
  private mode: MapMode = 'browse';
  private drawTool: DrawTool | null = null;
  private drawFrom: [number, number][] | null = null;

  constructor(container: HTMLElement, private readonly handlers: { current: MapHandlers }, view: MapView) {
    this.map = new MapLibreMap({
      container,
      style: offlineStyle(window.location.origin, null),
      center: view.center,
      zoom: view.zoom,
      localIdeographFontFamily: LOCAL_IDEOGRAPH_FONTS,
      attributionControl: { compact: true },
      maxZoom: 18,
      minZoom: 6,
      dragRotate: false,
      pitchWithRotate: false,
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    this.styleReady = new Promise((resolve) => this.map.once('load', () => resolve()));
    this.styleReady.then(() => this.addDataLayers());
    this.map.on('moveend', () => this.emitView());
    this.map.on('click', (event) => this.onClick(event));
  }

  /** Resolves once the style and data layers exist. */
  ready(): Promise<void> {
    return this.styleReady;
  }

  private changed(key: string, value: unknown): boolean {
    if (this.last[key] === value) return false;
    this.last[key] = value;
    return true;
  }

  private addDataLayers() {
    const map = this.map;
    addCategoryIcons(map);
    map.addSource('siege-cells', { type: 'geojson', data: EMPTY });
    map.addSource('siege-core', { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'siege-cells',
      type: 'fill',
      source: 'siege-cells',
      paint: {
        'fill-color': ['interpolate', ['linear'], ['get', 'shade'], 0, '#fff7ec', 0.25, '#fdd49e', 0.5, '#fc8d59', 0.75, '#d7301f', 1, '#7f0000'],
        'fill-opacity': ['case', ['==', ['get', 'count'], 0], 0.08, 0.55],
      },
    });
    map.addLayer({ id: 'siege-cell-lines', type: 'line', source: 'siege-cells', paint: { 'line-color': '#7f0000', 'line-width': 0.6, 'line-opacity': 0.5 } });
    map.addLayer({ id: 'siege-core', type: 'line', source: 'siege-core', paint: { 'line-color': '#123b63', 'line-width': 2.5, 'line-dasharray': [4, 2] } });
    map.addLayer({
      id: 'siege-core-label',
      type: 'symbol',
      source: 'siege-core',
      layout: { 'text-field': ['get', 'label'], 'text-font': FONT_STACK, 'text-size': 13, 'symbol-placement': 'line', 'text-allow-overlap': false },
      paint: { 'text-color': '#123b63', 'text-halo-color': '#fff', 'text-halo-width': 1.5 },
    });
    map.addSource('roads', { type: 'geojson', data: EMPTY });
    map.addSource('route', { type: 'geojson', data: EMPTY });
    map.addSource('relapse', { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'relapse-cells',
      type: 'fill',
      source: 'relapse',
      filter: ['==', ['get', 'layer'], 'cell'],
      paint: {
        'fill-color': ['case', ['==', ['get', 'kind'], 'cold'], '#4575b4', ['match', ['get', 'confidence'], 99, '#7f0000', 95, '#d7301f', '#fc8d59']],
        'fill-opacity': 0.55,
      },
    });
    map.addLayer({ id: 'relapse-moves', type: 'line', source: 'relapse', filter: ['==', ['get', 'layer'], 'move'], paint: { 'line-color': '#6b3fa0', 'line-width': ['case', ['get', 'confirmed'], 3, 2], 'line-dasharray': [2, 1] } });
    map.addLayer({ id: 'relapse-points', type: 'circle', source: 'relapse', filter: ['==', ['get', 'layer'], 'relapse'], paint: { 'circle-radius': 7, 'circle-color': '#c92a2a', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } });
    map.addSource('highlight', { type: 'geojson', data: EMPTY });
    map.addLayer({ id: 'highlight-lines', type: 'line', source: 'highlight', filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#f59f00', 'line-width': 10, 'line-opacity': 0.6 } });
    map.addLayer({
      id: 'highlight-points',
      type: 'circle',
      source: 'highlight',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 14, 'circle-color': '#ffd43b', 'circle-opacity': 0.35, 'circle-stroke-color': '#f08c00', 'circle-stroke-width': 3 },
    });
    map.addSource('sites', { type: 'geojson', data: EMPTY });
    map.addSource('selected', { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'roads-casing',
      type: 'line',
      source: 'roads',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': 7 },
    });
    map.addLayer({
      id: 'roads',
      type: 'line',
      source: 'roads',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': matchColor('status', ROAD_STATUS_COLORS, '#555'), 'line-width': 4, 'line-dasharray': ['case', ['==', ['get', 'source'], 'demo'], ['literal', [2, 1]], ['literal', [1, 0]]] },
    });
    map.addLayer({
      id: 'selected-halo',
      type: 'circle',
      source: 'selected',
      paint: { 'circle-radius': 18, 'circle-color': '#ffd43b', 'circle-opacity': 0.55, 'circle-stroke-color': '#1f2933', 'circle-stroke-width': 2 },
    });
    map.addLayer({
      id: 'sites',
      type: 'circle',
      source: 'sites',
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 9, 14, 13],
        'circle-color': matchColor('status', STATUS_COLORS, '#555'),
        // Real records carry a dark ring; demo records a white one and a lighter fill (see the legend).
        'circle-stroke-color': ['case', ['==', ['get', 'source'], 'demo'], '#ffffff', '#111827'],
        'circle-stroke-width': ['case', ['==', ['get', 'source'], 'demo'], 1.5, 2.5],
        'circle-opacity': ['case', ['==', ['get', 'source'], 'demo'], 0.8, 1],
      },
    });
    map.addLayer({
      id: 'site-symbols',
      type: 'symbol',
      source: 'sites',
      layout: { 'icon-image': ['concat', 'cat-', ['get', 'category']], 'icon-allow-overlap': true, 'icon-size': ['interpolate', ['linear'], ['zoom'], 8, 0.8, 14, 1.05] },
    });
    map.addLayer({ id: 'route-line', type: 'line', source: 'route', filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#123b63', 'line-width': 3, 'line-opacity': 0.8 } });
    map.addLayer({ id: 'route-stops', type: 'circle', source: 'route', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 11, 'circle-color': '#123b63', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } });
    map.addLayer({
      id: 'route-labels',
      type: 'symbol',
      source: 'route',
      filter: ['==', ['geometry-type'], 'Point'],
      layout: { 'text-field': ['to-string', ['get', 'seq']], 'text-font': FONT_STACK, 'text-size': 12, 'text-allow-overlap': true },
      paint: { 'text-color': '#fff' },
    });
    for (const layer of ['sites', 'site-symbols', 'roads']) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = this.mode === 'browse' ? 'pointer' : 'crosshair'));
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = this.mode === 'browse' ? '' : 'crosshair'));
    }
  }

  private emitView() {
    const bounds = this.map.getBounds();
    const center = this.map.getCenter();
    const origin = this.pendingOrigin ?? 'map';
    this.pendingOrigin = null;
    this.handlers.current.onViewChange({
      center: [center.lng, center.lat],
      zoom: this.map.getZoom(),
      bbox: [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()],
      origin,
    });
  }

  private onClick(event: MapMouseEvent) {
    const at: [number, number] = [event.lngLat.lng, event.lngLat.lat];
    if (this.mode === 'place') return this.handlers.current.onMapClick(at);
    // Drawing: terra-draw takes the clicks (web/map/draw-tool.ts).
    if (this.mode === 'draw' || this.mode === 'drawCore') return;
    const site = this.map.queryRenderedFeatures(event.point, { layers: ['sites', 'site-symbols'] })[0];
    if (site) return this.handlers.current.onSiteClick(Number(site.properties.siteId));
    const road = this.map.queryRenderedFeatures(event.point, { layers: ['roads'] })[0];
    if (road) return this.handlers.current.onRoadClick(Number(road.properties.id));
    const cell = this.map.getLayer('siege-cells') ? this.map.queryRenderedFeatures(event.point, { layers: ['siege-cells'] })[0] : undefined;
    if (cell)
      this.handlers.current.onCellClick({
        band: Number(cell.properties.band),
        sector: cell.properties.sector === null || cell.properties.sector === undefined || cell.properties.sector === 'null' ? null : Number(cell.properties.sector),
        siteIds: arrayProperty(cell.properties.siteIds),
      });
  }

  private setSource(id: string, data: FeatureCollection) {
    (this.map.getSource(id) as GeoJSONSource | undefined)?.setData(data);
  }

  /** The view as it is now (with its bbox), for the first cluster query. */
  currentView(): ViewChange {
    const bounds = this.map.getBounds();
    const center = this.map.getCenter();
    return { center: [center.lng, center.lat], zoom: this.map.getZoom(), bbox: [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()], origin: 'app' };
  }

  async setCounties(counties: CountyFeatureCollection, labelFor: (feature: CountyFeatureCollection['features'][number]) => string) {
    await this.styleReady;
    this.counties = counties;
    this.setSource('counties', counties);
    const labels: Feature[] = counties.features
      .filter((f) => f.properties.labelPoint)
      .map((f) => ({ type: 'Feature', properties: { label: labelFor(f) }, geometry: { type: 'Point', coordinates: f.properties.labelPoint! } }));
    this.setSource('countyLabels', { type: 'FeatureCollection', features: labels });
  }

  /** Single sites go to a GeoJSON layer; clusters become ring markers. */
  setClusters(features: readonly ClusterFeature[]) {
    if (!this.changed('clusters', features)) return;
    const singles = features.filter((f) => !f.properties.cluster);
    this.setSource('sites', { type: 'FeatureCollection', features: singles as unknown as Feature[] });
    const keep = new Set<string>();
    for (const feature of features) {
      if (!feature.properties.cluster) continue;
      const key = `${feature.properties.county}:${feature.properties.clusterId}:${feature.properties.count}`;
      keep.add(key);
      if (this.markers.has(key)) continue;
      const element = clusterElement(feature.properties.statusCounts, feature.properties.count, this.handlers.current.clusterTitle(feature.properties.count));
      element.dataset.county = feature.properties.county;
      element.addEventListener('click', (event) => {
        event.stopPropagation();
        // While drawing or placing, a cluster is only background (CSS lets the click through to the map).
        if (this.mode !== 'browse') return;
        this.handlers.current.onClusterClick(feature.properties.county, feature.properties.clusterId!, feature.geometry.coordinates);
      });
      this.markers.set(key, new Marker({ element }).setLngLat(feature.geometry.coordinates).addTo(this.map));
    }
    for (const [key, marker] of this.markers)
      if (!keep.has(key)) {
        marker.remove();
        this.markers.delete(key);
      }
  }

  setRoads(roads: FeatureCollection<LineString | null>, visible: boolean) {
    if (this.changed('roads', roads)) void this.styleReady.then(() => this.setSource('roads', { ...roads, features: roads.features.filter((f) => f.geometry) } as FeatureCollection));
    if (this.changed('roadsVisible', visible))
      void this.styleReady.then(() => {
        for (const layer of ['roads', 'roads-casing']) this.map.setLayoutProperty(layer, 'visibility', visible ? 'visible' : 'none');
      });
  }

  setSelected(position: [number, number] | null) {
    if (!this.changed('selected', position?.join(',') ?? null)) return;
    void this.styleReady.then(() =>
      this.setSource('selected', { type: 'FeatureCollection', features: position ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: position } }] : [] }),
    );
  }

  /** Dims every county but `code` (null: none dimmed). */
  setCountyFocus(code: string | null) {
    if (!this.changed('focus', code)) return;
    void this.styleReady.then(() => {
      for (const feature of this.counties?.features ?? []) {
        const id = feature.properties.code;
        this.map.setFeatureState({ source: 'counties', id }, { dimmed: code !== null && id !== code, focused: id === code });
      }
    });
  }

  /** Colours counties by value (null: plain). */
  setChoropleth(colors: Record<string, string> | null) {
    const key = colors ? JSON.stringify(colors) : null;
    if (!this.changed('choropleth', key)) return;
    void this.styleReady.then(() => {
      for (const feature of this.counties?.features ?? [])
        this.map.setFeatureState({ source: 'counties', id: feature.properties.code }, { fill: colors?.[feature.properties.code] ?? null });
    });
  }

  setBasemap(basemap: OnlineBasemap | null) {
    if (this.basemap?.id === basemap?.id) return;
    this.basemap = basemap;
    const view = { center: this.map.getCenter(), zoom: this.map.getZoom() };
    this.map.setStyle(offlineStyle(window.location.origin, basemap));
    this.styleReady = new Promise((resolve) => this.map.once('style.load', () => resolve()));
    this.styleReady.then(() => {
      this.addDataLayers();
      this.map.jumpTo(view);
      const last = this.last;
      this.last = {};
      if (this.counties) this.setSource('counties', this.counties);
      for (const [key, value] of Object.entries(last)) if (key === 'roads' && value) this.setRoads(value as FeatureCollection<LineString | null>, last.roadsVisible !== false);
      this.last.clusters = null;
      if (last.clusters) this.setClusters(last.clusters as ClusterFeature[]);
      this.restartDrawing();
    });
  }

  /** The siege cells (shaded by density, 0..1 in `shade`) and the core outline; null hides them. */
  setSiege(cells: FeatureCollection | null, core: FeatureCollection | null) {
    if (this.changed('siegeCells', cells)) void this.styleReady.then(() => this.setSource('siege-cells', cells ?? EMPTY));
    if (this.changed('siegeCore', core)) void this.styleReady.then(() => this.setSource('siege-core', core ?? EMPTY));
  }

  /** The relapse analysis: hotspot cells, move lines and relapse points (null hides them). */
  setRelapse(layer: FeatureCollection | null) {
    if (this.changed('relapse', layer)) void this.styleReady.then(() => this.setSource('relapse', layer ?? EMPTY));
  }

  /** The sites and roads behind a scorecard figure, ringed (null hides them). */
  setHighlight(layer: FeatureCollection | null) {
    if (this.changed('highlight', layer)) void this.styleReady.then(() => this.setSource('highlight', layer ?? EMPTY));
  }

  /** A planned route: numbered stops and the path from the start (null hides it). */
  setRoute(route: FeatureCollection | null) {
    if (this.changed('route', route)) void this.styleReady.then(() => this.setSource('route', route ?? EMPTY));
  }

  /** Moves the view for the app (not echoed back as a user move). */
  jumpTo(view: Partial<MapView>) {
    const center = this.map.getCenter();
    if (view.center && Math.abs(view.center[0] - center.lng) < 1e-6 && Math.abs(view.center[1] - center.lat) < 1e-6 && view.zoom === this.map.getZoom()) return;
    this.pendingOrigin = 'app';
    this.map.jumpTo(view);
  }

  flyTo(center: [number, number], zoom: number, padding?: { bottom: number }) {
    this.pendingOrigin = 'app';
    this.map.flyTo({ center, zoom, duration: 600, ...(padding ? { padding: { top: 0, left: 0, right: 0, ...padding } } : {}) });
  }

  /** `top`: room kept free above (a bar over the map). */
  fitBounds(bounds: LngLatBoundsLike, top = 40) {
    this.pendingOrigin = 'app';
    this.map.fitBounds(bounds, { padding: { top, bottom: 40, left: 40, right: 40 }, duration: 500 });
  }

  /**
   * Browsing, placing a site (clicks go to onMapClick), or drawing a road line ('draw') or an urban
   * core ('drawCore'); `from` is a line to edit instead of drawing anew. Clusters never take clicks
   * outside browsing. Nothing happens when neither changed.
   */
  setMode(mode: MapMode, from: [number, number][] | null = null) {
    if (mode === this.mode && from === this.drawFrom) return;
    this.mode = mode;
    this.drawFrom = from;
    this.drawTool?.stop();
    this.drawTool = null;
    this.map.getCanvas().style.cursor = mode === 'browse' ? '' : 'crosshair';
    this.map.getContainer().classList.toggle('map-busy', mode !== 'browse');
    if (mode === 'draw' || mode === 'drawCore') this.map.doubleClickZoom.disable();
    else this.map.doubleClickZoom.enable();
    void this.styleReady.then(() => this.restartDrawing());
  }

  /** (Re)starts the drawing tool for the current mode, keeping a shape already drawn (after a basemap switch). */
  private restartDrawing() {
    if (this.mode !== 'draw' && this.mode !== 'drawCore') return;
    const kept = this.drawTool?.shape() ?? this.drawFrom;
    this.drawTool?.stop();
    const polygon = this.mode === 'drawCore';
    this.drawTool = new DrawTool(
      this.map,
      polygon ? 'polygon' : 'line',
      (shape) => (polygon ? this.handlers.current.onCoreDrawn(shape) : this.handlers.current.onRoadDrawn(shape)),
      kept ?? undefined,
    );
    if (kept) (polygon ? this.handlers.current.onCoreDrawn : this.handlers.current.onRoadDrawn)(this.drawTool.shape());
  }

  /** Undoes the last vertex or edit of the shape being drawn. */
  undoDrawing() {
    this.drawTool?.undo();
  }

  remove() {
    this.drawTool?.stop();
    for (const marker of this.markers.values()) marker.remove();
    this.markers.clear();
    this.map.remove();
  }
}
