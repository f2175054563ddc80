// Inspection routes (issue 7): ordering against the exhaustive optimum, known layouts, options, and
// the seeded spot-check sample.
import { destination, distance as turfDistance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { planRoute, RouteOptionError } from '../../server/geo/plan-route.ts';
import type { LonLat, PlannedRoute, PlanRouteOptions, RouteStop } from '../../server/geo/plan-route.ts';
import { randomRouteInstance } from '../helpers/route-instance.ts';
import { sampleSites } from '../../server/geo/sample-sites.ts';
import type { SampleCandidate } from '../../server/geo/sample-sites.ts';
import { Random } from '../../domain/random.ts';

type EndMode = 'open' | 'closed' | 'fixed';

/** Great-circle km by turf (an implementation independent of the planner's own haversine). */
function km(a: readonly [number, number], b: readonly [number, number]): number {
  return turfDistance([a[0], a[1]], [b[0], b[1]], { units: 'kilometers' });
}

/**
 * Exhaustive search over every order of the stops (depth first; a partial order already as long as
 * the best complete one is not extended, which cannot drop an optimum). Straight-line km, no factor.
 */
function optimumKm(stops: readonly RouteStop[], start: LonLat, end: LonLat | null): number {
  const points = stops.map((stop): [number, number] => [stop.lon, stop.lat]);
  const used = new Array<boolean>(points.length).fill(false);
  let best = Infinity;
  const extend = (from: [number, number], placed: number, length: number): void => {
    if (length >= best) return;
    if (placed === points.length) {
      best = Math.min(best, length + (end ? km(from, end) : 0));
      return;
    }
    for (let index = 0; index < points.length; index++) {
      if (used[index]) continue;
      used[index] = true;
      extend(points[index]!, placed + 1, length + km(from, points[index]!));
      used[index] = false;
    }
  };
  extend(start, 0, 0);
  return best;
}

function endFor(mode: EndMode, fixedEnd: LonLat): PlanRouteOptions['end'] {
  return mode === 'open' ? null : mode === 'closed' ? 'start' : fixedEnd;
}

/** The route's km recomputed leg by leg from its own order, with turf. */
function recomputedKm(route: PlannedRoute): number {
  let total = 0;
  let from: [number, number] = route.start;
  for (const stop of route.order) {
    total += km(from, [stop.lon, stop.lat]);
    from = [stop.lon, stop.lat];
  }
  if (route.end) total += km(from, route.end);
  return total * route.distanceModel.detourFactor;
}

describe('planRoute: against the exhaustive optimum (n ≤ 9)', () => {
  // Instances per size: many small ones, fewer at 8 and 9 where the exhaustive search is slower.
  const INSTANCES: Record<number, number> = { 1: 3, 2: 10, 3: 20, 4: 20, 5: 20, 6: 20, 7: 15, 8: 10, 9: 6 };

  for (const mode of ['open', 'closed', 'fixed'] as const) {
    it(`${mode} routes: optimal on most instances, within 2% on all`, () => {
      let instances = 0;
      let optimal = 0;
      let worstGap = 0;
      for (const [size, count] of Object.entries(INSTANCES)) {
        for (let index = 0; index < count; index++) {
          const instance = randomRouteInstance(Number(size), 1000 * Number(size) + index);
          const end = endFor(mode, instance.end);
          const route = planRoute(instance.stops, { start: instance.start, end, detourFactor: 1.3 });
          const best = optimumKm(instance.stops, instance.start, end === 'start' ? instance.start : (end ?? null)) * 1.3;
          // The route is a permutation of the stops and its total is the sum of its own legs.
          expect(route.order.map((stop) => stop.id).sort((a, b) => a - b)).toEqual(instance.stops.map((stop) => stop.id));
          expect(route.order.map((stop) => stop.seq)).toEqual(instance.stops.map((_, position) => position + 1));
          expect(route.totalKm).toBeCloseTo(recomputedKm(route), 9);
          const gap = route.totalKm / best - 1;
          expect(gap).toBeGreaterThan(-1e-9); // never "better" than the optimum: the model is consistent
          worstGap = Math.max(worstGap, gap);
          if (gap < 1e-9) optimal++;
          instances++;
        }
      }
      expect(worstGap).toBeLessThanOrEqual(0.02);
      expect(optimal / instances).toBeGreaterThanOrEqual(0.95);
    });
  }
});

describe('planRoute: known layouts', () => {
  /** Stops on a geodesic circle of radius 5 km round Luohe, at bearings 360·k/count, in shuffled order. */
  function circle(count: number, seed: number): { start: LonLat; stops: RouteStop[] } {
    const centre: [number, number] = [114.02, 33.58];
    const at = (k: number): [number, number] => {
      const [lon, lat] = destination(centre, 5, (360 * k) / count - 180, { units: 'kilometers' }).geometry.coordinates;
      return [lon!, lat!];
    };
    const stops = Array.from({ length: count - 1 }, (_, index) => {
      const [lon, lat] = at(index + 1);
      return { id: index + 1, lon, lat };
    });
    return { start: at(0), stops: new Random(seed).shuffle(stops) };
  }

  for (const count of [12, 40, 101]) {
    it(`a closed route through ${count} points on a circle goes round the circle`, () => {
      const { start, stops } = circle(count, count);
      const route = planRoute(stops, { start, end: 'start', detourFactor: 1 });
      const ids = route.order.map((stop) => stop.id);
      const ascending = stops.map((stop) => stop.id).sort((a, b) => a - b);
      // Either way round; the convex polygon is the optimal tour of points in convex position.
      expect([ascending, [...ascending].reverse()]).toContainEqual(ids);
      const polygon = [
        start,
        ...ascending.map((id) => [stops.find((stop) => stop.id === id)!.lon, stops.find((stop) => stop.id === id)!.lat] as LonLat),
        start,
      ];
      let perimeter = 0;
      for (let index = 1; index < polygon.length; index++) perimeter += km(polygon[index - 1]!, polygon[index]!);
      expect(route.totalKm).toBeCloseTo(perimeter, 9);
    });
  }

  it('an open route along a meridian visits the stops outward from the start, with no return leg', () => {
    // A meridian is a great circle, so the legs add up exactly to the end-to-end distance.
    const stops: RouteStop[] = [4, 1, 3, 2, 5].map((k) => ({ id: k, lon: 114, lat: 33.6 + 0.01 * k }));
    const route = planRoute(stops, { start: [114, 33.6] });
    expect(route.order.map((stop) => stop.id)).toEqual([1, 2, 3, 4, 5]);
    expect(route.end).toBeNull();
    expect(route.endLegKm).toBe(0);
    expect(route.totalKm).toBeCloseTo(km([114, 33.6], [114, 33.65]) * 1.3, 9);
    // A closed route over the same stops pays the way back.
    const closed = planRoute(stops, { start: [114, 33.6], end: 'start' });
    expect(closed.end).toEqual([114, 33.6]);
    expect(closed.totalKm).toBeCloseTo(2 * route.totalKm, 9);
  });

  it('keeps the fixed start and the fixed end', () => {
    const instance = randomRouteInstance(60, 77);
    const route = planRoute(instance.stops, { start: instance.start, end: instance.end });
    const first = route.order[0]!;
    const last = route.order[route.order.length - 1]!;
    expect(first.legKm).toBeCloseTo(km(instance.start, [first.lon, first.lat]) * 1.3, 9);
    expect(route.endLegKm).toBeCloseTo(km([last.lon, last.lat], instance.end) * 1.3, 9);
    expect(route.end).toEqual(instance.end);
    expect(route.totalKm).toBeCloseTo(recomputedKm(route), 9);
  });

  it('estimates time from speed and minutes per stop, and states the distance model', () => {
    const stops: RouteStop[] = [{ id: 1, lon: 114.1, lat: 33.6 }];
    const route = planRoute(stops, { start: [114, 33.6], end: 'start', detourFactor: 1.5, speedKmh: 40, minutesPerStop: 25 });
    const straight = 2 * km([114, 33.6], [114.1, 33.6]);
    expect(route.totalKm).toBeCloseTo(straight * 1.5, 9);
    expect(route.minutes).toBe(Math.round(((straight * 1.5) / 40) * 60 + 25));
    expect(route.distanceModel.detourFactor).toBe(1.5);
    expect(route.distanceModel.en).toMatch(/straight-line.*× a detour factor of 1\.5; no road network/);
    expect(route.distanceModel.zh).toContain('绕行系数 1.5');
  });

  it('is deterministic: the same input gives the same route', () => {
    // Big enough that a different search seed would (very likely) end in a different local optimum.
    for (const seed of [5, 6, 7]) {
      const instance = randomRouteInstance(300, seed);
      const once = planRoute(instance.stops, { start: instance.start });
      const again = planRoute(instance.stops, { start: instance.start });
      expect(again).toEqual(once);
    }
  });
});

describe('planRoute: options refused with the parameter named', () => {
  const stops: RouteStop[] = [
    { id: 1, lon: 114, lat: 33.6 },
    { id: 2, lon: 114.1, lat: 33.5 },
  ];
  const start: LonLat = [114.02, 33.58];
  const cases: [string, RouteStop[], PlanRouteOptions, string][] = [
    ['zero stops', [], { start }, 'stops'],
    ['more than 1000 stops', Array.from({ length: 1001 }, (_, id) => ({ id, lon: 114, lat: 33.6 })), { start }, 'stops'],
    ['duplicate stop ids', [stops[0]!, { ...stops[1]!, id: 1 }], { start }, 'stops'],
    ['a stop without coordinates', [{ id: 1, lon: Number.NaN, lat: 33 }], { start }, 'stops'],
    ['a start outside China', stops, { start: [2.35, 48.86] }, 'start'],
    ['a start with latitude and longitude swapped', stops, { start: [33.58, 114.02] }, 'start'],
    ['a start that is not finite', stops, { start: [Number.POSITIVE_INFINITY, 33.5] }, 'start'],
    ['an end outside China', stops, { start, end: [-74, 40.7] }, 'end'],
    ['an end that is not a number', stops, { start, end: [Number.NaN, 33] }, 'end'],
    ['a detour factor below 1', stops, { start, detourFactor: 0.9 }, 'detourFactor'],
    ['a detour factor above 3', stops, { start, detourFactor: 3.5 }, 'detourFactor'],
    ['a speed of 0', stops, { start, speedKmh: 0 }, 'speedKmh'],
    ['a negative speed', stops, { start, speedKmh: -30 }, 'speedKmh'],
    ['negative minutes per stop', stops, { start, minutesPerStop: -1 }, 'minutesPerStop'],
  ];
  for (const [label, input, options, parameter] of cases)
    it(`refuses ${label}`, () => {
      let caught: unknown;
      try {
        planRoute(input, options);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(RouteOptionError);
      expect((caught as RouteOptionError).parameter).toBe(parameter);
      expect((caught as RouteOptionError).message.startsWith(`${parameter}: `)).toBe(true);
    });

  it('accepts the limits: 1000 stops, detour factors 1 and 3', () => {
    const instance = randomRouteInstance(1000, 9);
    expect(planRoute(instance.stops, { start: instance.start, detourFactor: 1 }).order).toHaveLength(1000);
    expect(planRoute(stops, { start, detourFactor: 3 }).order).toHaveLength(2);
  });
});

describe('sampleSites: stratified, reproducible from its seed', () => {
  // 5 counties of unequal size (one smaller than k), ids interleaved across counties.
  const SIZES: Record<string, number> = { '411102': 30, '411103': 12, '411104': 25, '411121': 3, '411122': 40 };
  const candidates: SampleCandidate[] = [];
  let nextId = 1;
  for (let round = 0; round < 40; round++) for (const [county, size] of Object.entries(SIZES)) if (round < size) candidates.push({ id: nextId++, county });

  it('takes min(k, size) sites from every county, each from that county', () => {
    const sample = sampleSites(candidates, 5, 20240601);
    const countyOf = new Map(candidates.map((site) => [site.id, site.county]));
    expect(Object.keys(sample.byCounty).sort()).toEqual(Object.keys(SIZES).sort());
    for (const [county, size] of Object.entries(SIZES)) {
      const drawn = sample.byCounty[county]!;
      expect(drawn).toHaveLength(Math.min(5, size));
      expect(new Set(drawn).size).toBe(drawn.length);
      for (const id of drawn) expect(countyOf.get(id)).toBe(county);
    }
    expect(sample.ids).toEqual(
      Object.values(sample.byCounty)
        .flat()
        .sort((a, b) => a - b),
    );
    expect(sample.ids).toHaveLength(5 + 5 + 5 + 3 + 5);
    expect(sample).toMatchObject({ seed: 20240601, perCounty: 5 });
    expect(sample.method).toMatch(/Fisher–Yates.*mulberry32/);
  });

  it('gives the same sample for the same seed, whatever the input order', () => {
    const shuffled = new Random(1).shuffle([...candidates]);
    expect(sampleSites(shuffled, 5, 42)).toEqual(sampleSites(candidates, 5, 42));
  });

  it('gives different samples for different seeds', () => {
    const draws = new Set([1, 2, 3, 4, 5].map((seed) => sampleSites(candidates, 5, seed).ids.join(',')));
    expect(draws.size).toBe(5);
  });

  it('reproduces the documented method by hand', () => {
    const random = new Random(7);
    const expected: Record<string, number[]> = {};
    for (const county of Object.keys(SIZES).sort()) {
      const pool = candidates
        .filter((site) => site.county === county)
        .map((site) => site.id)
        .sort((a, b) => a - b);
      expected[county] = random
        .shuffle(pool)
        .slice(0, 4)
        .sort((a, b) => a - b);
    }
    expect(sampleSites(candidates, 4, 7).byCounty).toEqual(expected);
  });

  it('draws each site about equally often over many seeds', () => {
    // County 411103 has 12 sites and k = 3: each should be drawn in about 1/4 of 2000 draws.
    const counts = new Map<number, number>();
    for (let seed = 0; seed < 2000; seed++) for (const id of sampleSites(candidates, 3, seed).byCounty['411103']!) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(counts.size).toBe(12);
    for (const count of counts.values()) expect(Math.abs(count / 2000 - 0.25)).toBeLessThan(0.05);
  });

  it('refuses a bad k, a bad seed and repeated sites', () => {
    for (const [perCounty, seed, parameter] of [
      [0, 1, 'perCounty'],
      [1.5, 1, 'perCounty'],
      [3, -1, 'seed'],
      [3, 2 ** 32, 'seed'],
      [3, 0.5, 'seed'],
    ] as const)
      expect(() => sampleSites(candidates, perCounty, seed)).toThrow(expect.objectContaining({ parameter }));
    expect(() => sampleSites([...candidates, candidates[0]!], 3, 1)).toThrow(expect.objectContaining({ parameter: 'sites' }));
  });
});
