// The export menu beside the filters: each format a download link carrying the current filters
// (GET /api/export), for the sites and for the road segments, and how many records have no position
// (they are left out of KML and Shapefile).
import { api, unwrap } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { roadFilterQuery, siteFilterQuery, type UrlState } from '../state/url-state.ts';
import { useLoad } from '../state/use-data.ts';

const FORMATS = [
  ['csv', 'CSV'],
  ['xlsx', 'XLSX'],
  ['geojson', 'GeoJSON'],
  ['kml', 'KML'],
  ['shp', 'Shapefile'],
] as const;

function href(query: Record<string, string>): string {
  const url = api.api.export.$url({ query: query as { format: 'csv' } });
  return `${url.pathname}${url.search}`;
}

export function ExportMenu({ state, dataVersion }: { state: UrlState; dataVersion: number }) {
  const { t } = useI18n();
  const sites = siteFilterQuery(state);
  const roads = roadFilterQuery(state);
  const noStatus = state.statuses.length === 0;
  const unlocated = useLoad(`export-unlocated:${JSON.stringify(sites)}:${dataVersion}`, () =>
    noStatus ? Promise.resolve(0) : unwrap(api.api.sites.$get({ query: { ...sites, located: 'false' } })).then((c) => c.features.length),
  );
  const undrawn = useLoad(`export-undrawn:${JSON.stringify(roads)}:${dataVersion}`, () =>
    unwrap(api.api.roads.$get({ query: { ...roads, drawn: 'false' } })).then((c) => c.features.length),
  );
  const links = (layer: 'sites' | 'roads', query: Record<string, string>) => (
    <span className="export-links" data-layer={layer}>
      {FORMATS.map(([format, label]) => (
        <a key={format} className="chip" data-format={format} href={href({ format, ...(layer === 'roads' ? { layer } : {}), ...query })} download>
          {label}
        </a>
      ))}
    </span>
  );
  return (
    <section className="export-menu" aria-label={t('exportTitle')}>
      <h2>{t('exportTitle')}</h2>
      <p className="legend-note">{t('exportHint')}</p>
      <h3>{t('exportSites')}</h3>
      {noStatus ? <p className="legend-note">{t('exportNoStatus')}</p> : links('sites', sites)}
      {!noStatus && !!unlocated.data && <p className="legend-note export-omitted">{t('exportUnlocated', { n: unlocated.data })}</p>}
      <h3>{t('exportRoads')}</h3>
      {links('roads', roads)}
      {!!undrawn.data && <p className="legend-note export-omitted">{t('exportUndrawn', { n: undrawn.data })}</p>}
    </section>
  );
}
