// Server state, done once: every read is a TanStack Query keyed by its parameters, every write a
// mutation that marks stale what it changes (see DATA_AFTER). Components call the hooks in
// web/state/<area>.ts; only web/state/ and web/api/ call the API.
import { keepPreviousData, QueryClient, useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal is an answer (shown at once, with a retry button), not a network blip to repeat.
      retry: false,
      refetchOnWindowFocus: false,
      // While new parameters load, the last answer stays on screen (the map does not flash empty).
      placeholderData: keepPreviousData,
    },
    mutations: { retry: false },
  },
});

export interface Loadable<T> {
  data: T | null;
  loading: boolean;
  /** The refusal or failure of the newest request (an ApiError with code and details, or a network error). */
  error: unknown;
  /** `data` answers the previous parameters (kept on screen while the new ones load): say so beside it. */
  stale: boolean;
  reload: () => void;
}

/**
 * A read as the panels show it: `data` null while disabled or after a refusal (no stale result
 * under a new error), `loading` while any request for it is under way.
 */
export function useApiQuery<T>(key: QueryKey, load: () => Promise<T>, enabled = true): Loadable<T> {
  const query = useQuery({ queryKey: key, queryFn: load, enabled });
  return {
    data: enabled && !query.error ? (query.data ?? null) : null,
    loading: enabled && query.isFetching,
    error: enabled ? query.error : null,
    stale: enabled && query.isPlaceholderData,
    reload: () => void query.refetch(),
  };
}

/** The first element of every query key, one per kind of server data. */
export type DataKind =
  | 'config'
  | 'sites'
  | 'site'
  | 'roads'
  | 'road'
  | 'counties'
  | 'places'
  | 'relapse'
  | 'siege'
  | 'cores'
  | 'scorecards'
  | 'tasks'
  | 'task'
  | 'audit'
  | 'imports'
  | 'mappings'
  | 'route'
  | 'exportCounts'
  | 'locks';

/** What each kind of write changes: the reads marked stale (and refetched if on screen) after it. */
export const DATA_AFTER = {
  site: ['sites', 'site', 'counties', 'relapse', 'siege', 'scorecards', 'tasks', 'task', 'audit', 'exportCounts'],
  road: ['roads', 'road', 'counties', 'scorecards', 'tasks', 'task', 'audit', 'exportCounts'],
  relapseDecision: ['relapse', 'audit'],
  core: ['cores', 'siege', 'audit'],
  route: ['route', 'audit'],
  inspection: ['site', 'sites', 'route', 'relapse', 'scorecards', 'audit'],
  import: ['imports', 'sites', 'site', 'counties', 'relapse', 'siege', 'scorecards', 'tasks', 'task', 'audit', 'exportCounts'],
  mapping: ['mappings', 'audit'],
  preview: ['imports', 'audit'],
  task: ['task', 'tasks', 'scorecards', 'audit'],
  unlock: ['locks', 'audit'],
} as const satisfies Record<string, readonly DataKind[]>;

/** A write: `call` runs it; on success the kinds of data it changes go stale. Returns the async call. */
export function useWrite<A, R>(call: (args: A) => Promise<R>, changes: readonly DataKind[]): (args: A) => Promise<R> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => {
      for (const kind of changes) void client.invalidateQueries({ queryKey: [kind] });
    },
  }).mutateAsync;
}
