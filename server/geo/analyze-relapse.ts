// Relapse hotspots (死灰复燃与转移热点, issue 6): relapses, likely moves of closed firms, a hexagon
// grid of where they concentrate (Getis-Ord Gi*), and relapse rates per county and township. Pure:
// sites with their status events in, plain data out; the API, the map, the tests and the benchmark
// all call this one function.
//
// What is seen and counted:
// - asOf: a site discovered after asOf does not exist yet, and only events on or before it are seen.
// - categories: sites of other categories are ignored everywhere. counties: relapses, the new side of
//   a move, rates and the grid's extent use only sites of those counties; the old (closed) side of a
//   move may be anywhere, so a firm that crossed a county line is still found.
// - The window [from, to] selects relapses by their day, moves by the new site's discovery day and
//   closures (for rates) by their day. A move's closure itself may lie before the window.
// - The grid spans the bbox of every located, counted, seen site (not only those with events), so
//   the cells and their zeros do not jump about when the window changes. Given a study area (the
//   county polygons), it also spans their bbox and keeps only the cells whose centre lies inside the
//   chosen counties (plus any cell holding a counted site): Gi*'s mean and spread are then those of
//   the territory, not of empty corners of a rectangle.
// - Confidence is corrected for testing every cell (Benjamini–Hochberg FDR) unless correction: 'none'.
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { describeRelapse } from './relapse-definitions.ts';
import { confidenceOf, fdrConfidences, giStar, kindOf, twoSidedP } from './relapse-gistar.ts';
import { buildHexGrid, cellCentreLonLat, cellIdAt, cellNeighbours, cellPolygon, cellPosition, type HexGrid } from './relapse-hexgrid.ts';
import { CountyLocator, geometryBbox } from '../../domain/locate-county.ts';
import { comparePairs, MoveIndex, moveKey, type MovePair, type MoveSite, type PairList } from './relapse-moves.ts';
import type { MoveAnswers } from './relapse-kept-moves.ts';
import { dayNumber, daysBetween } from '../../domain/days.ts';
import { CLOSURE_STATUSES, inWindow, MOVE_CLOSURE_STATUSES, RelapseOptionError, resolveRelapseOptions } from './relapse-options.ts';
import type {
  HotspotCellProperties,
  HotspotConfidence,
  MoveDecision,
  RelapseEvent,
  RelapseOptions,
  RelapseRate,
  RelapseResult,
  RelapseSiteInput,
} from './relapse-types.ts';
import type { StatusCode } from '../../domain/statuses.ts';

export { CONFIDENCE_THRESHOLDS, confidenceOf, fdrConfidences, giStar, twoSidedP } from './relapse-gistar.ts';
export { MOVE_CANDIDATES_PER_SITE, MOVE_SCORE_WEIGHTS, MoveIndex, moveKey, moveScore } from './relapse-moves.ts';
export { bigramDice, NAME_SUFFIXES, nameSimilarity, normaliseName } from './relapse-names.ts';
export {
  CLOSURE_STATUSES,
  DEFAULT_CELL_KM,
  DEFAULT_RADIUS_KM,
  DEFAULT_WITHIN_DAYS,
  MOVE_CLOSURE_STATUSES,
  RelapseOptionError,
  resolveRelapseOptions,
} from './relapse-options.ts';
export type * from './relapse-types.ts';

const closureStatuses = new Set<StatusCode>(CLOSURE_STATUSES);
const moveClosureStatuses = new Set<StatusCode>(MOVE_CLOSURE_STATUSES);

interface RateCounter {
  county: string;
  township: string | null;
  /** Sites with a closure in the window (each site is scanned once, so counted once). */
  closures: number;
  relapses: number;
}

function isLocated(site: RelapseSiteInput): site is RelapseSiteInput & { lon: number; lat: number } {
  return typeof site.lon === 'number' && typeof site.lat === 'number' && Number.isFinite(site.lon) && Number.isFinite(site.lat);
}

function toRate(counter: RateCounter): RelapseRate {
  const { closures } = counter;
  return {
    county: counter.county,
    township: counter.township,
    closures,
    relapses: counter.relapses,
    rate: closures > 0 ? counter.relapses / closures : null,
  };
}

function byPlace(a: RelapseRate, b: RelapseRate): number {
  return a.county.localeCompare(b.county, 'zh') || (a.township ?? '').localeCompare(b.township ?? '', 'zh');
}

/**
 * A site as the move search sees it as of a day (null: everything): null when unlocated or not yet
 * discovered; its closures are its moves to closed seen by then.
 */
export function moveSiteOf(site: RelapseSiteInput, asOf: string | null): MoveSite | null {
  const discoveredOn = site.discoveredOn.slice(0, 10);
  if (!isLocated(site) || (asOf !== null && discoveredOn > asOf)) return null;
  // Most sites have no closure or one: an array of one made as such (a push into [] takes 17 slots).
  let closures: MoveSite['closures'] | null = null;
  for (const event of site.events) {
    const date = event.date.slice(0, 10);
    if ((asOf !== null && date > asOf) || !moveClosureStatuses.has(event.to)) continue;
    const day = dayNumber(date);
    if (day === null) continue;
    if (closures === null) closures = [{ day, date }];
    else closures.push({ day, date });
  }
  const { id, name, category, lon, lat, county, township } = site;
  return {
    id,
    name,
    category,
    lon,
    lat,
    county,
    township,
    day: dayNumber(discoveredOn),
    discoveredOn,
    closures: closures?.sort((a, b) => a.day - b.day) ?? [],
  };
}

/** What analyzeRelapse may be given besides the sites and options. */
export interface RelapseExtras {
  /**
   * The likely-move index of the same sites, kept between calls (server/store/relapse-store.ts): used
   * when built with the same radiusKm and withinDays, for any asOf unless a site discovered after asOf
   * has a move closure dated before its discovery (then the search runs on the sites as seen).
   */
  moveIndex?: MoveAnswers;
  /** The page of the move list: at most `limit` candidates after `cursor` (a page's `next`); default every candidate. */
  page?: { limit?: number; cursor?: string | null };
}

/** The position of a page's cursor ("SCORE~OLD-NEW", the last candidate sent) in the list. */
function pageStart(pairs: PairList, cursor: string | null | undefined): number {
  if (cursor === undefined || cursor === null || cursor === '') return 0;
  const match = /^(-?[0-9.]+(?:e-?[0-9]+)?)~(\d{1,15})-(\d{1,15})$/.exec(cursor);
  if (!match || !Number.isFinite(Number(match[1])))
    throw new RelapseOptionError('cursor', `cursor must be the "next" of a previous page (SCORE~OLD-NEW), not ${cursor}`, {
      reason: 'bad_format',
      value: cursor,
    });
  const last = { score: Number(match[1]), fromId: Number(match[2]), toId: Number(match[3]) } as MovePair;
  let low = 0;
  let high = pairs.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (comparePairs(pairs.at(middle)!, last) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function analyzeRelapse(sites: readonly RelapseSiteInput[], options: RelapseOptions, extras: RelapseExtras = {}): RelapseResult {
  const resolved = resolveRelapseOptions(options);
  const { asOf } = resolved;
  const categories = new Set(resolved.categories);
  const counties = resolved.counties ? new Set(resolved.counties) : null;

  const relapses: RelapseEvent[] = [];
  const moveSites: MoveSite[] = [];
  const newIds = new IdFlags();
  /** Whether every located site with a discovery day is a new site here (then the kept index's list needs no filter). */
  let everyNew = true;
  /** Whether a site discovered after asOf has a move closure dated before its discovery (then the kept index cannot answer asOf). */
  let closedBeforeFoundLater = false;
  let latest = '';
  // The kept index answers these options whatever the histories say: no site needs its move record here.
  const keptAnswers =
    extras.moveIndex !== undefined &&
    asOf === null &&
    extras.moveIndex.options.radiusKm === resolved.radiusKm &&
    extras.moveIndex.options.withinDays === resolved.withinDays;
  const gridPoints: [number, number][] = [];
  const countyRates = new Map<string, RateCounter>();
  const townshipRates = new Map<string, Map<string | null, RateCounter>>();
  const countyCounter = (county: string): RateCounter => {
    let found = countyRates.get(county);
    if (!found) countyRates.set(county, (found = { county, township: null, closures: 0, relapses: 0 }));
    return found;
  };
  const townshipCounter = (county: string, township: string | null): RateCounter => {
    let inCounty = townshipRates.get(county);
    if (!inCounty) townshipRates.set(county, (inCounty = new Map()));
    let found = inCounty.get(township);
    if (!found) inCounty.set(township, (found = { county, township, closures: 0, relapses: 0 }));
    return found;
  };

  for (const site of sites) {
    const discoveredOn = site.discoveredOn.slice(0, 10);
    if (discoveredOn > latest) latest = discoveredOn;
    for (const event of site.events) if (event.date > latest) latest = event.date.slice(0, 10);
    if (!categories.has(site.category) || (asOf !== null && discoveredOn > asOf)) {
      if (everyNew && isLocated(site) && dayNumber(discoveredOn) !== null) everyNew = false;
      if (asOf !== null && discoveredOn > asOf && !closedBeforeFoundLater)
        closedBeforeFoundLater = site.events.some((event) => moveClosureStatuses.has(event.to) && event.date.slice(0, 10) < discoveredOn);
      continue;
    }
    const located = isLocated(site);
    const counted = counties === null || counties.has(site.county);
    const moveClosures: MoveSite['closures'] = [];
    let lastClosure: { date: string; status: StatusCode } | null = null;
    let lastVerified: string | null = null;
    let closedInWindow = false;

    for (const event of site.events) {
      const date = event.date.slice(0, 10);
      if (asOf !== null && date > asOf) continue;
      if (!keptAnswers && moveClosureStatuses.has(event.to)) {
        const day = dayNumber(date);
        if (day !== null) moveClosures.push({ day, date });
      }
      if (!counted) continue;
      if (closureStatuses.has(event.to)) {
        lastClosure = { date, status: event.to };
        lastVerified = null;
        if (inWindow(date, resolved)) closedInWindow = true;
      } else if (event.to === 'verified') {
        lastVerified = date;
      } else if (event.to === 'relapsed' && inWindow(date, resolved)) {
        const closedOn = lastClosure?.date ?? lastVerified;
        relapses.push({
          siteId: site.id,
          name: site.name,
          category: site.category,
          date,
          closedOn,
          closedAs: lastClosure?.status ?? (lastVerified !== null ? 'verified' : null),
          daysSinceClosure: closedOn === null ? null : daysBetween(closedOn, date),
          lon: located ? site.lon : null,
          lat: located ? site.lat : null,
          county: site.county,
          township: site.township,
        });
        countyCounter(site.county).relapses++;
        townshipCounter(site.county, site.township).relapses++;
      }
    }

    if (closedInWindow) {
      countyCounter(site.county).closures++;
      townshipCounter(site.county, site.township).closures++;
    }
    if (!located) continue;
    const { id, name, category, lon, lat, county, township } = site;
    const day = dayNumber(discoveredOn);
    const isNew = counted && day !== null && inWindow(discoveredOn, resolved);
    if (counted) gridPoints.push([lon, lat]);
    if (isNew) newIds.add(id);
    else if (day !== null) everyNew = false;
    // Object literals, not spreads: this loop runs once per site.
    if (!keptAnswers && (isNew || moveClosures.length > 0))
      moveSites.push({ id, name, category, lon, lat, county, township, day, discoveredOn, closures: moveClosures.sort((a, b) => a.day - b.day) });
  }

  // Likely moves: the kept index when it answers these options, else a search of the sites as seen.
  const keptIndex = extras.moveIndex;
  const keptFits =
    keptIndex !== undefined &&
    keptIndex.options.radiusKm === resolved.radiusKm &&
    keptIndex.options.withinDays === resolved.withinDays &&
    // A pair's closure lies before its new site's discovery, so the candidates of the sites
    // discovered by asOf are those seen on asOf, unless a later-discovered site was closed before.
    (asOf === null || asOf >= latest || !closedBeforeFoundLater);
  const index = keptFits ? keptIndex : MoveIndex.build(moveSites, resolved, (site) => newIds.has(site.id));
  const allPairs: PairList = keptFits && !everyNew ? keptIndex.pairs().filter((pair) => newIds.has(pair.toId)) : index.list();
  const decided = new Map<number, Map<number, MoveDecision>>();
  for (const [key, decision] of options.decisions ?? []) {
    const [fromId, toId] = key.split('-').map(Number);
    bucketOf(decided, toId!).set(fromId!, decision);
  }
  const decisionOf = (pair: MovePair): MoveDecision | null => decided.get(pair.toId)?.get(pair.fromId) ?? null;
  const start = pageStart(allPairs, extras.page?.cursor);
  const limit = extras.page?.limit ?? Infinity;
  const pagePairs: MovePair[] = [];
  for (let at = start; at < allPairs.length && pagePairs.length < limit; at++) pagePairs.push(allPairs.at(at)!);
  const moves = pagePairs.map((pair) => index.candidate(pair, decisionOf(pair)));
  const lastSent = pagePairs.at(-1);
  const next = lastSent && start + pagePairs.length < allPairs.length ? `${lastSent.score}~${moveKey(lastSent.fromId, lastSent.toId)}` : null;
  // By day, then site id; sorted on numbers (string comparisons cost more at 10^5 relapses).
  const relapseDays = relapses.map((relapse) => dayNumber(relapse.date) ?? 0);
  const order = relapses.map((_, index) => index).sort((a, b) => relapseDays[a]! - relapseDays[b]! || relapses[a]!.siteId - relapses[b]!.siteId || a - b);
  const sortedRelapses = order.map((index) => relapses[index]!);

  // Hotspot cells.
  const areaParts = options.studyArea?.filter((part) => counties === null || counties.has(part.code)) ?? [];
  const extentPoints: [number, number][] = [...gridPoints];
  for (const part of areaParts) {
    const [west, south, east, north] = geometryBbox(part.geometry);
    extentPoints.push([west, south], [east, north]);
  }
  const grid = buildHexGrid(extentPoints, resolved.cellKm);
  const kept = grid ? studyCells(grid, gridPoints, areaParts) : [];
  const indexOf = new Map(kept.map((id, index) => [id, index]));
  const size = kept.length;
  const relapseCounts = new Array<number>(size).fill(0);
  const moveCounts = new Array<number>(size).fill(0);
  const cellOf = (lon: number, lat: number): number => (grid ? (indexOf.get(cellIdAt(grid, lon, lat)) ?? -1) : -1);
  let unlocatedRelapses = 0;
  if (grid) {
    for (const relapse of sortedRelapses) {
      if (relapse.lon === null || relapse.lat === null) continue;
      const index = cellOf(relapse.lon, relapse.lat);
      if (index >= 0) relapseCounts[index]!++;
    }
    // Each new site with a candidate not dismissed, once (a new site listed has a candidate; only a
    // decided one can have none left: the others' pairs are not read).
    for (const toId of index.newSites()) {
      if (!newIds.has(toId) || (decided.has(toId) && index.pairsTo(toId).every((pair) => decisionOf(pair) === 'dismissed'))) continue;
      const site = index.site(toId)!;
      const cell = cellOf(site.lon, site.lat);
      if (cell >= 0) moveCounts[cell]!++;
    }
  }
  for (const relapse of sortedRelapses) if (relapse.lon === null) unlocatedRelapses++;

  const counts = relapseCounts.map((value, index) => value + moveCounts[index]!);
  const neighbours = grid ? kept.map((id) => cellNeighbours(grid, id).flatMap((other) => indexOf.get(other) ?? [])) : [];
  const z = giStar(counts, neighbours);
  const corrected = resolved.correction === 'fdr' ? fdrConfidences(z) : null;
  const hotCells: Record<HotspotConfidence, number> = { 90: 0, 95: 0, 99: 0 };
  const coldCells: Record<HotspotConfidence, number> = { 90: 0, 95: 0, 99: 0 };
  const features: Feature<Polygon, HotspotCellProperties>[] = [];
  if (grid)
    kept.forEach((id, index) => {
      const confidence = corrected ? corrected.confidence[index]! : confidenceOf(z[index]!);
      const kind = kindOf(z[index]!, confidence);
      if (kind === 'hot') hotCells[confidence!]++;
      else if (kind === 'cold') coldCells[confidence!]++;
      const [column, row] = cellPosition(grid, id);
      features.push({
        type: 'Feature',
        properties: {
          id,
          column,
          row,
          count: counts[index]!,
          relapses: relapseCounts[index]!,
          moves: moveCounts[index]!,
          z: z[index]!,
          p: twoSidedP(z[index]!),
          confidence,
          kind,
        },
        geometry: cellPolygon(grid, id),
      });
    });
  const neighbourhoodSizes = neighbours.map((list) => list.length + 1);
  // Uncorrected cutoffs are the two-sided p-values of the fixed critical z-values.
  const pCutoffs = corrected?.cutoffs ?? { 99: 0.01, 95: 0.05, 90: 0.1 };

  return {
    options: resolved,
    relapses: sortedRelapses,
    moves,
    movesPage: { total: allPairs.length, limit: Number.isFinite(limit) ? limit : null, next },
    cells: { type: 'FeatureCollection', features },
    grid: grid
      ? {
          centre: [grid.lon0, grid.lat0],
          cellKm: grid.cellKm,
          sideKm: grid.sideKm,
          areaKm2: (Math.sqrt(3) / 2) * grid.cellKm * grid.cellKm,
          columns: grid.columns,
          rows: grid.rows,
          extent: areaParts.length > 0 ? 'counties' : 'bbox',
          cells: size,
          neighbourhood: {
            kind: 'hexagon-edge',
            distanceKm: 1.01 * grid.cellKm,
            fewest: Math.min(...neighbourhoodSizes),
            most: Math.max(...neighbourhoodSizes),
            mean: neighbourhoodSizes.reduce((sum, n) => sum + n, 0) / Math.max(1, size),
          },
        }
      : null,
    rates: {
      counties: [...countyRates.values()].map(toRate).sort(byPlace),
      townships: [...townshipRates.values()].flatMap((inCounty) => [...inCounty.values()].map(toRate)).sort(byPlace),
    },
    summary: {
      relapses: sortedRelapses.length,
      unlocatedRelapses,
      moveCandidates: allPairs.length,
      movesCounted: moveCounts.reduce((sum, value) => sum + value, 0),
      hotCells,
      coldCells,
      correction: resolved.correction,
      pCutoffs,
    },
    definitions: describeRelapse(resolved, areaParts.length > 0 ? 'counties' : 'bbox'),
  };
}

function bucketOf<K, V>(map: Map<K, Map<number, V>>, key: K): Map<number, V> {
  let found = map.get(key);
  if (!found) map.set(key, (found = new Map()));
  return found;
}

/**
 * Grid ids of the cells in the analysis, ascending: with a study area, those whose centre lies in
 * one of its polygons or that hold one of the counted sites; without, every cell of the grid.
 */
function studyCells(grid: HexGrid, sitePoints: readonly [number, number][], area: readonly { code: string; geometry: Polygon | MultiPolygon }[]): number[] {
  if (area.length === 0) return Array.from({ length: grid.size }, (_, id) => id);
  const locator = new CountyLocator(area);
  const keep = new Uint8Array(grid.size);
  for (const [lon, lat] of sitePoints) {
    const id = cellIdAt(grid, lon, lat);
    if (id >= 0) keep[id] = 1;
  }
  for (let id = 0; id < grid.size; id++) {
    if (keep[id]) continue;
    const [lon, lat] = cellCentreLonLat(grid, id);
    if (locator.locate(lon!, lat!) !== null) keep[id] = 1;
  }
  const ids: number[] = [];
  keep.forEach((flag, id) => flag && ids.push(id));
  return ids;
}

/** A set of site ids as flags by id (a Set of 10^5 numbers was a tenth of the event scan); ids beyond 2^26 in a Set. */
class IdFlags {
  private flags = new Uint8Array(1024);
  private readonly large = new Set<number>();

  add(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= 2 ** 26) {
      this.large.add(id);
      return;
    }
    if (id >= this.flags.length) {
      const grown = new Uint8Array(Math.max(2 * this.flags.length, id + 1));
      grown.set(this.flags);
      this.flags = grown;
    }
    this.flags[id] = 1;
  }

  has(id: number): boolean {
    return id >= 0 && id < this.flags.length && Number.isInteger(id) ? this.flags[id] === 1 : this.large.has(id);
  }
}
