// The map's cluster indexes for one database connection: built once per (sites data version, filter
// set), kept in a small LRU, rebuilt lazily when a write raised the version. Two levels: the rows of
// a base filter (asOf, categories, source — one SQL read) and, over them, one county-bounded
// supercluster index per status layer set and site list; switching a status layer re-clusters the
// rows already read. Runs on the map's worker thread (map-index-worker.ts) or, for an in-memory
// database, on the request thread.
import {
  COUNTY_CLUSTER_MAX_ZOOM,
  CountyClusterIndex,
  countyClusterTile,
  type ClusterFeature,
  type ClusterSite,
  type CountyStatusCount,
} from '../../domain/cluster-index.ts';
import type { CategoryCode } from '../../domain/categories.ts';
import { STATUS_CODES, VOIDED, type RecordSource, type StatusCode } from '../../domain/statuses.ts';
import type { Db } from '../db/database.ts';
import { mapSitesVersion, readMapCounts, readMapSites } from './map-sites.ts';
import { countSitesByCounty, foldCountRows, type CountRow } from './site-queries.ts';
import { AsOfStatuses } from './as-of-statuses.ts';
import { asOfAnswers, asOfCountRows, asOfMapCountRows, asOfSites } from './as-of-walk.ts';
import type { SiteFilters } from './site-filters.ts';

/** The filters of a map view: those of /api/counties, plus the sites the map draws apart (`exclude`) or alone (`only`). */
export interface MapFilters {
  asOf?: string;
  categories?: readonly CategoryCode[];
  source?: RecordSource;
  statuses?: readonly StatusCode[];
  counties?: readonly string[];
  exclude?: readonly number[];
  only?: readonly number[];
}

export interface MapTile {
  /** The sites' data version the answer was built from. */
  version: number;
  /** The answer as JSON text: `{version, z, x, y, features}` (features: ClusterFeature[]). */
  body: string;
}

/** The JSON text of a tile's answer (what the route sends, made once per tile); `features`: the features or their JSON text. */
export function tileBody(version: number, z: number, x: number, y: number, features: string | readonly ClusterFeature[]): string {
  return `{"version":${version},"z":${z},"x":${x},"y":${y},"features":${typeof features === 'string' ? features : JSON.stringify(features)}}`;
}

/** Located sites under the base filter, per county and status (the legend's numbers). */
export interface MapCounts {
  version: number;
  counts: Record<string, Partial<Record<StatusCode, number>>>;
}

/** Every site under /api/counties' filters (located or not), per county by status and by category, with the version counted. */
export interface CountyCounts {
  version: number;
  byStatus: CountRow[];
  byCategory: CountRow[];
}

/** What the map asks of a store; a PostGIS store would answer the same with ST_AsMVT over ST_TileEnvelope(z, x, y). */
export interface MapSiteStore {
  /** `known`: the sites' data version the caller read just now (the answer is of that version or newer). */
  tile(filters: MapFilters, z: number, x: number, y: number, known?: number): Promise<MapTile>;
  counts(filters: MapFilters): Promise<MapCounts>;
  /** /api/counties' counts, counted off the request thread where the store has threads (a past date reads every site's history). */
  countyCounts(filters: SiteFilters): Promise<CountyCounts>;
  /** Builds the index of a filter set ahead of the first view that needs it. */
  warm(filters: MapFilters): Promise<void>;
  /** The data version the as-of histories hold when they answer, else -1 (tests, the bench). */
  asOfHeld(): number;
}

/** Indexes kept (each holds its sites once more); bases kept (each one SQL read). */
export const MAP_INDEXES_KEPT = 6;
export const MAP_BASES_KEPT = 2;
/** Per-county counts kept (a few rows each). */
export const MAP_SUMMARIES_KEPT = 16;

const sorted = <T>(list: readonly T[] | undefined) => (list?.length ? [...list].sort() : null);
const ascending = (ids: readonly number[]) => [...ids].sort((a, b) => a - b);

/** What an index is built for: the filters but the counties (a tile picks the counties' clusters of one index). */
const indexKey = (filters: MapFilters) =>
  JSON.stringify([
    filters.asOf ?? null,
    sorted(filters.categories),
    filters.source ?? null,
    sorted(filters.statuses),
    filters.exclude?.length ? ascending(filters.exclude) : null,
    filters.only ? ascending(filters.only) : null,
  ]);

/** Names a filter set: equal for filters that answer alike (lists in any order). */
export const mapFiltersKey = (filters: MapFilters) => `${indexKey(filters)}|${sorted(filters.counties)?.join(',') ?? ''}`;

interface Base {
  version: number;
  sites: ClusterSite[];
}

interface Summary {
  version: number;
  rows: CountyStatusCount[];
}

/** The SQL filters of a base read: those of the rows, every status when voided ones are asked for. */
const baseSqlFilters = (filters: MapFilters, voided: boolean) => ({
  ...(filters.asOf ? { asOf: filters.asOf } : {}),
  ...(filters.categories?.length ? { categories: filters.categories } : {}),
  ...(filters.source ? { source: filters.source } : {}),
  // Every status: siteFilterSql then leaves voided sites in (the index narrows to the layers asked for).
  ...(voided ? { statuses: STATUS_CODES } : {}),
});

/** Map-insertion order as recency: a hit is moved to the end, the oldest dropped past `limit`. */
function remember<T>(cache: Map<string, T>, key: string, value: T, limit: number) {
  cache.delete(key);
  cache.set(key, value);
  while (cache.size > limit) cache.delete(cache.keys().next().value!);
}

export class MapIndexes {
  private readonly bases = new Map<string, Base>();
  private readonly indexes = new Map<string, { version: number; index: CountyClusterIndex }>();
  private readonly summaries = new Map<string, Summary>();
  /** Milliseconds the last build took (null: the last answer needed none). */
  lastBuildMs: number | null = null;

  /**
   * The sites' histories for answers as of a past date (as-of-statuses.ts), when this connection keeps
   * them (`keepHistories`: the counts thread, or the request thread for an in-memory database).
   */
  private asOfStatuses: AsOfStatuses | null = null;

  constructor(private readonly db: Db) {}

  /** The data version the kept histories hold when ready, else -1. */
  asOfHeld(): number {
    return this.asOfStatuses?.phase === 'ready' ? this.asOfStatuses.version : -1;
  }

  /** Keeps the histories from now on (built on the first as-of question); returns them. */
  keepHistories(): AsOfStatuses {
    this.asOfStatuses ??= new AsOfStatuses(this.db);
    return this.asOfStatuses;
  }

  /** The kept histories when they can answer `filters` at the data version now (else the SQL answers). */
  private histories(filters: SiteFilters): AsOfStatuses | null {
    if (!this.asOfStatuses || !asOfAnswers(filters)) return null;
    return this.asOfStatuses.current();
  }

  /**
   * What `cache` keeps under `key` when it is of the data version now (or, `known` given, of that one
   * or newer: the caller read it just now), else `read()` kept in its place; entries of other
   * versions are dropped.
   */
  private current<T extends { version: number }>(cache: Map<string, T>, key: string, limit: number, known: number | undefined, read: () => T): T {
    const kept = cache.get(key);
    if (kept && ((known !== undefined && kept.version >= known) || kept.version === mapSitesVersion(this.db))) {
      remember(cache, key, kept, limit);
      return kept;
    }
    const fresh = read();
    for (const [other, entry] of cache) if (entry.version !== fresh.version) cache.delete(other);
    remember(cache, key, fresh, limit);
    return fresh;
  }

  private base(filters: MapFilters, known?: number, pause?: () => void): Base {
    // Voided sites are in the rows only when a status filter names them (as in siteFilterSql).
    const voided = Boolean(filters.statuses?.includes(VOIDED));
    const key = JSON.stringify([filters.asOf ?? null, sorted(filters.categories), filters.source ?? null, voided]);
    return this.current(this.bases, key, MAP_BASES_KEPT, known, () =>
      this.db.readTogether(() => {
        const sqlFilters = baseSqlFilters(filters, voided);
        const kept = this.histories(sqlFilters);
        return kept ? { version: kept.version, sites: asOfSites(kept, sqlFilters) } : readMapSites(this.db, sqlFilters, pause);
      }),
    );
  }

  /** Located sites per county and status under the filters but statuses and counties (those the answers pick). */
  private summary(filters: MapFilters, known?: number): Summary {
    const voided = Boolean(filters.statuses?.includes(VOIDED));
    const exclude = filters.exclude?.length ? ascending(filters.exclude) : null;
    const only = filters.only ? ascending(filters.only) : null;
    const key = JSON.stringify([filters.asOf ?? null, sorted(filters.categories), filters.source ?? null, voided, exclude, only]);
    return this.current(this.summaries, key, MAP_SUMMARIES_KEPT, known, () =>
      this.db.readTogether(() => {
        const sqlFilters = baseSqlFilters(filters, voided);
        const ids = { ...(exclude ? { exclude } : {}), ...(only ? { only } : {}) };
        const kept = this.histories(sqlFilters);
        return kept ? { version: kept.version, rows: asOfMapCountRows(kept, sqlFilters, ids) } : readMapCounts(this.db, sqlFilters, ids);
      }),
    );
  }

  private index(filters: MapFilters, known?: number, pause?: () => void): { version: number; index: CountyClusterIndex } {
    const base = this.base(filters, known, pause);
    const key = indexKey(filters);
    const kept = this.indexes.get(key);
    if (kept && kept.version === base.version) {
      remember(this.indexes, key, kept, MAP_INDEXES_KEPT);
      this.lastBuildMs = null;
      return kept;
    }
    const started = performance.now();
    const index = new CountyClusterIndex(
      base.sites,
      {
        ...(filters.statuses ? { statuses: filters.statuses } : {}),
        ...(filters.exclude?.length ? { exclude: filters.exclude } : {}),
        ...(filters.only ? { only: filters.only } : {}),
      },
      pause,
    );
    this.lastBuildMs = performance.now() - started;
    const entry = { version: base.version, index };
    for (const [other, old] of this.indexes) if (old.version !== entry.version) this.indexes.delete(other);
    remember(this.indexes, key, entry, MAP_INDEXES_KEPT);
    return entry;
  }

  /** `known`: the sites' data version the caller read just now (saves reading it again). */
  tile(filters: MapFilters, z: number, x: number, y: number, known?: number): MapTile {
    const counties = filters.counties?.length ? filters.counties : null;
    if (z <= COUNTY_CLUSTER_MAX_ZOOM) {
      const { version, rows } = this.summary(filters, known);
      this.lastBuildMs = null;
      return { version, body: tileBody(version, z, x, y, countyClusterTile(rows, { z, x, y }, { statuses: filters.statuses, counties })) };
    }
    const { version, index } = this.index(filters, known);
    return { version, body: tileBody(version, z, x, y, index.tileJson(z, x, y, counties)) };
  }

  counts(filters: MapFilters): MapCounts {
    const { version, rows } = this.summary({ ...filters, exclude: [], only: undefined });
    const counts: MapCounts['counts'] = {};
    for (const row of rows) {
      if (filters.counties?.length && !filters.counties.includes(row.county)) continue;
      if (row.status === VOIDED && !filters.statuses?.includes(VOIDED)) continue;
      (counts[row.county] ??= {})[row.status] = row.n;
    }
    return { version, counts };
  }

  countyCounts(filters: SiteFilters): CountyCounts {
    const read = () => {
      const kept = this.histories(filters);
      if (kept) return { version: kept.version, ...foldCountRows(asOfCountRows(kept, filters)) };
      return { version: mapSitesVersion(this.db), ...countSitesByCounty(this.db, filters) };
    };
    return this.db.readTogether(read);
  }

  /**
   * Builds what the first views under `filters` need: `summary` the per-county counts only, else the full
   * index too; `pause` is called between slices of the index's read and build (db/give-way.ts).
   */
  warm(filters: MapFilters, what: 'summary' | 'index' = 'index', pause?: () => void): void {
    if (what === 'summary') this.summary(filters);
    else this.index(filters, undefined, pause);
  }
}
