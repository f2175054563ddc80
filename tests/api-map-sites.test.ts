// The map's cluster tiles (GET /api/map/sites/{version}/{z}/{x}/{y}): every tile of a zoom together
// holds each located site once, so the clusters' totals per county equal /api/counties?located=true
// under every filter — on the demo data (in-memory: indexes on the request thread) and on a 10^5
// synthetic database file (indexes on the map's worker thread). A write raises the version and shows
// in the next tiles.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTY_CLUSTER_MAX_ZOOM, tilesCovering } from '../domain/cluster-index.ts';
import { bootDatabase } from '../server/bootstrap.ts';
import { createApp } from '../server/app.ts';
import type { Db } from '../server/db/database.ts';
import { closeMapPool, mapSiteStore } from '../server/store/map-site-store.ts';
import { countSitesByCounty, type CountRow } from '../server/store/site-queries.ts';
import { mapSitesVersion } from '../server/store/map-sites.ts';
import { listCountyRows } from '../server/store/county-store.ts';
import type { SiteFilters } from '../server/store/site-filters.ts';
import { COMPRESS_MIN_BYTES, EncodedBody, FAST_BROTLI_QUALITY, SYNC_COMPRESS_MAX_BYTES } from '../server/store/response-cache.ts';
import { createLogger } from '../server/ops/log.ts';
import { generateSites, loadSites, readGeography } from '../bench/synthetic.ts';
import { signInUser, TODAY } from './helpers/app.ts';

/** Luohe and a margin: every site lies inside. */
const CITY = [113.2, 33.2, 114.6, 34.2] as const;

interface Server {
  db: Db;
  get(path: string, extra?: Record<string, string>): Promise<Response>;
  post(path: string, body: unknown): Promise<Response>;
}

function serve(path: string, demo: boolean): Server {
  const { db, ctx } = bootDatabase(path, { demo, today: () => TODAY });
  const app = createApp(ctx);
  const token = signInUser(db, ctx.countyCodes, 'admin', 'admin', [], ctx.sessions);
  const headers = { Authorization: `Bearer ${token}` };
  return {
    db,
    get: (url, extra = {}) => Promise.resolve(app.request(url, { headers: { ...headers, ...extra } })),
    post: (url, body) =>
      Promise.resolve(app.request(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) })),
  };
}

type Query = Record<string, string>;
interface TileFeature {
  geometry: { coordinates: [number, number] };
  properties: { county: string; cluster: boolean; count: number; statusCounts: number[]; expansionZoom: number | null; siteId: number | null };
}

async function json<T>(response: Response): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

async function version(server: Server, query: Query = {}): Promise<number> {
  return (await json<{ version: number }>(await server.get(`/api/map/sites?${new URLSearchParams(query)}`))).version;
}

/** Every feature of the tiles covering the city at zoom z. */
async function tileFeatures(server: Server, z: number, query: Query = {}): Promise<TileFeature[]> {
  const v = await version(server, query);
  const features: TileFeature[] = [];
  for (const { x, y } of tilesCovering(CITY, z)) {
    const tile = await json<{ version: number; features: TileFeature[] }>(await server.get(`/api/map/sites/${v}/${z}/${x}/${y}?${new URLSearchParams(query)}`));
    expect(tile.version).toBe(v);
    features.push(...tile.features);
  }
  return features;
}

function totals(features: readonly TileFeature[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const f of features) sums[f.properties.county] = (sums[f.properties.county] ?? 0) + f.properties.count;
  return sums;
}

async function countyTotals(server: Server, query: Query): Promise<Record<string, number>> {
  const counties = await json<{ features: { properties: { code: string; sites: number } }[] }>(
    await server.get(`/api/counties?${new URLSearchParams({ ...query, located: 'true' })}`),
  );
  return Object.fromEntries(counties.features.filter((f) => f.properties.sites > 0).map((f) => [f.properties.code, f.properties.sites]));
}

const FILTERS: { name: string; query: Query }[] = [
  { name: 'no filter', query: {} },
  { name: 'a status filter', query: { status: 'closed,relapsed' } },
  { name: 'a category filter', query: { category: 'sand_yard,scattered_firm' } },
  { name: 'an asOf date', query: { asOf: '2021-06-30' } },
];

function checkTotals(server: () => Server, zooms: readonly number[]) {
  for (const { name, query } of FILTERS)
    it(`cluster totals per county equal /api/counties under ${name}`, async () => {
      const expected = await countyTotals(server(), query);
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      for (const z of zooms) expect(totals(await tileFeatures(server(), z, query)), `zoom ${z}`).toEqual(expected);
    });
}

describe('map tiles on the demo data', () => {
  let server: Server;
  beforeAll(() => {
    server = serve(':memory:', true);
  });
  afterAll(() => server.db.close());

  checkTotals(() => server, [7, 10, 13]);

  it('gives clusters their status mix and the zoom a click flies to', async () => {
    for (const z of [COUNTY_CLUSTER_MAX_ZOOM, COUNTY_CLUSTER_MAX_ZOOM + 1]) {
      const features = await tileFeatures(server, z);
      const clusters = features.filter((f) => f.properties.cluster);
      expect(clusters.length).toBeGreaterThan(0);
      for (const cluster of clusters) {
        expect(cluster.properties.statusCounts.reduce((a, b) => a + b, 0)).toBe(cluster.properties.count);
        expect(cluster.properties.expansionZoom).toBeGreaterThan(z);
      }
      // The county filter keeps only that county's clusters.
      const one = await tileFeatures(server, z, { county: '411102' });
      expect(new Set(one.map((f) => f.properties.county))).toEqual(new Set(['411102']));
    }
  });

  it('draws each county as one cluster at the city’s zooms, at its sites’ mean position, with its total and status mix', async () => {
    const query = { status: 'discovered,closed' };
    const expected = await countyTotals(server, query);
    const sites = await json<{ features: { geometry: { coordinates: [number, number] }; properties: { county: string } }[] }>(
      await server.get('/api/sites?located=true&status=discovered,closed&limit=100000'),
    );
    const mean = (county: string) => {
      const mine = sites.features.filter((f) => f.properties.county === county).map((f) => f.geometry.coordinates);
      return [mine.reduce((a, c) => a + c[0], 0) / mine.length, mine.reduce((a, c) => a + c[1], 0) / mine.length];
    };
    for (const z of [COUNTY_CLUSTER_MAX_ZOOM - 1, COUNTY_CLUSTER_MAX_ZOOM]) {
      const features = await tileFeatures(server, z, query);
      expect(features.map((f) => f.properties.county).sort(), `zoom ${z}`).toEqual(Object.keys(expected).sort());
      for (const feature of features) {
        expect(feature.properties).toMatchObject({ cluster: true, count: expected[feature.properties.county], expansionZoom: COUNTY_CLUSTER_MAX_ZOOM + 1 });
        const [lon, lat] = mean(feature.properties.county);
        expect(feature.geometry.coordinates[0]).toBeCloseTo(lon!, 9);
        expect(feature.geometry.coordinates[1]).toBeCloseTo(lat!, 9);
        // Only the two statuses asked for (STATUS_CODES order: discovered, rectifying, closed).
        expect(feature.properties.statusCounts.slice(3).every((n) => n === 0)).toBe(true);
        expect(feature.properties.statusCounts[0]! + feature.properties.statusCounts[2]!).toBe(feature.properties.count);
      }
    }
    // The next zoom: supercluster's clusters, several per county.
    expect((await tileFeatures(server, COUNTY_CLUSTER_MAX_ZOOM + 1)).length).toBeGreaterThan(Object.keys(expected).length);
  });

  it('leaves out the sites the map draws apart, and draws only those an analysis names', async () => {
    const sites = await json<{ features: { properties: { id: number; county: string } }[] }>(await server.get('/api/sites?located=true&status=closed&limit=3'));
    const ids = sites.features.map((f) => f.properties.id);
    expect(ids).toHaveLength(3);
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    // At a zoom of supercluster's clusters and at one of county clusters.
    for (const z of [12, COUNTY_CLUSTER_MAX_ZOOM]) {
      const all = totals(await tileFeatures(server, z));
      const without = totals(await tileFeatures(server, z, { exclude: ids.join(',') }));
      expect(sum(all) - sum(without), `zoom ${z}`).toBe(3);
      const only = await tileFeatures(server, z, { only: ids.join(',') });
      expect(sum(totals(only)), `zoom ${z}`).toBe(3);
      expect(totals(only)).toEqual(totals(sites.features.map((f) => ({ properties: { county: f.properties.county, count: 1 } }) as TileFeature)));
    }
  });

  it('shows a new site and a status move in the next tiles, under a new version', async () => {
    const before = await version(server);
    const beforeTotals = totals(await tileFeatures(server, 10));
    const created = await json<{ properties: { id: number; county: string } }>(
      await server.post('/api/sites', { name: '新砂石料场（测试）', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2022-12-01' }).then((r) => {
        expect(r.status).toBe(201);
        return new Response(r.body, { status: 200 });
      }),
    );
    expect(created.properties.county).toBe('411102');
    expect(await version(server)).toBeGreaterThan(before);
    const afterTotals = totals(await tileFeatures(server, 10));
    expect(afterTotals['411102']).toBe((beforeTotals['411102'] ?? 0) + 1);

    const closedBefore = totals(await tileFeatures(server, 10, { status: 'rectifying' }));
    const moved = await server.post(`/api/sites/${created.properties.id}/events`, { to: 'rectifying', date: '2022-12-20' });
    expect(moved.status, await moved.text()).toBe(201);
    expect(totals(await tileFeatures(server, 10, { status: 'rectifying' }))['411102']).toBe((closedBefore['411102'] ?? 0) + 1);
  });

  it('refuses a tile outside its zoom and too many ids, naming the parameter', async () => {
    const v = await version(server);
    const outside = await server.get(`/api/map/sites/${v}/3/8/0`);
    expect(outside.status).toBe(400);
    expect(((await outside.json()) as { error: { details: { parameter: string } } }).error.details.parameter).toBe('x');
    const many = await server.get(`/api/map/sites/${v}/3/1/1?exclude=${Array.from({ length: 2001 }, (_, i) => i + 1).join(',')}`);
    expect(many.status).toBe(400);
    expect(((await many.json()) as { error: { details: { parameter: string; reason: string } } }).error.details).toMatchObject({
      parameter: 'exclude',
      reason: 'too_many',
    });
  });

  it('answers a kept tile’s ETag with 304, and after a write the same URL with the new data', async () => {
    const v = await version(server);
    const url = `/api/map/sites/${v}/12/3345/1641?status=discovered`;
    const first = await server.get(url);
    const etag = first.headers.get('etag')!;
    const before = ((await first.json()) as { features: TileFeature[] }).features;
    expect(etag).toBeTruthy();
    expect((await server.get(url)).headers.get('etag')).toBe(etag);
    const again = await server.get(url, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    // A new site in that tile: the URL (now of an older version) answers today's data, uncached.
    const created = await server.post('/api/sites', {
      name: '同一瓦片新增（测试）',
      category: 'sand_yard',
      lon: 114.03,
      lat: 33.58,
      discoveredOn: '2022-12-01',
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const after = await server.get(url, { 'If-None-Match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('cache-control')).toBe('no-cache');
    const features = ((await after.json()) as { features: TileFeature[] }).features;
    expect(features.reduce((n, f) => n + f.properties.count, 0)).toBe(before.reduce((n, f) => n + f.properties.count, 0) + 1);
  });

  it('sends a tile brotli-compressed at the fast level, decoding to the plain answer', async () => {
    const v = await version(server);
    let largest = { url: '', bytes: Buffer.alloc(0) };
    for (const { x, y } of tilesCovering(CITY, 10)) {
      const url = `/api/map/sites/${v}/10/${x}/${y}`;
      const bytes = Buffer.from(await (await server.get(url)).arrayBuffer());
      if (bytes.length > largest.bytes.length) largest = { url, bytes };
    }
    expect(largest.bytes.length).toBeGreaterThan(COMPRESS_MIN_BYTES);
    const br = await server.get(largest.url, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    const sent = Buffer.from(await br.arrayBuffer());
    expect(JSON.parse(brotliDecompressSync(sent).toString())).toEqual(JSON.parse(largest.bytes.toString()));
    const fast = { [constants.BROTLI_PARAM_QUALITY]: FAST_BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: largest.bytes.length };
    expect(sent.equals(brotliCompressSync(largest.bytes, { params: fast }))).toBe(true);
    // Small enough to be compressed at once on the request thread, no hop to the thread pool; other bodies still go there.
    const tile = EncodedBody.ofText(largest.bytes.toString(), undefined, FAST_BROTLI_QUALITY);
    expect(largest.bytes.length).toBeLessThanOrEqual(SYNC_COMPRESS_MAX_BYTES);
    for (const encoding of ['br', 'gzip'] as const) expect(tile.encoded(encoding)).not.toBeInstanceOf(Promise);
    expect((tile.encoded('br') as { bytes: Buffer }).bytes.equals(sent)).toBe(true);
    expect(EncodedBody.ofText(largest.bytes.toString()).encoded('br')).toBeInstanceOf(Promise);
  });

  it('marks a tile of the current version cacheable and one of an older version not', async () => {
    const v = await version(server);
    expect((await server.get(`/api/map/sites/${v}/9/420/206`)).headers.get('cache-control')).toContain('immutable');
    expect((await server.get(`/api/map/sites/${v - 1}/9/420/206`)).headers.get('cache-control')).toBe('no-cache');
  });
});

describe('map tiles on 10^5 synthetic sites (a database file: indexes on the map thread)', () => {
  let server: Server;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sansan-map-1e5-'));
    const path = join(dir, 'sansan.db');
    const { db } = bootDatabase(path, { demo: false, today: () => TODAY });
    loadSites(db, generateSites(readGeography(db), 100_000));
    db.close();
    server = serve(path, false);
  }, 180_000);
  afterAll(async () => {
    server.db.close();
    await closeMapPool();
    rmSync(dir, { recursive: true, force: true });
  });

  checkTotals(() => server, [8, 11]);

  it('counts /api/counties for a past date on the map thread, equal to a count on the request thread, and a write shows at once', async () => {
    const counted = async (query: Query) => {
      const answer = await json<{ features: { properties: { code: string; byStatus: Record<string, number>; byCategory: Record<string, number> } }[] }>(
        await server.get(`/api/counties?${new URLSearchParams(query)}`),
      );
      return Object.fromEntries(answer.features.map((f) => [f.properties.code, { byStatus: f.properties.byStatus, byCategory: f.properties.byCategory }]));
    };
    const expected = (filters: SiteFilters) => {
      const { byStatus, byCategory } = countSitesByCounty(server.db, filters);
      const pick = (rows: CountRow[], code: string) => Object.fromEntries(rows.filter((row) => row.county === code).map((row) => [row.key, row.n]));
      return Object.fromEntries(
        listCountyRows(server.db).map((row) => [row.code, { byStatus: pick(byStatus, row.code), byCategory: pick(byCategory, row.code) }]),
      );
    };
    const asOf = '2021-06-30';
    const before = await counted({ asOf, status: 'closed,relapsed' });
    expect(before).toEqual(expected({ asOf, statuses: ['closed', 'relapsed'] }));
    expect(Object.values(before).some((county) => Object.keys(county.byStatus).length > 0)).toBe(true);
    // A site rectifying on the day (as the synthetic histories have it) closed after it leaves the past
    // count alone; closed on the day it counts there.
    const site = (
      await json<{ features: { id: number; properties: { county: string; status: string; name: string } }[] }>(
        await server.get('/api/sites?status=rectifying&limit=1'),
      )
    ).features[0]!;
    const moved = await server.post(`/api/sites/${site.id}/events`, {
      to: 'closed',
      date: TODAY,
      checklist: { cutWater: true, cutPower: true, clearMaterials: true, clearEquipment: true, clearProducts: true },
    });
    expect(moved.status, await moved.text()).toBe(201);
    const today = await counted({ asOf: TODAY, status: 'closed' });
    expect(today).toEqual(expected({ asOf: TODAY, statuses: ['closed'] }));
    expect(await counted({ asOf, status: 'closed,relapsed' })).toEqual(before);
    // A text search (every name read) is counted there too.
    const word = site.properties.name.slice(0, 2);
    const found = await counted({ q: word, category: 'sand_yard,coal_point' });
    expect(found).toEqual(expected({ q: word, categories: ['sand_yard', 'coal_point'] }));
    expect(Object.values(found).some((county) => Object.keys(county.byCategory).length > 0)).toBe(true);
  });
});

describe('the as-of histories of a database file (on the counts thread)', () => {
  let server: Server;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sansan-map-asof-'));
    const path = join(dir, 'sansan.db');
    const { db } = bootDatabase(path, { demo: false, today: () => TODAY });
    loadSites(db, generateSites(readGeography(db), 20_000));
    db.close();
    server = serve(path, false);
  }, 120_000);
  afterAll(async () => {
    server.db.close();
    await closeMapPool();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are built between requests after the first as-of question, then answer /api/counties and the map summary as SQL does, also after a write', async () => {
    const store = mapSiteStore(server.db);
    const counties = async (asOf: string) => {
      const answer = await json<{ features: { properties: { code: string; byStatus: Record<string, number>; byCategory: Record<string, number> } }[] }>(
        await server.get(`/api/counties?asOf=${asOf}`),
      );
      return answer.features.map((f) => [f.properties.code, f.properties.byStatus, f.properties.byCategory]);
    };
    const summary = async (asOf: string) => (await json<{ counts: unknown }>(await server.get(`/api/map/sites?asOf=${asOf}`))).counts;
    // SQL answers first (and the question starts the build); the same dates are asked again later.
    const dates = ['2020-05-01', '2021-06-30', '2022-02-14'];
    const bySql = [];
    for (const asOf of dates) bySql.push([await counties(asOf), await summary(asOf)]);
    expect(store.asOfHeld()).toBe(-1);
    // No request meanwhile: the slices run while the counts thread waits for tasks.
    const started = Date.now();
    while (store.asOfHeld() < 0 && Date.now() - started < 60_000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.asOfHeld()).toBe(mapSitesVersion(server.db));
    // The summary cache is keyed by date and data version: a write makes both answers new.
    const site = (await json<{ features: { id: number }[] }>(await server.get('/api/sites?status=rectifying&limit=1'))).features[0]!;
    const moved = await server.post(`/api/sites/${site.id}/events`, {
      to: 'closed',
      date: TODAY,
      checklist: { cutWater: true, cutPower: true, clearMaterials: true, clearEquipment: true, clearProducts: true },
    });
    expect(moved.status, await moved.text()).toBe(201);
    for (const [i, asOf] of dates.entries()) {
      expect(await counties(asOf), asOf).toEqual(bySql[i]![0]);
      expect(await summary(asOf), asOf).toEqual(bySql[i]![1]);
    }
    // Caught up inline with the one written site: held at the version now, and today's count has the move.
    expect(store.asOfHeld()).toBe(mapSitesVersion(server.db));
    const { byStatus } = countSitesByCounty(server.db, { asOf: TODAY });
    const expected = (code: string) => Object.fromEntries(byStatus.filter((row) => row.county === code).map((row) => [row.key, row.n]));
    const today = await counties(TODAY);
    expect(today.map(([code, statuses]) => [code, statuses])).toEqual(today.map(([code]) => [code, expected(code as string)]));
    expect(today.some(([, statuses]) => ((statuses as Record<string, number>).closed ?? 0) > 0)).toBe(true);
  }, 120_000);
});

describe('the map warm-up of a server that closes at once', () => {
  it('is cancelled, not logged as failed, when the database’s folder is removed before it starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sansan-map-close-'));
    const lines: string[] = [];
    const log = createLogger('warn', { write: (line: string) => lines.push(line) });
    const { db, ctx } = bootDatabase(join(dir, 'sansan.db'), { demo: false, today: () => TODAY, log });
    try {
      createApp(ctx);
      const warming = mapSiteStore(db).warming;
      expect(warming).not.toBeNull();
      db.close();
      rmSync(dir, { recursive: true, force: true });
      await warming?.catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
      expect(lines.join('')).not.toContain('map_warm_failed');
    } finally {
      if (db.raw.open) db.close();
      await closeMapPool();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
