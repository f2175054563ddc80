// Offline basemaps: `npm run basemap` registers PMTiles and MBTiles archives (raster and vector),
// refuses broken or unsuitable ones saying why and leaving nothing behind, and the API serves their
// tiles (MBTiles' TMS rows flipped to XYZ) with ETags, and a PMTiles file by range.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { PMTiles } from 'pmtiles';
import { bootTestApp, type Harness } from './helpers/app.ts';
import { addBasemap, basemapCli } from './helpers/basemap-cli.ts';
import { LUOHE_BOUNDS, rasterTiles, vectorTiles, writeMbtiles, writePmtiles, type TileBytes } from './helpers/tile-archives.ts';
import { basemapFolder } from '../server/bootstrap.ts';

const dir = mkdtempSync(join(tmpdir(), 'sansan-basemaps-'));
const dbPath = join(dir, 'sansan.db');
const file = (name: string) => join(dir, name);
let raster: TileBytes[] = [];
let h: Harness;

interface ConfigJson {
  basemaps: { id: string; name: string; tiles: string[]; crs: string; kind: string; schema?: string; minZoom?: number; maxZoom?: number }[];
  defaultBasemap: string | null;
}

beforeAll(() => {
  bootTestApp({ path: dbPath }).db.close();
  raster = rasterTiles({ minZoom: 8, maxZoom: 12, seed: 3 });
  writeMbtiles(file('luohe-raster.mbtiles'), { format: 'png', tiles: raster, name: '漯河栅格', bounds: LUOHE_BOUNDS, attribution: '测试底图' });
  writePmtiles(file('luohe-raster.pmtiles'), { format: 'png', tiles: raster, name: '漯河栅格 PM', bounds: LUOHE_BOUNDS });
  const protomaps = vectorTiles('protomaps', 8, 12);
  writePmtiles(file('luohe-protomaps.pmtiles'), {
    format: 'mvt',
    tiles: protomaps.tiles,
    name: 'Protomaps',
    bounds: LUOHE_BOUNDS,
    vectorLayers: protomaps.layers,
  });
  const omt = vectorTiles('openmaptiles', 8, 12);
  writeMbtiles(file('luohe-omt.mbtiles'), { format: 'mvt', tiles: omt.tiles, name: 'OpenMapTiles', bounds: LUOHE_BOUNDS, vectorLayers: omt.layers });
  const other = vectorTiles('other', 8, 12);
  writeMbtiles(file('other-schema.mbtiles'), { format: 'mvt', tiles: other.tiles, name: 'x', bounds: LUOHE_BOUNDS, vectorLayers: other.layers });
  writeMbtiles(file('shallow.mbtiles'), { format: 'png', tiles: raster.filter((t) => t.z <= 10), name: 'shallow', bounds: LUOHE_BOUNDS });
  writeMbtiles(file('beijing.mbtiles'), { format: 'png', tiles: raster, name: 'elsewhere', bounds: [116.2, 39.8, 116.6, 40.1] });
  writeMbtiles(file('fake-png.mbtiles'), {
    format: 'png',
    tiles: raster.map((t) => ({ ...t, data: Buffer.from('not a png at all') })),
    name: 'fake',
    bounds: LUOHE_BOUNDS,
  });
  writeFileSync(file('page.mbtiles'), '<html>not a tile archive</html>');
}, 120_000);

afterAll(() => {
  h?.db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run basemap', () => {
  it('prints its usage on --help and exits 0', () => {
    const result = basemapCli(dbPath, '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('add FILE');
    expect(result.stdout).toContain('--crs');
  });

  it.each([
    ['page.mbtiles', [], '不是 PMTiles 或 MBTiles 文件 not a PMTiles or MBTiles file'],
    ['other-schema.mbtiles', [], '矢量瓦片的图层（parcels, streets）既不是 Protomaps 也不是 OpenMapTiles 结构 the vector layers (parcels, streets)'],
    ['shallow.mbtiles', [], '最大缩放级别只有 10'],
    ['beijing.mbtiles', [], '不覆盖漯河市'],
    ['fake-png.mbtiles', [], '瓦片内容不是所声明的 PNG 图像'],
    ['luohe-raster.mbtiles', ['--crs', 'bd09'], '--crs: “bd09”应为 wgs84 或 gcj02'],
    ['missing.pmtiles', [], '没有这个文件 no such file'],
  ])('refuses %s saying why, and changes nothing', { timeout: 120_000 }, (name, options, reason) => {
    const result = basemapCli(dbPath, 'add', file(name), ...options);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(reason);
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM basemaps').get()).toEqual({ n: 0 });
    db.close();
    expect(existsSync(basemapFolder(dbPath)) ? readdirSync(basemapFolder(dbPath)) : []).toEqual([]);
  });

  it('adds raster and vector archives of both formats, lists them and sets the default', () => {
    expect(addBasemap(dbPath, file('luohe-raster.mbtiles'), '--id', 'raster-mb', '--name', '漯河影像')).toContain('raster png, zoom 8–12, wgs84');
    expect(addBasemap(dbPath, file('luohe-raster.pmtiles'), '--id', 'raster-pm', '--crs', 'gcj02')).toContain('pmtiles raster png');
    expect(addBasemap(dbPath, file('luohe-protomaps.pmtiles'), '--id', 'pm-vector')).toContain('vector protomaps');
    expect(addBasemap(dbPath, file('luohe-omt.mbtiles'), '--id', 'omt-vector', '--attribution', '© 本单位测绘')).toContain('vector openmaptiles');
    const again = basemapCli(dbPath, 'add', file('luohe-omt.mbtiles'), '--id', 'omt-vector');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('已有底图 omt-vector');
    expect(basemapCli(dbPath, 'default', 'raster-mb').status).toBe(0);
    const list = basemapCli(dbPath, 'list').stdout.trim().split('\n');
    expect(list.map((line) => line.slice(2).split(/\s+/)[0])).toEqual(['raster-mb', 'raster-pm', 'pm-vector', 'omt-vector']);
    expect(list[0]).toMatch(/^\* raster-mb\s+漯河影像/);
    expect(readdirSync(basemapFolder(dbPath)).sort()).toEqual(['omt-vector.mbtiles', 'pm-vector.pmtiles', 'raster-mb.mbtiles', 'raster-pm.pmtiles']);
    // Seven runs of the CLI (each starts Node and tsx): minutes on a loaded 2-core machine.
  }, 240_000);
});

describe('the basemap API', () => {
  beforeAll(() => {
    h = bootTestApp({ path: dbPath });
  });

  it('lists the registered archives in /api/config with their kind, schema, system and default', async () => {
    const config = (await h.get<ConfigJson>('/api/config')).body;
    expect(config.defaultBasemap).toBe('raster-mb');
    expect(config.basemaps.map((b) => [b.id, b.kind, b.schema ?? null, b.crs, b.minZoom, b.maxZoom])).toEqual([
      ['raster-mb', 'raster', null, 'wgs84', 8, 12],
      ['raster-pm', 'raster', null, 'gcj02', 8, 12],
      ['pm-vector', 'vector', 'protomaps', 'wgs84', 8, 12],
      ['omt-vector', 'vector', 'openmaptiles', 'wgs84', 8, 12],
    ]);
    expect(config.basemaps[0]!.tiles).toEqual(['/api/basemaps/raster-mb/tiles/{z}/{x}/{y}']);
    expect(config.basemaps[0]!.name).toBe('漯河影像');
  });

  it('serves the tile written at z/x/y from MBTiles (TMS rows flipped) and PMTiles alike, with an ETag', async () => {
    const tile = raster.find((t) => t.z === 11)!;
    for (const id of ['raster-mb', 'raster-pm']) {
      const response = await h.request(`/api/basemaps/${id}/tiles/${tile.z}/${tile.x}/${tile.y}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
      expect(Buffer.from(await response.arrayBuffer()).equals(tile.data)).toBe(true);
      const etag = response.headers.get('etag')!;
      expect(etag).toMatch(/^".+"$/);
      expect((await h.request(`/api/basemaps/${id}/tiles/${tile.z}/${tile.x}/${tile.y}`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    }
    // Outside the archive: no content (MapLibre draws nothing there), not an error.
    expect((await h.request('/api/basemaps/raster-mb/tiles/12/0/0')).status).toBe(204);
    expect((await h.request('/api/basemaps/raster-mb/tiles/3/9/0')).status).toBe(400);
    expect((await h.request('/api/basemaps/nothing/tiles/3/1/1')).status).toBe(404);
    expect((await h.anonymous.request(`/api/basemaps/raster-mb/tiles/${tile.z}/${tile.x}/${tile.y}`)).status).toBe(401);
  });

  it('serves vector tiles as MVT (gzip-encoded from MBTiles, plain from PMTiles)', async () => {
    const pm = await h.request('/api/basemaps/pm-vector/tiles/10/836/410');
    expect(pm.status).toBe(200);
    expect(pm.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    expect(pm.headers.get('content-encoding')).toBeNull();
    const omt = await h.request('/api/basemaps/omt-vector/tiles/10/836/410');
    expect(omt.status).toBe(200);
    expect(omt.headers.get('content-encoding')).toBe('gzip');
  });

  it('serves a PMTiles file by HTTP range, readable by the pmtiles library', async () => {
    const url = '/api/basemaps/raster-pm/archive.pmtiles';
    const head = await h.request(url, { headers: { Range: 'bytes=0-126' } });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toMatch(/^bytes 0-126\/\d+$/);
    expect(
      Buffer.from(await head.arrayBuffer())
        .subarray(0, 7)
        .toString(),
    ).toBe('PMTiles');
    const reader = new PMTiles({
      getKey: () => url,
      getBytes: async (offset: number, length: number) => {
        const part = await h.request(url, { headers: { Range: `bytes=${offset}-${offset + length - 1}` } });
        return { data: await part.arrayBuffer() };
      },
    });
    const tile = raster.find((t) => t.z === 12)!;
    const read = await reader.getZxy(tile.z, tile.x, tile.y);
    expect(Buffer.from(read!.data).equals(tile.data)).toBe(true);
    expect((await h.request(url, { headers: { Range: 'bytes=999999999-' } })).status).toBe(416);
    expect((await h.request('/api/basemaps/raster-mb/archive.pmtiles')).status).toBe(404);
  });

  it('remove deletes the record and the file; default none goes back to the offline map', async () => {
    expect(basemapCli(dbPath, 'remove', 'omt-vector').status).toBe(0);
    expect(readdirSync(basemapFolder(dbPath))).not.toContain('omt-vector.mbtiles');
    expect(basemapCli(dbPath, 'default', 'none').status).toBe(0);
    const config = (await h.get<ConfigJson>('/api/config')).body;
    expect(config.defaultBasemap).toBeNull();
    expect(config.basemaps.map((b) => b.id)).toEqual(['raster-mb', 'raster-pm', 'pm-vector']);
    const audit = h.db.all<{ action: string; target: string }>("SELECT action, target FROM audit_log WHERE action LIKE 'basemap.%' ORDER BY id");
    expect(audit.map((a) => a.action)).toEqual([
      'basemap.add',
      'basemap.add',
      'basemap.add',
      'basemap.add',
      'basemap.default',
      'basemap.remove',
      'basemap.default',
    ]);
  }, 120_000);
});
