// Inspection routes (巡查路线, issue 7): order the chosen stops to make the route short. Pure: stops and
// options in, the ordered route out; the API, the tests and the benchmark all call this function.
//
// Distance model: great-circle distance (haversine, sphere of radius 6371.0088 km) × a detour
// factor (default 1.3); no road network. The factor scales every leg alike, so it changes the
// kilometres and minutes but never the order.
//
// The route is a shortest path through the stops with a fixed first point (the start) and a fixed
// last point: the end point, the start again for a closed route, or, for an open route, a free
// "anywhere" point at distance 0 from every stop (so the route ends at whichever stop is best and
// no return leg is counted). Ordering:
// 1. Two constructions, nearest neighbour and cheapest insertion, each improved by 2-opt and Or-opt
//    (runs of 1–3 stops moved, either orientation) over 10-nearest-neighbour lists; keep the shorter.
// 2. Iterated local search: a seeded number of random double-bridge kicks, each followed by the same
//    local search, keeping only improvements (deterministic: the same input gives the same route).
// 3. An exhaustive pass over every 2-opt and Or-opt move, repeated until none improves.
import { distanceMatrix } from './route-distance.ts';
import { cheapestInsertionTour, nearestNeighbourTour } from './route-construct.ts';
import { PathImprover } from './route-improve.ts';
import { resolveRouteOptions, validateStops } from './route-options.ts';
import type { DistanceModel, PlannedRoute, PlannedStop, PlanRouteOptions, RouteStop } from './route-types.ts';

export {
  CHINA_BOUNDS,
  DEFAULT_DETOUR_FACTOR,
  DEFAULT_MINUTES_PER_STOP,
  DEFAULT_SPEED_KMH,
  MAX_ROUTE_STOPS,
  RouteOptionError,
  resolveRouteOptions,
} from './route-options.ts';
export type * from './route-types.ts';

/** The fixed seed of the iterated local search, so a route can be planned again identically. */
const SEARCH_SEED = 0x7a11;

/** Kicks of the iterated local search: more for bigger routes, bounded so 500 stops stay well under 2 s. */
export function searchIterations(stops: number): number {
  return Math.min(4000, Math.max(200, 12 * stops));
}

export function describeDistanceModel(detourFactor: number): DistanceModel {
  return {
    zh: `距离按两点间球面直线距离 × 绕行系数 ${detourFactor} 估算，未使用路网。`,
    en: `Distances are straight-line (great-circle) distances × a detour factor of ${detourFactor}; no road network is used.`,
    detourFactor,
  };
}

export function planRoute(stops: readonly RouteStop[], options: PlanRouteOptions): PlannedRoute {
  validateStops(stops);
  const resolved = resolveRouteOptions(options);
  const { start, end, detourFactor, speedKmh, minutesPerStop } = resolved;

  // Node 0 = start, 1…n = stops, n+1 = end (NaN = "anywhere" for an open route).
  const count = stops.length;
  const size = count + 2;
  const lons = new Float64Array(size);
  const lats = new Float64Array(size);
  [lons[0], lats[0]] = start;
  stops.forEach((stop, index) => {
    lons[index + 1] = stop.lon;
    lats[index + 1] = stop.lat;
  });
  [lons[size - 1], lats[size - 1]] = end ?? [NaN, NaN];
  const distance = distanceMatrix(lons, lats);

  let improver: PathImprover | null = null;
  for (const construct of [nearestNeighbourTour, cheapestInsertionTour]) {
    const candidate = new PathImprover(distance, size, construct(distance, size));
    candidate.pushAll();
    candidate.improveWithNeighbours();
    if (!improver || candidate.cost() < improver.cost()) improver = candidate;
  }
  improver!.iterate(searchIterations(count), SEARCH_SEED);
  improver!.polishExhaustively();
  const tour = improver!.tour;

  const order: PlannedStop[] = [];
  let totalKm = 0;
  for (let position = 1; position <= count; position++) {
    const node = tour[position]!;
    const legKm = distance[tour[position - 1]! * size + node]! * detourFactor;
    totalKm += legKm;
    const stop = stops[node - 1]!;
    order.push({ id: stop.id, seq: position, lon: stop.lon, lat: stop.lat, legKm });
  }
  const endLegKm = end ? distance[tour[count]! * size + size - 1]! * detourFactor : 0;
  totalKm += endLegKm;
  const minutes = Math.round((totalKm / speedKmh) * 60 + count * minutesPerStop);
  return {
    order,
    start: [start[0], start[1]],
    end: end ? [end[0], end[1]] : null,
    endLegKm,
    totalKm,
    minutes,
    distanceModel: describeDistanceModel(detourFactor),
    options: resolved,
  };
}
