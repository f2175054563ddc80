// The likely-move index's storage (server/geo/relapse-moves.ts): its site entries, the closures of
// one category in one grid cell, the typed arrays a search reads them from, and a search's scratch.
import type { MoveSite } from './relapse-moves.ts';

export interface Entry extends MoveSite {
  /** The name's bigram codes: grams[gramStart..gramEnd) of the index's pool. */
  gramStart: number;
  gramEnd: number;
  cell: number;
  /** The entry's place in the index's `seen` marks (each old site counts once per search). */
  slot: number;
}
export interface ClosureRef {
  day: number;
  date: string;
  /** The site's id, kept beside it for sorting. */
  id: number;
  site: Entry;
}
/**
 * The closures of one category in one cell, by day, then site id; `packed` (days, places and slots in
 * typed arrays, for the search's inner loop, which then touches no object until a pair is near) is
 * rebuilt after a change.
 */
export interface ClosureBucket {
  refs: ClosureRef[];
  packed: Packed | null;
}
/** A bucket's closures as the search reads them; the old sites' name codes are copied in, grams[gramAt[i]..gramAt[i + 1]). */
export interface Packed {
  days: Float64Array;
  lons: Float64Array;
  lats: Float64Array;
  slots: Int32Array;
  ids: Float64Array;
  gramAt: Int32Array;
  grams: Float64Array;
}

export function packed(bucket: ClosureBucket, pool: Float64Array): Packed {
  if (!bucket.packed) {
    const { refs } = bucket;
    const days = new Float64Array(refs.length);
    const lons = new Float64Array(refs.length);
    const lats = new Float64Array(refs.length);
    const slots = new Int32Array(refs.length);
    const ids = new Float64Array(refs.length);
    const gramAt = new Int32Array(refs.length + 1);
    for (let at = 0; at < refs.length; at++) {
      const site = refs[at]!.site;
      gramAt[at + 1] = gramAt[at]! + (site.gramEnd - site.gramStart);
    }
    const grams = new Float64Array(gramAt[refs.length]!);
    for (let at = 0; at < refs.length; at++) {
      const ref = refs[at]!;
      days[at] = ref.day;
      lons[at] = ref.site.lon;
      lats[at] = ref.site.lat;
      slots[at] = ref.site.slot;
      ids[at] = ref.site.id;
      grams.set(pool.subarray(ref.site.gramStart, ref.site.gramEnd), gramAt[at]!);
    }
    bucket.packed = { days, lons, lats, slots, ids, gramAt, grams };
  }
  return bucket.packed;
}

/** First index whose day is ≥ day. */
export function lowerBoundDays(days: Float64Array, day: number): number {
  let low = 0;
  let high = days.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (days[middle]! < day) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A search's old sites within reach (one per old site: its latest closure in the window), before names are compared. */
export class Reach {
  cells: ClosureBucket[] = [];
  ats = new Int32Array(64);
  distances = new Float64Array(64);
  days = new Float64Array(64);
  bounds = new Float64Array(64);
  size = 0;

  push(cell: ClosureBucket, at: number, distanceKm: number, days: number, bound: number): void {
    if (this.size === this.distances.length) {
      const ats = new Int32Array(this.ats.length * 2);
      ats.set(this.ats);
      this.ats = ats;
      const grow = (from: Float64Array) => {
        const to = new Float64Array(from.length * 2);
        to.set(from);
        return to;
      };
      this.distances = grow(this.distances);
      this.days = grow(this.days);
      this.bounds = grow(this.bounds);
    }
    this.cells[this.size] = cell;
    this.ats[this.size] = at;
    this.distances[this.size] = distanceKm;
    this.days[this.size] = days;
    this.bounds[this.size] = bound;
    this.size++;
  }
}

const CELL_SPAN = 1 << 21;
export const cellKey = (column: number, row: number): number => (column + CELL_SPAN) * 2 * CELL_SPAN + (row + CELL_SPAN);

export function bucket<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}
