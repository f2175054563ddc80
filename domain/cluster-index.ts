// Clusters sites per county, so no cluster ever crosses a county boundary. Pure and synchronous:
// the server's map index (server/store/map-index.ts, on a worker thread), the tests and the
// benchmark all call it. Tiles are XYZ Web Mercator tiles of 512 px, as MapLibre asks for them, so
// a tile's zoom is the clustering zoom (supercluster's `extent` is 512 too).
import Supercluster, { type ClusterProperties, type PointFeature } from 'supercluster';
import { STATUS_CODES, type StatusCode } from './statuses.ts';

/** The compact form of a site the worker keeps. */
export interface ClusterSite {
  id: number;
  lon: number;
  lat: number;
  county: string;
  status: StatusCode;
  category: string;
  source: 'real' | 'demo';
}

export interface ClusterFilters {
  statuses?: readonly StatusCode[];
  categories?: readonly string[];
  source?: 'real' | 'demo';
  counties?: readonly string[];
  /** Sites left out of the clusters because the map draws them on their own (a scorecard figure's highlighted sites). */
  exclude?: readonly number[];
  /** Only these sites (the sites an analysis counts, e.g. the siege's open industrial ones). */
  only?: readonly number[];
}

export interface ClusterQuery {
  bbox: [number, number, number, number];
  zoom: number;
}

/** A cluster or a single site, as drawn on the map. */
export interface ClusterFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: {
    county: string;
    /** A cluster: how many sites, and how many in each status (STATUS_CODES order). */
    cluster: boolean;
    clusterId: number | null;
    /** A cluster: the zoom at which it splits (where a click on it flies to); null for a site. */
    expansionZoom: number | null;
    count: number;
    statusCounts: number[];
    /** A single site: its id, status and category. */
    siteId: number | null;
    status: StatusCode | null;
    category: string | null;
    source: 'real' | 'demo' | null;
  };
}

interface PointProps {
  site: ClusterSite;
}
interface ClusterProps {
  s: number[];
}

const STATUS_INDEX = new Map(STATUS_CODES.map((code, index) => [code, index]));
/** A single site's status counts as JSON text, per status. */
const ONE_OF = Object.fromEntries(STATUS_CODES.map((code, index) => [code, JSON.stringify(STATUS_CODES.map((_, i) => (i === index ? 1 : 0)))])) as Record<
  StatusCode,
  string
>;

/** Most site ids a tile request may name in `exclude` or `only` (they travel in its URL). */
export const MAX_MAP_IDS = 2000;

export const CLUSTER_OPTIONS = { radius: 60, maxZoom: 15, minPoints: 2 } as const;

/**
 * A cluster's expansion zoom without walking its children. supercluster (v9) merges a point with at
 * least one neighbour into a new cluster, so every cluster has two or more children at the zoom it was
 * made at, and getClusterExpansionZoom returns that origin zoom, which the cluster id encodes
 * (`_getOriginZoom`). getChildren builds every child's GeoJSON to find that out: most of a tile's cost.
 * tests/unit/cluster-index.test.ts checks this equals getClusterExpansionZoom for every cluster.
 */
function expansionZoomOf(index: Supercluster<PointProps, ClusterProps>, clusterId: number): number {
  return (index as unknown as { _getOriginZoom(id: number): number })._getOriginZoom(clusterId);
}

export class CountyClusterIndex {
  private indexes = new Map<string, Supercluster<PointProps, ClusterProps>>();
  /** Each county's sites' [west, south, east, north]: a query visits only the counties its bbox meets. */
  private readonly extents = new Map<string, [number, number, number, number]>();
  /** Counties added so far (with or without sites passing the filters). */
  private readonly added = new Set<string>();
  private readonly keep: (site: ClusterSite) => boolean;
  size = 0;

  /**
   * `pause`, when given, is called before each county's clusters are built (the start-up warm-up gives way there).
   * `order`, when given, starts an index with no county yet: `addCounty` adds them one by one, in any
   * order, and a query visits them in `order` (the order of the sites one read of every county gives).
   */
  constructor(
    sites: readonly ClusterSite[],
    filters: ClusterFilters = {},
    pause?: () => void,
    private readonly order?: readonly string[],
  ) {
    const statuses = filters.statuses ? new Set(filters.statuses) : null;
    const categories = filters.categories?.length ? new Set(filters.categories) : null;
    const counties = filters.counties?.length ? new Set(filters.counties) : null;
    const exclude = filters.exclude?.length ? new Set(filters.exclude) : null;
    const only = filters.only ? new Set(filters.only) : null;
    this.keep = (site) =>
      !(statuses && !statuses.has(site.status)) &&
      !(categories && !categories.has(site.category)) &&
      !(filters.source && site.source !== filters.source) &&
      !(counties && !counties.has(site.county)) &&
      !exclude?.has(site.id) &&
      !(only && !only.has(site.id));
    const byCounty = new Map<string, ClusterSite[]>();
    for (const site of sites) {
      let list = byCounty.get(site.county);
      if (!list) byCounty.set(site.county, (list = []));
      list.push(site);
    }
    for (const [county, list] of byCounty) {
      pause?.();
      this.addCounty(county, list);
    }
  }

  /** Whether `county`'s sites were added (an index made from every site holds every county). */
  has(county: string): boolean {
    return this.order === undefined || this.added.has(county);
  }

  /**
   * Clusters one county's sites (all of them, in the order a whole read gives them: supercluster's
   * ids and clusters follow the input order). The index then answers for that county as one built
   * from every site does.
   */
  addCounty(county: string, sites: readonly ClusterSite[]): void {
    if (this.added.has(county)) return;
    this.added.add(county);
    const points: PointFeature<PointProps>[] = [];
    for (const site of sites)
      if (site.county === county && this.keep(site))
        points.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [site.lon, site.lat] }, properties: { site } });
    if (points.length === 0) return;
    this.size += points.length;
    const extent: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const { geometry } of points) {
      const [lon, lat] = geometry.coordinates as [number, number];
      if (lon < extent[0]) extent[0] = lon;
      if (lat < extent[1]) extent[1] = lat;
      if (lon > extent[2]) extent[2] = lon;
      if (lat > extent[3]) extent[3] = lat;
    }
    this.extents.set(county, extent);
    const index = new Supercluster<PointProps, ClusterProps>({
      ...CLUSTER_OPTIONS,
      map: (props) => {
        const s = new Array<number>(STATUS_CODES.length).fill(0);
        s[STATUS_INDEX.get(props.site.status)!] = 1;
        return { s };
      },
      // A new array each time: supercluster copies cluster properties shallowly from one zoom to
      // the next, so adding into `accumulated.s` in place would add into the finer zoom's cluster too.
      reduce: (accumulated, props) => {
        accumulated.s = accumulated.s.map((n, i) => n + props.s[i]!);
      },
    });
    index.load(points);
    this.indexes.set(county, index);
    const order = this.order;
    if (order) {
      // Queries visit the counties in the whole read's order, whatever order they were added in.
      const rank = (code: string) => (order.indexOf(code) + order.length + 1) % (order.length + 1);
      this.indexes = new Map([...this.indexes].sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)));
    }
  }

  /** The counties this index holds (those with at least one site passing the filters). */
  counties(): string[] {
    return [...this.indexes.keys()];
  }

  /** Calls `each` for every cluster or site of the query: its county, index, position and supercluster's properties. */
  private visit(
    { bbox, zoom }: ClusterQuery,
    counties: readonly string[] | null,
    each: (
      county: string,
      index: Supercluster<PointProps, ClusterProps>,
      coordinates: [number, number],
      props: Partial<ClusterProperties & ClusterProps & PointProps>,
    ) => void,
  ): void {
    const z = Math.max(0, Math.floor(zoom));
    for (const [county, index] of this.indexes) {
      if (counties && !counties.includes(county)) continue;
      // A cluster lies within the hull of its sites, so a county whose sites all lie outside the bbox has none in it.
      const extent = this.extents.get(county)!;
      if (extent[0] > bbox[2] || extent[2] < bbox[0] || extent[1] > bbox[3] || extent[3] < bbox[1]) continue;
      for (const feature of index.getClusters(bbox, z))
        each(county, index, feature.geometry.coordinates as [number, number], feature.properties as Partial<ClusterProperties & ClusterProps & PointProps>);
    }
  }

  /** `counties`: only these counties' clusters (default all). */
  query(query: ClusterQuery, counties: readonly string[] | null = null): ClusterFeature[] {
    const features: ClusterFeature[] = [];
    this.visit(query, counties, (county, index, coordinates, props) => {
      if (props.cluster) {
        features.push({
          type: 'Feature',
          geometry: { type: 'Point', coordinates },
          properties: {
            county,
            cluster: true,
            clusterId: props.cluster_id!,
            expansionZoom: expansionZoomOf(index, props.cluster_id!),
            count: props.point_count!,
            statusCounts: [...props.s!],
            siteId: null,
            status: null,
            category: null,
            source: null,
          },
        });
      } else {
        const site = props.site!;
        const statusCounts = new Array<number>(STATUS_CODES.length).fill(0);
        statusCounts[STATUS_INDEX.get(site.status)!] = 1;
        features.push({
          type: 'Feature',
          geometry: { type: 'Point', coordinates },
          properties: {
            county,
            cluster: false,
            clusterId: null,
            expansionZoom: null,
            count: 1,
            statusCounts,
            siteId: site.id,
            status: site.status,
            category: site.category,
            source: site.source,
          },
        });
      }
    });
    return features;
  }

  /** A tile's bbox, and the query for it (a hair wider; its features are then those `inTile`). */
  private static tileQuery(z: number, x: number, y: number): { bounds: [number, number, number, number]; query: ClusterQuery } {
    const bounds = tileBbox(z, x, y);
    const [west, south, east, north] = bounds;
    const margin = 1e-9;
    return { bounds, query: { bbox: [west - margin, south - margin, east + margin, north + margin], zoom: z } };
  }

  /**
   * The clusters and single sites of tile (z, x, y): those whose position lies in it (`inTile`), so
   * the tiles of one zoom together hold every site once.
   */
  tile(z: number, x: number, y: number, counties: readonly string[] | null = null): ClusterFeature[] {
    const { bounds, query } = CountyClusterIndex.tileQuery(z, x, y);
    return this.query(query, counties).filter((feature) => inBounds(feature.geometry.coordinates, bounds, z, x, y));
  }

  /**
   * `JSON.stringify(this.tile(z, x, y, counties))`, written straight from supercluster's answer with
   * no feature objects in between (most of a tile answer's cost; a unit test checks the two are equal).
   */
  tileJson(z: number, x: number, y: number, counties: readonly string[] | null = null): string {
    const { bounds, query } = CountyClusterIndex.tileQuery(z, x, y);
    const parts: string[] = [];
    this.visit(query, counties, (county, index, coordinates, props) => {
      if (!inBounds(coordinates, bounds, z, x, y)) return;
      const head = `{"type":"Feature","geometry":{"type":"Point","coordinates":[${coordinates[0]},${coordinates[1]}]},"properties":{"county":${JSON.stringify(county)},`;
      if (props.cluster) {
        const id = props.cluster_id!;
        parts.push(
          `${head}"cluster":true,"clusterId":${id},"expansionZoom":${expansionZoomOf(index, id)},"count":${props.point_count},"statusCounts":[${props.s!.join(',')}],"siteId":null,"status":null,"category":null,"source":null}}`,
        );
      } else {
        const site = props.site!;
        parts.push(
          `${head}"cluster":false,"clusterId":null,"expansionZoom":null,"count":1,"statusCounts":${ONE_OF[site.status]},"siteId":${site.id},"status":${JSON.stringify(site.status)},"category":${JSON.stringify(site.category)},"source":${JSON.stringify(site.source)}}}`,
        );
      }
    });
    return `[${parts.join(',')}]`;
  }

  /** The zoom at which a cluster splits into its children. */
  expansionZoom(county: string, clusterId: number): number {
    const index = this.indexes.get(county);
    if (!index) throw new Error(`no cluster index for county ${county}`);
    return index.getClusterExpansionZoom(clusterId);
  }
}

/**
 * Up to this zoom each county is one cluster: its sites' total and status mix, which per-county
 * counts give at once, so the city's first view never waits for an index of every site. The page
 * opens fitted to the whole city: zoom 9.3 in a 1280×800 window, under 10 on common screens. From
 * the next zoom on, supercluster's clusters.
 */
export const COUNTY_CLUSTER_MAX_ZOOM = 9;

/** Located sites of one county in one status, and the sums of their positions. */
export interface CountyStatusCount {
  county: string;
  status: StatusCode;
  n: number;
  lon: number;
  lat: number;
}

/**
 * The county clusters of tile (z, x, y) at a zoom ≤ COUNTY_CLUSTER_MAX_ZOOM: one per county with a
 * site in `statuses` (default all in the rows), drawn at those sites' mean position (the county's
 * name stays readable at its label point); only those whose position lies in the tile (`inTile`).
 */
export function countyClusterTile(
  rows: readonly CountyStatusCount[],
  tile: { z: number; x: number; y: number },
  filters: { statuses?: readonly StatusCode[] | undefined; counties?: readonly string[] | null | undefined } = {},
): ClusterFeature[] {
  const statuses = filters.statuses ? new Set(filters.statuses) : null;
  const byCounty = new Map<string, { statusCounts: number[]; count: number; lon: number; lat: number }>();
  for (const row of rows) {
    if ((statuses && !statuses.has(row.status)) || (filters.counties?.length && !filters.counties.includes(row.county))) continue;
    let county = byCounty.get(row.county);
    if (!county) byCounty.set(row.county, (county = { statusCounts: new Array<number>(STATUS_CODES.length).fill(0), count: 0, lon: 0, lat: 0 }));
    county.statusCounts[STATUS_INDEX.get(row.status)!]! += row.n;
    county.count += row.n;
    county.lon += row.lon;
    county.lat += row.lat;
  }
  const features: ClusterFeature[] = [];
  const codes = [...byCounty.keys()].sort();
  codes.forEach((code, i) => {
    const county = byCounty.get(code)!;
    if (county.count === 0) return;
    const coordinates: [number, number] = [county.lon / county.count, county.lat / county.count];
    if (!inTile(coordinates, tile.z, tile.x, tile.y)) return;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates },
      properties: {
        county: code,
        cluster: true,
        // Negative: never one of supercluster's ids.
        clusterId: -1 - i,
        expansionZoom: COUNTY_CLUSTER_MAX_ZOOM + 1,
        count: county.count,
        statusCounts: county.statusCounts,
        siteId: null,
        status: null,
        category: null,
        source: null,
      },
    });
  });
  return features;
}

/** Sums a query's counts per county (what a test compares with the API's per-county totals). */
export function countsByCounty(features: readonly ClusterFeature[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const feature of features) totals[feature.properties.county] = (totals[feature.properties.county] ?? 0) + feature.properties.count;
  return totals;
}

/** Tiles of the map: XYZ, Web Mercator, 512 px (MapLibre's vector tile size); the zoom is the clustering zoom. */
export const MAX_TILE_ZOOM = 22;

const tileLon = (x: number, z: number) => (x / 2 ** z) * 360 - 180;
const tileLat = (y: number, z: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 2 ** z))) * 180) / Math.PI;

/**
 * A tile's [west, south, east, north] in WGS84. Its clusters are those whose position lies inside it
 * (west and south edges inclusive, east and north exclusive, so a cluster belongs to one tile; the
 * last column and row keep their far edge).
 */
export function tileBbox(z: number, x: number, y: number): [number, number, number, number] {
  return [tileLon(x, z), tileLat(y + 1, z), tileLon(x + 1, z), tileLat(y, z)];
}

/** The tiles at zoom `z` that cover a WGS84 bbox (clamped to the Mercator world). */
export function tilesCovering(bbox: readonly [number, number, number, number], z: number): { x: number; y: number }[] {
  const n = 2 ** z;
  const column = (lon: number) => Math.min(n - 1, Math.max(0, Math.floor(((lon + 180) / 360) * n)));
  const row = (lat: number) => {
    const clamped = Math.max(-85.0511, Math.min(85.0511, lat));
    const rad = (clamped * Math.PI) / 180;
    return Math.min(n - 1, Math.max(0, Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)));
  };
  const tiles: { x: number; y: number }[] = [];
  for (let x = column(bbox[0]); x <= column(bbox[2]); x++) for (let y = row(bbox[3]); y <= row(bbox[1]); y++) tiles.push({ x, y });
  return tiles;
}

/** Whether a position falls in tile (z, x, y), each position in exactly one tile of a zoom. */
export function inTile(position: readonly [number, number], z: number, x: number, y: number): boolean {
  return inBounds(position, tileBbox(z, x, y), z, x, y);
}

/** inTile with the tile's bbox (`tileBbox(z, x, y)`) computed once for many positions. */
function inBounds(position: readonly [number, number], bounds: readonly [number, number, number, number], z: number, x: number, y: number): boolean {
  const [west, south, east, north] = bounds;
  const last = 2 ** z - 1;
  const [lon, lat] = position;
  return lon >= west && (lon < east || x === last) && lat <= north && (lat > south || y === last);
}
