// The Hono application: /api routes, their OpenAPI document, and JSON errors everywhere under /api.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppContext } from './context.ts';
import { AppError, databaseBusy } from './errors.ts';
import { isBusyError } from './db/database.ts';
import { countyRoutes } from './routes/counties.ts';
import { exportRoutes } from './routes/exports.ts';
import { ogcRoutes } from './routes/ogc.ts';
import { configRoutes } from './routes/config.ts';
import { basemapRoutes } from './routes/basemaps.ts';
import { siegeRoutes } from './routes/analysis-siege.ts';
import { inspectionRouteRoutes } from './routes/inspection-routes.ts';
import { relapseRoutes } from './routes/analysis-relapse.ts';
import { MAX_PHOTO_BYTES, photoRoutes } from './routes/photos.ts';
import { importRoutes } from './routes/imports.ts';
import { scorecardRoutes } from './routes/scorecards.ts';
import { renderApiDocs } from './routes/api-docs.ts';
import { roadRoutes } from './routes/roads.ts';
import { ErrorSchema, Health } from './routes/schemas.ts';
import { ruleFor } from './auth/rules.ts';
import { siteRoutes } from './routes/sites.ts';
import { mapSiteRoutes } from './routes/map-sites.ts';
import { taskRoutes } from './routes/tasks.ts';
import { rememberValidQueries, validationHook } from './routes/validation.ts';
import { schemaVersion } from './db/migrate.ts';
import { countAllSites } from './store/site-queries.ts';
import { ChangeMemo } from './store/response-cache.ts';
import { lastBackup } from './ops/backup.ts';
import { logServerError, requestIdOf, requestLog, type Logger } from './ops/log.ts';
import { heavyWorkLimit } from './ops/limits.ts';
import { guard } from './auth/guard.ts';
import { securityHeaders } from './auth/security-headers.ts';
import { auditRoutes } from './routes/audit.ts';
import { sessionRoutes } from './routes/session.ts';
import { userRoutes } from './routes/users.ts';
import { wire } from './routes/wire.ts';

/** JSON request bodies larger than this get 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

const errorBody = (code: string, message: string, details: Record<string, unknown> = {}) => ({ error: { code, message, details } });

export function errorResponse(error: unknown, c: Context, log: Logger) {
  if (isBusyError(error)) error = databaseBusy();
  if (error instanceof AppError) return c.json(errorBody(error.code, error.message, error.details), error.status, error.headers);
  if (error instanceof HTTPException) {
    if (error.status === 413) return c.json(errorBody('body_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes`), 413);
    if (error.status === 400) return c.json(errorBody('bad_body', `the request body is not valid: ${error.message}`, { reason: 'not_json' }), 400);
    if (error.status === 415) return c.json(errorBody('unsupported_media_type', 'send the body as JSON with content-type: application/json'), 415);
    return c.json(errorBody('http_error', error.message), error.status);
  }
  logServerError(log, c, error);
  const id = requestIdOf(c);
  return c.json(errorBody('internal', `internal error; the server log has the details${id ? ` (request ${id})` : ''}`, id ? { requestId: id } : {}), 500);
}

export const API_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'Sansan Map API (三散污染源地图)',
    version: '1',
    description:
      'Sites, road segments and the plan’s tasks of Luohe’s 三散 pollution rectification campaign. Coordinates are WGS84 longitude/latitude. Every error is `{ error: { code, message, details } }`.',
  },
};

export interface AppOptions {
  /** Log every request and give it an X-Request-Id (default true; createServer does it for the whole surface). */
  requestLog?: boolean;
}

export function createApp(ctx: AppContext, options: AppOptions = {}) {
  const api = new OpenAPIHono({ defaultHook: validationHook });
  const jsonLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json(errorBody('body_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes`), 413),
  });
  const photoLimit = bodyLimit({
    maxSize: MAX_PHOTO_BYTES,
    onError: (c) => c.json(errorBody('body_too_large', `a photo may be at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB`), 413),
  });
  // Photos and ledger uploads are the uploads larger than a JSON body. A GET or HEAD has none: asking
  // for its body would build a whole WHATWG Request per read (7% of a cached read's time, issue #17).
  api.use('*', (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (c.req.path.endsWith('/photos')) return photoLimit(c, next);
    // A ledger (≤ 50 MB) is streamed to disk and bounded as it arrives (server/routes/import-upload.ts).
    if (c.req.method === 'POST' && c.req.path.endsWith('/imports')) return next();
    return jsonLimit(c, next);
  });
  // Sign-in, CSRF and the permission rule of every route (server/auth/rules.ts), before any handler.
  let served: { method: string; regex: RegExp }[] = [];
  api.use(
    '*',
    guard(ctx, (method, path) => served.some((route) => route.method === method && route.regex.test(`/api${path}`))),
  );
  // Heavy work waits its turn before a handler reads the body (server/ops/limits.ts).
  api.use('*', heavyWorkLimit());
  api.onError((error, c) => errorResponse(error, c, ctx.log));

  // /api/health needs no sign-in: it counts the sites once per sites data version, not per call
  // (count(*) reads a whole index: ~0.1 s at 10^6 sites).
  const siteCount = new ChangeMemo<number>(ctx.db, ['sites'], 1);
  const routes = api
    .openapi(
      createRoute({
        method: 'get',
        path: '/health',
        operationId: 'getHealth',
        tags: ['meta'],
        summary: 'Liveness, version, number of sites and when the last backup was made',
        responses: { 200: { description: 'The server is up.', content: { 'application/json': { schema: Health } } } },
      }),
      (c) => {
        const sites = siteCount.get('all', () => countAllSites(ctx.db));
        return c.json({ ok: true, version: ctx.version, sites, schemaVersion: schemaVersion(ctx.db), lastBackupAt: lastBackup(ctx.db)?.at ?? null }, 200);
      },
    )
    .route('/', siteRoutes(ctx))
    .route('/', mapSiteRoutes(ctx))
    .route('/', countyRoutes(ctx))
    .route('/', roadRoutes(ctx))
    .route('/', taskRoutes(ctx))
    .route('/', configRoutes(ctx))
    .route('/', basemapRoutes(ctx))
    .route('/', siegeRoutes(ctx))
    .route('/', inspectionRouteRoutes(ctx))
    .route('/', relapseRoutes(ctx))
    .route('/', photoRoutes(ctx))
    .route('/', scorecardRoutes(ctx))
    .route('/', importRoutes(ctx))
    .route('/', exportRoutes(ctx))
    .route('/', ogcRoutes(ctx))
    .route('/', sessionRoutes(ctx))
    .route('/', userRoutes(ctx))
    .route('/', auditRoutes(ctx));

  documentPermissions(api);
  rememberValidQueries(api);
  const documentInfo = {
    ...API_INFO,
    servers: [{ url: '/api' }],
    security: [{ bearer: [] as string[] }, { cookie: [] as string[] }] as Record<string, string[]>[],
  };
  api.doc31('/openapi.json', documentInfo);
  api.get('/docs', (c) => c.html(renderApiDocs(api.getOpenAPI31Document(documentInfo))));

  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'The token from POST /api/session.' });
  api.openAPIRegistry.registerComponent('securitySchemes', 'cookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'sansan_session',
    description: 'Set by POST /api/session; writes also need the X-CSRF-Token header from GET /api/session.',
  });

  const base = new OpenAPIHono();
  if (options.requestLog ?? true) base.use('*', requestLog(ctx.log));
  // Compression, ETag/304 and Cache-Control of every JSON answer (server/routes/wire.ts).
  const app = base.use('*', securityHeaders(ctx)).use('/api/*', wire()).route('/api', routes);
  served = app.routes.filter((r) => r.method !== 'ALL').map((r) => ({ method: r.method, regex: honoPathRegex(r.path) }));
  app.all('/api/*', (c) => c.json(errorBody('not_found', `no such API path: ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => errorResponse(error, c, ctx.log));
  return app;
}

/**
 * Each operation in /api/openapi.json says who may call it (from the rule table) and documents the
 * 401 and 403 answers; the public ones (health, sign-in) need no security.
 */
function documentPermissions(api: OpenAPIHono) {
  const error = { content: { 'application/json': { schema: ErrorSchema } } };
  for (const definition of api.openAPIRegistry.definitions) {
    if (definition.type !== 'route') continue;
    const route = definition.route;
    const found = ruleFor(route.method.toUpperCase(), route.path);
    if (!found) continue;
    const roles = found.rule.roles;
    if (roles === 'public') {
      route.security = [];
      continue;
    }
    const who =
      roles === 'signed-in'
        ? 'Every signed-in user.'
        : `Roles: ${roles.join(', ')}${found.rule.counties ? ' (county and inspector users only in their counties)' : ''}.`;
    route.description = route.description ? `${route.description}\n\n${who}` : who;
    route.responses = {
      ...route.responses,
      401: { description: 'Not signed in, or the session has ended.', ...error },
      ...(roles !== 'signed-in' || route.method !== 'get'
        ? { 403: { description: 'The role or the counties do not allow it, or a cookie write lacks X-CSRF-Token.', ...error } }
        : {}),
    };
  }
}

/** A regular expression for a Hono route path (`:id`, `:file{regex}`). */
function honoPathRegex(path: string): RegExp {
  const pattern = path
    .split('/')
    .map((part) => {
      const custom = /^:\w+\{(.+)\}$/.exec(part);
      if (custom) return `(?:${custom[1]})`;
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${pattern}$`);
}

export type AppType = ReturnType<typeof createApp>;
