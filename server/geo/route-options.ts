// Option defaults and validation (zod) for route planning; a bad option throws RouteOptionError naming it.
import { z } from 'zod';
import type { LonLat, PlanRouteOptions, ResolvedRouteOptions, RouteStop } from './route-types.ts';
import { isFiniteNumber, numberOption, OptionError, parseOptions, refuse } from './option-error.ts';

export const DEFAULT_DETOUR_FACTOR = 1.3;
export const DEFAULT_SPEED_KMH = 30;
export const DEFAULT_MINUTES_PER_STOP = 20;
export const MAX_ROUTE_STOPS = 1000;
/** A generous box around mainland China; points outside it are typing mistakes (or lat/lon swapped). */
export const CHINA_BOUNDS = { minLon: 73, maxLon: 136, minLat: 3, maxLat: 54 } as const;

/** A bad option; the API answers it with 400 and this message. */
export class RouteOptionError extends OptionError {}

export function isInChina(lon: number, lat: number): boolean {
  const { minLon, maxLon, minLat, maxLat } = CHINA_BOUNDS;
  return lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat;
}

/** A [longitude, latitude] pair in China. */
function readPoint(ctx: z.RefinementCtx, parameter: 'start' | 'end', value: unknown): LonLat {
  if (!Array.isArray(value) || value.length !== 2)
    return refuse(ctx, parameter, `the ${parameter} must be a [longitude, latitude] pair`, { reason: 'bad_format' });
  const [lon, lat] = value as unknown[];
  if (!isFiniteNumber(lon) || !isFiniteNumber(lat))
    return refuse(ctx, parameter, `the ${parameter} needs finite numbers, not [${String(lon)}, ${String(lat)}]`, { reason: 'not_a_number' });
  if (!isInChina(lon, lat))
    return refuse(ctx, parameter, `the ${parameter} [${lon}, ${lat}] is outside China (longitude 73–136, latitude 3–54); are longitude and latitude swapped?`, {
      reason: 'outside_china',
      value: `${lon},${lat}`,
    });
  return [lon, lat];
}

/** The stops: at least one, at most MAX_ROUTE_STOPS, whole-number ids without repeats, located in China. */
const Stops = z.unknown().superRefine((stops, ctx) => {
  if (!Array.isArray(stops) || stops.length === 0) return refuse(ctx, 'stops', 'choose at least one stop', { reason: 'required' });
  if (stops.length > MAX_ROUTE_STOPS)
    return refuse(ctx, 'stops', `a route holds at most ${MAX_ROUTE_STOPS} stops, not ${stops.length}`, { reason: 'too_many', maximum: MAX_ROUTE_STOPS });
  const seen = new Set<number>();
  for (const stop of stops as (RouteStop | null | undefined)[]) {
    if (!stop || !Number.isInteger(stop.id))
      return refuse(ctx, 'stops', `stop id ${String(stop?.id)} is not a whole number`, { reason: 'not_whole_number', value: String(stop?.id) });
    if (seen.has(stop.id)) return refuse(ctx, 'stops', `stop ${stop.id} appears more than once`, { reason: 'repeated', value: stop.id });
    seen.add(stop.id);
    if (!isFiniteNumber(stop.lon) || !isFiniteNumber(stop.lat))
      return refuse(ctx, 'stops', `stop ${stop.id} has no usable coordinates`, { reason: 'not_a_number', value: stop.id });
    if (!isInChina(stop.lon, stop.lat))
      return refuse(ctx, 'stops', `stop ${stop.id} at [${stop.lon}, ${stop.lat}] is outside China`, { reason: 'outside_china', value: stop.id });
  }
});

/** Checks the stops; throws RouteOptionError naming the first problem. */
export function validateStops(stops: readonly RouteStop[]): void {
  parseOptions(Stops, stops, RouteOptionError);
}

/** The route options with their defaults; `end` is resolved against `start` afterwards. */
const RouteOptions = z.object({
  start: z.unknown().transform((value, ctx) => readPoint(ctx, 'start', value)),
  /** null/undefined: an open route; 'start': back to the start; else a point. */
  end: z.unknown().transform((value, ctx) => (value === null || value === undefined || value === 'start' ? (value ?? null) : readPoint(ctx, 'end', value))),
  detourFactor: numberOption(
    'detourFactor',
    DEFAULT_DETOUR_FACTOR,
    (n) => n >= 1 && n <= 3,
    (n) => [`the detour factor must be from 1 to 3, not ${String(n)}`, { reason: 'out_of_range', minimum: 1, maximum: 3, value: n }],
  ),
  speedKmh: numberOption(
    'speedKmh',
    DEFAULT_SPEED_KMH,
    (n) => n > 0,
    (n) => [`the speed must be greater than 0 km/h, not ${String(n)}`, { reason: 'too_small', minimum: 0, exclusive: true, value: n }],
  ),
  minutesPerStop: numberOption(
    'minutesPerStop',
    DEFAULT_MINUTES_PER_STOP,
    (n) => n >= 0,
    (n) => [`minutes per stop must be 0 or more, not ${String(n)}`, { reason: 'too_small', minimum: 0, value: n }],
  ),
});

/** Fill defaults and check every option; throws RouteOptionError naming the parameter. */
export function resolveRouteOptions(options: PlanRouteOptions): ResolvedRouteOptions {
  if (!options || typeof options !== 'object') throw new RouteOptionError('start', 'options with a start point are required', { reason: 'required' });
  const { start, end: rawEnd, detourFactor, speedKmh, minutesPerStop } = parseOptions(RouteOptions, options, RouteOptionError);
  const closed = rawEnd === 'start';
  const end = rawEnd === null ? null : rawEnd === 'start' ? start : rawEnd;
  return { start, end, closed, detourFactor, speedKmh, minutesPerStop };
}
