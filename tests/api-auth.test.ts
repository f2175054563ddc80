// Signing in and out: cookie + bearer, CSRF on cookie writes, expiry, the sign-in rate limit,
// password length, disabled accounts, and the security headers on every response.
import { beforeEach, describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH } from '../server/auth/passwords.ts';
import { TEST_PASSWORD, bootTestApp, expectError, type Harness } from './helpers/app.ts';

let h: Harness;
let clock: number;

beforeEach(() => {
  h = bootTestApp();
  clock = Date.parse('2022-12-31T08:00:00Z');
  h.ctx.sessions.now = () => clock;
  h.ctx.sessions.idleMinutes = 60;
  h.ctx.sessions.maxHours = 8;
  h.as('county', ['411102']); // makes the user county-411102 with TEST_PASSWORD
});

const signIn = (username: string, password: string, headers: Record<string, string> = {}) =>
  h.anonymous.send<{ token: string; csrfToken: string; user: { username: string; role: string; counties: string[] }; expiresAt: string }>(
    'POST',
    '/api/session',
    { username, password },
    headers,
  );

/** The session cookie (name=value) from a sign-in response. */
async function cookieSignIn(username: string) {
  const res = await h.app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: TEST_PASSWORD }),
  });
  expect(res.status).toBe(200);
  const setCookie = res.headers.get('set-cookie')!;
  const body = (await res.json()) as { token: string; csrfToken: string };
  return { setCookie, cookie: setCookie.split(';')[0]!, ...body };
}

const site = { name: '源汇区测试料场', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2022-01-01' };

describe('POST /api/session', () => {
  it('signs in: an HttpOnly SameSite=Strict cookie, a bearer token and the CSRF token', async () => {
    const { setCookie, token, csrfToken } = await cookieSignIn('county-411102');
    expect(setCookie).toMatch(/^sansan_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/); // plain http in tests; https adds Secure
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // only the token's hash is stored
    const stored = h.db.all<{ token_hash: string }>('SELECT token_hash FROM sessions');
    expect(stored.some((row) => row.token_hash === token)).toBe(false);
    expect(stored.every((row) => /^[0-9a-f]{64}$/.test(row.token_hash))).toBe(true);

    const me = await h.anonymous.get<{ user: { username: string; role: string; counties: string[] } }>('/api/session', { Authorization: `Bearer ${token}` });
    expect(me.body.user).toEqual({ username: 'county-411102', role: 'county', counties: ['411102'] });
    const https = await h.app.request('https://map.example/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_PASSWORD }),
    });
    expect(https.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('refuses a wrong password or unknown user with the same 401, recorded without the password', async () => {
    const wrong = expectError(await signIn('county-411102', 'not-the-password'), 401, 'bad_credentials');
    const unknown = expectError(await signIn('nobody', 'not-the-password'), 401, 'bad_credentials');
    expect(unknown.message).toBe(wrong.message);
    const records = h.db.all<{ action: string; target: string; after: string; before: string | null }>(
      "SELECT action, target, after, before FROM audit_log WHERE action = 'sign_in.failed'",
    );
    expect(records.map((r) => [r.target, JSON.parse(r.after).reason])).toEqual([
      ['user:county-411102', 'wrong password'],
      ['user:nobody', 'unknown user'],
    ]);
    expect(JSON.stringify(records)).not.toContain('not-the-password');
  });

  it('limits failures: 5 per username in 15 minutes → 429 with Retry-After, even with the right password', async () => {
    for (let i = 0; i < 5; i++) expectError(await signIn('county-411102', `wrong-password-${i}`), 401);
    const limited = await signIn('county-411102', TEST_PASSWORD);
    expectError(limited, 429, 'too_many_attempts');
    const retry = await h.app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'county-411102', password: TEST_PASSWORD }),
    });
    expect(retry.headers.get('retry-after')).toBe(String(15 * 60));
    // another user from the same address is not blocked by this user's failures
    expect((await signIn('admin', TEST_PASSWORD)).status).toBe(200);
    // after the window the right password works again
    clock += 15 * 60_000 + 1000;
    expect((await signIn('county-411102', TEST_PASSWORD)).status).toBe(200);
  });

  it('limits failures per address: 20 in 15 minutes, whichever usernames', async () => {
    for (let i = 0; i < 20; i++) expectError(await signIn(`guess${i}`, 'wrong-password'), 401);
    expectError(await signIn('admin', TEST_PASSWORD), 429, 'too_many_attempts');
  });
});

describe('sessions', () => {
  it('end after the idle time, and at the absolute limit even when used', async () => {
    const { token } = (await signIn('county-411102', TEST_PASSWORD)).body;
    const me = () => h.anonymous.get('/api/session', { Authorization: `Bearer ${token}` });
    clock += 59 * 60_000;
    expect((await me()).status).toBe(200); // used within the hour: still alive, idle time restarts
    clock += 59 * 60_000;
    expect((await me()).status).toBe(200);
    clock += 61 * 60_000;
    expectError(await me(), 401, 'unauthenticated');

    const second = (await signIn('county-411102', TEST_PASSWORD)).body.token;
    for (let minutes = 50; minutes <= 500; minutes += 50) {
      clock += 50 * 60_000;
      const res = await h.anonymous.get('/api/session', { Authorization: `Bearer ${second}` });
      expect(res.status, `after ${minutes} minutes`).toBe(minutes < 8 * 60 ? 200 : 401);
    }
  });

  it('sign-out ends the session; a disabled account or a new password ends all of its sessions', async () => {
    const { token } = (await signIn('county-411102', TEST_PASSWORD)).body;
    const auth = { Authorization: `Bearer ${token}` };
    expect((await h.anonymous.send('DELETE', '/api/session', undefined, auth)).status).toBe(200);
    expectError(await h.anonymous.get('/api/session', auth), 401);

    const again = (await signIn('county-411102', TEST_PASSWORD)).body.token;
    expect((await h.send('PATCH', '/api/users/county-411102', { disabled: true })).status).toBe(200);
    expectError(await h.anonymous.get('/api/session', { Authorization: `Bearer ${again}` }), 401);
    expectError(await signIn('county-411102', TEST_PASSWORD), 401, 'bad_credentials');

    const viewer = (await h.as('viewer').get('/api/session')).status;
    expect(viewer).toBe(200);
    expect((await h.send('PATCH', '/api/users/viewer', { password: 'a-new-password' })).status).toBe(200);
    expectError(await h.as('viewer').get('/api/session'), 401);
    expect((await signIn('viewer', 'a-new-password')).status).toBe(200);
  });

  it('refuses passwords shorter than the minimum', async () => {
    const short = 'x'.repeat(MIN_PASSWORD_LENGTH - 1);
    const refused = expectError(await h.send('POST', '/api/users', { username: 'zhang', role: 'viewer', password: short }), 400, 'weak_password');
    expect(refused.message).toContain(`at least ${MIN_PASSWORD_LENGTH} characters`);
    expect(refused.details.field).toBe('password');
    expectError(await h.send('PATCH', '/api/users/admin', { password: short }), 400, 'weak_password');
    expect((await h.send('POST', '/api/users', { username: 'zhang', role: 'viewer', password: 'x'.repeat(MIN_PASSWORD_LENGTH) })).status).toBe(201);
    expect((await signIn('zhang', 'x'.repeat(MIN_PASSWORD_LENGTH))).status).toBe(200);
  });
});

describe('CSRF', () => {
  it('a cookie-signed write needs X-CSRF-Token; a bearer write does not', async () => {
    const { cookie, csrfToken, token } = await cookieSignIn('county-411102');
    const post = (headers: Record<string, string>) =>
      h.app.request('/api/sites', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(site) });
    const none = await post({ cookie });
    expect(none.status).toBe(403);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    expect((await post({ cookie, 'X-CSRF-Token': 'A'.repeat(43) })).status).toBe(403);
    expect(h.db.get<{ n: number }>('SELECT count(*) AS n FROM sites WHERE name = ?', [site.name])!.n).toBe(0);
    expect((await post({ cookie, 'X-CSRF-Token': csrfToken })).status).toBe(201);
    expect((await post({ Authorization: `Bearer ${token}` })).status).toBe(201);
    // reads with the cookie need no token; GET /api/session hands it to the page
    const me = await h.app.request('/api/session', { headers: { cookie } });
    expect(((await me.json()) as { csrfToken: string }).csrfToken).toBe(csrfToken);
  });
});

describe('security headers', () => {
  it('every response carries a CSP and the usual headers', async () => {
    for (const res of [await h.request('/api/sites'), await h.anonymous.request('/api/health'), await h.anonymous.request('/api/sites')]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("worker-src 'self' blob:");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});
