// County scorecards: what each county official answers for, as of a date. Plain SQL over the
// status history, so every figure can be checked against /api/sites with the same filters.
import type { Db } from '../db/database.ts';
import { OPEN_STATUSES } from '../../domain/statuses.ts';


export interface Scorecard {
  county: string;
  countyName: string;
  asOf: string;
  /** Sites discovered by asOf, by status (on asOf) and by category. */
  sites: number;
  byStatus: Record<string, number>;
  byCategory: Record<string, number>;
  /** 动态清零: found, still open, dealt with (closed/upgraded/relocated), verified. */
  zeroing: { found: number; open: number; dealtWith: number; verified: number; shareDealtWith: number | null };
  relapses: number;
  /** Open sites whose deadline is before asOf. */
  overdue: { id: number; name: string; deadline: string; status: string }[];
  roadsAwaitingRepair: number;
  /** Located sites not inspected in `staleDays` days before asOf (or never), among closed/upgraded/relocated/verified ones. */
  notInspected: number;
  staleDays: number;
  unlocated: number;
  /** Per month (YYYY-MM): sites discovered, closures, relapses. */
  trend: { month: string; discovered: number; closed: number; relapsed: number }[];
}

const STATUS_ON = /* sql */ `(SELECT e.to_status FROM site_events e WHERE e.site_id = s.id AND e.date <= :asOf ORDER BY e.date DESC, e.id DESC LIMIT 1)`;

export function scorecard(db: Db, county: string, asOf: string, staleDays = 90): Scorecard {
  const countyName = db.get<{ name: string }>('SELECT name FROM counties WHERE code = ?', [county])!.name;
  const params = { county, asOf, since: new Date(Date.parse(`${asOf}T00:00:00Z`) - staleDays * 86_400_000).toISOString().slice(0, 10) };
  const rows = db.all<{ id: number; name: string; category: string; status: string; deadline: string | null; lon: number | null; lastInspection: string | null }>(
    `SELECT s.id, s.name, s.category, ${STATUS_ON} AS status, s.deadline, s.lon,
       (SELECT max(date) FROM inspections i WHERE i.site_id = s.id AND i.date <= :asOf) AS lastInspection
     FROM sites s WHERE s.county_code = :county AND s.discovered_on <= :asOf ORDER BY s.id`,
    params,
  );
  const byStatus: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  for (const row of rows) {
    byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    byCategory[row.category] = (byCategory[row.category] ?? 0) + 1;
  }
  const open = new Set<string>(OPEN_STATUSES);
  const count = (statuses: string[]) => statuses.reduce((n, s) => n + (byStatus[s] ?? 0), 0);
  const dealtWith = count(['closed', 'upgraded', 'relocated', 'verified']);
  const relapses = db.get<{ n: number }>(
    `SELECT count(*) AS n FROM site_events e JOIN sites s ON s.id = e.site_id WHERE s.county_code = :county AND e.to_status = 'relapsed' AND e.kind = 'status' AND e.date <= :asOf`,
    params,
  )!.n;
  const trend = db.all<{ month: string; discovered: number; closed: number; relapsed: number }>(
    `SELECT substr(e.date, 1, 7) AS month,
       sum(e.from_status IS NULL) AS discovered,
       sum(e.to_status = 'closed') AS closed,
       sum(e.to_status = 'relapsed') AS relapsed
     FROM site_events e JOIN sites s ON s.id = e.site_id
     WHERE s.county_code = :county AND e.kind = 'status' AND e.date <= :asOf
     GROUP BY month ORDER BY month`,
    params,
  );
  return {
    county,
    countyName,
    asOf,
    sites: rows.length,
    byStatus,
    byCategory,
    zeroing: { found: rows.length, open: count([...open]), dealtWith, verified: byStatus.verified ?? 0, shareDealtWith: rows.length ? dealtWith / rows.length : null },
    relapses,
    overdue: rows
      .filter((row) => open.has(row.status) && row.deadline !== null && row.deadline < asOf)
      .map((row) => ({ id: row.id, name: row.name, deadline: row.deadline!, status: row.status })),
    roadsAwaitingRepair: db.get<{ n: number }>(
      `SELECT count(*) AS n FROM road_segments r WHERE r.county_code = :county AND r.reported_on <= :asOf
         AND (SELECT e.to_status FROM road_events e WHERE e.road_id = r.id AND e.date <= :asOf ORDER BY e.date DESC, e.id DESC LIMIT 1) <> 'repaired'`,
      params,
    )!.n,
    notInspected: rows.filter((row) => row.lon !== null && ['closed', 'upgraded', 'relocated', 'verified'].includes(row.status) && (row.lastInspection === null || row.lastInspection < params.since)).length,
    staleDays,
    unlocated: rows.filter((row) => row.lon === null).length,
    trend,
  };
}

