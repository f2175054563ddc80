// Band-and-sector cell polygons of the siege analysis: built once per call, never per site, and
// remembered for the last few (core, bands, sectors, nearKm) so a comparison of two dates, or the
// next request on the same core, does not build them again.
//
// Band boundaries: turf.buffer of the core by each band edge (the core itself for edge 0).
// turf.buffer works in an azimuthal-equidistant projection centred on the core's bbox centre; on
// the default 6 km core the vertices of the 2, 5, 10 and 20 km buffers lie within 3e-9 relative of
// the asked geodesic distance from the boundary (turf.pointToLineDistance), and a band's area is
// within 1.0e-4 of the exact spherical annulus (the 128-gon core's own chord loss). BUFFER_STEPS
// segments per quarter circle keep the buffers' arcs as fine as the circle's.
//
// Cells: when both boundaries of a band are star-shaped about the centroid (any convex core and
// its buffers) the cells are cut along the sector rays in siege-polar.ts, in a few milliseconds;
// otherwise (a U-shaped core, a core in pieces, a buffer with a hole) each band is intersected
// with sector wedges by turf.intersect — exact for any shape but about 30–50 ms per cell. A wedge
// runs from the centroid out along its edge bearings (densified along the great circle with
// turf.destination) beyond the outermost buffer, joined by arc points at most 2° apart;
// neighbouring wedges share their edge vertices exactly. Either way the cells of a band add up to
// the band's area to ~1e-9 relative (tests allow 0.5%).
import { area, buffer, destination, difference, featureCollection, intersect, polygon } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { haversineKm } from './sphere.ts';
import { makeFrame, polarCell, starRing } from './siege-polar.ts';
import type { StarRing } from './siege-polar.ts';
import type { CoreFeature } from './siege-types.ts';

export const BUFFER_STEPS = 64;
const MAX_ARC_STEP_DEGREES = 2;
const RADIAL_STEP_KM = 2;

export interface SiegeRing {
  band: number;
  fromKm: number;
  toKm: number;
  /** Area of the outer buffer minus the inner one (turf.area), km². */
  areaKm2: number;
}

export interface SiegeCellGeometry {
  band: number;
  sector: number;
  bearingFrom: number;
  bearingTo: number;
  areaKm2: number;
  geometry: Polygon | MultiPolygon;
}

export interface SiegeGeometry {
  centroid: [number, number];
  coreAreaKm2: number;
  rings: SiegeRing[];
  cells: SiegeCellGeometry[];
  /** Area of buffer(core, nearKm) minus the core, km². */
  nearAreaKm2: number;
}

function polygonsOf(geometry: Polygon | MultiPolygon): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/**
 * Area-weighted centroid of the core in lon/lat (shoelace; holes subtract). Over a city the
 * lon/lat plane is area-proportional to within cos(latitude) variation, well under 1%.
 */
export function coreCentroid(geometry: Polygon | MultiPolygon): [number, number] {
  let twiceArea = 0;
  let sumX = 0;
  let sumY = 0;
  const [originLon, originLat] = polygonsOf(geometry)[0]![0]![0]!;
  for (const rings of polygonsOf(geometry))
    rings.forEach((ring, ringIndex) => {
      let ringArea = 0;
      let ringX = 0;
      let ringY = 0;
      for (let index = 0; index + 1 < ring.length; index++) {
        const x1 = ring[index]![0]! - originLon!;
        const y1 = ring[index]![1]! - originLat!;
        const x2 = ring[index + 1]![0]! - originLon!;
        const y2 = ring[index + 1]![1]! - originLat!;
        const cross = x1 * y2 - x2 * y1;
        ringArea += cross;
        ringX += (x1 + x2) * cross;
        ringY += (y1 + y2) * cross;
      }
      // Outer rings add and holes subtract, whatever way each ring winds.
      const sign = (ringIndex === 0 ? 1 : -1) * Math.sign(ringArea);
      twiceArea += sign * ringArea;
      sumX += sign * ringX;
      sumY += sign * ringY;
    });
  if (twiceArea === 0) return [originLon!, originLat!];
  return [originLon! + sumX / (3 * twiceArea), originLat! + sumY / (3 * twiceArea)];
}

function bufferCore(core: CoreFeature, km: number): Feature<Polygon | MultiPolygon> {
  const buffered = buffer(core, km, { units: 'kilometers', steps: BUFFER_STEPS });
  if (!buffered) throw new Error(`could not buffer the core by ${km} km`);
  return buffered;
}

function areaKm2(geometry: Polygon | MultiPolygon | Feature<Polygon | MultiPolygon>): number {
  return area(geometry) / 1e6;
}

/** Bearing of the edge between sector `edge - 1` and sector `edge`, reduced so shared edges are identical. */
function edgeBearing(edge: number, sectors: number): number {
  const width = 360 / sectors;
  return (edge % sectors) * width - width / 2;
}

export function normaliseBearing(bearing: number): number {
  const reduced = bearing % 360;
  return reduced < 0 ? reduced + 360 : reduced;
}

function radialPoints(centre: [number, number], radiusKm: number, bearing: number): Position[] {
  const steps = Math.max(1, Math.ceil(radiusKm / RADIAL_STEP_KM));
  const points: Position[] = [];
  for (let step = 1; step <= steps; step++) points.push(destination(centre, (radiusKm * step) / steps, bearing, { units: 'kilometers' }).geometry.coordinates);
  return points;
}

function wedge(centre: [number, number], radiusKm: number, sector: number, sectors: number): Feature<Polygon> {
  if (sectors === 1) {
    const arcSteps = Math.ceil(360 / MAX_ARC_STEP_DEGREES);
    const ring: Position[] = [];
    for (let step = 0; step < arcSteps; step++) ring.push(destination(centre, radiusKm, (360 * step) / arcSteps, { units: 'kilometers' }).geometry.coordinates);
    ring.push(ring[0]!);
    return polygon([ring]);
  }
  const from = edgeBearing(sector, sectors);
  const to = from + 360 / sectors;
  const outward = radialPoints(centre, radiusKm, from);
  const inward = radialPoints(centre, radiusKm, edgeBearing(sector + 1, sectors)).reverse();
  const arcSteps = Math.ceil((to - from) / MAX_ARC_STEP_DEGREES);
  const arc: Position[] = [];
  for (let step = 1; step < arcSteps; step++)
    arc.push(destination(centre, radiusKm, from + ((to - from) * step) / arcSteps, { units: 'kilometers' }).geometry.coordinates);
  return polygon([[centre, ...outward, ...arc, ...inward, centre]]);
}

/** The single outer ring of a one-piece polygon without holes, else null. */
function soleRing(geometry: Polygon | MultiPolygon): Position[] | null {
  const polygons = polygonsOf(geometry);
  if (polygons.length !== 1 || polygons[0]!.length !== 1) return null;
  return polygons[0]![0]!;
}

function signedArea(ring: readonly Position[]): number {
  let sum = 0;
  for (let index = 0; index + 1 < ring.length; index++) sum += ring[index]![0]! * ring[index + 1]![1]! - ring[index + 1]![0]! * ring[index]![1]!;
  return sum / 2;
}

function wound(ring: readonly Position[], counterClockwise: boolean): Position[] {
  const copy = ring.map((point) => [...point]);
  return signedArea(copy) > 0 === counterClockwise ? copy : copy.reverse();
}

/** The band between two one-piece boundaries: shell counter-clockwise, hole clockwise (RFC 7946). */
function bandWithHole(outer: Position[], inner: Position[]): Polygon {
  return { type: 'Polygon', coordinates: [wound(outer, true), wound(inner, false)] };
}

export function buildSiegeGeometry(core: CoreFeature, bandsKm: readonly number[], sectors: number, nearKm: number): SiegeGeometry {
  const centroid = coreCentroid(core.geometry);
  const coreAreaKm2 = areaKm2(core);
  const frame = makeFrame(centroid);

  const buffers = new Map<number, { feature: Feature<Polygon | MultiPolygon>; areaKm2: number; star: StarRing | null | undefined }>();
  const bufferAt = (km: number) => {
    let entry = buffers.get(km);
    if (!entry) {
      const feature = km === 0 ? core : bufferCore(core, km);
      entry = { feature, areaKm2: km === 0 ? coreAreaKm2 : areaKm2(feature), star: undefined };
      buffers.set(km, entry);
    }
    return entry;
  };
  const starAt = (km: number): StarRing | null => {
    const entry = bufferAt(km);
    if (entry.star === undefined) {
      const ring = soleRing(entry.feature.geometry);
      entry.star = ring ? starRing(frame, ring) : null;
    }
    return entry.star;
  };

  // Wedges (the general path) must reach past the outermost buffer from the centroid in every direction.
  let reachKm = 0;
  for (const rings of polygonsOf(core.geometry))
    for (const [lon, lat] of rings[0]!) reachKm = Math.max(reachKm, haversineKm(centroid[0], centroid[1], lon!, lat!));
  const wedgeRadiusKm = (reachKm + bandsKm[bandsKm.length - 1]!) * 1.05 + 2;
  const wedges: Feature<Polygon>[] = [];
  const wedgeOf = (sector: number): Feature<Polygon> => (wedges[sector] ??= wedge(centroid, wedgeRadiusKm, sector, sectors));

  const rings: SiegeRing[] = [];
  const cells: SiegeCellGeometry[] = [];
  for (let band = 1; band < bandsKm.length; band++) {
    const fromKm = bandsKm[band - 1]!;
    const toKm = bandsKm[band]!;
    const inner = bufferAt(fromKm);
    const outer = bufferAt(toKm);
    const innerStar = starAt(fromKm);
    const outerStar = starAt(toKm);
    const fast = innerStar !== null && outerStar !== null;
    let ringGeometry: Polygon | MultiPolygon | null = null;
    const ringGeometryOf = (): Polygon | MultiPolygon => {
      if (ringGeometry) return ringGeometry;
      const innerRing = soleRing(inner.feature.geometry);
      const outerRing = soleRing(outer.feature.geometry);
      if (innerRing && outerRing) ringGeometry = bandWithHole(outerRing, innerRing);
      else {
        const difference_ = difference(featureCollection([outer.feature, inner.feature]));
        if (!difference_) throw new Error(`band ${fromKm}–${toKm} km has no area`);
        ringGeometry = difference_.geometry;
      }
      return ringGeometry;
    };
    rings.push({ band, fromKm, toKm, areaKm2: outer.areaKm2 - inner.areaKm2 });

    for (let sector = 0; sector < sectors; sector++) {
      const from = edgeBearing(sector, sectors);
      let cellGeometry: Polygon | MultiPolygon;
      if (sectors === 1) cellGeometry = ringGeometryOf();
      else if (fast) cellGeometry = polarCell(frame, innerStar, outerStar, from, from + 360 / sectors);
      else {
        // General path (a core or buffer that some ray crosses twice, or in pieces): polygon
        // clipping with turf.intersect — correct for any shape, but about 50 ms per cell.
        const ringFeature: Feature<Polygon | MultiPolygon> = { type: 'Feature', properties: {}, geometry: ringGeometryOf() };
        const clipped = intersect(featureCollection([ringFeature, wedgeOf(sector)]));
        // A wedge can miss a ring only for a core in far-apart pieces; the cell is kept, empty.
        cellGeometry = clipped ? clipped.geometry : { type: 'MultiPolygon', coordinates: [] };
      }
      cells.push({
        band,
        sector,
        bearingFrom: normaliseBearing(from),
        bearingTo: normaliseBearing(edgeBearing(sector + 1, sectors)),
        areaKm2: areaKm2(cellGeometry),
        geometry: cellGeometry,
      });
    }
  }

  const nearAreaKm2 = bufferAt(nearKm).areaKm2 - coreAreaKm2;
  return { centroid, coreAreaKm2, rings, cells, nearAreaKm2 };
}

const CACHE_SIZE = 8;
const cache = new Map<string, SiegeGeometry>();

/**
 * buildSiegeGeometry, remembered for the last CACHE_SIZE inputs. The cached value is never handed
 * out: callers get a copy, so a caller that edits its cells cannot change another caller's.
 */
export function siegeGeometry(core: CoreFeature, bandsKm: readonly number[], sectors: number, nearKm: number): SiegeGeometry {
  const key = JSON.stringify([core.geometry, bandsKm, sectors, nearKm]);
  let geometry = cache.get(key);
  if (geometry) cache.delete(key);
  else geometry = buildSiegeGeometry(core, bandsKm, sectors, nearKm);
  cache.set(key, geometry);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return structuredClone(geometry);
}
