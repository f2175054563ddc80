// County scorecards: what each county official answers for, as of a date. Every figure is a set of
// sites (or road segments) computed once here; the scorecard counts the sets and
// `scorecardFigure` lists one of them, so a figure and the sites shown for it on the map never differ.
import type { Db } from '../db/database.ts';
import { CATEGORY_CODES } from '../../domain/categories.ts';
import { OPEN_STATUSES, STATUS_CODES } from '../../domain/statuses.ts';
import { FIGURE_KEYS, type FigureKey } from '../../domain/scorecard-figures.ts';
import { moveKey, MoveIndex, moveSiteOf, resolveRelapseOptions } from '../geo/analyze-relapse.ts';
import type { MoveAnswers } from '../geo/relapse-kept-moves.ts';
import { relapseState, type RelapseInputSite } from './relapse-store.ts';
import { ChangeMemo } from './response-cache.ts';
import { dataVersion } from './data-version.ts';
import { addDays } from '../../domain/days.ts';

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
  /** Moves to relapsed (events), and the sites they happened to. */
  relapses: number;
  relapsedSites: number;
  /** Likely moves (a closed firm reopening nearby) whose new site lies in this county, not dismissed. */
  likelyMoves: number;
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

/** The figures a scorecard can list: `status:CODE`, `category:CODE`, or one of these names. */
export type ScorecardFigure = FigureKey | `status:${string}` | `category:${string}`;

export function isScorecardFigure(value: string): value is ScorecardFigure {
  const [kind, code] = value.split(':');
  if (kind === 'status') return (STATUS_CODES as readonly string[]).includes(code ?? '');
  if (kind === 'category') return (CATEGORY_CODES as readonly string[]).includes(code ?? '');
  return (FIGURE_KEYS as readonly string[]).includes(value);
}

export interface FigureSite {
  id: number;
  name: string;
  category: string;
  status: string;
  deadline: string | null;
  lon: number | null;
  lat: number | null;
  source: string;
}
export interface FigureRoad {
  id: number;
  roadName: string;
  status: string;
  deadline: string | null;
  source: string;
}
export interface FigureList {
  county: string;
  figure: ScorecardFigure;
  asOf: string;
  sites: FigureSite[];
  roads: FigureRoad[];
}

export interface ScorecardOptions {
  asOf: string;
  /** Days without an inspection after which a dealt-with site counts as "not inspected". */
  staleDays: number;
  /** Only real or only demo records; null counts both. */
  source: 'real' | 'demo' | null;
}

interface Row extends FigureSite {
  lastInspection: string | null;
  relapses: number;
}

const DEALT_WITH = ['closed', 'upgraded', 'relocated', 'verified'];

type Trend = Scorecard['trend'];

const inspectionMemos = new WeakMap<Db, ChangeMemo<Map<number, string>>>();

/** The last inspection of each site on or before asOf, kept until the next inspection is written. */
function lastInspections(db: Db, asOf: string): Map<number, string> {
  let memo = inspectionMemos.get(db);
  if (!memo) inspectionMemos.set(db, (memo = new ChangeMemo(db, ['inspections'], 4)));
  return memo.get(asOf, () => {
    const rows = db.all<{ id: number; last: string }>('SELECT site_id AS id, max(date) AS last FROM inspections WHERE date <= ? GROUP BY site_id', [asOf]);
    return new Map(rows.map((row) => [row.id, row.last]));
  });
}

/**
 * What one site adds to its county's figures as of a date: its row (null: not yet discovered or no
 * status then) and its events seen by then, one number each (see eventCode): no map or month text per
 * site, which at 10^5 sites was most of a book's build.
 */
interface Contribution {
  county: string;
  row: Row | null;
  events: number[];
}
/** A month of a county's trend; `events`: how many events fell in it (a month is listed while it has any). */
interface MonthCount {
  discovered: number;
  closed: number;
  relapsed: number;
  events: number;
}

const DISCOVERED = 1;
const CLOSED = 2;
const RELAPSED = 4;
const KINDS = 8;

/** An event as a number: its month (year × 12 + month − 1) × KINDS + what it counts as (DISCOVERED, CLOSED, RELAPSED). */
function eventCode(event: RelapseInputSite['events'][number]): number {
  const date = event.date;
  const year = (date.charCodeAt(0) - 48) * 1000 + (date.charCodeAt(1) - 48) * 100 + (date.charCodeAt(2) - 48) * 10 + (date.charCodeAt(3) - 48);
  const month = (date.charCodeAt(5) - 48) * 10 + (date.charCodeAt(6) - 48);
  const kind = (event.initial ? DISCOVERED : 0) | (event.to === 'closed' ? CLOSED : 0) | (event.to === 'relapsed' ? RELAPSED : 0);
  return (year * 12 + month - 1) * KINDS + kind;
}

/** YYYY-MM of a month number (year × 12 + month − 1). */
function monthText(month: number): string {
  const year = Math.floor(month / 12);
  const inYear = (month % 12) + 1;
  return `${String(year).padStart(4, '0')}-${inYear < 10 ? '0' : ''}${inYear}`;
}

type FigureContext = { asOf: string; since: string; moveIds: ReadonlySet<number> };
type FigureTest = (row: Row, context: FigureContext) => boolean;

const OPEN: readonly string[] = OPEN_STATUSES;
const NAMED_FIGURES: Record<FigureKey, FigureTest> = {
  sites: () => true,
  open: (row) => OPEN.includes(row.status),
  dealtWith: (row) => DEALT_WITH.includes(row.status),
  verified: (row) => row.status === 'verified',
  relapsed: (row) => row.relapses > 0,
  likelyMoves: (row, context) => context.moveIds.has(row.id),
  overdue: (row, context) => OPEN.includes(row.status) && row.deadline !== null && row.deadline < context.asOf,
  notInspected: (row, context) => row.lon !== null && DEALT_WITH.includes(row.status) && (row.lastInspection === null || row.lastInspection < context.since),
  unlocated: (row) => row.lon === null,
  roadsAwaitingRepair: () => false,
};

/** The test of a figure: whether a row is one of the sites behind it (likely moves: `moveIds`; roads have no sites). */
function figureTest(figure: ScorecardFigure): FigureTest {
  const [kind, code] = figure.split(':');
  if (kind === 'status') return (row) => row.status === code;
  if (kind === 'category') return (row) => row.category === code;
  return NAMED_FIGURES[figure as FigureKey];
}

/** The named figures a county tally counts site by site (likely moves come from the move index, roads from SQL). */
const TALLIED = ['open', 'dealtWith', 'verified', 'relapsed', 'notInspected', 'unlocated'] as const satisfies readonly FigureKey[];
const NO_MOVES: ReadonlySet<number> = new Set();

/** One county's figures as sums of its sites' contributions: a site's old contribution is taken out and its new one added after a write. */
class CountyTally {
  found = 0;
  relapses = 0;
  readonly byStatus = new Map<string, number>();
  readonly byCategory = new Map<string, number>();
  readonly counts = new Map<FigureKey, number>(TALLIED.map((key) => [key, 0]));
  readonly overdue = new Map<number, Row>();
  readonly rows = new Map<number, Row>();
  /** By month number (year × 12 + month − 1). */
  readonly months = new Map<number, MonthCount>();

  private readonly context: FigureContext;

  constructor(context: { asOf: string; since: string }) {
    this.context = { ...context, moveIds: NO_MOVES };
  }

  add(part: Contribution, sign: 1 | -1): void {
    for (const code of part.events) {
      const month = Math.floor(code / KINDS);
      let entry = this.months.get(month);
      if (!entry) this.months.set(month, (entry = { discovered: 0, closed: 0, relapsed: 0, events: 0 }));
      if (code & DISCOVERED) entry.discovered += sign;
      if (code & CLOSED) entry.closed += sign;
      if (code & RELAPSED) entry.relapsed += sign;
      entry.events += sign;
      if (entry.events === 0) this.months.delete(month);
    }
    const row = part.row;
    if (!row) return;
    this.found += sign;
    this.relapses += sign * row.relapses;
    bump(this.byStatus, row.status, sign);
    bump(this.byCategory, row.category, sign);
    const context = this.context;
    for (const key of TALLIED) if (NAMED_FIGURES[key](row, context)) this.counts.set(key, this.counts.get(key)! + sign);
    if (sign > 0) this.rows.set(row.id, row);
    else this.rows.delete(row.id);
    if (NAMED_FIGURES.overdue(row, context)) {
      if (sign > 0) this.overdue.set(row.id, row);
      else this.overdue.delete(row.id);
    }
  }

  trend(): Trend {
    return [...this.months]
      .sort((a, b) => a[0] - b[0])
      .map(([month, count]) => ({ month: monthText(month), discovered: count.discovered, closed: count.closed, relapsed: count.relapsed }));
  }
}

function bump(map: Map<string, number>, key: string, sign: 1 | -1): void {
  const value = (map.get(key) ?? 0) + sign;
  if (value === 0) map.delete(key);
  else map.set(key, value);
}

/** What a site adds as of asOf: the status on asOf is its last event on or before it (a binary search in its events). */
function contribution(site: RelapseInputSite, inspected: ReadonlyMap<number, string>, options: ScorecardOptions): Contribution | null {
  if (options.source && site.source !== options.source) return null;
  const events = site.events;
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (events[middle]!.date > options.asOf) high = middle;
    else low = middle + 1;
  }
  const codes = new Array<number>(low);
  let relapses = 0;
  for (let at = 0; at < low; at++) {
    const event = events[at]!;
    if (event.to === 'relapsed') relapses += 1;
    codes[at] = eventCode(event);
  }
  const status = low > 0 ? events[low - 1]!.to : null;
  const row: Row | null =
    status === null || site.discoveredOn > options.asOf
      ? null
      : {
          id: site.id,
          name: site.name,
          category: site.category,
          status,
          deadline: site.deadline,
          lon: site.lon,
          lat: site.lat,
          source: site.source,
          lastInspection: inspected.get(site.id) ?? null,
          relapses,
        };
  return { county: site.county, row, events: codes };
}

/**
 * Every county's figures as of one date (and staleDays, source), as the sum of each site's
 * contribution, kept per `sites` and `inspections` data version: after a write to sites only the
 * sites in `site_changes` since the version last seen are taken out and added again; a new
 * inspection rebuilds the book (it moves "not inspected").
 */
class ScorecardBook {
  private readonly parts = new Map<number, Contribution>();
  readonly tallies = new Map<string, CountyTally>();
  /** The county of each counted site (a row in the book), by site id: an array, read once per likely move. */
  private readonly countyOf: (string | undefined)[] = [];
  /** Likely moves per county, and what they were counted from (see likelyMoves). */
  private likely: { sitesVersion: number; index: MoveAnswers; decisions: ReadonlyMap<string, string>; counts: Map<string, number> } | null = null;
  private sitesVersion = -1;
  private inspectionsVersion = -1;
  readonly context: { asOf: string; since: string };

  constructor(
    private readonly db: Db,
    private readonly options: ScorecardOptions,
  ) {
    this.context = { asOf: options.asOf, since: addDays(options.asOf, -options.staleDays) };
  }

  /** Brought up to date with the database; returns itself. */
  current(): this {
    const state = relapseState(this.db);
    // The version first: a write landing in between is then read again next time, never missed.
    const sitesVersion = state.version();
    const inspectionsVersion = dataVersion(this.db, ['inspections']);
    if (sitesVersion === this.sitesVersion && inspectionsVersion === this.inspectionsVersion) return this;
    const inspected = lastInspections(this.db, this.options.asOf);
    const changed = inspectionsVersion === this.inspectionsVersion ? state.changedSince(this.sitesVersion) : null;
    if (changed === null) {
      this.parts.clear();
      this.tallies.clear();
      this.countyOf.length = 0;
      for (const site of state.sites()) this.put(site.id, contribution(site, inspected, this.options));
    } else {
      for (const id of changed) {
        const site = state.site(id);
        this.put(id, site ? contribution(site, inspected, this.options) : null);
      }
    }
    this.sitesVersion = sitesVersion;
    this.inspectionsVersion = inspectionsVersion;
    return this;
  }

  private put(id: number, part: Contribution | null): void {
    const before = this.parts.get(id);
    if (before) this.tally(before.county).add(before, -1);
    if (part) {
      this.parts.set(id, part);
      this.tally(part.county).add(part, 1);
    } else this.parts.delete(id);
    this.countyOf[id] = part?.row ? part.county : undefined;
  }

  /**
   * Likely moves per county: the new sites of kept candidates not all dismissed that are counted in
   * this book (a counted site was discovered by asOf). Counted again only when the sites, the move
   * answers or the decisions changed; by site id through an array, not three map look-ups per new site
   * (at 10^5 sites those were most of an unchanged scorecard's time).
   */
  likelyMoves(index: MoveAnswers, decisions: ReadonlyMap<string, string>): Map<string, number> {
    const kept = this.likely;
    if (kept && kept.sitesVersion === this.sitesVersion && kept.index === index && kept.decisions === decisions) return kept.counts;
    const counts = new Map<string, number>();
    const countyOf = this.countyOf;
    for (const toId of index.newSites()) {
      const county = countyOf[toId];
      if (county === undefined) continue;
      if (decisions.size > 0 && index.pairsTo(toId).every((pair) => decisions.get(moveKey(pair.fromId, toId)) === 'dismissed')) continue;
      counts.set(county, (counts.get(county) ?? 0) + 1);
    }
    this.likely = { sitesVersion: this.sitesVersion, index, decisions, counts };
    return counts;
  }

  tally(county: string): CountyTally {
    let tally = this.tallies.get(county);
    if (!tally) this.tallies.set(county, (tally = new CountyTally(this.context)));
    return tally;
  }
}

const books = new WeakMap<Db, Map<string, ScorecardBook>>();
/** Books kept per database (one per asOf, staleDays and source asked lately). */
const BOOKS_KEPT = 4;

function scorecardBook(db: Db, options: ScorecardOptions): ScorecardBook {
  let byKey = books.get(db);
  if (!byKey) books.set(db, (byKey = new Map()));
  const key = `${options.asOf}|${options.staleDays}|${options.source ?? ''}`;
  let book = byKey.get(key);
  if (book) byKey.delete(key);
  else book = new ScorecardBook(db, options);
  byKey.set(key, book);
  while (byKey.size > BOOKS_KEPT) byKey.delete(byKey.keys().next().value!);
  return book.current();
}

/**
 * New sites of likely moves (a kept candidate not dismissed) as of a date, by county — the relapse
 * analysis's move search with its defaults, answered from the kept index (RelapseState, brought up to
 * date after each write). A pair's closure lies before its new site's discovery, so the candidates of
 * a site discovered by asOf are the same as seen on asOf — unless an old site was discovered after
 * asOf but closed before (a history out of order): only then does the search run on the sites as seen.
 */
export function likelyMovesByCounty(db: Db, asOf: string): Map<string, Set<number>> {
  const byCounty = new Map<string, Set<number>>();
  eachLikelyMove(db, asOf, (toId, county) => {
    if (!byCounty.has(county)) byCounty.set(county, new Set());
    byCounty.get(county)!.add(toId);
  });
  return byCounty;
}

/** Each new site of a likely move as of a date, with its county (see likelyMovesByCounty). */
function eachLikelyMove(db: Db, asOf: string, visit: (toId: number, county: string) => void): void {
  const { index, decisions } = likelyMoveAnswers(db, asOf);
  for (const toId of index.newSites()) {
    const to = index.site(toId)!;
    if (to.discoveredOn > asOf) continue;
    if (decisions.size > 0 && index.pairsTo(toId).every((pair) => decisions.get(moveKey(pair.fromId, toId)) === 'dismissed')) continue;
    visit(toId, to.county);
  }
}

/** The move answers for asOf: the kept index, or a search on the sites as seen on asOf (see likelyMovesByCounty); and the decisions. */
function likelyMoveAnswers(db: Db, asOf: string): { index: MoveAnswers; decisions: ReadonlyMap<string, string> } {
  const state = relapseState(db);
  const decisions = state.moveDecisions();
  const index = state.keptMovesAnswer(asOf)
    ? state.moveIndex()
    : MoveIndex.build(
        state.sites().flatMap((site) => moveSiteOf(site, asOf) ?? []),
        resolveRelapseOptions({}),
      );
  return { index, decisions };
}

function roadsOf(db: Db, county: string, options: ScorecardOptions): FigureRoad[] {
  return db
    .all<FigureRoad>(
      `SELECT r.id, r.road_name AS roadName, r.deadline, r.source,
         (SELECT e.to_status FROM road_events e WHERE e.road_id = r.id AND e.date <= :asOf ORDER BY e.date DESC, e.id DESC LIMIT 1) AS status
       FROM road_segments r WHERE r.county_code = :county AND r.reported_on <= :asOf AND (:source IS NULL OR r.source = :source) ORDER BY r.id`,
      { county, asOf: options.asOf, source: options.source },
    )
    .filter((road) => road.status !== 'repaired');
}

const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;

/** In the order of the codes (the keys a county has). */
function ordered(counts: ReadonlyMap<string, number>, codes: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const code of codes) if (counts.has(code)) out[code] = counts.get(code)!;
  for (const [code, count] of counts) if (!(code in out)) out[code] = count;
  return out;
}

/** The scorecards of the given counties, as of a date. */
export function scorecards(db: Db, counties: readonly string[], options: ScorecardOptions): Scorecard[] {
  const book = scorecardBook(db, options);
  const { index, decisions } = likelyMoveAnswers(db, options.asOf);
  const likelyMoves = book.likelyMoves(index, decisions);
  return counties.map((county): Scorecard => {
    const tally = book.tally(county);
    const count = (key: (typeof TALLIED)[number]) => tally.counts.get(key)!;
    const found = tally.found;
    const dealtWith = count('dealtWith');
    return {
      county,
      countyName: db.get<{ name: string }>('SELECT name FROM counties WHERE code = ?', [county])!.name,
      asOf: options.asOf,
      sites: found,
      byStatus: ordered(tally.byStatus, STATUS_CODES),
      byCategory: ordered(tally.byCategory, CATEGORY_CODES),
      zeroing: { found, open: count('open'), dealtWith, verified: count('verified'), shareDealtWith: found ? dealtWith / found : null },
      relapses: tally.relapses,
      relapsedSites: count('relapsed'),
      likelyMoves: likelyMoves.get(county) ?? 0,
      overdue: [...tally.overdue.values()].sort(byId).map((row) => ({ id: row.id, name: row.name, deadline: row.deadline!, status: row.status })),
      roadsAwaitingRepair: roadsOf(db, county, options).length,
      notInspected: count('notInspected'),
      staleDays: options.staleDays,
      unlocated: count('unlocated'),
      trend: tally.trend(),
    };
  });
}

/** The sites (or road segments) behind one figure of a county's scorecard. */
export function scorecardFigure(db: Db, county: string, figure: ScorecardFigure, options: ScorecardOptions): FigureList {
  const book = scorecardBook(db, options);
  const moveIds = figure === 'likelyMoves' ? (likelyMovesByCounty(db, options.asOf).get(county) ?? NO_MOVES) : NO_MOVES;
  const context = { ...book.context, moveIds };
  const test = figureTest(figure);
  const sites = [...book.tally(county).rows.values()]
    .filter((row) => test(row, context))
    .sort(byId)
    .map(({ lastInspection: _l, relapses: _r, ...site }) => site);
  return { county, figure, asOf: options.asOf, sites, roads: figure === 'roadsAwaitingRepair' ? roadsOf(db, county, options) : [] };
}
