// One road segment with its history, as the road panel and its edit form read it.
import { api, unwrap } from '../api/client.ts';

export const loadRoad = (id: number) => unwrap(api.api.roads[':id'].$get({ param: { id: String(id) } }));

export type RoadDetail = Awaited<ReturnType<typeof loadRoad>>;
