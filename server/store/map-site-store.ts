// The map's store (MapSiteStore): clusters and sites per tile, counted per county. A database file is
// served from two worker threads (piscina) that read the file read-only: the index thread holds the
// cluster indexes, so an index build (seconds at 10^6 sites) never holds the request thread, and the
// counts thread answers what per-county counts give (the legend, the county clusters up to
// COUNTY_CLUSTER_MAX_ZOOM) without queueing behind a build: the city's first view comes at once. An in-memory database (the API tests) cannot be shared with a thread, so
// its indexes live on the request thread. In front of either, `MapTiles` keeps each tile's answer as
// bytes (and their compressions) by (data version, filters, z/x/y): a tile asked again is answered
// on the request thread from one data-version read, without the worker.
import type { Piscina } from 'piscina';
import { COUNTY_CLUSTER_MAX_ZOOM } from '../../domain/cluster-index.ts';
import type { Db } from '../db/database.ts';
import { giveWayBuffer, holdMapRequest } from '../db/give-way.ts';
import { asOfAnswers } from './as-of-walk.ts';
import { databaseFile, threadPool } from '../db/threads.ts';
import { MapIndexes, mapFiltersKey, type CountyCounts, type MapCounts, type MapFilters, type MapSiteStore, type MapTile } from './map-index.ts';
import type { SiteFilters } from './site-filters.ts';
import type { MapWorkerRequest } from './map-index-worker.ts';
import { mapSitesVersion } from './map-sites.ts';
import { EncodedBody, FAST_BROTLI_QUALITY } from './response-cache.ts';

type MapThread = 'index' | 'counts';
const pools = new Map<MapThread, Piscina>();

/** One thread of each kind, kept alive: it holds the indexes or counts. Workers load TypeScript through tsx, as the export pool's do. */
function mapPool(thread: MapThread): Piscina {
  let pool = pools.get(thread);
  if (!pool) {
    // Waiting for tasks in the event loop: the counts thread builds its as-of histories in slices between
    // them; the index thread's warm-up awaits between its steps, and the tasks sent meanwhile (up to
    // `concurrentTasksPerWorker`) run there: a tile past zoom 9 does not wait for the whole city's index.
    pool = threadPool(new URL('./map-index-worker.ts', import.meta.url), {
      minThreads: 1,
      maxThreads: 1,
      idleTimeout: Number.POSITIVE_INFINITY,
      atomics: 'disabled',
      ...(thread === 'index' ? { concurrentTasksPerWorker: 16 } : {}),
    });
    pools.set(thread, pool);
  }
  return pool;
}

class ThreadMapStore implements MapSiteStore {
  /** The data version the counts thread's as-of histories hold when ready, else -1 (map-index-worker.ts). */
  private readonly asOfReady = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)).fill(-1);
  constructor(
    private readonly path: string,
    private readonly db: Db,
  ) {}
  /** A request to the index thread (not a warm-up) is counted while it waits or runs: the warm-up ahead of it then goes on (db/give-way.ts). */
  private async run<T>(thread: MapThread, task: MapWorkerRequest): Promise<T> {
    const done = task.kind === 'warm' || thread !== 'index' ? null : holdMapRequest();
    // The counts thread keeps the as-of histories (one copy per server); it builds them between requests.
    const extra = thread === 'counts' ? { asOfReady: this.asOfReady.buffer as SharedArrayBuffer, background: giveWayBuffer() } : {};
    try {
      return (await mapPool(thread).run({ ...task, ...extra, path: this.path })) as T;
    } finally {
      done?.();
    }
  }
  tile(filters: MapFilters, z: number, x: number, y: number, known?: number) {
    return this.run<MapTile>(z <= COUNTY_CLUSTER_MAX_ZOOM ? 'counts' : 'index', { kind: 'tile', filters, z, x, y, known });
  }
  counts(filters: MapFilters) {
    return this.run<MapCounts>('counts', { kind: 'counts', filters });
  }
  /**
   * On the counts thread when its as-of histories hold the data now (a walk of a few ms); else on the
   * index thread (SQL), as the counts thread answers the legend and the city's tiles for the same change.
   */
  countyCounts(filters: SiteFilters) {
    const kept = asOfAnswers(filters) && Atomics.load(this.asOfReady, 0) === mapSitesVersion(this.db);
    return this.run<CountyCounts>(kept ? 'counts' : 'index', { kind: 'countyCounts', filters });
  }
  asOfHeld() {
    return Atomics.load(this.asOfReady, 0);
  }
  /** The counts first (the city's view), the index on its own thread alongside, giving way to analysis jobs (db/give-way.ts). */
  async warm(filters: MapFilters) {
    await Promise.all([
      this.run('counts', { kind: 'warm', filters, what: 'summary' }),
      this.run('index', { kind: 'warm', filters, what: 'index', giveWay: giveWayBuffer() }),
    ]);
  }
}

class LocalMapStore implements MapSiteStore {
  private readonly indexes: MapIndexes;
  constructor(db: Db) {
    this.indexes = new MapIndexes(db);
    this.indexes.keepHistories();
  }
  tile(filters: MapFilters, z: number, x: number, y: number, known?: number) {
    return Promise.resolve(this.indexes.tile(filters, z, x, y, known));
  }
  counts(filters: MapFilters) {
    return Promise.resolve(this.indexes.counts(filters));
  }
  countyCounts(filters: SiteFilters) {
    return Promise.resolve(this.indexes.countyCounts(filters));
  }
  asOfHeld() {
    return this.indexes.asOfHeld();
  }
  warm(filters: MapFilters) {
    this.indexes.warm(filters, 'summary');
    this.indexes.warm(filters, 'index');
    return Promise.resolve();
  }
}

/** Bytes of tile answers kept (plain JSON; their compressions, about a fifth more, come on top). */
export const MAP_TILE_CACHE_BYTES = 24 * 1024 * 1024;

/** A tile's answer as the route sends it: bytes with an ETag, each compression made once. */
export interface ServedTile {
  version: number;
  body: EncodedBody;
}

/** A MapSiteStore with its tiles kept as bytes, newest data version only, least recently asked dropped first. */
export class MapTiles {
  private readonly kept = new Map<string, EncodedBody>();
  private keptVersion = -1;
  private keptBytes = 0;

  constructor(
    private readonly db: Db,
    readonly store: MapSiteStore,
    private readonly maxBytes = MAP_TILE_CACHE_BYTES,
  ) {}

  async tile(filters: MapFilters, z: number, x: number, y: number): Promise<ServedTile> {
    const name = `${z}/${x}/${y}|${mapFiltersKey(filters)}`;
    const version = mapSitesVersion(this.db);
    const hit = version === this.keptVersion ? this.kept.get(name) : undefined;
    if (hit) {
      this.kept.delete(name);
      this.kept.set(name, hit);
      return { version, body: hit };
    }
    const answer = await this.store.tile(filters, z, x, y, version);
    // Made for one view and sent at once: a fast brotli level (the best one cost ~40 ms of CPU per view).
    const body = EncodedBody.ofText(answer.body, undefined, FAST_BROTLI_QUALITY);
    this.keep(answer.version, name, body);
    return { version: answer.version, body };
  }

  private keep(version: number, name: string, body: EncodedBody) {
    if (version < this.keptVersion) return; // built from rows older than what is kept already
    if (version > this.keptVersion) {
      this.kept.clear();
      this.keptBytes = 0;
      this.keptVersion = version;
    }
    const old = this.kept.get(name);
    if (old) this.keptBytes -= old.bytes.length;
    this.kept.delete(name);
    this.kept.set(name, body);
    this.keptBytes += body.bytes.length;
    for (const [oldest, entry] of this.kept) {
      if (this.keptBytes <= this.maxBytes) break;
      this.kept.delete(oldest);
      this.keptBytes -= entry.bytes.length;
    }
  }

  counts(filters: MapFilters) {
    return this.store.counts(filters);
  }
  countyCounts(filters: SiteFilters) {
    return this.store.countyCounts(filters);
  }
  asOfHeld() {
    return this.store.asOfHeld();
  }
  /** The last warm-up asked for (tests wait for it). */
  warming: Promise<void> | null = null;
  warm(filters: MapFilters) {
    this.warming = this.store.warm(filters);
    return this.warming;
  }
}

const stores = new WeakMap<Db, MapTiles>();

/** The map store of a database (one per connection): the worker's (a file) or the request thread's, behind the tile bytes. */
export function mapSiteStore(db: Db): MapTiles {
  let store = stores.get(db);
  if (!store) {
    const path = databaseFile(db);
    store = new MapTiles(db, path ? new ThreadMapStore(path, db) : new LocalMapStore(db));
    stores.set(db, store);
  }
  return store;
}

/** Whether the store answers from a worker thread (a database file). */
export const mapStoreOnThread = (db: Db): boolean => databaseFile(db) !== null;

/** Stops the map's worker threads (graceful shutdown, tests). */
export async function closeMapPool(): Promise<void> {
  const closing = [...pools.values()];
  pools.clear();
  await Promise.all(closing.map((pool) => pool.destroy()));
}
