// The wire (issue #17): compression negotiated by Accept-Encoding, ETags and 304s keyed on the data
// versions (a sign-in or a write to another topic leaves them; a write to the topic changes them),
// no caching of writes or cookie answers, and /api/sites pages that never hold the whole database.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootTestApp, createSite, moveSite, POINTS, TEST_PASSWORD, type Harness, type SiteCollection } from './helpers/app.ts';
import { generateSites, loadSites, readGeography } from '../bench/synthetic.ts';
import { SITES_PAGE_MAX } from '../server/routes/sites.ts';

let h: Harness;
beforeAll(async () => {
  h = bootTestApp();
  for (let i = 0; i < 12; i++)
    await createSite(
      h,
      { name: `测试点位${i}`, category: 'sand_yard', lon: POINTS['411102'][0] + i * 0.001, lat: POINTS['411102'][1], discoveredOn: '2022-01-01' },
      '411102',
    );
});

const SITES = '/api/sites?county=411102';

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await h.request(path, { headers });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('ETag and 304', () => {
  it('a data-versioned list answers 304 to its ETag, also after a sign-in and a write to another topic, and 200 after a write to sites', async () => {
    const first = await get(SITES);
    expect(first.res.status).toBe(200);
    const etag = first.res.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".*sites\.\d+\./);
    expect(first.res.headers.get('cache-control')).toBe('private, no-cache');
    // An answer built whole from the cache still carries the security headers and the request id.
    expect(first.res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(first.res.headers.get('x-frame-options')).toBe('DENY');
    expect(first.res.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);

    const again = await get(SITES, { 'If-None-Match': etag });
    expect(again.res.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect(again.res.headers.get('etag')).toBe(etag);
    expect(again.res.headers.get('x-content-type-options')).toBe('nosniff');

    // A sign-in writes a session and an audit record; a task note writes the tasks topic.
    expect((await h.anonymous.send('POST', '/api/session', { username: h.as('viewer').username, password: TEST_PASSWORD })).status).toBe(200);
    expect((await h.send('POST', '/api/tasks/19/notes', { text: '进展' })).status).toBe(201);
    expect((await get(SITES, { 'If-None-Match': etag })).res.status).toBe(304);

    await createSite(
      h,
      { name: '新点位', category: 'sand_yard', lon: POINTS['411102'][0], lat: POINTS['411102'][1] + 0.002, discoveredOn: '2022-02-01' },
      '411102',
    );
    const after = await get(SITES, { 'If-None-Match': etag });
    expect(after.res.status).toBe(200);
    expect(after.res.headers.get('etag')).not.toBe(etag);
    expect((JSON.parse(after.bytes.toString()) as SiteCollection).features.map((f) => f.properties.name)).toContain('新点位');
  });

  it('/api/counties is kept per sites’ data version: 304 after a sign-in, and a new site and a status move show in its counts at once', async () => {
    type Counties = { features: { id: string; properties: { sites: number; byStatus: Record<string, number>; byCategory: Record<string, number> } }[] };
    const county = (bytes: Buffer) => (JSON.parse(bytes.toString()) as Counties).features.find((f) => f.id === '411102')!.properties;
    const first = await get('/api/counties');
    expect(first.res.status).toBe(200);
    const etag = first.res.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".*sites\.\d+\./);
    const before = county(first.bytes);
    expect((await h.anonymous.send('POST', '/api/session', { username: h.as('viewer').username, password: TEST_PASSWORD })).status).toBe(200);
    expect((await get('/api/counties', { 'If-None-Match': etag })).res.status).toBe(304);

    const site = await createSite(
      h,
      { name: '计数点位', category: 'coal_point', lon: POINTS['411102'][0] + 0.003, lat: POINTS['411102'][1] + 0.003, discoveredOn: '2022-03-01' },
      '411102',
    );
    const added = await get('/api/counties', { 'If-None-Match': etag });
    expect(added.res.status).toBe(200);
    expect(county(added.bytes).sites).toBe(before.sites + 1);
    expect(county(added.bytes).byCategory.coal_point ?? 0).toBe((before.byCategory.coal_point ?? 0) + 1);
    expect(county(added.bytes).byStatus.discovered).toBe((before.byStatus.discovered ?? 0) + 1);

    await moveSite(h, site.properties.id, 'rectifying', '2022-03-05');
    const moved = county((await get('/api/counties')).bytes);
    expect(moved.sites).toBe(before.sites + 1);
    expect(moved.byStatus.discovered).toBe(before.byStatus.discovered ?? 0);
    expect(moved.byStatus.rectifying).toBe((before.byStatus.rectifying ?? 0) + 1);
  });

  it('any other JSON read gets a weak ETag from its body: 304 while unchanged, 200 after a change', async () => {
    const first = await get('/api/tasks/19');
    expect(first.res.status).toBe(200);
    const etag = first.res.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"h/);
    expect((await get('/api/tasks/19', { 'If-None-Match': `"other", ${etag}` })).res.status).toBe(304);
    expect((await h.send('POST', '/api/tasks/19/notes', { text: '又有进展' })).status).toBe(201);
    const after = await get('/api/tasks/19', { 'If-None-Match': etag });
    expect(after.res.status).toBe(200);
    expect(after.bytes.toString()).toContain('又有进展');
  });

  it('writes and answers that set a cookie carry no ETag and are not stored', async () => {
    const write = await h.request('/api/tasks/19/notes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '第三条' }),
    });
    expect(write.status).toBe(201);
    expect(write.headers.get('etag')).toBeNull();
    expect(write.headers.get('cache-control')).toBe('no-store');
    const signIn = await h.anonymous.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get('set-cookie')).toContain('sansan_session=');
    expect(signIn.headers.get('etag')).toBeNull();
    expect(signIn.headers.get('cache-control')).toBe('no-store');
  });
});

describe('compression', () => {
  for (const path of [SITES, '/api/counties']) {
    it(`${path}: br and gzip decode to the same JSON as the plain answer, with Vary: Accept-Encoding`, async () => {
      const plain = await get(path);
      expect(plain.res.headers.get('content-encoding')).toBeNull();
      expect(plain.bytes.length).toBeGreaterThan(1024);
      const json = JSON.parse(plain.bytes.toString());
      const br = await get(path, { 'Accept-Encoding': 'gzip, deflate, br' });
      expect(br.res.headers.get('content-encoding')).toBe('br');
      expect(br.res.headers.get('vary')).toContain('Accept-Encoding');
      expect(br.bytes.length).toBeLessThan(plain.bytes.length / 2);
      expect(JSON.parse(brotliDecompressSync(br.bytes).toString())).toEqual(json);
      const gz = await get(path, { 'Accept-Encoding': 'gzip' });
      expect(gz.res.headers.get('content-encoding')).toBe('gzip');
      expect(JSON.parse(gunzipSync(gz.bytes).toString())).toEqual(json);
      expect(gz.res.headers.get('etag')).toBe(plain.res.headers.get('etag'));
      // Weights: gzip preferred over br, and none acceptable.
      expect((await get(path, { 'Accept-Encoding': 'br;q=0.5, gzip' })).res.headers.get('content-encoding')).toBe('gzip');
      expect((await get(path, { 'Accept-Encoding': 'br;q=0, gzip;q=0' })).res.headers.get('content-encoding')).toBeNull();
    });
  }

  it('a download (Content-Disposition) goes out as the file is, uncompressed, with its length, even when br is accepted', async () => {
    const download = await get('/api/export?format=geojson&county=411102', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(download.res.status).toBe(200);
    expect(download.res.headers.get('content-type')).toMatch(/json/);
    expect(download.res.headers.get('content-disposition')).toContain('attachment');
    expect(download.res.headers.get('content-encoding')).toBeNull();
    expect(Number(download.res.headers.get('content-length'))).toBe(download.bytes.length);
    expect(download.bytes.length).toBeGreaterThan(1024);
    const names = (JSON.parse(download.bytes.toString()) as { features: { properties: Record<string, unknown> }[] }).features.map((f) => f.properties['名称']);
    expect(names).toContain('测试点位0');
  });

  it('a small body goes out plain', async () => {
    const health = await get('/api/health', { 'Accept-Encoding': 'br, gzip' });
    expect(health.res.status).toBe(200);
    expect(health.res.headers.get('content-encoding')).toBeNull();
    expect(JSON.parse(health.bytes.toString())).toMatchObject({ ok: true });
  });
});

describe('query validation of a query string seen before', () => {
  it('answers each query string as the first time, and refuses a bad one the same way every time', async () => {
    const names = async (path: string) => ((await h.get<SiteCollection>(path)).body.features ?? []).map((f) => f.properties.name).sort();
    const yuanhui = await names('/api/sites?county=411102&category=sand_yard');
    const other = await names('/api/sites?county=411121&category=sand_yard');
    expect(yuanhui).toContain('测试点位0');
    expect(other).not.toContain('测试点位0');
    expect(await names('/api/sites?county=411121&category=sand_yard')).toEqual(other);
    expect(await names('/api/sites?county=411102&category=sand_yard')).toEqual(yuanhui);
    for (let i = 0; i < 2; i++) {
      const refused = await h.get<{ error: { code: string; message: string; details: Record<string, unknown> } }>('/api/sites?county=411102&asOf=2022-02-30');
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'bad_parameter', details: { parameter: 'asOf', reason: 'bad_date' } });
    }
  });
});

describe('/api/sites pages', () => {
  it(`no answer holds more than ${SITES_PAGE_MAX} sites: without limit, or with a larger one, a page and nextCursor`, async () => {
    const big = bootTestApp();
    const geography = readGeography(big.db);
    loadSites(big.db, generateSites(geography, SITES_PAGE_MAX + 5));
    const total = SITES_PAGE_MAX + 5 + 2; // the two real unlocated sites of the seeds
    for (const query of ['', '?limit=200000']) {
      const first = await big.get<SiteCollection>(`/api/sites${query}`);
      expect(first.status).toBe(200);
      expect(first.body.features).toHaveLength(SITES_PAGE_MAX);
      expect(first.body.nextCursor).not.toBeNull();
      const rest = await big.get<SiteCollection>(`/api/sites?${query.slice(1)}&cursor=${encodeURIComponent(first.body.nextCursor!)}`);
      expect(rest.body.features).toHaveLength(total - SITES_PAGE_MAX);
      expect(rest.body.nextCursor).toBeNull();
      expect(new Set([...first.body.features, ...rest.body.features].map((f) => f.id)).size).toBe(total);
    }
    big.db.close();
  });
});
