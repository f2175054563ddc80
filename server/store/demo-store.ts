// Reads only the demo generator needs (server/seed/demo/): the places it scatters sites over, and
// the counts it reports. Its writes go through the same store functions as the API's.
import type { Db } from '../db/database.ts';
import { OPEN_STATUSES } from '../../domain/statuses.ts';

export interface PlaceCounty {
  code: string;
  name: string;
  geometry: string;
  seat_lon: number | null;
  seat_lat: number | null;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
}

/** Every county (polygon as stored, seat, box), township and village, in code order. */
export function demoPlaces(db: Db): {
  counties: PlaceCounty[];
  townships: { code: string; name: string; kind: string; adminCode: string; countyCode: string }[];
  villages: { code: string; name: string; township: string }[];
} {
  return {
    counties: db.all<PlaceCounty>('SELECT code, name, geometry, seat_lon, seat_lat, min_lon, min_lat, max_lon, max_lat FROM counties ORDER BY code'),
    townships: db.all('SELECT code, name, kind, admin_code AS adminCode, county_code AS countyCode FROM townships ORDER BY code'),
    villages: db.all('SELECT code, name, township_code AS township FROM villages ORDER BY code'),
  };
}

export const taskExists = (db: Db, number: number): boolean => db.get('SELECT 1 FROM tasks WHERE number = ?', [number]) !== undefined;

/** Whether any demo record is there (a site, or the seed written at the end). */
export const hasDemoData = (db: Db): boolean =>
  db.get("SELECT 1 AS x FROM meta WHERE key = 'demo_seed'") !== undefined || db.get("SELECT 1 AS x FROM sites WHERE source = 'demo' LIMIT 1") !== undefined;

/** Counts of the demo records: sites by category and status, events, relapsed sites, overdue open sites (deadline before `today`), roads, road events, inspections. */
export function demoCounts(db: Db, today: string) {
  const count = (sql: string, params: unknown[] = []) => db.get<{ n: number }>(sql, params)?.n ?? 0;
  const open = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');
  return {
    byCategory: db.all<{ category: string; n: number }>("SELECT category, count(*) AS n FROM sites WHERE source = 'demo' GROUP BY category"),
    byStatus: db.all<{ status: string; n: number }>("SELECT status, count(*) AS n FROM sites WHERE source = 'demo' GROUP BY status"),
    events: count("SELECT count(*) AS n FROM site_events e JOIN sites s ON s.id = e.site_id WHERE s.source = 'demo'"),
    relapses: count(
      "SELECT count(DISTINCT e.site_id) AS n FROM site_events e JOIN sites s ON s.id = e.site_id WHERE s.source = 'demo' AND e.to_status = 'relapsed'",
    ),
    overdue: count(`SELECT count(*) AS n FROM sites WHERE source = 'demo' AND status IN (${open}) AND deadline < ?`, [today]),
    roads: count("SELECT count(*) AS n FROM road_segments WHERE source = 'demo'"),
    roadEvents: count("SELECT count(*) AS n FROM road_events e JOIN road_segments r ON r.id = e.road_id WHERE r.source = 'demo'"),
    inspections: count("SELECT count(*) AS n FROM inspections i JOIN sites s ON s.id = i.site_id WHERE s.source = 'demo'"),
  };
}
