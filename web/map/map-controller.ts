// The one owner of the MapLibre map: sources, layers, markers and events. React creates it once,
// calls its setters (which do nothing when the input has not changed) and hears back through a
// ref of handlers, so a new callback never rebuilds the map.
//
// Desired state, replayed: the setters record what the app wants shown (data in WGS84, the county
// focus and choropleth, layer visibility, basemap, language) and the controller pushes all of it
// after every style change (basemap or language switch) and whenever data arrives, so nothing
// depends on the order things load in. Positions cross the screen boundary in one place
// (`ScreenCrs`): drawn converted to the basemap's system (GCJ-02 or WGS84), and every position read
// off the map — clicks, drawn vertices, the view — converted back to WGS84 before it leaves here.
import {
  Map as MapLibreMap,
  Marker,
  NavigationControl,
  ScaleControl,
  setWorkerUrl,
  type ExpressionSpecification,
  type GeoJSONSource,
  type LngLatBoundsLike,
  type MapMouseEvent,
} from 'maplibre-gl';
import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { ClusterFeature } from '../../domain/cluster-index.ts';
import type { Language } from '../i18n/code-labels.ts';
import { addCategoryIcons } from './category-icons.ts';
import { ClusterRings } from './cluster-rings.ts';
import { COUNTY_LABEL_SIZE, labelShift } from './county-labels.ts';
import { LOCAL_IDEOGRAPH_FONTS } from './fonts.ts';
import { STATUS_COLORS } from './colors.ts';
import { mapStyle, type Basemap } from './basemap-style.ts';
import { DATA_SOURCES, type DataSourceId } from './data-layers.ts';
import { ScreenCrs, type LngLat } from './screen-crs.ts';
import { captureMap, type CapturedMap } from './map-picture.ts';
import { MapDrawing } from './map-drawing.ts';

export interface MapView {
  center: [number, number];
  zoom: number;
}

export interface ViewChange extends MapView {
  /** WGS84, whatever the basemap's system. */
  bbox: [number, number, number, number];
  /** 'map' when the user moved it; 'app' when the app asked for it. */
  origin: 'map' | 'app';
}

/** Every position handed to these handlers is WGS84. */
export interface MapHandlers {
  onViewChange(view: ViewChange): void;
  onSiteClick(siteId: number): void;
  /** `expansionZoom`: where the cluster splits (from the server's answer). */
  onClusterClick(county: string, clusterId: number, at: [number, number], expansionZoom: number): void;
  onRoadClick(roadId: number): void;
  onMapClick(at: [number, number]): void;
  /** The line being drawn (WGS84), once ended by a double-click and after each vertex edit or undo (null: none yet). */
  onRoadDrawn(line: [number, number][] | null): void;
  /** The urban core being drawn: its closed ring, as for roads. */
  onCoreDrawn(ring: [number, number][] | null): void;
  onCellClick(cell: { band: number; sector: number | null; siteIds: number[] }): void;
  /** The drawing tool's code could not be loaded (it loads on the first drawing). */
  onDrawingUnavailable(): void;
  clusterTitle(count: number): string;
}

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
const pointCollection = (position: [number, number] | null): FeatureCollection => ({
  type: 'FeatureCollection',
  features: position ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: position } }] : [],
});

export type MapMode = 'browse' | 'place' | 'draw' | 'drawCore';

/** What the app wants on the map; replayed in full after every style change. */
interface DesiredState {
  sources: Map<DataSourceId, FeatureCollection>;
  hiddenLayers: Set<string>;
  focus: string | null;
  choropleth: Record<string, string> | null;
  basemap: Basemap | null;
  lang: Language;
}

export class MapController {
  readonly map: MapLibreMap;
  private readonly rings: ClusterRings;
  /** A scorecard figure's sites, drawn as markers above the cluster rings. */
  private highlightMarkers: { marker: Marker; at: [number, number] }[] = [];
  /** Counties shown in full; sites and clusters elsewhere are dimmed (null: none). */
  private scope: readonly string[] | null = null;
  private last: Record<string, unknown> = {};
  private readonly desired: DesiredState = { sources: new Map(), hiddenLayers: new Set(), focus: null, choropleth: null, basemap: null, lang: 'zh' };
  /**
   * Our sources holding no features (each style starts them empty). Their layers are hidden: MapLibre
   * then loads no tiles of them at each new zoom, which saved ~35 worker answers per move (each one
   * main-thread work and a reason to draw again) and made the frames after a move cheaper.
   */
  private readonly emptySources = new Set<string>(DATA_SOURCES);
  private counties: CountyFeatureCollection | null = null;
  /** County names and where each is written (WGS84), before moving any clear of a ring. */
  private countyLabels: { label: string; at: [number, number] }[] = [];
  private screen = new ScreenCrs('wgs84');
  /** True once the first style has loaded; style changes before that wait for it. */
  private loaded = false;
  private styleReady: Promise<void>;
  private markReady: () => void = () => undefined;
  private isReady = false;
  private pendingOrigin: 'app' | null = null;
  private mode: MapMode = 'browse';
  private readonly drawing: MapDrawing;

  constructor(
    container: HTMLElement,
    private readonly handlers: { current: MapHandlers },
    view: MapView,
  ) {
    this.map = new MapLibreMap({
      container,
      style: mapStyle(window.location.origin, null, 'zh'),
      center: view.center,
      zoom: view.zoom,
      localIdeographFontFamily: LOCAL_IDEOGRAPH_FONTS,
      attributionControl: { compact: true },
      maxZoom: 18,
      minZoom: 6,
      dragRotate: false,
      pitchWithRotate: false,
      // Labels appear at once instead of fading in over 300 ms: a fade redraws the map every frame,
      // and where WebGL is drawn in software (no GPU, or a headless browser) each frame holds the
      // page ~100 ms, so the fades after a move kept the view's clusters waiting.
      fadeDuration: 0,
    });
    this.rings = new ClusterRings(
      this.map,
      () => this.screen,
      (feature) => {
        // While drawing or placing, a cluster is only background (CSS lets the click through to the map).
        if (this.mode !== 'browse') return;
        const { county, clusterId, expansionZoom } = feature.properties;
        handlers.current.onClusterClick(county, clusterId!, feature.geometry.coordinates, expansionZoom ?? this.map.getZoom() + 1);
      },
    );
    this.drawing = new MapDrawing(this.map, () => this.screen, {
      onShape: (kind, shape) => (kind === 'polygon' ? handlers.current.onCoreDrawn(shape) : handlers.current.onRoadDrawn(shape)),
      onUnavailable: () => handlers.current.onDrawingUnavailable(),
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    this.styleReady = new Promise((resolve) => (this.markReady = resolve));
    this.map.once('load', () => {
      this.loaded = true;
      for (const layer of ['sites', 'site-symbols', 'roads']) {
        this.map.on('mouseenter', layer, () => (this.map.getCanvas().style.cursor = this.mode === 'browse' ? 'pointer' : 'crosshair'));
        this.map.on('mouseleave', layer, () => (this.map.getCanvas().style.cursor = this.mode === 'browse' ? '' : 'crosshair'));
      }
      if (this.desired.basemap || this.desired.lang !== 'zh') this.restyle();
      else this.replay();
    });
    // A full style rebuild (when a diff cannot be applied) drops images: draw them again on demand.
    this.map.on('styleimagemissing', (event: { id: string }) => {
      if (event.id.startsWith('cat-')) addCategoryIcons(this.map);
    });
    this.map.on('moveend', () => this.emitView());
    this.map.on('zoomend', () => this.placeCountyLabels());
    this.map.on('click', (event) => this.onClick(event));
  }

  /** Resolves once the style and data layers exist (again after a style change). */
  ready(): Promise<void> {
    return this.styleReady;
  }

  private changed(key: string, value: unknown): boolean {
    if (this.last[key] === value) return false;
    this.last[key] = value;
    return true;
  }

  /** Records what a source should hold (WGS84) and draws it when the style has the source. */
  private show(id: DataSourceId, data: FeatureCollection) {
    this.desired.sources.set(id, data);
    this.push(id);
    const empty = data.features.length === 0;
    if (empty === this.emptySources.has(id)) return;
    if (empty) this.emptySources.add(id);
    else this.emptySources.delete(id);
    if (this.isReady) for (const layerId of this.map.getLayersOrder()) if (this.map.getLayer(layerId)?.source === id) this.applyVisibility(layerId);
  }

  /** Shows a layer unless the app hid it or its source (one of ours) is empty. */
  private applyVisibility(layerId: string) {
    const layer = this.map.getLayer(layerId);
    if (!layer) return;
    const visible = !this.desired.hiddenLayers.has(layerId) && !(layer.source && this.emptySources.has(layer.source));
    this.map.setLayoutProperty(layerId, 'visibility', visible ? 'visible' : 'none');
  }

  private push(id: DataSourceId) {
    const data = this.desired.sources.get(id);
    // A newer setData supersedes an older one; MapLibre reports a failed update on the map's 'error' event.
    if (data) void (this.map.getSource(id) as GeoJSONSource | undefined)?.setData(this.screen.collection(data));
  }

  /** Puts everything desired back after a style change (or the first load). */
  private replay() {
    addCategoryIcons(this.map);
    for (const id of this.desired.sources.keys()) this.push(id);
    this.applyCountyStates();
    // Every layer of ours, and any the app hid: a style diff may have kept or dropped an earlier setting.
    for (const layerId of this.map.getLayersOrder()) {
      const source = this.map.getLayer(layerId)?.source;
      if (this.desired.hiddenLayers.has(layerId) || (source && (DATA_SOURCES as readonly string[]).includes(source))) this.applyVisibility(layerId);
    }
    this.rings.reposition();
    for (const { marker, at } of this.highlightMarkers) marker.setLngLat(this.screen.toScreen(at));
    this.applyScope();
    // A new style has none of the drawing tool's layers: start it again with the shape drawn so far.
    this.drawing.restart();
    this.isReady = true;
    this.markReady();
  }

  /** Builds the style for the desired basemap and language and replays the data into it. */
  private restyle() {
    if (!this.loaded) return; // the first 'load' restyles with what is desired by then
    const center = this.screen.fromScreen([this.map.getCenter().lng, this.map.getCenter().lat]);
    this.screen = new ScreenCrs(this.desired.basemap?.crs ?? 'wgs84');
    if (this.isReady) {
      this.isReady = false;
      this.styleReady = new Promise((resolve) => (this.markReady = resolve));
    }
    this.map.setStyle(mapStyle(window.location.origin, this.desired.basemap, this.desired.lang), { diff: true });
    // A style diff applies at once; a rebuild from scratch loads first.
    if (this.map.getLayer('sites') && this.map.getLayer('county-label')) this.replay();
    else this.map.once('style.load', () => this.replay());
    this.pendingOrigin = 'app';
    this.map.jumpTo({ center: this.screen.toScreen(center) });
  }

  private applyCountyStates() {
    if (!this.counties || !this.map.getSource('counties')) return;
    const { focus, choropleth } = this.desired;
    for (const feature of this.counties.features) {
      const id = feature.properties.code;
      this.map.setFeatureState({ source: 'counties', id }, { dimmed: focus !== null && id !== focus, focused: id === focus, fill: choropleth?.[id] ?? null });
    }
  }

  private setLayersVisible(layers: readonly string[], visible: boolean) {
    for (const layer of layers) {
      if (visible) this.desired.hiddenLayers.delete(layer);
      else this.desired.hiddenLayers.add(layer);
      this.applyVisibility(layer);
    }
  }

  private emitView() {
    const origin = this.pendingOrigin ?? 'map';
    this.pendingOrigin = null;
    this.handlers.current.onViewChange({ ...this.currentView(), origin });
  }

  private onClick(event: MapMouseEvent) {
    const at = this.screen.fromScreen([event.lngLat.lng, event.lngLat.lat]);
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
        sector:
          cell.properties.sector === null || cell.properties.sector === undefined || cell.properties.sector === 'null' ? null : Number(cell.properties.sector),
        siteIds: arrayProperty(cell.properties.siteIds),
      });
  }

  /** The view as it is now, in WGS84 (with its bbox), for the first cluster query. */
  currentView(): ViewChange {
    const bounds = this.map.getBounds();
    const center = this.screen.fromScreen([this.map.getCenter().lng, this.map.getCenter().lat]);
    const bbox = this.screen.bboxFromScreen([bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]);
    return { center, zoom: this.map.getZoom(), bbox, origin: 'app' };
  }

  /** A WGS84 position as drawn on the current basemap (for tests and anything placed on the map). */
  toScreen(position: [number, number]): LngLat {
    return this.screen.toScreen(position);
  }

  async setCounties(counties: CountyFeatureCollection, labelFor: (feature: CountyFeatureCollection['features'][number]) => string) {
    this.counties = counties;
    this.show('counties', counties);
    this.countyLabels = counties.features.filter((f) => f.properties.labelPoint).map((f) => ({ label: labelFor(f), at: f.properties.labelPoint! }));
    this.last.countyLabelShifts = null;
    this.placeCountyLabels();
    this.applyCountyStates();
    await this.styleReady;
  }

  /** Single sites go to a GeoJSON layer; clusters become ring markers (web/map/cluster-rings.ts). */
  setClusters(features: readonly ClusterFeature[]) {
    if (!this.changed('clusters', features)) return;
    const singles = features.filter((f) => !f.properties.cluster);
    this.show('sites', { type: 'FeatureCollection', features: singles as unknown as Feature[] });
    this.rings.set(features, (count) => this.handlers.current.clusterTitle(count), this.scope);
    this.placeCountyLabels();
  }

  /** Writes the county names, each moved clear of the cluster rings (web/map/county-labels.ts). */
  private placeCountyLabels() {
    const rings = this.rings.onScreen();
    const shifts = this.countyLabels.map(({ label, at }) => {
      const { x, y } = this.map.project(this.screen.toScreen(at));
      return Math.round(labelShift(label, x, y, rings));
    });
    if (!this.changed('countyLabelShifts', shifts.join())) return;
    const features: Feature[] = this.countyLabels.map(({ label, at }, index) => ({
      type: 'Feature',
      properties: { label, offset: [0, shifts[index]! / COUNTY_LABEL_SIZE] },
      geometry: { type: 'Point', coordinates: at },
    }));
    this.show('countyLabels', { type: 'FeatureCollection', features });
  }

  setRoads(roads: FeatureCollection<LineString | null>, visible: boolean) {
    if (this.changed('roads', roads)) this.show('roads', { ...roads, features: roads.features.filter((f) => f.geometry) } as FeatureCollection);
    if (this.changed('roadsVisible', visible)) this.setLayersVisible(['roads', 'roads-casing'], visible);
  }

  setSelected(position: [number, number] | null) {
    if (this.changed('selected', position?.join(',') ?? null)) this.show('selected', pointCollection(position));
  }

  /** Dims every county but `code` (null: none dimmed). */
  setCountyFocus(code: string | null) {
    this.desired.focus = code;
    this.applyCountyStates();
  }

  /** Colours counties by value (null: plain). */
  setChoropleth(colors: Record<string, string> | null) {
    this.desired.choropleth = colors;
    this.applyCountyStates();
  }

  /** Offline (null) or a basemap from /api/config; the data stays and follows the basemap's system. */
  setBasemap(basemap: Basemap | null) {
    if (this.desired.basemap?.id === basemap?.id && this.desired.basemap?.crs === basemap?.crs) return;
    this.desired.basemap = basemap;
    this.restyle();
  }

  /** Label language of vector basemaps. */
  setLanguage(lang: Language) {
    if (this.desired.lang === lang) return;
    this.desired.lang = lang;
    this.restyle();
  }

  /** The siege cells (shaded by density, 0..1 in `shade`) and the core outline; null hides them. */
  setSiege(cells: FeatureCollection | null, core: FeatureCollection | null) {
    if (this.changed('siegeCells', cells)) this.show('siege-cells', cells ?? EMPTY);
    if (this.changed('siegeCore', core)) this.show('siege-core', core ?? EMPTY);
  }

  /** The relapse analysis: hotspot cells, move lines and relapse points (null hides them). */
  setRelapse(layer: FeatureCollection | null) {
    if (this.changed('relapse', layer)) this.show('relapse', layer ?? EMPTY);
  }

  /**
   * The sites and roads behind a scorecard figure, ringed (null hides them). Their sites are left
   * out of the clusters (ClusterFilters.exclude) and drawn as markers above the cluster rings, so no
   * ring stands for a site hidden under a cluster.
   */
  setHighlight(layer: FeatureCollection | null) {
    if (!this.changed('highlight', layer)) return;
    this.show('highlight', layer ?? EMPTY);
    for (const { marker } of this.highlightMarkers) marker.remove();
    this.highlightMarkers = [];
    for (const feature of layer?.features ?? []) {
      if (feature.geometry.type !== 'Point') continue;
      const { id, status } = (feature.properties ?? {}) as { id: number; status?: string };
      const element = document.createElement('div');
      element.className = 'highlight-marker';
      element.dataset.siteId = String(id);
      element.style.background = (status && STATUS_COLORS[status as keyof typeof STATUS_COLORS]) || '#555';
      element.addEventListener('click', (event) => {
        event.stopPropagation();
        this.handlers.current.onSiteClick(Number(id));
      });
      const at = feature.geometry.coordinates as [number, number];
      this.highlightMarkers.push({ marker: new Marker({ element }).setLngLat(this.screen.toScreen(at)).addTo(this.map), at });
    }
  }

  /** Dims the sites and clusters outside these counties (null: none dimmed); kept across style changes. */
  setScope(counties: readonly string[] | null) {
    this.scope = counties;
    this.rings.setScope(counties);
    if (this.isReady) this.applyScope();
  }

  private applyScope() {
    if (!this.map.getLayer('sites')) return;
    const inside = (this.scope ? ['in', ['get', 'county'], ['literal', [...this.scope]]] : ['==', 1, 1]) as ExpressionSpecification;
    this.map.setPaintProperty('sites', 'circle-opacity', ['case', inside, ['case', ['==', ['get', 'source'], 'demo'], 0.8, 1], 0.2]);
    this.map.setPaintProperty('sites', 'circle-stroke-opacity', ['case', inside, 1, 0.3]);
    this.map.setPaintProperty('site-symbols', 'icon-opacity', ['case', inside, 1, 0.25]);
  }

  /** A planned route: numbered stops and the path from the start (null hides it). */
  setRoute(route: FeatureCollection | null) {
    if (this.changed('route', route)) this.show('route', route ?? EMPTY);
  }

  /** The map as it is drawn now, with its cluster rings, for 导出地图 (web/map/map-picture.ts); bounds in WGS84. */
  async capture(): Promise<CapturedMap> {
    await this.styleReady;
    const captured = await captureMap(this.map, this.rings.list());
    return { ...captured, bounds: this.screen.bboxFromScreen(captured.bounds) };
  }

  /** Moves the view for the app (not echoed back as a user move). Positions are WGS84. */
  jumpTo(view: Partial<MapView>) {
    const center = this.screen.fromScreen([this.map.getCenter().lng, this.map.getCenter().lat]);
    if (view.center && Math.abs(view.center[0] - center[0]) < 1e-6 && Math.abs(view.center[1] - center[1]) < 1e-6 && view.zoom === this.map.getZoom()) return;
    this.pendingOrigin = 'app';
    this.map.jumpTo({ ...view, ...(view.center ? { center: this.screen.toScreen(view.center) } : {}) });
  }

  flyTo(center: [number, number], zoom: number, padding?: { bottom: number }) {
    this.pendingOrigin = 'app';
    this.map.flyTo({ center: this.screen.toScreen(center), zoom, duration: 600, ...(padding ? { padding: { top: 0, left: 0, right: 0, ...padding } } : {}) });
  }

  /** Fits [west, south, east, north] (WGS84); `top`: room kept free above (a bar over the map). */
  fitBounds(bounds: [number, number, number, number], top = 40) {
    this.pendingOrigin = 'app';
    const box: LngLatBoundsLike = [this.screen.toScreen([bounds[0], bounds[1]]), this.screen.toScreen([bounds[2], bounds[3]])];
    this.map.fitBounds(box, { padding: { top, bottom: 40, left: 40, right: 40 }, duration: 500 });
  }

  /**
   * Browsing, placing a site (clicks go to onMapClick), or drawing a road line ('draw') or an urban
   * core ('drawCore'); `from` is a line to edit instead of drawing anew. Clusters never take clicks
   * outside browsing. Nothing happens when neither changed.
   */
  setMode(mode: MapMode, from: [number, number][] | null = null) {
    if (mode === this.mode && from === this.drawing.from) return;
    this.mode = mode;
    this.drawing.set(mode === 'draw' ? 'line' : mode === 'drawCore' ? 'polygon' : null, from);
    this.map.getCanvas().style.cursor = mode === 'browse' ? '' : 'crosshair';
    this.map.getContainer().classList.toggle('map-busy', mode !== 'browse');
    if (mode === 'draw' || mode === 'drawCore') this.map.doubleClickZoom.disable();
    else this.map.doubleClickZoom.enable();
    if (this.isReady) this.drawing.restart();
  }

  /** Undoes the last vertex or edit of the shape being drawn. */
  undoDrawing() {
    this.drawing.undo();
  }

  remove() {
    this.drawing.close();
    this.rings.remove();
    for (const { marker } of this.highlightMarkers) marker.remove();
    this.map.remove();
  }
}
