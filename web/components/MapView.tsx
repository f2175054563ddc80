// The map on the page: creates the MapController once, feeds it data, and asks the server for the
// clusters of what it shows (the 512 px tiles covering the view at its whole zoom), at once when a
// move ends — before anything else the move sets off, so the request is out before the map draws
// its next frame; web/state/map.ts fetches them off the main thread and keeps each tile of a data
// version once. Only the last view's answer is drawn. A move also asks the
// sites' data version again (throttled), so others' writes show after a pan without a reload.
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { FeatureCollection, LineString } from 'geojson';
import { MapController, type CountyFeatureCollection, type MapHandlers, type MapMode, type ViewChange } from '../map/map-controller.ts';
import type { Basemap } from '../map/basemap-style.ts';
import type { Language } from '../i18n/code-labels.ts';
import { MAX_TILE_ZOOM, tilesCovering } from '../../domain/cluster-index.ts';
import { debugState } from '../state/debug.ts';
import { askMapSummaryAgain, loadViewTiles, type TileQuery } from '../state/map.ts';

export interface MapViewProps {
  center: [number, number];
  zoom: number;
  counties: CountyFeatureCollection | null;
  countyLabel: (feature: CountyFeatureCollection['features'][number]) => string;
  /** The sites' data version (GET /api/map/sites); null until known. */
  version: number | null;
  /** The filters of the cluster tiles (statuses, categories, source, asOf, sites drawn apart or alone). */
  tileQuery: TileQuery;
  roads: FeatureCollection<LineString | null> | null;
  roadsVisible: boolean;
  focusCounty: string | null;
  /** Counties whose sites are shown in full; the others are dimmed (null: none dimmed). */
  scope?: readonly string[] | null;
  choropleth: Record<string, string> | null;
  selected: [number, number] | null;
  basemap: Basemap | null;
  lang: Language;
  mode: MapMode;
  /** A road line to edit when `mode` is 'draw' (null: draw anew). */
  drawFrom?: [number, number][] | null;
  /** Bumped to undo the last vertex or edit of the shape being drawn. */
  undoDrawing?: number;
  siege: { cells: FeatureCollection; core: FeatureCollection } | null;
  route: FeatureCollection | null;
  relapse: FeatureCollection | null;
  /** Sites and roads behind a scorecard figure, ringed on the map (null hides them). */
  highlight: FeatureCollection | null;
  /** Set to move the map (e.g. a search result); a new object each time. */
  flyTo: { center: [number, number]; zoom: number; padding?: { bottom: number } } | { bounds: [number, number, number, number]; top?: number } | null;
  handlers: Omit<MapHandlers, 'onClusterClick'>;
  onError: (error: unknown) => void;
  /** Told the map controller once it exists (and null when it is removed), e.g. for 导出地图. */
  onController?: (controller: MapController | null) => void;
}

export function MapView(props: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const controller = useRef<MapController | null>(null);
  const view = useRef<ViewChange | null>(null);
  const latest = useRef(props);
  useLayoutEffect(() => {
    latest.current = props;
  });
  const queryGeneration = useRef(0);

  const refreshClusters = async () => {
    const map = controller.current;
    const { version, tileQuery } = latest.current;
    if (!map || version === null || !view.current) return;
    const generation = ++queryGeneration.current;
    try {
      const started = performance.now();
      const z = Math.min(MAX_TILE_ZOOM, Math.max(0, Math.floor(view.current.zoom)));
      const tiles = await loadViewTiles(version, z, tilesCovering(view.current.bbox, z), tileQuery);
      if (generation !== queryGeneration.current) return;
      const features = tiles.flat();
      map.setClusters(features);
      debugState.recordClusters(features, null, performance.now() - started);
    } catch (error) {
      // A newer view's tiles are on their way.
      if (generation !== queryGeneration.current) return;
      latest.current.onError(error);
    }
  };

  const handlers = useRef<MapHandlers>(null as unknown as MapHandlers);
  useLayoutEffect(() => {
    handlers.current = {
      ...props.handlers,
      onViewChange: (change) => {
        view.current = change;
        // First the tiles: their requests leave now, while the page reacts to the move.
        void refreshClusters();
        props.handlers.onViewChange(change);
        // Others' writes since the last look: a new version in the summary gives the view new tiles.
        askMapSummaryAgain();
      },
      // At least one whole zoom level in, so the click visibly does something.
      onClusterClick: (_county, _clusterId, at, expansionZoom) =>
        controller.current?.flyTo(at, Math.min(Math.max(expansionZoom, (view.current?.zoom ?? 0) + 1), 18)),
    };
  });

  useEffect(() => {
    const map = new MapController(container.current!, handlers, { center: latest.current.center, zoom: latest.current.zoom });
    controller.current = map;
    debugState.map = map.map;
    latest.current.onController?.(map);
    void map.ready().then(() => {
      view.current = map.currentView();
      void refreshClusters();
    });
    return () => {
      map.remove();
      controller.current = null;
      latest.current.onController?.(null);
    };
    // The map is created once; later props reach it through the setters below.
  }, []);

  // A new data version or new filters: the view's tiles at once.
  const tileKey = JSON.stringify([props.version, props.tileQuery]);
  useEffect(() => {
    void refreshClusters();
  }, [tileKey]);

  useEffect(() => {
    if (props.counties) void controller.current?.setCounties(props.counties, props.countyLabel);
  }, [props.counties, props.countyLabel]);
  useEffect(() => {
    if (props.roads) controller.current?.setRoads(props.roads, props.roadsVisible);
  }, [props.roads, props.roadsVisible]);
  useEffect(() => controller.current?.setCountyFocus(props.focusCounty), [props.focusCounty]);
  useEffect(() => controller.current?.setChoropleth(props.choropleth), [props.choropleth]);
  // Keyed by the codes, not the array (a new array each render).
  const scopeKey = props.scope ? JSON.stringify(props.scope) : null;
  useEffect(() => controller.current?.setScope(scopeKey === null ? null : (JSON.parse(scopeKey) as string[])), [scopeKey]);
  useEffect(() => controller.current?.setSelected(props.selected), [props.selected]);
  useEffect(() => controller.current?.setBasemap(props.basemap), [props.basemap]);
  useEffect(() => controller.current?.setLanguage(props.lang), [props.lang]);
  useEffect(() => controller.current?.setMode(props.mode, props.drawFrom ?? null), [props.mode, props.drawFrom]);
  useEffect(() => {
    if (props.undoDrawing) controller.current?.undoDrawing();
  }, [props.undoDrawing]);
  useEffect(() => controller.current?.setRoute(props.route), [props.route]);
  useEffect(() => controller.current?.setRelapse(props.relapse), [props.relapse]);
  useEffect(() => {
    controller.current?.setHighlight(props.highlight);
    debugState.highlight = props.highlight?.features.map((f) => Number(f.properties?.id)) ?? [];
  }, [props.highlight]);
  useEffect(() => controller.current?.setSiege(props.siege?.cells ?? null, props.siege?.core ?? null), [props.siege]);
  useEffect(() => {
    const target = props.flyTo;
    if (!target || !controller.current) return;
    if ('bounds' in target) controller.current.fitBounds(target.bounds, target.top);
    else controller.current.flyTo(target.center, target.zoom, target.padding);
  }, [props.flyTo]);

  return <div ref={container} className="map" data-testid="map" />;
}
