// Road segments: the list the map draws, one segment with its history, and the writes on a segment.
import { api, unwrap } from '../api/client.ts';
import { DATA_AFTER, useApiQuery, useWrite } from './query.ts';

type RoadsQuery = NonNullable<Parameters<typeof api.api.roads.$get>[0]>['query'];
type Args<M extends (args: never) => unknown> = Parameters<M>[0];

const loadRoads = (query: RoadsQuery) => unwrap(api.api.roads.$get({ query }));
/** One segment now (the edit form re-reads it after a stale-version refusal). */
export const loadRoad = (id: number) => unwrap(api.api.roads[':id'].$get({ param: { id: String(id) } }));

export type RoadDetail = Awaited<ReturnType<typeof loadRoad>>;

export const useRoads = (query: RoadsQuery) => useApiQuery(['roads', query], () => loadRoads(query));
export const useRoad = (id: number) => useApiQuery(['road', id], () => loadRoad(id));

/** How many segments the query finds without a line (the export menu's note). */
export const useUndrawnCount = (query: RoadsQuery) =>
  useApiQuery(['exportCounts', 'roads', query], () => loadRoads({ ...query, drawn: 'false' }).then((c) => c.features.length));

export const useMoveRoad = () =>
  useWrite((args: Args<(typeof api.api.roads)[':id']['events']['$post']>) => unwrap(api.api.roads[':id'].events.$post(args)), DATA_AFTER.road);
export const useEditRoad = () => useWrite((args: Args<(typeof api.api.roads)[':id']['$patch']>) => unwrap(api.api.roads[':id'].$patch(args)), DATA_AFTER.road);
export const useDrawRoad = () =>
  useWrite((args: Args<(typeof api.api.roads)[':id']['geometry']['$put']>) => unwrap(api.api.roads[':id'].geometry.$put(args)), DATA_AFTER.road);
