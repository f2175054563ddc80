// Planning an inspection route (POST /api/routes/plan): choose the stops (by rule, random sample,
// polygon or by hand) and order them (geo/plan-route.ts). Runs where the analyses run
// (services/analysis-pool.ts): on the analysis thread for a database file.
import { booleanPointInPolygon } from '@turf/turf';
import { randomInt } from 'node:crypto';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { CategoryCode } from '../../domain/categories.ts';
import { addDays } from '../../domain/days.ts';
import type { StatusCode } from '../../domain/statuses.ts';
import type { Db } from '../db/database.ts';
import { badRequest, unprocessable } from '../errors.ts';
import { DEFAULT_MINUTES_PER_STOP, MAX_ROUTE_STOPS, planRoute, RouteOptionError, type DistanceModel } from '../geo/plan-route.ts';
import { sampleSites, type SiteSample } from '../geo/sample-sites.ts';
import { checkStopIds, stopCandidates, type StopCandidate } from '../store/route-store.ts';
import { routeStop } from './saved-route-plan.ts';

interface StopFilters {
  statuses?: StatusCode[];
  categories?: CategoryCode[];
  counties?: string[];
}
/** The request's body as the route validated it. */
export interface PlanRequest {
  siteIds?: number[];
  rule?:
    | ({ kind: 'recheck'; olderThanDays: number } & StopFilters)
    | { kind: 'relapsed'; categories?: CategoryCode[]; counties?: string[] }
    | ({ kind: 'sample'; perCounty: number; seed?: number } & StopFilters);
  within?: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[] };
  start: { lon: number; lat: number };
  end?: { lon: number; lat: number } | 'start';
  options?: { detourFactor?: number; speedKmh?: number; minutesPerStop?: number };
}

export interface RoutePlanAnswer {
  stops: ReturnType<typeof routeStop>[];
  start: [number, number];
  end: [number, number] | null;
  endLegKm: number;
  totalKm: number;
  minutes: number;
  distanceModel: DistanceModel;
  sample: SiteSample | null;
}

const RESOLVED: StatusCode[] = ['closed', 'upgraded', 'relocated'];
/** Hours of an inspector's working day, for the days a refused plan would take. */
const WORKDAY_HOURS = 8;

function chooseStops(db: Db, body: PlanRequest, today: string) {
  if (!body.rule && !body.siteIds?.length)
    throw badRequest('bad_field', 'siteIds: choose stops by hand (siteIds) or by a rule', { field: 'siteIds', reason: 'choose_stops' });
  let picked: StopCandidate[] = [];
  let sample: SiteSample | null = null;
  const rule = body.rule;
  if (rule?.kind === 'recheck')
    picked = stopCandidates(db, {
      statuses: rule.statuses ?? RESOLVED,
      categories: rule.categories,
      counties: rule.counties,
      notInspectedSince: addDays(today, -rule.olderThanDays),
    });
  else if (rule?.kind === 'relapsed') picked = stopCandidates(db, { statuses: ['relapsed'], categories: rule.categories, counties: rule.counties });
  else if (rule?.kind === 'sample') {
    const pool = stopCandidates(db, { statuses: rule.statuses, categories: rule.categories, counties: rule.counties });
    const drawn = sampleSites(pool, rule.perCounty, rule.seed ?? randomInt(0, 0xffffffff));
    const chosen = new Set(drawn.ids);
    picked = pool.filter((site) => chosen.has(site.id));
    sample = drawn;
  }
  if (body.within) {
    const area: Feature<Polygon | MultiPolygon> = { type: 'Feature', properties: {}, geometry: body.within as Polygon | MultiPolygon };
    picked = picked.filter((site) => booleanPointInPolygon([site.lon, site.lat], area));
  }
  if (body.siteIds?.length) {
    const byHand = stopCandidates(db, { ids: body.siteIds });
    checkStopIds(db, body.siteIds, byHand);
    const have = new Set(picked.map((site) => site.id));
    picked = [...picked, ...byHand.filter((site) => !have.has(site.id))];
  }
  if (!picked.length)
    throw unprocessable('no_stops', 'the rule chose no sites: widen it (more days, other statuses, counties or categories)', { field: 'rule' });
  // A county's re-checks are thousands of sites, months of work: no one drives that as one route. The
  // count is known before any ordering, so the refusal is at once and says how to narrow the choice.
  if (picked.length > MAX_ROUTE_STOPS) {
    const minutesPerStop = body.options?.minutesPerStop ?? DEFAULT_MINUTES_PER_STOP;
    const workdays = Math.ceil((picked.length * minutesPerStop) / 60 / WORKDAY_HOURS);
    throw unprocessable(
      'too_many_stops',
      `the rule chose ${picked.length} sites (about ${workdays} working days); a route holds at most ${MAX_ROUTE_STOPS}: draw the area on the map, choose fewer categories, raise olderThanDays or use a random sample`,
      { field: 'rule', count: picked.length, maximum: MAX_ROUTE_STOPS, workdays },
    );
  }
  return { picked, sample };
}

/** The planned route of the request: its stops with their ledger facts, in order. */
export function planInspectionRoute(db: Db, body: PlanRequest, today: string): RoutePlanAnswer {
  const { picked, sample } = chooseStops(db, body, today);
  const byId = new Map(picked.map((site) => [site.id, site]));
  try {
    const route = planRoute(
      picked.map((site) => ({ id: site.id, lon: site.lon, lat: site.lat })),
      {
        start: [body.start.lon, body.start.lat],
        end: body.end === 'start' ? 'start' : body.end ? [body.end.lon, body.end.lat] : null,
        ...body.options,
      },
    );
    return {
      stops: route.order.map((stop) => routeStop(byId.get(stop.id)!, stop)),
      start: route.start,
      end: route.end,
      endLegKm: route.endLegKm,
      totalKm: route.totalKm,
      minutes: route.minutes,
      distanceModel: route.distanceModel,
      sample,
    };
  } catch (error) {
    if (error instanceof RouteOptionError) throw badRequest('bad_field', error.message, { field: error.parameter, ...error.problem });
    throw error;
  }
}
