// County scorecards: what each county official answers for, as of a date. Every figure is a set of
// sites (or road segments) computed once here; the scorecard counts the sets and
// `scorecardFigure` lists one of them, so a figure and the sites shown for it on the map never differ.
import type { Db } from '../db/database.ts';
import { CATEGORY_CODES } from '../../domain/categories.ts';
import { OPEN_STATUSES, STATUS_CODES } from '../../domain/statuses.ts';
import { FIGURE_KEYS, type FigureKey } from '../../domain/scorecard-figures.ts';
import { analyzeRelapse } from '../geo/analyze-relapse.ts';
import { moveDecisions, relapseInputs, type RelapseInputSite } from './relapse-store.ts';
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

/**
 * Every site of the chosen counties as it stood on `asOf`, read in one pass: the relapse analysis's
 * inputs (sites with their status events) give the status and relapses on the date; two grouped
 * queries add deadlines, sources and the last inspection.
 */
function siteRows(db: Db, inputs: readonly RelapseInputSite[], counties: ReadonlySet<string>, options: ScorecardOptions): Map<string, Row[]> {
  const extra = new Map(db.all<{ id: number; deadline: string | null; source: string }>('SELECT id, deadline, source FROM sites').map((row) => [row.id, row]));
  const inspected = new Map(
    db
      .all<{ id: number; last: string }>('SELECT site_id AS id, max(date) AS last FROM inspections WHERE date <= ? GROUP BY site_id', [options.asOf])
      .map((row) => [row.id, row.last]),
  );
  const byCounty = new Map<string, Row[]>([...counties].map((code) => [code, []]));
  for (const site of inputs) {
    const rows = byCounty.get(site.county);
    const more = extra.get(site.id);
    if (!rows || !more || site.discoveredOn > options.asOf || (options.source && more.source !== options.source)) continue;
    let status: string | null = null;
    let relapses = 0;
    for (const event of site.events) {
      if (event.date > options.asOf) break;
      status = event.to;
      if (event.to === 'relapsed') relapses += 1;
    }
    if (status === null) continue;
    rows.push({
      id: site.id,
      name: site.name,
      category: site.category,
      status,
      deadline: more.deadline,
      lon: site.lon,
      lat: site.lat,
      source: more.source,
      lastInspection: inspected.get(site.id) ?? null,
      relapses,
    });
  }
  return byCounty;
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
    const trend = this.db.all<{ month: string; discovered: number; closed: number; relapsed: number }>(
      `SELECT substr(e.date, 1, 7) AS month,
         sum(e.from_status IS NULL) AS discovered,
         sum(e.to_status = 'closed') AS closed,
         sum(e.to_status = 'relapsed') AS relapsed
       FROM site_events e JOIN sites s ON s.id = e.site_id
       WHERE s.county_code = :county AND s.status <> 'voided' AND e.kind = 'status' AND e.date <= :asOf AND (:source IS NULL OR s.source = :source)
       GROUP BY month ORDER BY month`,
      { county: this.county, asOf: this.asOf, source: this.options.source },
    );
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
      trend,
    };
  }
}

/** New sites of likely moves (not dismissed) as of a date, by county — the relapse analysis with its defaults. */
export function likelyMovesByCounty(db: Db, inputs: readonly RelapseInputSite[], asOf: string): Map<string, Set<number>> {
  const result = analyzeRelapse(inputs, { asOf, decisions: moveDecisions(db) });
  const byCounty = new Map<string, Set<number>>();
  for (const move of result.moves) {
    if (move.decision === 'dismissed') continue;
    if (!byCounty.has(move.county)) byCounty.set(move.county, new Set());
    byCounty.get(move.county)!.add(move.toId);
  }
  return byCounty;
}

/**
 * How to get the likely moves for a date: by default the analysis runs each time; the routes pass a
 * memo valid until the next write, since the move search is the slow part at 10^4+ sites.
 */
export type LikelyMoves = (inputs: readonly RelapseInputSite[], asOf: string) => Map<string, Set<number>>;

function facts(db: Db, counties: readonly string[], options: ScorecardOptions, moves: LikelyMoves | null): CountyFacts[] {
  // Likely moves cross county lines (a firm closed in one county reopens in the next): they need every
  // site; the figures alone need only the chosen counties'.
  const inputs = relapseInputs(db, moves ? undefined : counties);
  const rows = siteRows(db, inputs, new Set(counties), options);
  const movesTo = moves ? moves(inputs, options.asOf) : new Map<string, Set<number>>();
  return counties.map((county) => new CountyFacts(db, county, rows.get(county) ?? [], options, movesTo));
}

/** The scorecards of the given counties, as of a date. */
export function scorecards(
  db: Db,
  counties: readonly string[],
  options: ScorecardOptions,
  moves: LikelyMoves = (inputs, asOf) => likelyMovesByCounty(db, inputs, asOf),
): Scorecard[] {
  return facts(db, counties, options, moves).map((county) => county.scorecard());
}

/** The sites (or road segments) behind one figure of a county's scorecard. */
export function scorecardFigure(
  db: Db,
  county: string,
  figure: ScorecardFigure,
  options: ScorecardOptions,
  moves: LikelyMoves = (inputs, asOf) => likelyMovesByCounty(db, inputs, asOf),
): FigureList {
  const [one] = facts(db, [county], options, figure === 'likelyMoves' ? moves : null);
  const sites = one!.sites(figure).map(({ lastInspection: _l, relapses: _r, ...site }) => site);
  return { county, figure, asOf: options.asOf, sites, roads: figure === 'roadsAwaitingRepair' ? one!.roads : [] };
}
