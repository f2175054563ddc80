// County scorecards: what each county official answers for, as of a date. Every figure is a set of
// sites (or road segments) computed once here; the scorecard counts the sets and
// `scorecardFigure` lists one of them, so a figure and the sites shown for it on the map never differ.
import type { Db } from '../db/database.ts';
import { CATEGORY_CODES } from '../../domain/categories.ts';
import { OPEN_STATUSES, STATUS_CODES } from '../../domain/statuses.ts';
import { FIGURE_KEYS, type FigureKey } from '../../domain/scorecard-figures.ts';
import { moveKey, MoveIndex, moveSiteOf, resolveRelapseOptions } from '../geo/analyze-relapse.ts';
import { relapseState, type RelapseInputSite } from './relapse-store.ts';
import { ChangeMemo } from './response-cache.ts';
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
 * Every site of the chosen counties as it stood on `asOf`, and each county's trend, in one pass over
 * the sites with their status events kept in memory (RelapseState): the status and relapses on the
 * date, deadline and source; one grouped query (kept until the next inspection) adds the last inspection.
 */
function siteRows(
  db: Db,
  inputs: readonly RelapseInputSite[],
  counties: ReadonlySet<string>,
  options: ScorecardOptions,
): Map<string, { rows: Row[]; trend: Trend }> {
  const inspected = lastInspections(db, options.asOf);
  const byCounty = new Map<string, Row[]>([...counties].map((code) => [code, []]));
  const months = new Map<string, Map<string, Trend[number]>>([...counties].map((code) => [code, new Map()]));
  for (const site of inputs) {
    const rows = byCounty.get(site.county);
    if (!rows || (options.source && site.source !== options.source)) continue;
    const trend = months.get(site.county)!;
    let status: string | null = null;
    let relapses = 0;
    for (const event of site.events) {
      if (event.date > options.asOf) break;
      status = event.to;
      if (event.to === 'relapsed') relapses += 1;
      const month = event.date.slice(0, 7);
      let entry = trend.get(month);
      if (!entry) trend.set(month, (entry = { month, discovered: 0, closed: 0, relapsed: 0 }));
      if (event.initial) entry.discovered += 1;
      if (event.to === 'closed') entry.closed += 1;
      if (event.to === 'relapsed') entry.relapsed += 1;
    }
    if (status === null || site.discoveredOn > options.asOf) continue;
    rows.push({
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
    });
  }
  return new Map(
    [...byCounty].map(([county, rows]) => [county, { rows, trend: [...months.get(county)!.values()].sort((a, b) => (a.month < b.month ? -1 : 1)) }]),
  );
}

/** Everything the figures of one county are made of. */
class CountyFacts {
  readonly roads: FigureRoad[];
  readonly asOf: string;
  private readonly since: string;

  constructor(
    private readonly db: Db,
    readonly county: string,
    readonly rows: readonly Row[],
    private readonly trend: Trend,
    private readonly options: ScorecardOptions,
    private readonly movesTo: Map<string, Set<number>>,
  ) {
    this.asOf = options.asOf;
    const params = { county, asOf: options.asOf, source: options.source };
    this.since = addDays(options.asOf, -options.staleDays);
    this.roads = db
      .all<FigureRoad>(
        `SELECT r.id, r.road_name AS roadName, r.deadline, r.source,
         (SELECT e.to_status FROM road_events e WHERE e.road_id = r.id AND e.date <= :asOf ORDER BY e.date DESC, e.id DESC LIMIT 1) AS status
       FROM road_segments r WHERE r.county_code = :county AND r.reported_on <= :asOf AND (:source IS NULL OR r.source = :source) ORDER BY r.id`,
        params,
      )
      .filter((road) => road.status !== 'repaired');
  }

  /** The sites behind one figure (roads awaiting repair have none: see `roads`). */
  sites(figure: ScorecardFigure): readonly Row[] {
    const [kind, code] = figure.split(':');
    if (kind === 'status') return this.rows.filter((row) => row.status === code);
    if (kind === 'category') return this.rows.filter((row) => row.category === code);
    const open = OPEN_STATUSES as readonly string[];
    switch (figure as FigureKey) {
      case 'sites':
        return this.rows;
      case 'open':
        return this.rows.filter((row) => open.includes(row.status));
      case 'dealtWith':
        return this.rows.filter((row) => DEALT_WITH.includes(row.status));
      case 'verified':
        return this.rows.filter((row) => row.status === 'verified');
      case 'relapsed':
        return this.rows.filter((row) => row.relapses > 0);
      case 'likelyMoves': {
        const ids = this.movesTo.get(this.county) ?? new Set();
        return this.rows.filter((row) => ids.has(row.id));
      }
      case 'overdue':
        return this.rows.filter((row) => open.includes(row.status) && row.deadline !== null && row.deadline < this.asOf);
      case 'notInspected':
        return this.rows.filter(
          (row) => row.lon !== null && DEALT_WITH.includes(row.status) && (row.lastInspection === null || row.lastInspection < this.since),
        );
      case 'unlocated':
        return this.rows.filter((row) => row.lon === null);
      case 'roadsAwaitingRepair':
        return [];
    }
  }

  scorecard(): Scorecard {
    const byStatus: Record<string, number> = {};
    const byCategory: Record<string, number> = {};
    for (const row of this.rows) {
      byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
      byCategory[row.category] = (byCategory[row.category] ?? 0) + 1;
    }
    const found = this.rows.length;
    const dealtWith = this.sites('dealtWith').length;
    return {
      county: this.county,
      countyName: this.db.get<{ name: string }>('SELECT name FROM counties WHERE code = ?', [this.county])!.name,
      asOf: this.asOf,
      sites: found,
      byStatus,
      byCategory,
      zeroing: { found, open: this.sites('open').length, dealtWith, verified: this.sites('verified').length, shareDealtWith: found ? dealtWith / found : null },
      relapses: this.rows.reduce((n, row) => n + row.relapses, 0),
      relapsedSites: this.sites('relapsed').length,
      likelyMoves: this.sites('likelyMoves').length,
      overdue: this.sites('overdue').map((row) => ({ id: row.id, name: row.name, deadline: row.deadline!, status: row.status })),
      roadsAwaitingRepair: this.roads.length,
      notInspected: this.sites('notInspected').length,
      staleDays: this.options.staleDays,
      unlocated: this.sites('unlocated').length,
      trend: this.trend,
    };
  }
}

/**
 * New sites of likely moves (a kept candidate not dismissed) as of a date, by county — the relapse
 * analysis's move search with its defaults. When asOf sees every record, the kept index answers
 * (RelapseState, brought up to date after each write); for an earlier day the search runs on the
 * sites as seen then.
 */
export function likelyMovesByCounty(db: Db, asOf: string): Map<string, Set<number>> {
  const state = relapseState(db);
  const decisions = state.moveDecisions();
  const index =
    asOf >= state.latest()
      ? state.moveIndex()
      : MoveIndex.build(
          state.sites().flatMap((site) => moveSiteOf(site, asOf) ?? []),
          resolveRelapseOptions({}),
        );
  const byCounty = new Map<string, Set<number>>();
  for (const toId of index.newSites()) {
    const to = index.site(toId)!;
    if (to.discoveredOn > asOf) continue;
    if (decisions.size > 0 && index.pairsTo(toId).every((pair) => decisions.get(moveKey(pair.fromId, toId)) === 'dismissed')) continue;
    if (!byCounty.has(to.county)) byCounty.set(to.county, new Set());
    byCounty.get(to.county)!.add(toId);
  }
  return byCounty;
}

function facts(db: Db, counties: readonly string[], options: ScorecardOptions, withMoves: boolean): CountyFacts[] {
  const rows = siteRows(db, relapseState(db).sites(), new Set(counties), options);
  const movesTo = withMoves ? likelyMovesByCounty(db, options.asOf) : new Map<string, Set<number>>();
  return counties.map((county) => new CountyFacts(db, county, rows.get(county)?.rows ?? [], rows.get(county)?.trend ?? [], options, movesTo));
}

/** The scorecards of the given counties, as of a date. */
export function scorecards(db: Db, counties: readonly string[], options: ScorecardOptions): Scorecard[] {
  return facts(db, counties, options, true).map((county) => county.scorecard());
}

/** The sites (or road segments) behind one figure of a county's scorecard. */
export function scorecardFigure(db: Db, county: string, figure: ScorecardFigure, options: ScorecardOptions): FigureList {
  const [one] = facts(db, [county], options, figure === 'likelyMoves');
  const sites = one!.sites(figure).map(({ lastInspection: _l, relapses: _r, ...site }) => site);
  return { county, figure, asOf: options.asOf, sites, roads: figure === 'roadsAwaitingRepair' ? one!.roads : [] };
}
