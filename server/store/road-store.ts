// Road segments: reads and writes. Statuses move forward only (reported → scheduled → repairing →
// repaired); the triggers keep road_segments.status equal to the last road_events row.
import { campaignDay } from '../../domain/days.ts';
import type { LineString } from 'geojson';
import type { Db } from '../db/database.ts';
import { ROAD_STATUS_MOVES, type RecordSource, type RoadSeverity, type RoadStatusCode } from '../../domain/statuses.ts';
import { conflict, notFound, unprocessable } from '../errors.ts';
import type { Clock } from './site-mutations.ts';
import { recordProvenance } from './provenance.ts';

export interface RoadFilters {
  statuses?: readonly RoadStatusCode[];
  counties?: readonly string[];
  asOf?: string;
  drawn?: boolean;
}

interface RoadRow {
  id: number;
  road_name: string;
  from_desc: string | null;
  to_desc: string | null;
  severity: RoadSeverity;
  responsible_unit: string | null;
  deadline: string | null;
  county_code: string | null;
  geometry: string | null;
  status: RoadStatusCode;
  source: RecordSource;
  task_number: number | null;
  reported_on: string;
  note: string | null;
  version: number;
}

export function roadFeature(row: RoadRow) {
  return {
    type: 'Feature' as const,
    id: row.id,
    geometry: row.geometry ? (JSON.parse(row.geometry) as { type: 'LineString'; coordinates: [number, number][] }) : null,
    properties: {
      id: row.id,
      roadName: row.road_name,
      fromDesc: row.from_desc,
      toDesc: row.to_desc,
      severity: row.severity,
      responsibleUnit: row.responsible_unit,
      deadline: row.deadline,
      county: row.county_code,
      status: row.status,
      source: row.source,
      task: row.task_number,
      reportedOn: row.reported_on,
      drawn: row.geometry !== null,
      note: row.note,
      version: row.version,
    },
  };
}

const ROAD_COLUMNS = `r.id, r.road_name, r.from_desc, r.to_desc, r.severity, r.responsible_unit, r.deadline, r.county_code,
  r.geometry, r.source, r.task_number, r.reported_on, r.note, r.version`;

export function listRoads(db: Db, filters: RoadFilters) {
  const where: string[] = [];
  const params: unknown[] = [];
  let status = 'r.status';
  if (filters.asOf) {
    status = '(SELECT e.to_status FROM road_events e WHERE e.road_id = r.id AND e.date <= ? ORDER BY e.date DESC, e.id DESC LIMIT 1)';
    params.push(filters.asOf);
    where.push('r.reported_on <= ?');
  }
  const whereParams: unknown[] = filters.asOf ? [filters.asOf] : [];
  if (filters.counties?.length) {
    where.push(`r.county_code IN (${filters.counties.map(() => '?').join(', ')})`);
    whereParams.push(...filters.counties);
  }
  if (filters.drawn !== undefined) where.push(filters.drawn ? 'r.geometry IS NOT NULL' : 'r.geometry IS NULL');
  let sql = `SELECT ${ROAD_COLUMNS}, ${status} AS status FROM road_segments r${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  const all = [...params, ...whereParams];
  if (filters.statuses?.length) {
    sql = `SELECT * FROM (${sql}) WHERE status IN (${filters.statuses.map(() => '?').join(', ')})`;
    all.push(...filters.statuses);
  }
  return db.all<RoadRow>(`${sql} ORDER BY id`, all).map(roadFeature);
}

/** One entry of a segment's history: a status move, a (re)drawing, or an assignment to a county. */
export interface RoadHistoryEntry {
  id: number;
  kind: 'status' | 'geometry' | 'assignment';
  from: RoadStatusCode | null;
  to: RoadStatusCode | null;
  fromCounty: string | null;
  toCounty: string | null;
  date: string;
  actor: string;
  note: string | null;
  evidence: string[];
}

export function getRoad(db: Db, id: number) {
  const row = db.get<RoadRow>(`SELECT ${ROAD_COLUMNS}, r.status FROM road_segments r WHERE r.id = ?`, [id]);
  if (!row) throw notFound(`road segment ${id} does not exist`, { kind: 'road', id });
  const events = db
    .all<{
      id: number;
      kind: 'status' | 'geometry' | 'assignment';
      from_status: RoadStatusCode | null;
      to_status: RoadStatusCode | null;
      from_county: string | null;
      to_county: string | null;
      date: string;
      actor: string;
      note: string | null;
      evidence: string | null;
    }>(
      `SELECT id, kind, from_status, to_status, NULL AS from_county, NULL AS to_county, date, actor, note, evidence, created_at FROM road_events WHERE road_id = ?
       UNION ALL
       SELECT id, 'assignment', NULL, NULL, from_county, to_county, date, actor, note, NULL, created_at FROM road_assignments WHERE road_id = ?
       ORDER BY date, created_at, id`,
      [id, id],
    )
    .map((e): RoadHistoryEntry => ({
      id: e.id,
      kind: e.kind,
      from: e.from_status,
      to: e.to_status,
      fromCounty: e.from_county,
      toCounty: e.to_county,
      date: e.date,
      actor: e.actor,
      note: e.note,
      evidence: e.evidence ? (JSON.parse(e.evidence) as string[]) : [],
    }));
  return { ...roadFeature(row), events, provenance: recordProvenance(db, 'road_segments', id) };
}

export function lineBbox(line: LineString): [number, number, number, number] {
  const lons = line.coordinates.map((p) => p[0]!);
  const lats = line.coordinates.map((p) => p[1]!);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

export interface NewRoad {
  roadName: string;
  fromDesc?: string | null;
  toDesc?: string | null;
  severity: RoadSeverity;
  responsibleUnit?: string | null;
  deadline?: string | null;
  countyCode: string | null;
  geometry: LineString | null;
  reportedOn: string;
  task?: number | null;
  note?: string | null;
  /** The note of the 'reported' event; the segment's note when not given. */
  reportNote?: string | null;
  source: RecordSource;
  seedKey?: string | null;
  actor: string;
}

export function insertRoad(db: Db, road: NewRoad, clock: Clock = {}): number {
  const now = clock.now ?? new Date().toISOString();
  return db.transaction(() => {
    const bbox = road.geometry ? lineBbox(road.geometry) : [null, null, null, null];
    const result = db.run(
      `INSERT INTO road_segments (road_name, from_desc, to_desc, severity, responsible_unit, deadline, county_code, geometry,
         min_lon, min_lat, max_lon, max_lat, source, task_number, reported_on, note, seed_key, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        road.roadName.trim(),
        road.fromDesc ?? null,
        road.toDesc ?? null,
        road.severity,
        road.responsibleUnit ?? null,
        road.deadline ?? null,
        road.countyCode,
        road.geometry ? JSON.stringify(road.geometry) : null,
        ...bbox,
        road.source,
        road.task ?? null,
        road.reportedOn,
        road.note ?? null,
        road.seedKey ?? null,
        now,
        now,
      ],
    );
    const id = Number(result.lastInsertRowid);
    db.run(
      `INSERT INTO road_events (road_id, kind, from_status, to_status, date, actor, note, created_at) VALUES (?, 'status', NULL, 'reported', ?, ?, ?, ?)`,
      [id, road.reportedOn, road.actor, road.reportNote ?? road.note ?? null, now],
    );
    return id;
  });
}

function lastRoadDate(db: Db, id: number): { status: RoadStatusCode; lastDate: string } {
  const row = db.get<{ status: RoadStatusCode; lastDate: string }>(
    'SELECT status, (SELECT max(date) FROM road_events WHERE road_id = r.id) AS lastDate FROM road_segments r WHERE id = ?',
    [id],
  );
  if (!row) throw notFound(`road segment ${id} does not exist`, { kind: 'road', id });
  return row;
}

function checkDate(date: string, lastDate: string, today: string) {
  if (date < lastDate)
    throw unprocessable('event_date_before_last', `date ${date} is before the segment's last event (${lastDate})`, {
      field: 'date',
      date,
      lastEvent: lastDate,
    });
  if (date > today) throw unprocessable('event_date_in_future', `date ${date} is in the future (today is ${today})`, { field: 'date', date, today });
}

export function addRoadEvent(
  db: Db,
  id: number,
  event: { to: RoadStatusCode; date: string; actor: string; note?: string | null; evidence?: readonly string[] | null },
  clock: Clock = {},
): number {
  const now = clock.now ?? new Date().toISOString();
  const today = clock.today ?? campaignDay(Date.parse(now));
  return db.transaction(() => {
    const road = lastRoadDate(db, id);
    const allowed = ROAD_STATUS_MOVES[road.status];
    if (!allowed.includes(event.to))
      throw conflict(
        'status_move_not_allowed',
        `road segment ${id} cannot move from ${road.status} to ${event.to}; allowed: ${allowed.length ? allowed.join(', ') : 'none'}`,
        {
          from: road.status,
          to: event.to,
          allowed,
        },
      );
    checkDate(event.date, road.lastDate, today);
    const result = db.run(
      `INSERT INTO road_events (road_id, kind, from_status, to_status, date, actor, note, evidence, created_at) VALUES (?, 'status', ?, ?, ?, ?, ?, ?, ?)`,
      [id, road.status, event.to, event.date, event.actor, event.note ?? null, event.evidence?.length ? JSON.stringify(event.evidence) : null, now],
    );
    db.run('UPDATE road_segments SET version = version + 1, updated_at = ? WHERE id = ?', [now, id]);
    return Number(result.lastInsertRowid);
  });
}

/**
 * Draws (or redraws) a segment; recorded as a geometry event. When `countyCode` differs from the
 * segment's county (an unassigned segment, or one drawn in another county) the change is an
 * assignment recorded in the same transaction (`assignRoad`), never a silent update.
 * Returns the assignment's id, or null when the county stayed.
 */
export function setRoadGeometry(
  db: Db,
  id: number,
  change: { geometry: LineString; countyCode: string; date: string; actor: string; note?: string | null },
  clock: Clock = {},
): number | null {
  const now = clock.now ?? new Date().toISOString();
  const today = clock.today ?? campaignDay(Date.parse(now));
  return db.transaction(() => {
    const road = lastRoadDate(db, id);
    checkDate(change.date, road.lastDate, today);
    const assignment = assignRoad(db, id, { countyCode: change.countyCode, date: change.date, actor: change.actor, note: change.note }, { now, today });
    db.run(
      `UPDATE road_segments SET geometry = ?, min_lon = ?, min_lat = ?, max_lon = ?, max_lat = ?,
         version = version + 1, updated_at = ? WHERE id = ?`,
      [JSON.stringify(change.geometry), ...lineBbox(change.geometry), now, id],
    );
    db.run(`INSERT INTO road_events (road_id, kind, from_status, to_status, date, actor, note, created_at) VALUES (?, 'geometry', ?, ?, ?, ?, ?, ?)`, [
      id,
      road.status,
      road.status,
      change.date,
      change.actor,
      change.note ?? null,
      now,
    ]);
    return assignment;
  });
}

/**
 * Makes `countyCode` the county responsible for a segment, recorded as an assignment (who, when,
 * from which county). Nothing happens when it already is (returns null); else the assignment's id.
 * The version is bumped by the caller's write (or here, when called alone through `patchRoad`).
 */
export function assignRoad(
  db: Db,
  id: number,
  change: { countyCode: string; date: string; actor: string; note?: string | null },
  clock: Clock = {},
): number | null {
  const now = clock.now ?? new Date().toISOString();
  return db.transaction(() => {
    const road = db.get<{ county_code: string | null }>('SELECT county_code FROM road_segments WHERE id = ?', [id]);
    if (!road) throw notFound(`road segment ${id} does not exist`, { kind: 'road', id });
    if (road.county_code === change.countyCode) return null;
    const result = db.run('INSERT INTO road_assignments (road_id, from_county, to_county, date, actor, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      id,
      road.county_code,
      change.countyCode,
      change.date,
      change.actor,
      change.note ?? null,
      now,
    ]);
    db.run('UPDATE road_segments SET county_code = ?, updated_at = ? WHERE id = ?', [change.countyCode, now, id]);
    return Number(result.lastInsertRowid);
  });
}

export interface RoadPatch {
  roadName?: string;
  fromDesc?: string | null;
  toDesc?: string | null;
  severity?: RoadSeverity;
  responsibleUnit?: string | null;
  deadline?: string | null;
  task?: number | null;
  note?: string | null;
  /** The responsible county: a change is recorded as an assignment. */
  county?: string;
}

const ROAD_PATCH_COLUMNS: Record<Exclude<keyof RoadPatch, 'county'>, string> = {
  roadName: 'road_name',
  fromDesc: 'from_desc',
  toDesc: 'to_desc',
  severity: 'severity',
  responsibleUnit: 'responsible_unit',
  deadline: 'deadline',
  task: 'task_number',
  note: 'note',
};

/**
 * Edits a segment's attributes if `version` is still what the editor read; else 409 `stale_version`
 * saying who changed it last and when (from the audit trail), and nothing is written.
 */
export function patchRoad(db: Db, id: number, version: number, patch: RoadPatch, actor: string, clock: Clock = {}): void {
  const now = clock.now ?? new Date().toISOString();
  const today = clock.today ?? campaignDay(Date.parse(now));
  db.transaction(() => {
    const road = db.get<{ version: number }>('SELECT version FROM road_segments WHERE id = ?', [id]);
    if (!road) throw notFound(`road segment ${id} does not exist`, { kind: 'road', id });
    if (road.version !== version) {
      const last = db.get<{ actor: string | null; at: string }>('SELECT actor, at FROM audit_log WHERE target = ? ORDER BY id DESC LIMIT 1', [`road:${id}`]);
      throw conflict('stale_version', `road segment ${id} has changed since version ${version} was read (now version ${road.version}); reload and retry`, {
        expected: version,
        current: road.version,
        changedBy: last?.actor ?? null,
        changedAt: last?.at ?? null,
      });
    }
    if (patch.task != null && !db.get('SELECT 1 FROM tasks WHERE number = ?', [patch.task]))
      throw unprocessable('unknown_task', `task: the plan has no task ${patch.task}`, { field: 'task', task: patch.task });
    if (patch.county !== undefined) assignRoad(db, id, { countyCode: patch.county, date: today, actor }, { now });
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [key, column] of Object.entries(ROAD_PATCH_COLUMNS) as [keyof typeof ROAD_PATCH_COLUMNS, string][]) {
      if (patch[key] === undefined) continue;
      sets.push(`${column} = ?`);
      const value = patch[key];
      params.push(typeof value === 'string' ? value.trim() || null : value);
    }
    sets.push('version = version + 1', 'updated_at = ?');
    params.push(now, id);
    db.run(`UPDATE road_segments SET ${sets.join(', ')} WHERE id = ?`, params);
  });
}
