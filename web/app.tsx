// The page: header, side panel, map, detail panel. State lives in the URL; server data comes from the
// query hooks in web/state/; each part of the page keeps its own state in a hook in web/page/.
import { useCallback, useMemo, useState } from 'react';
import { I18nContext, translate } from './i18n/i18n.tsx';
import { countyLabel as countyName } from './i18n/code-labels.ts';
import type { MessageKey } from './i18n/zh.ts';
import type { CountyFeatureCollection, MapController } from './map/map-controller.ts';
import { MapView } from './components/MapView.tsx';
import type { SelectedCell } from './components/SiegePanel.tsx';
import { relapseLayer, useRelapse } from './components/RelapsePanel.tsx';
import { useSiege } from './state/use-siege.ts';
import { useTileQuery } from './page/use-tile-query.ts';
import { useUrlState } from './state/use-url-state.ts';
import { CountyNamesContext, useSession } from './state/session.tsx';
import { Banners } from './page/Banners.tsx';
import { DetailPanels } from './page/DetailPanels.tsx';
import { ModeBars } from './page/ModeBars.tsx';
import { SidePanel } from './page/SidePanel.tsx';
import { TopBar, type HeaderActionsProps } from './page/TopBar.tsx';
import { useDrawing } from './page/use-drawing.ts';
import { useMapData } from './page/use-map-data.ts';
import { useRoutePlanning } from './page/use-route-planning.ts';
import { useSelection } from './page/use-selection.ts';
import { useSiteCreation } from './page/use-site-creation.ts';

export function App() {
  const [state, update] = useUrlState();
  const i18n = useMemo(
    () => ({ lang: state.lang, t: (key: MessageKey, params?: Record<string, string | number>) => translate(state.lang, key, params) }),
    [state.lang],
  );
  const { t } = i18n;
  const { user } = useSession();
  const [panelOpen, setPanelOpen] = useState(() => window.innerWidth > 760);
  const [cell, setCell] = useState<SelectedCell | null>(null);
  const [mapController, setMapController] = useState<MapController | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  // County officials and inspectors see their own counties by default (counts, legend, relapses;
  // markers elsewhere dimmed); the switch in the header shows the whole city.
  const [cityWide, setCityWide] = useState(false);
  const scope = useMemo(() => (user.counties.length && !cityWide ? [...user.counties] : null), [user.counties, cityWide]);

  const data = useMapData(state, scope);
  const selection = useSelection(state, update, data, user.counties);
  const drawing = useDrawing({ update, setFlyTo: selection.setFlyTo, setError, setMessage, t });
  const route = useRoutePlanning(state, update);
  const creating = useSiteCreation();
  const relapse = useRelapse(state.panel === 'relapse', state.asOf, scope);
  const relapseMap = useMemo(() => (state.panel === 'relapse' ? relapseLayer(relapse.result.data) : null), [state.panel, relapse.result.data]);
  const siege = useSiege(state.panel === 'siege', state.core, state.asOf);
  const { mode, pending } = drawing;
  const { sites, counties } = data;

  const countyLabel = useCallback(
    (feature: CountyFeatureCollection['features'][number]) => countyName(feature.properties.code, feature.properties.name, state.lang),
    [state.lang],
  );
  const tileQuery = useTileQuery(state, selection.highlighted, state.panel === 'siege' && siege.layer ? siege.layer.counted : null, t, setMessage);
  const form = creating.form;
  const actions: HeaderActionsProps = {
    cityWide,
    onCityWide: () => setCityWide((wide) => !wide),
    countyNames: data.countyNames,
    onLanguage: () => update({ lang: state.lang === 'zh' ? 'en' : 'zh' }),
    onCreate: () => {
      creating.open();
      update({ site: null });
    },
  };

  return (
    <I18nContext.Provider value={i18n}>
      <CountyNamesContext.Provider value={data.countyNames}>
        <div className={`app${panelOpen ? ' panel-open' : ''}${state.panel === 'imports' ? ' panel-wide' : ''}`} lang={state.lang === 'zh' ? 'zh-CN' : 'en'}>
          <TopBar
            state={state}
            panelOpen={panelOpen}
            onTogglePanel={() => setPanelOpen((open) => !open)}
            loading={sites.loading}
            shown={data.shown}
            onOpenSite={selection.openSite}
            actions={actions}
          />
          <Banners
            demo={Boolean(data.config.data?.hasDemo) && state.source !== 'real'}
            loadError={data.loadError}
            onRetry={data.reload}
            error={error}
            onError={setError}
            message={message}
            onMessage={setMessage}
          />
          <main className="layout">
            <SidePanel
              state={state}
              update={update}
              data={data}
              selection={selection}
              drawing={drawing}
              route={route}
              relapse={relapse}
              siege={siege}
              cell={cell}
              map={mapController}
              onError={setError}
              actions={actions}
            />
            <div className="map-wrap">
              <MapView
                center={state.center}
                zoom={state.zoom}
                counties={data.countyGeo}
                countyLabel={countyLabel}
                version={sites.data?.version ?? null}
                tileQuery={tileQuery}
                roads={data.roadsShown}
                roadsVisible={state.roads}
                focusCounty={state.county}
                scope={scope}
                choropleth={data.choropleth}
                selected={form ? form.shown : state.site ? data.selectedSite.position : pending}
                basemap={data.basemap}
                lang={state.lang}
                mode={route.pickingStart || form?.picking ? 'place' : mode.kind}
                drawFrom={mode.kind === 'draw' ? mode.from : null}
                undoDrawing={drawing.undoDrawing}
                route={route.layer}
                relapse={relapseMap}
                highlight={selection.highlight}
                siege={state.panel === 'siege' ? siege.layer : null}
                flyTo={selection.flyTo}
                onError={setError}
                onController={setMapController}
                handlers={{
                  onViewChange: (view) => update({ center: view.center, zoom: view.zoom }),
                  onSiteClick: (id) => update({ site: id, road: null }),
                  onRoadClick: (id) => update({ road: id, site: null }),
                  onMapClick: (at) => {
                    if (route.pickingStart) route.pickStart(at);
                    else if (form?.picking) creating.clickAt(at);
                    else drawing.setPending(at);
                  },
                  onRoadDrawn: drawing.setDrawn,
                  clusterTitle: (n) => t('clusterTitle', { n }),
                  onCellClick: (clicked) => setCell(clicked),
                  onDrawingUnavailable: () => setMessage(t('drawingUnavailable')),
                  onCoreDrawn: (ring) => {
                    if (!drawing.drawingWithin) drawing.setDrawn(ring);
                    else if (ring) {
                      route.setWithin(ring);
                      drawing.stopDrawing();
                    }
                  },
                }}
              />
              {(sites.loading || counties.loading) && (
                <div className="loading" role="status">
                  {t('loading')}
                </div>
              )}
              <ModeBars
                drawing={drawing}
                pickingCreate={Boolean(form?.picking)}
                onCancelCreatePick={creating.stopPicking}
                pickingStart={route.pickingStart}
                onCancelStartPick={() => route.setPickingStart(false)}
                counties={data.countyGeo}
              />
              {sites.data && !sites.loading && data.shown === 0 && (
                <div className="empty" role="status">
                  {t('empty')}
                </div>
              )}
            </div>
            <DetailPanels
              state={state}
              update={update}
              creating={creating}
              data={data}
              selection={selection}
              drawing={drawing}
              route={route}
              onError={setError}
            />
          </main>
        </div>
      </CountyNamesContext.Provider>
    </I18nContext.Provider>
  );
}
