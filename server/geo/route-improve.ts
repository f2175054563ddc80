// Improvement of a path with fixed ends by 2-opt and Or-opt, and an iterated local search on top.
//
// The path is `tour` (node numbers by position); positions 0 and size-1 never change. Moves:
// - 2-opt: remove two legs and reconnect by reversing the stops between them.
// - Or-opt: move a run of 1–3 consecutive stops elsewhere, in either orientation.
// `improveWithNeighbours` looks for moves only among each node's nearest neighbours, driven by a
// queue of nodes whose legs changed ("don't-look bits"); `polishExhaustively` then scans every
// move until none improves, so the result is a true 2-opt + Or-opt local optimum.
import { Random } from '../../domain/random.ts';
import { pathCost } from './route-construct.ts';

const EPSILON = 1e-10;
const MAX_SEGMENT = 3;

export class PathImprover {
  readonly tour: Int32Array;
  private readonly position: Int32Array;
  private readonly neighbours: Int32Array;
  private readonly neighbourCount: number;
  // A ring buffer of nodes to look at; `queued` marks the nodes in it (the "don't-look bits" cleared).
  private readonly queue: Int32Array;
  private queueHead = 0;
  private queueLength = 0;
  private readonly queued: Uint8Array;

  constructor(
    private readonly distance: Float64Array,
    private readonly size: number,
    tour: Int32Array,
    neighbourCount = 10,
  ) {
    this.tour = Int32Array.from(tour);
    this.position = new Int32Array(size);
    this.syncPositions(0, size - 1);
    this.queued = new Uint8Array(size);
    this.queue = new Int32Array(size);
    this.neighbourCount = Math.min(neighbourCount, size - 1);
    this.neighbours = nearestNeighbourLists(distance, size, this.neighbourCount);
  }

  cost(): number {
    return pathCost(this.distance, this.size, this.tour);
  }

  setTour(tour: Int32Array): void {
    this.tour.set(tour);
    this.syncPositions(0, this.size - 1);
  }

  private d(a: number, b: number): number {
    return this.distance[a * this.size + b]!;
  }

  private syncPositions(from: number, to: number): void {
    for (let position = from; position <= to; position++) this.position[this.tour[position]!] = position;
  }

  private reverse(from: number, to: number): void {
    const tour = this.tour;
    for (let left = from, right = to; left < right; left++, right--) {
      const node = tour[left]!;
      tour[left] = tour[right]!;
      tour[right] = node;
    }
    this.syncPositions(from, to);
  }

  private push(...nodes: number[]): void {
    for (const node of nodes)
      if (!this.queued[node]) {
        this.queued[node] = 1;
        this.queue[(this.queueHead + this.queueLength++) % this.size] = node;
      }
  }

  pushAll(): void {
    for (let node = 0; node < this.size; node++) this.push(node);
  }

  /** Moves positions from..to (a run of stops) so that it follows the node now at position `after`. */
  private moveSegment(from: number, to: number, after: number, reversed: boolean): void {
    const tour = this.tour;
    const length = to - from + 1;
    const segment = tour.slice(from, to + 1);
    if (reversed) segment.reverse();
    if (after < from) {
      tour.copyWithin(after + 1 + length, after + 1, from);
      tour.set(segment, after + 1);
      this.syncPositions(after + 1, to);
    } else {
      tour.copyWithin(from, to + 1, after + 1);
      tour.set(segment, after - length + 1);
      this.syncPositions(from, after);
    }
  }

  /** A 2-opt move touching `a`'s leg to its successor (dir 1) or predecessor (dir -1), with candidate partners. */
  private twoOpt(a: number, candidates: ArrayLike<number>, candidateCount: number, prune: boolean): boolean {
    const last = this.size - 1;
    const i = this.position[a]!;
    for (const dir of [1, -1]) {
      const ib = i + dir;
      if (ib < 0 || ib > last) continue;
      const b = this.tour[ib]!;
      const legAB = this.d(a, b);
      for (let k = 0; k < candidateCount; k++) {
        const c = candidates[k]!;
        if (c === a) continue;
        const gain1 = legAB - this.d(a, c);
        if (gain1 <= EPSILON) {
          if (prune) break;
          continue;
        }
        const j = this.position[c]!;
        const jd = j + dir;
        if (jd < 0 || jd > last) continue;
        const dNode = this.tour[jd]!;
        if (c === b || dNode === a) continue;
        if (gain1 + this.d(c, dNode) - this.d(b, dNode) <= EPSILON) continue;
        if (dir === 1) this.reverse(Math.min(i, j) + 1, Math.max(i, j));
        else this.reverse(Math.min(i, j), Math.max(i, j) - 1);
        this.push(a, b, c, dNode);
        return true;
      }
    }
    return false;
  }

  /** An Or-opt move of a run of 1–3 stops that starts or ends at `a`, inserted next to a candidate. */
  private orOpt(a: number, candidatesOf: (node: number) => [ArrayLike<number>, number]): boolean {
    const last = this.size - 1;
    const tour = this.tour;
    const i = this.position[a]!;
    for (let length = 1; length <= MAX_SEGMENT; length++) {
      for (const from of length === 1 ? [i] : [i, i - length + 1]) {
        const to = from + length - 1;
        if (from < 1 || to > last - 1) continue;
        const first = tour[from]!;
        const final = tour[to]!;
        const before = tour[from - 1]!;
        const after = tour[to + 1]!;
        const removeGain = this.d(before, first) + this.d(final, after) - this.d(before, after);
        if (removeGain <= EPSILON) continue;
        for (const end of length === 1 ? [first] : [first, final]) {
          const [candidates, count] = candidatesOf(end);
          for (let k = 0; k < count; k++) {
            const c = candidates[k]!;
            const j = this.position[c]!;
            if (j >= from && j <= to) continue;
            // The legs next to c: (c, successor) and (predecessor, c); `left` is the position of the leg's first node.
            for (const left of [j, j - 1]) {
              if (left < 0 || left + 1 > last || (left >= from - 1 && left <= to)) continue;
              const u = tour[left]!;
              const v = tour[left + 1]!;
              const legUV = this.d(u, v);
              const forward = this.d(u, first) + this.d(final, v) - legUV;
              const backward = this.d(u, final) + this.d(first, v) - legUV;
              const reversed = backward < forward;
              if (removeGain - (reversed ? backward : forward) <= EPSILON) continue;
              this.moveSegment(from, to, left, reversed);
              this.push(before, after, first, final, u, v);
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  /** Local search over neighbour lists until the queue of changed nodes is empty. */
  improveWithNeighbours(): void {
    const lists = this.neighbours;
    const count = this.neighbourCount;
    const candidatesOf = (node: number): [Int32Array, number] => [lists.subarray(node * count, node * count + count), count];
    while (this.queueLength > 0) {
      const a = this.queue[this.queueHead]!;
      this.queueHead = (this.queueHead + 1) % this.size;
      this.queueLength--;
      this.queued[a] = 0;
      const [candidates] = candidatesOf(a);
      if (this.twoOpt(a, candidates, count, true) || this.orOpt(a, candidatesOf)) this.push(a);
    }
  }

  /** Every 2-opt and Or-opt move, repeated until none shortens the path. */
  polishExhaustively(): void {
    const all = new Int32Array(this.size);
    for (let node = 0; node < this.size; node++) all[node] = node;
    const everyone = (): [Int32Array, number] => [all, this.size];
    for (let improved = true; improved;) {
      improved = false;
      for (let node = 0; node < this.size; node++) {
        const a = this.tour[node]!;
        while (this.twoOpt(a, all, this.size, false) || this.orOpt(a, everyone)) improved = true;
      }
    }
    this.queueLength = 0;
    this.queued.fill(0);
  }

  /**
   * Iterated local search: swap two adjacent runs of stops at random (a double bridge on a path),
   * re-optimise locally, keep the result when shorter, otherwise go back. Seeded, so reproducible.
   */
  iterate(iterations: number, seed: number): void {
    const stops = this.size - 2;
    if (stops < 3) return;
    const random = new Random(seed);
    const best = Int32Array.from(this.tour);
    let bestCost = this.cost();
    const maxRun = Math.max(1, Math.min(50, Math.floor(stops / 3)));
    for (let iteration = 0; iteration < iterations; iteration++) {
      const from = random.int(1, stops - 1);
      const room = stops - from + 1;
      const firstLength = random.int(1, Math.min(maxRun, room - 1));
      const secondLength = random.int(1, Math.min(maxRun, room - firstLength));
      const middle = from + firstLength;
      const to = middle + secondLength - 1;
      const tour = this.tour;
      this.push(tour[from - 1]!, tour[from]!, tour[middle - 1]!, tour[middle]!, tour[to]!, tour[to + 1]!);
      const swapped = Int32Array.from([...tour.subarray(middle, to + 1), ...tour.subarray(from, middle)]);
      tour.set(swapped, from);
      this.syncPositions(from, to);
      this.improveWithNeighbours();
      const cost = this.cost();
      if (cost < bestCost - EPSILON) {
        bestCost = cost;
        best.set(this.tour);
      } else this.setTour(best);
    }
  }
}

/** For each node, its `count` nearest other nodes, nearest first (row-major Int32Array). */
function nearestNeighbourLists(distance: Float64Array, size: number, count: number): Int32Array {
  const lists = new Int32Array(size * count);
  const keys = new Float64Array(count);
  for (let node = 0; node < size; node++) {
    const list = lists.subarray(node * count, node * count + count);
    let filled = 0;
    for (let other = 0; other < size; other++) {
      if (other === node) continue;
      const km = distance[node * size + other]!;
      if (filled === count && km >= keys[count - 1]!) continue;
      let slot = filled < count ? filled++ : count - 1;
      while (slot > 0 && keys[slot - 1]! > km) {
        keys[slot] = keys[slot - 1]!;
        list[slot] = list[slot - 1]!;
        slot--;
      }
      keys[slot] = km;
      list[slot] = other;
    }
  }
  return lists;
}
