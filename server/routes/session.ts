// /api/session: sign in (cookie + bearer token), who am I (with the CSRF token), sign out.
// Failed sign-ins are audit records; 5 for one username from one address, or 20 from one address,
// within 15 minutes get 429 (someone guessing from elsewhere cannot lock the user out).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { signInFailures } from '../store/audit-store.ts';
import { MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_USER, SIGN_IN_WINDOW_MINUTES } from '../auth/sign-in-limits.ts';
import { clientAddress, SESSION_COOKIE } from '../auth/guard.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { findSession } from '../auth/sessions.ts';
import { endSession, recordFailedSignIn, startSession } from '../services/sessions.ts';
import { findUser, passwordHashOf } from '../store/user-store.ts';
import { SessionInfo, SignedIn, SignInBody } from './auth-schemas.ts';
import { errorResponses, jsonContent as json } from './schemas.ts';
import { validationHook } from './validation.ts';

/** Compared against when the username is unknown, so both cases take as long. */
let decoyHash: string | null = null;

function refuseWhenLimited(ctx: AppContext, username: string, address: string, now: number): void {
  const since = new Date(now - SIGN_IN_WINDOW_MINUTES * 60_000).toISOString();
  for (const [by, max, what] of [
    [{ username, address }, MAX_FAILURES_PER_USER, `user ${username} from ${address}`],
    [{ address }, MAX_FAILURES_PER_ADDRESS, `address ${address}`],
  ] as const) {
    const { count, oldest } = signInFailures(ctx.db, since, by);
    if (count < max) continue;
    const retryAfter = Math.max(1, Math.ceil((Date.parse(oldest!) + SIGN_IN_WINDOW_MINUTES * 60_000 - now) / 1000));
    throw new AppError(
      429,
      'too_many_attempts',
      `${count} failed sign-ins for ${what} in the last ${SIGN_IN_WINDOW_MINUTES} minutes; try again in ${Math.ceil(retryAfter / 60)} min`,
      { retryAfter },
      { 'Retry-After': String(retryAfter) },
    );
  }
}

const sessionBody = (
  user: { username: string; role: 'admin' | 'county' | 'inspector' | 'planner' | 'viewer'; counties: string[] },
  csrfToken: string,
  expiresAt: string,
) => ({
  user: { username: user.username, role: user.role, counties: user.counties },
  csrfToken,
  expiresAt,
});

const isHttps = (c: Context) => new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

export function sessionRoutes(ctx: AppContext) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'post',
        path: '/session',
        operationId: 'signIn',
        tags: ['session'],
        summary: 'Sign in: sets the session cookie and returns a bearer token for scripts',
        security: [],
        request: { body: { required: true, content: { 'application/json': { schema: SignInBody } } } },
        responses: { 200: json(SignedIn, 'Signed in.'), ...errorResponses(400, 401, 413, 415, 429) },
      }),
      async (c) => {
        const { username, password } = c.req.valid('json');
        const address = clientAddress(c);
        const now = ctx.sessions.now();
        refuseWhenLimited(ctx, username, address, now);
        const user = findUser(ctx.db, username);
        const stored = user ? passwordHashOf(ctx.db, user.id) : null;
        const passwordOk = await verifyPassword(password, stored ?? (decoyHash ??= hashPassword('decoy-password-never-used')));
        // Again after the wait: attempts sent together all passed the first check before any failed.
        refuseWhenLimited(ctx, username, address, now);
        if (!user || !passwordOk || user.disabled) {
          recordFailedSignIn(ctx.db, { username, address, now, reason: !user ? 'unknown user' : !passwordOk ? 'wrong password' : 'account disabled' });
          throw new AppError(401, 'bad_credentials', 'the username or password is wrong, or the account is disabled');
        }
        const { token, csrfToken } = startSession(ctx.db, ctx.sessions, user, address, now);
        const session = findSession(ctx.db, token, ctx.sessions)!;
        setCookie(c, SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: 'Strict',
          path: '/',
          secure: isHttps(c),
          maxAge: Math.round(ctx.sessions.maxHours * 3600),
        });
        return c.json({ ...sessionBody(user, csrfToken, session.expiresAt), token }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/session',
        operationId: 'getSession',
        tags: ['session'],
        summary: 'The signed-in user and the session’s CSRF token',
        responses: { 200: json(SessionInfo, 'The session.'), ...errorResponses(401) },
      }),
      (c) => {
        const session = c.get('session');
        return c.json(sessionBody(session.user, session.csrfToken, session.expiresAt), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/session',
        operationId: 'signOut',
        tags: ['session'],
        summary: 'Sign out (ends this session)',
        responses: { 200: json(z.object({ ok: z.literal(true) }), 'Signed out.'), ...errorResponses(401, 403) },
      }),
      (c) => {
        const session = c.get('session');
        endSession(ctx.db, session.token, session.user, clientAddress(c));
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
        return c.json({ ok: true as const }, 200);
      },
    );
}
