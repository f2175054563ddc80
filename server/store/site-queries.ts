// Reads of sites. Features are assembled as JSON text inside SQLite, so a list of 10^5 sites
// costs one query and one string join, not 10^5 JS objects.
import type { Db } from '../db/database.ts';
import { siteFilterSql, type SiteFilters } from './site-filters.ts';

export interface Page {
  limit?: number;
  /** Return sites with id greater than this. */
  afterId?: number;
}

/**
 * A site's GeoJSON properties but its id and status, as JSON text, over the site `s` and its county
 * `c`, township `t` and village `v` (SITE_PLACES). Built as they are read: migration 022 dropped the
 * copy each site kept (006's feature_props), which cost a third of an import's writes. Names of the
 * places come from their tables, so a renamed place is named anew at once.
 */
export const SITE_PROPERTIES = /* sql */ `json_object(
    'name', s.name, 'category', s.category, 'sector', s.sector,
    'county', s.county_code, 'countyName', c.name, 'township', s.township_code, 'townshipName', t.name,
    'village', s.village_code, 'villageName', v.name, 'address', s.address, 'managingZone', s.managing_zone,
    'precision', s.precision, 'source', s.source, 'discoveredOn', s.discovered_on, 'deadline', s.deadline,
    'responsibleUnit', s.responsible_unit, 'updatedAt', s.updated_at, 'version', s.version)`;

/** The places SITE_PROPERTIES names, joined to the site `s`. */
export const SITE_PLACES = /* sql */ `LEFT JOIN counties c ON c.code = s.county_code
  LEFT JOIN townships t ON t.code = s.township_code LEFT JOIN villages v ON v.code = s.village_code`;

/** A site as GeoJSON Feature text: its properties with the id and the status (now, or on `asOf`) put in front. */
const FEATURE_JSON = /* sql */ `'{"type":"Feature","id":' || s.id || ',"geometry":' ||
  CASE WHEN s.lon IS NULL THEN 'null' ELSE '{"type":"Point","coordinates":[' || s.lon || ',' || s.lat || ']}' END ||
  ',"properties":{"id":' || s.id || ',"status":"' || f.status || '",' || substr(${SITE_PROPERTIES}, 2) || '}'`;

const FEATURE_JOINS = /* sql */ `JOIN sites s ON s.id = f.id ${SITE_PLACES}`;

export interface SitePage {
  /** Feature JSON texts, in id order. */
  features: string[];
  /** Id to continue after, when more sites pass the filters. */
  nextAfterId: number | null;
}

/** `sql` (over sites `s`, or `id` the column to page on) in id order, after `page.afterId`, at most `page.limit + extra` rows; pushes the parameters. */
function paged(sql: string, params: unknown[], page: Page, extra = 0, id = 's.id'): string {
  let paged = sql;
  if (page.afterId !== undefined) {
    paged += ` WHERE ${id} > ?`;
    params.push(page.afterId);
  }
  paged += ` ORDER BY ${id}`;
  if (page.limit !== undefined) {
    paged += ' LIMIT ?';
    params.push(page.limit + extra);
  }
  return paged;
}

export function listSiteFeatures(db: Db, filters: SiteFilters, page: Page = {}): SitePage {
  const filter = siteFilterSql(filters);
  const params = [...filter.params];
  // The page's ids are ordered and cut first, then only their Feature texts are built (CROSS JOIN: the
  // page drives the join). Ordering the Feature texts themselves built every match's JSON before the
  // LIMIT: a county's first 20 sites cost 65 ms at 10^5 sites (25,000 texts), now 1.3 ms.
  const ids = paged(`SELECT f.id AS id, f.status AS status FROM (${filter.sql}) f`, params, page, 1, 'f.id');
  const sql = `SELECT ${FEATURE_JSON} AS json, s.id AS id FROM (${ids}) f CROSS ${FEATURE_JOINS} ORDER BY s.id`;
  const rows = db.all<{ json: string; id: number }>(sql, params);
  const more = page.limit !== undefined && rows.length > page.limit;
  if (more) rows.pop();
  return { features: rows.map((row) => row.json), nextAfterId: more ? rows[rows.length - 1]!.id : null };
}

/** One site as a Feature (JSON text), in its current status; undefined when no such site. */
export function siteFeatureJson(db: Db, id: number): string | undefined {
  return db.get<{ json: string }>(`SELECT ${FEATURE_JSON} AS json FROM (SELECT id, status FROM sites WHERE id = ?) f ${FEATURE_JOINS}`, [id])?.json;
}

export interface CountRow {
  county: string;
  key: string;
  n: number;
}

/** Per-county counts of the filtered sites by status and by category (one pass over the filter). */
export function countSitesByCounty(db: Db, filters: SiteFilters): { byStatus: CountRow[]; byCategory: CountRow[] } {
  // The filter's SELECT carries county and category: without a join back to `sites`, the count reads
  // the index sites_county_counts alone (migration 020): ~10 ms at 10^5 sites, not ~0.7 s.
  const filter = siteFilterSql(filters, ['county_code', 'category'], { whole: true });
  const rows = db.all<{ county: string; status: string | null; category: string; n: number }>(
    `SELECT f.county_code AS county, f.status AS status, f.category AS category, count(*) AS n
     FROM (${filter.sql}) f GROUP BY f.county_code, f.status, f.category`,
    filter.params,
  );
  return foldCountRows(rows);
}

/** Rows of `GROUP BY county, status, category` folded into per-county counts by status and by category. */
export function foldCountRows(rows: readonly { county: string; status: string | null; category: string; n: number }[]): {
  byStatus: CountRow[];
  byCategory: CountRow[];
} {
  const fold = (key: 'status' | 'category'): CountRow[] => {
    const totals = new Map<string, CountRow>();
    for (const row of rows) {
      const id = `${row.county}\u0000${row[key]}`;
      const total = totals.get(id);
      if (total) total.n += row.n;
      else totals.set(id, { county: row.county, key: row[key] as string, n: row.n });
    }
    return [...totals.values()];
  };
  return { byStatus: fold('status'), byCategory: fold('category') };
}

export interface SiteEventRow {
  id: number;
  kind: 'status' | 'location';
  from: string | null;
  to: string;
  date: string;
  actor: string;
  note: string | null;
  checklist: Record<string, boolean> | null;
  evidence: unknown;
  details: unknown;
  createdAt: string;
}

export function siteEvents(db: Db, siteId: number): SiteEventRow[] {
  return db
    .all<Record<string, unknown>>(
      `SELECT id, kind, from_status, to_status, date, actor, note, checklist, evidence, details, created_at
       FROM site_events WHERE site_id = ? ORDER BY date, id`,
      [siteId],
    )
    .map((row) => ({
      id: row.id as number,
      kind: row.kind as SiteEventRow['kind'],
      from: row.from_status as string | null,
      to: row.to_status as string,
      date: row.date as string,
      actor: row.actor as string,
      note: row.note as string | null,
      checklist: row.checklist ? JSON.parse(row.checklist as string) : null,
      evidence: row.evidence ? JSON.parse(row.evidence as string) : null,
      details: row.details ? JSON.parse(row.details as string) : null,
      createdAt: row.created_at as string,
    }));
}

export interface TownshipPlaces {
  code: string;
  name: string;
  villages: { code: string; name: string }[];
}

/** A county's official townships with their villages, in code order. */
export function countyPlaces(db: Db, countyCode: string): TownshipPlaces[] {
  const townships = db.all<{ code: string; name: string }>('SELECT code, name FROM townships WHERE county_code = ? ORDER BY code', [countyCode]);
  const villages = db.all<{ code: string; name: string; township: string }>(
    'SELECT v.code, v.name, v.township_code AS township FROM villages v JOIN townships t ON t.code = v.township_code WHERE t.county_code = ? ORDER BY v.code',
    [countyCode],
  );
  const byTownship = new Map(townships.map((t) => [t.code, { ...t, villages: [] as { code: string; name: string }[] }]));
  for (const village of villages) byTownship.get(village.township)?.villages.push({ code: village.code, name: village.name });
  return [...byTownship.values()];
}

/** The site's own note (not in the cached feature properties: lists do not carry it). */
export function siteNote(db: Db, siteId: number): string | null {
  return db.get<{ note: string | null }>('SELECT note FROM sites WHERE id = ?', [siteId])?.note ?? null;
}

export interface InspectionRow {
  id: number;
  date: string;
  inspector: string;
  result: string;
  note: string | null;
  /** Reference of a photo under /api/photos/. */
  photo: string | null;
}

export function siteInspections(db: Db, siteId: number): InspectionRow[] {
  return db.all<InspectionRow>('SELECT id, date, inspector, result, note, photo FROM inspections WHERE site_id = ? ORDER BY date, id', [siteId]);
}

export interface LinkedTaskRow {
  number: number;
  groupNumber: number;
  problem: string;
  link: 'category' | 'manual';
}

export function siteTasks(db: Db, siteId: number): LinkedTaskRow[] {
  return db.all<LinkedTaskRow>(
    `SELECT t.number, t.group_number AS groupNumber, t.problem, min(st.link) AS link
     FROM site_tasks st JOIN tasks t ON t.number = st.task_number WHERE st.site_id = ?
     GROUP BY t.number ORDER BY t.number`,
    [siteId],
  );
}

/** A site as a ledger row for the exports: its columns with county, township and village names. */
export interface SiteRecord {
  id: number;
  name: string;
  address: string | null;
  lon: number | null;
  lat: number | null;
  countyCode: string;
  countyName: string;
  townshipName: string | null;
  villageName: string | null;
  category: string;
  /** Now, or on `asOf`. */
  status: string;
  discoveredOn: string;
  deadline: string | null;
  responsibleUnit: string | null;
  note: string | null;
  precision: string;
  source: string;
  /** Provenance (migration 013): null unless the record comes from a document. */
  sourceDocument: string | null;
  sourceTask: number | null;
  sourceQuote: string | null;
}

/**
 * Sites passing the filters (the same filter as /api/sites), in id order, as ledger rows; with a
 * page, at most `limit` of them after `afterId` (the OGC API pages this way).
 */
export function listSiteRecords(db: Db, filters: SiteFilters, page: Page = {}): SiteRecord[] {
  const { sql, params } = siteRecordsSql(filters, page);
  return db.all<SiteRecord>(sql, params);
}

function siteRecordsSql(filters: SiteFilters, page: Page = {}, orderByStatus?: readonly string[]): { sql: string; params: unknown[] } {
  const filter = siteFilterSql(filters);
  const params = [...filter.params];
  let sql = paged(
    `SELECT s.id, s.name, s.address, s.lon, s.lat, s.county_code AS countyCode, c.name AS countyName,
       t.name AS townshipName, v.name AS villageName, s.category, f.status, s.discovered_on AS discoveredOn,
       s.deadline, s.responsible_unit AS responsibleUnit, s.note, s.precision, s.source,
       s.source_document AS sourceDocument, s.source_task AS sourceTask, s.source_quote AS sourceQuote
     FROM (${filter.sql}) f JOIN sites s ON s.id = f.id JOIN counties c ON c.code = s.county_code
     LEFT JOIN townships t ON t.code = s.township_code LEFT JOIN villages v ON v.code = s.village_code`,
    params,
    page,
  );
  if (orderByStatus) {
    sql = sql.replace(/ ORDER BY s\.id$/, ` ORDER BY CASE f.status ${orderByStatus.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ? END, s.id`);
    params.push(...orderByStatus.flatMap((status, i) => [status, i]), orderByStatus.length);
  }
  return { sql, params };
}

/**
 * The same rows as listSiteRecords, one at a time (exports stream them); with `orderByStatus`, grouped
 * by status in that order (then by id), as KML's folder per status wants them.
 */
export function iterateSiteRecords(db: Db, filters: SiteFilters, orderByStatus?: readonly string[]): IterableIterator<SiteRecord> {
  const { sql, params } = siteRecordsSql(filters, {}, orderByStatus);
  return db.iterate<SiteRecord>(sql, params);
}

/** How many sites pass the filters, and per status how many of them have a position (export notes, KML folders). */
export function siteRecordCounts(db: Db, filters: SiteFilters): { total: number; locatedByStatus: Map<string, number> } {
  const filter = siteFilterSql(filters);
  const rows = db.all<{ status: string; n: number; located: number }>(
    `SELECT f.status, count(*) AS n, count(s.lon + s.lat) AS located FROM (${filter.sql}) f JOIN sites s ON s.id = f.id GROUP BY f.status`,
    filter.params,
  );
  return { total: rows.reduce((sum, row) => sum + row.n, 0), locatedByStatus: new Map(rows.map((row) => [row.status, row.located])) };
}

/** How many sites pass the filters. */
export function countSites(db: Db, filters: SiteFilters): number {
  const filter = siteFilterSql(filters);
  return db.get<{ n: number }>(`SELECT count(*) AS n FROM (${filter.sql})`, filter.params)!.n;
}

/** The county codes of the given sites (those that exist), for audit records of writes that touch them. */
export function siteCounties(db: Db, ids: readonly number[]): string[] {
  if (ids.length === 0) return [];
  return db.all<{ county_code: string }>(`SELECT county_code FROM sites WHERE id IN (${ids.map(() => '?').join(', ')})`, ids).map((row) => row.county_code);
}

/** The first and last date of the status history (null when there is none). */
export function eventDateRange(db: Db): { first: string | null; last: string | null } {
  // Two subqueries: SQLite reads a lone min() or max() off one end of the index site_events_date; both
  // in one SELECT scanned the whole index (85 ms at 10^5 sites, on every page load's /api/config).
  return db.get<{ first: string | null; last: string | null }>(
    'SELECT (SELECT min(date) FROM site_events) AS first, (SELECT max(date) FROM site_events) AS last',
  )!;
}

/** True when generated demo sites are in the database. */
export function hasDemoSites(db: Db): boolean {
  return db.get("SELECT 1 FROM sites WHERE source = 'demo' LIMIT 1") !== undefined;
}

export function countAllSites(db: Db): number {
  return db.get<{ n: number }>('SELECT count(*) AS n FROM sites')!.n;
}
