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

/** Rows read between two calls of a `pause` (a few ms at 10^5 sites). */
const ROWS_PER_SLICE = 1024;

/**
 * `filters`: without bbox, q or located (the map reads located sites; their status is as of `asOf`).
 * `pause`, when given, is called every ROWS_PER_SLICE rows (the start-up warm-up gives way there: db/give-way.ts).
 */
export function readMapSites(db: Db, filters: Omit<SiteFilters, 'bbox' | 'q' | 'located'>, pause?: () => void): MapSiteRows {
  const read = () => {
    const filter = siteFilterSql({ ...filters, located: true });
    type Row = { id: number; lon: number; lat: number; county: string; status: StatusCode; category: string; source: 'real' | 'demo' };
    const sql = `SELECT s.id AS id, s.lon AS lon, s.lat AS lat, s.county_code AS county, f.status AS status, s.category AS category, s.source AS source
       FROM (${filter.sql}) f JOIN sites s ON s.id = f.id`;
    let rows: Row[];
    if (!pause) rows = db.all<Row>(sql, filter.params);
    else {
      rows = [];
      for (const row of db.iterate<Row>(sql, filter.params)) if (rows.push(row) % ROWS_PER_SLICE === 0) pause();
    }
    // One string per county, status, category and source (the driver makes a new one per row: ~100 bytes a site at 10^6).
    const strings = new Map<string, string>();
    const one = <T extends string>(text: T): T => {
      const kept = strings.get(text);
      if (kept !== undefined) return kept as T;
      strings.set(text, text);
      return text;
    };
    for (const row of rows) {
      row.county = one(row.county);
      row.status = one(row.status);
      row.category = one(row.category);
      row.source = one(row.source);
    }
    return { version: dataVersion(db, ['sites']), sites: rows };
  };
  // One snapshot for the version and the rows (nested inside a caller's transaction as it stands).
  return db.readTogether(read);
}

/** The sites' data version now (what a tile URL carries). */
export const mapSitesVersion = (db: Db): number => dataVersion(db, ['sites']);

/** Located sites passing the filters, per county and status (the filter SQL of /api/counties), with the version they are of. */
export interface MapCountRows {
  version: number;
  /** `lon`, `lat`: the sums of the sites' positions (a county's cluster is drawn at their mean). */
  rows: { county: string; status: StatusCode; n: number; lon: number; lat: number }[];
}

/**
 * One GROUP BY instead of every site's row: what the legend's numbers and the county clusters of the
 * city's zooms need. `exclude`/`only`: site ids left out / the only ones counted (the map draws them apart).
 */
export function readMapCounts(
  db: Db,
  filters: Omit<SiteFilters, 'bbox' | 'q' | 'located'>,
  ids: { exclude?: readonly number[]; only?: readonly number[] } = {},
): MapCountRows {
  const read = () => {
    // County and position come with the filter's own SELECT: the count reads the index
    // sites_county_counts alone (migration 020), not every site's row (~25 ms at 10^5, was ~0.3 s).
    const filter = siteFilterSql({ ...filters, located: true }, ['county_code', 'lon', 'lat'], { whole: true });
    const where: string[] = [];
    const params = [...filter.params];
    if (ids.exclude?.length) {
      where.push(`f.id NOT IN (${ids.exclude.map(() => '?').join(', ')})`);
      params.push(...ids.exclude);
    }
    if (ids.only) {
      where.push(`f.id IN (${ids.only.map(() => '?').join(', ')})`);
      params.push(...ids.only);
    }
    const rows = db.all<MapCountRows['rows'][number]>(
      `SELECT f.county_code AS county, f.status AS status, count(*) AS n, sum(f.lon) AS lon, sum(f.lat) AS lat FROM (${filter.sql}) f
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY f.county_code, f.status`,
      params,
    );
    return { version: dataVersion(db, ['sites']), rows };
  };
  return db.readTogether(read);
}

/**
 * The counties of the sites, in code order (the order a whole read of the map's rows gives them:
 * sites_county_counts leads with county_code). One index seek per county, not a scan.
 */
export function readMapCountyCodes(db: Db): string[] {
  return db
    .all<{ code: string }>(
      `WITH RECURSIVE c(code) AS (SELECT min(county_code) FROM sites
         UNION ALL SELECT (SELECT min(county_code) FROM sites WHERE county_code > c.code) FROM c WHERE c.code IS NOT NULL)
       SELECT code FROM c WHERE code IS NOT NULL`,
    )
    .map((row) => row.code);
}

/** Each county's located sites' [west, south, east, north] under no filter (what any filter's sites lie within), with the version. */
export function readCountyExtents(db: Db): { version: number; extents: Map<string, [number, number, number, number]> } {
  return db.readTogether(() => {
    // A scan of the covering index sites_county_counts (~0.2 s at 10^6 sites).
    const rows = db.all<{ county: string; w: number; s: number; e: number; n: number }>(
      'SELECT county_code AS county, min(lon) AS w, min(lat) AS s, max(lon) AS e, max(lat) AS n FROM sites WHERE lon IS NOT NULL GROUP BY county_code',
    );
    return { version: dataVersion(db, ['sites']), extents: new Map(rows.map((row) => [row.county, [row.w, row.s, row.e, row.n]])) };
  });
}
