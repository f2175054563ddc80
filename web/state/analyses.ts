// The analyses beside the map: 死灰复燃 (relapses and likely moves), the industrial siege and its cores.
import { api, unwrap } from '../api/client.ts';
import { DATA_AFTER, useApiQuery, useWrite } from './query.ts';

type SiegeQuery = Parameters<typeof api.api.analysis.siege.$get>[0]['query'];

const loadRelapse = (query: Record<string, string>) => unwrap(api.api.analysis.relapse.$get({ query }));
export type RelapseData = Awaited<ReturnType<typeof loadRelapse>>;

export const useRelapseAnalysis = (query: Record<string, string>, enabled: boolean) => useApiQuery(['relapse', query], () => loadRelapse(query), enabled);
export const useSiegeAnalysis = (query: SiegeQuery, enabled: boolean) =>
  useApiQuery(['siege', query], () => unwrap(api.api.analysis.siege.$get({ query })), enabled);
export const useCores = () => useApiQuery(['cores'], () => unwrap(api.api.analysis.cores.$get()));

/** Confirm or dismiss a likely move. */
export const useDecideMove = () =>
  useWrite(
    ({ key, decision }: { key: string; decision: 'confirmed' | 'dismissed' }) =>
      unwrap(api.api.analysis.relapse.moves[':id'].$post({ param: { id: key }, json: { decision } })),
    DATA_AFTER.relapseDecision,
  );
export const useSaveCore = () =>
  useWrite((json: Parameters<typeof api.api.analysis.cores.$post>[0]['json']) => unwrap(api.api.analysis.cores.$post({ json })), DATA_AFTER.core);
