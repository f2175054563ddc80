// GET /api/health, /api/counties, /api/sites (every filter, alone and combined, and paging) and
// /api/sites/:id, over a fixture built by hand through the API (tests/helpers/app.ts FIXTURE).
import { describe, it, expect, beforeEach } from 'vitest';
import { CATEGORY_TASKS } from '../domain/categories.ts';
import {
  COUNTY_CODES,
  FIXTURE,
  FULL_CHECKLIST,
  POINTS,
  REAL_COAL_POINT_ID,
  REAL_FUEL_POINT_ID,
  bootTestApp,
  buildFixture,
  expectError,
  siteIds,
} from './helpers/app.ts';
import type { CountyFeature, Harness, SiteCollection, SiteDetail } from './helpers/app.ts';

let h: Harness;
let ids: Record<string, number>;
/** Fixture key of a site id (R1, R2 for the two real seeded sites). */
let keyOf: Map<number, string>;

const keys = (collection: SiteCollection) =>
  siteIds(collection)
    .map((id) => keyOf.get(id))
    .sort();

async function list(query: string): Promise<SiteCollection> {
  const res = await h.get<SiteCollection>(`/api/sites${query ? `?${query}` : ''}`);
  expect(res.status, res.text).toBe(200);
  expect(res.body.type).toBe('FeatureCollection');
  return res.body;
}

beforeEach(async () => {
  h = bootTestApp();
  ids = await buildFixture(h);
  keyOf = new Map([[REAL_FUEL_POINT_ID, 'R1'], [REAL_COAL_POINT_ID, 'R2'], ...Object.entries(ids).map(([k, id]) => [id, k] as [number, string])]);
});

describe('GET /api/health', () => {
  it('reports ok, the package version and the number of sites', async () => {
    const res = await h.get<{ ok: boolean; version: string; sites: number }>('/api/health');
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.version).toMatch(/^\d+\.\d+\.\d+/);
    // 2 real seeded sites + 8 created by the fixture
    expect(res.body.sites).toBe(10);
  });
});

describe('GET /api/config', () => {
  it('gives the first and the last date of the status history', async () => {
    const dates = h.db
      .all<{ date: string }>('SELECT date FROM site_events')
      .map((row) => row.date)
      .sort();
    expect(dates.length).toBeGreaterThan(1);
    expect(dates[0]).not.toBe(dates[dates.length - 1]);
    const res = await h.get<{ firstEventDate: string | null; lastEventDate: string | null }>('/api/config');
    expect(res.status).toBe(200);
    expect(res.body.firstEventDate).toBe(dates[0]);
    expect(res.body.lastEventDate).toBe(dates[dates.length - 1]);
  });
});

describe('fixture sanity', () => {
  it('each county point lies in its county according to the locator', () => {
    for (const code of COUNTY_CODES) {
      const [lon, lat] = POINTS[code];
      expect(h.ctx.locator.locate(lon, lat)).toBe(code);
    }
    expect(h.ctx.locator.locate(120, 30)).toBeNull();
  });

  it('every fixture site is in its expected status today', async () => {
    const all = await list('');
    for (const site of FIXTURE) {
      const feature = all.features.find((f) => f.id === ids[site.key])!;
      expect(feature.properties.status, site.key).toBe(site.status);
      expect(feature.properties.county, site.key).toBe(site.county);
    }
  });
});

describe('GET /api/counties', () => {
  it('returns the 5 county polygons with codes, names, kinds and areas', async () => {
    const res = await h.get<{ type: string; features: CountyFeature[] }>('/api/counties');
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('FeatureCollection');
    const props = res.body.features.map((f) => f.properties);
    expect(props.map((p) => p.code)).toEqual(['411102', '411103', '411104', '411121', '411122']);
    expect(props.map((p) => p.name)).toEqual(['源汇区', '郾城区', '召陵区', '舞阳县', '临颍县']);
    expect(props.map((p) => p.kind)).toEqual(['district', 'district', 'district', 'county', 'county']);
    for (const f of res.body.features) {
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
      expect(f.id).toBe(f.properties.code);
    }
    // Areas from the polygons (km²): roughly the official figures; Luohe is about 2,700 km² in all.
    const expected: Record<string, number> = { '411102': 230, '411103': 453, '411104': 437, '411121': 772, '411122': 801 };
    for (const p of props) expect(Math.abs(p.areaKm2 - expected[p.code]!) / expected[p.code]!).toBeLessThan(0.02);
    const total = props.reduce((sum, p) => sum + p.areaKm2, 0);
    expect(total).toBeGreaterThan(2600);
    expect(total).toBeLessThan(2800);
  });

  it('counts sites per county by status and category (hand-known values)', async () => {
    const res = await h.get<{ features: CountyFeature[] }>('/api/counties');
    const byCode = Object.fromEntries(res.body.features.map((f) => [f.properties.code, f.properties]));
    // 源汇区: A closed, B, H and the real coal point discovered
    expect(byCode['411102']!.sites).toBe(4);
    expect(byCode['411102']!.byStatus).toEqual({ closed: 1, discovered: 3 });
    expect(byCode['411102']!.byCategory).toEqual({ sand_yard: 1, wood_processing: 1, coal_point: 2 });
    // 郾城区: C verified, the real fuel point discovered
    expect(byCode['411103']!.byStatus).toEqual({ verified: 1, discovered: 1 });
    expect(byCode['411103']!.byCategory).toEqual({ concrete_plant: 1, fuel_point: 1 });
    expect(byCode['411104']!.byStatus).toEqual({ relapsed: 1 });
    expect(byCode['411121']!.byStatus).toEqual({ relocated: 1 });
    expect(byCode['411122']!.byStatus).toEqual({ rectifying: 1, discovered: 1 });
    expect(byCode['411122']!.byCategory).toEqual({ fuel_point: 1, sand_yard: 1 });
  });

  const FILTERS = [
    '',
    'asOf=2021-06-15',
    'asOf=2021-06-15&status=discovered',
    'category=sand_yard,fuel_point',
    'status=discovered,closed',
    'bbox=113.9,33.5,114.0,33.6',
    'q=砂石',
    'source=real',
    'source=demo',
    'located=false',
    'located=true&status=discovered',
    'county=411102,411122&status=discovered',
    'county=411104&asOf=2021-12-31',
    'category=coal_point&county=411102&q=散煤',
    'asOf=2019-01-01',
  ];

  it.each(FILTERS)('counts equal the counts of /api/sites under the same filters: %s', async (query) => {
    const sites = await list(query);
    const counties = await h.get<{ features: CountyFeature[] }>(`/api/counties${query ? `?${query}` : ''}`);
    expect(counties.status).toBe(200);
    expect(counties.body.features).toHaveLength(5);
    for (const f of counties.body.features) {
      const mine = sites.features.filter((s) => s.properties.county === f.properties.code);
      const byStatus: Record<string, number> = {};
      const byCategory: Record<string, number> = {};
      for (const s of mine) {
        byStatus[s.properties.status] = (byStatus[s.properties.status] ?? 0) + 1;
        byCategory[s.properties.category] = (byCategory[s.properties.category] ?? 0) + 1;
      }
      expect(f.properties.sites, f.properties.code).toBe(mine.length);
      expect(f.properties.byStatus, f.properties.code).toEqual(byStatus);
      expect(f.properties.byCategory, f.properties.code).toEqual(byCategory);
    }
    const total = counties.body.features.reduce((sum, f) => sum + f.properties.sites, 0);
    expect(total).toBe(sites.features.length);
  });

  it('agrees with hand counts for a combined filter (asOf + status)', async () => {
    const res = await h.get<{ features: CountyFeature[] }>('/api/counties?asOf=2021-06-15&status=discovered');
    const sites = Object.fromEntries(res.body.features.map((f) => [f.properties.code, f.properties.sites]));
    // on 2021-06-15: 源汇 B + R2 discovered (A closed on 06-01); 郾城 R1 (C upgraded); 召陵 D (closed only on 07-01); 临颍 G
    expect(sites).toEqual({ '411102': 2, '411103': 1, '411104': 1, '411121': 0, '411122': 1 });
  });
});

describe('GET /api/sites: properties', () => {
  it('returns every site as a GeoJSON point with the contract properties, in id order', async () => {
    const all = await list('');
    expect(all.features).toHaveLength(10);
    expect(all.nextCursor).toBeNull();
    expect(siteIds(all)).toEqual([...siteIds(all)].sort((a, b) => a - b));
    const a = all.features.find((f) => f.id === ids.A)!;
    expect(a.geometry).toEqual({ type: 'Point', coordinates: [113.95, 33.55] });
    expect(a.properties).toMatchObject({
      id: ids.A,
      name: '源汇区黄河路砂石料场',
      category: 'sand_yard',
      sector: null,
      status: 'closed',
      county: '411102',
      countyName: '源汇区',
      township: '411102102',
      townshipName: '空冢郭镇',
      address: '源汇区黄河路1号',
      precision: 'exact',
      source: 'real',
      discoveredOn: '2021-01-10',
      version: 3, // created (1) + two moves
    });
    expect(a.properties.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const d = all.features.find((f) => f.id === ids.D)!;
    expect(d.properties.sector).toBe('industrial');
  });
});

describe('GET /api/sites: filters one by one', () => {
  it('bbox keeps the points inside and leaves unlocated sites out', async () => {
    expect(keys(await list('bbox=113.9,33.5,114.0,33.6'))).toEqual(['A', 'B', 'H']);
    // the whole world still leaves the two unlocated sites out
    const world = await list('bbox=-180,-90,180,90');
    expect(world.features).toHaveLength(8);
    expect(keys(world)).not.toContain('R1');
    expect(world.features.every((f) => f.geometry !== null)).toBe(true);
    expect(keys(await list('bbox=113.0,30.0,113.1,30.1'))).toEqual([]);
  });

  it('county takes a list of codes', async () => {
    expect(keys(await list('county=411102'))).toEqual(['A', 'B', 'H', 'R2']);
    expect(keys(await list('county=411104,411121'))).toEqual(['D', 'E']);
  });

  it('category takes a list of codes', async () => {
    expect(keys(await list('category=sand_yard'))).toEqual(['A', 'G']);
    expect(keys(await list('category=fuel_point,brick_kiln'))).toEqual(['E', 'F', 'R1']);
    expect(keys(await list('category=dump_site'))).toEqual([]);
  });

  it('status takes a list of codes', async () => {
    expect(keys(await list('status=discovered'))).toEqual(['B', 'G', 'H', 'R1', 'R2']);
    expect(keys(await list('status=closed,relapsed,verified'))).toEqual(['A', 'C', 'D']);
  });

  it('q matches a substring of name or address, Chinese included, and treats % literally', async () => {
    expect(keys(await list(`q=${encodeURIComponent('砂石')}`))).toEqual(['A', 'G']);
    expect(keys(await list(`q=${encodeURIComponent('黄河路')}`))).toEqual(['A']); // address only
    expect(keys(await list(`q=${encodeURIComponent('加油')}`))).toEqual(['F', 'R1']);
    expect(keys(await list(`q=${encodeURIComponent('叶岗村')}`))).toEqual(['R2']);
    expect(keys(await list(`q=${encodeURIComponent('%')}`))).toEqual(['H']);
    expect(keys(await list(`q=${encodeURIComponent('_')}`))).toEqual([]);
    expect(keys(await list(`q=${encodeURIComponent('不存在的名字')}`))).toEqual([]);
  });

  it('asOf shows each site in its status on that date and leaves out sites not yet discovered', async () => {
    const on = async (date: string) => Object.fromEntries((await list(`asOf=${date}`)).features.map((f) => [keyOf.get(f.id), f.properties.status]));
    expect(await on('2021-06-15')).toEqual({
      R1: 'discovered',
      R2: 'discovered',
      A: 'closed',
      B: 'discovered',
      C: 'upgraded',
      D: 'discovered',
      G: 'discovered',
    });
    // an event on the date itself counts; the day before it does not
    expect((await on('2021-06-01')).A).toBe('closed');
    expect((await on('2021-05-31')).A).toBe('rectifying');
    // A is left out the day before its discovery and shown on the day itself
    expect(await on('2021-01-09')).not.toHaveProperty('A');
    expect((await on('2021-01-10')).A).toBe('discovered');
    expect(await on('2022-12-31')).toEqual(Object.fromEntries([['R1', 'discovered'], ['R2', 'discovered'], ...FIXTURE.map((s) => [s.key, s.status])]));
    // the real seeded sites date from the inspection's last day, 2019-12-27
    expect(await on('2019-12-26')).toEqual({});
    expect(await on('2019-12-27')).toEqual({ R1: 'discovered', R2: 'discovered' });
  });

  it('source separates real and demo records', async () => {
    expect(keys(await list('source=demo'))).toEqual(['G']);
    expect((await list('source=real')).features).toHaveLength(9);
  });

  it('located=false lists exactly the unlocated sites, with geometry null; located=true the others', async () => {
    const unlocated = await list('located=false');
    expect(keys(unlocated)).toEqual(['R1', 'R2']);
    for (const f of unlocated.features) {
      expect(f.geometry).toBeNull();
      expect(f.properties.precision).toBe('unlocated');
    }
    expect((await list('located=true')).features).toHaveLength(8);
  });
});

describe('GET /api/sites: filters combined', () => {
  it('county + status', async () => {
    expect(keys(await list('county=411102,411122&status=discovered'))).toEqual(['B', 'G', 'H', 'R2']);
  });

  it('bbox + category + status', async () => {
    expect(keys(await list('bbox=113.9,33.5,114.0,33.6&category=sand_yard,coal_point&status=discovered'))).toEqual(['H']);
  });

  it('asOf + status filters on the status of that date', async () => {
    // on 2021-06-15 A was already closed and D not yet
    expect(keys(await list('asOf=2021-06-15&status=closed'))).toEqual(['A']);
    expect(keys(await list('asOf=2021-12-31&status=closed'))).toEqual(['A', 'D']);
    expect(keys(await list('asOf=2022-12-31&status=closed'))).toEqual(['A']);
  });

  it('q + source + located + county', async () => {
    expect(keys(await list(`q=${encodeURIComponent('砂石')}&source=real`))).toEqual(['A']);
    expect(keys(await list('located=false&county=411103'))).toEqual(['R1']);
    expect(keys(await list('located=true&county=411103&asOf=2021-01-04'))).toEqual([]);
  });
});

describe('GET /api/sites: paging', () => {
  it('limit + cursor visits every site exactly once, in id order', async () => {
    const all = siteIds(await list(''));
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: SiteCollection = await list(`limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.features.length).toBeLessThanOrEqual(3);
      seen.push(...siteIds(page));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 20);
    expect(pages).toBe(4); // 10 sites: 3 + 3 + 3 + 1
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(10);
  });

  it('pages a filtered list too, and a last full page has no cursor', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: SiteCollection = await list(`county=411102&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.features).toHaveLength(1);
      seen.push(...siteIds(page));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 20);
    expect(pages).toBe(4);
    expect(seen.map((id) => keyOf.get(id)).sort()).toEqual(['A', 'B', 'H', 'R2']);
    const exact = await list('county=411102&limit=4');
    expect(exact.features).toHaveLength(4);
    expect(exact.nextCursor).toBeNull();
  });
});

describe('GET /api/sites/:id', () => {
  it('returns one feature with its events in order, inspections and linked tasks', async () => {
    h.db.run(
      "INSERT INTO inspections (site_id, date, inspector, result, note, created_at) VALUES (?, '2021-08-01', '市生态环境局', 'closed_as_recorded', '回头看', 'x')",
      [ids.A],
    );
    const res = await h.get<SiteDetail>(`/api/sites/${ids.A}`);
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('Feature');
    expect(res.body.id).toBe(ids.A);
    expect(res.body.properties.status).toBe('closed');
    expect(res.body.events.map((e) => [e.kind, e.from, e.to, e.date])).toEqual([
      ['status', null, 'discovered', '2021-01-10'],
      ['status', 'discovered', 'rectifying', '2021-03-01'],
      ['status', 'rectifying', 'closed', '2021-06-01'],
    ]);
    expect(res.body.events[2]!.checklist).toEqual(FULL_CHECKLIST);
    expect(res.body.inspections).toEqual([
      { id: expect.any(Number), date: '2021-08-01', inspector: '市生态环境局', result: 'closed_as_recorded', note: '回头看', photo: null },
    ]);
    expect(res.body.tasks.map((t) => t.number)).toEqual([...CATEGORY_TASKS.sand_yard]);
    expect(res.body.tasks.every((t) => t.link === 'category')).toBe(true);
    expect(res.body.tasks[0]!.problem.length).toBeGreaterThan(10);
  });

  it('links each category to the tasks of CATEGORY_TASKS', async () => {
    for (const site of FIXTURE) {
      const res = await h.get<SiteDetail>(`/api/sites/${ids[site.key]}`);
      expect(
        res.body.tasks.map((t) => t.number),
        site.key,
      ).toEqual([...CATEGORY_TASKS[site.input.category]]);
    }
  });

  it('shows the real fuel point unlocated, linked to tasks 8 and 15', async () => {
    const res = await h.get<SiteDetail>(`/api/sites/${REAL_FUEL_POINT_ID}`);
    expect(res.status).toBe(200);
    expect(res.body.geometry).toBeNull();
    expect(res.body.properties).toMatchObject({
      name: '郾襄路车管所停车场加油点',
      category: 'fuel_point',
      county: '411103',
      precision: 'unlocated',
      source: 'real',
    });
    expect(res.body.tasks.map((t) => t.number)).toEqual([8, 15]);
    expect(res.body.events.map((e) => [e.to, e.date])).toEqual([['discovered', '2019-12-27']]);
  });

  it('answers 404 in the error shape for an unknown site', async () => {
    const error = expectError(await h.get('/api/sites/9999'), 404, 'not_found');
    expect(error.message).toContain('9999');
  });
});

describe('typed client (hono/client hc<AppType>)', () => {
  it('lists, reads and creates sites through the typed routes', async () => {
    const listRes = await h.client.api.sites.$get({ query: { county: '411122', status: 'discovered' } });
    expect(listRes.status).toBe(200);
    const collection = await listRes.json();
    expect(collection.features.map((f) => f.id)).toEqual([ids.G]);
    expect(collection.features[0]!.properties.name).toBe('临颍县砂石堆场');

    const one = await h.client.api.sites[':id'].$get({ param: { id: String(ids.C) } });
    expect(one.status).toBe(200);
    if (one.status === 200) {
      const detail = await one.json();
      expect(detail.properties.status).toBe('verified');
      expect(detail.events.map((e) => e.to)).toEqual(['discovered', 'upgraded', 'verified']);
    }

    const created = await h.client.api.sites.$post({
      json: { name: '舞阳县纸箱作坊', category: 'carton_maker', lon: 113.66, lat: 33.56, discoveredOn: '2022-05-05' },
    });
    expect(created.status).toBe(201);
    if (created.status === 201) {
      const feature = await created.json();
      expect(feature.properties.county).toBe('411121');
    }

    const health = await h.client.api.health.$get();
    expect((await health.json()).sites).toBe(11);

    const tasks = await h.client.api.tasks.$get({ query: {} });
    expect((await tasks.json()).length).toBe(31);
  });
});
