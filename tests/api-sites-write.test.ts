// Writes to sites: POST /api/sites, PATCH /api/sites/:id, POST /api/sites/:id/events and
// PUT /api/sites/:id/location, with every refusal the contract names and proof that a refused write
// changes nothing.
import { describe, it, expect, beforeEach } from 'vitest';
import { STATUS_CODES, STATUS_MOVES } from '../domain/statuses.ts';
import type { StatusCode } from '../domain/statuses.ts';
import { addSiteEvent } from '../server/store/site-mutations.ts';
import {
  FULL_CHECKLIST,
  POINTS,
  REAL_COAL_POINT_ID,
  REAL_FUEL_POINT_ID,
  TODAY,
  bootTestApp,
  createSite,
  expectError,
  moveSite,
  siteState,
  walk,
} from './helpers/app.ts';
import type { Harness, SiteCollection, SiteDetail, SiteFeature } from './helpers/app.ts';

let h: Harness;

beforeEach(() => {
  h = bootTestApp();
});

const siteCount = () => h.db.get<{ n: number }>('SELECT count(*) AS n FROM sites')!.n;
const eventCount = () => h.db.get<{ n: number }>('SELECT count(*) AS n FROM site_events')!.n;
const detail = async (id: number) => (await h.get<SiteDetail>(`/api/sites/${id}`)).body;

async function sandYard(county: keyof typeof POINTS = '411102', discoveredOn = '2021-01-10'): Promise<SiteFeature> {
  const [lon, lat] = POINTS[county];
  return createSite(h, { name: `测试砂石料场${county}`, category: 'sand_yard', lon, lat, discoveredOn }, county);
}

describe('POST /api/sites', () => {
  it('creates a site: 201, county from its position, first event "discovered" on discoveredOn', async () => {
    const res = await h.send<SiteFeature>('POST', '/api/sites', {
      name: '  郾城区木材加工点 ',
      category: 'wood_processing',
      lon: 113.93,
      lat: 33.67,
      discoveredOn: '2022-03-04',
      address: '郾城区某村',
      note: '群众举报',
    });
    expect(res.status).toBe(201);
    expect(res.body.type).toBe('Feature');
    expect(res.body.geometry).toEqual({ type: 'Point', coordinates: [113.93, 33.67] });
    expect(res.body.properties).toMatchObject({
      name: '郾城区木材加工点',
      category: 'wood_processing',
      status: 'discovered',
      county: '411103',
      countyName: '郾城区',
      precision: 'exact',
      source: 'real',
      discoveredOn: '2022-03-04',
      version: 1,
    });
    const events = (await detail(res.body.id)).events;
    expect(events.map((e) => [e.from, e.to, e.date, e.note])).toEqual([[null, 'discovered', '2022-03-04', '群众举报']]);
    expect(siteCount()).toBe(3);
  });

  it.each([
    ['411102', 113.95, 33.55, '源汇区'],
    ['411103', 113.93, 33.67, '郾城区'],
    ['411104', 114.16, 33.57, '召陵区'],
    ['411121', 113.66, 33.56, '舞阳县'],
    ['411122', 113.94, 33.85, '临颍县'],
  ])('finds county %s from the position %f,%f', async (code, lon, lat, name) => {
    const res = await h.send<SiteFeature>('POST', '/api/sites', { name: '点', category: 'dump_site', lon, lat, discoveredOn: '2022-01-01' });
    expect(res.status).toBe(201);
    expect(res.body.properties.county).toBe(code);
    expect(res.body.properties.countyName).toBe(name);
  });

  it('resolves a township by name, by short name or by code, against the county’s official list', async () => {
    const byName = await h.send<SiteFeature>('POST', '/api/sites', {
      name: 'a',
      category: 'coal_point',
      lon: 113.95,
      lat: 33.55,
      discoveredOn: '2022-01-01',
      township: '空冢郭镇',
    });
    expect(byName.status).toBe(201);
    expect(byName.body.properties.township).toBe('411102102');
    expect(byName.body.properties.townshipName).toBe('空冢郭镇');
    const byShort = await h.send<SiteFeature>('POST', '/api/sites', {
      name: 'b',
      category: 'coal_point',
      lon: 113.95,
      lat: 33.55,
      discoveredOn: '2022-01-01',
      township: '问十',
    });
    expect(byShort.status).toBe(201);
    expect(byShort.body.properties.townshipName).toBe('问十乡');
    const byCode = await h.send<SiteFeature>('POST', '/api/sites', {
      name: 'c',
      category: 'coal_point',
      lon: 113.95,
      lat: 33.55,
      discoveredOn: '2022-01-01',
      township: '411102100',
    });
    expect(byCode.status).toBe(201);
    expect(byCode.body.properties.townshipName).toBe('大刘镇');
  });

  it('refuses a township of another county (400 naming the field) and writes nothing', async () => {
    const before = [siteCount(), eventCount()];
    // 沙北街道 (411103001) is in 郾城区, the point is in 源汇区
    const error = expectError(
      await h.send('POST', '/api/sites', { name: 'x', category: 'coal_point', lon: 113.95, lat: 33.55, discoveredOn: '2022-01-01', township: '411103001' }),
      400,
    );
    expect(error.details.field).toBe('township');
    expect(error.message).toContain('411103001');
    expectError(
      await h.send('POST', '/api/sites', { name: 'x', category: 'coal_point', lon: 113.95, lat: 33.55, discoveredOn: '2022-01-01', township: '沙北街道' }),
      400,
    );
    expect([siteCount(), eventCount()]).toEqual(before);
  });

  it('refuses a position outside every county with 422 and writes nothing', async () => {
    const before = [siteCount(), eventCount()];
    const error = expectError(
      await h.send('POST', '/api/sites', { name: '杭州', category: 'sand_yard', lon: 120.16, lat: 30.27, discoveredOn: '2022-01-01' }),
      422,
      'outside_counties',
    );
    expect(error.message).toContain('120.16');
    // a GCJ-02-like offset is inside; a swapped lon/lat pair is outside
    expectError(await h.send('POST', '/api/sites', { name: 'swap', category: 'sand_yard', lon: 33.55, lat: 113.95, discoveredOn: '2022-01-01' }), 400);
    expectError(await h.send('POST', '/api/sites', { name: 'swap', category: 'sand_yard', lon: 33.55, lat: 13.95, discoveredOn: '2022-01-01' }), 422);
    expect([siteCount(), eventCount()]).toEqual(before);
    expect((await h.get<{ sites: number }>('/api/health')).body.sites).toBe(2);
  });

  it('refuses a discovery date in the future (422) and bad fields (400 naming them)', async () => {
    const base = { name: 'x', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2022-01-01' };
    expect(expectError(await h.send('POST', '/api/sites', { ...base, discoveredOn: '2023-01-01' }), 422).details.field).toBe('discoveredOn');
    expect(expectError(await h.send('POST', '/api/sites', { ...base, category: 'factory' }), 400).details.field).toBe('category');
    expect(expectError(await h.send('POST', '/api/sites', { ...base, lat: 95 }), 400).details.field).toBe('lat');
    expect(expectError(await h.send('POST', '/api/sites', { ...base, name: '   ' }), 400).details.field).toBe('name');
    expect(expectError(await h.send('POST', '/api/sites', { ...base, discoveredOn: '2022/01/01' }), 400).details.field).toBe('discoveredOn');
    expect(expectError(await h.send('POST', '/api/sites', { ...base, unknownField: 1 }), 400).message).toContain('unknownField');
    const { name: _name, ...noName } = base;
    expect(expectError(await h.send('POST', '/api/sites', noName), 400).details.field).toBe('name');
    expect(siteCount()).toBe(2);
  });
});

describe('PATCH /api/sites/:id', () => {
  it('edits attributes with the version in the body and bumps the version', async () => {
    const site = await sandYard();
    const res = await h.send<SiteFeature>('PATCH', `/api/sites/${site.id}`, { version: 1, name: '改名后的料场', address: '新地址', sector: 'industrial' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.properties).toMatchObject({ name: '改名后的料场', address: '新地址', sector: 'industrial', version: 2, status: 'discovered' });
    expect((await detail(site.id)).properties.name).toBe('改名后的料场');
  });

  it('accepts the version as If-Match (quoted, weak or bare)', async () => {
    const site = await sandYard();
    const r1 = await h.send<SiteFeature>('PATCH', `/api/sites/${site.id}`, { name: 'v2' }, { 'If-Match': '"1"' });
    expect(r1.status, r1.text).toBe(200);
    expect(r1.body.properties.version).toBe(2);
    const r2 = await h.send<SiteFeature>('PATCH', `/api/sites/${site.id}`, { name: 'v3' }, { 'If-Match': 'W/"2"' });
    expect(r2.status, r2.text).toBe(200);
    const r3 = await h.send<SiteFeature>('PATCH', `/api/sites/${site.id}`, { name: 'v4' }, { 'If-Match': '3' });
    expect(r3.status, r3.text).toBe(200);
    expect(r3.body.properties).toMatchObject({ name: 'v4', version: 4 });
  });

  it('answers a stale version with 409 and changes nothing (body or If-Match)', async () => {
    const site = await sandYard();
    await h.send('PATCH', `/api/sites/${site.id}`, { version: 1, name: '第二版' });
    const before = await detail(site.id);
    const error = expectError(await h.send('PATCH', `/api/sites/${site.id}`, { version: 1, name: '过期的修改' }), 409, 'stale_version');
    expect(error.details).toMatchObject({ expected: 1, current: 2 });
    expectError(await h.send('PATCH', `/api/sites/${site.id}`, { name: '过期的修改' }, { 'If-Match': '"1"' }), 409, 'stale_version');
    expect(await detail(site.id)).toEqual(before);
    expect(before.properties.name).toBe('第二版');
  });

  it('answers a missing version with 400 naming it, and changes nothing', async () => {
    const site = await sandYard();
    const before = await detail(site.id);
    const error = expectError(await h.send('PATCH', `/api/sites/${site.id}`, { name: '无版本' }), 400, 'version_required');
    expect(error.details.field).toBe('version');
    expect(error.message).toContain('version');
    expectError(await h.send('PATCH', `/api/sites/${site.id}`, { name: '无版本' }, { 'If-Match': 'abc' }), 400);
    expect(await detail(site.id)).toEqual(before);
  });

  it('refuses a township of another county and leaves the site as it was', async () => {
    const site = await sandYard();
    const before = await detail(site.id);
    expect(expectError(await h.send('PATCH', `/api/sites/${site.id}`, { version: 1, name: '新名', township: '沙北街道' }), 400).details.field).toBe('township');
    expect(await detail(site.id)).toEqual(before);
  });

  it('answers 404 for an unknown site and 400 for fields that are not editable', async () => {
    expectError(await h.send('PATCH', '/api/sites/9999', { version: 1, name: 'x' }), 404, 'not_found');
    const site = await sandYard();
    expect(expectError(await h.send('PATCH', `/api/sites/${site.id}`, { version: 1, status: 'closed' }), 400).message).toContain('status');
    expect(siteState(h.db, site.id)).toEqual({ status: 'discovered', version: 1, events: 1 });
  });

  it('a category change moves the site’s linked tasks', async () => {
    const site = await sandYard();
    await h.send('PATCH', `/api/sites/${site.id}`, { version: 1, category: 'fuel_point' });
    expect((await detail(site.id)).tasks.map((t) => t.number)).toEqual([8, 15]);
  });
});

describe('POST /api/sites/:id/events', () => {
  /** How to reach each status from discovered. */
  const PATH_TO: Record<StatusCode, StatusCode[]> = {
    discovered: [],
    rectifying: ['rectifying'],
    closed: ['closed'],
    upgraded: ['upgraded'],
    relocated: ['relocated'],
    verified: ['upgraded', 'verified'],
    relapsed: ['closed', 'relapsed'],
    voided: ['voided'],
  };

  it.each(STATUS_CODES)('from %s: every disallowed move is 409 listing the allowed moves, and changes nothing', async (from) => {
    const site = await sandYard('411102', '2021-01-01');
    await walk(h, site.id, PATH_TO[from], '2021-06-01');
    expect(siteState(h.db, site.id).status).toBe(from);
    const before = siteState(h.db, site.id);
    const disallowed = STATUS_CODES.filter((to) => !STATUS_MOVES[from].includes(to));
    expect(disallowed.length).toBeGreaterThan(0);
    for (const to of disallowed) {
      const body = to === 'closed' ? { to, date: '2022-01-01', checklist: FULL_CHECKLIST } : { to, date: '2022-01-01' };
      const error = expectError(await h.send('POST', `/api/sites/${site.id}/events`, body), 409, 'status_move_not_allowed');
      expect(error.details).toMatchObject({ from, to, allowed: [...STATUS_MOVES[from]] });
      expect(error.message).toContain(`allowed: ${STATUS_MOVES[from].join(', ')}`);
      expect(siteState(h.db, site.id)).toEqual(before);
    }
  });

  it('the lifecycle table matches docs/domain.md for a few pairs', () => {
    expect(STATUS_MOVES.discovered).toEqual(['rectifying', 'closed', 'upgraded', 'relocated', 'voided']);
    expect(STATUS_MOVES.verified).toEqual(['relapsed', 'voided']);
    expect(STATUS_MOVES.relapsed).toEqual(['rectifying', 'closed', 'voided']);
    expect(STATUS_MOVES.closed).toEqual(['verified', 'relapsed', 'voided']);
    expect(STATUS_MOVES.voided).toEqual([]);
  });

  it('refusal messages for chosen pairs name the allowed moves', async () => {
    const site = await sandYard('411102', '2021-01-01');
    const msg = async (to: StatusCode) => expectError(await h.send('POST', `/api/sites/${site.id}/events`, { to, date: '2022-01-01' }), 409).message;
    expect(await msg('verified')).toMatch(/discovered to verified; allowed: rectifying, closed, upgraded, relocated, voided$/);
    await walk(h, site.id, ['upgraded', 'verified'], '2021-02-01');
    expect(await msg('rectifying')).toMatch(/verified to rectifying; allowed: relapsed, voided$/);
    await moveSite(h, site.id, 'relapsed', '2021-03-01');
    expect(await msg('upgraded')).toMatch(/relapsed to upgraded; allowed: rectifying, closed, voided$/);
  });

  it.each(STATUS_CODES)('from %s: every allowed move is accepted (201) and recorded', async (from) => {
    for (const to of STATUS_MOVES[from]) {
      const site = await sandYard('411102', '2021-01-01');
      await walk(h, site.id, PATH_TO[from], '2021-06-01');
      const body =
        to === 'closed' ? { to, date: '2022-01-01', checklist: FULL_CHECKLIST } : { to, date: '2022-01-01', note: `${from}→${to}`, evidence: ['photo-1'] };
      const res = await h.send<{ event: { from: string; to: string; date: string }; site: SiteFeature }>('POST', `/api/sites/${site.id}/events`, body);
      expect(res.status, `${from}→${to}: ${res.text}`).toBe(201);
      expect(res.body.event).toMatchObject({ from, to, date: '2022-01-01' });
      expect(res.body.site.properties.status).toBe(to);
      expect(res.body.site.properties.version).toBe(1 + PATH_TO[from].length + 1);
    }
  });

  it('closing needs the full 两断三清 checklist: 422 naming the missing items', async () => {
    const site = await sandYard();
    const before = siteState(h.db, site.id);
    const none = expectError(await h.send('POST', `/api/sites/${site.id}/events`, { to: 'closed', date: '2022-01-01' }), 422, 'closure_checklist_incomplete');
    expect(none.details.missing).toEqual(['cutWater', 'cutPower', 'clearMaterials', 'clearEquipment', 'clearProducts']);
    const part = expectError(
      await h.send('POST', `/api/sites/${site.id}/events`, {
        to: 'closed',
        date: '2022-01-01',
        checklist: { cutWater: true, cutPower: true, clearMaterials: false },
      }),
      422,
    );
    expect(part.details.missing).toEqual(['clearMaterials', 'clearEquipment', 'clearProducts']);
    expect(part.message).toContain('clearMaterials, clearEquipment, clearProducts');
    expect(part.message).not.toContain('cutWater');
    expect(siteState(h.db, site.id)).toEqual(before);
    await moveSite(h, site.id, 'closed', '2022-01-01', FULL_CHECKLIST);
    expect(siteState(h.db, site.id)).toEqual({ status: 'closed', version: 2, events: 2 });
  });

  it('a fuel point also needs tanksSealed', async () => {
    const site = await createSite(h, { name: '黑加油点', category: 'fuel_point', lon: 113.93, lat: 33.67, discoveredOn: '2022-01-01' }, '411103');
    const error = expectError(await h.send('POST', `/api/sites/${site.id}/events`, { to: 'closed', date: '2022-02-01', checklist: FULL_CHECKLIST }), 422);
    expect(error.details.missing).toEqual(['tanksSealed']);
    expect(error.message).toContain('tanksSealed');
    expect(siteState(h.db, site.id)).toEqual({ status: 'discovered', version: 1, events: 1 });
    await moveSite(h, site.id, 'closed', '2022-02-01', { ...FULL_CHECKLIST, tanksSealed: true });
    expect(siteState(h.db, site.id).status).toBe('closed');
  });

  it('refuses a date before the last event or in the future (422), accepts the same day and today', async () => {
    const site = await sandYard('411102', '2021-01-10');
    await moveSite(h, site.id, 'rectifying', '2021-03-01');
    const before = siteState(h.db, site.id);
    const early = expectError(await h.send('POST', `/api/sites/${site.id}/events`, { to: 'upgraded', date: '2021-02-28' }), 422, 'event_date_before_last');
    expect(early.details).toMatchObject({ field: 'date', lastEvent: '2021-03-01' });
    const future = expectError(await h.send('POST', `/api/sites/${site.id}/events`, { to: 'upgraded', date: '2023-01-01' }), 422, 'event_date_in_future');
    expect(future.details.field).toBe('date');
    expect(future.message).toContain(TODAY);
    expect(siteState(h.db, site.id)).toEqual(before);
    await moveSite(h, site.id, 'upgraded', '2021-03-01');
    await moveSite(h, site.id, 'verified', TODAY);
    expect(siteState(h.db, site.id)).toEqual({ status: 'verified', version: 4, events: 4 });
  });

  it("judges 'in the future' by Beijing's date: at 07:30 in Luohe (23:30 UTC the day before) today is already the new day", async () => {
    const site = await sandYard('411102', '2021-01-10');
    const late = { now: '2026-12-05T23:30:00.000Z' };
    let refused: unknown = null;
    try {
      addSiteEvent(h.db, site.id, { to: 'rectifying', date: '2026-12-07', actor: 'admin' }, late);
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: 'event_date_in_future', details: { today: '2026-12-06' } });
    addSiteEvent(h.db, site.id, { to: 'rectifying', date: '2026-12-06', actor: 'admin' }, late);
    expect(siteState(h.db, site.id).status).toBe('rectifying');
    // 23:59 in Beijing (15:59 UTC): still the 5th.
    expect(() =>
      addSiteEvent(h.db, site.id, { to: 'closed', date: '2026-12-06', actor: 'admin', checklist: FULL_CHECKLIST }, { now: '2026-12-05T15:59:00.000Z' }),
    ).toThrow(/today is 2026-12-05/);
  });

  it('refuses malformed bodies with 400 naming the field, and an unknown site with 404', async () => {
    const site = await sandYard();
    expect(expectError(await h.send('POST', `/api/sites/${site.id}/events`, { to: 'demolished', date: '2022-01-01' }), 400).details.field).toBe('to');
    expect(expectError(await h.send('POST', `/api/sites/${site.id}/events`, { to: 'rectifying', date: '01/02/2022' }), 400).details.field).toBe('date');
    expect(expectError(await h.send('POST', `/api/sites/${site.id}/events`, { to: 'rectifying' }), 400).details.field).toBe('date');
    expect(
      expectError(await h.send('POST', `/api/sites/${site.id}/events`, { to: 'closed', date: '2022-01-01', checklist: { cutWater: 'yes' } }), 400).details
        .field,
    ).toBe('checklist.cutWater');
    expectError(await h.send('POST', '/api/sites/9999/events', { to: 'rectifying', date: '2022-01-01' }), 404, 'not_found');
    expect(siteState(h.db, site.id)).toEqual({ status: 'discovered', version: 1, events: 1 });
  });

  it('records the signed-in user as actor, with note, checklist and evidence, in the history', async () => {
    const site = await sandYard();
    const move = { to: 'closed', date: '2022-01-01', note: '两断三清到位', evidence: ['photo:123', 'doc:456'], checklist: FULL_CHECKLIST };
    // who did it is the signed-in user, never a name in the body
    expect(expectError(await h.send('POST', `/api/sites/${site.id}/events`, { ...move, actor: '源汇区生态环境分局' }), 400, 'bad_field').message).toMatch(
      /actor/,
    );
    const inspector = h.as('inspector', [site.properties.county]);
    const res = await inspector.send('POST', `/api/sites/${site.id}/events`, move);
    expect(res.status).toBe(201);
    const last = (await detail(site.id)).events.at(-1)!;
    expect(last).toMatchObject({
      kind: 'status',
      from: 'discovered',
      to: 'closed',
      date: '2022-01-01',
      actor: inspector.username,
      note: '两断三清到位',
      evidence: ['photo:123', 'doc:456'],
      checklist: FULL_CHECKLIST,
    });
  });
});

describe('PUT /api/sites/:id/location', () => {
  it('moving a site to another county recomputes the county, reports countyChanged and records a location event', async () => {
    const site = await createSite(
      h,
      { name: '流动料场', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2021-01-10', township: '空冢郭镇' },
      '411102',
    );
    const res = await h.send<{ site: SiteFeature; countyChanged: { from: string; to: string } | null }>('PUT', `/api/sites/${site.id}/location`, {
      lon: 114.16,
      lat: 33.57,
      precision: 'approximate',
      date: '2022-05-01',
      note: '实地核实位置',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.countyChanged).toEqual({ from: '411102', to: '411104' });
    expect(res.body.site.geometry).toEqual({ type: 'Point', coordinates: [114.16, 33.57] });
    expect(res.body.site.properties).toMatchObject({ county: '411104', countyName: '召陵区', precision: 'approximate', version: 2, status: 'discovered' });
    // the township belonged to the old county, so it is cleared
    expect(res.body.site.properties.township).toBeNull();
    const events = (await detail(site.id)).events;
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ kind: 'location', from: 'discovered', to: 'discovered', date: '2022-05-01', note: '实地核实位置' });
    expect(events[1]!.details).toMatchObject({
      from: { lon: 113.95, lat: 33.55, county: '411102' },
      to: { lon: 114.16, lat: 33.57, county: '411104', precision: 'approximate' },
    });
    // the lists follow
    const inZhaoling = await h.get<SiteCollection>('/api/sites?county=411104');
    expect(inZhaoling.body.features.map((f) => f.id)).toEqual([site.id]);
    const box = await h.get<SiteCollection>('/api/sites?bbox=113.9,33.5,114.0,33.6');
    expect(box.body.features.map((f) => f.id)).not.toContain(site.id);
  });

  it('a move inside the same county reports countyChanged null and keeps the township', async () => {
    const site = await createSite(
      h,
      { name: '料场', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2021-01-10', township: '空冢郭镇' },
      '411102',
    );
    const res = await h.send<{ site: SiteFeature; countyChanged: unknown }>('PUT', `/api/sites/${site.id}/location`, {
      lon: 113.96,
      lat: 33.56,
      date: '2022-01-01',
    });
    expect(res.status).toBe(200);
    expect(res.body.countyChanged).toBeNull();
    expect(res.body.site.properties).toMatchObject({ county: '411102', township: '411102102', precision: 'exact' });
  });

  it('places an unlocated real site: it gets a geometry and leaves the located=false list', async () => {
    const res = await h.send<{ site: SiteFeature; countyChanged: unknown }>('PUT', `/api/sites/${REAL_FUEL_POINT_ID}/location`, { lon: 113.93, lat: 33.67 });
    expect(res.status, res.text).toBe(200);
    expect(res.body.countyChanged).toBeNull(); // the plan already said 郾城区
    expect(res.body.site.geometry).toEqual({ type: 'Point', coordinates: [113.93, 33.67] });
    expect(res.body.site.properties.precision).toBe('exact');
    const events = (await detail(REAL_FUEL_POINT_ID)).events;
    expect(events.at(-1)).toMatchObject({ kind: 'location', date: TODAY }); // date defaults to today
    expect((events.at(-1)!.details as { from: unknown }).from).toBeNull();
    const unlocated = await h.get<SiteCollection>('/api/sites?located=false');
    expect(unlocated.body.features.map((f) => f.id)).toEqual([REAL_COAL_POINT_ID]);
    const box = await h.get<SiteCollection>('/api/sites?bbox=113.92,33.66,113.94,33.68');
    expect(box.body.features.map((f) => f.id)).toEqual([REAL_FUEL_POINT_ID]);
  });

  it('refuses a position outside every county (422), a date before the last event (422), an unknown site (404); nothing changes', async () => {
    const site = await sandYard('411102', '2021-01-10');
    await moveSite(h, site.id, 'rectifying', '2021-06-01');
    const before = await detail(site.id);
    expectError(await h.send('PUT', `/api/sites/${site.id}/location`, { lon: 116.4, lat: 39.9 }), 422, 'outside_counties');
    expectError(await h.send('PUT', `/api/sites/${site.id}/location`, { lon: 114.16, lat: 33.57, date: '2021-05-31' }), 422, 'event_date_before_last');
    expectError(await h.send('PUT', `/api/sites/${site.id}/location`, { lon: 114.16, lat: 33.57, date: '2023-01-01' }), 422, 'event_date_in_future');
    expect(expectError(await h.send('PUT', `/api/sites/${site.id}/location`, { lon: 114.16 }), 400).details.field).toBe('lat');
    expect(expectError(await h.send('PUT', `/api/sites/${site.id}/location`, { lon: 114.16, lat: 33.57, precision: 'unlocated' }), 400).details.field).toBe(
      'precision',
    );
    expect(await detail(site.id)).toEqual(before);
    expectError(await h.send('PUT', '/api/sites/9999/location', { lon: 114.16, lat: 33.57 }), 404, 'not_found');
  });

  it('a location event does not change the status shown as of any date', async () => {
    const site = await sandYard('411102', '2021-01-10');
    await moveSite(h, site.id, 'closed', '2021-06-01', FULL_CHECKLIST);
    await h.send('PUT', `/api/sites/${site.id}/location`, { lon: 114.16, lat: 33.57, date: '2022-01-01' });
    const asOf = async (date: string) => (await h.get<SiteCollection>(`/api/sites?asOf=${date}&county=411104`)).body.features.map((f) => f.properties.status);
    expect(await asOf('2022-06-01')).toEqual(['closed']);
    expect(await asOf('2021-03-01')).toEqual(['discovered']);
    expect(siteState(h.db, site.id)).toEqual({ status: 'closed', version: 3, events: 3 });
  });
});
