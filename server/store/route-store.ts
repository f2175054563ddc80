// Inspection routes: choosing stops by rule, saving planned routes, recording field results.
import { campaignDay } from '../../domain/days.ts';
import type { Db } from '../db/database.ts';
import type { CategoryCode } from '../../domain/categories.ts';
import type { StatusCode } from '../../domain/statuses.ts';
import { badRequest, notFound } from '../errors.ts';
import { addSiteEvent, type Clock } from './site-mutations.ts';

export interface StopCandidate {
  id: number;
  name: string;
  lon: number;
  lat: number;
  county: string;
  category: CategoryCode;
  status: StatusCode;
  address: string | null;
  source: 'real' | 'demo';
  lastInspection: string | null;
}

export interface CandidateFilter {
  ids?: readonly number[];
  statuses?: readonly StatusCode[];
  categories?: readonly CategoryCode[];
  counties?: readonly string[];
  /** Only sites whose last inspection is before this date, or never inspected. */
  notInspectedSince?: string;
}

const list = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/** Located sites passing the filter, with their last inspection date. */
export function stopCandidates(db: Db, filter: CandidateFilter): StopCandidate[] {
  // Voided sites (entered by mistake) are never stops.
  const where = ['s.lon IS NOT NULL', "s.status <> 'voided'"];
  const params: unknown[] = [];
  if (filter.ids) {
    where.push(`s.id IN (${list(filter.ids)})`);
    params.push(...filter.ids);
  }
  for (const [column, values] of [
    ['s.status', filter.statuses],
    ['s.category', filter.categories],
    ['s.county_code', filter.counties],
  ] as const)
    if (values?.length) {
      where.push(`${column} IN (${list(values)})`);
      params.push(...values);
    }
  let sql = `SELECT s.id, s.name, s.lon, s.lat, s.county_code AS county, s.category, s.status, s.address, s.source,
      (SELECT max(date) FROM inspections i WHERE i.site_id = s.id) AS lastInspection
    FROM sites s WHERE ${where.join(' AND ')}`;
  if (filter.notInspectedSince) {
    sql = `SELECT * FROM (${sql}) WHERE lastInspection IS NULL OR lastInspection < ?`;
    params.push(filter.notInspectedSince);
  }
  return db.all<StopCandidate>(`${sql} ORDER BY id`, params);
}

/** Sites asked for by id that do not exist or have no position: named in a 400. */
export function checkStopIds(db: Db, ids: readonly number[], found: readonly StopCandidate[]): void {
  const located = new Set(found.map((s) => s.id));
  const missing = ids.filter((id) => !located.has(id));
  if (!missing.length) return;
  const existing = new Set(db.all<{ id: number }>(`SELECT id FROM sites WHERE id IN (${list(missing)})`, missing).map((r) => r.id));
  const unknown = missing.filter((id) => !existing.has(id));
  throw badRequest(
    'bad_field',
    unknown.length
      ? `siteIds: no site ${unknown.join(', ')}`
      : `siteIds: site ${missing.join(', ')} has no position yet; place it on the map before routing to it`,
    unknown.length
      ? { field: 'siteIds', reason: 'unknown_ref', value: unknown, unknown, unlocated: missing.filter((id) => existing.has(id)) }
      : { field: 'siteIds', reason: 'unlocated_stop', value: missing, unknown, unlocated: missing },
  );
}

export function saveRoute(db: Db, route: { name: string; plan: unknown; actor: string }): number {
  const result = db.run('INSERT INTO inspection_routes (name, plan, created_by, created_at) VALUES (?, ?, ?, ?)', [
    route.name.trim(),
    JSON.stringify(route.plan),
    route.actor,
    new Date().toISOString(),
  ]);
  return Number(result.lastInsertRowid);
}

/** A stop's result recorded on a saved route: the last one per site, so a reopened route shows what is done. */
export interface RecordedStop {
  siteId: number;
  result: InspectionResult;
  date: string;
  inspector: string;
  /** When it was recorded (the phone's time if it sent one, else the server's), ISO UTC. */
  at: string;
}

export function getRoute(db: Db, id: number): { id: number; name: string; plan: unknown; createdBy: string; createdAt: string; recorded: RecordedStop[] } {
  const row = db.get<{ id: number; name: string; plan: string; created_by: string; created_at: string }>('SELECT * FROM inspection_routes WHERE id = ?', [id]);
  if (!row) throw notFound(`route ${id} does not exist`, { kind: 'route', id });
  // The last result per site (SQLite: the bare columns of a max() aggregate come from its row).
  const recorded = db.all<RecordedStop>(
    `SELECT site_id AS siteId, result, date, inspector, COALESCE(recorded_at, created_at) AS at, max(id) AS id
       FROM inspections WHERE route_id = ? GROUP BY site_id ORDER BY id`,
    [id],
  );
  return {
    id: row.id,
    name: row.name,
    plan: JSON.parse(row.plan) as unknown,
    createdBy: row.created_by,
    createdAt: row.created_at,
    recorded: recorded.map(({ siteId, result, date, inspector, at }) => ({ siteId, result, date, inspector, at })),
  };
}

/** An inspection's result (the inspections table's CHECK list; docs/domain.md says what each means). */
export const INSPECTION_RESULTS = ['operating', 'closed_as_recorded', 'relapsed', 'not_found', 'other'] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

export interface NewInspection {
  siteId: number;
  date: string;
  inspector: string;
  result: InspectionResult;
  note?: string | null;
  photo?: string | null;
  lon?: number | null;
  lat?: number | null;
  recordedAt?: string | null;
  routeId?: number | null;
}

/**
 * Records an inspection. "relapsed" also moves the site to relapsed through the same event rules
 * as the API (so a site that cannot relapse from its status is refused, and nothing is written).
 */
export function recordInspection(db: Db, inspection: NewInspection, clock: Clock = {}): { id: number; eventId: number | null } {
  return db.transaction(() => {
    if (!db.get('SELECT 1 FROM sites WHERE id = ?', [inspection.siteId]))
      throw notFound(`site ${inspection.siteId} does not exist`, { kind: 'site', id: inspection.siteId, field: 'siteId' });
    if (inspection.routeId != null && !db.get('SELECT 1 FROM inspection_routes WHERE id = ?', [inspection.routeId]))
      throw badRequest('bad_field', `routeId: no route ${inspection.routeId}`, { field: 'routeId', reason: 'unknown_ref', value: inspection.routeId });
    const today = clock.today ?? campaignDay();
    if (inspection.date > today)
      throw badRequest('bad_field', `date: ${inspection.date} is in the future (today is ${today})`, {
        field: 'date',
        reason: 'date_in_future',
        value: inspection.date,
        today,
      });
    let eventId: number | null = null;
    if (inspection.result === 'relapsed')
      eventId = addSiteEvent(
        db,
        inspection.siteId,
        {
          to: 'relapsed',
          date: inspection.date,
          actor: inspection.inspector,
          note: `检查发现死灰复燃 Found operating again on inspection${inspection.note ? `: ${inspection.note}` : ''}`,
        },
        clock,
      );
    return { id: insertInspection(db, inspection, clock.now ?? new Date().toISOString()), eventId };
  });
}

/** The inspection row alone, unchecked (recordInspection checks it first; the demo generator writes a re-check relapse's event itself). */
export function insertInspection(db: Db, inspection: NewInspection, now: string): number {
  const result = db.run(
    `INSERT INTO inspections (site_id, date, inspector, result, note, created_at, recorded_at, lon, lat, photo, route_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      inspection.siteId,
      inspection.date,
      inspection.inspector,
      inspection.result,
      inspection.note ?? null,
      now,
      inspection.recordedAt ?? null,
      inspection.lon ?? null,
      inspection.lat ?? null,
      inspection.photo ?? null,
      inspection.routeId ?? null,
    ],
  );
  return Number(result.lastInsertRowid);
}
