// The likely-move candidates kept between calls: the best k pairs of every new site (MoveIndex's
// answer) and the sites they name, without the search's grid. Built by one search of every site, or
// restored from pairs saved earlier (server/store/relapse-store.ts, migration 017); after a write,
// only the new sites within radiusKm of a written site (where it was and where it is) are searched
// again, by a MoveIndex of the sites within 2 × radiusKm of it — every old site such a search can meet.
import { EARTH_RADIUS_KM, haversineKm, RADIANS } from './sphere.ts';
import type { CategoryCode } from '../../domain/categories.ts';
import { dayIso } from '../../domain/days.ts';
import type { MoveCandidate, MoveDecision, ResolvedRelapseOptions } from './relapse-types.ts';
import { comparePairs, mergeSorted, moveCandidate, MoveIndex, sortPairs, type MovePair, type MoveSite, type PairList } from './relapse-moves.ts';

/** What the relapse analysis and the scorecards read of a move search (a MoveIndex or KeptMoves). */
export type MoveAnswers = Pick<MoveIndex, 'options' | 'pairs' | 'list' | 'pairsTo' | 'newSites' | 'site' | 'candidate'>;

type MoveOptions = Pick<ResolvedRelapseOptions, 'radiusKm' | 'withinDays'>;

/** Numbers per saved pair (float64), in this order: new id, old id, days, distance km, name similarity, score. */
export const PAIR_FIELDS = 6;

/** 1% beyond the radius, as the search's grid, so rounding never hides a site at the edge. */
const MARGIN = 1.01;

export class KeptMoves implements MoveAnswers {
  private readonly sites = new Map<number, MoveSite>();
  /** Per new site its best pairs, or where they start in `saved` (restored, not yet asked for: see restore). */
  private readonly best = new Map<number, MovePair[] | number>();
  private saved: Float64Array | null = null;
  private sorted: MovePair[] | null = null;
  /** New sites searched again since `sorted` was last mended. */
  private resorted = new Set<number>();
  /** The list order without pair objects (see list), until a write changes a new site's pairs. */
  private listed: SortedPairs | null = null;

  private constructor(readonly options: MoveOptions) {}

  /** One search of every site. */
  static build(sites: Iterable<MoveSite>, options: MoveOptions): KeptMoves {
    const kept = new KeptMoves(options);
    for (const site of sites) kept.sites.set(site.id, site);
    const index = MoveIndex.build(kept.sites.values(), options);
    for (const id of index.newSites()) kept.best.set(id, index.pairsTo(id) as MovePair[]);
    return kept;
  }

  /**
   * The sites and the pairs saved from an earlier search (`saved`: PAIR_FIELDS numbers per pair, the
   * pairs of a new site one after another; no closure dates: the old site's closure on the new site's
   * day minus `days`), and the sites `changed` since. Returns them with the ids to pass to `update`:
   * the changed sites, and the new sites whose saved pairs name a changed old site or one no longer as
   * saved (it may have moved away from them, or lost that closure). The pairs of a new site whose
   * pairs name no changed site are taken as saved (every write to a site is in `changed`) and made into
   * objects only when first asked for (pairsTo, pairs): the scorecards need only which new sites have
   * pairs, and at 10^5 sites building 2.5 × 10^5 pairs was most of a restore.
   */
  static restore(sites: Iterable<MoveSite>, options: MoveOptions, saved: Float64Array, changed: readonly number[]): { moves: KeptMoves; again: number[] } {
    const kept = new KeptMoves(options);
    kept.saved = saved;
    for (const site of sites) kept.sites.set(site.id, site);
    const written = new Set(changed);
    const again = new Set(changed);
    let at = 0;
    while (at + PAIR_FIELDS <= saved.length) {
      const toId = saved[at]!;
      let end = at;
      let clean = !written.has(toId);
      for (; end + PAIR_FIELDS <= saved.length && saved[end] === toId; end += PAIR_FIELDS) if (written.has(saved[end + 1]!)) clean = false;
      const to = kept.sites.get(toId);
      if (clean && to?.day != null && !kept.best.has(toId)) {
        kept.best.set(toId, at);
        at = end;
        continue;
      }
      // A new site a write touched (or its pairs saved twice): its pairs checked against the old sites.
      let list = kept.best.get(toId);
      if (typeof list === 'number') list = kept.materialize(toId, list);
      for (; at < end; at += PAIR_FIELDS) {
        const fromId = saved[at + 1]!;
        const days = saved[at + 2]!;
        if (written.has(fromId)) again.add(toId);
        const closedDay = to?.day == null ? null : to.day - days;
        const closedOn = closedDay === null ? undefined : kept.sites.get(fromId)?.closures.find((closure) => closure.day === closedDay)?.date;
        if (closedOn === undefined) {
          again.add(toId);
          continue;
        }
        if (!list) kept.best.set(toId, (list = []));
        list.push({ fromId, toId, closedOn, days, distanceKm: saved[at + 3]!, nameSimilarity: saved[at + 4]!, score: saved[at + 5]! });
      }
      if (list && !inOrder(list)) list.sort(comparePairs);
    }
    return { moves: kept, again: [...again] };
  }

  /** The saved pairs of a new site not touched by a write since (see restore), as objects, kept in place of their position. */
  private materialize(toId: number, offset: number): MovePair[] {
    const saved = this.saved!;
    const day = this.sites.get(toId)!.day!;
    const list: MovePair[] = [];
    for (let at = offset; at + PAIR_FIELDS <= saved.length && saved[at] === toId; at += PAIR_FIELDS) {
      const days = saved[at + 2]!;
      list.push({
        fromId: saved[at + 1]!,
        toId,
        closedOn: closureDate(day - days),
        days,
        distanceKm: saved[at + 3]!,
        nameSimilarity: saved[at + 4]!,
        score: saved[at + 5]!,
      });
    }
    if (!inOrder(list)) list.sort(comparePairs);
    this.best.set(toId, list);
    return list;
  }

  /**
   * Sites written since: each id's current state (null: gone, voided or unlocated). Returns the new
   * sites whose kept pairs changed (every other site's are as before).
   */
  update(changed: Iterable<number>, current: (id: number) => MoveSite | null): Set<number> {
    const centres: MoveSite[] = [];
    const again = new Set<number>();
    const ids = [...changed];
    // Saved pairs still to be made into objects read the new site's day: made before it changes.
    for (const id of ids) this.pairsTo(id);
    for (const id of ids) {
      again.add(id);
      const before = this.sites.get(id);
      if (before) centres.push(before);
      const after = current(id);
      if (after) {
        this.sites.set(id, after);
        centres.push(after);
      } else this.sites.delete(id);
    }
    const { radiusKm } = this.options;
    const near = new Map<number, MoveSite>();
    for (const id of again) {
      const site = this.sites.get(id);
      if (site) near.set(id, site);
    }
    const lookup = new CentreLookup(centres, 2 * MARGIN * radiusKm);
    for (const site of this.sites.values()) {
      const distanceKm = lookup.nearest(site);
      if (distanceKm === null) continue;
      near.set(site.id, site);
      if (distanceKm <= MARGIN * radiusKm) again.add(site.id);
    }
    // Only the sites searched again are searched as new sites; the others are there as old sites.
    const index = MoveIndex.build(near.values(), this.options, (site) => again.has(site.id) && site.day !== null);
    const differ = new Set<number>();
    for (const id of again) {
      const pairs = this.sites.has(id) ? index.pairsTo(id) : [];
      if (samePairs(this.pairsTo(id), pairs)) continue;
      differ.add(id);
      if (pairs.length > 0) this.best.set(id, pairs as MovePair[]);
      else this.best.delete(id);
      if (this.sorted) this.resorted.add(id);
    }
    if (differ.size > 0) this.listed = null;
    return differ;
  }

  /** Every kept pair in list order (after writes, the sorted list is mended here, for the new sites searched again). */
  pairs(): readonly MovePair[] {
    if (this.sorted && this.resorted.size > 0) {
      const again = this.resorted;
      const added: MovePair[] = [];
      for (const id of again) added.push(...this.pairsTo(id));
      this.sorted = mergeSorted(
        this.sorted.filter((pair) => !again.has(pair.toId)),
        added.sort(comparePairs),
      );
      this.resorted = new Set();
    }
    if (!this.sorted) {
      const all: MovePair[] = [];
      for (const id of this.best.keys()) for (const pair of this.pairsTo(id)) all.push(pair);
      this.sorted = sortPairs(all);
    }
    return this.sorted;
  }

  /**
   * Every kept pair in list order, each made into an object when read: a relapse call reads one
   * page of them, and making all 2.5 × 10^5 saved pairs into objects to sort them was most of a
   * first call at 10^5 sites. Same order as pairs().
   */
  list(): PairList {
    if (this.sorted && this.resorted.size === 0) return this.sorted;
    this.listed ??= new SortedPairs(this.best, this.saved, (toId) => this.sites.get(toId)!.day!);
    return this.listed;
  }

  /** The kept pairs of one new site, best first. */
  pairsTo(id: number): readonly MovePair[] {
    const kept = this.best.get(id);
    return typeof kept === 'number' ? this.materialize(id, kept) : (kept ?? []);
  }

  /** New sites with kept pairs. */
  newSites(): IterableIterator<number> {
    return this.best.keys();
  }

  site(id: number): MoveSite | undefined {
    return this.sites.get(id);
  }

  candidate(pair: MovePair, decision: MoveDecision | null): MoveCandidate {
    return moveCandidate(pair, this.sites.get(pair.fromId)!, this.sites.get(pair.toId)!, decision);
  }
}

/** The kept pairs in list order (score, highest first, then old id, then new id) as numbers; a pair is made when read. */
class SortedPairs implements PairList {
  readonly length: number;
  private readonly order: Uint32Array;
  /** Per pair (in the order found): where it is in `saved` (≥ 0), or -1 - its place in `objects`. */
  private readonly where: Float64Array;
  private readonly objects: MovePair[] = [];

  constructor(
    best: ReadonlyMap<number, MovePair[] | number>,
    private readonly saved: Float64Array | null,
    private readonly dayOf: (toId: number) => number,
  ) {
    let count = 0;
    for (const [toId, kept] of best) {
      if (typeof kept !== 'number') count += kept.length;
      else for (let at = kept; at + PAIR_FIELDS <= saved!.length && saved![at] === toId; at += PAIR_FIELDS) count++;
    }
    const scores = new Float64Array(count);
    const fromIds = new Float64Array(count);
    const toIds = new Float64Array(count);
    this.where = new Float64Array(count);
    let n = 0;
    for (const [toId, kept] of best) {
      if (typeof kept !== 'number')
        for (const pair of kept) {
          scores[n] = pair.score;
          fromIds[n] = pair.fromId;
          toIds[n] = toId;
          this.where[n++] = -1 - this.objects.length;
          this.objects.push(pair);
        }
      else
        for (let at = kept; at + PAIR_FIELDS <= saved!.length && saved![at] === toId; at += PAIR_FIELDS) {
          scores[n] = saved![at + 5]!;
          fromIds[n] = saved![at + 1]!;
          toIds[n] = toId;
          this.where[n++] = at;
        }
    }
    this.length = count;
    this.order = listOrder(scores, fromIds, toIds);
  }

  at(index: number): MovePair | undefined {
    if (index < 0 || index >= this.length) return undefined;
    const where = this.where[this.order[index]!]!;
    if (where < 0) return this.objects[-1 - where];
    const saved = this.saved!;
    const toId = saved[where]!;
    const days = saved[where + 2]!;
    return {
      fromId: saved[where + 1]!,
      toId,
      closedOn: closureDate(this.dayOf(toId) - days),
      days,
      distanceKm: saved[where + 3]!,
      nameSimilarity: saved[where + 4]!,
      score: saved[where + 5]!,
    };
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The pairs' indices in list order (comparePairs: score highest first, then old id, then new id). The
 * scores (0–1, never -0) are ordered by a stable radix sort of their IEEE bits, 16 at a time, and only a
 * run of equal scores is sorted by ids: at 10^5 sites (249,317 pairs) the comparator sort of every index
 * took ~50–90 ms of the first relapse call.
 */
export function listOrder(scores: Float64Array, fromIds: Float64Array, toIds: Float64Array): Uint32Array {
  const count = scores.length;
  let order = new Uint32Array(count);
  for (let at = 0; at < count; at++) order[at] = at;
  const byIds = (a: number, b: number) => fromIds[a]! - fromIds[b]! || toIds[a]! - toIds[b]!;
  // The radix order holds for +0 and positive scores only: anything else (never made) takes the comparator.
  if (scores.some((score) => !(score >= 0) || Object.is(score, -0))) return order.sort((a, b) => scores[b]! - scores[a]! || byIds(a, b));
  const words = new Uint16Array(scores.buffer, scores.byteOffset, count * 4);
  let next = new Uint32Array(count);
  const starts = new Uint32Array(0x10000);
  // The words from the lowest to the highest (typed arrays use the platform's byte order).
  for (let pass = 0; pass < 4; pass++) {
    const word = LITTLE_ENDIAN ? pass : 3 - pass;
    starts.fill(0);
    // Descending: the complement of each word, ascending.
    for (let at = 0; at < count; at++) starts[0xffff - words[at * 4 + word]!]!++;
    let sum = 0;
    for (let digit = 0; digit < 0x10000; digit++) {
      const n = starts[digit]!;
      starts[digit] = sum;
      sum += n;
    }
    for (let at = 0; at < count; at++) {
      const index = order[at]!;
      next[starts[0xffff - words[index * 4 + word]!]!++] = index;
    }
    [order, next] = [next, order];
  }
  for (let start = 0; start < count;) {
    let end = start + 1;
    while (end < count && scores[order[end]!] === scores[order[start]!]) end++;
    if (end - start > 1) order.subarray(start, end).sort(byIds);
    start = end;
  }
  return order;
}

const closureDates = new Map<number, string>();

/** The YYYY-MM-DD of a day number, remembered (a campaign spans a few thousand days). */
function closureDate(day: number): string {
  let date = closureDates.get(day);
  if (date === undefined) {
    if (closureDates.size > 100_000) closureDates.clear();
    closureDates.set(day, (date = dayIso(day)));
  }
  return date;
}

function inOrder(pairs: readonly MovePair[]): boolean {
  for (let at = 1; at < pairs.length; at++) if (comparePairs(pairs[at - 1]!, pairs[at]!) > 0) return false;
  return true;
}

function samePairs(a: readonly MovePair[], b: readonly MovePair[]): boolean {
  if (a.length !== b.length) return false;
  for (let at = 0; at < a.length; at++) {
    const x = a[at]!;
    const y = b[at]!;
    if (
      x.fromId !== y.fromId ||
      x.closedOn !== y.closedOn ||
      x.days !== y.days ||
      x.distanceKm !== y.distanceKm ||
      x.nameSimilarity !== y.nameSimilarity ||
      x.score !== y.score
    )
      return false;
  }
  return true;
}

/** The written places by category, sorted by latitude: the distance from a site to the nearest of its category within `reachKm` (null: none). */
class CentreLookup {
  private readonly byCategory = new Map<CategoryCode, { lats: Float64Array; lons: Float64Array; lonSpans: Float64Array }>();
  private readonly latSpan: number;

  constructor(
    centres: readonly MoveSite[],
    private readonly reachKm: number,
  ) {
    const kmPerDegree = EARTH_RADIUS_KM * RADIANS;
    this.latSpan = reachKm / kmPerDegree;
    const grouped = new Map<CategoryCode, MoveSite[]>();
    for (const centre of centres) {
      let list = grouped.get(centre.category);
      if (!list) grouped.set(centre.category, (list = []));
      list.push(centre);
    }
    for (const [category, list] of grouped) {
      list.sort((a, b) => a.lat - b.lat);
      const lonSpan = (lat: number) =>
        Math.min(360, reachKm / (kmPerDegree * Math.max(Math.cos(Math.min(Math.abs(lat) + this.latSpan, 89.9) * RADIANS), 1e-6)));
      this.byCategory.set(category, {
        lats: Float64Array.from(list, (centre) => centre.lat),
        lons: Float64Array.from(list, (centre) => centre.lon),
        lonSpans: Float64Array.from(list, (centre) => lonSpan(centre.lat)),
      });
    }
  }

  nearest(site: MoveSite): number | null {
    const centres = this.byCategory.get(site.category);
    if (!centres) return null;
    const { lats, lons, lonSpans } = centres;
    let low = 0;
    let high = lats.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (lats[middle]! < site.lat - this.latSpan) low = middle + 1;
      else high = middle;
    }
    let nearest: number | null = null;
    for (let at = low; at < lats.length && lats[at]! <= site.lat + this.latSpan; at++) {
      if (Math.abs(lons[at]! - site.lon) > lonSpans[at]!) continue;
      const distanceKm = haversineKm(lons[at]!, lats[at]!, site.lon, site.lat);
      if (distanceKm <= this.reachKm && (nearest === null || distanceKm < nearest)) nearest = distanceKm;
    }
    return nearest;
  }
}
