// GET /api/openapi.json is a valid OpenAPI 3.1 document that lists every route the app serves, and
// /api/docs renders it as a readable page.
import { describe, it, expect, beforeAll } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { bootTestApp } from './helpers/app.ts';
import type { Harness } from './helpers/app.ts';

/** Every method + path the other api-* tests exercise (OpenAPI spelling, relative to /api). */
const EXERCISED = [
  'GET /health',
  'GET /sites',
  'POST /sites',
  'GET /sites/{id}',
  'PATCH /sites/{id}',
  'POST /sites/{id}/events',
  'PUT /sites/{id}/location',
  'GET /counties',
  'GET /roads',
  'POST /roads',
  'GET /roads/{id}',
  'POST /roads/{id}/events',
  'PUT /roads/{id}/geometry',
  'GET /tasks',
  'GET /tasks/{number}',
  'GET /config',
  'GET /analysis/cores',
  'POST /analysis/cores',
  'GET /analysis/siege',
  'POST /routes/plan',
  'POST /routes',
  'GET /routes/{id}',
  'GET /routes/{id}/{format}',
  'POST /inspections',
  'GET /analysis/relapse',
  'POST /analysis/relapse/moves/{id}',
  'POST /photos',
  'GET /photos/{ref}',
  'GET /counties/{code}/scorecard',
  'GET /counties/{code}/scorecard/sites',
  'GET /scorecards',
  'GET /scorecards/xlsx',
  'POST /tasks/{number}/notes',
  'PUT /tasks/{number}/sites',
  'POST /imports',
  'POST /imports/{id}/commit',
  'DELETE /imports/{id}',
  'GET /imports',
  'GET /imports/mappings',
  'POST /imports/mappings',
  'GET /export',
  'POST /session',
  'GET /session',
  'DELETE /session',
  'GET /users',
  'POST /users',
  'PATCH /users/{username}',
  'GET /audit',
  'GET /audit/verify',
];

interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  servers?: { url: string }[];
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string }[];
        requestBody?: unknown;
        responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
      }
    >
  >;
  components?: { schemas?: Record<string, unknown> };
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

let h: Harness;
let doc: OpenApiDoc;

beforeAll(async () => {
  h = bootTestApp();
  const res = await h.get<OpenApiDoc>('/api/openapi.json');
  expect(res.status).toBe(200);
  expect(res.contentType).toMatch(/application\/json/);
  doc = res.body;
});

const documented = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => HTTP_METHODS.has(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );

/**
 * The routes the Hono app actually serves, in OpenAPI spelling, without the catch-all, the doc routes
 * themselves, and the /routes/12.gpx spelling of the documented /routes/{id}/{format} download.
 */
const served = () =>
  [
    ...new Set(
      h.app.routes
        .filter((r) => r.method !== 'ALL' && !r.path.startsWith('/api/routes/:file{'))
        .map((r) => `${r.method} ${r.path.replace(/^\/api/, '').replace(/:(\w+)/g, '{$1}')}`),
    ),
  ].filter((route) => route !== 'GET /openapi.json' && route !== 'GET /docs');

describe('GET /api/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(doc.servers).toEqual([{ url: '/api' }]);
  });

  it('the validator does reject a broken document (so the check above means something)', async () => {
    const broken = structuredClone(doc) as unknown as Record<string, unknown>;
    delete broken.info;
    const result = await new Validator().validate(broken);
    expect(result.valid).toBe(false);
    const wrongResponses = structuredClone(doc);
    (wrongResponses.paths['/health']!.get as unknown as Record<string, unknown>).responses = 'none';
    expect((await new Validator().validate(wrongResponses as unknown as Record<string, unknown>)).valid).toBe(false);
  });

  it('lists every route the tests exercise', () => {
    const listed = new Set(documented());
    for (const route of EXERCISED) expect(listed, route).toContain(route);
  });

  it('lists every route the app serves, and only those', () => {
    const servedRoutes = served();
    expect(servedRoutes.length).toBeGreaterThanOrEqual(EXERCISED.length);
    expect(new Set(documented())).toEqual(new Set(servedRoutes));
  });

  it('documents the /sites filters and the error responses of each route', () => {
    const params = (doc.paths['/sites']!.get!.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    for (const name of ['bbox', 'county', 'category', 'status', 'q', 'asOf', 'source', 'located', 'limit', 'cursor']) expect(params).toContain(name);
    const counties = (doc.paths['/counties']!.get!.parameters ?? []).map((p) => p.name);
    for (const name of ['bbox', 'county', 'category', 'status', 'q', 'asOf', 'source', 'located']) expect(counties).toContain(name);
    const roads = (doc.paths['/roads']!.get!.parameters ?? []).map((p) => p.name);
    expect(roads).toEqual(expect.arrayContaining(['status', 'county', 'asOf', 'drawn']));
    const exports = (doc.paths['/export']!.get!.parameters ?? []).map((p) => p.name);
    for (const name of ['format', 'layer', 'bbox', 'county', 'category', 'status', 'q', 'asOf', 'source', 'located']) expect(exports).toContain(name);

    // each refusal the tests observe is documented on its route, with the Error schema
    const refusals: [string, string, string[]][] = [
      ['/sites', 'get', ['400']],
      ['/sites', 'post', ['400', '413', '422']],
      ['/sites/{id}', 'get', ['400', '404']],
      ['/sites/{id}', 'patch', ['400', '404', '409', '413']],
      ['/sites/{id}/events', 'post', ['400', '404', '409', '413', '422']],
      ['/sites/{id}/location', 'put', ['400', '404', '413', '422']],
      ['/counties', 'get', ['400']],
      ['/roads', 'get', ['400']],
      ['/roads', 'post', ['400', '413', '422']],
      ['/roads/{id}', 'get', ['400', '404']],
      ['/roads/{id}/events', 'post', ['400', '404', '409', '413', '422']],
      ['/roads/{id}/geometry', 'put', ['400', '404', '413', '422']],
      ['/tasks/{number}', 'get', ['400', '404']],
      ['/imports', 'post', ['400', '413']],
      ['/imports/{id}/commit', 'post', ['400', '404', '409', '500']],
      ['/imports/{id}', 'delete', ['404', '409']],
      ['/export', 'get', ['400']],
    ];
    for (const [path, method, statuses] of refusals) {
      const responses = doc.paths[path]![method]!.responses;
      for (const status of statuses) {
        expect(responses, `${method} ${path} ${status}`).toHaveProperty(status);
        expect(responses[status]!.content!['application/json']!.schema!.$ref).toBe('#/components/schemas/Error');
      }
    }
    expect(doc.components?.schemas).toHaveProperty('Error');
    expect(doc.components?.schemas).toHaveProperty('SiteFeature');
    expect(doc.components?.schemas).toHaveProperty('NewSite');
  });

  it('says who may call each route and documents 401/403; health and sign-in need no sign-in', () => {
    type Operation = { description?: string; security?: unknown[]; responses: Record<string, unknown> };
    const op = (path: string, method: string) => doc.paths[path]![method] as unknown as Operation;
    expect(op('/health', 'get').security).toEqual([]);
    expect(op('/session', 'post').security).toEqual([]);
    expect(op('/health', 'get').responses).not.toHaveProperty('401');
    expect(op('/sites', 'post').description).toContain('Roles: admin, county (county and inspector users only in their counties).');
    expect(op('/sites', 'post').responses).toHaveProperty('401');
    expect(op('/sites', 'post').responses).toHaveProperty('403');
    expect(op('/sites', 'get').description).toContain('Every signed-in user.');
    expect(op('/sites', 'get').responses).toHaveProperty('401');
    expect(op('/users', 'get').description).toContain('Roles: admin.');
    expect((doc as unknown as { security: unknown }).security).toEqual([{ bearer: [] }, { cookie: [] }]);
  });

  it('documents request bodies for every write', () => {
    // DELETE /session (sign out) is the one write without a body
    for (const route of EXERCISED.filter((r) => !r.startsWith('GET ') && r !== 'DELETE /session')) {
      const [method, path] = route.split(' ') as [string, string];
      expect(doc.paths[path]![method.toLowerCase()]!.requestBody, route).toBeTruthy();
    }
  });
});

/** Query parameters that are free text (a search, an opaque cursor, a name, a core's id or "default"); every other one must say its type. */
const FREE_TEXT = new Set(['q', 'cursor', 'unit', 'leader', 'core', 'action', 'actor', 'target']);
/** What the handlers parse each typed parameter as: its OpenAPI type (and format), or an enum / a list / a pattern. */
const EXPECTED_TYPE: Record<string, 'integer' | 'number' | 'boolean' | 'date' | 'enum' | 'list' | 'pattern'> = {
  limit: 'integer',
  exclude: 'list',
  only: 'list',
  before: 'integer',
  sectors: 'integer',
  minSites: 'integer',
  withinDays: 'integer',
  staleDays: 'integer',
  nearKm: 'number',
  radiusKm: 'number',
  cellKm: 'number',
  located: 'boolean',
  drawn: 'boolean',
  openOnly: 'boolean',
  asOf: 'date',
  from: 'date',
  to: 'date',
  compareTo: 'date',
  source: 'enum',
  format: 'enum',
  crs: 'enum',
  layer: 'enum',
  correction: 'enum',
  f: 'enum',
  state: 'enum',
  bbox: 'list',
  county: 'list',
  category: 'list',
  categories: 'list',
  status: 'list',
  bands: 'list',
  figure: 'pattern',
};
type ParamSchema = {
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  items?: ParamSchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
};
type Operation = { operationId?: string; parameters?: { name: string; in: string; schema: ParamSchema; style?: string; explode?: boolean }[] };

/** The ways a query parameter fails to say what it is; empty when it does. */
function untyped(name: string, schema: ParamSchema, style?: string, explode?: boolean): string[] {
  const expected = EXPECTED_TYPE[name];
  if (!expected) return FREE_TEXT.has(name) ? [] : [`${name}: neither typed nor known free text`];
  const ok =
    expected === 'date'
      ? schema.type === 'string' && schema.format === 'date'
      : expected === 'enum'
        ? schema.type === 'string' && Array.isArray(schema.enum) && schema.enum.length > 0
        : expected === 'list'
          ? (name === 'county' && schema.type === 'string' && !!schema.pattern) ||
            (schema.type === 'array' &&
              !!schema.items &&
              (!!schema.items.enum || !!schema.items.pattern || schema.items.type === 'number') &&
              style === 'form' &&
              explode === false)
          : expected === 'pattern'
            ? schema.type === 'string' && !!schema.pattern
            : schema.type === expected;
  return ok ? [] : [`${name}: ${JSON.stringify(schema)} is not ${expected}`];
}

describe('operations and their query parameters', () => {
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([m]) => HTTP_METHODS.has(m))
        .map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op: op as unknown as Operation })),
    );

  it('every operation has a unique camelCase operationId starting with a verb', () => {
    const ids = operations().map(({ route, op }) => [route, op.operationId] as const);
    for (const [route, id] of ids)
      expect(id, route).toMatch(
        /^(list|get|create|update|record|place|draw|add|set|save|plan|download|upload|commit|discard|decide|analyze|verify|export|sign|unlock)[A-Z][A-Za-z]*$|^signIn$|^signOut$/,
      );
    expect(new Set(ids.map(([, id]) => id)).size).toBe(ids.length);
    expect(
      Object.fromEntries(ids.filter(([route]) => ['GET /sites', 'POST /sites/{id}/events', 'PUT /sites/{id}/location', 'POST /session'].includes(route))),
    ).toEqual({
      'GET /sites': 'listSites',
      'POST /sites/{id}/events': 'recordSiteEvent',
      'PUT /sites/{id}/location': 'placeSite',
      'POST /session': 'signIn',
    });
  });

  it('every query parameter says its type: number, enum, date or list where the handler parses one', () => {
    const problems = operations().flatMap(({ route, op }) =>
      (op.parameters ?? [])
        .filter((p) => p.in === 'query')
        .flatMap((p) => untyped(p.name, p.schema, p.style, p.explode).map((problem) => `${route} ${problem}`)),
    );
    expect(problems).toEqual([]);
    // the limits the parsers enforce are stated
    const sites = (doc.paths['/sites']!.get as unknown as Operation).parameters!;
    expect(sites.find((p) => p.name === 'limit')!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 200_000 });
    expect(sites.find((p) => p.name === 'status')!.schema.items!.enum).toContain('relapsed');
    const siege = (doc.paths['/analysis/siege']!.get as unknown as Operation).parameters!;
    expect(siege.find((p) => p.name === 'sectors')!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 64 });
    expect(siege.find((p) => p.name === 'nearKm')!.schema).toMatchObject({ type: 'number', exclusiveMinimum: 0 });
  });

  it('the check above fails on a bare string where a number, date or list is parsed, and on an unknown parameter', () => {
    expect(untyped('limit', { type: 'string' })).toEqual(['limit: {"type":"string"} is not integer']);
    expect(untyped('asOf', { type: 'string' })).toHaveLength(1);
    expect(untyped('category', { type: 'string' })).toHaveLength(1);
    expect(untyped('newThing', { type: 'string' })).toHaveLength(1);
    expect(untyped('q', { type: 'string' })).toEqual([]);
  });

  it('a typed parameter is still refused with the product’s reason (the check runs in its schema)', async () => {
    const limit = await h.get<{ error: { code: string; message: string; details: Record<string, unknown> } }>('/api/sites?limit=0');
    expect(limit.status).toBe(400);
    expect(limit.body.error).toEqual({
      code: 'bad_parameter',
      message: 'limit: "0" must be a whole number from 1 to 200000',
      details: { parameter: 'limit', reason: 'out_of_range', value: '0', minimum: 1, maximum: 200_000 },
    });
    const date = await h.get<{ error: { details: Record<string, unknown> } }>('/api/roads?asOf=2021-02-30');
    expect(date.body.error.details).toEqual({ parameter: 'asOf', reason: 'bad_date', value: '2021-02-30' });
  });
});

describe('GET /api/docs', () => {
  it('returns an HTML page listing every route', async () => {
    const res = await h.get('/api/docs');
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/text\/html/);
    expect(res.text).toMatch(/^<!doctype html>/i);
    expect(res.text).toContain('/api/openapi.json');
    const listed = new Set(
      [...res.text.matchAll(/<span class="m \w+">(\w+)<\/span> <code>\/api([^<]*)<\/code>/g)].map((m) => `${m[1]} ${m[2]!.replace(/:(\w+)/g, '{$1}')}`),
    );
    for (const route of EXERCISED) expect(listed, route).toContain(route);
    expect(listed).toEqual(new Set(documented()));
  });
});
