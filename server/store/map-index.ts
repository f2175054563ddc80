// The map's cluster indexes for one database connection: built once per (sites data version, filter
// set), kept in a small LRU, rebuilt lazily when a write raised the version. Two levels: the rows of
// a base filter (asOf, categories, source — one SQL read) and, over them, one county-bounded
// supercluster index per status layer set and site list; switching a status layer re-clusters the
// rows already read. Runs on the map's worker thread (map-index-worker.ts) or, for an in-memory
// database, on the request thread.
import { CountyClusterIndex, type ClusterFeature, type ClusterSite } from '../../domain/cluster-index.ts';
import type { CategoryCode } from '../../domain/categories.ts';
import { STATUS_CODES, VOIDED, type RecordSource, type StatusCode } from '../../domain/statuses.ts';
import type { Db } from '../db/database.ts';
import { mapSitesVersion, readMapSites } from './map-sites.ts';

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

/** The JSON text of a tile's answer (what the route sends, made once per tile). */
export function tileBody(version: number, z: number, x: number, y: number, features: readonly ClusterFeature[]): string {
  return `{"version":${version},"z":${z},"x":${x},"y":${y},"features":${JSON.stringify(features)}}`;
}

/** Located sites under the base filter, per county and status (the legend's numbers). */
export interface MapCounts {
  version: number;
  counts: Record<string, Partial<Record<StatusCode, number>>>;
}

/** What the map asks of a store; a PostGIS store would answer the same with ST_AsMVT over ST_TileEnvelope(z, x, y). */
export interface MapSiteStore {
  /** `known`: the sites' data version the caller read just now (the answer is of that version or newer). */
  tile(filters: MapFilters, z: number, x: number, y: number, known?: number): Promise<MapTile>;
  counts(filters: MapFilters): Promise<MapCounts>;
  /** Builds the index of a filter set ahead of the first view that needs it. */
  warm(filters: MapFilters): Promise<void>;
}

/** Indexes kept (each holds its sites once more); bases kept (each one SQL read). */
export const MAP_INDEXES_KEPT = 6;
export const MAP_BASES_KEPT = 2;

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
  counts: MapCounts['counts'];
}

/** Map-insertion order as recency: a hit is moved to the end, the oldest dropped past `limit`. */
function remember<T>(cache: Map<string, T>, key: string, value: T, limit: number) {
  cache.delete(key);
  cache.set(key, value);
  while (cache.size > limit) cache.delete(cache.keys().next().value!);
}

export class MapIndexes {
  private readonly bases = new Map<string, Base>();
  private readonly indexes = new Map<string, { version: number; index: CountyClusterIndex }>();
  /** Milliseconds the last build took (null: the last answer needed none). */
  lastBuildMs: number | null = null;

  constructor(private readonly db: Db) {}

  /** `known`: a data version the caller read just now (the index may be that one or newer); else read here. */
  private base(filters: MapFilters, known?: number): Base {
    // Voided sites are in the rows only when a status filter names them (as in siteFilterSql).
    const voided = Boolean(filters.statuses?.includes(VOIDED));
    const key = JSON.stringify([filters.asOf ?? null, sorted(filters.categories), filters.source ?? null, voided]);
    const kept = this.bases.get(key);
    if (kept && known !== undefined && kept.version >= known) {
      remember(this.bases, key, kept, MAP_BASES_KEPT);
      return kept;
    }
    const version = mapSitesVersion(this.db);
    if (kept && kept.version === version) {
      remember(this.bases, key, kept, MAP_BASES_KEPT);
      return kept;
    }
    const rows = readMapSites(this.db, {
      ...(filters.asOf ? { asOf: filters.asOf } : {}),
      ...(filters.categories?.length ? { categories: filters.categories } : {}),
      ...(filters.source ? { source: filters.source } : {}),
      // Every status: siteFilterSql then leaves voided sites in (the index narrows to the layers asked for).
      ...(voided ? { statuses: STATUS_CODES } : {}),
    });
    const sites = rows.sites;
    const counts: Base['counts'] = {};
    for (const site of sites) {
      const county = (counts[site.county] ??= {});
      county[site.status] = (county[site.status] ?? 0) + 1;
    }
    const base = { version: rows.version, sites, counts };
    for (const [other, entry] of this.bases) if (entry.version !== base.version) this.bases.delete(other);
    remember(this.bases, key, base, MAP_BASES_KEPT);
    return base;
  }

  private index(filters: MapFilters, known?: number): { version: number; index: CountyClusterIndex } {
    const base = this.base(filters, known);
    const key = indexKey(filters);
    const kept = this.indexes.get(key);
    if (kept && kept.version === base.version) {
      remember(this.indexes, key, kept, MAP_INDEXES_KEPT);
      this.lastBuildMs = null;
      return kept;
    }
    const started = performance.now();
    const index = new CountyClusterIndex(base.sites, {
      ...(filters.statuses ? { statuses: filters.statuses } : {}),
      ...(filters.exclude?.length ? { exclude: filters.exclude } : {}),
      ...(filters.only ? { only: filters.only } : {}),
    });
    this.lastBuildMs = performance.now() - started;
    const entry = { version: base.version, index };
    for (const [other, old] of this.indexes) if (old.version !== entry.version) this.indexes.delete(other);
    remember(this.indexes, key, entry, MAP_INDEXES_KEPT);
    return entry;
  }

  /** `known`: the sites' data version the caller read just now (saves reading it again). */
  tile(filters: MapFilters, z: number, x: number, y: number, known?: number): MapTile {
    const { version, index } = this.index(filters, known);
    return { version, body: tileBody(version, z, x, y, index.tile(z, x, y, filters.counties?.length ? filters.counties : null)) };
  }

  counts(filters: MapFilters): MapCounts {
    const base = this.base(filters);
    const counts = filters.counties?.length
      ? Object.fromEntries(Object.entries(base.counts).filter(([code]) => filters.counties!.includes(code)))
      : base.counts;
    return { version: base.version, counts };
  }

  warm(filters: MapFilters): void {
    this.index(filters);
  }
}
