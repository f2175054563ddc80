// Is a polygon simple? Every ring closed with at least 4 positions, no ring crossing or touching
// itself or another ring, holes inside their shell, parts of a MultiPolygon apart. turf's
// booleanValid + kinks answered this in quadratic time (a 30,000-vertex core took 32 s on the
// request thread); this is the Shamos–Hoey sweep: O(n log n), with the active segments in a splay
// tree (splaytree-ts, the ordered set polyclip-ts — turf's own clipping — is built on).
import { SplayTreeSet } from 'splaytree-ts';

type Position = readonly [number, number];

/** Most positions a core (all its rings) may have; far more than a hand-drawn or imported city outline. */
export const MAX_POLYGON_VERTICES = 100_000;
/** Most parts a MultiPolygon may have (parts are compared pairwise by their boxes). */
export const MAX_POLYGON_PARTS = 1_000;

export type PolygonProblem =
  | { reason: 'bad_polygon'; why: 'ring_too_short' | 'ring_not_closed' | 'bad_position' | 'hole_outside' | 'parts_overlap' }
  | { reason: 'too_many'; what: 'positions' | 'parts'; maximum: number; count: number }
  | { reason: 'self_crossing'; at: [number, number] };

interface Segment {
  id: number;
  ring: number;
  /** Index of the segment in its ring, and the ring's segment count (for "adjacent"). */
  index: number;
  size: number;
  left: Position;
  right: Position;
}

const before = (a: Position, b: Position) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
const same = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];
/** > 0 when c is left of (above) the line a→b, < 0 right of (below) it, 0 on it. */
const orient = (a: Position, b: Position, c: Position) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
const onSegment = (a: Position, b: Position, c: Position) =>
  Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);

/** Where two segments meet, or null. */
function meeting(s: Segment, t: Segment): [number, number] | null {
  const d1 = orient(s.left, s.right, t.left);
  const d2 = orient(s.left, s.right, t.right);
  const d3 = orient(t.left, t.right, s.left);
  const d4 = orient(t.left, t.right, s.right);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const u = d3 / (d3 - d4);
    return [s.left[0] + u * (s.right[0] - s.left[0]), s.left[1] + u * (s.right[1] - s.left[1])];
  }
  if (d1 === 0 && onSegment(s.left, s.right, t.left)) return [t.left[0], t.left[1]];
  if (d2 === 0 && onSegment(s.left, s.right, t.right)) return [t.right[0], t.right[1]];
  if (d3 === 0 && onSegment(t.left, t.right, s.left)) return [s.left[0], s.left[1]];
  if (d4 === 0 && onSegment(t.left, t.right, s.right)) return [s.right[0], s.right[1]];
  return null;
}

/** Two segments that follow each other in a ring may share their common vertex, and nothing more. */
function crossing(s: Segment, t: Segment): [number, number] | null {
  const at = meeting(s, t);
  if (!at) return null;
  const adjacent = s.ring === t.ring && ((s.index + 1) % s.size === t.index || (t.index + 1) % t.size === s.index);
  if (!adjacent) return at;
  // Adjacent: they share one endpoint; a second common point means they fold back over each other (a spike).
  const shared = [s.left, s.right].find((p) => same(p, t.left) || same(p, t.right))!;
  const sOther = same(shared, s.left) ? s.right : s.left;
  const tOther = same(shared, t.left) ? t.right : t.left;
  const folded =
    orient(shared, sOther, tOther) === 0 && (tOther[0] - shared[0]) * (sOther[0] - shared[0]) + (tOther[1] - shared[1]) * (sOther[1] - shared[1]) > 0;
  return folded ? [shared[0], shared[1]] : null;
}

/** Above/below order of two segments that are both cut by the sweep line (consistent while none cross). */
function order(a: Segment, b: Segment): number {
  if (a === b) return 0;
  const later = before(a.left, b.left) ? b : a;
  const earlier = later === a ? b : a;
  let side = orient(earlier.left, earlier.right, later.left);
  if (side === 0) side = orient(earlier.left, earlier.right, later.right);
  if (side === 0) return a.id - b.id;
  // side > 0: `later` lies above `earlier`.
  return (later === a ? 1 : -1) * Math.sign(side);
}

/** The first position where the rings cross or touch, or null when all segments are apart. */
export function firstCrossing(rings: readonly (readonly Position[])[]): [number, number] | null {
  const segments: Segment[] = [];
  rings.forEach((ring, r) => {
    const size = ring.length - 1;
    for (let i = 0; i < size; i++) {
      const p = ring[i]!;
      const q = ring[i + 1]!;
      segments.push({ id: segments.length, ring: r, index: i, size, left: before(p, q) ? p : q, right: before(p, q) ? q : p });
    }
  });
  // Events: each segment enters at its left end and leaves at its right end; at one point entries come first,
  // so two segments that only touch there are neighbours for a moment and are compared.
  const events: { at: Position; enter: boolean; segment: Segment }[] = [];
  for (const segment of segments) events.push({ at: segment.left, enter: true, segment }, { at: segment.right, enter: false, segment });
  events.sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1] || Number(b.enter) - Number(a.enter));
  const active = new SplayTreeSet<Segment>(order);
  const check = (s: Segment | null, t: Segment | null) => (s && t ? crossing(s, t) : null);
  for (const { enter, segment } of events) {
    if (enter) {
      active.add(segment);
      const found = check(segment, active.lastBefore(segment)) ?? check(segment, active.firstAfter(segment));
      if (found) return found;
    } else {
      const below = active.lastBefore(segment);
      const above = active.firstAfter(segment);
      active.delete(segment);
      const found = check(below, above);
      if (found) return found;
    }
  }
  return null;
}

/** Ray casting: is the point strictly inside the closed ring? (Points on the ring cannot occur: rings do not touch.) */
function inside(point: Position, ring: readonly Position[]): boolean {
  let result = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > point[1] !== yj > point[1] && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi) result = !result;
  }
  return result;
}

const isPosition = (value: unknown): value is Position =>
  Array.isArray(value) &&
  value.length >= 2 &&
  typeof value[0] === 'number' &&
  typeof value[1] === 'number' &&
  Number.isFinite(value[0]) &&
  Number.isFinite(value[1]);

/** Drops repeated consecutive positions (a double click), keeping the ring closed. */
function dedupe(ring: readonly Position[]): Position[] {
  const out: Position[] = [];
  for (const p of ring) if (!out.length || !same(out[out.length - 1]!, p)) out.push(p);
  return out;
}

/**
 * What is wrong with a Polygon's or MultiPolygon's coordinates, or null when it is a valid simple polygon.
 * Linear checks first (sizes, positions, closure), then one n log n sweep over all rings.
 */
export function polygonProblem(type: 'Polygon' | 'MultiPolygon', coordinates: unknown, maxVertices = MAX_POLYGON_VERTICES): PolygonProblem | null {
  if (!Array.isArray(coordinates)) return { reason: 'bad_polygon', why: 'bad_position' };
  const parts = (type === 'Polygon' ? [coordinates] : coordinates) as unknown[];
  if (parts.length > MAX_POLYGON_PARTS) return { reason: 'too_many', what: 'parts', maximum: MAX_POLYGON_PARTS, count: parts.length };
  let count = 0;
  const polygons: Position[][][] = [];
  for (const part of parts) {
    if (!Array.isArray(part) || part.length === 0) return { reason: 'bad_polygon', why: 'ring_too_short' };
    const rings: Position[][] = [];
    for (const ring of part as unknown[]) {
      if (!Array.isArray(ring)) return { reason: 'bad_polygon', why: 'bad_position' };
      count += ring.length;
      if (count > maxVertices) return { reason: 'too_many', what: 'positions', maximum: maxVertices, count: countPositions(parts) };
      if (!ring.every(isPosition)) return { reason: 'bad_polygon', why: 'bad_position' };
      if (ring.length < 4) return { reason: 'bad_polygon', why: 'ring_too_short' };
      if (!same(ring[0] as Position, ring[ring.length - 1] as Position)) return { reason: 'bad_polygon', why: 'ring_not_closed' };
      const clean = dedupe(ring as Position[]);
      if (clean.length < 4) return { reason: 'bad_polygon', why: 'ring_too_short' };
      rings.push(clean);
    }
    polygons.push(rings);
  }
  // A ring passing twice through one position touches itself there: a hash set finds that in linear time.
  for (const ring of polygons.flat()) {
    const seen = new Set<string>();
    for (let i = 0; i < ring.length - 1; i++) {
      const key = `${ring[i]![0]},${ring[i]![1]}`;
      if (seen.has(key)) return { reason: 'self_crossing', at: [ring[i]![0], ring[i]![1]] };
      seen.add(key);
    }
  }
  const at = firstCrossing(polygons.flat());
  if (at) return { reason: 'self_crossing', at };
  // No boundaries meet, so a ring is wholly inside or wholly outside another: one position decides.
  for (const rings of polygons) for (const hole of rings.slice(1)) if (!inside(hole[0]!, rings[0]!)) return { reason: 'bad_polygon', why: 'hole_outside' };
  if (polygons.length > 1) {
    const boxes = polygons.map((rings) => box(rings[0]!));
    for (let i = 0; i < polygons.length; i++)
      for (let j = 0; j < polygons.length; j++) {
        if (i === j) continue;
        const p = polygons[i]![0]![0]!;
        const b = boxes[j]!;
        if (p[0] < b[0] || p[0] > b[2] || p[1] < b[1] || p[1] > b[3]) continue;
        if (inside(p, polygons[j]![0]!) && !polygons[j]!.slice(1).some((hole) => inside(p, hole))) return { reason: 'bad_polygon', why: 'parts_overlap' };
      }
  }
  return null;
}

function countPositions(parts: unknown[]): number {
  let count = 0;
  for (const part of parts) if (Array.isArray(part)) for (const ring of part) if (Array.isArray(ring)) count += ring.length;
  return count;
}

function box(ring: readonly Position[]): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) {
    b[0] = Math.min(b[0], x);
    b[1] = Math.min(b[1], y);
    b[2] = Math.max(b[2], x);
    b[3] = Math.max(b[3], y);
  }
  return b;
}
