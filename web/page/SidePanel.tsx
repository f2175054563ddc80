// The side panel (a drawer on a phone): the tab chosen and its content — layers and filters with the
// unlocated list, the siege and relapse analyses, route planning, scorecards, imports, the audit
// trail — then 导出地图 from the other tabs, and the page links for phones.
import type { CategoryCode } from '../../domain/categories.ts';
import { LayerPanel } from '../components/LayerPanel.tsx';
import { MapPictureMenu } from '../components/MapPictureMenu.tsx';
import { RelapsePanel, type useRelapse } from '../components/RelapsePanel.tsx';
import type { SelectedCell } from '../components/SiegePanel.tsx';
import { UnlocatedList } from '../components/UnlocatedList.tsx';
import { UserBadge } from '../components/UserBadge.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MapController } from '../map/map-controller.ts';
import type { UrlState } from '../state/url-state.ts';
import type { useSiege } from '../state/use-siege.ts';
import { PanelTabs, usePanelRights } from './PanelTabs.tsx';
import { HeaderActions, PageLinks, type HeaderActionsProps } from './TopBar.tsx';
import type { Drawing } from './use-drawing.ts';
import type { MapData } from './use-map-data.ts';
import type { RoutePlanning } from './use-route-planning.ts';
import type { Selection } from './use-selection.ts';
import { useRelapsePlaces } from './use-relapse-places.ts';
import { LazyPart, lazyPart } from './LazyPart.tsx';

// The first view shows the layer panel; the other tabs load on first use, out of the first bundle.
const ImportWizard = lazyPart(() => import('../components/ImportWizard.tsx'), 'ImportWizard');
const ScorecardPanel = lazyPart(() => import('../components/ScorecardPanel.tsx'), 'ScorecardPanel');
const AuditPanel = lazyPart(() => import('../components/AuditPanel.tsx'), 'AuditPanel');
const RoutePanel = lazyPart(() => import('../components/RoutePanel.tsx'), 'RoutePanel');
const SiegePanel = lazyPart(() => import('../components/SiegePanel.tsx'), 'SiegePanel');

export interface SidePanelProps {
  state: UrlState;
  update: (patch: Partial<UrlState>) => void;
  data: MapData;
  selection: Selection;
  drawing: Drawing;
  route: RoutePlanning;
  relapse: ReturnType<typeof useRelapse>;
  siege: ReturnType<typeof useSiege>;
  cell: SelectedCell | null;
  map: MapController | null;
  onError: (error: unknown) => void;
  /** The header's actions, repeated at the foot of the drawer for phones. */
  actions: HeaderActionsProps;
}

export function SidePanel({ state, update, data, selection, drawing, route, relapse, siege, cell, map, onError, actions }: SidePanelProps) {
  const { t } = useI18n();
  const { canImport, canReadAudit } = usePanelRights();
  const { countyList, countyNames, roads } = data;
  const { openListed, openSite, pickCounty } = selection;
  const relapsePlaces = useRelapsePlaces(relapse, data.locator, state.panel === 'relapse');
  const drawRoadOf = (id: number) => {
    const road = roads.data?.features.find((f) => f.properties.id === id);
    if (road) drawing.drawRoad({ id, roadName: road.properties.roadName, county: road.properties.county }, null);
  };
  return (
    <nav className="side" aria-label={t('layers')}>
      <PanelTabs panel={state.panel} onPanel={(panel) => update({ panel })} />
      <LazyPart>
        {state.panel === 'siege' && (
          <SiegePanel
            siege={siege}
            core={state.core}
            onCore={(core) => update({ core })}
            onDrawCore={() => drawing.drawCore(false)}
            cell={cell}
            onOpenSite={openListed}
          />
        )}
        {state.panel === 'audit' && canReadAudit && <AuditPanel counties={countyList} onOpenSite={(id) => openSite(id, null)} />}
      </LazyPart>
      {state.panel === 'relapse' && (
        <RelapsePanel
          relapse={relapse}
          countyNames={countyNames}
          townshipNames={relapsePlaces.townshipNames}
          siteCounty={relapsePlaces.siteCounty}
          onOpenSite={openListed}
          onError={onError}
        />
      )}
      <LazyPart>
        {state.panel === 'routes' && (
          <RoutePanel
            start={route.start}
            counties={countyList}
            handPicked={route.handPicked}
            onHandPicked={route.setHandPicked}
            within={route.within}
            onDrawWithin={() => drawing.drawCore(true)}
            onClearWithin={() => route.setWithin(null)}
            onPickStart={() => route.setPickingStart(true)}
            plan={route.shownPlan}
            savedId={route.savedId}
            recordedOnRoute={route.recordedOnRoute}
            onPlan={route.onPlan}
            onOpenSite={openListed}
            onError={onError}
          />
        )}
        {state.panel === 'imports' && canImport && <ImportWizard onError={onError} />}
        {state.panel === 'scorecard' && (
          <ScorecardPanel
            county={state.county}
            counties={countyList}
            query={selection.scorecardQuery}
            figure={state.figure}
            figureList={selection.figureList.data}
            figureLoading={selection.figureList.loading}
            onCounty={(code) => {
              update({ figure: null });
              pickCounty(code);
            }}
            onFigure={(figure) => update({ figure })}
            onOpenSite={openSite}
            onOpenRoad={selection.showRoad}
          />
        )}
      </LazyPart>
      {state.panel === 'layers' && (
        <>
          <LayerPanel
            state={state}
            update={(patch) => ('county' in patch ? pickCounty(patch.county ?? null) : update(patch))}
            counties={countyList}
            statusCounts={data.statusCounts}
            countsStale={data.sites.stale}
            roadCounts={data.roadCounts}
            dateRange={
              data.config.data?.firstEventDate && data.config.data.lastEventDate
                ? { first: data.config.data.firstEventDate, last: data.config.data.lastEventDate }
                : null
            }
            basemaps={data.config.data?.basemaps ?? []}
            activeBasemap={data.basemap}
            map={map}
          />
          <UnlocatedList
            sites={(data.unlocated.data?.features ?? []).map((f) => ({
              id: f.properties.id,
              name: f.properties.name,
              category: f.properties.category as CategoryCode,
              county: f.properties.county,
              countyName: f.properties.countyName,
              address: f.properties.address,
              source: f.properties.source,
            }))}
            page={data.unlocated.page}
            roads={(roads.data?.features ?? [])
              .filter((f) => !f.geometry)
              .map((f) => ({
                id: f.properties.id,
                roadName: f.properties.roadName,
                county: f.properties.county,
                fromDesc: f.properties.fromDesc,
                toDesc: f.properties.toDesc,
              }))}
            onOpen={(id) => openSite(id, null)}
            onPlace={(id) => drawing.setMode({ kind: 'place', siteId: id })}
            onDraw={drawRoadOf}
          />
        </>
      )}
      {state.panel !== 'layers' && (
        // 导出地图 from the other tabs too, so the picture can show their analysis layers.
        <details className="map-picture-elsewhere">
          <summary>{t('pictureTitle')}</summary>
          <MapPictureMenu map={map} state={state} countyName={state.county ? (countyNames[state.county] ?? null) : null} />
        </details>
      )}
      <div className="side-nav">
        <HeaderActions actions={actions} inDrawer />
        <PageLinks state={state} />
        <UserBadge inDrawer />
      </div>
    </nav>
  );
}
