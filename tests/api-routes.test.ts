// /api/routes and /api/inspections through the API: rules choose the stops, the sample is
// reproducible, bad input is refused saying why, saved routes download as GPX/KML that GDAL reads,
// and a "relapsed" result moves the site through the event rules.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { bootTestApp, expectError, FULL_CHECKLIST, type Harness } from './helpers/app.ts';

const START = { lon: 114.02047, lat: 33.577333 };

interface Plan {
  stops: { siteId: number; seq: number; lon: number; lat: number; legKm: number; lastInspection: string | null; navigate: { amap: string; baidu: string } }[];
  totalKm: number;
  minutes: number;
  endLegKm: number;
  end: [number, number] | null;
  distanceModel: { zh: string; en: string; detourFactor: number };
  sample: null | { seed: number; perCounty: number; byCounty: Record<string, number[]> };
}

let h: Harness;
const ids: Record<string, number> = {};

async function site(key: string, category: string, lon: number, lat: number, statuses: string[] = []) {
  const res = await h.send<{ id: number }>('POST', '/api/sites', { name: `测试${key}`, category, lon, lat, discoveredOn: '2021-01-10' });
  expect(res.status).toBe(201);
  let date = 11;
  for (const to of statuses) {
    const moved = await h.send('POST', `/api/sites/${res.body.id}/events`, {
      to,
      date: `2021-02-${date++}`,
      checklist: to === 'closed' ? FULL_CHECKLIST : undefined,
    });
    expect(moved.status).toBe(201);
  }
  ids[key] = res.body.id;
}

beforeEach(async () => {
  h = bootTestApp();
  await site('a', 'sand_yard', 113.95, 33.55, ['closed']); // 源汇区
  await site('b', 'sand_yard', 113.93, 33.67, ['closed']); // 郾城区
  await site('c', 'wood_processing', 114.16, 33.57, ['rectifying']); // 召陵区
  await site('d', 'coal_point', 113.66, 33.56, ['closed', 'relapsed']); // 舞阳县
  await site('e', 'brick_kiln', 113.94, 33.85, ['upgraded']); // 临颍县
});

const plan = (body: unknown) => h.send<Plan>('POST', '/api/routes/plan', body);

describe('POST /api/routes/plan', () => {
  it('re-checks closed, upgraded and relocated sites not inspected lately, ordered from the start and back', async () => {
    const res = await plan({ rule: { kind: 'recheck', olderThanDays: 30 }, start: START, end: 'start' });
    expect(res.status).toBe(200);
    expect(res.body.stops.map((s) => s.siteId).sort((x, y) => x - y)).toEqual([ids.a, ids.b, ids.e].sort((x, y) => x! - y!));
    expect(res.body.stops.map((s) => s.seq)).toEqual([1, 2, 3]);
    const legs = res.body.stops.reduce((sum, s) => sum + s.legKm, 0) + res.body.endLegKm;
    expect(res.body.totalKm).toBeCloseTo(legs, 6);
    expect(res.body.end).toEqual([START.lon, START.lat]);
    expect(res.body.distanceModel.detourFactor).toBe(1.3);
    expect(res.body.stops[0]!.navigate.amap).toMatch(/^https:\/\/uri\.amap\.com\/navigation\?to=/);
    expect(res.body.stops[0]!.navigate.baidu).toMatch(/coord_type=bd09ll/);
  });

  it('an inspection since the cut-off takes a site off the re-check list', async () => {
    expect((await h.send('POST', '/api/inspections', { siteId: ids.a, date: '2022-12-20', result: 'closed_as_recorded' })).status).toBe(201);
    const res = await plan({ rule: { kind: 'recheck', olderThanDays: 30 }, start: START });
    expect(res.body.stops.map((s) => s.siteId)).not.toContain(ids.a);
    expect(res.body.end).toBeNull();
    expect(res.body.endLegKm).toBe(0);
  });

  it('lists relapsed sites, and adds sites chosen by hand', async () => {
    const res = await plan({ rule: { kind: 'relapsed' }, siteIds: [ids.c!], start: START });
    expect(res.body.stops.map((s) => s.siteId).sort()).toEqual([ids.c, ids.d].sort());
  });

  it('draws a stratified sample that the seed reproduces', async () => {
    const first = (await plan({ rule: { kind: 'sample', perCounty: 1, seed: 42 }, start: START })).body;
    const again = (await plan({ rule: { kind: 'sample', perCounty: 1, seed: 42 }, start: START })).body;
    expect(first.sample).toEqual(again.sample);
    expect(first.sample!.seed).toBe(42);
    expect(Object.values(first.sample!.byCounty).map((list) => list.length)).toEqual([1, 1, 1, 1, 1]);
    const drawn = (await plan({ rule: { kind: 'sample', perCounty: 1 }, start: START })).body;
    expect(Number.isInteger(drawn.sample!.seed)).toBe(true);
  });

  it('keeps only the stops inside a polygon drawn on the map', async () => {
    const within = {
      type: 'Polygon',
      coordinates: [
        [
          [113.9, 33.5],
          [114.0, 33.5],
          [114.0, 33.7],
          [113.9, 33.7],
          [113.9, 33.5],
        ],
      ],
    };
    const res = await plan({ rule: { kind: 'recheck', olderThanDays: 0 }, within, start: START });
    expect(res.body.stops.map((s) => s.siteId).sort()).toEqual([ids.a, ids.b].sort());
  });

  it('refuses an unknown site, an unlocated one, no stops at all, and a start outside China, saying why', async () => {
    expect(expectError(await plan({ siteIds: [99999], start: START }), 400).message).toMatch(/siteIds: no site 99999/);
    expect(expectError(await plan({ siteIds: [1], start: START }), 400).message).toMatch(/has no position yet/);
    expect(expectError(await plan({ start: START }), 400).details.field).toBe('siteIds');
    expect(expectError(await plan({ siteIds: [], start: START }), 400).details.field).toBe('siteIds');
    expect(expectError(await plan({ rule: { kind: 'relapsed', counties: ['411102'] }, start: START }), 422, 'no_stops').message).toMatch(/chose no sites/);
    const outside = expectError(await plan({ siteIds: [ids.a], start: { lon: 2.35, lat: 48.85 } }), 400);
    expect(outside.details.field).toBe('start');
    expect(outside.message).toMatch(/outside China/);
  });
});

describe('saved routes and field results', () => {
  it('stores the plan as the server makes it (names, positions, legs, navigation links), not as sent; county officials save only their counties', async () => {
    const planned = (await plan({ siteIds: [ids.a!, ids.b!], start: START, end: 'start' })).body;
    const forged = structuredClone(planned);
    forged.stops[0]!.lon = 120;
    forged.stops[0]!.legKm = 0;
    forged.stops[1]!.navigate = { amap: 'javascript:alert(1)', baidu: 'https://example.com/' };
    Object.assign(forged.stops[1]!, { name: '伪造的名称' });
    forged.totalKm = 0;
    const saved = await h.send<{ id: number; plan: Plan }>('POST', '/api/routes', { name: '改过的路线', plan: forged });
    expect(saved.status, saved.text).toBe(201);
    expect(saved.body.plan).toEqual(planned);
    const repeated = structuredClone(planned);
    repeated.stops[1]!.siteId = repeated.stops[0]!.siteId;
    expect(expectError(await h.send('POST', '/api/routes', { name: '重复', plan: repeated }), 400).details).toMatchObject({
      field: 'plan.stops',
      reason: 'repeated',
    });
    // 源汇区's official: a and b lie in 源汇区 and 郾城区.
    const official = h.as('county', ['411102']);
    const refused = expectError(await official.send('POST', '/api/routes', { name: '跨县', plan: planned }), 403, 'forbidden_county');
    expect(refused.details).toMatchObject({ county: '411103' });
    const own = (await plan({ siteIds: [ids.a!], start: START, end: 'start' })).body;
    expect((await official.send('POST', '/api/routes', { name: '本县', plan: own })).status).toBe(201);
  });

  it('saves a route, reopens it, and downloads GPX and KML that GDAL reads with every stop', async () => {
    const planned = (await plan({ rule: { kind: 'recheck', olderThanDays: 30 }, start: START, end: 'start' })).body;
    const saved = await h.send<{ id: number; name: string; plan: Plan }>('POST', '/api/routes', { name: '十二月回头看', plan: planned });
    expect(saved.status).toBe(201);
    expect((await h.get<{ plan: Plan }>(`/api/routes/${saved.body.id}`)).body.plan).toEqual(planned);
    // Results recorded on the route come back with it, the last per site, so a reopened route shows
    // what is done; a result recorded outside the route does not.
    const [first, second] = planned.stops;
    const inspect = (siteId: number, result: string, routeId?: number) =>
      h.send('POST', '/api/inspections', { siteId, date: '2022-12-01', result, ...(routeId ? { routeId } : {}) });
    expect((await inspect(first!.siteId, 'not_found', saved.body.id)).status).toBe(201);
    expect((await inspect(first!.siteId, 'other', saved.body.id)).status).toBe(201);
    expect((await inspect(second!.siteId, 'operating')).status).toBe(201);
    const reopened = (await h.get<{ recorded: { siteId: number; result: string; date: string; inspector: string }[] }>(`/api/routes/${saved.body.id}`)).body;
    expect(reopened.recorded.map(({ siteId, result, date }) => ({ siteId, result, date }))).toEqual([
      { siteId: first!.siteId, result: 'other', date: '2022-12-01' },
    ]);
    expect(reopened.recorded[0]!.inspector).toBe('admin');
    const dir = mkdtempSync(join(tmpdir(), 'sansan-route-'));
    for (const format of ['gpx', 'kml'] as const) {
      const res = await h.request(`/api/routes/${saved.body.id}.${format}`);
      expect(res.status).toBe(200);
      const file = join(dir, `route.${format}`);
      writeFileSync(file, await res.text());
      const info = spawnSync('ogrinfo', ['-ro', '-al', file], { encoding: 'utf8' });
      if (info.error) throw new Error(`ogrinfo is needed (apt-get install gdal-bin): ${info.error.message}`);
      const points = [...info.stdout.matchAll(/POINT \(([-\d.]+) ([-\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
      // GPX: each stop as a waypoint and a route point; KML: each stop as a placemark.
      expect(points.length).toBe(format === 'gpx' ? planned.stops.length * 2 : planned.stops.length);
      for (const stop of planned.stops) expect(points.some(([lon, lat]) => Math.abs(lon! - stop.lon) < 1e-6 && Math.abs(lat! - stop.lat) < 1e-6)).toBe(true);
      expect(info.stdout).toContain('测试');
    }
    expectError(await h.get('/api/routes/999.gpx'), 404);
  });

  it('records a result; "relapsed" moves the site to relapsed and refuses where the lifecycle does not allow it', async () => {
    const res = await h.send<{ id: number; eventId: number | null }>('POST', '/api/inspections', {
      siteId: ids.a,
      date: '2022-12-01',
      result: 'relapsed',
      note: '夜间复产',
      lon: 113.9501,
      lat: 33.5502,
    });
    expect(res.status).toBe(201);
    expect(res.body.eventId).not.toBeNull();
    const detail = (await h.get<{ properties: { status: string }; inspections: { result: string; note: string }[] }>(`/api/sites/${ids.a}`)).body;
    expect(detail.properties.status).toBe('relapsed');
    expect(detail.inspections.map((i) => i.result)).toEqual(['relapsed']);
    // c is rectifying: it cannot relapse, so nothing is written.
    const refused = expectError(
      await h.send('POST', '/api/inspections', { siteId: ids.c, date: '2022-12-01', result: 'relapsed' }),
      409,
      'status_move_not_allowed',
    );
    expect(refused.message).toMatch(/cannot move from rectifying to relapsed/);
    expect((await h.get<{ inspections: unknown[] }>(`/api/sites/${ids.c}`)).body.inspections).toEqual([]);
    expectError(await h.send('POST', '/api/inspections', { siteId: 99999, date: '2022-12-01', result: 'other' }), 404);
    expect(expectError(await h.send('POST', '/api/inspections', { siteId: ids.b, date: '2099-01-01', result: 'other' }), 400).details.field).toBe('date');
  });
});

describe('inspection photos', () => {
  // The smallest valid PNG (1×1, transparent).
  const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));

  it('stores a photo, links it to an inspection and serves it back', async () => {
    const uploaded = await h.request('/api/photos', { method: 'POST', headers: { 'content-type': 'image/png' }, body: png });
    expect(uploaded.status).toBe(201);
    const { ref, bytes } = (await uploaded.json()) as { ref: string; bytes: number };
    expect(ref).toMatch(/^[0-9a-f]{32}\.png$/);
    expect(bytes).toBe(png.length);
    expect((await h.send('POST', '/api/inspections', { siteId: ids.b, date: '2022-12-02', result: 'closed_as_recorded', photo: ref })).status).toBe(201);
    const detail = (await h.get<{ inspections: { photo: string | null }[] }>(`/api/sites/${ids.b}`)).body;
    expect(detail.inspections.map((i) => i.photo)).toEqual([ref]);
    const served = await h.request(`/api/photos/${ref}`);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
  });

  it('refuses what is not an image, a lie about the type, and an unknown reference', async () => {
    const text = await h.request('/api/photos', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(415);
    const lie = await h.request('/api/photos', { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: png });
    expect(lie.status).toBe(400);
    expect(((await lie.json()) as { error: { message: string } }).error.message).toMatch(/not a image\/jpeg image/);
    expectError(await h.get('/api/photos/0123456789abcdef0123456789abcdef.png'), 404);
    expectError(await h.get('/api/photos/..%2Fsecret'), 400);
  });
});
