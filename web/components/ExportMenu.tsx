// The export menu beside the filters: each format a download link carrying the current filters
// (GET /api/export), for the sites and for the road segments, and how many records have no position
// (they are left out of KML and Shapefile); the coordinate system the files are labelled in (WGS84 or
// CGCS2000), the OGC API address for QGIS/ArcGIS Pro, and 导出地图 (the view as PNG/PDF).
import { useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { roadFilterQuery, siteFilterQuery, type UrlState } from '../state/url-state.ts';
import { exportHref as href } from '../state/exports.ts';
import { useUndrawnCount } from '../state/roads.ts';
import { useUnlocatedCount } from '../state/sites.ts';
import type { MapController } from '../map/map-controller.ts';
import { MapPictureMenu } from './MapPictureMenu.tsx';

const FORMATS = [
  ['csv', 'CSV'],
  ['xlsx', 'XLSX'],
  ['geojson', 'GeoJSON'],
  ['kml', 'KML'],
  ['shp', 'Shapefile'],
  ['gpkg', 'GeoPackage'],
] as const;

export function ExportMenu({ state, map = null, countyName = null }: { state: UrlState; map?: MapController | null; countyName?: string | null }) {
  const { t } = useI18n();
  const [crs, setCrs] = useState<'wgs84' | 'cgcs2000'>('wgs84');
  const sites = siteFilterQuery(state);
  const roads = roadFilterQuery(state);
  const noStatus = state.statuses.length === 0;
  const unlocated = useUnlocatedCount(sites, !noStatus);
  const undrawn = useUndrawnCount(roads);
  const links = (layer: 'sites' | 'roads', query: Record<string, string>) => (
    <span className="export-links" data-layer={layer}>
      {FORMATS.map(([format, label]) => (
        <a
          key={format}
          className="chip"
          data-format={format}
          href={href({ format, ...(layer === 'roads' ? { layer } : {}), ...query, ...(crs === 'wgs84' ? {} : { crs }) })}
          download
        >
          {label}
        </a>
      ))}
    </span>
  );
  return (
    <section className="export-menu" aria-label={t('exportTitle')}>
      <h2>{t('exportTitle')}</h2>
      <p className="legend-note">{t('exportHint')}</p>
      <label className="field">
        {t('exportCrs')}
        <select value={crs} onChange={(e) => setCrs(e.target.value as typeof crs)}>
          <option value="wgs84">{t('exportCrsWgs84')}</option>
          <option value="cgcs2000">{t('exportCrsCgcs2000')}</option>
        </select>
      </label>
      {crs === 'cgcs2000' && <p className="legend-note">{t('exportCrsNote')}</p>}
      <h3>{t('exportSites')}</h3>
      {noStatus ? <p className="legend-note">{t('exportNoStatus')}</p> : links('sites', sites)}
      {!noStatus && !!unlocated.data && <p className="legend-note export-omitted">{t('exportUnlocated', { n: unlocated.data })}</p>}
      <h3>{t('exportRoads')}</h3>
      {links('roads', roads)}
      {!!undrawn.data && <p className="legend-note export-omitted">{t('exportUndrawn', { n: undrawn.data })}</p>}
      <p className="legend-note">{t('exportGpkgNote')}</p>
      <p className="legend-note">
        {t('exportOgc')} <code className="ogc-url">{`${window.location.origin}/api/ogc`}</code>
      </p>
      <MapPictureMenu map={map} state={state} countyName={countyName} />
    </section>
  );
}
