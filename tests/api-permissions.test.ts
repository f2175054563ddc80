// Every route that changes data × every role × a target in the user's own county and in another:
// the answer is allowed (2xx), 401 (not signed in) or 403, as the issue's role table says. The routes
// come from the app itself, so a new route without a case here (and a rule in
// server/auth/rules.ts) fails the first test, naming the route.
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../server/auth/roles.ts';
import { ruleFor } from '../server/auth/rules.ts';
import { POINTS, TODAY, bootTestApp, expectError, signInUser, type CountyCode, type Harness, type SiteFeature } from './helpers/app.ts';

const OWN: CountyCode = '411102';
const OTHER: CountyCode = '411103';
const SCOPED: ReadonlySet<Role> = new Set(['county', 'inspector']);
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));

interface Call {
  path: string;
  body?: unknown;
  contentType?: string;
}

interface Case {
  /** Roles allowed; 'signed-in' for every role, 'public' for no sign-in at all. */
  roles: readonly Role[] | 'signed-in' | 'public';
  /** County officials and inspectors only inside their counties. */
  scoped: boolean;
  /** A fresh request whose target lies in `county` (made as admin). */
  build: (h: Harness, county: CountyCode) => Promise<Call>;
}

let serial = 0;
const next = () => ++serial;

async function site(h: Harness, county: CountyCode, category = 'sand_yard'): Promise<number> {
  const [lon, lat] = POINTS[county];
  const res = await h.send<SiteFeature>('POST', '/api/sites', { name: `测试点${next()}`, category, lon: lon + serial * 1e-5, lat, discoveredOn: '2022-01-01' });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function road(h: Harness, county: CountyCode): Promise<number> {
  const res = await h.send<{ id: number }>('POST', '/api/roads', { roadName: `测试路${next()}`, severity: 'moderate', county, reportedOn: '2022-01-01' });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

const line = (county: CountyCode) => {
  const [lon, lat] = POINTS[county];
  return {
    type: 'LineString',
    coordinates: [
      [lon - 0.002, lat],
      [lon + 0.002, lat],
    ],
  };
};

/** A ledger upload (multipart) with one sand yard in `county`. */
function ledgerUpload(county: CountyCode): Call {
  const boundary = 'ledger-boundary';
  const [lon, lat] = POINTS[county];
  const csv = `名称,经度,纬度,类别\n台账点${next()},${lon},${lat},砂石料场\n`;
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="options"\r\n\r\n{"crs":"wgs84"}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="ledger.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
  return { path: '/api/imports', body: new TextEncoder().encode(body), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A preview of one row in `county`, made as admin; returns its id. */
async function importPreview(h: Harness, county: CountyCode): Promise<number> {
  const upload = ledgerUpload(county);
  const res = await h.request(upload.path, { method: 'POST', body: upload.body as Uint8Array<ArrayBuffer>, headers: { 'content-type': upload.contentType! } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

/** The expected answer of each route, written from the issue's role table (not from rules.ts). */
const CASES: Record<string, Case> = {
  'POST /session': {
    roles: 'public',
    scoped: false,
    build: async () => ({ path: '/api/session', body: { username: 'admin', password: 'test-password-2022' } }),
  },
  'DELETE /session': { roles: 'signed-in', scoped: false, build: async () => ({ path: '/api/session' }) },
  'POST /users': {
    roles: ['admin'],
    scoped: false,
    build: async () => ({ path: '/api/users', body: { username: `user${next()}`, role: 'viewer', password: 'long-enough-pw' } }),
  },
  'PATCH /users/{username}': {
    roles: ['admin'],
    scoped: false,
    build: async (h) => {
      const username = `user${next()}`;
      expect((await h.send('POST', '/api/users', { username, role: 'viewer', password: 'long-enough-pw' })).status).toBe(201);
      return { path: `/api/users/${username}`, body: { disabled: true } };
    },
  },
  'POST /users/{username}/unlock': {
    roles: ['admin'],
    scoped: false,
    build: async (h) => {
      const username = `user${next()}`;
      expect((await h.send('POST', '/api/users', { username, role: 'viewer', password: 'long-enough-pw' })).status).toBe(201);
      return { path: `/api/users/${username}/unlock` };
    },
  },
  'POST /sites': {
    roles: ['admin', 'county'],
    scoped: true,
    build: async (_h, county) => ({
      path: '/api/sites',
      body: { name: `新点${next()}`, category: 'sand_yard', lon: POINTS[county][0], lat: POINTS[county][1], discoveredOn: '2022-01-01' },
    }),
  },
  'PATCH /sites/{id}': {
    roles: ['admin', 'county'],
    scoped: true,
    build: async (h, county) => ({ path: `/api/sites/${await site(h, county)}`, body: { version: 1, note: '核实' } }),
  },
  'POST /sites/{id}/events': {
    roles: ['admin', 'county', 'inspector'],
    scoped: true,
    build: async (h, county) => ({ path: `/api/sites/${await site(h, county)}/events`, body: { to: 'rectifying', date: '2022-06-01' } }),
  },
  'PUT /sites/{id}/location': {
    roles: ['admin', 'county'],
    scoped: true,
    build: async (h, county) => ({
      path: `/api/sites/${await site(h, county)}/location`,
      body: { lon: POINTS[county][0] + 0.001, lat: POINTS[county][1], date: '2022-06-01' },
    }),
  },
  'POST /roads': {
    roles: ['admin', 'county'],
    scoped: true,
    build: async (_h, county) => ({ path: '/api/roads', body: { roadName: `新路${next()}`, severity: 'minor', county, reportedOn: '2022-01-01' } }),
  },
  'POST /roads/{id}/events': {
    roles: ['admin', 'county', 'inspector'],
    scoped: true,
    build: async (h, county) => ({ path: `/api/roads/${await road(h, county)}/events`, body: { to: 'scheduled', date: '2022-06-01' } }),
  },
  'PUT /roads/{id}/geometry': {
    roles: ['admin', 'county'],
    scoped: true,
    build: async (h, county) => ({ path: `/api/roads/${await road(h, county)}/geometry`, body: { geometry: line(county), date: '2022-06-01' } }),
  },
  'PATCH /roads/{id}': {
    roles: ['admin', 'county'],
    scoped: true,
    build: async (h, county) => ({ path: `/api/roads/${await road(h, county)}`, body: { version: 1, responsibleUnit: '市城市管理局' } }),
  },
  'POST /inspections': {
    roles: ['admin', 'county', 'inspector'],
    scoped: true,
    build: async (h, county) => ({ path: '/api/inspections', body: { siteId: await site(h, county), date: '2022-06-01', result: 'operating' } }),
  },
  // A preview writes no site: a county official's rows elsewhere become row errors (tests/api-imports.test.ts).
  'POST /imports': { roles: ['admin', 'county'], scoped: false, build: async (_h, county) => ledgerUpload(county) },
  'POST /imports/{id}/commit': {
    roles: ['admin', 'county'],
    scoped: true,
    build: async (h, county) => ({ path: `/api/imports/${await importPreview(h, county)}/commit`, body: {} }),
  },
  'DELETE /imports/{id}': {
    roles: ['admin', 'county'],
    scoped: true,
    build: async (h, county) => {
      const id = await importPreview(h, county);
      expect((await h.send('POST', `/api/imports/${id}/commit`, {})).status).toBe(200);
      return { path: `/api/imports/${id}`, body: {} };
    },
  },
  'POST /imports/mappings': {
    roles: ['admin', 'county'],
    scoped: false,
    build: async () => ({ path: '/api/imports/mappings', body: { name: `映射${next()}`, mapping: { 单位: 'name' } } }),
  },
  'POST /photos': { roles: ['admin', 'county', 'inspector'], scoped: false, build: async () => ({ path: '/api/photos', body: PNG, contentType: 'image/png' }) },
  'POST /analysis/relapse/moves/{id}': {
    roles: ['admin', 'county', 'inspector'],
    scoped: true,
    build: async (h, county) => ({ path: `/api/analysis/relapse/moves/${await site(h, county)}-${await site(h, county)}`, body: { decision: 'dismissed' } }),
  },
  'POST /tasks/{number}/notes': {
    roles: ['admin', 'county', 'inspector'],
    scoped: false,
    build: async () => ({ path: '/api/tasks/19/notes', body: { text: '进展' } }),
  },
  'PUT /tasks/{number}/sites': { roles: ['admin'], scoped: false, build: async () => ({ path: '/api/tasks/19/sites', body: { siteIds: [] } }) },
  'POST /analysis/cores': {
    roles: ['admin', 'planner'],
    scoped: false,
    build: async () => ({
      path: '/api/analysis/cores',
      body: {
        name: `城区${next()}`,
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [114.0, 33.55],
              [114.05, 33.55],
              [114.05, 33.6],
              [114.0, 33.55],
            ],
          ],
        },
      },
    }),
  },
  'POST /routes/plan': {
    roles: ['admin', 'county', 'inspector', 'planner'],
    scoped: false,
    build: async (h, county) => ({ path: '/api/routes/plan', body: { siteIds: [await site(h, county)], start: { lon: 114.0, lat: 33.6 } } }),
  },
  'POST /routes': {
    roles: ['admin', 'county', 'inspector', 'planner'],
    scoped: true, // issue 20: a county official or inspector saves routes through their counties only
    build: async (h, county) => {
      const plan = await h.send('POST', '/api/routes/plan', { siteIds: [await site(h, county)], start: { lon: 114.0, lat: 33.6 } });
      expect(plan.status, plan.text).toBe(200);
      return { path: '/api/routes', body: { name: `路线${next()}`, plan: plan.body } };
    },
  },
};

let h: Harness;
let mutating: { method: string; path: string; key: string }[];

beforeAll(() => {
  h = bootTestApp();
  mutating = [
    ...new Map(
      h.app.routes
        .filter((r) => !['GET', 'HEAD', 'OPTIONS', 'ALL'].includes(r.method))
        .map((r) => {
          const path = r.path.replace(/^\/api/, '').replace(/:(\w+)/g, '{$1}');
          return [`${r.method} ${path}`, { method: r.method, path, key: `${r.method} ${path}` }] as const;
        }),
    ).values(),
  ];
});

async function call(role: Role | null, method: string, request: Call) {
  const headers: Record<string, string> = { 'content-type': request.contentType ?? 'application/json' };
  if (role) headers.Authorization = `Bearer ${signInUser(h.db, h.ctx.countyCodes, `walk-${role}`, role, SCOPED.has(role) ? [OWN] : [], h.ctx.sessions)}`;
  const body: BodyInit | undefined =
    request.body === undefined ? undefined : request.body instanceof Uint8Array ? (request.body as Uint8Array<ArrayBuffer>) : JSON.stringify(request.body);
  const res = await h.app.request(request.path, { method, headers, body });
  return { status: res.status, text: await res.text() };
}

describe('permissions of every route that changes data', () => {
  it('every mutating route the app serves has a rule and a case here', () => {
    expect(mutating.length).toBeGreaterThanOrEqual(Object.keys(CASES).length);
    for (const route of mutating) {
      expect(ruleFor(route.method, route.path), `${route.key} has no permission rule: add one line to RULES in server/auth/rules.ts`).not.toBeNull();
      expect(Object.keys(CASES), `${route.key} has no case in tests/api-permissions.test.ts`).toContain(route.key);
    }
  });

  it('a write without a rule is refused for everyone, admins included', async () => {
    expect(ruleFor('POST', '/no-such-rule')).toBeNull();
    expect(ruleFor('GET', '/anything')?.rule.roles).toBe('signed-in');
    // a real route: with its rule taken away, even the admin gets 403 naming the route
    const { RULES } = await import('../server/auth/rules.ts');
    const saved = RULES['POST /tasks/{number}/notes']!;
    delete RULES['POST /tasks/{number}/notes'];
    try {
      const refused = expectError(await h.send('POST', '/api/tasks/19/notes', { text: 'x' }), 403, 'no_permission_rule');
      expect(refused.message).toContain('POST /api/tasks/19/notes');
    } finally {
      RULES['POST /tasks/{number}/notes'] = saved;
    }
    expect((await h.send('POST', '/api/tasks/19/notes', { text: 'x' })).status).toBe(201);
  });

  it('walks route × role × own/other county', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const route of mutating) {
      const spec = CASES[route.key]!;
      // not signed in
      const anonymous = await call(null, route.method, await spec.build(h, OWN));
      const anonymousExpected = spec.roles === 'public' ? 'allowed' : 401;
      const anonymousGot = anonymous.status >= 200 && anonymous.status < 300 ? 'allowed' : anonymous.status;
      if (anonymousGot !== anonymousExpected) failures.push(`${route.key} anonymous: expected ${anonymousExpected}, got ${anonymous.status} ${anonymous.text}`);
      if (spec.roles === 'public') continue;
      for (const role of ROLES)
        for (const county of [OWN, OTHER]) {
          const expected = spec.roles !== 'signed-in' && !spec.roles.includes(role) ? 403 : spec.scoped && SCOPED.has(role) && county !== OWN ? 403 : 'allowed';
          const res = await call(role, route.method, await spec.build(h, county));
          const got = res.status >= 200 && res.status < 300 ? 'allowed' : res.status;
          checked++;
          if (got !== expected)
            failures.push(
              `${route.key} as ${role} in ${county === OWN ? 'own' : 'other'} county: expected ${expected}, got ${res.status} ${res.text.slice(0, 200)}`,
            );
        }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe((mutating.length - 1) * ROLES.length * 2);
  });
});

describe('moving a site across a county line', () => {
  it('needs write rights in both counties', async () => {
    const own = await site(h, OWN);
    const other = await site(h, OTHER);
    const official = h.as('county', [OWN]);
    const to = (county: CountyCode) => ({ lon: POINTS[county][0], lat: POINTS[county][1], date: TODAY });
    // own → other and other → own are refused, and nothing moved
    const out = expectError(await official.send('PUT', `/api/sites/${own}/location`, to(OTHER)), 403, 'forbidden_county');
    expect(out.details.county).toBe(OTHER);
    expectError(await official.send('PUT', `/api/sites/${other}/location`, to(OWN)), 403, 'forbidden_county');
    expect(h.db.get('SELECT county_code FROM sites WHERE id = ?', [own])).toEqual({ county_code: OWN });
    // an official of both counties may
    const both = h.as('county', [OWN, OTHER]);
    const moved = await both.send<{ countyChanged: unknown }>('PUT', `/api/sites/${own}/location`, to(OTHER));
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.countyChanged).toEqual({ from: OWN, to: OTHER });
    // the audit record names both counties
    const record = h.db.get<{ counties: string }>("SELECT counties FROM audit_log WHERE action = 'site.move' ORDER BY id DESC LIMIT 1")!;
    expect(JSON.parse(record.counties)).toEqual([OWN, OTHER]);
  });

  it('reads are open to every role, and nothing without signing in but the health check', async () => {
    for (const role of ROLES) expect((await h.as(role, SCOPED.has(role) ? [OWN] : []).get('/api/sites')).status).toBe(200);
    expectError(await h.anonymous.get('/api/sites'), 401, 'unauthenticated');
    expectError(await h.anonymous.get('/api/openapi.json'), 401, 'unauthenticated');
    expect((await h.anonymous.get('/api/health')).status).toBe(200);
    // a viewer's refusal says what the role may not do
    const refused = expectError(
      await h.as('viewer').send('POST', '/api/sites', { name: 'x', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2022-01-01' }),
      403,
      'forbidden',
    );
    expect(refused.message).toMatch(/viewer may not POST \/api\/sites/);
  });
});
