// What the map draws, asked per view: the sites' data version and the legend's counts
// (GET /api/map/sites), and the cluster tiles of a view (GET /api/map/sites/{version}/{z}/{x}/{y}),
// each kept by its URL's parts — a tile of one version never changes, so it is fetched once. A write
// marks 'sites' stale (DATA_AFTER), the summary's new version makes new tile URLs. Others' writes
// reach the map the same way: the summary is asked again after a pan or zoom (at most every
// SUMMARY_AFTER_MOVE_MS) and every SUMMARY_REFRESH_MS while the page is visible — an unchanged
// summary costs a 304 (its ETag is the data version).
import { useEffect } from 'react';
import type { ClusterFeature } from '../../domain/cluster-index.ts';
import { api, apiErrorOf, noteReadStatus, unwrap } from '../api/client.ts';
import type { TileWorkerAnswer, TileWorkerRequest } from './tile-worker.ts';
import { queryClient, useApiQuery } from './query.ts';

type SummaryQuery = NonNullable<Parameters<(typeof api.api.map.sites)['$get']>[0]>['query'];
export type TileQuery = NonNullable<Parameters<(typeof api.api.map.sites)[':version'][':z'][':x'][':y']['$get']>[0]>['query'];

/** How often the summary is asked again while the page is visible. */
export const SUMMARY_REFRESH_MS = 30_000;
/** After a pan or zoom the summary is asked again, at most this often. */
export const SUMMARY_AFTER_MOVE_MS = 3_000;

const SUMMARY_KEY = ['sites', 'map'] as const;

let lastAsked = 0;
let trailing: ReturnType<typeof setTimeout> | null = null;

/** Asks the map's summary again (a new data version gives new tile URLs): at once, or at the end of the throttle window. */
export function askMapSummaryAgain(): void {
  const wait = lastAsked + SUMMARY_AFTER_MOVE_MS - Date.now();
  if (wait > 0) {
    trailing ??= setTimeout(() => {
      trailing = null;
      askMapSummaryAgain();
    }, wait);
    return;
  }
  lastAsked = Date.now();
  void queryClient.invalidateQueries({ queryKey: SUMMARY_KEY });
}

export function useMapSummary(query: SummaryQuery) {
  useEffect(() => {
    const visible = () => document.visibilityState === 'visible';
    const timer = setInterval(() => visible() && askMapSummaryAgain(), SUMMARY_REFRESH_MS);
    // Back from another tab or a locked screen: what changed meanwhile, at once.
    const onVisibility = () => visible() && askMapSummaryAgain();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);
  return useApiQuery([...SUMMARY_KEY, query], () => {
    lastAsked = Date.now();
    return unwrap(api.api.map.sites.$get({ query }));
  });
}

const tileKey = (version: number, z: number, x: number, y: number, query: TileQuery) => ['sites', 'tile', version, z, x, y, query] as const;

let nextTileId = 0;
const tileAnswers = new Map<number, (answer: TileWorkerAnswer) => void>();

function startTileWorker(): Worker {
  const worker = new Worker(new URL('./tile-worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<TileWorkerAnswer>) => {
    tileAnswers.get(event.data.id)?.(event.data);
    tileAnswers.delete(event.data.id);
  };
  return worker;
}

/** Started with the page, so the first view's tiles do not wait for the worker's script. */
const tileWorker: Worker | null = typeof Worker === 'undefined' ? null : startTileWorker();

/** Asks web/state/tile-worker.ts for a tile: fetched and parsed off the main thread, handed over in one message. */
function fetchTileOffThread(worker: Worker, url: string): Promise<{ status: number; body: unknown }> {
  const id = ++nextTileId;
  return new Promise((resolve, reject) => {
    // The worker's fetch failed (no connection): a TypeError, as fetch's own, reads as a network error.
    tileAnswers.set(id, (answer) => ('failed' in answer ? reject(new TypeError(answer.failed)) : resolve(answer)));
    worker.postMessage({ id, url } satisfies TileWorkerRequest);
  });
}

/** One tile's clusters and sites (cached for good: its URL names one version of the data). */
export function loadMapTile(version: number, z: number, x: number, y: number, query: TileQuery): Promise<ClusterFeature[]> {
  return queryClient.fetchQuery({
    queryKey: tileKey(version, z, x, y, query),
    queryFn: async () => {
      const param = { version: String(version), z: String(z), x: String(x), y: String(y) };
      const endpoint = api.api.map.sites[':version'][':z'][':x'][':y'];
      if (!tileWorker) return (await unwrap(endpoint.$get({ param, query }))).features as ClusterFeature[];
      const { status, body } = await fetchTileOffThread(tileWorker, endpoint.$url({ param, query }).href);
      noteReadStatus(status);
      if (status >= 200 && status < 300) return (body as { features: ClusterFeature[] }).features;
      throw apiErrorOf(status, body, `HTTP ${status}`);
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 5 * 60_000,
  });
}

/** The tiles of a view, asked at once (a tile another view already asked is not asked again). */
export function loadViewTiles(version: number, z: number, tiles: readonly { x: number; y: number }[], query: TileQuery): Promise<ClusterFeature[][]> {
  return Promise.all(tiles.map(({ x, y }) => loadMapTile(version, z, x, y, query)));
}
