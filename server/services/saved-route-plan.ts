// A route plan sent to be saved is not stored as sent: its stops are read again from the database
// (positions, names, statuses, counties), legs and totals recomputed in the order given, and the
// navigation links built here. County officials and inspectors may save only routes whose stops lie
// in their counties (`checkCounties`, the guard's assertCounties).
import type { Db } from '../db/database.ts';
import { badRequest } from '../errors.ts';
import { amapNavigateUrl, baiduNavigateUrl } from '../geo/china-coords.ts';
import { describeDistanceModel } from '../geo/plan-route.ts';
import { haversineKm } from '../geo/sphere.ts';
import { DEFAULT_DETOUR_FACTOR } from '../geo/route-options.ts';
import { checkStopIds, stopCandidates, type StopCandidate } from '../store/route-store.ts';

interface SentStop {
  siteId: number;
  seq: number;
}
export interface SentPlan {
  stops: SentStop[];
  start: [number, number];
  end: [number, number] | null;
  minutes: number;
  distanceModel: { detourFactor: number };
  sample: unknown;
}

/** One stop of a route plan as the API answers it: the site's ledger facts and its navigation links. */
export function routeStop(site: StopCandidate, stop: { seq: number; lon: number; lat: number; legKm: number }) {
  return {
    siteId: site.id,
    seq: stop.seq,
    lon: stop.lon,
    lat: stop.lat,
    legKm: stop.legKm,
    name: site.name,
    address: site.address,
    category: site.category,
    status: site.status,
    county: site.county,
    source: site.source,
    lastInspection: site.lastInspection,
    navigate: {
      amap: amapNavigateUrl({ lon: stop.lon, lat: stop.lat, name: site.name }),
      baidu: baiduNavigateUrl({ lon: stop.lon, lat: stop.lat, name: site.name }),
    },
  };
}

/** The plan as the server would have made it for these stops in this order. */
export function checkedRoutePlan<P extends SentPlan>(db: Db, plan: P, checkCounties: (counties: string[]) => void) {
  const ordered = [...plan.stops].sort((a, b) => a.seq - b.seq);
  const ids = ordered.map((stop) => stop.siteId);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated !== undefined)
    throw badRequest('bad_field', `plan.stops: site ${repeated} appears more than once`, { field: 'plan.stops', reason: 'repeated', value: repeated });
  const found = stopCandidates(db, { ids });
  checkStopIds(db, ids, found);
  checkCounties([...new Set(found.map((site) => site.county))]);
  const sites = new Map(found.map((site) => [site.id, site]));
  const detourFactor = plan.distanceModel.detourFactor >= 1 && plan.distanceModel.detourFactor <= 3 ? plan.distanceModel.detourFactor : DEFAULT_DETOUR_FACTOR;
  let [lon, lat] = plan.start;
  let totalKm = 0;
  const stops = ordered.map((sent, i) => {
    const site = sites.get(sent.siteId)!;
    const legKm = haversineKm(lon, lat, site.lon, site.lat) * detourFactor;
    totalKm += legKm;
    [lon, lat] = [site.lon, site.lat];
    return routeStop(site, { seq: i + 1, lon: site.lon, lat: site.lat, legKm });
  });
  const endLegKm = plan.end ? haversineKm(lon, lat, plan.end[0], plan.end[1]) * detourFactor : 0;
  totalKm += endLegKm;
  return { ...plan, stops, endLegKm, totalKm, distanceModel: describeDistanceModel(detourFactor) };
}
