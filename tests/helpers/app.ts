// Test harness for the /api contract: a fresh in-memory database without demo data, "today" fixed
// at 2022-12-31, the Hono app called in-process, and a typed `hc` client over the same app.
// Fixtures are built through the API itself (POST /api/sites, POST /api/sites/:id/events), so every
// expected count in the tests is known by hand. Requests are signed in as the admin `admin` (bearer
// token) unless a test acts as someone else with `h.as(role, counties)` or `h.anonymous`.
import type { RoadHistoryEntry } from '../../server/store/road-store.ts';
import { hc } from 'hono/client';
import { expect } from 'vitest';
import { bootDatabase } from '../../server/bootstrap.ts';
import { createApp } from '../../server/app.ts';
import type { AppType } from '../../server/app.ts';
import type { AppContext } from '../../server/context.ts';
import type { Db } from '../../server/db/database.ts';
import type { CategoryCode } from '../../domain/categories.ts';
import type { StatusCode } from '../../domain/statuses.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import type { Role } from '../../server/auth/roles.ts';
import { createSession } from '../../server/auth/sessions.ts';
import { createUser } from '../../server/auth/accounts.ts';
import { findUser } from '../../server/store/user-store.ts';
import { addDays } from '../../domain/days.ts';

export const TODAY = '2022-12-31';

/** Points known to lie inside each county (checked against the locator in the tests). */
export const POINTS = {
  '411102': [113.95, 33.55], // 源汇区
  '411103': [113.93, 33.67], // 郾城区
  '411104': [114.16, 33.57], // 召陵区
  '411121': [113.66, 33.56], // 舞阳县
  '411122': [113.94, 33.85], // 临颍县
} as const satisfies Record<string, readonly [number, number]>;
export type CountyCode = keyof typeof POINTS;
export const COUNTY_CODES = Object.keys(POINTS) as CountyCode[];

/** The full 两断三清 checklist (without the fuel points' tank sealing). */
export const FULL_CHECKLIST = { cutWater: true, cutPower: true, clearMaterials: true, clearEquipment: true, clearProducts: true } as const;

/** The two real, unlocated sites the plan names (seeded at boot, ids 1 and 2). */
export const REAL_FUEL_POINT_ID = 1; // 郾襄路车管所停车场加油点, 郾城区, task 15
export const REAL_COAL_POINT_ID = 2; // 叶岗村散煤销售点, 源汇区空冢郭镇叶岗村, task 18

/** A row of the `sites` table as SQLite returns it (for tests that read the file directly). */
export interface SiteTableRow {
  id: number;
  name: string;
  category: string;
  sector: string | null;
  address: string | null;
  county_code: string;
  township_code: string | null;
  village_code: string | null;
  lon: number | null;
  lat: number | null;
  precision: string;
  source: string;
  status: string;
  discovered_on: string;
  deadline: string | null;
  responsible_unit: string | null;
  note: string | null;
  seed_key: string | null;
  version: number;
  import_batch: number | null;
}

export interface ApiError {
  error: { code: string; message: string; details: Record<string, unknown> };
}

export interface SiteProps {
  id: number;
  name: string;
  category: CategoryCode;
  sector: string | null;
  status: StatusCode;
  county: string;
  countyName: string;
  township: string | null;
  townshipName: string | null;
  address: string | null;
  precision: 'exact' | 'approximate' | 'unlocated';
  source: 'real' | 'demo';
  discoveredOn: string;
  updatedAt: string;
  version: number;
}

export interface SiteFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'Point'; coordinates: [number, number] } | null;
  properties: SiteProps;
}

export interface SiteCollection {
  type: 'FeatureCollection';
  features: SiteFeature[];
  nextCursor: string | null;
}

export interface SiteEventJson {
  id: number;
  kind: 'status' | 'location';
  from: StatusCode | null;
  to: StatusCode;
  date: string;
  actor: string;
  note: string | null;
  checklist: Record<string, boolean> | null;
  evidence: unknown;
  details: unknown;
}

export interface SiteDetail extends SiteFeature {
  events: SiteEventJson[];
  inspections: { id: number; date: string; inspector: string; result: string; note: string | null }[];
  tasks: { number: number; groupNumber: number; problem: string; link: 'category' | 'manual' }[];
}

export interface CountyFeature {
  type: 'Feature';
  id: string;
  geometry: { type: string; coordinates: unknown };
  properties: {
    code: string;
    name: string;
    kind: string;
    areaKm2: number;
    sites: number;
    byStatus: Record<string, number>;
    byCategory: Record<string, number>;
  };
}

export interface RoadFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'LineString'; coordinates: [number, number][] } | null;
  properties: {
    id: number;
    roadName: string;
    severity: string;
    county: string | null;
    status: string;
    source: string;
    task: number | null;
    reportedOn: string;
    drawn: boolean;
    version: number;
  };
}

export interface RoadDetail extends RoadFeature {
  events: RoadHistoryEntry[];
}

export interface TaskJson {
  number: number;
  group: number;
  problem: string;
  deadline: { kind: string; date: string | null; ongoing: boolean; text: string };
  leadUnits: string[];
  categories: string[];
  progress: { sites: number; open: number; closed: number; relapsed: number; verified: number };
}

export interface Reply<T = unknown> {
  status: number;
  contentType: string | null;
  text: string;
  body: T;
}

export type TestApp = ReturnType<typeof createApp>;

/** One caller: signed in as `username` with a bearer token (or nobody, for `h.anonymous`). */
export interface Caller {
  username: string | null;
  token: string | null;
  /** app.request with this caller's Authorization header. */
  request(path: string, init?: RequestInit): Promise<Response>;
  get<T = unknown>(path: string, headers?: Record<string, string>): Promise<Reply<T>>;
  send<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
}

export interface Harness extends Caller {
  app: TestApp;
  ctx: AppContext;
  db: Db;
  client: ReturnType<typeof typedClient>;
  /** A caller signed in as a user of this role and counties (made on first use, named role-counties). */
  as(role: Role, counties?: readonly string[]): Caller;
  anonymous: Caller;
}

/** The password of every test user (hashed once per test file: scrypt is slow on purpose). */
export const TEST_PASSWORD = 'test-password-2022';
let testPasswordHash: string | null = null;
const testHash = () => (testPasswordHash ??= hashPassword(TEST_PASSWORD));

/** Makes (or finds) a user with the test password and opens a session; returns its bearer token. */
export function signInUser(
  db: Db,
  countyCodes: ReadonlySet<string>,
  username: string,
  role: Role,
  counties: readonly string[] = [],
  sessions = { idleMinutes: 720, maxHours: 168, now: () => Date.now() },
): string {
  const user =
    findUser(db, username) ??
    createUser(db, countyCodes, { username, role, counties, password: '' }, { actor: 'test', role: null, address: null }, { passwordHash: testHash() });
  return createSession(db, user.id, sessions).token;
}

export function typedClient(app: TestApp, token?: string) {
  return hc<AppType>('http://test.local', {
    headers: token ? { Authorization: `Bearer ${token}` } : undefined,
    fetch: (input: RequestInfo | URL, init?: RequestInit) => app.request(input instanceof Request ? input : String(input), init),
  });
}

function caller(app: TestApp, username: string | null, token: string | null): Caller {
  const auth = (headers: Record<string, string>) => (token ? { Authorization: `Bearer ${token}`, ...headers } : headers);
  return {
    username,
    token,
    async request(path, init = {}) {
      return app.request(path, { ...init, headers: auth(Object.fromEntries(new Headers(init.headers).entries())) });
    },
    async get<T>(path: string, headers: Record<string, string> = {}) {
      return reply<T>(await app.request(path, { headers: auth(headers) }));
    },
    async send<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const init: RequestInit = { method, headers: auth({ 'content-type': 'application/json', ...headers }) };
      if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
      return reply<T>(await app.request(path, init));
    },
  };
}

async function reply<T>(response: Response): Promise<Reply<T>> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type'), text, body: body as T };
}

/** Boots a fresh database (no demo data, today fixed) and the app over it, signed in as admin. */
export function bootTestApp(options: { path?: string; busyTimeoutMs?: number } = {}): Harness {
  const { db, ctx } = bootDatabase(options.path ?? ':memory:', { demo: false, today: () => TODAY, busyTimeoutMs: options.busyTimeoutMs });
  const app = createApp(ctx);
  const token = signInUser(db, ctx.countyCodes, 'admin', 'admin', [], ctx.sessions);
  const callers = new Map<string, Caller>();
  return {
    ...caller(app, 'admin', token),
    app,
    ctx,
    db,
    client: typedClient(app, token),
    as(role, counties = []) {
      const username = [role, ...counties].join('-');
      let found = callers.get(username);
      if (!found) {
        found = caller(app, username, signInUser(db, ctx.countyCodes, username, role, counties, ctx.sessions));
        callers.set(username, found);
      }
      return found;
    },
    anonymous: caller(app, null, null),
  };
}

export interface NewSiteInput {
  name: string;
  category: CategoryCode;
  lon: number;
  lat: number;
  discoveredOn: string;
  sector?: 'industrial' | 'agricultural' | 'service';
  address?: string;
  township?: string;
  source?: 'real' | 'demo';
  precision?: 'exact' | 'approximate';
  note?: string;
}

/** POST /api/sites, expecting 201 and the county the test names. */
export async function createSite(h: Harness, input: NewSiteInput, expectedCounty: string): Promise<SiteFeature> {
  const res = await h.send<SiteFeature>('POST', '/api/sites', input);
  expect(res.status, res.text).toBe(201);
  expect(res.body.properties.county).toBe(expectedCounty);
  expect(res.body.properties.status).toBe('discovered');
  return res.body;
}

/** POST /api/sites/:id/events, expecting 201. */
export async function moveSite(h: Harness, id: number, to: StatusCode, date: string, checklist?: Record<string, boolean>): Promise<void> {
  // Voiding needs a reason.
  const res = await h.send(
    'POST',
    `/api/sites/${id}/events`,
    checklist ? { to, date, checklist } : to === 'voided' ? { to, date, note: 'entered by mistake' } : { to, date },
  );
  expect(res.status, res.text).toBe(201);
}

/** Moves a fresh site along a path of statuses, one event per step, dated from `start` on consecutive days. */
export async function walk(h: Harness, id: number, path: readonly StatusCode[], start = '2022-01-01', category: CategoryCode = 'sand_yard'): Promise<void> {
  let date = start;
  for (const to of path) {
    const checklist = to === 'closed' ? (category === 'fuel_point' ? { ...FULL_CHECKLIST, tanksSealed: true } : { ...FULL_CHECKLIST }) : undefined;
    await moveSite(h, id, to, date, checklist);
    date = addDays(date, 1);
  }
}

/**
 * The hand-built fixture used by the read tests. Two real unlocated sites come from the seeds
 * (ids 1, 2); these eight are created through the API. `status` is the status on 2022-12-31.
 */
export interface FixtureSite {
  key: string;
  input: NewSiteInput;
  county: CountyCode;
  /** [to, date] moves after discovery. */
  moves: [StatusCode, string][];
  status: StatusCode;
}

export const FIXTURE: readonly FixtureSite[] = [
  {
    key: 'A',
    input: {
      name: '源汇区黄河路砂石料场',
      category: 'sand_yard',
      lon: 113.95,
      lat: 33.55,
      discoveredOn: '2021-01-10',
      address: '源汇区黄河路1号',
      township: '空冢郭镇',
    },
    county: '411102',
    moves: [
      ['rectifying', '2021-03-01'],
      ['closed', '2021-06-01'],
    ],
    status: 'closed',
  },
  {
    key: 'B',
    input: { name: '干河陈木材加工厂', category: 'wood_processing', lon: 113.96, lat: 33.56, discoveredOn: '2021-02-01', address: '源汇区干河陈街道' },
    county: '411102',
    moves: [],
    status: 'discovered',
  },
  {
    key: 'C',
    input: { name: '郾城区商混站', category: 'concrete_plant', lon: 113.93, lat: 33.67, discoveredOn: '2021-01-05' },
    county: '411103',
    moves: [
      ['upgraded', '2021-04-01'],
      ['verified', '2021-09-01'],
    ],
    status: 'verified',
  },
  {
    key: 'D',
    input: { name: '召陵区塑料颗粒加工作坊', category: 'scattered_firm', sector: 'industrial', lon: 114.16, lat: 33.57, discoveredOn: '2021-05-01' },
    county: '411104',
    moves: [
      ['closed', '2021-07-01'],
      ['relapsed', '2022-03-01'],
    ],
    status: 'relapsed',
  },
  {
    key: 'E',
    input: { name: '舞阳县红砖窑', category: 'brick_kiln', lon: 113.66, lat: 33.56, discoveredOn: '2022-02-01' },
    county: '411121',
    moves: [['relocated', '2022-06-01']],
    status: 'relocated',
  },
  {
    key: 'F',
    input: { name: '临颍县流动加油车', category: 'fuel_point', lon: 113.94, lat: 33.85, discoveredOn: '2021-08-01' },
    county: '411122',
    moves: [['rectifying', '2021-10-01']],
    status: 'rectifying',
  },
  {
    key: 'G',
    input: { name: '临颍县砂石堆场', category: 'sand_yard', lon: 113.95, lat: 33.86, discoveredOn: '2020-06-01', source: 'demo' },
    county: '411122',
    moves: [],
    status: 'discovered',
  },
  {
    key: 'H',
    input: { name: '源汇区早餐店散煤使用点', category: 'coal_point', lon: 113.94, lat: 33.54, discoveredOn: '2022-11-01', address: '源汇区 100% 纯煤' },
    county: '411102',
    moves: [],
    status: 'discovered',
  },
];

/** Builds FIXTURE through the API; returns the id of each fixture key. */
export async function buildFixture(h: Harness): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const site of FIXTURE) {
    const created = await createSite(h, site.input, site.county);
    ids[site.key] = created.id;
    for (const [to, date] of site.moves) {
      const checklist = to === 'closed' ? (site.input.category === 'fuel_point' ? { ...FULL_CHECKLIST, tanksSealed: true } : { ...FULL_CHECKLIST }) : undefined;
      await moveSite(h, created.id, to, date, checklist);
    }
  }
  return ids;
}

export function siteIds(collection: SiteCollection): number[] {
  return collection.features.map((f) => f.id);
}

/** Reads one site's status, version and number of events straight from the database. */
export function siteState(db: Db, id: number): { status: string; version: number; events: number } {
  return db.get<{ status: string; version: number; events: number }>(
    'SELECT status, version, (SELECT count(*) FROM site_events WHERE site_id = sites.id) AS events FROM sites WHERE id = ?',
    [id],
  )!;
}

/** Asserts the uniform error shape and returns it. */
export function expectError(res: Reply, status: number, code?: string): ApiError['error'] {
  expect(res.status, res.text).toBe(status);
  expect(res.contentType ?? '').toMatch(/application\/json/);
  const body = res.body as ApiError;
  expect(body).toBeTypeOf('object');
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBeTypeOf('string');
  expect(body.error.message).toBeTypeOf('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(body.error.details).toBeTypeOf('object');
  expect(body.error.details).not.toBeNull();
  expect(res.text).not.toMatch(/\n\s+at |SqliteError|\.ts:\d+/);
  if (code !== undefined) expect(body.error.code).toBe(code);
  return body.error;
}
