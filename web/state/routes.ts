// Inspection routes: planning, saving and reopening a route, and recording each stop's result.
import { api, unwrap } from '../api/client.ts';
import { DATA_AFTER, useApiQuery, useWrite } from './query.ts';

type PlanBody = Parameters<typeof api.api.routes.plan.$post>[0]['json'];

/** Plans a route (a pure calculation on the server; nothing is stored). */
export const planRoute = (body: PlanBody) => unwrap(api.api.routes.plan.$post({ json: body }));
export type RoutePlan = Awaited<ReturnType<typeof planRoute>>;
type SavedRoute = Awaited<ReturnType<Awaited<ReturnType<(typeof api.api.routes)[':id']['$get']>>['json']>>;
/** A stop's result recorded on a saved route (the last per site). */
export type RecordedStop = Extract<SavedRoute, { recorded: unknown }>['recorded'][number];

/** The route saved under `id` (a shared link); null: none. */
export const useSavedRoute = (id: number | null) =>
  useApiQuery(['route', id], () => unwrap(api.api.routes[':id'].$get({ param: { id: String(id) } })), id !== null);

export const useSaveRoute = () =>
  useWrite((json: Parameters<typeof api.api.routes.$post>[0]['json']) => unwrap(api.api.routes.$post({ json })), DATA_AFTER.route);
export const useRecordInspection = () =>
  useWrite((json: Parameters<typeof api.api.inspections.$post>[0]['json']) => unwrap(api.api.inspections.$post({ json })), DATA_AFTER.inspection);
