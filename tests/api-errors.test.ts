// Errors: every refusal is JSON `{ error: { code, message, details } }` with the right status, names
// the parameter or field, and bad input never yields a 500 or a stack trace.
import { describe, it, expect, beforeEach } from 'vitest';
import { MAX_BODY_BYTES } from '../server/app.ts';
import { bootTestApp, createSite, expectError } from './helpers/app.ts';
import type { Harness } from './helpers/app.ts';

let h: Harness;
let siteId: number;

beforeEach(async () => {
  h = bootTestApp();
  siteId = (await createSite(h, { name: '源汇区砂石料场', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2021-01-10' }, '411102')).id;
});

const counts = () =>
  h.db.get<{ sites: number; events: number; roads: number; roadEvents: number; versions: number }>(
    `SELECT (SELECT count(*) FROM sites) AS sites, (SELECT count(*) FROM site_events) AS events,
            (SELECT count(*) FROM road_segments) AS roads, (SELECT count(*) FROM road_events) AS roadEvents,
            (SELECT sum(version) FROM sites) + (SELECT sum(version) FROM road_segments) AS versions`,
  )!;

/** [query, parameter the 400 must name, text the message must contain] */
const BAD_QUERIES: [string, string, string][] = [
  ['bbox=114,33.5,113.9,33.6', 'bbox', 'minLon 114 is greater than maxLon 113.9'],
  ['bbox=113.9,33.6,114,33.5', 'bbox', 'minLat 33.6 is greater than maxLat 33.5'],
  ['bbox=113.9,33.5,114,95', 'bbox', '95'],
  ['bbox=113.9,-95,114,33', 'bbox', '-95'],
  ['bbox=200,33,201,34', 'bbox', '200'],
  ['bbox=113.9,33.5,114', 'bbox', 'four numbers'],
  ['bbox=a,b,c,d', 'bbox', 'not a number'],
  ['bbox=,,,', 'bbox', 'not a number'],
  ['category=factory', 'category', 'factory'],
  ['category=sand_yard,factory', 'category', 'factory'],
  ['county=999999', 'county', '999999'],
  ['county=411102,410102', 'county', '410102'],
  ['status=open', 'status', 'open'],
  ['asOf=yesterday', 'asOf', 'yesterday'],
  ['asOf=2021-02-30', 'asOf', '2021-02-30'],
  ['asOf=2021-13-01', 'asOf', '2021-13-01'],
  ['asOf=2021-1-1', 'asOf', '2021-1-1'],
  ['source=official', 'source', 'official'],
  ['located=maybe', 'located', 'maybe'],
  ['located=false&bbox=113,33,114,34', 'located', 'bbox'],
  [`q=${'污'.repeat(101)}`, 'q', '100'],
];

describe('400 for bad query parameters, naming the parameter', () => {
  it.each(BAD_QUERIES)('/api/sites?%s → 400 naming %s', async (query, parameter, text) => {
    const error = expectError(await h.get(`/api/sites?${query}`), 400, 'bad_parameter');
    expect(error.details.parameter).toBe(parameter);
    expect(error.message.startsWith(`${parameter}:`)).toBe(true);
    expect(error.message).toContain(text);
  });

  it.each(BAD_QUERIES)('/api/counties?%s → the same 400', async (query, parameter) => {
    expect(expectError(await h.get(`/api/counties?${query}`), 400, 'bad_parameter').details.parameter).toBe(parameter);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=200001', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    [`cursor=${Buffer.from('road:3').toString('base64url')}`, 'cursor'],
  ])('/api/sites?%s → 400 naming %s', async (query, parameter) => {
    const error = expectError(await h.get(`/api/sites?${query}`), 400, 'bad_parameter');
    expect(error.details.parameter).toBe(parameter);
    expect(error.message).toMatch(new RegExp(`^${parameter}:`));
  });

  it('a repeated parameter is a 400, not a crash', async () => {
    expect(expectError(await h.get('/api/sites?county=411102&county=411103'), 400).details.parameter).toBe('county');
  });

  it('bad path ids are 400 naming the id', async () => {
    for (const path of ['/api/sites/abc', '/api/sites/-1', '/api/sites/1.5', '/api/roads/x', '/api/tasks/one']) {
      const error = expectError(await h.get(path), 400);
      expect(['id', 'number'], path).toContain(error.details.field ?? error.details.parameter);
    }
  });
});

/** Every write route, with a body that would be accepted. */
const WRITES = (id: number): [string, string, Record<string, unknown>][] => [
  ['POST', '/api/sites', { name: '新点', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2022-01-01' }],
  ['PATCH', `/api/sites/${id}`, { version: 1, name: '改名' }],
  ['POST', `/api/sites/${id}/events`, { to: 'rectifying', date: '2022-01-01' }],
  ['PUT', `/api/sites/${id}/location`, { lon: 113.96, lat: 33.56, date: '2022-01-01' }],
  ['POST', '/api/roads', { roadName: '新路', severity: 'minor', reportedOn: '2022-01-01', county: '411102' }],
  ['POST', '/api/roads/1/events', { to: 'scheduled', date: '2022-01-01' }],
  [
    'PUT',
    '/api/roads/1/geometry',
    {
      geometry: {
        type: 'LineString',
        coordinates: [
          [114.15, 33.57],
          [114.17, 33.58],
        ],
      },
      date: '2022-01-01',
    },
  ],
];

describe('request bodies', () => {
  it('the valid bodies used below are accepted (so the refusals below are about the body alone)', async () => {
    for (const [method, path, body] of WRITES(siteId)) {
      const fresh = bootTestApp();
      const id = (await createSite(fresh, { name: '源汇区砂石料场', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2021-01-10' }, '411102')).id;
      const res = await fresh.send(method, path.replace(String(siteId), String(id)), body);
      expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
    }
  });

  it.each(['{', '{"name": ', "{'single': 'quotes'}", '{"a":1,}', 'name=x&category=y'])(
    'malformed JSON %j → 400 on every write route, nothing written',
    async (text) => {
      const before = counts();
      for (const [method, path] of WRITES(siteId)) {
        const error = expectError(await h.send(method, path, text), 400);
        expect(error.message, `${method} ${path}`).toMatch(/JSON|body/i);
      }
      expect(counts()).toEqual(before);
    },
  );

  it('a body over 1 MiB → 413 on every write route, nothing written', async () => {
    const before = counts();
    for (const [method, path, body] of WRITES(siteId)) {
      const huge = JSON.stringify({ ...body, note: '散'.repeat(MAX_BODY_BYTES / 3 + 10) });
      expect(new TextEncoder().encode(huge).length).toBeGreaterThan(1024 * 1024);
      const error = expectError(await h.send(method, path, huge), 413, 'body_too_large');
      expect(error.message).toContain(String(MAX_BODY_BYTES));
    }
    expect(counts()).toEqual(before);
  });

  it('a body just under the limit is read (and refused for its content, not its size)', async () => {
    const body = JSON.stringify({
      name: '新点',
      category: 'sand_yard',
      lon: 113.95,
      lat: 33.55,
      discoveredOn: '2022-01-01',
      note: 'x'.repeat(1024 * 1024 - 200),
    });
    expect(body.length).toBeLessThan(1024 * 1024);
    const error = expectError(await h.send('POST', '/api/sites', body), 400);
    expect(error.details.field).toBe('note'); // note is limited to 2000 characters
  });

  it('a non-JSON content type is refused with a JSON 4xx', async () => {
    const res = await h.request('/api/sites', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"name":"x"}' });
    const text = await res.text();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(JSON.parse(text)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String), details: {} } });
  });
});

describe('400 for impossible calendar dates in bodies, naming the field', () => {
  it.each([
    ['POST', '/api/sites', { name: 'x', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2021-02-30' }, 'discoveredOn'],
    ['POST', '/api/sites', { name: 'x', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2021-01-01', deadline: '2021-06-31' }, 'deadline'],
    ['POST', 'SITE/events', { to: 'rectifying', date: '2021-02-30' }, 'date'],
    ['POST', 'SITE/events', { to: 'rectifying', date: '2021-13-45' }, 'date'],
    ['PUT', 'SITE/location', { lon: 113.96, lat: 33.56, date: '2022-02-29' }, 'date'],
    ['PATCH', 'SITE', { version: 1, deadline: '2021-04-31' }, 'deadline'],
    ['POST', '/api/roads', { roadName: '路', severity: 'minor', reportedOn: '2021-02-30', county: '411102' }, 'reportedOn'],
    ['POST', '/api/roads/1/events', { to: 'scheduled', date: '2021-02-29' }, 'date'],
    [
      'PUT',
      '/api/roads/1/geometry',
      {
        geometry: {
          type: 'LineString',
          coordinates: [
            [114.15, 33.57],
            [114.17, 33.58],
          ],
        },
        date: '2021-00-10',
      },
      'date',
    ],
  ] as const)('%s %s %j → 400 naming %s, nothing written', async (method, path, body, field) => {
    const before = counts();
    const error = expectError(await h.send(method, path.replace('SITE', `/api/sites/${siteId}`), body), 400);
    expect(error.details.field).toBe(field);
    expect(counts()).toEqual(before);
  });
});

describe('unknown API paths', () => {
  it.each([
    ['GET', '/api/nothing-here'],
    ['GET', '/api/sites/1/photos'],
    ['POST', '/api/counties'],
    ['DELETE', '/api/sites/1'],
    ['PUT', '/api/tasks/1'],
    ['GET', '/api/'],
    ['GET', '/api'],
  ])('%s %s → JSON 404', async (method, path) => {
    const error = expectError(await h.send(method, path, method === 'GET' ? undefined : {}), 404, 'not_found');
    if (path !== '/api') expect(error.message).toContain(path);
  });
});

describe('garbage input never gives a 500 or a stack trace', () => {
  const GARBAGE_BODIES: unknown[] = [
    '',
    ' ',
    'null',
    '[]',
    '"text"',
    '42',
    'true',
    '\u0000',
    '{"__proto__": {"admin": true}}',
    '{"constructor": {"prototype": {}}}',
    { name: null },
    { lon: 'east', lat: 'north' },
    { name: 'x', category: 'sand_yard', lon: 1e308, lat: 1e308, discoveredOn: '2022-01-01' },
    { name: 'x', category: 'sand_yard', lon: -0, lat: -0, discoveredOn: '2022-01-01' },
    { name: 'x'.repeat(10_000), category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2022-01-01' },
    { name: "'); DROP TABLE sites; --", category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2022-01-01', township: "' OR 1=1 --" },
    { to: 'closed', date: '2022-01-01', checklist: [] },
    { to: 'closed', date: '2022-01-01', checklist: 'all' },
    { to: 'closed', date: '2022-01-01', evidence: [{ nested: true }] },
    { version: '1', name: 'x' },
    { version: 1.5, name: 'x' },
    { version: -1, name: 'x' },
    {
      geometry: {
        type: 'LineString',
        coordinates: [
          [1e308, 1e308],
          [-1e308, -1e308],
        ],
      },
    },
    {
      geometry: {
        type: 'LineString',
        coordinates: [
          [200, 95],
          [201, 96],
        ],
      },
    },
    {
      geometry: {
        type: 'LineString',
        coordinates: [
          [1e200, 0],
          [1e200, 1],
        ],
      },
    },
    {
      geometry: {
        type: 'LineString',
        coordinates: [
          [114.15, 33.57],
          [114.15, 33.57],
        ],
      },
      date: '2022-01-01',
    },
    {
      geometry: {
        type: 'LineString',
        coordinates: [
          ['a', 'b'],
          [1, 2],
        ],
      },
    },
    {
      geometry: {
        type: 'LineString',
        coordinates: [
          [114.15, 33.57, 10],
          [114.16, 33.58, 10],
        ],
      },
    },
    { roadName: 'x', severity: 'minor', reportedOn: '2022-01-01', county: '../../etc' },
    { roadName: 'x', severity: 'minor', reportedOn: '2022-01-01', county: 411102 },
    { date: '9999-99-99', to: 'rectifying' },
    { lon: 113.95, lat: 33.55, date: '0000-00-00' },
  ];

  it('on every write route', async () => {
    for (const [method, path] of [...WRITES(siteId), ['PATCH', '/api/sites/999999', {}] as const, ['POST', '/api/roads/999999/events', {}] as const]) {
      for (const body of GARBAGE_BODIES) {
        const res = await h.send(method, path, body);
        const label = `${method} ${path} ${JSON.stringify(body).slice(0, 80)} → ${res.status} ${res.text.slice(0, 200)}`;
        expect(res.status, label).toBeLessThan(500);
        expect(res.text, label).not.toMatch(/\n\s+at |SqliteError|node_modules/);
        if (res.status >= 400) expect(Object.keys(res.body as object), label).toEqual(['error']);
      }
    }
  });

  it('on every read route', async () => {
    const queries = [
      'bbox=Infinity,0,0,0',
      'bbox=1e400,0,1e400,0',
      'bbox=0x10,0,20,0',
      'limit=1e3',
      'limit=99999999999999999999999',
      `cursor=${Buffer.from('site:999999999999999999999999').toString('base64url')}`,
      'cursor=%FF%FE',
      'q=%25%25',
      'q=%00',
      `q=${encodeURIComponent("' OR 1=1 --")}`,
      'asOf=0000-00-00',
      'asOf=99999-01-01',
      'county=,',
      'category=,,',
      'status=%20',
      'located=',
      'source=',
      'drawn=',
      'status=reported&status=repaired',
      'a=b',
    ];
    for (const path of ['/api/sites', '/api/counties', '/api/roads', '/api/tasks', '/api/health']) {
      for (const query of queries) {
        const res = await h.get(`${path}?${query}`);
        const label = `${path}?${query} → ${res.status} ${res.text.slice(0, 200)}`;
        expect(res.status, label).toBeLessThan(500);
        expect(res.contentType ?? '', label).toMatch(/json/);
        if (res.status >= 400) expect(Object.keys(res.body as object), label).toEqual(['error']);
      }
    }
    for (const path of [
      '/api/sites/0',
      '/api/sites/%00',
      '/api/sites/99999999999999999999',
      '/api/roads/99999999999999999999',
      '/api/tasks/99999999999999999999',
      '/api/tasks/-5',
      '/api/sites/1%20OR%201=1',
    ]) {
      const res = await h.get(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(Object.keys(res.body as object), path).toEqual(['error']);
    }
  });

  it('the database is intact afterwards', async () => {
    const res = await h.get<{ sites: number }>('/api/health');
    expect(res.body.sites).toBe(3);
    expect(h.db.get<{ n: number }>('SELECT count(*) AS n FROM tasks')!.n).toBe(31);
  });
});

describe('the documented refusals carry their codes and details', () => {
  it('409 on a stale version, 409 on a lifecycle breach, 422 on an incomplete closure — each with details', async () => {
    await h.send('PATCH', `/api/sites/${siteId}`, { version: 1, name: 'v2' });
    expect(expectError(await h.send('PATCH', `/api/sites/${siteId}`, { version: 1, name: 'v3' }), 409, 'stale_version').details).toMatchObject({
      expected: 1,
      current: 2,
      changedBy: 'admin',
      now: { version: 2 },
    });
    expect(expectError(await h.send('POST', `/api/sites/${siteId}/events`, { to: 'verified', date: '2022-01-01' }), 409).details).toEqual({
      from: 'discovered',
      to: 'verified',
      allowed: ['rectifying', 'closed', 'upgraded', 'relocated', 'voided'],
    });
    expect(
      expectError(await h.send('POST', `/api/sites/${siteId}/events`, { to: 'closed', date: '2022-01-01', checklist: { cutWater: true } }), 422).details,
    ).toEqual({
      missing: ['cutPower', 'clearMaterials', 'clearEquipment', 'clearProducts'],
    });
  });
});
