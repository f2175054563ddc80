// Inputs of the relapse analysis (sites with their status histories) and officials' decisions
// on likely moves.
import type { MultiPolygon, Polygon } from 'geojson';
import type { Db } from '../db/database.ts';
import { VOIDED, type StatusCode } from '../../domain/statuses.ts';
import { badRequest, notFound } from '../errors.ts';
import { MOVE_CLOSURE_STATUSES, moveSiteOf, resolveRelapseOptions, type RelapseSiteInput } from '../geo/analyze-relapse.ts';
import { KeptMoves } from '../geo/relapse-kept-moves.ts';
import type { MoveSite } from '../geo/relapse-moves.ts';
import { moveSearchDefinition, readSavedMoveNumbers, saveMoves, saveMovesChange } from './relapse-move-pairs.ts';
import { dataVersion } from './data-version.ts';
import { readHistorySnapshot, saveHistorySnapshot } from './site-history-snapshot.ts';

/** A site as the relapse analysis and the scorecards read it: its status events (`initial`: the first, from no status), deadline and source. */
export interface RelapseInputSite extends RelapseSiteInput {
  events: { to: StatusCode; date: string; initial: boolean }[];
  deadline: string | null;
  source: string;
}

const MOVE_CLOSURE_SET: ReadonlySet<StatusCode> = new Set(MOVE_CLOSURE_STATUSES);

const SITE_COLUMNS = 'id, name, category, lon, lat, county_code, township_code, discovered_on, deadline, source';
const SITE_FIELDS = 10;
const EVENT_FIELDS = 4;

/**
 * The rows of `from` (after FROM: a table and its conditions), each the JSON array of `columns`, in
 * `order`, as one flat array: SQLite writes one JSON text and it is parsed at once. At 10^5 sites this
 * took ~60% of the CPU time of reading the rows one by one through better-sqlite3 (an array per row and
 * a call per value); SQLite's JSON writes a REAL as the shortest text that reads back to the same double.
 * The order is the subquery's (an index scan, the rows' order kept by group_concat) unless `sorted`
 * (the aggregate's own ORDER BY: a sort, ~2× the time; the fallback should a planner drop the first).
 */
function flatRows(db: Db, columns: string, from: string, order: string, params: readonly number[], sorted = false): unknown[] {
  const sql = sorted
    ? `SELECT '[' || coalesce(group_concat(substr(r, 2, length(r) - 2), ',' ORDER BY ${order}), '') || ']'
       FROM (SELECT ${order}, json_array(${columns}) AS r FROM ${from})`
    : `SELECT '[' || coalesce(group_concat(substr(r, 2, length(r) - 2), ','), '') || ']'
       FROM (SELECT json_array(${columns}) AS r FROM ${from} ORDER BY ${order})`;
  return JSON.parse(
    db.raw
      .prepare(sql)
      .pluck()
      .get(...params) as string,
  ) as unknown[];
}

/** Whether the flat rows are in order: ids ascending (strictly unless `ties`), and with `dates` at that offset ascending per id. */
function inOrder(rows: readonly unknown[], fields: number, ties: boolean, dates?: number): boolean {
  for (let at = fields; at < rows.length; at += fields) {
    const [id, before] = [rows[at] as number, rows[at - fields] as number];
    if (id < before || (id === before && (!ties || (dates !== undefined && (rows[at + dates] as string) < (rows[at - fields + dates] as string)))))
      return false;
  }
  return true;
}

/**
 * Sites (every one not voided, or those with the given ids) with their status events in order; location events left out.
 * Both read in site id order (flatRows) and joined as they are read.
 */
function readSites(db: Db, ids?: readonly number[]): RelapseInputSite[] {
  const chosen = ids ? ` AND id IN (${ids.map(() => '?').join(', ')})` : '';
  const siteFrom = `sites WHERE status <> '${VOIDED}'${chosen}`;
  let rows = flatRows(db, SITE_COLUMNS, siteFrom, 'id', ids ?? []);
  if (!inOrder(rows, SITE_FIELDS, false)) rows = flatRows(db, SITE_COLUMNS, siteFrom, 'id', ids ?? [], true);
  const sites: RelapseInputSite[] = new Array<RelapseInputSite>(rows.length / SITE_FIELDS);
  for (let at = 0, n = 0; at < rows.length; at += SITE_FIELDS, n++)
    sites[n] = {
      id: rows[at] as number,
      name: rows[at + 1] as string,
      category: rows[at + 2] as RelapseInputSite['category'],
      lon: rows[at + 3] as number | null,
      lat: rows[at + 4] as number | null,
      county: rows[at + 5] as string,
      township: rows[at + 6] as string | null,
      discoveredOn: rows[at + 7] as string,
      deadline: rows[at + 8] as string | null,
      source: rows[at + 9] as string,
      events: [],
    };
  const eventColumns = 'site_id, to_status, date, from_status IS NULL';
  const eventFrom = `site_events WHERE kind = 'status'${chosen.replace('id IN', 'site_id IN')}`;
  let events = flatRows(db, eventColumns, eventFrom, 'site_id, date, id', ids ?? []);
  if (!inOrder(events, EVENT_FIELDS, true, 2)) events = flatRows(db, eventColumns, eventFrom, 'site_id, date, id', ids ?? [], true);
  let at = 0;
  for (let e = 0; e < events.length; e += EVENT_FIELDS) {
    const siteId = events[e] as number;
    while (at < sites.length && sites[at]!.id < siteId) at++;
    if (at < sites.length && sites[at]!.id === siteId)
      sites[at]!.events.push({ to: events[e + 1] as StatusCode, date: events[e + 2] as string, initial: events[e + 3] === 1 });
  }
  return sites;
}

/** Above this many changed sites a refresh reads every site again (one pass beats many small reads). */
const RELOAD_ABOVE = 5_000;
/** Above this many sites written since the saved histories, the first use saves them again (the next start then reads fewer). */
const SAVE_AGAIN_ABOVE = 1_000;
/** Sites read per query in a refresh (SQLite's bound-parameter limit is far above). */
const CHUNK = 500;

/** The move search the kept candidates answer: the relapse analysis's defaults. */
const MOVE_OPTIONS = resolveRelapseOptions({});
const MOVE_DEFINITION = moveSearchDefinition(MOVE_OPTIONS);

/**
 * Every site not voided with its status history, and the likely-move candidates over them (default
 * radiusKm and withinDays), kept in memory for one database and brought up to date on each use:
 * after a write only the sites in `site_changes` (migration 015) since the `sites` version last seen
 * are read again and only the new sites within reach of them are searched again. The candidates are
 * saved in the database (migration 017): a new state reads them back and mends them from
 * `site_changes` since the version saved, instead of searching every site; so are the histories
 * (migration 019: one blob per `sites` version, read back on first use instead of every site and event).
 */
export class RelapseState {
  private readonly byId = new Map<number, RelapseInputSite>();
  private list: RelapseInputSite[] | null = null;
  private seen = -1;
  private moves: KeptMoves | null = null;
  /** The `sites` version of the saved candidates this state last read or wrote (null: none it may mend). */
  private savedAt: number | null = null;
  /** Where the histories came from on first use: read from the sites, or the saved snapshot (mended). */
  historiesFrom: 'read' | 'saved' | null = null;
  /** Where the candidates came from on first use: a search of every site, or the saved ones (mended). */
  movesFrom: 'search' | 'saved' | null = null;
  private decisions: { version: number; map: Map<string, 'confirmed' | 'dismissed'> } | null = null;
  /** The latest day of any discovery or event read (never lowered by a refresh: then merely cautious). */
  private latestDay = '';
  /** Sites with a move closure dated before their own discovery, and that discovery day (see keptMovesAnswer). */
  private readonly closedBeforeFound = new Map<number, string>();

  constructor(private readonly db: Db) {}

  /** Reads what changed since the last use; returns the ids read again (null: everything was read). */
  refresh(): number[] | null {
    const version = dataVersion(this.db, ['sites']);
    if (version === this.seen) return [];
    const first = this.seen < 0;
    // On first use the saved histories (migration 019), if usable, and the sites written since they were saved.
    const changed = first ? this.restoreHistories(version) : this.changedSince(this.seen);
    if (changed === null) {
      this.byId.clear();
      this.closedBeforeFound.clear();
      this.latestDay = '';
      const sites = readSites(this.db);
      for (const site of sites) this.keep(site);
      this.moves = null;
      this.historiesFrom = 'read';
      saveHistorySnapshot(this.db, version, sites);
    } else {
      for (const id of changed) {
        this.byId.delete(id);
        this.closedBeforeFound.delete(id);
      }
      for (let at = 0; at < changed.length; at += CHUNK) for (const site of readSites(this.db, changed.slice(at, at + CHUNK))) this.keep(site);
    }
    this.list = null;
    this.seen = version;
    if (first && changed !== null && changed.length > SAVE_AGAIN_ABOVE) saveHistorySnapshot(this.db, version, this.sites());
    if (this.moves && changed && changed.length > 0) this.mendMoves(this.moves, changed);
    return first || changed === null ? null : changed;
  }

  /** Keeps the saved histories if they are usable at `version`; returns the sites written since they were saved (null: none usable, nothing kept). */
  private restoreHistories(version: number): number[] | null {
    const saved = readHistorySnapshot(this.db);
    if (!saved || saved.version > version) return null;
    const changed = this.changedSince(saved.version);
    if (changed === null) return null;
    for (const site of saved.sites) this.keep(site);
    this.historiesFrom = 'saved';
    return changed;
  }

  private keep(site: RelapseInputSite): void {
    this.byId.set(site.id, site);
    if (site.discoveredOn > this.latestDay) this.latestDay = site.discoveredOn;
    const last = site.events.at(-1);
    if (last && last.date > this.latestDay) this.latestDay = last.date;
    const found = site.discoveredOn.slice(0, 10);
    if (site.events.some((event) => MOVE_CLOSURE_SET.has(event.to) && event.date.slice(0, 10) < found)) this.closedBeforeFound.set(site.id, found);
  }

  private moveSite(id: number) {
    const site = this.byId.get(id);
    return site ? moveSiteOf(site, null) : null;
  }

  /** Every site not voided, in id order. */
  sites(): readonly RelapseInputSite[] {
    this.refresh();
    if (!this.list) this.list = [...this.byId.values()].sort((a, b) => a.id - b.id);
    return this.list;
  }

  /** The likely-move candidates with the default radius and days: read back from the database, or searched, on first use. */
  moveIndex(): KeptMoves {
    this.refresh();
    if (!this.moves) this.moves = this.restoreMoves() ?? this.searchMoves();
    return this.moves;
  }

  private moveSites(): MoveSite[] {
    const sites = [];
    for (const site of this.byId.values()) {
      const moveSite = moveSiteOf(site, null);
      if (moveSite) sites.push(moveSite);
    }
    return sites;
  }

  private searchMoves(): KeptMoves {
    const moves = KeptMoves.build(this.moveSites(), MOVE_OPTIONS);
    this.movesFrom = 'search';
    this.savedAt = saveMoves(this.db, MOVE_DEFINITION, this.seen, moves) ? this.seen : null;
    return moves;
  }

  /** The saved candidates, mended with the sites written since they were saved (null: none usable). */
  private restoreMoves(): KeptMoves | null {
    const saved = readSavedMoveNumbers(this.db, MOVE_DEFINITION);
    if (!saved || saved.version > this.seen) return null;
    const changed = this.changedSince(saved.version);
    if (changed === null) return null;
    const { moves, again } = KeptMoves.restore(this.moveSites(), MOVE_OPTIONS, saved.numbers, changed);
    this.savedAt = saved.version;
    this.movesFrom = 'saved';
    if (again.length > 0) this.mendMoves(moves, again);
    return moves;
  }

  /** The new sites within reach of the written ones searched again, and the saved chunks of those whose pairs changed written again. */
  private mendMoves(moves: KeptMoves, changed: readonly number[]): void {
    const differ = moves.update(changed, (id) => this.moveSite(id));
    if (this.savedAt !== null) this.savedAt = saveMovesChange(this.db, MOVE_DEFINITION, this.savedAt, this.seen, moves, differ) ? this.seen : null;
  }

  /** The `sites` data version the kept sites reflect (after bringing them up to date). */
  version(): number {
    this.refresh();
    return this.seen;
  }

  /** One kept site (undefined: voided or gone). */
  site(id: number): RelapseInputSite | undefined {
    this.refresh();
    return this.byId.get(id);
  }

  /** Ids of the sites written since a `sites` version seen by the caller (null: read everything again). */
  changedSince(version: number): number[] | null {
    if (version < 0) return null;
    const ids = this.db.all<{ id: number }>('SELECT site_id AS id FROM site_changes WHERE seq >= ?', [version]).map((row) => row.id);
    return ids.length > RELOAD_ABOVE ? null : ids;
  }

  /**
   * Whether the kept move index (every record seen) gives the candidates of the sites discovered by
   * asOf exactly as a search on the sites seen on asOf would: a pair's closure lies before its new
   * site's discovery, so only an old site discovered after asOf yet closed before could differ.
   */
  keptMovesAnswer(asOf: string): boolean {
    this.refresh();
    if (asOf >= this.latestDay) return true;
    for (const found of this.closedBeforeFound.values()) if (found > asOf) return false;
    return true;
  }

  /** The latest day of the sites' discoveries and events: an asOf on or after it sees everything. */
  latest(): string {
    this.refresh();
    return this.latestDay;
  }

  /** The latest decision per move key (kept while no decision is recorded). */
  moveDecisions(): Map<string, 'confirmed' | 'dismissed'> {
    const version = dataVersion(this.db, ['moves']);
    if (this.decisions?.version !== version) this.decisions = { version, map: moveDecisions(this.db) };
    return this.decisions.map;
  }
}

const states = new WeakMap<Db, RelapseState>();

/** The one RelapseState of a database (the relapse route, the scorecards and the benchmark share it). */
export function relapseState(db: Db): RelapseState {
  let state = states.get(db);
  if (!state) states.set(db, (state = new RelapseState(db)));
  return state;
}

/** Every site not voided with its status events (read now, nothing kept). */
export function relapseInputs(db: Db): RelapseInputSite[] {
  return readSites(db);
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
