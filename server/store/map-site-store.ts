// The map's store (MapSiteStore): clusters and sites per tile, counted per county. A database file is
// served from one worker thread (piscina) that holds the indexes and reads the file read-only, so an
// index build (seconds at 10^6 sites) never holds the request thread; map answers queue behind a
// build on that thread. An in-memory database (the API tests) cannot be shared with a thread, so
// its indexes live on the request thread. In front of either, `MapTiles` keeps each tile's answer as
// bytes (and their compressions) by (data version, filters, z/x/y): a tile asked again is answered
// on the request thread from one data-version read, without the worker.
import type { Piscina } from 'piscina';
import type { Db } from '../db/database.ts';
import { databaseFile, threadPool } from '../db/threads.ts';
import { MapIndexes, mapFiltersKey, type MapCounts, type MapFilters, type MapSiteStore, type MapTile } from './map-index.ts';
import type { MapWorkerRequest } from './map-index-worker.ts';
import { mapSitesVersion } from './map-sites.ts';
import { EncodedBody } from './response-cache.ts';

let pool: Piscina | null = null;

/** One thread, kept alive: it holds the indexes. Workers load TypeScript through tsx, as the export pool's do. */
function mapPool(): Piscina {
  pool ??= threadPool(new URL('./map-index-worker.ts', import.meta.url), { minThreads: 1, maxThreads: 1, idleTimeout: Number.POSITIVE_INFINITY });
  return pool;
}

class ThreadMapStore implements MapSiteStore {
  constructor(private readonly path: string) {}
  private run<T>(task: MapWorkerRequest): Promise<T> {
    return mapPool().run({ ...task, path: this.path }) as Promise<T>;
  }
  tile(filters: MapFilters, z: number, x: number, y: number, known?: number) {
    return this.run<MapTile>({ kind: 'tile', filters, z, x, y, known });
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
  tile(filters: MapFilters, z: number, x: number, y: number, known?: number) {
    return Promise.resolve(this.indexes.tile(filters, z, x, y, known));
  }
  counts(filters: MapFilters) {
    return Promise.resolve(this.indexes.counts(filters));
  }
  warm(filters: MapFilters) {
    this.indexes.warm(filters);
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
    const body = EncodedBody.ofText(answer.body);
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
  warm(filters: MapFilters) {
    return this.store.warm(filters);
  }
}

const stores = new WeakMap<Db, MapTiles>();

/** The map store of a database (one per connection): the worker's (a file) or the request thread's, behind the tile bytes. */
export function mapSiteStore(db: Db): MapTiles {
  let store = stores.get(db);
  if (!store) {
    const path = databaseFile(db);
    store = new MapTiles(db, path ? new ThreadMapStore(path) : new LocalMapStore(db));
    stores.set(db, store);
  }
  return store;
}

/** Whether the store answers from a worker thread (a database file). */
export const mapStoreOnThread = (db: Db): boolean => databaseFile(db) !== null;

/** Stops the map's worker thread (graceful shutdown, tests). */
export async function closeMapPool(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.destroy();
}
