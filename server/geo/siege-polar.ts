// Fast band-and-sector cells for star-shaped rings, in an azimuthal-equidistant frame.
//
// Centred on the core's centroid, the azimuthal-equidistant projection maps the geodesic ray at
// compass bearing β to a straight ray at polar angle β and keeps distances from the centre exact.
// When a boundary (the core's ring or a buffer's ring) meets every such ray exactly once — it is
// star-shaped about the centroid, true for any convex core and its buffers — the part of a band
// between bearings β1 and β2 is: the outer boundary from its β1 crossing to its β2 crossing, the
// ray inward, the inner boundary back, and the ray outward. Neighbouring cells share their
// crossing points exactly, so a band's cells add up to its ring.
import type { Polygon, Position } from 'geojson';
import { EARTH_RADIUS_KM, RADIANS } from './sphere.ts';

export interface Frame {
  lon0: number;
  lat0: number;
  sinLat0: number;
  cosLat0: number;
}

export function makeFrame(centre: [number, number]): Frame {
  return { lon0: centre[0], lat0: centre[1], sinLat0: Math.sin(centre[1] * RADIANS), cosLat0: Math.cos(centre[1] * RADIANS) };
}

/** [x east, y north] in km; distance and bearing from the centre are exact (spherical, turf's radius). */
export function project(frame: Frame, lon: number, lat: number): [number, number] {
  const phi = lat * RADIANS;
  const deltaLon = (lon - frame.lon0) * RADIANS;
  const sinHalfLat = Math.sin((phi - frame.lat0 * RADIANS) / 2);
  const sinHalfLon = Math.sin(deltaLon / 2);
  const a = sinHalfLat * sinHalfLat + sinHalfLon * sinHalfLon * frame.cosLat0 * Math.cos(phi);
  const angle = 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
  const bearing = Math.atan2(Math.sin(deltaLon) * Math.cos(phi), frame.cosLat0 * Math.sin(phi) - frame.sinLat0 * Math.cos(phi) * Math.cos(deltaLon));
  const radius = angle * EARTH_RADIUS_KM;
  return [radius * Math.sin(bearing), radius * Math.cos(bearing)];
}

/** Inverse of `project` (turf.destination's formula). */
export function unproject(frame: Frame, x: number, y: number): Position {
  const angle = Math.hypot(x, y) / EARTH_RADIUS_KM;
  if (angle === 0) return [frame.lon0, frame.lat0];
  const bearing = Math.atan2(x, y);
  const sinAngle = Math.sin(angle);
  const cosAngle = Math.cos(angle);
  const lat = Math.asin(frame.sinLat0 * cosAngle + frame.cosLat0 * sinAngle * Math.cos(bearing));
  const lon = frame.lon0 * RADIANS + Math.atan2(Math.sin(bearing) * sinAngle * frame.cosLat0, cosAngle - frame.sinLat0 * Math.sin(lat));
  return [lon / RADIANS, lat / RADIANS];
}

/** A boundary ring in the frame, ordered clockwise (compass bearing increasing). */
export interface StarRing {
  x: number[];
  y: number[];
  /** Unwrapped bearing of each vertex in degrees: angles[0] in [0, 360), increasing, ending below angles[0] + 360. */
  angles: number[];
}

function compassDegrees(x: number, y: number): number {
  const degrees = Math.atan2(x, y) / RADIANS;
  return degrees < 0 ? degrees + 360 : degrees;
}

/**
 * The ring as a StarRing when every ray from the centre crosses it exactly once (each edge turns
 * strictly one way around the centre and the ring winds once), else null.
 */
export function starRing(frame: Frame, ring: readonly Position[]): StarRing | null {
  const points: [number, number][] = [];
  for (const [lon, lat] of ring) {
    const point = project(frame, lon!, lat!);
    const last = points[points.length - 1];
    if (!last || last[0] !== point[0] || last[1] !== point[1]) points.push(point);
  }
  const first = points[0];
  const final = points[points.length - 1];
  if (first && final && points.length > 1 && first[0] === final[0] && first[1] === final[1]) points.pop();
  if (points.length < 3) return null;
  let sign = 0;
  let turned = 0;
  for (let index = 0; index < points.length; index++) {
    const [ax, ay] = points[index]!;
    const [bx, by] = points[(index + 1) % points.length]!;
    const cross = ax * by - ay * bx;
    const edgeSign = Math.sign(cross);
    if (edgeSign === 0 || (sign !== 0 && edgeSign !== sign)) return null;
    sign = edgeSign;
    turned += Math.atan2(cross, ax * bx + ay * by);
  }
  if (Math.abs(Math.abs(turned) - 2 * Math.PI) > 1e-6) return null;
  if (sign > 0) points.reverse(); // counter-clockwise in x/y: make it clockwise (bearing increasing)
  const angles: number[] = [];
  let angle = compassDegrees(points[0]![0], points[0]![1]);
  angles.push(angle);
  for (let index = 1; index < points.length; index++) {
    const [ax, ay] = points[index - 1]!;
    const [bx, by] = points[index]!;
    // Clockwise turn between consecutive vertices, in (0, 180).
    angle += -Math.atan2(ax * by - ay * bx, ax * bx + ay * by) / RADIANS;
    angles.push(angle);
  }
  return { x: points.map((point) => point[0]), y: points.map((point) => point[1]), angles };
}

/** Index of the edge (vertex i to i+1) whose bearing span holds `bearing` (already in [angles[0], angles[0]+360)). */
function edgeHolding(ring: StarRing, bearing: number): number {
  const { angles } = ring;
  let low = 0;
  let high = angles.length - 1;
  if (bearing >= angles[high]!) return high; // the closing edge, last vertex back to the first
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (angles[middle]! <= bearing) low = middle;
    else high = middle;
  }
  return low;
}

function inRingRange(ring: StarRing, bearing: number): number {
  const start = ring.angles[0]!;
  let value = bearing;
  while (value < start) value += 360;
  while (value >= start + 360) value -= 360;
  return value;
}

/** Where the ray at `bearing` crosses the ring, with the edge it crosses. */
function crossing(ring: StarRing, bearing: number): { edge: number; at: number; point: [number, number] } {
  const at = inRingRange(ring, bearing);
  const edge = edgeHolding(ring, at);
  const next = (edge + 1) % ring.x.length;
  const ax = ring.x[edge]!;
  const ay = ring.y[edge]!;
  const bx = ring.x[next]!;
  const by = ring.y[next]!;
  const directionX = Math.sin(at * RADIANS);
  const directionY = Math.cos(at * RADIANS);
  const denominator = directionX * (by - ay) - directionY * (bx - ax);
  let s = denominator === 0 ? 0 : -(directionX * ay - directionY * ax) / denominator;
  if (s < 0) s = 0;
  else if (s > 1) s = 1;
  return { edge, at, point: [ax + s * (bx - ax), ay + s * (by - ay)] };
}

/** The ring's points from bearing `from` clockwise to `to` (to − from in (0, 360]), both crossings included. */
function arc(ring: StarRing, from: number, to: number): [number, number][] {
  const start = crossing(ring, from);
  const end = crossing(ring, to);
  const points: [number, number][] = [start.point];
  const count = ring.x.length;
  const span = to - from;
  for (let step = 1; step <= count; step++) {
    const vertex = (start.edge + step) % count;
    let angle = ring.angles[vertex]!;
    if (angle < start.at) angle += 360;
    if (angle - start.at >= span) break;
    points.push([ring.x[vertex]!, ring.y[vertex]!]);
  }
  points.push(end.point);
  return points;
}

function pushDistinct(target: [number, number][], point: [number, number]): void {
  const last = target[target.length - 1];
  if (!last || last[0] !== point[0] || last[1] !== point[1]) target.push(point);
}

/** The cell between `inner` and `outer` from bearing `from` to `to` (clockwise), as a WGS84 polygon (counter-clockwise). */
export function polarCell(frame: Frame, inner: StarRing, outer: StarRing, from: number, to: number): Polygon {
  const ring: [number, number][] = [];
  for (const point of arc(outer, from, to)) pushDistinct(ring, point);
  for (const point of arc(inner, from, to).reverse()) pushDistinct(ring, point);
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (first[0] === last[0] && first[1] === last[1]) ring.pop();
  const coordinates = ring.reverse().map(([x, y]) => unproject(frame, x, y));
  coordinates.push([...coordinates[0]!]);
  return { type: 'Polygon', coordinates: [coordinates] };
}
