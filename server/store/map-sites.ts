// What the map's clusters are built from: every located site passing the filters, in the compact
// form the cluster index keeps, read in one transaction with the sites' data version, so an index
// is labelled with the version of exactly the rows it holds. The filter SQL is /api/counties' own
// (`siteFilterSql`), so cluster totals and county counts cannot differ.
import type { ClusterSite } from '../../domain/cluster-index.ts';
import type { StatusCode } from '../../domain/statuses.ts';
import type { Db } from '../db/database.ts';
import { dataVersion } from './data-version.ts';
import { siteFilterSql, type SiteFilters } from './site-filters.ts';

export interface MapSiteRows {
  version: number;
  sites: ClusterSite[];
}

/** `filters`: without bbox, q or located (the map reads located sites; their status is as of `asOf`). */
export function readMapSites(db: Db, filters: Omit<SiteFilters, 'bbox' | 'q' | 'located'>): MapSiteRows {
  const read = () => {
    const filter = siteFilterSql({ ...filters, located: true });
    const rows = db.all<{ id: number; lon: number; lat: number; county: string; status: StatusCode; category: string; source: 'real' | 'demo' }>(
      `SELECT s.id AS id, s.lon AS lon, s.lat AS lat, s.county_code AS county, f.status AS status, s.category AS category, s.source AS source
       FROM (${filter.sql}) f JOIN sites s ON s.id = f.id`,
      filter.params,
    );
    return { version: dataVersion(db, ['sites']), sites: rows };
  };
  // One snapshot for the version and the rows (nested inside a caller's transaction as it stands).
  return db.raw.inTransaction ? read() : db.raw.transaction(read).deferred();
}

/** The sites' data version now (what a tile URL carries). */
export const mapSitesVersion = (db: Db): number => dataVersion(db, ['sites']);
