// /api/roads (lines with a forward-only repair lifecycle) and /api/tasks (the plan's 31 tasks with
// progress computed from linked sites).
import { describe, it, expect, beforeEach } from 'vitest';
import { along, length, lineString } from '@turf/turf';
import { CATEGORY_TASKS } from '../domain/categories.ts';
import { ROAD_STATUS_CODES, ROAD_STATUS_MOVES } from '../domain/statuses.ts';
import type { RoadStatusCode, StatusCode } from '../domain/statuses.ts';
import { FIXTURE, REAL_COAL_POINT_ID, REAL_FUEL_POINT_ID, TODAY, bootTestApp, buildFixture, expectError } from './helpers/app.ts';
import type { Harness, RoadDetail, RoadFeature, TaskJson } from './helpers/app.ts';

let h: Harness;

beforeEach(() => {
  h = bootTestApp();
});

interface RoadList {
  type: 'FeatureCollection';
  features: RoadFeature[];
}

const roads = async (query = '') => {
  const res = await h.get<RoadList>(`/api/roads${query ? `?${query}` : ''}`);
  expect(res.status, res.text).toBe(200);
  return res.body.features;
};
const roadNames = async (query = '') => (await roads(query)).map((r) => r.properties.roadName);
const roadState = (id: number) =>
  h.db.get<{ status: string; version: number; events: number }>(
    'SELECT status, version, (SELECT count(*) FROM road_events WHERE road_id = r.id) AS events FROM road_segments r WHERE id = ?',
    [id],
  )!;

/** First point in 源汇区, most of the length in 召陵区: the midpoint decides. */
const CROSSING_LINE: [number, number][] = [
  [113.95, 33.55],
  [114.16, 33.57],
  [114.2, 33.57],
];
const ZHAOLING_LINE: [number, number][] = [
  [114.15, 33.57],
  [114.17, 33.58],
];
const SEEDED_ROADS = ['金江路', '嵩山路', '银江路', '人民路', '中山路', '东山路', '南环路', '龙江路', 'G107'];

async function newRoad(body: Record<string, unknown>): Promise<RoadDetail> {
  const res = await h.send<RoadDetail>('POST', '/api/roads', body);
  expect(res.status, res.text).toBe(201);
  return res.body;
}

describe('GET /api/roads', () => {
  it('lists the plan’s 9 named road segments, undrawn, reported on the inspection’s last day', async () => {
    const list = await roads();
    expect(list.map((r) => r.properties.roadName)).toEqual(SEEDED_ROADS);
    for (const r of list) {
      expect(r.type).toBe('Feature');
      expect(r.geometry).toBeNull();
      expect(r.properties).toMatchObject({ drawn: false, status: 'reported', source: 'real', reportedOn: '2019-12-27', county: null });
    }
    expect(list.filter((r) => r.properties.task === 19)).toHaveLength(6);
    expect(list.filter((r) => r.properties.task === 20)).toHaveLength(3);
    expect(list.find((r) => r.properties.roadName === '东山路')!.properties.severity).toBe('severe');
  });

  it('GET /api/roads/:id gives one segment with its history; unknown id → 404', async () => {
    const res = await h.get<RoadDetail>('/api/roads/2');
    expect(res.status).toBe(200);
    expect(res.body.properties.roadName).toBe('嵩山路');
    expect(res.body.events.map((e) => [e.kind, e.from, e.to, e.date])).toEqual([['status', null, 'reported', '2019-12-27']]);
    expectError(await h.get('/api/roads/999'), 404, 'not_found');
    expectError(await h.get('/api/roads/abc'), 400);
  });

  it('filters by status, county, asOf and drawn, alone and combined', async () => {
    const crossing = await newRoad({
      roadName: '测试大道',
      severity: 'moderate',
      reportedOn: '2021-03-01',
      geometry: { type: 'LineString', coordinates: CROSSING_LINE },
    });
    const wuyang = await newRoad({ roadName: '舞阳乡道', severity: 'minor', reportedOn: '2022-05-01', county: '411121' });
    await h.send('POST', `/api/roads/${crossing.id}/events`, { to: 'scheduled', date: '2021-06-01' });
    await h.send('POST', `/api/roads/${crossing.id}/events`, { to: 'repairing', date: '2022-02-01' });

    expect(await roadNames('status=repairing')).toEqual(['测试大道']);
    expect(await roadNames('status=reported')).toEqual([...SEEDED_ROADS, '舞阳乡道']);
    expect(await roadNames('county=411104')).toEqual(['测试大道']);
    expect(await roadNames('county=411121,411104')).toEqual(['测试大道', '舞阳乡道']);
    expect(await roadNames('drawn=true')).toEqual(['测试大道']);
    expect(await roadNames('drawn=false')).toEqual([...SEEDED_ROADS, '舞阳乡道']);
    // as of a date: status then, segments reported later left out
    const asOf = async (date: string) => Object.fromEntries((await roads(`asOf=${date}`)).map((r) => [r.properties.roadName, r.properties.status]));
    expect((await asOf('2021-07-01'))['测试大道']).toBe('scheduled');
    expect(await asOf('2021-07-01')).not.toHaveProperty('舞阳乡道');
    expect((await asOf('2022-12-31'))['测试大道']).toBe('repairing');
    expect(await asOf('2021-02-28')).not.toHaveProperty('测试大道');
    expect(Object.keys(await asOf('2019-12-26'))).toEqual([]);
    expect(await roadNames('asOf=2021-07-01&status=scheduled')).toEqual(['测试大道']);
    expect(await roadNames('asOf=2021-07-01&status=repairing')).toEqual([]);
    expect(await roadNames('asOf=2022-06-01&county=411121&drawn=false')).toEqual(['舞阳乡道']);
    expect(wuyang.properties.county).toBe('411121');
  });

  it('refuses bad filter values with 400 naming the parameter', async () => {
    for (const [query, parameter] of [
      ['status=broken', 'status'],
      ['county=999999', 'county'],
      ['asOf=2021-02-30', 'asOf'],
      ['drawn=perhaps', 'drawn'],
    ] as const) {
      const error = expectError(await h.get(`/api/roads?${query}`), 400, 'bad_parameter');
      expect(error.details.parameter, query).toBe(parameter);
      expect(error.message.startsWith(`${parameter}:`)).toBe(true);
    }
  });
});

describe('POST /api/roads', () => {
  it('with a geometry: county from the midpoint along the line, not from its first point', async () => {
    const line = lineString(CROSSING_LINE);
    const [midLon, midLat] = along(line, length(line) / 2).geometry.coordinates as [number, number];
    expect(h.ctx.locator.locate(...CROSSING_LINE[0]!)).toBe('411102');
    expect(h.ctx.locator.locate(midLon, midLat)).toBe('411104');
    const road = await newRoad({
      roadName: ' 测试大道 ',
      fromDesc: '黄河路',
      toDesc: '长江路',
      severity: 'severe',
      reportedOn: '2021-03-01',
      responsibleUnit: '召陵区住建局',
      geometry: { type: 'LineString', coordinates: CROSSING_LINE },
    });
    expect(road.geometry).toEqual({ type: 'LineString', coordinates: CROSSING_LINE });
    expect(road.properties).toMatchObject({
      roadName: '测试大道',
      fromDesc: '黄河路',
      toDesc: '长江路',
      county: '411104',
      drawn: true,
      status: 'reported',
      version: 1,
      source: 'real',
    });
    expect(road.events.map((e) => [e.to, e.date])).toEqual([['reported', '2021-03-01']]);
    expect(await roadNames()).toHaveLength(10);
  });

  it('without a geometry the county is required (400 naming it) and checked', async () => {
    const missing = expectError(await h.send('POST', '/api/roads', { roadName: '无名路', severity: 'minor', reportedOn: '2021-01-01' }), 400);
    expect(missing.details.field).toBe('county');
    const unknown = expectError(await h.send('POST', '/api/roads', { roadName: '无名路', severity: 'minor', reportedOn: '2021-01-01', county: '410102' }), 400);
    expect(unknown.details.field).toBe('county');
    const road = await newRoad({ roadName: '无名路', severity: 'minor', reportedOn: '2021-01-01', county: '411122' });
    expect(road.geometry).toBeNull();
    expect(road.properties).toMatchObject({ county: '411122', drawn: false });
  });

  it('refuses a line outside every county (422), a future date (422), bad fields (400); writes nothing', async () => {
    const count = () => h.db.get<{ n: number }>('SELECT count(*) AS n FROM road_segments')!.n;
    const base = { roadName: '路', severity: 'minor', reportedOn: '2021-01-01' };
    expectError(
      await h.send('POST', '/api/roads', {
        ...base,
        geometry: {
          type: 'LineString',
          coordinates: [
            [116.3, 39.9],
            [116.4, 39.9],
          ],
        },
      }),
      422,
      'outside_counties',
    );
    expect(expectError(await h.send('POST', '/api/roads', { ...base, county: '411102', reportedOn: '2023-01-01' }), 422).details.field).toBe('reportedOn');
    expect(expectError(await h.send('POST', '/api/roads', { ...base, county: '411102', severity: 'catastrophic' }), 400).details.field).toBe('severity');
    expectError(await h.send('POST', '/api/roads', { ...base, geometry: { type: 'LineString', coordinates: [[114.15, 33.57]] } }), 400);
    expectError(await h.send('POST', '/api/roads', { ...base, geometry: { type: 'Point', coordinates: [114.15, 33.57] } }), 400);
    expect(count()).toBe(9);
  });
  it('refuses a task the plan does not have (400 naming task) and accepts a real one', async () => {
    const count = () => h.db.get<{ n: number }>('SELECT count(*) AS n FROM road_segments')!.n;
    for (const task of [99, 0, 32]) {
      const error = expectError(
        await h.send('POST', '/api/roads', { roadName: '测试路', severity: 'minor', reportedOn: '2021-01-01', county: '411102', task }),
        400,
      );
      expect(error.details.field, `task ${task}`).toBe('task');
    }
    expect(count()).toBe(9);
    const road = await newRoad({ roadName: '测试路', severity: 'minor', reportedOn: '2021-01-01', county: '411102', task: 19 });
    expect(road.properties.task).toBe(19);
    const t19 = await h.get<{ roads: { id: number }[] }>('/api/tasks/19');
    expect(t19.body.roads.map((r) => r.id)).toContain(road.id);
  });

  it('refuses coordinates outside WGS84 ranges (400 naming geometry), on create and on redraw', async () => {
    for (const coordinates of [
      [
        [1e308, 1e308],
        [-1e308, -1e308],
      ],
      [
        [113.95, 95],
        [113.96, 95],
      ],
      [
        [200, 33.5],
        [201, 33.6],
      ],
    ]) {
      const geometry = { type: 'LineString', coordinates };
      const created = expectError(await h.send('POST', '/api/roads', { roadName: '测试路', severity: 'minor', reportedOn: '2021-01-01', geometry }), 400);
      expect(String(created.details.field)).toMatch(/^geometry/);
      const redrawn = expectError(await h.send('PUT', '/api/roads/1/geometry', { geometry }), 400);
      expect(String(redrawn.details.field)).toMatch(/^geometry/);
    }
    expect(roadState(1)).toEqual({ status: 'reported', version: 1, events: 1 });
  });
});

describe('POST /api/roads/:id/events', () => {
  it('moves forward through reported → scheduled → repairing → repaired', async () => {
    const road = await newRoad({ roadName: '路', severity: 'minor', reportedOn: '2021-01-01', county: '411102' });
    let version = 1;
    for (const [to, date] of [
      ['scheduled', '2021-02-01'],
      ['repairing', '2021-03-01'],
      ['repaired', '2021-04-01'],
    ] as const) {
      const res = await h.send<RoadDetail>('POST', `/api/roads/${road.id}/events`, { to, date, note: `${to}!` });
      expect(res.status, res.text).toBe(201);
      expect(res.body.properties.status).toBe(to);
      expect(res.body.properties.version).toBe(++version);
    }
    const detail = (await h.get<RoadDetail>(`/api/roads/${road.id}`)).body;
    expect(detail.events.map((e) => `${e.from}→${e.to}@${e.date}`)).toEqual([
      'null→reported@2021-01-01',
      'reported→scheduled@2021-02-01',
      'scheduled→repairing@2021-03-01',
      'repairing→repaired@2021-04-01',
    ]);
  });

  it('may skip forward (reported → repaired)', async () => {
    const res = await h.send<RoadDetail>('POST', '/api/roads/1/events', { to: 'repaired', date: '2020-01-01' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.properties.status).toBe('repaired');
  });

  it.each(ROAD_STATUS_CODES)('from %s: every move that is not forward is 409 with the allowed moves, and changes nothing', async (from) => {
    const road = await newRoad({ roadName: '路', severity: 'minor', reportedOn: '2021-01-01', county: '411102' });
    const path: RoadStatusCode[] = ROAD_STATUS_CODES.slice(1, ROAD_STATUS_CODES.indexOf(from) + 1);
    let day = 2;
    for (const to of path) expect((await h.send('POST', `/api/roads/${road.id}/events`, { to, date: `2021-02-0${day++}` })).status).toBe(201);
    const before = roadState(road.id);
    expect(before.status).toBe(from);
    const refused = ROAD_STATUS_CODES.filter((to) => !ROAD_STATUS_MOVES[from].includes(to));
    for (const to of refused) {
      const error = expectError(await h.send('POST', `/api/roads/${road.id}/events`, { to, date: '2022-01-01' }), 409, 'status_move_not_allowed');
      const allowed = ROAD_STATUS_MOVES[from];
      expect(error.details).toMatchObject({ from, to, allowed: [...allowed] });
      expect(error.message).toContain(`allowed: ${allowed.length ? allowed.join(', ') : 'none'}`);
    }
    expect(roadState(road.id)).toEqual(before);
  });

  it('refuses a date before the last event or in the future (422) and an unknown segment (404)', async () => {
    const before = roadState(3);
    expect(
      expectError(await h.send('POST', '/api/roads/3/events', { to: 'scheduled', date: '2019-12-26' }), 422, 'event_date_before_last').details,
    ).toMatchObject({ lastEvent: '2019-12-27' });
    expectError(await h.send('POST', '/api/roads/3/events', { to: 'scheduled', date: '2023-01-01' }), 422, 'event_date_in_future');
    expect(expectError(await h.send('POST', '/api/roads/3/events', { to: 'fixed', date: '2022-01-01' }), 400).details.field).toBe('to');
    expect(roadState(3)).toEqual(before);
    expectError(await h.send('POST', '/api/roads/999/events', { to: 'scheduled', date: '2022-01-01' }), 404, 'not_found');
  });
});

describe('PUT /api/roads/:id/geometry', () => {
  it('draws an undrawn real segment: county from the midpoint (an assignment event), a geometry event, out of the drawn=false list', async () => {
    const res = await h.send<RoadDetail>('PUT', '/api/roads/6/geometry', {
      geometry: { type: 'LineString', coordinates: ZHAOLING_LINE },
      date: '2022-03-01',
      note: '按现场描绘',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.properties).toMatchObject({ roadName: '东山路', drawn: true, county: '411104', status: 'reported', version: 2 });
    expect(res.body.geometry).toEqual({ type: 'LineString', coordinates: ZHAOLING_LINE });
    expect(res.body.events.map((e) => [e.kind, e.from, e.to, e.date])).toEqual([
      ['status', null, 'reported', '2019-12-27'],
      ['assignment', null, null, '2022-03-01'],
      ['geometry', 'reported', 'reported', '2022-03-01'],
    ]);
    expect(res.body.events[1]).toMatchObject({ fromCounty: null, toCounty: '411104' });
    expect(await roadNames('drawn=false')).toEqual(SEEDED_ROADS.filter((n) => n !== '东山路'));
    expect(await roadNames('drawn=true&county=411104')).toEqual(['东山路']);
  });

  it('defaults the date to today and refuses an outside line (422) or unknown segment (404)', async () => {
    const res = await h.send<RoadDetail>('PUT', '/api/roads/1/geometry', { geometry: { type: 'LineString', coordinates: ZHAOLING_LINE } });
    expect(res.status).toBe(200);
    expect(res.body.events.at(-1)!.date).toBe(TODAY);
    const before = roadState(2);
    expectError(
      await h.send('PUT', '/api/roads/2/geometry', {
        geometry: {
          type: 'LineString',
          coordinates: [
            [0, 0],
            [1, 1],
          ],
        },
      }),
      422,
      'outside_counties',
    );
    expect(roadState(2)).toEqual(before);
    expect((await h.get<RoadDetail>('/api/roads/2')).body.geometry).toBeNull();
    expectError(await h.send('PUT', '/api/roads/999/geometry', { geometry: { type: 'LineString', coordinates: ZHAOLING_LINE } }), 404, 'not_found');
  });
});

describe('GET /api/tasks', () => {
  it('returns exactly the plan’s 31 tasks in order, in 6 groups of 13/2/3/4/5/4', async () => {
    const res = await h.get<TaskJson[]>('/api/tasks');
    expect(res.status).toBe(200);
    expect(res.body.map((t) => t.number)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect([1, 2, 3, 4, 5, 6].map((g) => res.body.filter((t) => t.group === g).length)).toEqual([13, 2, 3, 4, 5, 4]);
    const t15 = res.body.find((t) => t.number === 15)!;
    expect(t15.leadUnits).toContain('市商务局');
    expect(t15.categories).toEqual(['fuel_point']);
    expect(t15.problem).toContain('郾襄路车管所停车场');
    for (const t of res.body) expect(['immediate', 'long_term', 'dated', 'done']).toContain(t.deadline.kind);
  });

  it('computes progress from linked sites: equal to the hand count for every task', async () => {
    const ids = await buildFixture(h);
    // the two real sites are linked by category and by hand (fuel point → 15, coal point → 18)
    const sites: { id: number; category: keyof typeof CATEGORY_TASKS; status: StatusCode; manual: number[] }[] = [
      { id: REAL_FUEL_POINT_ID, category: 'fuel_point', status: 'discovered', manual: [15] },
      { id: REAL_COAL_POINT_ID, category: 'coal_point', status: 'discovered', manual: [18] },
      ...FIXTURE.map((s) => ({ id: ids[s.key]!, category: s.input.category, status: s.status, manual: [] })),
    ];
    const expected = new Map<number, TaskJson['progress']>();
    for (let n = 1; n <= 31; n++) {
      const linked = sites.filter((s) => CATEGORY_TASKS[s.category].includes(n) || s.manual.includes(n));
      const count = (statuses: StatusCode[]) => linked.filter((s) => statuses.includes(s.status)).length;
      expected.set(n, {
        sites: linked.length,
        open: count(['discovered', 'rectifying', 'relapsed']),
        closed: count(['closed', 'upgraded', 'relocated', 'verified']),
        relapsed: count(['relapsed']),
        verified: count(['verified']),
      });
    }
    const res = await h.get<TaskJson[]>('/api/tasks');
    for (const task of res.body) expect(task.progress, `task ${task.number}`).toMatchObject(expected.get(task.number)!);
    // a few by hand: task 2 has A (closed), B, G (discovered), D (relapsed)
    expect(res.body[1]!.progress).toMatchObject({ sites: 4, open: 3, closed: 1, relapsed: 1, verified: 0 });
    // task 14 adds E (relocated, a closed state)
    expect(res.body[13]!.progress).toMatchObject({ sites: 5, open: 3, closed: 2, relapsed: 1, verified: 0 });
    // task 15: the real fuel point and F (rectifying)
    expect(res.body[14]!.progress).toMatchObject({ sites: 2, open: 2, closed: 0, relapsed: 0, verified: 0 });
    // task 25: C (verified)
    expect(res.body[24]!.progress).toMatchObject({ sites: 1, open: 0, closed: 1, relapsed: 0, verified: 1 });
    expect(res.body[0]!.progress).toMatchObject({ sites: 0, open: 0, closed: 0, relapsed: 0, verified: 0 });
  });

  it('progress follows a status move', async () => {
    const before = (await h.get<TaskJson[]>('/api/tasks')).body[17]!.progress;
    expect(before).toMatchObject({ sites: 1, open: 1, closed: 0, relapsed: 0, verified: 0 });
    const closing = await h.send('POST', `/api/sites/${REAL_COAL_POINT_ID}/events`, {
      to: 'closed',
      date: '2020-01-05',
      checklist: { cutWater: true, cutPower: true, clearMaterials: true, clearEquipment: true, clearProducts: true },
    });
    expect(closing.status).toBe(201);
    expect((await h.get<TaskJson[]>('/api/tasks')).body[17]!.progress).toMatchObject({ sites: 1, open: 0, closed: 1, relapsed: 0, verified: 0 });
  });
});

describe('GET /api/tasks/:number', () => {
  it('gives one task with its linked sites and road segments', async () => {
    const ids = await buildFixture(h);
    const t15 = await h.get<TaskJson & { sites: { id: number; link: string; status: string }[]; roads: unknown[] }>('/api/tasks/15');
    expect(t15.status).toBe(200);
    expect(t15.body.number).toBe(15);
    expect(t15.body.sites.map((s) => [s.id, s.status])).toEqual([
      [REAL_FUEL_POINT_ID, 'discovered'],
      [ids.F, 'rectifying'],
    ]);
    expect(t15.body.roads).toEqual([]);
    const t19 = await h.get<{ roads: { roadName: string }[] }>('/api/tasks/19');
    expect(t19.body.roads.map((r) => r.roadName)).toEqual(SEEDED_ROADS.slice(0, 6));
    const t20 = await h.get<{ roads: { roadName: string }[] }>('/api/tasks/20');
    expect(t20.body.roads.map((r) => r.roadName)).toEqual(['南环路', '龙江路', 'G107']);
  });

  it('answers 404 for a task the plan does not have and 400 for a non-number', async () => {
    expect(expectError(await h.get('/api/tasks/99'), 404, 'not_found').message).toContain('99');
    expectError(await h.get('/api/tasks/0'), 404, 'not_found');
    expectError(await h.get('/api/tasks/32'), 404, 'not_found');
    expectError(await h.get('/api/tasks/abc'), 400);
  });
});
