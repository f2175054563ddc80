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
  tileBbox,
  type ClusterSite,
  type CountyStatusCount,
} from '../../domain/cluster-index.ts';
import type { CategoryCode } from '../../domain/categories.ts';
import { STATUS_CODES, VOIDED, type RecordSource, type StatusCode } from '../../domain/statuses.ts';
import type { Db } from '../db/database.ts';
import { mapSitesVersion, readCountyExtents, readMapCounts, readMapCountyCodes, readMapSites } from './map-sites.ts';
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

/**
 * The rows of a base filter, read county by county as the indexes over them need them (a tile past
 * zoom 9 needs only the counties it meets; the warm-up reads the rest), each county in a snapshot of
 * `version` (a county read of a newer one drops the base: `VersionMoved`).
 */
interface Base {
  version: number;
  /** Every county, in the order one read of every site gives them (queries visit them in it). */
  counties: readonly string[];
  /** The rows of the counties read so far. */
  rows: Map<string, ClusterSite[]>;
  /** A county's read: the SQL filters but the county (null: every county was read at once, from the as-of histories). */
  sql: ReturnType<typeof baseSqlFilters> | null;
  /** Each county's located sites' extent under no filter, read when a tile first needs it. */
  extents?: Map<string, readonly [number, number, number, number]>;
}

interface IndexEntry {
  version: number;
  base: Base;
  index: CountyClusterIndex;
}

/** A county's rows were of a newer data version than the base's: the base is read again. */
class VersionMoved extends Error {}

/** The warm-up left a county's read for a request waiting on its thread (it reads that county again later). */
class LeftForRequest extends Error {}

/** Every site's rows at once, grouped by county in their order. */
function wholeBase(version: number, sites: readonly ClusterSite[]): Base {
  const rows = new Map<string, ClusterSite[]>();
  for (const site of sites) {
    let list = rows.get(site.county);
    if (!list) rows.set(site.county, (list = []));
    list.push(site);
  }
  return { version, counties: [...rows.keys()], rows, sql: null };
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
  private readonly indexes = new Map<string, IndexEntry>();
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
      this.db.readTogether((): Base => {
        const sqlFilters = baseSqlFilters(filters, voided);
        const kept = this.histories(sqlFilters);
        if (kept) return wholeBase(kept.version, asOfSites(kept, sqlFilters));
        // County by county where a county's read gives its rows in the whole read's order (both walk
        // sites_county_counts, which leads with county_code: supercluster's clusters follow the input
        // order); an as-of status or a category filter reads in another order, so at once.
        if (sqlFilters.asOf || sqlFilters.categories) {
          const read = readMapSites(this.db, sqlFilters, pause);
          return wholeBase(read.version, read.sites);
        }
        return { version: mapSitesVersion(this.db), counties: readMapCountyCodes(this.db), rows: new Map(), sql: sqlFilters };
      }),
    );
  }

  /** Reads one county's rows into `base` (in a snapshot of its version, else VersionMoved). */
  private readCounty(base: Base, county: string, pause?: () => void): void {
    if (!base.sql || base.rows.has(county)) return;
    const read = readMapSites(this.db, { ...base.sql, counties: [county] }, pause);
    if (read.version !== base.version) throw new VersionMoved();
    base.rows.set(county, read.sites);
  }

  /** The counties whose sites may lie near tile (z, x, y): those whose extent meets it (a hair wider, as the tile's query). */
  private countiesMeeting(base: Base, z: number, x: number, y: number): readonly string[] {
    if (!base.sql) return base.counties;
    if (!base.extents) {
      const read = readCountyExtents(this.db);
      if (read.version !== base.version) throw new VersionMoved();
      base.extents = read.extents;
    }
    const [west, south, east, north] = tileBbox(z, x, y);
    const margin = 1e-9;
    return base.counties.filter((county) => {
      const extent = base.extents!.get(county);
      return extent && !(extent[0] > east + margin || extent[2] < west - margin || extent[1] > north + margin || extent[3] < south - margin);
    });
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

  /** The index of `filters` over its base (made with no county built yet when new). */
  private entry(filters: MapFilters, known?: number, pause?: () => void): IndexEntry {
    const base = this.base(filters, known, pause);
    const key = indexKey(filters);
    const kept = this.indexes.get(key);
    // An index of the same version goes on over its own rows (its base may have left the LRU).
    if (kept && kept.version === base.version) {
      remember(this.indexes, key, kept, MAP_INDEXES_KEPT);
      return kept;
    }
    const clusterFilters = {
      ...(filters.statuses ? { statuses: filters.statuses } : {}),
      ...(filters.exclude?.length ? { exclude: filters.exclude } : {}),
      ...(filters.only ? { only: filters.only } : {}),
    };
    const entry = { version: base.version, base, index: new CountyClusterIndex([], clusterFilters, undefined, base.counties) };
    for (const [other, old] of this.indexes) if (old.version !== entry.version) this.indexes.delete(other);
    remember(this.indexes, key, entry, MAP_INDEXES_KEPT);
    return entry;
  }

  /** Clusters one county of an index (its rows read first when not yet). */
  private buildCounty(entry: IndexEntry, county: string, pause?: () => void): void {
    if (entry.index.has(county)) return;
    this.readCounty(entry.base, county, pause);
    pause?.();
    entry.index.addCounty(county, entry.base.rows.get(county) ?? []);
  }

  /** Drops a base a county read found older than the data (and its indexes: the next entry() reads it again). */
  private dropBase(base: Base): void {
    for (const [key, kept] of this.bases) if (kept === base) this.bases.delete(key);
    for (const [key, kept] of this.indexes) if (kept.base === base) this.indexes.delete(key);
  }

  /**
   * The index of `filters` with the counties `needed` picks built (default every county): a tile
   * past zoom 9 waits for the counties it meets only. Answers as one built from every site at once.
   */
  private index(filters: MapFilters, known?: number, pause?: () => void, needed?: (base: Base) => readonly string[]): IndexEntry {
    const started = performance.now();
    let built = false;
    for (let attempt = 0; ; attempt++) {
      const entry = this.entry(filters, attempt === 0 ? known : undefined, pause);
      try {
        for (const county of needed ? needed(entry.base) : entry.base.counties) {
          if (entry.index.has(county)) continue;
          built = true;
          this.buildCounty(entry, county, pause);
        }
        this.lastBuildMs = built ? performance.now() - started : null;
        return entry;
      } catch (error) {
        if (!(error instanceof VersionMoved) || attempt >= 8) throw error;
        this.dropBase(entry.base);
      }
    }
  }

  /** `known`: the sites' data version the caller read just now (saves reading it again). */
  tile(filters: MapFilters, z: number, x: number, y: number, known?: number): MapTile {
    const counties = filters.counties?.length ? filters.counties : null;
    if (z <= COUNTY_CLUSTER_MAX_ZOOM) {
      const { version, rows } = this.summary(filters, known);
      this.lastBuildMs = null;
      return { version, body: tileBody(version, z, x, y, countyClusterTile(rows, { z, x, y }, { statuses: filters.statuses, counties })) };
    }
    const { version, index } = this.index(filters, known, undefined, (base) => {
      const wanted = (list: readonly string[]) => (counties ? list.filter((county) => counties.includes(county)) : list);
      const meeting = this.countiesMeeting(base, z, x, y);
      // A tile among one county's sites alone (a view zoomed into that county) waits for it only. One
      // whose place meets several (around the city seat, where the counties' extents overlap) waits for
      // every county the filters keep: the next views there meet the others, and each would wait again
      // (a page's pan/zoom p95 counted three waits instead of one: bench/README.md, "The index past
      // zoom 9 after a restart").
      return wanted(meeting.length > 1 ? base.counties : meeting);
    });
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

  /**
   * The index's warm-up on a thread: one county's read, then its clustering, each a step, with
   * `between()` awaited after each (the thread's other tasks run there: a tile past zoom 9 builds the
   * counties it meets first and is answered); `pause` inside a read and before a clustering
   * (db/give-way.ts). A write meanwhile starts it again from the new data version. `waiting()` true: a
   * request waits on the thread; a county's read under way is then left (read again after it).
   */
  async warmInSteps(filters: MapFilters, between: () => Promise<void>, pause?: () => void, waiting?: () => boolean): Promise<void> {
    const readPause = () => {
      pause?.();
      if (waiting?.()) throw new LeftForRequest();
    };
    const started = performance.now();
    for (;;) {
      const entry = this.entry(filters, undefined, pause);
      const county = entry.base.counties.find((code) => !entry.index.has(code));
      if (county === undefined) break;
      try {
        if (entry.base.sql && !entry.base.rows.has(county)) this.readCounty(entry.base, county, readPause);
        else this.buildCounty(entry, county, pause);
      } catch (error) {
        if (error instanceof VersionMoved) this.dropBase(entry.base);
        else if (!(error instanceof LeftForRequest)) throw error;
      }
      await between();
    }
    this.lastBuildMs = performance.now() - started;
  }
}
