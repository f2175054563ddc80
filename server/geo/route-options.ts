// Option defaults and validation for route planning; a bad option throws RouteOptionError naming it.
import type { LonLat, PlanRouteOptions, ResolvedRouteOptions, RouteStop } from './route-types.ts';
import { OptionError } from './option-error.ts';

export const DEFAULT_DETOUR_FACTOR = 1.3;
export const DEFAULT_SPEED_KMH = 30;
export const DEFAULT_MINUTES_PER_STOP = 20;
export const MAX_ROUTE_STOPS = 1000;
/** A generous box around mainland China; points outside it are typing mistakes (or lat/lon swapped). */
export const CHINA_BOUNDS = { minLon: 73, maxLon: 136, minLat: 3, maxLat: 54 } as const;

/** A bad option; the API answers it with 400 and this message. */
export class RouteOptionError extends OptionError {}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isInChina(lon: number, lat: number): boolean {
  const { minLon, maxLon, minLat, maxLat } = CHINA_BOUNDS;
  return lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat;
}

function validatePoint(parameter: string, point: unknown): LonLat {
  if (!Array.isArray(point) || point.length !== 2)
    throw new RouteOptionError(parameter, `the ${parameter} must be a [longitude, latitude] pair`, { reason: 'bad_format' });
  const [lon, lat] = point as unknown[];
  if (!isFiniteNumber(lon) || !isFiniteNumber(lat))
    throw new RouteOptionError(parameter, `the ${parameter} needs finite numbers, not [${String(lon)}, ${String(lat)}]`, { reason: 'not_a_number' });
  if (!isInChina(lon, lat))
    throw new RouteOptionError(
      parameter,
      `the ${parameter} [${lon}, ${lat}] is outside China (longitude 73–136, latitude 3–54); are longitude and latitude swapped?`,
      { reason: 'outside_china', value: `${lon},${lat}` },
    );
  return [lon, lat];
}

/** Checks the stops: at least one, at most MAX_ROUTE_STOPS, whole-number ids without repeats, located in China. */
export function validateStops(stops: readonly RouteStop[]): void {
  if (!Array.isArray(stops) || stops.length === 0) throw new RouteOptionError('stops', 'choose at least one stop', { reason: 'required' });
  if (stops.length > MAX_ROUTE_STOPS)
    throw new RouteOptionError('stops', `a route holds at most ${MAX_ROUTE_STOPS} stops, not ${stops.length}`, { reason: 'too_many', maximum: MAX_ROUTE_STOPS });
  const seen = new Set<number>();
  for (const stop of stops) {
    if (!stop || !Number.isInteger(stop.id)) throw new RouteOptionError('stops', `stop id ${String(stop?.id)} is not a whole number`, { reason: 'not_whole_number', value: String(stop?.id) });
    if (seen.has(stop.id)) throw new RouteOptionError('stops', `stop ${stop.id} appears more than once`, { reason: 'repeated', value: stop.id });
    seen.add(stop.id);
    if (!isFiniteNumber(stop.lon) || !isFiniteNumber(stop.lat))
      throw new RouteOptionError('stops', `stop ${stop.id} has no usable coordinates`, { reason: 'not_a_number', value: stop.id });
    if (!isInChina(stop.lon, stop.lat))
      throw new RouteOptionError('stops', `stop ${stop.id} at [${stop.lon}, ${stop.lat}] is outside China`, { reason: 'outside_china', value: stop.id });
  }
}

/** Fill defaults and check every option; throws RouteOptionError naming the parameter. */
export function resolveRouteOptions(options: PlanRouteOptions): ResolvedRouteOptions {
  if (!options || typeof options !== 'object') throw new RouteOptionError('start', 'options with a start point are required', { reason: 'required' });
  const start = validatePoint('start', options.start);
  const rawEnd = options.end ?? null;
  const closed = rawEnd === 'start';
  const end = rawEnd === null ? null : closed ? start : validatePoint('end', rawEnd);

  const detourFactor = options.detourFactor ?? DEFAULT_DETOUR_FACTOR;
  if (!isFiniteNumber(detourFactor) || detourFactor < 1 || detourFactor > 3)
    throw new RouteOptionError('detourFactor', `the detour factor must be from 1 to 3, not ${String(detourFactor)}`, { reason: 'out_of_range', minimum: 1, maximum: 3, value: detourFactor });

  const speedKmh = options.speedKmh ?? DEFAULT_SPEED_KMH;
  if (!isFiniteNumber(speedKmh) || speedKmh <= 0)
    throw new RouteOptionError('speedKmh', `the speed must be greater than 0 km/h, not ${String(speedKmh)}`, { reason: 'too_small', minimum: 0, exclusive: true, value: speedKmh });

  const minutesPerStop = options.minutesPerStop ?? DEFAULT_MINUTES_PER_STOP;
  if (!isFiniteNumber(minutesPerStop) || minutesPerStop < 0)
    throw new RouteOptionError('minutesPerStop', `minutes per stop must be 0 or more, not ${String(minutesPerStop)}`, { reason: 'too_small', minimum: 0, value: minutesPerStop });

  return { start, end, closed, detourFactor, speedKmh, minutesPerStop };
}
