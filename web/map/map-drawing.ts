// Drawing on the map as the controller runs it: the kind of shape under way (a road's line or an
// urban core), the line to edit it started from, the shape drawn so far (WGS84), and terra-draw
// (web/map/draw-tool.ts), loaded on the first drawing rather than in the first view. While it
// loads the map container says data-drawing="loading" with a progress cursor; a drawing changed
// meanwhile wins over the one the load was for.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { DrawKind, DrawnShape, DrawTool } from './draw-tool.ts';
import type { ScreenCrs } from './screen-crs.ts';

export interface DrawingHandlers {
  /** The shape (WGS84) once ended, and after each vertex edit or undo (null: none yet). */
  onShape(kind: DrawKind, shape: DrawnShape): void;
  /** The drawing tool's code could not be loaded. */
  onUnavailable(): void;
}

export class MapDrawing {
  /** The kind of shape being drawn (null: not drawing), and the line to edit it started from. */
  kind: DrawKind | null = null;
  from: [number, number][] | null = null;
  private shape: DrawnShape = null;
  private tool: DrawTool | null = null;
  /** Bumped at each (re)start, so a late-loading tool starts only for the newest drawing. */
  private asked = 0;
  private closed = false;

  /** `screen`: the basemap's coordinate system now (terra-draw works in it; the app gets WGS84). */
  constructor(
    private readonly map: MapLibreMap,
    private readonly screen: () => ScreenCrs,
    private readonly handlers: DrawingHandlers,
  ) {}

  /** Starts drawing `kind` anew (null: stops), from the line `from` if given; forgets the shape so far. */
  set(kind: DrawKind | null, from: [number, number][] | null) {
    this.kind = kind;
    this.from = from;
    this.shape = null;
    this.stopTool();
  }

  /** (Re)starts the tool for the drawing under way (after a style change too), from the shape so far or the line to edit. */
  restart() {
    this.stopTool();
    const asked = ++this.asked;
    const container = this.map.getContainer();
    if (!this.kind) {
      delete container.dataset.drawing;
      return;
    }
    // Until the tool is there a click would draw nothing: the cursor says to wait.
    container.dataset.drawing = 'loading';
    this.map.getCanvas().style.cursor = 'progress';
    void import('./draw-tool.ts').then(
      ({ DrawTool }) => {
        if (asked !== this.asked || this.closed) return;
        this.start(DrawTool);
        container.dataset.drawing = 'ready';
        this.map.getCanvas().style.cursor = 'crosshair';
      },
      () => {
        if (asked !== this.asked) return;
        delete container.dataset.drawing;
        this.handlers.onUnavailable();
      },
    );
  }

  /** Undoes the last vertex or edit of the shape being drawn. */
  undo() {
    this.tool?.undo();
  }

  close() {
    this.closed = true;
    this.stopTool();
  }

  private start(Tool: typeof DrawTool) {
    const kind = this.kind!;
    const report = (shape: DrawnShape) => {
      const screen = this.screen();
      this.shape = shape && shape.map((p) => screen.fromScreen(p));
      this.handlers.onShape(kind, this.shape);
    };
    const start = this.shape ?? this.from;
    const screen = this.screen();
    this.tool = new Tool(
      this.map,
      kind,
      report,
      start?.map((p) => screen.toScreen(p)),
    );
    if (start) report(this.tool.shape());
  }

  private stopTool() {
    this.tool?.stop();
    this.tool = null;
  }
}
