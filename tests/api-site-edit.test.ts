// What the page's site forms rely on: a stale edit's 409 says who changed the site, when, and what
// it holds now; the official township and village lists; villages on create and edit.
import { describe, it, expect, beforeEach } from 'vitest';
import { POINTS, bootTestApp, createSite, expectError } from './helpers/app.ts';
import type { Harness, SiteDetail, SiteFeature } from './helpers/app.ts';

let h: Harness;

beforeEach(() => {
  h = bootTestApp();
});

describe('PATCH /api/sites/:id on a stale version', () => {
  it('409 names who changed the site since and when, and carries its values now (note included)', async () => {
    const [lon, lat] = POINTS['411102'];
    const site = await createSite(h, { name: '砂石料场甲', category: 'sand_yard', lon, lat, discoveredOn: '2022-01-10' }, '411102');
    const official = h.as('county', ['411102']);
    expect((await official.send('PATCH', `/api/sites/${site.id}`, { version: 1, address: '新地址', note: '县区补充的备注' })).status).toBe(200);
    const stale = expectError(await h.send('PATCH', `/api/sites/${site.id}`, { version: 1, name: '管理员改名' }), 409, 'stale_version');
    expect(stale.details).toMatchObject({
      expected: 1,
      current: 2,
      now: { version: 2, name: '砂石料场甲', address: '新地址', note: '县区补充的备注' },
      changedBy: 'county-411102',
    });
    const audit = (await h.get<{ records: { at: string; actor: string }[] }>(`/api/audit?target=site:${site.id}`)).body.records;
    expect(stale.details.changedAt).toBe(audit[0]!.at);
    expect(stale.message).toContain('county-411102');
    expect((await h.get<SiteDetail>(`/api/sites/${site.id}`)).body).toMatchObject({ note: '县区补充的备注', properties: { name: '砂石料场甲', version: 2 } });
  });
});

describe('official places', () => {
  it('GET /api/counties/:code/places lists the townships with their villages; 404 for a county not on the map', async () => {
    const places = (
      await h.get<{ county: string; townships: { code: string; name: string; villages: { code: string; name: string }[] }[] }>('/api/counties/411102/places')
    ).body;
    expect(places.county).toBe('411102');
    const township = places.townships.find((t) => t.name === '空冢郭镇')!;
    expect(township.villages.map((v) => v.name)).toContain('叶岗村村民委员会');
    expect(places.townships.every((t) => t.code.startsWith('411102'))).toBe(true);
    expectError(await h.get('/api/counties/411199/places'), 404);
  });

  it('a site is created and edited with a township and village by name, checked against the lists', async () => {
    const [lon, lat] = POINTS['411102'];
    const created = await h.send<SiteFeature>('POST', '/api/sites', {
      name: '叶岗村散煤点',
      category: 'coal_point',
      lon,
      lat,
      discoveredOn: '2022-01-10',
      township: '空冢郭镇',
      village: '叶岗村',
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.properties).toMatchObject({ townshipName: '空冢郭镇', villageName: '叶岗村村民委员会' });
    const wrong = expectError(
      await h.send('POST', '/api/sites', {
        name: 'x',
        category: 'coal_point',
        lon,
        lat,
        discoveredOn: '2022-01-10',
        township: '空冢郭镇',
        village: '不存在村',
      }),
      400,
    );
    expect(wrong.details).toMatchObject({ field: 'village', reason: 'village_not_in_township', value: '不存在村' });
    const edited = await h.send<SiteFeature>('PATCH', `/api/sites/${created.body.id}`, { version: 1, township: '老街街道', village: '滨西社区' });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.properties).toMatchObject({ townshipName: '老街街道', villageName: '滨西社区居民委员会' });
    // Another township without a village clears the old village.
    const moved = await h.send<SiteFeature>('PATCH', `/api/sites/${created.body.id}`, { version: 2, township: '空冢郭镇' });
    expect(moved.body.properties).toMatchObject({ townshipName: '空冢郭镇', villageName: null });
  });
});
