// The filters shared by /api/sites and /api/counties, turned into one SQL fragment so that a list
// and its per-county counts always agree.
import type { CategoryCode } from '../../domain/categories.ts';
import { VOIDED, type RecordSource, type StatusCode } from '../../domain/statuses.ts';

export interface SiteFilters {
  bbox?: readonly [number, number, number, number];
  counties?: readonly string[];
  categories?: readonly CategoryCode[];
  statuses?: readonly StatusCode[];
  /** Substring of name or address. */
  q?: string;
  /** Status as of this date (YYYY-MM-DD); sites discovered later are left out. */
  asOf?: string;
  source?: RecordSource;
  located?: boolean;
}

export interface FilterSql {
  /** A SELECT yielding (id, status, and the `columns` asked for) of every site that passes, status taken as of `asOf`. */
  sql: string;
  params: unknown[];
}

const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/** Escapes % _ and \ for LIKE … ESCAPE '\'. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (m) => `\\${m}`);

/** Columns of `sites` a filter's SELECT can carry beside id and status, so its reader need not join `sites` again. */
export type FilterColumn = 'county_code' | 'category' | 'lon' | 'lat';

/**
 * Builds `SELECT s.id, <status> AS status[, s.<column>…] FROM sites s … WHERE …` for the filters.
 * The status filter applies to the status on `asOf` when given, so it wraps the base query.
 */
export function siteFilterSql(filters: SiteFilters, columns: readonly FilterColumn[] = [], options: { whole?: boolean } = {}): FilterSql {
  const where: string[] = [];
  const params: unknown[] = [];
  let from = 'sites s';
  let statusExpr = 's.status';
  const statusParams: unknown[] = [];

  if (filters.bbox) {
    from += ' JOIN sites_rtree r ON r.id = s.id AND r.min_lon >= ? AND r.max_lon <= ? AND r.min_lat >= ? AND r.max_lat <= ?';
    const [minLon, minLat, maxLon, maxLat] = filters.bbox;
    params.push(minLon, maxLon, minLat, maxLat);
  }
  if (filters.asOf) {
    statusExpr = '(SELECT e.to_status FROM site_events e WHERE e.site_id = s.id AND e.date <= ? ORDER BY e.date DESC, e.id DESC LIMIT 1)';
    statusParams.push(filters.asOf);
    where.push('s.discovered_on <= ?');
    params.push(filters.asOf);
  }
  if (filters.counties?.length) {
    where.push(`s.county_code IN (${placeholders(filters.counties)})`);
    params.push(...filters.counties);
  }
  if (filters.categories?.length) {
    // A whole read of today's statuses is a scan of the covering index sites_county_counts; `+` keeps
    // SQLite from choosing sites_category and a table lookup per site instead (~10 ms against ~50–220 ms at 10^5).
    where.push(`${options.whole && !filters.asOf ? '+' : ''}s.category IN (${placeholders(filters.categories)})`);
    params.push(...filters.categories);
  }
  if (filters.source) {
    where.push('s.source = ?');
    params.push(filters.source);
  }
  // Voided sites (entered by mistake) are in no list or figure unless asked for by status.
  if (!filters.statuses?.includes(VOIDED)) where.push(`s.status <> '${VOIDED}'`);
  if (filters.located !== undefined) where.push(filters.located ? 's.lon IS NOT NULL' : 's.lon IS NULL');
  if (filters.q) {
    where.push("(s.name LIKE ? ESCAPE '\\' OR s.address LIKE ? ESCAPE '\\')");
    const pattern = `%${likeEscape(filters.q)}%`;
    params.push(pattern, pattern);
  }

  const extra = columns.map((column) => `, s.${column} AS ${column}`).join('');
  let sql = `SELECT s.id AS id, ${statusExpr} AS status${extra} FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  // A caller that reads every passing row (a count) asks for the SELECT `whole`: LIMIT -1 keeps SQLite
  // from flattening it into the caller's query, which evaluated the as-of status subquery once per use
  // of `status` (output, GROUP BY, the status filter): 3× the lookups. Not for a page of a list, where
  // flattening lets the page's ORDER BY … LIMIT stop early.
  if (options.whole && filters.asOf) sql += ' LIMIT -1';
  let allParams = [...statusParams, ...params];
  if (filters.statuses?.length) {
    sql = `SELECT id, status${columns.map((column) => `, ${column}`).join('')} FROM (${sql}) WHERE status IN (${placeholders(filters.statuses)})`;
    allParams = [...allParams, ...filters.statuses];
  }
  return { sql, params: allParams };
}
