// The map's worker threads (server/store/map-site-store.ts): each opens the database file read-only
// once and keeps its cluster indexes or per-county counts (MapIndexes) between requests, so a build
// never runs on the request thread.
import { existsSync } from 'node:fs';
import { othersBusy, giveWay, mapRequestWaiting } from '../db/give-way.ts';
import { openReadOnlyDatabase } from '../db/read-only.ts';
import { MapIndexes, type MapFilters } from './map-index.ts';
import type { SiteFilters } from './site-filters.ts';

export type MapWorkerRequest =
  | { kind: 'tile'; filters: MapFilters; z: number; x: number; y: number; known?: number }
  | { kind: 'counts'; filters: MapFilters }
  | { kind: 'countyCounts'; filters: SiteFilters }
  /** `giveWay`: the request thread's counters (db/give-way.ts); the index's warm-up waits between slices while they say so. */
  | { kind: 'warm'; filters: MapFilters; what: 'summary' | 'index'; giveWay?: SharedArrayBuffer };
/**
 * `asOfReady`: sent with the counts thread's tasks; that thread keeps the as-of histories and writes
 * here the data version they hold when ready, -1 when not (the request thread then sends an as-of
 * /api/counties here, else to the index thread's SQL). `background`: the request thread's give-way
 * counters (the histories' build waits while an analysis job or an index-thread map request is in flight).
 */
export type MapWorkerTask = MapWorkerRequest & { path: string; asOfReady?: SharedArrayBuffer; background?: SharedArrayBuffer };

const open = new Map<string, MapIndexes>();

function indexesFor(path: string): MapIndexes {
  let indexes = open.get(path);
  if (!indexes) {
    indexes = new MapIndexes(openReadOnlyDatabase(path));
    open.set(path, indexes);
  }
  return indexes;
}

export default function answer(task: MapWorkerTask) {
  // A warm-up whose database is gone (the server closed and its folder was removed: tests) is cancelled.
  if (task.kind === 'warm' && !open.has(task.path) && !existsSync(task.path)) return { buildMs: null, cancelled: true };
  const indexes = indexesFor(task.path);
  if (task.asOfReady) keepHistories(indexes, task.asOfReady, task.background);
  if (task.kind === 'tile') return { ...indexes.tile(task.filters, task.z, task.x, task.y, task.known), buildMs: indexes.lastBuildMs };
  if (task.kind === 'counts') return indexes.counts(task.filters);
  if (task.kind === 'countyCounts') return indexes.countyCounts(task.filters);
  const buffer = task.giveWay;
  const pause = buffer ? () => giveWay(buffer) : undefined;
  if (task.what === 'index') {
    // In steps, the thread's other tasks in between: a tile past zoom 9 asked meanwhile is answered as
    // soon as the counties it meets are built (map-index.ts), not after every county.
    const waiting = buffer ? () => mapRequestWaiting(buffer) : undefined;
    return indexes.warmInSteps(task.filters, nextTurn, pause, waiting).then(() => ({ buildMs: indexes.lastBuildMs }));
  }
  indexes.warm(task.filters, task.what, pause);
  return { buildMs: indexes.lastBuildMs };
}

/** Lets the thread's queued tasks run (its pool waits for tasks in the event loop: map-site-store.ts). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The buffer each connection's histories last told their state to. */
const told = new WeakMap<MapIndexes, SharedArrayBuffer>();

function keepHistories(indexes: MapIndexes, readyBuffer: SharedArrayBuffer, background: SharedArrayBuffer | undefined) {
  const kept = indexes.keepHistories();
  if (told.get(indexes) === readyBuffer) return;
  told.set(indexes, readyBuffer);
  const ready = new Int32Array(readyBuffer);
  kept.onPhase = (version) => Atomics.store(ready, 0, version);
  Atomics.store(ready, 0, kept.phase === 'ready' ? kept.version : -1);
  if (background) kept.mayRun = () => !othersBusy(background);
}
