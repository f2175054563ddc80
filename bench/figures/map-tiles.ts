// The server's tile answer beside in-process supercluster on the same tile, like with like (#17: "a
// tile or view answer at 10^6 within 2× of in-process supercluster.getTile/getClusters on the same
// index"). One set of tiles (those covering the page's first view and 40 seeded pan/zoom views) is
// answered by (a) supercluster itself — one index per county over the store's own rows, getTile and
// getClusters over the tile's bbox —, (b) the store in process (MapIndexes.tile: county-bounded
// clusters, status mix, expansion zoom, the tile's JSON text), and (c) the real server through HTTP,
// first asked (computed on the map thread) and asked again (its bytes kept). Also the server's RSS at
// rest after start-up and its peak while serving those tiles.
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { loadavg } from 'node:os';
import { COUNTY_CLUSTER_MAX_ZOOM, tileBbox, tilesCovering } from '../../domain/cluster-index.ts';
import { COUNTED_STATUSES } from '../../domain/statuses.ts';
import Database from 'better-sqlite3';
import { Db } from '../../server/db/database.ts';
import { DEFAULT_MAP_FILTERS } from '../../server/routes/map-sites.ts';
import { MapIndexes } from '../../server/store/map-index.ts';
import { mapSitesVersion, readMapSites } from '../../server/store/map-sites.ts';
import type { BenchContext } from '../lib/context.ts';
import { formatBytes, formatMs, formatSize, median, verdict, type Row } from '../lib/measure.ts';
import { httpGet, startServer } from '../lib/server-process.ts';
import { benchSession } from '../lib/session.ts';
import { FIRST_ANSWER_MS, INITIAL_VIEW, panZoomViews, p95, viewportBbox } from './cluster.ts';
import { buildCountyIndexes } from './peer-tiles.ts';

type Tile = { z: number; x: number; y: number };
const RSS_IDLE_TARGET = 1024 ** 3;
const RSS_SERVING_TARGET = 200 * 1024 ** 2;

/** Distinct tiles of the first view and of 40 seeded pan/zoom views (zoom 9–15), in asking order. */
export function benchTiles(): Tile[] {
  const seen = new Set<string>();
  const tiles: Tile[] = [];
  for (const view of [INITIAL_VIEW, ...panZoomViews(40)]) {
    const z = Math.floor(view.zoom);
    for (const { x, y } of tilesCovering(viewportBbox(view.center, view.zoom), z))
      if (!seen.has(`${z}/${x}/${y}`)) {
        seen.add(`${z}/${x}/${y}`);
        tiles.push({ z, x, y });
      }
  }
  return tiles;
}

/** Resident set of a process (Linux /proc), bytes. */
export function rssOf(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Number(line[1]) * 1024 : NaN;
}

/** Times `work` on every tile `rounds` times after one untimed round; per-tile times of the timed rounds. */
function timeTiles(tiles: readonly Tile[], rounds: number, work: (tile: Tile) => unknown): number[] {
  for (const tile of tiles) work(tile);
  const times: number[] = [];
  for (let round = 0; round < rounds; round++)
    for (const tile of tiles) {
      const started = performance.now();
      work(tile);
      times.push(performance.now() - started);
    }
  return times;
}

const load = () => loadavg()[0]!.toFixed(1);
const spread = (times: readonly number[]) => `median ${formatMs(median(times))}, p95 ${formatMs(p95(times))}`;

export async function mapTiles(context: BenchContext, size: number): Promise<Row[]> {
  const { root, resources, log } = context;
  const database = context.fixtures.syntheticDatabase(size);
  const tiles = benchTiles();
  const sizeText = formatSize(size);
  const zooms = `${tiles.length} tiles, z ${Math.min(...tiles.map((t) => t.z))}–${Math.max(...tiles.map((t) => t.z))}`;
  const rounds = size >= 1_000_000 ? 3 : 5;

  // (a) In process, on the same rows the server's store reads: supercluster alone, then the store.
  const db = new Db(new Database(database, { readonly: true, fileMustExist: true }));
  let storeTimes: number[];
  let getTileTimes: number[];
  let getClustersTimes: number[];
  let tileBytes = 0;
  try {
    const counted = new Set<string>(COUNTED_STATUSES);
    const sites = readMapSites(db, {}).sites.filter((site) => counted.has(site.status));
    const raw = buildCountyIndexes(sites);
    const indexes = new MapIndexes(db);
    indexes.warm(DEFAULT_MAP_FILTERS);
    log(`map tiles ${size}: ${sites.length} sites, ${raw.size} county indexes; ${zooms}`);
    getTileTimes = timeTiles(tiles, rounds, ({ z, x, y }) => {
      for (const index of raw.values()) index.getTile(z, x, y);
    });
    getClustersTimes = timeTiles(tiles, rounds, ({ z, x, y }) => {
      const bbox = tileBbox(z, x, y);
      for (const index of raw.values()) index.getClusters(bbox, z);
    });
    // With the data version the caller read, as the server's worker is always asked (MapTiles reads it once per request).
    const version = mapSitesVersion(db);
    storeTimes = timeTiles(tiles, rounds, ({ z, x, y }) => (tileBytes = indexes.tile(DEFAULT_MAP_FILTERS, z, x, y, version).body.length));
  } finally {
    db.close();
  }
  const ratioTile = median(storeTimes) / median(getTileTimes);
  // The tiles past COUNTY_CLUSTER_MAX_ZOOM alone (those up to it come from per-county counts, not the index).
  const past = (times: readonly number[]) => times.filter((_, i) => tiles[i % tiles.length]!.z > COUNTY_CLUSTER_MAX_ZOOM);
  const ratioPast = median(past(storeTimes)) / median(past(getTileTimes));
  const ratioClusters = median(storeTimes) / median(getClustersTimes);
  const total = (times: readonly number[]) => times.reduce((a, b) => a + b, 0);
  const ratioTotal = total(storeTimes) / total(getTileTimes);
  log(`map tiles ${size}: store ${spread(storeTimes)}; getTile ${spread(getTileTimes)}; getClusters ${spread(getClustersTimes)}`);

  // (b) The same tiles through HTTP from the real server (its default view warmed at start-up).
  const server = await startServer(resources, { root, database, demo: false });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const headers = { Authorization: `Bearer ${benchSession(database)}` };
  const query = `status=${COUNTED_STATUSES.join(',')}`;
  const first: number[] = [];
  const again: number[] = [];
  let idle: number;
  let afterStart: number;
  let peak = 0;
  try {
    const summary = await httpGet(server.port, '/api/map/sites', { agent, headers, timeoutMs: FIRST_ANSWER_MS });
    const { version } = JSON.parse(summary.body.toString()) as { version: number };
    const get = async ({ z, x, y }: Tile) => {
      const answer = await httpGet(server.port, `/api/map/sites/${version}/${z}/${x}/${y}?${query}`, { agent, headers });
      if (answer.status !== 200) throw new Error(`tile ${z}/${x}/${y} answered ${answer.status}: ${answer.body.toString().slice(0, 200)}`);
      peak = Math.max(peak, rssOf(server.pid));
      return answer.ms;
    };
    // At rest: start-up done and the first view's index built, then a pause. Tiles up to
    // COUNTY_CLUSTER_MAX_ZOOM come from the counts thread and do not wait for the index; a tile past it
    // waits for the counties it meets only (the warm-up builds the rest after it), so the tiles asked
    // first are those of the next zoom over the whole city: together they meet every county.
    afterStart = rssOf(server.pid);
    const z = COUNTY_CLUSTER_MAX_ZOOM + 1;
    const cityTiles = tilesCovering([113.3, 33.3, 114.4, 34.1], z).map(({ x, y }) => ({ z, x, y }));
    for (const tile of cityTiles) await get(tile);
    const asked = new Set(cityTiles.map((tile) => `${tile.z}/${tile.x}/${tile.y}`));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    idle = rssOf(server.pid);
    peak = idle;
    for (const tile of tiles) if (!asked.has(`${tile.z}/${tile.x}/${tile.y}`)) first.push(await get(tile));
    for (let round = 0; round < rounds; round++) for (const tile of tiles) again.push(await get(tile));
  } finally {
    agent.destroy();
    await server.stop();
  }
  const ratioHttp = median(again) / median(getTileTimes);
  log(`map tiles ${size}: HTTP first ${spread(first)}, again ${spread(again)}; RSS idle ${formatBytes(idle)}, peak ${formatBytes(peak)}`);

  const row = (figure: string, times: readonly number[], target: string, met: boolean | null, notes: string): Row => ({
    figure,
    size: sizeText,
    median: formatMs(median(times)),
    runs: String(times.length),
    target,
    met: verdict(met),
    notes: `${notes}; ${zooms} (first view + 40 seeded pan/zoom views); load ${load()}`,
  });
  return [
    row(
      'map tile: supercluster getTile per county index (in-process)',
      getTileTimes,
      '—',
      null,
      `${spread(getTileTimes)}; the store's rows, one supercluster per county (radius 60, maxZoom 15)`,
    ),
    row('map tile: supercluster getClusters over the tile bbox (in-process)', getClustersTimes, '—', null, `${spread(getClustersTimes)}; same indexes`),
    row(
      'map tile: MapSiteStore tile answer (MapIndexes.tile, in-process, computed each time)',
      storeTimes,
      '≤ 2× getTile',
      ratioTile <= 2 && ratioPast <= 2,
      `${spread(storeTimes)}; ${ratioTile.toFixed(2)}× getTile, ${ratioClusters.toFixed(2)}× getClusters (median), ${ratioTotal.toFixed(2)}× getTile over all tiles, ${ratioPast.toFixed(2)}× getTile (median) past z ${COUNTY_CLUSTER_MAX_ZOOM} (the index's tiles; up to it one cluster per county from counts); county-bounded clusters with status mix, expansion zoom, inTile, JSON text (last ${formatBytes(tileBytes)})`,
    ),
    row(
      'map tile: GET /api/map/sites/{v}/{z}/{x}/{y}, first asked (HTTP)',
      first,
      '—',
      null,
      `${spread(first)}; computed on the map thread, then kept as bytes; one kept-alive socket`,
    ),
    row(
      'map tile: the same tiles asked again (HTTP)',
      again,
      '≤ 2× getTile',
      ratioHttp <= 2,
      `${spread(again)}; ${ratioHttp.toFixed(2)}× getTile (median); bytes kept by (version, filters, z/x/y), no worker round trip`,
    ),
    {
      figure: 'map server RSS: at rest after start-up / peak while serving those tiles',
      size: sizeText,
      median: `${formatBytes(idle)} / ${formatBytes(peak)}`,
      runs: '1',
      target: '≤ 1 GB at rest, ≤ +200 MB serving',
      met: verdict(idle <= RSS_IDLE_TARGET && peak - idle <= RSS_SERVING_TARGET),
      notes: `VmRSS of the server process (request thread + map threads); at rest = 2 s after the z ${COUNTY_CLUSTER_MAX_ZOOM + 1} tiles over the city answered (every county of the first view's index built; ${formatBytes(afterStart)} right after the first /api/map/sites, before it); serving +${formatBytes(peak - idle)}; load ${load()}`,
    },
  ];
}
