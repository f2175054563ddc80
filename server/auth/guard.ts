// The one place where every /api request is authenticated and authorised, before any handler runs:
// session (bearer token or cookie) → CSRF for cookie writes → the route's rule (server/auth/rules.ts):
// role, then the counties the request writes to.
import type { Context, MiddlewareHandler } from 'hono';
import { parse as parseCookies } from 'hono/utils/cookie';
import { timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { refuseOtherCounties } from '../services/county-scope.ts';
import type { AuditActor } from './audit.ts';
import { COUNTY_SCOPED_ROLES, type Principal } from './roles.ts';
import { ruleFor } from './rules.ts';
import { findSession, type Session } from './sessions.ts';

export const SESSION_COOKIE = 'sansan_session';
export const CSRF_HEADER = 'X-CSRF-Token';

export interface RequestSession extends Session {
  token: string;
  via: 'cookie' | 'bearer';
}

declare module 'hono' {
  interface ContextVariableMap {
    principal: Principal;
    session: RequestSession;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The caller's network address (the socket's peer; "in-process" for requests that have none). */
/** SANSAN_TRUSTED_PROXIES: the reverse proxies (comma-separated addresses) whose X-Forwarded-For is believed. */
const trustedProxies = (): ReadonlySet<string> =>
  new Set(
    (process.env.SANSAN_TRUSTED_PROXIES ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map(bareAddress),
  );
/** ::ffff:127.0.0.1 → 127.0.0.1 */
const bareAddress = (address: string): string => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/**
 * The client's address: the connection's peer, or — when the peer is a trusted proxy — the nearest
 * address in X-Forwarded-For that is not a trusted proxy (the header's left part is the client's word
 * and is not believed past that).
 */
export function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const peer = env?.incoming?.socket?.remoteAddress;
  if (!peer) return 'in-process';
  const trusted = trustedProxies();
  let address = bareAddress(peer);
  if (!trusted.has(address)) return address;
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => bareAddress(part.trim()))
    .filter(Boolean);
  while (trusted.has(address) && forwarded.length) address = forwarded.pop()!;
  return address;
}

/** Who is writing, for the audit record. */
export function auditActor(c: Context): AuditActor {
  const principal = c.get('principal');
  return { actor: principal.username, role: principal.role, address: clientAddress(c) };
}

/** The signed-in user's name, recorded as the actor of history rows. */
export const actorName = (c: Context): string => c.get('principal').username;

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Refuses (403) when a county official or inspector does not hold every one of `counties`. */
export function assertCounties(ctx: AppContext, principal: Principal, counties: readonly (string | null)[]): void {
  refuseOtherCounties(ctx, { ...principal, address: null }, counties);
}

/**
 * The session token a request sends, from its Authorization and Cookie headers: the bearer token when
 * Authorization is sent (null when it is not "Bearer TOKEN": refused, the cookie is not looked at),
 * else the session cookie's value (undefined when neither is sent). Also read by the fast lane.
 */
export function sentToken(authorization: string | undefined, cookie: string | undefined): { token: string | undefined; via: RequestSession['via'] } | null {
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match ? { token: match[1]!, via: 'bearer' } : null;
  }
  return { token: cookie ? parseCookies(cookie, SESSION_COOKIE)[SESSION_COOKIE] : undefined, via: 'cookie' };
}

/**
 * `servedRoute(method, path)` says whether the app has the route at all, so that a write to a path
 * that does not exist still gets its 404 rather than "no permission rule".
 */
export function guard(ctx: AppContext, servedRoute: (method: string, path: string) => boolean): MiddlewareHandler {
  // Not async: a read that needs no county check (most of them) passes without a promise of its own.
  return (c, next) => {
    const method = c.req.method;
    const path = c.req.path.replace(/^\/api(?=\/|$)/, '') || '/';
    const found = ruleFor(method, path);
    if (!found) {
      if (!servedRoute(method, path)) return next();
      throw new AppError(403, 'no_permission_rule', `${method} /api${path} has no permission rule (server/auth/rules.ts), so nobody may call it`, {
        route: `${method} ${path}`,
      });
    }
    const { rule, params, key } = found;
    if (rule.roles === 'public') return next();

    const sent = sentToken(c.req.header('Authorization'), c.req.header('Cookie'));
    if (sent === null) throw new AppError(401, 'unauthenticated', 'Authorization: send "Bearer TOKEN" with the token from POST /api/session');
    const { token, via } = sent;
    const session = token ? findSession(ctx.db, token, ctx.sessions) : null;
    if (!token || !session)
      throw new AppError(
        401,
        'unauthenticated',
        token ? 'the session has ended (signed out, expired or the account was changed); sign in again' : 'sign in first (POST /api/session)',
      );
    if (via === 'cookie' && !SAFE_METHODS.has(method)) {
      const csrf = c.req.header(CSRF_HEADER);
      if (!csrf || !sameText(csrf, session.csrfToken))
        throw new AppError(
          403,
          'csrf_failed',
          `${CSRF_HEADER}: a cookie-signed request that changes data needs the session's CSRF token (from GET /api/session)`,
          { header: CSRF_HEADER },
        );
    }
    c.set('principal', session.user);
    c.set('session', requestSession(session, token, via));

    if (rule.roles !== 'signed-in' && !rule.roles.includes(session.user.role))
      throw new AppError(403, 'forbidden', `role ${session.user.role} may not ${key.replace(' ', ' /api')} (allowed: ${rule.roles.join(', ')})`, {
        role: session.user.role,
        allowed: rule.roles,
      });
    if (rule.counties && COUNTY_SCOPED_ROLES.has(session.user.role)) {
      const counted = rule.counties;
      return (async () => {
        const counties = await counted({
          ctx,
          params,
          body: async () => {
            try {
              return await c.req.json();
            } catch {
              return undefined;
            }
          },
        });
        if (counties) assertCounties(ctx, session.user, counties);
        return next();
      })();
    }
    return next();
  };
}

/** The session as a request sees it, made once per session answer and way of sending the token. */
const requestSessions = new WeakMap<Session, Partial<Record<RequestSession['via'], RequestSession>>>();
function requestSession(session: Session, token: string, via: RequestSession['via']): RequestSession {
  let byVia = requestSessions.get(session);
  if (!byVia) requestSessions.set(session, (byVia = {}));
  return (byVia[via] ??= { ...session, token, via });
}
