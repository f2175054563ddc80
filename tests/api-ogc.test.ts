// OGC API – Features under /api/ogc, read by GDAL's OAPIF driver (what QGIS uses) from a real HTTP
// server with the bearer token in GDAL_HTTP_HEADERS: both layers, Chinese attributes, coordinates,
// paging through next links, bbox and the /api/sites filters as query parameters. Fixture: the two
// real unlocated seed sites (ids 1, 2), five sites made here, the nine undrawn seed roads and one
// drawn road.
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestApp, createSite, expectError, moveSite, FULL_CHECKLIST, type Harness, type SiteCollection } from './helpers/app.ts';
import { gdalAsync, ogrReadLive } from './helpers/gdal.ts';

let h: Harness;
let server: ServerType;
let base = '';
let headers = '';
/** The path and query of every request the server received, in order. */
const seen: string[] = [];

const SITES = [
  { name: '源汇区黄河路砂石料场', category: 'sand_yard', lon: 113.95, lat: 33.55, county: '411102' },
  { name: '源汇区干河陈散煤点', category: 'coal_point', lon: 113.97, lat: 33.56, county: '411102' },
  { name: '郾城区商混站', category: 'concrete_plant', lon: 113.93, lat: 33.67, county: '411103' },
  { name: '召陵区散乱污企业', category: 'scattered_firm', lon: 114.16, lat: 33.57, county: '411104' },
  { name: '临颍县砂石堆场', category: 'sand_yard', lon: 113.94, lat: 33.85, county: '411122' },
] as const;
const UNLOCATED = ['叶岗村散煤销售点', '郾襄路车管所停车场加油点'];
const LINE = [
  [114.15, 33.57],
  [114.17, 33.58],
];

beforeAll(async () => {
  h = bootTestApp();
  for (const site of SITES) {
    const made = await createSite(
      h,
      { name: site.name, category: site.category, lon: site.lon, lat: site.lat, discoveredOn: '2021-01-10', address: `${site.name}东侧` },
      site.county,
    );
    if (site.county === '411104') await moveSite(h, made.id, 'closed', '2021-06-01', FULL_CHECKLIST);
  }
  const road = await h.send('POST', '/api/roads', {
    roadName: '召陵区黄河东路',
    severity: 'severe',
    reportedOn: '2021-03-01',
    geometry: { type: 'LineString', coordinates: LINE },
  });
  expect(road.status, road.text).toBe(201);
  const app = h.app;
  const port = await new Promise<number>((ready) => {
    server = serve(
      {
        fetch: (request, env) => {
          const url = new URL(request.url);
          seen.push(decodeURIComponent(url.pathname + url.search));
          return app.fetch(request, env);
        },
        port: 0,
        hostname: '127.0.0.1',
      },
      (info) => ready(info.port),
    );
  });
  base = `http://127.0.0.1:${port}/api/ogc`;
  headers = `Authorization: Bearer ${h.token}`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

const itemRequests = (since: number, collection: string) => seen.slice(since).filter((path) => path.startsWith(`/api/ogc/collections/${collection}/items`));

describe('OGC API – Features through GDAL (OAPIF)', () => {
  it('lists the sites and roads layers with their Chinese titles, fields and counts', async () => {
    const listing = await gdalAsync('ogrinfo', ['-ro', '-q', `OAPIF:${base}`], headers);
    expect(listing).toContain('1: sites (title: 三散污染源 · Pollution sites) (Point)');
    expect(listing).toContain('2: roads (title: 破损道路 · Damaged road segments) (Line String)');
    const summary = await gdalAsync('ogrinfo', ['-ro', '-so', `OAPIF:${base}`, 'sites'], headers);
    expect(summary).toMatch(/Feature Count: 7/);
    for (const field of ['名称', '地址', '所属县区', '整治状态', '数据来源']) expect(summary).toContain(`${field}: String`);
  });

  it('reads every site with its Chinese attributes and coordinates, paging through next links', async () => {
    const since = seen.length;
    const features = await ogrReadLive(`OAPIF:${base}`, 'sites', { headers, open: ['PAGE_SIZE=2'] });
    expect(features.map((f) => f.properties['名称']).sort()).toEqual([...SITES.map((s) => s.name), ...UNLOCATED].sort());
    for (const site of SITES) {
      const feature = features.find((f) => f.properties['名称'] === site.name)!;
      expect(feature.geometry!.coordinates).toEqual([site.lon, site.lat]);
      expect(feature.properties['地址']).toBe(`${site.name}东侧`);
    }
    expect(features.find((f) => f.properties['名称'] === '召陵区散乱污企业')!.properties).toMatchObject({
      所属县区: '召陵区',
      类别: '散乱污企业',
      整治状态: '已取缔',
      数据来源: '真实',
      定位精度: '精确',
    });
    expect(
      features
        .filter((f) => f.geometry === null)
        .map((f) => f.properties['名称'])
        .sort(),
    ).toEqual([...UNLOCATED].sort());
    const pages = itemRequests(since, 'sites');
    expect(pages.length).toBeGreaterThanOrEqual(4); // 7 sites, 2 a page
    expect(pages.filter((path) => path.includes('cursor=')).length).toBeGreaterThanOrEqual(3);
  });

  it('filters by bbox (sent as the bbox parameter)', async () => {
    const since = seen.length;
    const features = await ogrReadLive(`OAPIF:${base}`, 'sites', { headers, spatial: [113.9, 33.5, 114.0, 33.6] });
    expect(features.map((f) => f.properties['名称']).sort()).toEqual(['源汇区干河陈散煤点', '源汇区黄河路砂石料场']);
    expect(itemRequests(since, 'sites').some((path) => path.includes('bbox=113.9'))).toBe(true);
    // the server filters (GDAL filters again on its side, so ask it directly too)
    const direct = await h.get<{ numberMatched: number; features: unknown[] }>('/api/ogc/collections/sites/items?bbox=113.9,33.5,114.0,33.6');
    expect([direct.body.numberMatched, direct.body.features.length]).toEqual([2, 2]);
  });

  it('takes the /api/sites filters as query parameters of the collection URL, with the same sites', async () => {
    for (const query of [
      'county=411102',
      'status=closed',
      'category=sand_yard&county=411102,411122',
      'located=false',
      `q=${encodeURIComponent('砂石')}`,
      'asOf=2021-03-01&status=discovered',
    ]) {
      const list = await h.get<SiteCollection>(`/api/sites?${query}`);
      const features = await ogrReadLive(`OAPIF:${base}/collections/sites?${query}`, 'sites', { headers });
      expect(features.map((f) => f.properties['编号']).sort(), query).toEqual(list.body.features.map((f) => f.id).sort());
      expect(features.length, query).toBeGreaterThan(0);
    }
  });

  it('reads the road segments as lines; a bbox leaves out the undrawn ones', async () => {
    const roads = await ogrReadLive(`OAPIF:${base}`, 'roads', { headers });
    expect(roads).toHaveLength(10);
    const drawn = roads.filter((f) => f.geometry);
    expect(drawn.map((f) => [f.properties['道路名称'], f.properties['破损程度'], f.properties['所属县区'], f.geometry!.coordinates])).toEqual([
      ['召陵区黄河东路', '严重', '召陵区', LINE],
    ]);
    expect(await ogrReadLive(`OAPIF:${base}`, 'roads', { headers, spatial: [114.1, 33.5, 114.2, 33.6] })).toHaveLength(1);
    expect(await ogrReadLive(`OAPIF:${base}`, 'roads', { headers, spatial: [113.5, 33.5, 113.6, 33.6] })).toHaveLength(0);
  });

  it('refuses GDAL without a token', async () => {
    const since = seen.length;
    await expect(gdalAsync('ogrinfo', ['-ro', '-q', `OAPIF:${base}`])).rejects.toThrow();
    expect(seen.length).toBeGreaterThan(since);
  });
});

describe('OGC API – Features documents', () => {
  it('landing page, conformance and collections carry the links and classes clients look for', async () => {
    const landing = await h.get<{ links: { rel: string; href: string }[] }>('/api/ogc');
    expect(landing.status).toBe(200);
    expect(landing.body.links.map((l) => l.rel)).toEqual(expect.arrayContaining(['self', 'service-desc', 'conformance', 'data']));
    const conformance = await h.get<{ conformsTo: string[] }>('/api/ogc/conformance');
    expect(conformance.body.conformsTo).toEqual(
      expect.arrayContaining(['http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core', 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson']),
    );
    const collections = await h.get<{ collections: { id: string; links: { rel: string }[] }[] }>('/api/ogc/collections');
    expect(collections.body.collections.map((c) => c.id)).toEqual(['sites', 'roads']);
    expect(expectError(await h.get('/api/ogc/collections/lakes'), 404, 'not_found').message).toContain('lakes');
    expectError(await h.anonymous.get('/api/ogc/collections'), 401);
  });

  it('pages with limit and a next link; the last page has none', async () => {
    const first = await h.get<{ features: { id: number }[]; numberMatched: number; numberReturned: number; links: { rel: string; href: string }[] }>(
      '/api/ogc/collections/sites/items?limit=3&located=true&county=411102,411103,411104,411122',
    );
    expect(first.contentType).toBe('application/geo+json; charset=utf-8');
    expect([first.body.numberMatched, first.body.numberReturned]).toEqual([5, 3]);
    const next = first.body.links.find((l) => l.rel === 'next')!;
    expect(new URL(next.href).searchParams.get('county')).toBe('411102,411103,411104,411122');
    const second = await h.get<{ features: { id: number }[]; links: { rel: string }[] }>(new URL(next.href).pathname + new URL(next.href).search);
    expect(second.body.features).toHaveLength(2);
    expect(second.body.links.map((l) => l.rel)).toEqual(['self']);
    expect(new Set([...first.body.features, ...second.body.features].map((f) => f.id)).size).toBe(5);
  });

  it('one feature by id; unknown ids 404; bad parameters 400 naming them', async () => {
    const one = await h.get<{ id: number; geometry: unknown; properties: Record<string, unknown> }>('/api/ogc/collections/sites/items/2');
    expect([one.body.id, one.body.geometry, one.body.properties['名称']]).toEqual([2, null, '叶岗村散煤销售点']);
    expectError(await h.get('/api/ogc/collections/sites/items/999'), 404, 'not_found');
    expectError(await h.get('/api/ogc/collections/roads/items/999'), 404, 'not_found');
    expect(expectError(await h.get('/api/ogc/collections/sites/items?limit=0'), 400, 'bad_parameter').details.parameter).toBe('limit');
    expect(expectError(await h.get('/api/ogc/collections/sites/items?datetime=2021-01-01'), 400, 'bad_parameter').details.parameter).toBe('datetime');
    expect(expectError(await h.get('/api/ogc/collections/sites/items?status=gone'), 400, 'bad_parameter').details.parameter).toBe('status');
    expect(expectError(await h.get('/api/ogc/collections/roads/items?status=closed'), 400, 'bad_parameter').details.parameter).toBe('status');
  });
});
