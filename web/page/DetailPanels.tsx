// The panel on the right (a sheet on a phone): 新增点位's form, a road segment's detail or a site's.
import { useI18n } from '../i18n/i18n.tsx';
import { LazyPart, lazyPart } from './LazyPart.tsx';
import type { UrlState } from '../state/url-state.ts';
import type { Creating } from './use-site-creation.ts';
import type { Drawing } from './use-drawing.ts';
import type { MapData } from './use-map-data.ts';
import type { RoutePlanning } from './use-route-planning.ts';
import type { Selection } from './use-selection.ts';

export interface DetailPanelsProps {
  state: UrlState;
  update: (patch: Partial<UrlState>) => void;
  creating: Creating;
  data: MapData;
  selection: Selection;
  drawing: Drawing;
  route: RoutePlanning;
  onError: (error: unknown) => void;
}

// Not on the first view: each loads when first opened (web/page/LazyPart.tsx).
const RoadPanel = lazyPart(() => import('../components/RoadPanel.tsx'), 'RoadPanel');
const SiteCreateForm = lazyPart(() => import('../components/SiteCreateForm.tsx'), 'SiteCreateForm');
const SitePanel = lazyPart(() => import('../components/SitePanel.tsx'), 'SitePanel');

export function DetailPanels(props: DetailPanelsProps) {
  const { t } = useI18n();
  return (
    <LazyPart
      frame={(content) => (
        <aside className="detail" aria-label={t('detail')}>
          {content}
        </aside>
      )}
    >
      <DetailPanel {...props} />
    </LazyPart>
  );
}

function DetailPanel({ state, update, creating, data, selection, drawing, route, onError }: DetailPanelsProps) {
  const form = creating.form;
  if (form)
    return (
      <SiteCreateForm
        clicked={form.clicked}
        picking={form.picking}
        locate={(lon, lat) => data.locator.locate(lon, lat)}
        countyNames={data.countyNames}
        onPick={creating.togglePick}
        onPosition={creating.show}
        onCancel={creating.close}
        onCreated={(id, at) => {
          creating.close();
          selection.openSite(id, at);
        }}
      />
    );
  if (state.site)
    return (
      <SitePanel
        siteId={state.site}
        onClose={() => update({ site: null })}
        onPlace={(id) => drawing.setMode({ kind: 'place', siteId: id })}
        {...(state.panel === 'routes'
          ? {
              onAddToRoute: route.addToRoute,
              inRoute: route.handPicked.includes(state.site) || (route.shownPlan?.stops.some((stop) => stop.siteId === state.site) ?? false),
            }
          : {})}
      />
    );
  if (state.road)
    return (
      <RoadPanel
        roadId={state.road}
        countyNames={data.countyNames}
        onClose={() => update({ road: null })}
        onDraw={(road) =>
          drawing.drawRoad(
            { id: road.id, roadName: road.properties.roadName, county: road.properties.county },
            (road.geometry?.coordinates as [number, number][] | undefined) ?? null,
          )
        }
        onError={onError}
      />
    );
  return null;
}
