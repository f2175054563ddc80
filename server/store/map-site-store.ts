// The map's store (MapSiteStore): clusters and sites per tile, counted per county. A database file is
// served from one worker thread (piscina) that holds the indexes and reads the file read-only, so an
// index build (seconds at 10^6 sites) never holds the request thread; map answers queue behind a
// build on that thread. An in-memory database (the API tests) cannot be shared with a thread, so
// its indexes live on the request thread.
import { Piscina } from 'piscina';
import type { Db } from '../db/database.ts';
import { MapIndexes, type MapCounts, type MapFilters, type MapSiteStore, type MapTile } from './map-index.ts';
import type { MapWorkerRequest } from './map-index-worker.ts';

/** Where the database lives on disk, or null for an in-memory one. */
const fileOf = (db: Db): string | null => (db.raw.memory || db.raw.name === '' ? null : db.raw.name);

let pool: Piscina | null = null;

/** One thread, kept alive: it holds the indexes. Workers load TypeScript through tsx, as the export pool's do. */
function mapPool(): Piscina {
  const execArgv = process.execArgv.some((arg) => arg.includes('tsx')) ? process.execArgv : [...process.execArgv, '--import', 'tsx'];
  pool ??= new Piscina({
    filename: new URL('./map-index-worker.ts', import.meta.url).href,
    minThreads: 1,
    maxThreads: 1,
    idleTimeout: Number.POSITIVE_INFINITY,
    execArgv,
  });
  return pool;
}

class ThreadMapStore implements MapSiteStore {
  constructor(private readonly path: string) {}
  private run<T>(task: MapWorkerRequest): Promise<T> {
    return mapPool().run({ ...task, path: this.path }) as Promise<T>;
  }
  tile(filters: MapFilters, z: number, x: number, y: number) {
    return this.run<MapTile>({ kind: 'tile', filters, z, x, y });
  }
  counts(filters: MapFilters) {
    return this.run<MapCounts>({ kind: 'counts', filters });
  }
  async warm(filters: MapFilters) {
    await this.run({ kind: 'warm', filters });
  }
}

class LocalMapStore implements MapSiteStore {
  private readonly indexes: MapIndexes;
  constructor(db: Db) {
    this.indexes = new MapIndexes(db);
  }
  tile(filters: MapFilters, z: number, x: number, y: number) {
    return Promise.resolve(this.indexes.tile(filters, z, x, y));
  }
  counts(filters: MapFilters) {
    return Promise.resolve(this.indexes.counts(filters));
  }
  warm(filters: MapFilters) {
    this.indexes.warm(filters);
    return Promise.resolve();
  }
}

const stores = new WeakMap<Db, MapSiteStore>();

/** The map store of a database (one per connection). */
export function mapSiteStore(db: Db): MapSiteStore {
  let store = stores.get(db);
  if (!store) {
    const path = fileOf(db);
    store = path ? new ThreadMapStore(path) : new LocalMapStore(db);
    stores.set(db, store);
  }
  return store;
}

/** Whether the store answers from a worker thread (a database file). */
export const mapStoreOnThread = (db: Db): boolean => fileOf(db) !== null;

/** Stops the map's worker thread (graceful shutdown, tests). */
export async function closeMapPool(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.destroy();
}
