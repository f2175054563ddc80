// The road segments of the downloadable layers with their county names, for /api/export and the
// OGC API (sites come from listSiteRecords in server/store/site-queries.ts).
import type { AppContext } from '../context.ts';
import type { RoadRecord } from '../export/layers.ts';
import { listRoads, type RoadFilters } from '../store/road-store.ts';
import { countyNames } from '../store/county-store.ts';
import { recordProvenance } from '../store/provenance.ts';

export function listRoadRecords(ctx: AppContext, filters: RoadFilters): RoadRecord[] {
  const counties = countyNames(ctx.db);
  return listRoads(ctx.db, filters).map((road) => ({
    ...road,
    countyName: road.properties.county ? (counties.get(road.properties.county) ?? null) : null,
    provenance: recordProvenance(ctx.db, 'road_segments', road.id),
  }));
}
