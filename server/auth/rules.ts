// Who may call which route: ONE table, keyed by method + path (OpenAPI spelling, relative to /api).
// The middleware in server/auth/guard.ts applies it to every request before any handler runs.
//
// - A GET route without a rule is open to every signed-in user (everyone reads everything).
// - A POST/PUT/PATCH/DELETE route without a rule is refused (403 no_permission_rule); the test
//   tests/api-permissions.test.ts names any such route.
// - `counties` says which counties a request writes to (from the site or road in the database, the
//   body's position or declared county; both old and new county when something moves). County
//   officials and inspectors must hold every one of them. It returns null when the target does not
//   exist or cannot be placed: the handler then refuses the request itself (404/400/422).
//
// A new route's rule is one line here, e.g. `'POST /imports': { roles: WRITERS },` (a route that
// writes rows of many counties checks each with `assertCounties` from guard.ts).
import type { LineString } from 'geojson';
import type { AppContext } from '../context.ts';
import { countyOfLine } from '../geo/locate-line.ts';
import { roadCountyOf, siteCountyOf } from '../store/record-counties.ts';
import { CAN } from '../../domain/roles.ts';
import type { Role } from './roles.ts';

export interface RuleRequest {
  ctx: AppContext;
  params: Record<string, string>;
  /** The parsed JSON body, or undefined when it is missing or not JSON. */
  body: () => Promise<unknown>;
}

export type CountyResolver = (request: RuleRequest) => Promise<(string | null)[] | null> | (string | null)[] | null;

export interface Rule {
  /** 'public': no sign-in (the health check, signing in); 'signed-in': every role. */
  roles: readonly Role[] | 'public' | 'signed-in';
  counties?: CountyResolver;
}

// The role sets come from domain/roles.ts, which the page uses to hide what a role may not do.
/** Site, road and import writes. */
export const WRITERS = CAN.writeSites;
/** Status moves, inspections, photos, relapse decisions, task notes: also inspectors. */
export const FIELD = CAN.recordField;
/** Route planning (a computation) and saved routes: every role but viewer. */
export const ANALYSTS = CAN.planRoutes;
export const ADMIN = CAN.administer;

const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});

const siteCounty = (ctx: AppContext, id: unknown): string | null => {
  const n = Number(id);
  if (!Number.isSafeInteger(n)) return null;
  return siteCountyOf(ctx.db, n);
};

const roadCounty = (ctx: AppContext, id: unknown): string | null => {
  const n = Number(id);
  if (!Number.isSafeInteger(n)) return null;
  return roadCountyOf(ctx.db, n);
};

const positionCounty = (ctx: AppContext, body: unknown): string | null => {
  const { lon, lat } = record(body);
  return typeof lon === 'number' && typeof lat === 'number' ? ctx.locator.locate(lon, lat) : null;
};

const lineCounty = (ctx: AppContext, geometry: unknown): string | null => {
  try {
    return countyOfLine(ctx.locator, geometry as LineString);
  } catch {
    return null;
  }
};

/** The county of each vertex of a line (null for a vertex outside every county). */
const vertexCounties = (ctx: AppContext, geometry: unknown): (string | null)[] => {
  const coordinates = record(geometry).coordinates;
  if (!Array.isArray(coordinates)) return [];
  return coordinates.map((point: unknown) =>
    Array.isArray(point) && typeof point[0] === 'number' && typeof point[1] === 'number' ? ctx.locator.locate(point[0], point[1]) : null,
  );
};

/** The site named by the path's {id}. */
const pathSite: CountyResolver = ({ ctx, params }) => [siteCounty(ctx, params.id)];

export const RULES: Record<string, Rule> = {
  'GET /health': { roles: 'public' },
  'POST /session': { roles: 'public' },
  'DELETE /session': { roles: 'signed-in' },
  'GET /users': { roles: ADMIN },
  'POST /users': { roles: ADMIN },
  'PATCH /users/{username}': { roles: ADMIN },
  'GET /users/locks': { roles: ADMIN },
  'POST /users/{username}/unlock': { roles: ADMIN },
  'GET /audit': { roles: CAN.readAudit },
  'GET /audit/verify': { roles: CAN.readAudit },

  'POST /sites': { roles: WRITERS, counties: async ({ ctx, body }) => [positionCounty(ctx, await body())] },
  'PATCH /sites/{id}': { roles: WRITERS, counties: pathSite },
  'POST /sites/{id}/events': { roles: FIELD, counties: pathSite },
  'PUT /sites/{id}/location': { roles: WRITERS, counties: async ({ ctx, params, body }) => [siteCounty(ctx, params.id), positionCounty(ctx, await body())] },
  'POST /roads': {
    roles: WRITERS,
    counties: async ({ ctx, body }) => {
      const { geometry, county } = record(await body());
      return [geometry ? lineCounty(ctx, geometry) : typeof county === 'string' ? county : null];
    },
  },
  'POST /roads/{id}/events': { roles: FIELD, counties: ({ ctx, params }) => [roadCounty(ctx, params.id)] },
  // Drawing: the segment's county (none while unassigned), the county of the line and of every vertex,
  // and the county it is assigned to: a county official draws only inside their counties.
  'PUT /roads/{id}/geometry': {
    roles: WRITERS,
    counties: async ({ ctx, params, body }) => {
      const { geometry, county } = record(await body());
      return [roadCounty(ctx, params.id), lineCounty(ctx, geometry), ...vertexCounties(ctx, geometry), typeof county === 'string' ? county : null];
    },
  },
  'PATCH /roads/{id}': {
    roles: WRITERS,
    counties: async ({ ctx, params, body }) => {
      const { county } = record(await body());
      return [roadCounty(ctx, params.id), typeof county === 'string' ? county : null];
    },
  },
  'POST /inspections': { roles: FIELD, counties: async ({ ctx, body }) => [siteCounty(ctx, record(await body()).siteId)] },
  // Ledger imports: writers; a county official's preview marks rows of other counties as errors, and
  // the commit and undo check every county the batch writes (assertCounties in routes/imports.ts).
  'POST /imports': { roles: WRITERS },
  'POST /imports/{id}/commit': { roles: WRITERS },
  'DELETE /imports/{id}': { roles: WRITERS },
  'POST /imports/mappings': { roles: WRITERS },
  'POST /photos': { roles: FIELD },
  'POST /analysis/relapse/moves/{id}': { roles: FIELD, counties: ({ ctx, params }) => (params.id ?? '').split('-').map((id) => siteCounty(ctx, id)) },
  'POST /tasks/{number}/notes': { roles: FIELD },
  'PUT /tasks/{number}/sites': { roles: ADMIN },
  'POST /analysis/cores': { roles: CAN.saveCores },
  'POST /routes/plan': { roles: ANALYSTS },
  'POST /routes': { roles: ANALYSTS },
};

const safeDecode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

const SIGNED_IN_READ: Rule = { roles: 'signed-in' };

interface RoutePattern {
  key: string;
  method: string;
  regex: RegExp;
  names: string[];
}

/**
 * The table's keys as patterns, compiled once when the module loads: literal paths before templated
 * ones (/routes/plan before /routes/{id}). Each pattern keeps its key, and the rule is read from
 * RULES when it matches, so the table stays the only truth (a rule taken out of it stops matching).
 */
const PATTERNS: readonly RoutePattern[] = Object.keys(RULES)
  .map((key) => {
    const [method, path] = key.split(' ') as [string, string];
    const names: string[] = [];
    const pattern = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => (names.push(name), '([^/]+)'));
    return { key, method, regex: new RegExp(`^${pattern}$`), names };
  })
  .sort((a, b) => a.names.length - b.names.length);

/**
 * The rule for a request (path relative to /api), with the path's parameters; for a GET or HEAD
 * without a rule, "every signed-in user"; for a write without a rule, null (refused).
 */
export function ruleFor(method: string, path: string): { rule: Rule; params: Record<string, string>; key: string } | null {
  const verb = method === 'HEAD' ? 'GET' : method;
  for (const entry of PATTERNS) {
    if (entry.method !== verb) continue;
    const rule = RULES[entry.key];
    if (!rule) continue;
    const match = entry.regex.exec(path);
    if (!match) continue;
    const params = Object.fromEntries(entry.names.map((name, i) => [name, safeDecode(match[i + 1]!)]));
    return { rule, params, key: entry.key };
  }
  return verb === 'GET' ? { rule: SIGNED_IN_READ, params: {}, key: `GET ${path}` } : null;
}
