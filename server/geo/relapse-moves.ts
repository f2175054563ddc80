// Likely moves (改头换面转移): a new site discovered soon after, and near, the closure of a site of
// the same category. Only the MOVE_CANDIDATES_PER_SITE best old sites of each new site are kept
// (best: highest score, then lowest old id), so the list grows with the sites, not with their pairs.
//
// The index: closures bucketed by category in a lon/lat grid at least radiusKm wide (in every
// direction, at the highest latitude present), each bucket sorted by day, so a new site looks at
// 3 × 3 buckets and only the closures 1..withinDays days before its discovery. The index is searched
// once; the candidates are kept, persisted and brought up to date by KeptMoves (relapse-kept-moves.ts).
// Names are compared by sorted bigram codes built once per site (relapse-names.ts). The buckets and
// the typed arrays a search reads are in relapse-move-buckets.ts.
import { EARTH_RADIUS_KM, haversineKm, RADIANS } from './sphere.ts';
import { bigramCodes, codesDiceIn, normaliseName } from './relapse-names.ts';
import type { CategoryCode } from '../../domain/categories.ts';
import type { MoveCandidate, MoveDecision, ResolvedRelapseOptions } from './relapse-types.ts';
import { bucket, cellKey, lowerBoundDays, packed, Reach, type ClosureBucket, type Entry } from './relapse-move-buckets.ts';

/** Weights of the move score: distance, time, name. They add up to 1. */
export const MOVE_SCORE_WEIGHTS = { distance: 0.35, time: 0.25, name: 0.4 } as const;

/**
 * The candidates kept per new site: its best old sites by score. A new site rarely has more than one
 * real predecessor; 3 leaves the officials a choice when two closed firms of the trade stood nearby,
 * and bounds the list at 3 × the new sites (at 10^5 synthetic sites, 27 pairs per new site were found).
 */
export const MOVE_CANDIDATES_PER_SITE = 3;

/**
 * The revision of the search and its score: raise it when either changes, so candidates saved by an
 * earlier revision (migration 017) are searched again rather than trusted.
 */
export const MOVE_SEARCH_REVISION = 1;

/** The key of a candidate pair, old site first: `${oldId}-${newId}`. */
export function moveKey(oldId: number, newId: number): string {
  return `${oldId}-${newId}`;
}

/** A located site as the move search sees it: the old side when it has closures, the new side when it has a day. */
export interface MoveSite {
  id: number;
  name: string;
  category: CategoryCode;
  lon: number;
  lat: number;
  county: string;
  township: string | null;
  /** Discovery day number (domain/days.ts), null when the date is not a day. */
  day: number | null;
  discoveredOn: string;
  /** Moves to closed (days and day strings), ascending. */
  closures: { day: number; date: string }[];
}

/** A kept pair, without the names and line (see MoveIndex.candidate). */
export interface MovePair {
  fromId: number;
  toId: number;
  closedOn: string;
  days: number;
  distanceKm: number;
  nameSimilarity: number;
  score: number;
}

/** Score 0..1 of a pair; see MOVE_SCORE_WEIGHTS. */
export function moveScore(distanceKm: number, days: number, similarity: number, radiusKm: number, withinDays: number): number {
  const score =
    MOVE_SCORE_WEIGHTS.distance * (1 - distanceKm / radiusKm) + MOVE_SCORE_WEIGHTS.time * (1 - days / withinDays) + MOVE_SCORE_WEIGHTS.name * similarity;
  return Math.min(1, Math.max(0, score));
}

/** The kept pairs in list order, read by position (an array, or KeptMoves' list that makes a pair when read). */
export interface PairList {
  readonly length: number;
  at(index: number): MovePair | undefined;
}

/** The list order: score, highest first, then old id, then new id. */
export function comparePairs(a: MovePair, b: MovePair): number {
  return b.score - a.score || a.fromId - b.fromId || a.toId - b.toId;
}

/**
 * Pairs in list order (comparePairs), as a new array: the scores are compared in a typed array and
 * the pairs' ids read only on a tie — at 10^5 sites about half the time of sorting the objects by
 * comparePairs (scattered objects read at every comparison).
 */
export function sortPairs(pairs: readonly MovePair[]): MovePair[] {
  const count = pairs.length;
  const scores = new Float64Array(count);
  const order = new Uint32Array(count);
  for (let at = 0; at < count; at++) {
    scores[at] = pairs[at]!.score;
    order[at] = at;
  }
  order.sort((a, b) => scores[b]! - scores[a]! || pairs[a]!.fromId - pairs[b]!.fromId || pairs[a]!.toId - pairs[b]!.toId);
  const sorted = new Array<MovePair>(count);
  for (let at = 0; at < count; at++) sorted[at] = pairs[order[at]!]!;
  return sorted;
}

/** The full record of a pair sent to a client: names, place and the line from the old place to the new. */
export function moveCandidate(pair: MovePair, from: MoveSite, to: MoveSite, decision: MoveDecision | null): MoveCandidate {
  return {
    key: moveKey(pair.fromId, pair.toId),
    fromId: pair.fromId,
    toId: pair.toId,
    fromName: from.name,
    toName: to.name,
    category: to.category,
    closedOn: pair.closedOn,
    discoveredOn: to.discoveredOn,
    distanceKm: pair.distanceKm,
    days: pair.days,
    nameSimilarity: pair.nameSimilarity,
    score: pair.score,
    decision,
    county: to.county,
    township: to.township,
    line: {
      type: 'LineString',
      coordinates: [
        [from.lon, from.lat],
        [to.lon, to.lat],
      ],
    },
  };
}

/**
 * The best `k` candidates of every new site among the given sites, searched once (kept between calls
 * and brought up to date after writes by KeptMoves, relapse-kept-moves.ts).
 */
export class MoveIndex {
  private readonly sites = new Map<number, Entry>();
  private readonly closures = new Map<CategoryCode, Map<number, ClosureBucket>>();
  private readonly best = new Map<number, MovePair[]>();
  private sorted: MovePair[] | null = null;
  private latStep = 1;
  private lonStep = 1;
  private searches = 0;
  /** Per entry slot, the last search that met the entry as an old site. */
  private seen = new Int32Array(1024);
  private slots = 0;
  private readonly reach = new Reach();
  /** Every entry's bigram codes, one after another. */
  private grams = new Float64Array(4096);
  private gramsUsed = 0;

  constructor(
    readonly options: Pick<ResolvedRelapseOptions, 'radiusKm' | 'withinDays'>,
    /** Which sites are searched as the new side; default every site with a discovery day. */
    private readonly isNew: (site: MoveSite) => boolean = (site) => site.day !== null,
    readonly k = MOVE_CANDIDATES_PER_SITE,
  ) {}

  /** Every site at once. */
  static build(
    sites: Iterable<MoveSite>,
    options: Pick<ResolvedRelapseOptions, 'radiusKm' | 'withinDays'>,
    isNew?: (site: MoveSite) => boolean,
    k = MOVE_CANDIDATES_PER_SITE,
  ): MoveIndex {
    const index = new MoveIndex(options, isNew, k);
    for (const site of sites) index.sites.set(site.id, index.entry(site));
    index.regrid();
    return index;
  }

  /** Every kept pair in list order. */
  pairs(): readonly MovePair[] {
    if (!this.sorted) {
      const all: MovePair[] = [];
      for (const pairs of this.best.values()) for (const pair of pairs) all.push(pair);
      this.sorted = sortPairs(all);
    }
    return this.sorted;
  }

  /** Every kept pair in list order (pairs()). */
  list(): PairList {
    return this.pairs();
  }

  /** The kept pairs of one new site, best first. */
  pairsTo(id: number): readonly MovePair[] {
    return this.best.get(id) ?? [];
  }

  /** New sites with kept pairs. */
  newSites(): IterableIterator<number> {
    return this.best.keys();
  }

  site(id: number): MoveSite | undefined {
    return this.sites.get(id);
  }

  /** The full record of a pair sent to a client (see moveCandidate). */
  candidate(pair: MovePair, decision: MoveDecision | null): MoveCandidate {
    return moveCandidate(pair, this.sites.get(pair.fromId)!, this.sites.get(pair.toId)!, decision);
  }

  private entry(site: MoveSite): Entry {
    if (this.slots === this.seen.length) {
      const grown = new Int32Array(this.seen.length * 2);
      grown.set(this.seen);
      this.seen = grown;
    }
    const codes = bigramCodes(normaliseName(site.name, [site.county, site.township]));
    if (this.gramsUsed + codes.length > this.grams.length) {
      const grown = new Float64Array(Math.max(2 * this.grams.length, this.gramsUsed + codes.length));
      grown.set(this.grams.subarray(0, this.gramsUsed));
      this.grams = grown;
    }
    const gramStart = this.gramsUsed;
    this.grams.set(codes, gramStart);
    this.gramsUsed += codes.length;
    // A literal, not a spread: 10^5 of these on a build.
    const { id, name, category, lon, lat, county, township, day, discoveredOn, closures } = site;
    return { id, name, category, lon, lat, county, township, day, discoveredOn, closures, gramStart, gramEnd: this.gramsUsed, cell: 0, slot: this.slots++ };
  }

  /** Cell sizes from the highest latitude present, then every site into the grid and every new site searched. */
  private regrid(): void {
    let maxAbsLat = 0;
    for (const site of this.sites.values()) maxAbsLat = Math.max(maxAbsLat, Math.abs(site.lat));
    const kmPerDegree = EARTH_RADIUS_KM * RADIANS;
    // 1% wider than the radius so rounding never hides a pair at the edge; capped near the poles.
    this.latStep = (1.01 * this.options.radiusKm) / kmPerDegree;
    this.lonStep = Math.min(360, (1.01 * this.options.radiusKm) / (kmPerDegree * Math.max(Math.cos(Math.min(maxAbsLat + this.latStep, 89.9) * RADIANS), 1e-6)));
    this.closures.clear();
    this.best.clear();
    this.sorted = null;
    for (const entry of this.sites.values()) this.add(entry);
    // Sorted once here rather than kept sorted entry by entry.
    for (const byCell of this.closures.values()) for (const cell of byCell.values()) cell.refs.sort((a, b) => a.day - b.day || a.id - b.id);
    // Searched in place order (category, cell, day), so consecutive searches read the same buckets
    // while they are in the cache: in id order each search read 9 buckets far from the last one's
    // (at 10^5 sites most of the search's time was waiting on memory). Kept in the sites' order.
    const found = new Array<MovePair[] | undefined>(this.slots);
    for (const entry of this.placeOrder()) found[entry.slot] = this.search(entry);
    for (const entry of this.sites.values()) {
      const pairs = found[entry.slot];
      if (pairs !== undefined && pairs.length > 0) this.best.set(entry.id, pairs);
    }
  }

  /** The entries searched as new sites, by category, grid cell and day. */
  private placeOrder(): Entry[] {
    const entries: Entry[] = [];
    for (const entry of this.sites.values()) if (entry.day !== null && this.isNew(entry)) entries.push(entry);
    const categories = new Map<CategoryCode, number>();
    const category = new Float64Array(entries.length);
    const cell = new Float64Array(entries.length);
    const day = new Float64Array(entries.length);
    const order = new Uint32Array(entries.length);
    for (let at = 0; at < entries.length; at++) {
      const entry = entries[at]!;
      let code = categories.get(entry.category);
      if (code === undefined) categories.set(entry.category, (code = categories.size));
      category[at] = code;
      cell[at] = entry.cell;
      day[at] = entry.day!;
      order[at] = at;
    }
    order.sort((a, b) => category[a]! - category[b]! || cell[a]! - cell[b]! || day[a]! - day[b]! || a - b);
    return Array.from(order, (at) => entries[at]!);
  }

  /** Into the grid: closures appended (regrid sorts the buckets). */
  private add(entry: Entry): void {
    entry.cell = cellKey(Math.floor(entry.lon / this.lonStep), Math.floor(entry.lat / this.latStep));
    if (entry.closures.length === 0) return;
    const cell = bucket(
      bucket(this.closures, entry.category, () => new Map<number, ClosureBucket>()),
      entry.cell,
      (): ClosureBucket => ({ refs: [], packed: null }),
    );
    for (const closure of entry.closures) cell.refs.push({ day: closure.day, date: closure.date, id: entry.id, site: entry });
  }

  /** The buckets of the 3 × 3 cells around an entry's cell. */
  private *around<T>(byCell: Map<number, T> | undefined, entry: Entry): Generator<T> {
    if (!byCell) return;
    const column = Math.floor(entry.lon / this.lonStep);
    const row = Math.floor(entry.lat / this.latStep);
    for (let dc = -1; dc <= 1; dc++)
      for (let dr = -1; dr <= 1; dr++) {
        const found = byCell.get(cellKey(column + dc, row + dr));
        if (found !== undefined) yield found;
      }
  }

  /**
   * The best k pairs of a new site: each old site nearby with its latest closure 1..withinDays days
   * before. The old sites within reach are gathered first (typed arrays only), each with the score it
   * would have with a perfect name; names are then compared only where that score could enter the best k.
   */
  private search(site: Entry): MovePair[] {
    const day = site.day;
    if (day === null || !this.isNew(site)) return [];
    const { radiusKm, withinDays } = this.options;
    const k = this.k;
    const stamp = ++this.searches;
    const seen = this.seen;
    const reach = this.reach;
    reach.size = 0;
    // A flat-earth distance first (10% margin: it never drops a pair the sphere keeps within 50 km), then the sphere.
    const kmLat = EARTH_RADIUS_KM * RADIANS;
    const kmLon = kmLat * Math.cos(site.lat * RADIANS);
    const near = (1.1 * radiusKm) ** 2;
    for (const cell of this.around(this.closures.get(site.category), site)) {
      const { days: closureDays, lons, lats, slots } = packed(cell, this.grams);
      // Latest closures first, so the first one met of an old site is the one that counts.
      for (let at = lowerBoundDays(closureDays, day) - 1; at >= 0; at--) {
        const days = day - closureDays[at]!;
        if (days > withinDays) break;
        const dx = (lons[at]! - site.lon) * kmLon;
        const dy = (lats[at]! - site.lat) * kmLat;
        if (dx * dx + dy * dy > near) continue;
        const slot = slots[at]!;
        if (seen[slot] === stamp || slot === site.slot) continue;
        seen[slot] = stamp;
        const distanceKm = haversineKm(lons[at]!, lats[at]!, site.lon, site.lat);
        if (distanceKm > radiusKm) continue;
        reach.push(cell, at, distanceKm, days, moveScore(distanceKm, days, 1, radiusKm, withinDays));
      }
    }
    const best: MovePair[] = [];
    if (reach.size === 0) return best;
    for (let at = 0; at < reach.size; at++) {
      const worst = best.length === k ? best[k - 1]! : null;
      // Even the best name possible cannot bring this pair into the best k.
      if (worst && reach.bounds[at]! < worst.score) continue;
      const cell = reach.cells[at]!;
      const index = reach.ats[at]!;
      const { ids, gramAt, grams } = cell.packed!;
      const oldId = ids[index]!;
      const distanceKm = reach.distances[at]!;
      const days = reach.days[at]!;
      const nameSimilarity = codesDiceIn(grams, gramAt[index]!, gramAt[index + 1]!, this.grams, site.gramStart, site.gramEnd);
      const score = moveScore(distanceKm, days, nameSimilarity, radiusKm, withinDays);
      if (worst && (score < worst.score || (score === worst.score && oldId > worst.fromId))) continue;
      const pair: MovePair = { fromId: oldId, toId: site.id, closedOn: cell.refs[index]!.date, days, distanceKm, nameSimilarity, score };
      let position = best.length;
      while (position > 0 && comparePairs(pair, best[position - 1]!) < 0) position--;
      best.splice(position, 0, pair);
      if (best.length > k) best.pop();
    }
    return best;
  }
}

/** Two lists in comparePairs order merged into one. */
export function mergeSorted(a: readonly MovePair[], b: readonly MovePair[]): MovePair[] {
  const out: MovePair[] = new Array<MovePair>(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) out[n++] = comparePairs(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[n++] = a[i++]!;
  while (j < b.length) out[n++] = b[j++]!;
  return out;
}

/**
 * Every kept candidate (full records), best first: the pure entry point for a given set of sites.
 * `isNew` says which sites are searched as the new side.
 */
export function findMoves(
  sites: readonly MoveSite[],
  options: Pick<ResolvedRelapseOptions, 'radiusKm' | 'withinDays'>,
  decisions: ReadonlyMap<string, MoveDecision> | undefined,
  isNew?: (site: MoveSite) => boolean,
): MoveCandidate[] {
  const index = MoveIndex.build(sites, options, isNew);
  return index.pairs().map((pair) => index.candidate(pair, decisions?.get(moveKey(pair.fromId, pair.toId)) ?? null));
}
