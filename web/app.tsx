// The page: header, layer panel, map, detail panel. State lives in the URL; data comes from the API.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FeatureCollection, LineString } from 'geojson';
import { STATUS_CODES, OPEN_STATUSES, RESOLVED_STATUSES, type RoadStatusCode, type StatusCode } from '../domain/statuses.ts';
import type { CategoryCode } from '../domain/categories.ts';
import { refusal } from '../domain/roles.ts';
import { api, onWriteSucceeded, unwrap } from './api/client.ts';
import { describeError } from './i18n/error-text.ts';
import { ErrorBanner } from './components/ErrorText.tsx';
import { I18nContext, translate } from './i18n/i18n.tsx';
import { countyLabel as countyName } from './i18n/code-labels.ts';
import type { MessageKey } from './i18n/zh.ts';
import type { CountyFeatureCollection, MapController } from './map/map-controller.ts';
import { LayerPanel } from './components/LayerPanel.tsx';
import { MapPictureMenu } from './components/MapPictureMenu.tsx';
import { MapView } from './components/MapView.tsx';
import { SearchBox } from './components/SearchBox.tsx';
import { SitePanel } from './components/SitePanel.tsx';
import { SiteCreateForm } from './components/SiteCreateForm.tsx';
import { PrecisionChoice, type ChosenPrecision } from './components/PrecisionChoice.tsx';
import { GuardedButton } from './components/GuardedButton.tsx';
import { CountyLocator } from '../domain/locate-county.ts';
import type { MultiPolygon, Polygon } from 'geojson';
import { RoadPanel } from './components/RoadPanel.tsx';
import { DrawBar, type DrawnRoad } from './components/DrawBar.tsx';
import { UnlocatedList } from './components/UnlocatedList.tsx';
import { SiegePanel, type SelectedCell } from './components/SiegePanel.tsx';
import { useSiege } from './state/use-siege.ts';
import { RoutePanel, type RoutePlan } from './components/RoutePanel.tsx';
import { RelapsePanel, relapseLayer, useRelapse } from './components/RelapsePanel.tsx';
import { ScorecardPanel, loadFigure, pageHref } from './components/ScorecardPanel.tsx';
import { ImportWizard } from './components/ImportWizard.tsx';
import { useLoad } from './state/use-data.ts';
import { useUrlState } from './state/use-url-state.ts';
import { CountyNamesContext, useSession } from './state/session.tsx';
import { UserBadge } from './components/UserBadge.tsx';
import { AuditPanel } from './components/AuditPanel.tsx';
import { choroplethColors } from './map/choropleth.ts';
import { bboxOf as bboxOfCoordinates } from '../domain/bbox.ts';
import type { ClusterSite } from './worker/cluster-index.ts';

type FlyTarget = { center: [number, number]; zoom: number; padding?: { bottom: number } } | { bounds: [number, number, number, number]; top?: number } | null;

/** On a phone the site detail is a sheet over the lower 60% of the map: keep the site above it. */
const sheetPadding = () => (window.innerWidth <= 760 ? { bottom: Math.round(window.innerHeight * 0.6) } : undefined);

export function App() {
  const [state, update] = useUrlState();
  const i18n = useMemo(() => ({ lang: state.lang, t: (key: MessageKey, params?: Record<string, string | number>) => translate(state.lang, key, params) }), [state.lang]);
  const { t } = i18n;
  const { user, deny } = useSession();
  const canReadAudit = refusal(user, 'readAudit') === null;
  const canImport = refusal(user, 'writeSites') === null;
  const [panelOpen, setPanelOpen] = useState(() => window.innerWidth > 760);
  const [mode, setMode] = useState<{ kind: 'browse' } | { kind: 'place'; siteId: number } | { kind: 'draw'; road: DrawnRoad; from: [number, number][] | null } | { kind: 'drawCore' }>({ kind: 'browse' });
  // The shape being drawn (a road line or a core's ring), once a double-click has ended it.
  const [drawn, setDrawn] = useState<[number, number][] | null>(null);
  const [undoDrawing, setUndoDrawing] = useState(0);
  const [cell, setCell] = useState<SelectedCell | null>(null);
  const [routeStart, setRouteStart] = useState<[number, number]>(CITY_SEAT);
  const [pickingStart, setPickingStart] = useState(false);
  const [handPicked, setHandPicked] = useState<number[]>([]);
  const [mapController, setMapController] = useState<MapController | null>(null);
  const [routeWithin, setRouteWithin] = useState<[number, number][] | null>(null);
  const [drawingWithin, setDrawingWithin] = useState(false);
  const [routePlan, setRoutePlan] = useState<RoutePlan | null>(null);
  const savedRoute = useLoad(`route:${state.route}`, () => (state.route ? unwrap(api.api.routes[':id'].$get({ param: { id: String(state.route) } })) : Promise.resolve(null)));
  const shownPlan = routePlan ?? (savedRoute.data?.plan as RoutePlan | undefined) ?? null;
  const routeLayer = useMemo((): FeatureCollection | null => {
    if (state.panel !== 'routes') return null;
    const features = [
      ...(shownPlan ? routeFeatures(shownPlan).features : []),
      ...(routeWithin ? [{ type: 'Feature' as const, properties: {}, geometry: { type: 'LineString' as const, coordinates: routeWithin } }] : []),
    ];
    return features.length ? { type: 'FeatureCollection', features } : null;
  }, [state.panel, shownPlan, routeWithin]);
  const [pending, setPending] = useState<[number, number] | null>(null);
  const [placePrecision, setPlacePrecision] = useState<ChosenPrecision>('approximate');
  // 新增点位: the form is open; picking = the next map click sets its position.
  const [creating, setCreating] = useState<{ picking: boolean; clicked: [number, number] | null; shown: [number, number] | null } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The banner goes when the next write succeeds (or when the user dismisses it).
  useEffect(() => onWriteSucceeded(() => setError(null)), []);
  const [flyTo, setFlyTo] = useState<FlyTarget>(null);
  const [dataVersion, setDataVersion] = useState(0);
  // A link without a view (`v=`) opens on the whole city, or on the site it names.
  const [initialFit, setInitialFit] = useState(() => !new URLSearchParams(window.location.search).has('v'));

  const asOfQuery = state.asOf ? { asOf: state.asOf } : {};
  const filterQuery = { ...asOfQuery, ...(state.categories.length ? { category: state.categories.join(',') } : {}), ...(state.source ? { source: state.source } : {}) };

  // County officials and inspectors see their own counties by default (counts, legend, relapses;
  // markers elsewhere dimmed); the switch in the header shows the whole city.
  const [cityWide, setCityWide] = useState(false);
  const scope = useMemo(() => (user.counties.length && !cityWide ? [...user.counties] : null), [user.counties, cityWide]);
  const relapse = useRelapse(state.panel === 'relapse', state.asOf, dataVersion, scope);
  const relapseMap = useMemo(() => (state.panel === 'relapse' ? relapseLayer(relapse.result.data) : null), [state.panel, relapse.result.data]);
  const siege = useSiege(state.panel === 'siege', state.core, state.asOf, dataVersion);
  const config = useLoad('config', () => unwrap(api.api.config.$get()));
  const counties = useLoad(`counties:${JSON.stringify(filterQuery)}:${dataVersion}`, () => unwrap(api.api.counties.$get({ query: filterQuery })));
  const sites = useLoad(`sites:${state.asOf}:${dataVersion}`, () => unwrap(api.api.sites.$get({ query: { ...asOfQuery, located: 'true' } })));
  const unlocated = useLoad(`unlocated:${dataVersion}`, () => unwrap(api.api.sites.$get({ query: { located: 'false', source: 'real' } })));
  const roads = useLoad(`roads:${state.asOf}:${dataVersion}`, () => unwrap(api.api.roads.$get({ query: asOfQuery })));
  // The scorecard figure whose sites (or roads) the map highlights.
  const scorecardQuery = { ...asOfQuery, ...(state.source ? { source: state.source } : {}) };
  const figureShown = state.panel === 'scorecard' && state.county && state.figure ? { county: state.county, figure: state.figure } : null;
  const figureList = useLoad(`figure:${JSON.stringify(figureShown)}:${JSON.stringify(scorecardQuery)}:${dataVersion}`, () =>
    figureShown ? loadFigure(figureShown.county, figureShown.figure, scorecardQuery) : Promise.resolve(null),
  );
  const highlight = useMemo((): FeatureCollection | null => {
    const list = figureShown ? figureList.data : null;
    if (!list) return null;
    const roadIds = new Set(list.roads.map((r) => r.id));
    return {
      type: 'FeatureCollection',
      features: [
        // Each site carries what the map draws it with: highlighted sites leave the clusters and are drawn on top.
        ...list.sites.filter((s) => s.lon !== null && s.lat !== null).map((s) => ({ type: 'Feature' as const, properties: { id: s.id, status: s.status, category: s.category, source: s.source }, geometry: { type: 'Point' as const, coordinates: [s.lon!, s.lat!] } })),
        ...(roads.data?.features ?? []).filter((f) => roadIds.has(f.properties.id) && f.geometry).map((f) => ({ type: 'Feature' as const, properties: { id: f.properties.id }, geometry: f.geometry as unknown as LineString })),
      ],
    };
    // figureShown is rebuilt each render; the list itself says which figure it is.
  }, [figureList.data, roads.data, state.panel]);
  useEffect(() => {
    if (highlight?.features.length) setFlyTo({ bounds: bboxOf({ coordinates: highlight.features.map((f) => (f.geometry as unknown as { coordinates: unknown }).coordinates) }) });
  }, [highlight]);

  const clusterSites = useMemo<ClusterSite[] | null>(
    () =>
      sites.data?.features
        .filter((f) => f.geometry)
        .map((f) => ({
          id: f.properties.id,
          lon: f.geometry!.coordinates[0],
          lat: f.geometry!.coordinates[1],
          county: f.properties.county,
          status: f.properties.status as StatusCode,
          category: f.properties.category,
          source: f.properties.source,
        })) ?? null,
    [sites.data],
  );
  const positions = useMemo(() => new Map(clusterSites?.map((s) => [s.id, [s.lon, s.lat] as [number, number]])), [clusterSites]);
  const siteCounties = useMemo(() => new Map(clusterSites?.map((s) => [s.id, s.county])), [clusterSites]);

  useEffect(() => {
    if (!initialFit || !counties.data || !sites.data) return;
    setInitialFit(false);
    const site = state.site ? positions.get(state.site) : undefined;
    // County officials and inspectors start on their own county.
    const own = !state.county && user.counties.length ? counties.data.features.find((f) => f.properties.code === user.counties[0]) : undefined;
    if (site) setFlyTo({ center: site, zoom: 14, padding: sheetPadding() });
    else if (own) {
      update({ county: own.properties.code });
      setFlyTo({ bounds: bboxOf(own.geometry as unknown as { coordinates: unknown }) });
    } else setFlyTo({ bounds: bboxOf({ coordinates: counties.data.features.map((f) => (f.geometry as unknown as { coordinates: unknown }).coordinates) }) });
  }, [initialFit, counties.data, sites.data, positions, state.site, state.county, user.counties, update]);

  // Township names for the relapse rates, from the sites loaded (the official list has no other API yet).
  const townshipNames = useMemo(
    () => Object.fromEntries((sites.data?.features ?? []).filter((f) => f.properties.township).map((f) => [f.properties.township!, f.properties.townshipName ?? f.properties.township!])),
    [sites.data],
  );

  const countyList = useMemo(() => counties.data?.features.map((f) => ({ code: f.properties.code, name: f.properties.name })) ?? [], [counties.data]);
  const countyNames = useMemo(() => Object.fromEntries(countyList.map((c) => [c.code, c.name])), [countyList]);
  const countyGeo = useMemo(() => (counties.data ? (counties.data as unknown as CountyFeatureCollection) : null), [counties.data]);
  // The county of a position, as the server will find it (same polygons, same rule).
  const locator = useMemo(() => new CountyLocator((counties.data?.features ?? []).map((f) => ({ code: f.properties.code, geometry: f.geometry as unknown as Polygon | MultiPolygon }))), [counties.data]);
  const countyLabel = useCallback((feature: CountyFeatureCollection['features'][number]) => countyName(feature.properties.code, feature.properties.name, state.lang), [state.lang]);
  // Legend and header count what the map can draw: located sites under the category and source filters.
  const statusCounts = useMemo(() => {
    const totals: Partial<Record<StatusCode, number>> = {};
    const categories = state.categories.length ? new Set(state.categories) : null;
    const inScope = scope ? new Set(scope) : null;
    for (const site of clusterSites ?? []) {
      if (inScope && !inScope.has(site.county)) continue;
      if (categories && !categories.has(site.category)) continue;
      if (state.source && site.source !== state.source) continue;
      totals[site.status] = (totals[site.status] ?? 0) + 1;
    }
    return totals;
  }, [clusterSites, state.categories, state.source, scope]);
  // Road segments on the map: those drawn, with the statuses the road legend switches on.
  const roadCounts = useMemo(() => {
    const drawn: Partial<Record<RoadStatusCode, number>> = {};
    let undrawn = 0;
    for (const f of roads.data?.features ?? []) {
      if (!f.geometry) undrawn += 1;
      else drawn[f.properties.status] = (drawn[f.properties.status] ?? 0) + 1;
    }
    return { drawn, undrawn };
  }, [roads.data]);
  const roadsShown = useMemo(
    () => (roads.data ? ({ ...roads.data, features: roads.data.features.filter((f) => state.roadStatuses.includes(f.properties.status)) } as unknown as FeatureCollection<LineString | null>) : null),
    [roads.data, state.roadStatuses],
  );
  const choropleth = useMemo(() => (state.choropleth === 'none' || !counties.data ? null : choroplethColors(counties.data.features.map((f) => f.properties), state.choropleth, OPEN_STATUSES, RESOLVED_STATUSES)), [state.choropleth, counties.data]);

  // Highlighted sites are drawn on their own above the clusters, so none hides inside one.
  const highlighted = useMemo(() => highlight?.features.filter((f) => f.geometry.type === 'Point').map((f) => Number(f.properties?.id)) ?? [], [highlight]);
  const filters = useMemo(
    () => ({
      statuses: state.statuses,
      categories: state.categories,
      ...(state.source ? { source: state.source } : {}),
      ...(highlighted.length ? { exclude: highlighted } : {}),
      // While the siege panel is open the map shows only the sites it counts.
      ...(state.panel === 'siege' && siege.layer ? { only: siege.layer.counted } : {}),
    }),
    [state.statuses, state.categories, state.source, highlighted, state.panel, siege.layer],
  );
  // The URL's basemap, else the one the operator made the default ('none': the plain offline map).
  const basemapId = state.basemap === 'none' ? null : (state.basemap ?? config.data?.defaultBasemap ?? null);
  const basemap = config.data?.basemaps.find((b) => b.id === basemapId) ?? null;
  const shown = STATUS_CODES.filter((s) => state.statuses.includes(s)).reduce((sum, s) => sum + (statusCounts[s] ?? 0), 0);

  const openSite = (id: number, position: [number, number] | null) => {
    update({ site: id, road: null });
    if (position) setFlyTo({ center: position, zoom: Math.max(14, state.zoom), padding: sheetPadding() });
  };

  const pickCounty = (code: string | null) => {
    update({ county: code });
    const feature = counties.data?.features.find((f) => f.properties.code === code);
    if (feature) setFlyTo({ bounds: bboxOf(feature.geometry as unknown as { coordinates: unknown }) });
  };

  const confirmPlace = async () => {
    if (mode.kind !== 'place' || !pending) return;
    try {
      const result = await unwrap(api.api.sites[':id'].location.$put({ param: { id: String(mode.siteId) }, json: { lon: pending[0], lat: pending[1], precision: placePrecision } }));
      setMessage(result.countyChanged ? t('countyChanged', { from: result.countyChanged.from, to: result.countyChanged.to }) : t('placed', { county: result.site.properties.countyName }));
      update({ site: mode.siteId });
      setDataVersion((v) => v + 1);
    } catch (caught) {
      setError(caught);
    }
    setPending(null);
    setPlacePrecision('approximate');
    setMode({ kind: 'browse' });
  };

  const saveCore = async (name: string) => {
    if (!drawn) return;
    try {
      const saved = await unwrap(api.api.analysis.cores.$post({ json: { name, geometry: { type: 'Polygon', coordinates: [drawn] } } }));
      update({ core: saved.properties.id });
      setDataVersion((v) => v + 1);
      stopDrawing();
    } catch (caught) {
      setError(caught);
    }
  };

  const saveRoadLine = async (roadId: number, county: string) => {
    if (!drawn) return;
    try {
      await unwrap(api.api.roads[':id'].geometry.$put({ param: { id: String(roadId) }, json: { geometry: { type: 'LineString', coordinates: drawn }, county } }));
      update({ road: roadId, site: null });
      setDataVersion((v) => v + 1);
      stopDrawing();
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  const drawRoad = (road: DrawnRoad, from: [number, number][] | null) => {
    setDrawn(null);
    setMode({ kind: 'draw', road, from });
    // A redraw starts from the whole line in view, its vertices ready to drag.
    if (from) setFlyTo({ bounds: bboxOf({ coordinates: from }), top: 160 });
  };

  const stopDrawing = () => {
    setMode({ kind: 'browse' });
    setDrawn(null);
    setDrawingWithin(false);
  };

  // The pages beside the map: in the header on a desktop, at the foot of the drawer on a phone.
  const pageLinks = (
    <>
      <a href={pageHref('tasks', { lang: state.lang === 'en' ? 'en' : null })}>{t('navTasks')}</a>
      <a href={pageHref('scorecard', { asOf: state.asOf, source: state.source, lang: state.lang === 'en' ? 'en' : null })}>{t('navScorecards')}</a>
    </>
  );

  const loadError = config.error ?? counties.error ?? sites.error ?? roads.error ?? unlocated.error;

  return (
    <I18nContext.Provider value={i18n}>
      <CountyNamesContext.Provider value={countyNames}>
      <div className={`app${panelOpen ? ' panel-open' : ''}${state.panel === 'imports' ? ' panel-wide' : ''}`} lang={state.lang === 'zh' ? 'zh-CN' : 'en'}>
        <header className="topbar">
          <button type="button" className="menu" aria-label={t('panelToggle')} aria-expanded={panelOpen} onClick={() => setPanelOpen((open) => !open)}>
            ☰
          </button>
          <h1>
            {t('appTitle')} <small>{t('appSubtitle')}</small>
          </h1>
          <SearchBox asOf={state.asOf} onChoose={(result) => openSite(result.id, result.position)} />
          <span className="site-count" data-testid="site-count">
            {sites.loading ? t('loading') : t('sites', { n: shown })}
          </span>
          {user.counties.length > 0 && (
            <button type="button" className="scope-switch" data-testid="scope-switch" aria-pressed={cityWide} onClick={() => setCityWide((wide) => !wide)} title={t(cityWide ? 'scopeShowOwn' : 'scopeShowCity')}>
              {cityWide ? t('allCounties') : user.counties.map((code) => countyNames[code] ?? code).join('、')}
            </button>
          )}
          <nav className="topnav">{pageLinks}</nav>
          <button type="button" className="lang" data-testid="lang-switch" onClick={() => update({ lang: state.lang === 'zh' ? 'en' : 'zh' })}>
            {t('language')}
          </button>
          <GuardedButton className="create-site" denied={deny('writeSites')} data-testid="create-site" onClick={() => { setCreating({ picking: false, clicked: null, shown: null }); update({ site: null }); }}>
            {t('createSite')}
          </GuardedButton>
          <UserBadge />
        </header>
        {config.data?.hasDemo && state.source !== 'real' && (
          <div className="demo-banner" role="note" data-testid="demo-banner">
            {t('demoBanner')}
          </div>
        )}
        {loadError ? (
          <div className="error-banner" role="alert">
            {t('loadError', { message: describeError(loadError, state.lang) })}{' '}
            <button type="button" onClick={() => [config, counties, sites, roads, unlocated].forEach((l) => l.reload())}>
              {t('retry')}
            </button>
          </div>
        ) : null}
        <ErrorBanner error={error} onDismiss={() => setError(null)} />
        {message && (
          <div className="toast" role="status" onClick={() => setMessage(null)}>
            {message}
          </div>
        )}
        <main className="layout">
          <nav className="side" aria-label={t('layers')}>
            <div className="tabs" role="tablist">
              {(['layers', 'siege', 'relapse', 'routes', 'scorecard', ...(canImport ? (['imports'] as const) : []), ...(canReadAudit ? (['audit'] as const) : [])] as const).map((panel) => (
                <button key={panel} type="button" role="tab" aria-selected={state.panel === panel} className={state.panel === panel ? 'on' : ''} onClick={() => update({ panel })}>
                  {t(PANEL_LABELS[panel])}
                </button>
              ))}
            </div>
            {state.panel === 'siege' && (
              <SiegePanel siege={siege} core={state.core} onCore={(core) => update({ core })} onDrawCore={() => {
                  setDrawn(null);
                  setMode({ kind: 'drawCore' });
                }} cell={cell} onOpenSite={(id) => openSite(id, positions.get(id) ?? null)} />
            )}
            {state.panel === 'audit' && canReadAudit && <AuditPanel counties={countyList} onOpenSite={(id) => openSite(id, null)} />}
            {state.panel === 'relapse' && (
              <RelapsePanel
                relapse={relapse}
                countyNames={countyNames}
                townshipNames={townshipNames}
                siteCounty={(id) => siteCounties.get(id) ?? null}
                onOpenSite={(id) => openSite(id, positions.get(id) ?? null)}
                onDecided={() => setDataVersion((v) => v + 1)}
                onError={setError}
              />
            )}
            {state.panel === 'routes' && (
              <RoutePanel
                start={routeStart}
                counties={countyList}
                handPicked={handPicked}
                onHandPicked={setHandPicked}
                within={routeWithin}
                onDrawWithin={() => {
                  setDrawingWithin(true);
                  setMode({ kind: 'drawCore' });
                }}
                onClearWithin={() => setRouteWithin(null)}
                onPickStart={() => setPickingStart(true)}
                plan={shownPlan}
                savedId={routePlan ? (state.route ?? null) : state.route}
                onPlan={(plan, savedId) => {
                  setRoutePlan(plan);
                  update({ route: savedId });
                }}
                onOpenSite={(id) => openSite(id, positions.get(id) ?? null)}
                onError={setError}
                onChanged={() => setDataVersion((v) => v + 1)}
              />
            )}
            {state.panel === 'imports' && canImport && <ImportWizard onCommitted={() => setDataVersion((v) => v + 1)} onError={setError} />}
            {state.panel === 'scorecard' && (
              <ScorecardPanel
                county={state.county}
                counties={countyList}
                query={scorecardQuery}
                figure={state.figure}
                figureList={figureList.data}
                figureLoading={figureList.loading}
                onCounty={(code) => {
                  update({ figure: null });
                  pickCounty(code);
                }}
                onFigure={(figure) => update({ figure })}
                onOpenSite={openSite}
                onOpenRoad={(id) => {
                  const road = roads.data?.features.find((f) => f.properties.id === id);
                  if (road?.geometry) setFlyTo({ bounds: bboxOf(road.geometry as unknown as { coordinates: unknown }) });
                }}
              />
            )}
            {state.panel === 'layers' && (
            <>
            <LayerPanel
              state={state}
              update={(patch) => ('county' in patch ? pickCounty(patch.county ?? null) : update(patch))}
              counties={countyList}
              statusCounts={statusCounts}
              roadCounts={roadCounts}
              dateRange={config.data?.firstEventDate && config.data.lastEventDate ? { first: config.data.firstEventDate, last: config.data.lastEventDate } : null}
              basemaps={config.data?.basemaps ?? []}
              activeBasemap={basemap}
              dataVersion={dataVersion}
              map={mapController}
            />
            <UnlocatedList
              sites={(unlocated.data?.features ?? []).map((f) => ({ id: f.properties.id, name: f.properties.name, category: f.properties.category as CategoryCode, county: f.properties.county, countyName: f.properties.countyName, address: f.properties.address, source: f.properties.source }))}
              roads={(roads.data?.features ?? []).filter((f) => !f.geometry).map((f) => ({ id: f.properties.id, roadName: f.properties.roadName, county: f.properties.county, fromDesc: f.properties.fromDesc, toDesc: f.properties.toDesc }))}
              onOpen={(id) => openSite(id, null)}
              onPlace={(id) => setMode({ kind: 'place', siteId: id })}
              onDraw={(id) => {
                const road = roads.data?.features.find((f) => f.properties.id === id);
                if (road) drawRoad({ id, roadName: road.properties.roadName, county: road.properties.county }, null);
              }}
            />
            </>
            )}
            {state.panel !== 'layers' && (
              // 导出地图 from the other tabs too, so the picture can show their analysis layers.
              <details className="map-picture-elsewhere">
                <summary>{t('pictureTitle')}</summary>
                <MapPictureMenu map={mapController} state={state} countyName={state.county ? (countyNames[state.county] ?? null) : null} />
              </details>
            )}
            <div className="side-nav">
              {pageLinks}
              <UserBadge inDrawer />
            </div>
          </nav>
          <div className="map-wrap">
            <MapView
              center={state.center}
              zoom={state.zoom}
              counties={countyGeo}
              countyLabel={countyLabel}
              sites={clusterSites}
              filters={filters}
              roads={roadsShown}
              roadsVisible={state.roads}
              focusCounty={state.county}
              scope={scope}
              choropleth={choropleth}
              selected={creating ? creating.shown : state.site ? (positions.get(state.site) ?? null) : pending}
              basemap={basemap}
              lang={state.lang}
              mode={pickingStart || creating?.picking ? 'place' : mode.kind}
              drawFrom={mode.kind === 'draw' ? mode.from : null}
              undoDrawing={undoDrawing}
              route={routeLayer}
              relapse={relapseMap}
              highlight={highlight}
              siege={state.panel === 'siege' ? siege.layer : null}
              flyTo={flyTo}
              onError={setError}
              onController={setMapController}
              handlers={{
                onViewChange: (view) => update({ center: view.center, zoom: view.zoom }),
                onSiteClick: (id) => update({ site: id, road: null }),
                onRoadClick: (id) => update({ road: id, site: null }),
                onMapClick: (at) => {
                  if (pickingStart) {
                    setRouteStart(at);
                    setPickingStart(false);
                  } else if (creating?.picking) setCreating({ picking: false, clicked: at, shown: at });
                  else setPending(at);
                },
                onRoadDrawn: setDrawn,
                clusterTitle: (n) => t('clusterTitle', { n }),
                onCellClick: (clicked) => setCell(clicked),
                onCoreDrawn: (ring) => {
                  if (!drawingWithin) setDrawn(ring);
                  else if (ring) {
                    setRouteWithin(ring);
                    stopDrawing();
                  }
                },
              }}
            />
            {(sites.loading || counties.loading) && <div className="loading" role="status">{t('loading')}</div>}
            {creating?.picking && (
              <div className="mode-bar" role="status">
                {t('createPickBar')}
                <button type="button" onClick={() => setCreating((c) => c && { ...c, picking: false })}>
                  {t('cancel')}
                </button>
              </div>
            )}
            {pickingStart && (
              <div className="mode-bar" role="status">
                {t('routeStartPick')}
                <button type="button" onClick={() => setPickingStart(false)}>
                  {t('cancel')}
                </button>
              </div>
            )}
            {(mode.kind === 'draw' || mode.kind === 'drawCore') && (
              <DrawBar
                target={mode.kind === 'draw' ? { kind: 'road', road: mode.road, onSave: (county) => saveRoadLine(mode.road.id, county) } : drawingWithin ? { kind: 'within' } : { kind: 'core', onSave: saveCore }}
                shape={drawn}
                counties={countyGeo}
                onUndo={() => setUndoDrawing((n) => n + 1)}
                onCancel={stopDrawing}
              />
            )}
            {sites.data && !sites.loading && shown === 0 && <div className="empty" role="status">{t('empty')}</div>}
            {mode.kind === 'place' && (
              <div className="mode-bar" role="status">
                {t('placeClick')}
                {pending && (
                  <>
                    <span>{t('placeConfirm', { lon: pending[0].toFixed(5), lat: pending[1].toFixed(5) })}</span>
                    <PrecisionChoice value={placePrecision} onChange={setPlacePrecision} />
                    <button type="button" onClick={() => void confirmPlace()}>
                      {t('confirm')}
                    </button>
                  </>
                )}
                <button type="button" onClick={() => { setMode({ kind: 'browse' }); setPending(null); setPlacePrecision('approximate'); setDrawingWithin(false); }}>
                  {t('cancel')}
                </button>
              </div>
            )}
          </div>
          {creating && (
            <SiteCreateForm
              clicked={creating.clicked}
              picking={creating.picking}
              locate={(lon, lat) => locator.locate(lon, lat)}
              countyNames={countyNames}
              onPick={() => setCreating((c) => c && { ...c, picking: !c.picking })}
              onPosition={(at) => setCreating((c) => c && { ...c, shown: at })}
              onCancel={() => setCreating(null)}
              onCreated={(id, at) => {
                setCreating(null);
                setDataVersion((v) => v + 1);
                openSite(id, at);
              }}
            />
          )}
          {state.road && !state.site && !creating && (
            <RoadPanel
              roadId={state.road}
              reloadKey={dataVersion}
              countyNames={countyNames}
              onClose={() => update({ road: null })}
              onDraw={(road) => drawRoad({ id: road.id, roadName: road.properties.roadName, county: road.properties.county }, (road.geometry?.coordinates as [number, number][] | undefined) ?? null)}
              onChanged={() => setDataVersion((v) => v + 1)}
              onError={setError}
            />
          )}
          {state.site && !creating && (
            <SitePanel
              siteId={state.site}
              reloadKey={dataVersion}
              onClose={() => update({ site: null })}
              onPlace={(id) => setMode({ kind: 'place', siteId: id })}
              onChanged={() => setDataVersion((v) => v + 1)}
              {...(state.panel === 'routes' ? { onAddToRoute: (id: number) => setHandPicked((ids) => (ids.includes(id) ? ids : [...ids, id])), inRoute: handPicked.includes(state.site) } : {})}
            />
          )}
        </main>
      </div>
      </CountyNamesContext.Provider>
    </I18nContext.Provider>
  );
}

const PANEL_LABELS = { layers: 'panelLayers', siege: 'panelSiege', relapse: 'panelRelapse', routes: 'panelRoutes', scorecard: 'panelScorecard', imports: 'panelImports', audit: 'panelAudit' } as const;

/** 漯河市人民政府 (geodata/city-outline.geojson `seat`): the default start of a route. */
const CITY_SEAT: [number, number] = [114.02047, 33.577333];

function routeFeatures(plan: RoutePlan): FeatureCollection {
  const path: [number, number][] = [plan.start, ...plan.stops.map((s) => [s.lon, s.lat] as [number, number]), ...(plan.end ? [plan.end] : [])];
  return {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: path } },
      ...plan.stops.map((s) => ({ type: 'Feature' as const, properties: { seq: s.seq, siteId: s.siteId }, geometry: { type: 'Point' as const, coordinates: [s.lon, s.lat] } })),
    ],
  };
}

function bboxOf(geometry: { coordinates: unknown }): [number, number, number, number] {
  return bboxOfCoordinates(geometry.coordinates);
}
