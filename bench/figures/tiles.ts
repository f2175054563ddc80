// Tile serving from registered basemaps: a ~100 MB PMTiles and a ~100 MB MBTiles (seeded synthetic
// tiles over Luohe, z10–z14), read through the real server (GET /api/basemaps/ID/tiles/z/x/y, one
// request at a time and 8 at a time over kept-alive connections) beside reading the same tiles
// in-process from the file (server/basemaps/tile-archive.ts) — the server's own cost per tile.
import { mkdirSync, statSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { bootDatabase, basemapFolder } from '../../server/bootstrap.ts';
import { openDatabase } from '../../server/db/database.ts';
import { openArchive } from '../../server/basemaps/tile-archive.ts';
import { tileAt } from '../../server/basemaps/check-archive.ts';
import { insertBasemap } from '../../server/services/basemaps.ts';
import { Random } from '../../domain/random.ts';
import { LUOHE_BOUNDS, writeMbtiles, writePmtiles, type TileBytes } from '../../tests/helpers/tile-archives.ts';
import type { BenchContext } from '../lib/context.ts';
import { formatBytes, formatCount, formatMs, median, verdict, type Row } from '../lib/measure.ts';
import { httpGet, startServer } from '../lib/server-process.ts';
import { benchSession } from '../lib/session.ts';

const TARGET_RATIO = 0.7;
const SAMPLES = 1500;
const CONCURRENCY = 8;

/** Tiles over Luohe z10–z14 whose bytes are seeded noise behind a PNG signature, 16–80 KB each (~100 MB). */
function syntheticTiles(seed: number): TileBytes[] {
  const random = new Random(seed);
  const tiles: TileBytes[] = [];
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let z = 10; z <= 14; z++) {
    const [x0, y0] = tileAt(LUOHE_BOUNDS[0], LUOHE_BOUNDS[3], z);
    const [x1, y1] = tileAt(LUOHE_BOUNDS[2], LUOHE_BOUNDS[1], z);
    for (let x = x0; x <= x1; x++)
      for (let y = y0; y <= y1; y++) {
        const data = Buffer.alloc(random.int(16, 80) * 1024);
        for (let i = 0; i < data.length; i += 4) data.writeUInt32LE((random.next() * 2 ** 32) >>> 0, i);
        signature.copy(data);
        tiles.push({ z, x, y, data });
      }
  }
  return tiles;
}

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
  return performance.now() - started;
}

export async function tiles(context: BenchContext): Promise<Row[]> {
  const { resources, root, log } = context;
  const dbPath = join(resources.dir, 'tiles.sqlite');
  bootDatabase(dbPath, { demo: false }).db.close();
  const folder = basemapFolder(dbPath);
  mkdirSync(folder, { recursive: true });
  log('tiles: writing ~100 MB PMTiles and MBTiles (seeded; not timed)');
  const all = syntheticTiles(20260301);
  const bytes = all.reduce((sum, t) => sum + t.data.length, 0);
  writePmtiles(join(folder, 'bench-pm.pmtiles'), { format: 'png', tiles: all, name: 'bench', bounds: LUOHE_BOUNDS });
  writeMbtiles(join(folder, 'bench-mb.mbtiles'), { format: 'png', tiles: all, name: 'bench', bounds: LUOHE_BOUNDS });
  const db = openDatabase(dbPath);
  for (const [id, format] of [
    ['bench-pm', 'pmtiles'],
    ['bench-mb', 'mbtiles'],
  ] as const)
    insertBasemap(
      db,
      {
        id,
        name: id,
        file: `${id}.${format}`,
        format,
        tileFormat: 'png',
        schema: null,
        crs: 'wgs84',
        attribution: 'bench',
        minZoom: 10,
        maxZoom: 14,
        bounds: LUOHE_BOUNDS,
        bytes: statSync(join(folder, `${id}.${format}`)).size,
        addedBy: 'bench',
        addedAt: new Date().toISOString(),
      },
      { actor: 'bench', role: null, address: 'local' },
    );
  db.close();
  const token = benchSession(dbPath);
  const server = await startServer(resources, { root, database: dbPath, demo: false });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const release = resources.hold(() => agent.destroy());
  const random = new Random(7);
  const sample = Array.from({ length: SAMPLES }, () => random.pick(all));
  const rows: Row[] = [];
  try {
    for (const [id, format] of [
      ['bench-pm', 'PMTiles'],
      ['bench-mb', 'MBTiles'],
    ] as const) {
      const file = join(folder, `${id}.${format === 'PMTiles' ? 'pmtiles' : 'mbtiles'}`);
      const size = `${formatCount(all.length)} tiles, ${formatBytes(statSync(file).size)}`;
      const get = async (t: TileBytes) => {
        const result = await httpGet(server.port, `/api/basemaps/${id}/tiles/${t.z}/${t.x}/${t.y}`, { agent, headers: { Authorization: `Bearer ${token}` } });
        if (result.status !== 200 || result.body.length !== t.data.length)
          throw new Error(`tile ${t.z}/${t.x}/${t.y}: ${result.status}, ${result.body.length} bytes`);
        return result.ms;
      };
      const archive = await openArchive(file);
      try {
        const read = async (t: TileBytes) => {
          const started = performance.now();
          const tile = await archive.tile(t.z, t.x, t.y);
          if (tile?.data.length !== t.data.length) throw new Error(`tile ${t.z}/${t.x}/${t.y} read wrong`);
          return performance.now() - started;
        };
        for (const t of sample.slice(0, 200)) await get(t); // warm-up: connections, page cache
        for (const t of sample.slice(0, 200)) await read(t);
        const httpOne: number[] = [];
        for (const t of sample) httpOne.push(await get(t));
        const fileOne: number[] = [];
        for (const t of sample) fileOne.push(await read(t));
        const httpMs = await pool(sample, CONCURRENCY, async (t) => void (await get(t)));
        const fileMs = await pool(sample, CONCURRENCY, async (t) => void (await read(t)));
        const httpRate = (sample.length / httpMs) * 1000;
        const fileRate = (sample.length / fileMs) * 1000;
        const ratio = httpRate / fileRate;
        log(
          `tiles ${format}: HTTP ${formatMs(median(httpOne))}/tile, ${formatCount(httpRate)} tiles/s; file ${formatMs(median(fileOne))}/tile, ${formatCount(fileRate)} tiles/s; ${ratio.toFixed(2)}×`,
        );
        rows.push({
          figure: `basemap tiles — ${format}: GET /api/basemaps/ID/tiles/z/x/y vs the file in-process`,
          size,
          median: formatMs(median(httpOne)),
          runs: String(sample.length),
          target: `≥ ${TARGET_RATIO}× in-process tiles/s`,
          met: verdict(ratio >= TARGET_RATIO),
          notes: `HTTP ${formatCount(httpRate)} tiles/s (${CONCURRENCY} at a time, keep-alive, bearer session) vs in-process ${formatMs(median(fileOne))}/tile, ${formatCount(fileRate)} tiles/s = ${ratio.toFixed(2)}×; ${formatBytes(bytes / all.length)} mean tile, z10–14, seeded random samples`,
        });
      } finally {
        await archive.close();
      }
    }
  } finally {
    await release();
    await server.stop();
  }
  return rows;
}
