// Roads worked from the page: PATCH /api/roads/:id with the version read (409 says who changed it),
// status moves with photos, and assignment of the plan's unassigned roads as a recorded event in the
// history and in the audit trail (never a silent side effect of drawing).
import { beforeEach, describe, expect, it } from 'vitest';
import { countyOfLine } from '../server/geo/locate-line.ts';
import { POINTS, bootTestApp, expectError, type Harness, type RoadDetail } from './helpers/app.ts';

let h: Harness;
beforeEach(() => {
  h = bootTestApp();
});

const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));

const YUANHUI = '411102';
const YANCHENG = '411103';
const lineIn = (county: keyof typeof POINTS) => {
  const [lon, lat] = POINTS[county];
  return {
    type: 'LineString',
    coordinates: [
      [lon - 0.002, lat],
      [lon + 0.002, lat],
    ],
  };
};

/** The plan's 金江路: seeded real and unassigned (the plan names no district). */
function jinjiang(): number {
  return h.db.get<{ id: number }>("SELECT id FROM road_segments WHERE road_name = '金江路'")!.id;
}

async function road(id: number): Promise<RoadDetail> {
  const res = await h.get<RoadDetail>(`/api/roads/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

const audit = (id: number, action: string) =>
  h.db.all<{ actor: string; before: string; after: string }>('SELECT actor, before, after FROM audit_log WHERE target = ? AND action = ? ORDER BY id', [
    `road:${id}`,
    action,
  ]);

describe('PATCH /api/roads/:id', () => {
  it('edits fields with the version read, bumps the version and keeps an audit record', async () => {
    const id = jinjiang();
    const before = await road(id);
    const res = await h.send<RoadDetail>('PATCH', `/api/roads/${id}`, {
      version: before.properties.version,
      responsibleUnit: '市城市管理局',
      deadline: '2023-06-30',
      severity: 'severe',
      task: 19,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.properties).toMatchObject({
      responsibleUnit: '市城市管理局',
      deadline: '2023-06-30',
      severity: 'severe',
      task: 19,
      version: before.properties.version + 1,
    });
    const [record] = audit(id, 'road.edit');
    expect(record!.actor).toBe('admin');
    expect(JSON.parse(record!.after).properties.responsibleUnit).toBe('市城市管理局');
  });

  it('a stale version gets 409 saying who changed it and when, and writes nothing', async () => {
    const id = jinjiang();
    const { version } = (await road(id)).properties;
    const county = h.as('county', [YUANHUI]);
    expect((await h.send('PATCH', `/api/roads/${id}`, { version, note: '第一次' })).status).toBe(200);
    const stale = await county.send('PATCH', `/api/roads/${id}`, { version, responsibleUnit: '源汇区住建局' });
    const error = expectError(stale, 409, 'stale_version');
    expect(error.details).toMatchObject({ expected: version, current: version + 1, changedBy: 'admin' });
    expect(String(error.details.changedAt)).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await road(id)).properties).toMatchObject({ version: version + 1, responsibleUnit: null, note: '第一次' });
  });

  it('refuses a missing version (400), an unknown task or county (422) and an unknown segment (404)', async () => {
    const id = jinjiang();
    expectError(await h.send('PATCH', `/api/roads/${id}`, { note: 'x' }), 400);
    expectError(await h.send('PATCH', `/api/roads/${id}`, { version: 1, task: 77 }), 422, 'unknown_task');
    expectError(await h.send('PATCH', `/api/roads/${id}`, { version: 1, county: '419999' }), 422, 'unknown_county');
    expectError(await h.send('PATCH', '/api/roads/99999', { version: 1, note: 'x' }), 404);
    expect((await road(id)).properties.version).toBe(1);
  });

  it('a new county is an assignment: in the history (who, when, from, to) and in the audit trail', async () => {
    const id = jinjiang();
    const res = await h.send<RoadDetail>('PATCH', `/api/roads/${id}`, { version: 1, county: YANCHENG });
    expect(res.status, res.text).toBe(200);
    const assignment = res.body.events.find((e) => e.kind === 'assignment');
    expect(assignment).toMatchObject({ fromCounty: null, toCounty: YANCHENG, actor: 'admin', date: '2022-12-31' });
    expect(audit(id, 'road.assign').map((r) => [JSON.parse(r.before).county, JSON.parse(r.after).county])).toEqual([[null, YANCHENG]]);
  });
});

describe('drawing an unassigned road (PUT /api/roads/:id/geometry)', () => {
  it('a county official draws 金江路 in their county and assigns it: one assignment event, one road.assign record', async () => {
    const id = jinjiang();
    const county = h.as('county', [YUANHUI]);
    const res = await county.send<RoadDetail>('PUT', `/api/roads/${id}/geometry`, { geometry: lineIn(YUANHUI), county: YUANHUI });
    expect(res.status, res.text).toBe(200);
    expect(res.body.properties.county).toBe(YUANHUI);
    const kinds = res.body.events.map((e) => e.kind);
    expect(kinds).toEqual(['status', 'assignment', 'geometry']);
    expect(res.body.events[1]).toMatchObject({ fromCounty: null, toCounty: YUANHUI, actor: 'county-411102' });
    const records = audit(id, 'road.assign');
    expect(records).toHaveLength(1);
    expect(records[0]!.actor).toBe('county-411102');
    // Redrawing inside the same county assigns nothing new.
    const again = await county.send<RoadDetail>('PUT', `/api/roads/${id}/geometry`, { geometry: lineIn(YUANHUI) });
    expect(again.body.events.filter((e) => e.kind === 'assignment')).toHaveLength(1);
    expect(audit(id, 'road.assign')).toHaveLength(1);
  });

  it('a county official cannot draw outside their counties, nor assign to another county, nor draw another county’s road', async () => {
    const id = jinjiang();
    const county = h.as('county', [YUANHUI]);
    expectError(await county.send('PUT', `/api/roads/${id}/geometry`, { geometry: lineIn(YANCHENG) }), 403, 'forbidden_county');
    expectError(await county.send('PUT', `/api/roads/${id}/geometry`, { geometry: lineIn(YUANHUI), county: YANCHENG }), 403, 'forbidden_county');
    // The midpoint in 源汇区, the last vertex just across the line into 郾城区: still outside.
    const [lon, lat] = POINTS[YUANHUI];
    const [otherLon, otherLat] = POINTS[YANCHENG];
    const at = (f: number): [number, number] => [lon + (otherLon - lon) * f, lat + (otherLat - lat) * f];
    let inside = 0;
    let outside = 1;
    while (outside - inside > 1e-4) {
      const middle = (inside + outside) / 2;
      if (h.ctx.locator.locate(...at(middle)) === YUANHUI) inside = middle;
      else outside = middle;
    }
    const straddling = { type: 'LineString' as const, coordinates: [at(0), at(inside), at(outside)] };
    expect(countyOfLine(h.ctx.locator, straddling)).toBe(YUANHUI);
    expect(h.ctx.locator.locate(...at(outside))).toBe(YANCHENG);
    expectError(await county.send('PUT', `/api/roads/${id}/geometry`, { geometry: straddling, county: YUANHUI }), 403, 'forbidden_county');
    expect((await h.send('PATCH', `/api/roads/${id}`, { version: 1, county: YANCHENG })).status).toBe(200);
    expectError(await county.send('PUT', `/api/roads/${id}/geometry`, { geometry: lineIn(YUANHUI) }), 403, 'forbidden_county');
    expect((await road(id)).geometry).toBeNull();
  });

  it('the database refuses a county change without an assignment row', () => {
    const id = jinjiang();
    expect(() => h.db.run('UPDATE road_segments SET county_code = ? WHERE id = ?', [YUANHUI, id])).toThrow(/road_assignments/);
  });
});

describe('POST /api/roads/:id/events with photos', () => {
  it('keeps the photos of a move in its history; refuses a photo never uploaded (422) and a bad reference (400)', async () => {
    const id = jinjiang();
    const upload = await h.request('/api/photos', { method: 'POST', body: PNG, headers: { 'content-type': 'image/png' } });
    const { ref } = (await upload.json()) as { ref: string };
    const missing = `photo/${'0'.repeat(32)}.jpg`;
    expectError(await h.send('POST', `/api/roads/${id}/events`, { to: 'scheduled', date: '2022-06-01', evidence: [missing] }), 422, 'unknown_photo');
    expectError(await h.send('POST', `/api/roads/${id}/events`, { to: 'scheduled', date: '2022-06-01', evidence: ['../etc/passwd'] }), 400);
    const res = await h.send<RoadDetail>('POST', `/api/roads/${id}/events`, {
      to: 'scheduled',
      date: '2022-06-01',
      note: '已列入计划',
      evidence: [`photo/${ref}`],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.events.at(-1)).toMatchObject({ kind: 'status', to: 'scheduled', note: '已列入计划', evidence: [`photo/${ref}`] });
  });
});
