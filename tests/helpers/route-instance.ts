// Seeded random route instances for tests and the benchmark: stops scattered over Luohe (漯河).
import { Random } from '../../domain/random.ts';
import type { LonLat, RouteStop } from '../../server/geo/route-types.ts';

/** Roughly Luohe's extent: lon 113.70–114.30, lat 33.40–33.80 (WGS84). */
export const LUOHE_BOX = { minLon: 113.7, maxLon: 114.3, minLat: 33.4, maxLat: 33.8 } as const;

export interface RouteInstance {
  seed: number;
  stops: RouteStop[];
  start: LonLat;
  /** A second random point, for fixed-end routes. */
  end: LonLat;
}

/** `count` stops uniformly at random in LUOHE_BOX (ids 1…count), plus a random start and end. */
export function randomRouteInstance(count: number, seed: number): RouteInstance {
  const random = new Random(seed);
  const point = (): LonLat => [random.range(LUOHE_BOX.minLon, LUOHE_BOX.maxLon), random.range(LUOHE_BOX.minLat, LUOHE_BOX.maxLat)];
  const start = point();
  const end = point();
  const stops = Array.from({ length: count }, (_, index) => {
    const [lon, lat] = point();
    return { id: index + 1, lon, lat };
  });
  return { seed, stops, start, end };
}
