// The peers of the map's cluster answers (#17), on the same synthetic sites and the same views: in-process
// supercluster (one index per county, the options of domain/cluster-index.ts) answering a viewport
// (getClusters) and the view's z/x/y tiles (getTile, encoded with vt-pbf), and PostGIS ST_AsMVT in a
// private PostgreSQL 15 cluster serving the same tiles as points and as clusters (ST_SnapToGrid per
// county), and this server's own tiles through HTTP. Views: the page's first view (Luohe at zoom 8.9) and an urban close-up at zoom 13, 1280×800 px.
// Without PostGIS the PostGIS rows say why and the rest still runs.
import { writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import Supercluster, { type ClusterProperties, type PointFeature } from 'supercluster';
import vtpbf from 'vt-pbf';
import { STATUS_CODES, type StatusCode } from '../../domain/statuses.ts';
import { CITY_SEAT } from '../../server/seed/demo.ts';
import { CLUSTER_OPTIONS, type ClusterSite } from '../../domain/cluster-index.ts';
import type { BenchContext } from '../lib/context.ts';
import { formatBytes, formatCount, formatMs, formatSize, median, NO_TARGET, type Row } from '../lib/measure.ts';
import { postgisMissing, startPostgis, type PostgisCluster } from '../lib/postgis.ts';
import { httpGet, startServer } from '../lib/server-process.ts';
import { benchSession } from '../lib/session.ts';
import { generateSites, toClusterSites } from '../synthetic.ts';
import { FIRST_ANSWER_MS, INITIAL_VIEW, VIEWPORT, viewportBbox } from './cluster.ts';

/** The two views every peer row answers (the server endpoint's row uses the same). */
export const PEER_VIEWS = [
  { name: 'first view (Luohe, z 8.9)', center: INITIAL_VIEW.center, zoom: INITIAL_VIEW.zoom },
  { name: 'urban close-up (city seat, z 13)', center: [CITY_SEAT[0], CITY_SEAT[1]] as [number, number], zoom: 13 },
];
type View = (typeof PEER_VIEWS)[number];

/** Tile extent and buffer (px) for both supercluster's getTile and ST_AsMVT: supercluster's default 512. */
const EXTENT = 512;
const BUFFER = 64;
/** Web Mercator world width in metres. */
const WORLD_M = 2 * Math.PI * 6378137;
const STATUS_INDEX = new Map<StatusCode, number>(STATUS_CODES.map((code, index) => [code, index]));

/** The z/x/y tiles a MapLibre vector source (512-px tiles) loads for a view: zoom floor(zoom), every tile the viewport touches. */
export function viewTiles(view: Pick<View, 'center' | 'zoom'>): { z: number; x: number; y: number }[] {
  const [west, south, east, north] = viewportBbox(view.center, view.zoom);
  const z = Math.floor(view.zoom);
  const n = 2 ** z;
  const tileX = (lon: number) => Math.floor(((lon + 180) / 360) * n);
  const tileY = (lat: number) => {
    const rad = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  };
  const tiles = [];
  for (let y = tileY(north); y <= tileY(south); y++) for (let x = tileX(west); x <= tileX(east); x++) tiles.push({ z, x, y });
  return tiles;
}

// ---------------------------------------------------------------------------------------------
// In-process: one supercluster per county with the worker's options; each cluster carries its status mix.

interface PointProps {
  id: number;
  status: StatusCode;
}
interface ClusterProps {
  s: number[];
}
type CountyIndexes = Map<string, Supercluster<PointProps, ClusterProps>>;

export function buildCountyIndexes(sites: readonly ClusterSite[]): CountyIndexes {
  const byCounty = new Map<string, PointFeature<PointProps>[]>();
  for (const site of sites) {
    let list = byCounty.get(site.county);
    if (!list) byCounty.set(site.county, (list = []));
    list.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [site.lon, site.lat] }, properties: { id: site.id, status: site.status } });
  }
  const indexes: CountyIndexes = new Map();
  for (const [county, points] of byCounty) {
    const index = new Supercluster<PointProps, ClusterProps>({
      ...CLUSTER_OPTIONS,
      extent: EXTENT,
      map: (props) => ({ s: statusMix(props.status) }),
      reduce: (accumulated, props) => {
        for (let i = 0; i < accumulated.s.length; i++) accumulated.s[i]! += props.s[i]!;
      },
    });
    indexes.set(county, index.load(points));
  }
  return indexes;
}

function statusMix(status: StatusCode): number[] {
  const s = new Array<number>(STATUS_CODES.length).fill(0);
  s[STATUS_INDEX.get(status)!] = 1;
  return s;
}

/** The attributes every cluster tile carries, on both sides: county, count, the status mix (STATUS_CODES order) and a single site's id. */
function clusterTags(county: string, props: Partial<ClusterProperties & ClusterProps & PointProps>): Record<string, string | number> {
  return props.cluster
    ? { county, count: props.point_count!, statuses: props.s!.join(',') }
    : { county, count: 1, site_id: props.id!, statuses: statusMix(props.status!).join(',') };
}

/** getClusters over every county's index for the view's bbox; the answer as JSON (what a view endpoint would send). */
function getClustersView(indexes: CountyIndexes, view: View): { features: number; bytes: number } {
  const bbox = viewportBbox(view.center, view.zoom);
  const z = Math.floor(view.zoom);
  const features: { c: [number, number]; p: Record<string, string | number> }[] = [];
  for (const [county, index] of indexes)
    for (const feature of index.getClusters(bbox, z))
      features.push({ c: feature.geometry.coordinates as [number, number], p: clusterTags(county, feature.properties) });
  return { features: features.length, bytes: Buffer.byteLength(JSON.stringify(features)) };
}

/** getTile of every county's index, merged into one layer and encoded as MVT with vt-pbf. */
function getTileEncoded(indexes: CountyIndexes, tile: { z: number; x: number; y: number }): { features: number; bytes: number; getTileMs: number } {
  const started = performance.now();
  const features: { type: 1; geometry: number[][]; tags: Record<string, string | number> }[] = [];
  for (const [county, index] of indexes) {
    const answer = index.getTile(tile.z, tile.x, tile.y);
    if (!answer) continue;
    for (const feature of answer.features)
      features.push({ type: 1, geometry: feature.geometry as number[][], tags: clusterTags(county, feature.tags as Partial<ClusterProps & PointProps>) });
  }
  const getTileMs = performance.now() - started;
  const bytes = features.length ? vtpbf.fromGeojsonVt({ clusters: { features } }, { version: 2, extent: EXTENT }).byteLength : 0;
  return { features: features.length, bytes, getTileMs };
}

// ---------------------------------------------------------------------------------------------
// PostGIS: the same sites in EPSG:3857 with a GiST index; tiles by ST_AsMVT.

async function loadPostgis(
  cluster: PostgisCluster,
  sites: readonly ClusterSite[],
): Promise<{ copyMs: number; indexMs: number; tableBytes: number; indexBytes: number }> {
  const { client } = cluster;
  await client.query('DROP TABLE IF EXISTS sites');
  await client.query(`CREATE TABLE sites (
    id integer PRIMARY KEY,
    lon double precision NOT NULL,
    lat double precision NOT NULL,
    county text NOT NULL,
    status text NOT NULL,
    category text NOT NULL,
    source text NOT NULL,
    geom geometry(Point, 3857) GENERATED ALWAYS AS (ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 3857)) STORED
  )`);
  // Server-side COPY from a file in the cluster's folder (the bootstrap superuser may read it).
  const file = join(cluster.dir, `sites-${sites.length}.tsv`);
  const lines: string[] = [];
  for (const site of sites) lines.push(`${site.id}\t${site.lon}\t${site.lat}\t${site.county}\t${site.status}\t${site.category}\t${site.source}\n`);
  writeFileSync(file, lines.join(''), { mode: 0o644 });
  const copyStarted = performance.now();
  await client.query(`COPY sites (id, lon, lat, county, status, category, source) FROM '${file}'`);
  const copyMs = performance.now() - copyStarted;
  const indexStarted = performance.now();
  await client.query('CREATE INDEX sites_geom ON sites USING gist (geom)');
  await client.query('VACUUM ANALYZE sites');
  const indexMs = performance.now() - indexStarted;
  const sizes = (await client.query<{ t: string; i: string }>("SELECT pg_table_size('sites') AS t, pg_relation_size('sites_geom') AS i")).rows[0]!;
  return { copyMs, indexMs, tableBytes: Number(sizes.t), indexBytes: Number(sizes.i) };
}

/** Every site in the tile (plus the buffer) as a point: id, county, status, category. */
const POINT_TILE_SQL = `
  WITH env AS (SELECT ST_TileEnvelope($1, $2, $3) AS e)
  SELECT ST_AsMVT(t, 'sites', ${EXTENT}, 'geom') AS tile, count(*)::int AS features FROM (
    SELECT s.id, s.county, s.status, s.category, ST_AsMVTGeom(s.geom, env.e, ${EXTENT}, ${BUFFER}, true) AS geom
    FROM sites s, env WHERE s.geom && ST_Expand(env.e, $4)
  ) t`;

/**
 * Clusters per county on a grid of cells as wide as supercluster's radius at that zoom (ST_SnapToGrid in
 * metres): a cell's sites become one feature at their mean position, with the count and status mix; a
 * cell belongs to the tile holding its grid point. A lone site keeps its id.
 */
const statusColumns = STATUS_CODES.map((code) => `count(*) FILTER (WHERE s.status = '${code}')`).join(', ');
const CLUSTER_TILE_SQL = `
  WITH env AS (SELECT ST_TileEnvelope($1, $2, $3) AS e),
  cells AS (
    SELECT s.county, ST_SnapToGrid(s.geom, $4) AS cell, count(*)::int AS count, min(s.id) AS first_id,
           avg(ST_X(s.geom)) AS x, avg(ST_Y(s.geom)) AS y, concat_ws(',', ${statusColumns}) AS statuses
    FROM sites s, env WHERE s.geom && ST_Expand(env.e, $4)
    GROUP BY s.county, cell
  )
  SELECT ST_AsMVT(t, 'clusters', ${EXTENT}, 'geom') AS tile, count(*)::int AS features FROM (
    SELECT c.county, c.count, CASE WHEN c.count = 1 THEN c.first_id END AS site_id, c.statuses,
           ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(c.x, c.y), 3857), env.e, ${EXTENT}, ${BUFFER}, true) AS geom
    FROM cells c, env WHERE c.cell && env.e
  ) t`;

async function postgisTile(
  cluster: PostgisCluster,
  kind: 'points' | 'clusters',
  tile: { z: number; x: number; y: number },
): Promise<{ ms: number; bytes: number; features: number }> {
  const tileM = WORLD_M / 2 ** tile.z;
  const margin = kind === 'points' ? (tileM * BUFFER) / EXTENT : (tileM * CLUSTER_OPTIONS.radius) / EXTENT;
  const started = performance.now();
  const result = await cluster.client.query<{ tile: Buffer | null; features: number }>(kind === 'points' ? POINT_TILE_SQL : CLUSTER_TILE_SQL, [
    tile.z,
    tile.x,
    tile.y,
    margin,
  ]);
  const ms = performance.now() - started;
  const row = result.rows[0]!;
  return { ms, bytes: row.tile?.byteLength ?? 0, features: row.features };
}

// ---------------------------------------------------------------------------------------------

interface ViewSample {
  /** Wall time of the whole view: every tile, one after another (or one getClusters call). */
  viewMs: number;
  tileMs: number[];
  bytes: number[];
  features: number;
}

async function sampleView(runs: number, once: () => Promise<ViewSample> | ViewSample): Promise<{ samples: ViewSample[]; first: ViewSample }> {
  const first = await once(); // warm-up (plans, JIT, caches), not counted
  const samples: ViewSample[] = [];
  for (let run = 0; run < runs; run++) samples.push(await once());
  return { samples, first };
}

const load = () => loadavg()[0]!.toFixed(1);

function viewRow(
  figure: string,
  size: number,
  tiles: ReturnType<typeof viewTiles> | null,
  result: { samples: ViewSample[]; first: ViewSample },
  extra: string,
): Row {
  const { samples, first } = result;
  const last = samples[samples.length - 1]!;
  const perTile = samples.flatMap((sample) => sample.tileMs);
  const tileText = tiles
    ? `${tiles.length} tiles z${tiles[0]!.z} x ${tiles[0]!.x}–${tiles[tiles.length - 1]!.x}, y ${tiles[0]!.y}–${tiles[tiles.length - 1]!.y}, one after another; per tile median ${formatMs(median(perTile))}; bytes per tile ${last.bytes.map(formatBytes).join(' / ')}; `
    : '';
  return {
    figure,
    size: formatSize(size),
    median: formatMs(median(samples.map((sample) => sample.viewMs))),
    runs: String(samples.length),
    target: NO_TARGET,
    met: '—',
    notes: `${tileText}${formatCount(last.features)} features, ${formatBytes(last.bytes.reduce((a, b) => a + b, 0))} in all; first (warm-up) ${formatMs(first.viewMs)}; ${extra}; load ${load()}`,
  };
}

/** The real server on the synthetic database of `size`, its sites' data version, a session and one kept-alive socket. */
async function startMapServer(context: BenchContext, size: number) {
  const database = context.fixtures.syntheticDatabase(size);
  const headers = { Authorization: `Bearer ${benchSession(database)}` };
  const running = await startServer(context.resources, { root: context.root, database, demo: false });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const summary = await httpGet(running.port, '/api/map/sites', { agent, headers, timeoutMs: FIRST_ANSWER_MS });
  const { version } = JSON.parse(summary.body.toString()) as { version: number };
  return {
    port: running.port,
    version,
    agent,
    headers,
    stop: async () => {
      agent.destroy();
      await running.stop();
    },
  };
}

export async function peerTiles(context: BenchContext): Promise<Row[]> {
  const { fixtures, resources, log } = context;
  const sizes = context.big ? [100_000, 1_000_000] : [100_000];
  const rows: Row[] = [];

  let cluster: PostgisCluster | null = null;
  let skipped = postgisMissing();
  if (!skipped)
    try {
      cluster = await startPostgis(resources, log);
    } catch (error) {
      skipped = `the PostGIS cluster did not start: ${(error as Error).message.split('\n')[0]}`;
    }
  if (skipped) log(`peer tiles: PostGIS rows skipped (${skipped})`);

  try {
    for (const size of sizes) {
      const runs = size >= 1_000_000 ? 5 : 9;
      const sites = toClusterSites(generateSites(fixtures.geography(), size));
      const buildStarted = performance.now();
      const indexes = buildCountyIndexes(sites);
      const buildMs = performance.now() - buildStarted;
      log(`peer tiles ${size}: supercluster indexes (${indexes.size} counties) built in ${formatMs(buildMs)}`);
      let loaded: Awaited<ReturnType<typeof loadPostgis>> | null = null;
      if (cluster) {
        loaded = await loadPostgis(cluster, sites);
        log(`peer tiles ${size}: PostGIS COPY ${formatMs(loaded.copyMs)}, GiST index + ANALYZE ${formatMs(loaded.indexMs)}`);
      }
      rows.push({
        figure: 'peer tiles: the indexes (supercluster per county, in-process; PostGIS table + GiST)',
        size: formatSize(size),
        median: formatMs(buildMs),
        runs: '1',
        target: NO_TARGET,
        met: '—',
        notes:
          `supercluster: ${indexes.size} county indexes (radius ${CLUSTER_OPTIONS.radius}, maxZoom ${CLUSTER_OPTIONS.maxZoom}, minPoints ${CLUSTER_OPTIONS.minPoints}, extent ${EXTENT}) built in the median's time; ` +
          (loaded
            ? `PostGIS: COPY ${formatMs(loaded.copyMs)} (geometry in EPSG:3857 computed on load), GiST index + VACUUM ANALYZE ${formatMs(loaded.indexMs)}, table ${formatBytes(loaded.tableBytes)}, GiST ${formatBytes(loaded.indexBytes)}`
            : `PostGIS skipped: ${skipped}`) +
          `; load ${load()}`,
      });

      const server = await startMapServer(context, size);
      try {
        for (const view of PEER_VIEWS) {
          const tiles = viewTiles(view);
          log(`peer tiles ${size}, ${view.name}: ${tiles.length} tiles at z${tiles[0]!.z}`);

          const clusters = await sampleView(runs * 3, () => {
            const started = performance.now();
            const answer = getClustersView(indexes, view);
            const ms = performance.now() - started;
            return { viewMs: ms, tileMs: [], bytes: [answer.bytes], features: answer.features };
          });
          rows.push(
            viewRow(
              `peer: supercluster getClusters, ${view.name} (in-process)`,
              size,
              null,
              clusters,
              `one call per county index for the ${VIEWPORT.width}×${VIEWPORT.height} px bbox at zoom ${Math.floor(view.zoom)}, answer as JSON (bytes)`,
            ),
          );

          let getTileOnly: number[] = [];
          const superTiles = await sampleView(runs * 3, () => {
            const sample: ViewSample = { viewMs: 0, tileMs: [], bytes: [], features: 0 };
            const only: number[] = [];
            for (const tile of tiles) {
              const started = performance.now();
              const answer = getTileEncoded(indexes, tile);
              const ms = performance.now() - started;
              sample.tileMs.push(ms);
              sample.bytes.push(answer.bytes);
              sample.features += answer.features;
              sample.viewMs += ms;
              only.push(answer.getTileMs);
            }
            getTileOnly = getTileOnly.concat(only);
            return sample;
          });
          rows.push(
            viewRow(
              `peer: supercluster getTile + vt-pbf, ${view.name} (in-process)`,
              size,
              tiles,
              superTiles,
              `getTile alone ${formatMs(median(getTileOnly))} per tile, the rest is vt-pbf encoding`,
            ),
          );

          // The server's own tiles (#17) for the same view: the real server on the same synthetic sites (plus
          // the plan's few real ones), every tile through HTTP one after another; after the warm-up round a
          // tile is answered from its kept bytes.
          const served = await sampleView(runs * 3, async () => {
            const sample: ViewSample = { viewMs: 0, tileMs: [], bytes: [], features: 0 };
            for (const tile of tiles) {
              const answer = await httpGet(server.port, `/api/map/sites/${server.version}/${tile.z}/${tile.x}/${tile.y}`, {
                agent: server.agent,
                headers: server.headers,
              });
              if (answer.status !== 200) throw new Error(`server tile ${tile.z}/${tile.x}/${tile.y}: ${answer.status}`);
              sample.tileMs.push(answer.ms);
              sample.bytes.push(answer.body.length);
              sample.features += (JSON.parse(answer.body.toString()) as { features: unknown[] }).features.length;
              sample.viewMs += answer.ms;
            }
            return sample;
          });
          rows.push(
            viewRow(
              `peer: this server, GET /api/map/sites/{v}/{z}/{x}/{y}, ${view.name} (HTTP)`,
              size,
              tiles,
              served,
              'county-bounded clusters with status mix and expansion zoom as JSON (uncompressed), no filter; one kept-alive socket, bearer session; answered from kept bytes after the warm-up',
            ),
          );

          for (const kind of ['clusters', 'points'] as const) {
            const figure =
              kind === 'clusters' ? `peer: PostGIS ST_AsMVT clustered (ST_SnapToGrid per county), ${view.name}` : `peer: PostGIS ST_AsMVT points, ${view.name}`;
            if (!cluster) {
              rows.push({ figure, size: formatSize(size), median: 'skipped', runs: '0', target: NO_TARGET, met: '—', notes: `skipped: ${skipped}` });
              continue;
            }
            const pointRuns = kind === 'points' && size >= 1_000_000 && view.zoom < 10 ? 3 : runs;
            const answer = await sampleView(pointRuns, async () => {
              const sample: ViewSample = { viewMs: 0, tileMs: [], bytes: [], features: 0 };
              for (const tile of tiles) {
                const one = await postgisTile(cluster, kind, tile);
                sample.tileMs.push(one.ms);
                sample.bytes.push(one.bytes);
                sample.features += one.features;
                sample.viewMs += one.ms;
              }
              return sample;
            });
            const how =
              kind === 'clusters'
                ? `grid cell ${CLUSTER_OPTIONS.radius}/${EXTENT} of a tile (${formatCount((WORLD_M / 2 ** tiles[0]!.z) * (CLUSTER_OPTIONS.radius / EXTENT))} m), count + status mix per cell and county`
                : 'every site in the tile + buffer: id, county, status, category';
            rows.push(viewRow(figure, size, tiles, answer, `${how}; pg over the unix socket, bytea read whole; extent ${EXTENT}, buffer ${BUFFER}`));
          }
          log(`peer tiles ${size}, ${view.name}: done`);
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    await cluster?.stop();
  }
  if (cluster) rows.push({ figure: 'peer: PostGIS version', size: '—', median: '—', runs: '—', target: NO_TARGET, met: '—', notes: cluster.version });
  return rows;
}
