// Inputs of the relapse analysis (sites with their status histories) and officials' decisions
// on likely moves.
import type { MultiPolygon, Polygon } from 'geojson';
import type { Db } from '../db/database.ts';
import { VOIDED, type StatusCode } from '../../domain/statuses.ts';
import { badRequest, notFound } from '../errors.ts';
import type { RelapseSiteInput } from '../geo/analyze-relapse.ts';

export type RelapseInputSite = RelapseSiteInput;

/**
 * Every site (or those of the given counties) with its status events in order (location events left
 * out); voided sites are left out, so neither the relapse analysis nor the scorecards count them.
 */
export function relapseInputs(db: Db, counties?: readonly string[]): RelapseInputSite[] {
  const within = `WHERE status <> '${VOIDED}'${counties ? ` AND county_code IN (${counties.map(() => '?').join(', ')})` : ''}`;
  const sites = db.all<Omit<RelapseInputSite, 'events'>>(
    `SELECT id, name, category, lon, lat, county_code AS county, township_code AS township, discovered_on AS discoveredOn FROM sites ${within} ORDER BY id`,
    counties ?? [],
  );
  const events = new Map<number, { to: StatusCode; date: string }[]>();
  for (const row of db.raw
    .prepare(
      `SELECT site_id AS siteId, to_status AS "to", date FROM site_events WHERE kind = 'status' AND site_id IN (SELECT id FROM sites ${within}) ORDER BY site_id, date, id`,
    )
    .iterate(...(counties ?? [])) as Iterable<{ siteId: number; to: StatusCode; date: string }>) {
    let list = events.get(row.siteId);
    if (!list) events.set(row.siteId, (list = []));
    list.push({ to: row.to, date: row.date });
  }
  return sites.map((site) => ({ ...site, events: events.get(site.id) ?? [] }));
}

/** The county polygons: the study area of the hotspot grid. */
export function countyAreas(db: Db): { code: string; geometry: Polygon | MultiPolygon }[] {
  return db
    .all<{ code: string; geometry: string }>('SELECT code, geometry FROM counties ORDER BY code')
    .map((row) => ({ code: row.code, geometry: JSON.parse(row.geometry) as Polygon | MultiPolygon }));
}

/** The latest decision per move key. */
export function moveDecisions(db: Db): Map<string, 'confirmed' | 'dismissed'> {
  const rows = db.all<{ move_key: string; decision: 'confirmed' | 'dismissed' }>(
    'SELECT move_key, decision FROM move_decisions d WHERE id = (SELECT max(id) FROM move_decisions WHERE move_key = d.move_key)',
  );
  return new Map(rows.map((row) => [row.move_key, row.decision]));
}

export interface DecisionRecord {
  id: number;
  key: string;
  fromId: number;
  toId: number;
  decision: 'confirmed' | 'dismissed';
  note: string | null;
  decidedBy: string;
  decidedAt: string;
}

/** Records a decision on the pair "FROM-TO" (the old site, the new one): both must be sites of one category. */
export function decideMove(db: Db, key: string, decision: 'confirmed' | 'dismissed', actor: string, note: string | null): DecisionRecord {
  const match = /^(\d{1,15})-(\d{1,15})$/.exec(key);
  if (!match)
    throw badRequest('bad_parameter', `id: "${key}" is not a move id (OLD-NEW site ids, e.g. 12-40)`, { parameter: 'id', reason: 'bad_format', value: key });
  const [fromId, toId] = [Number(match[1]), Number(match[2])];
  if (fromId === toId) throw badRequest('bad_parameter', 'id: a site cannot move to itself', { parameter: 'id', reason: 'bad_format', value: key });
  return db.transaction(() => {
    const sites = db.all<{ id: number; category: string }>('SELECT id, category FROM sites WHERE id IN (?, ?)', [fromId, toId]);
    if (sites.length < 2)
      throw notFound(`move ${key}: site ${sites.some((s) => s.id === fromId) ? toId : fromId} does not exist`, {
        kind: 'site',
        id: sites.some((s) => s.id === fromId) ? toId : fromId,
        parameter: 'id',
      });
    if (sites[0]!.category !== sites[1]!.category)
      throw badRequest('bad_parameter', `id: sites ${fromId} and ${toId} are of different categories, so they are no move candidate`, {
        parameter: 'id',
        reason: 'different_categories',
        value: key,
      });
    const decidedAt = new Date().toISOString();
    const result = db.run('INSERT INTO move_decisions (move_key, from_site, to_site, decision, note, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      key,
      fromId,
      toId,
      decision,
      note,
      actor,
      decidedAt,
    ]);
    return { id: Number(result.lastInsertRowid), key, fromId, toId, decision, note, decidedBy: actor, decidedAt };
  });
}
