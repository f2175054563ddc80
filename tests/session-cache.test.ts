// Sessions are checked from memory (issue #17); the memory must not outlive what ends a session:
// sign-out, a new password, disabling (through the API and through `npm run users` in another
// process), a new role or counties. The minute's touch of last_seen_at invalidates nothing else.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../server/app.ts';
import { USERS_CHECK_EVERY_MS } from '../server/auth/sessions.ts';
import { bootDatabase } from '../server/bootstrap.ts';
import type { AppContext } from '../server/context.ts';
import type { Db } from '../server/db/database.ts';
import { signInUser, TEST_PASSWORD } from './helpers/app.ts';

const ROOT = resolve(import.meta.dirname, '..');
let dir: string;
let dbPath: string;
let db: Db;
let ctx: AppContext;
let app: ReturnType<typeof createApp>;
let clock = Date.parse('2026-01-05T08:00:00Z');
let admin: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sansan-session-cache-'));
  dbPath = join(dir, 'sansan.db');
  ({ db, ctx } = bootDatabase(dbPath, { demo: false, sessions: { idleMinutes: 60, maxHours: 24, now: () => clock } }));
  app = createApp(ctx);
  admin = signInUser(db, ctx.countyCodes, 'boss', 'admin', [], ctx.sessions);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const as = (token: string, method = 'GET', path = '/api/session', body?: unknown) =>
  app.request(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

/** A fresh user with one session that has been checked (so it is remembered). */
async function rememberedUser(name: string, role: 'county' | 'viewer' = 'viewer', counties: string[] = []) {
  const token = signInUser(db, ctx.countyCodes, name, role, counties, ctx.sessions);
  expect((await as(token)).status).toBe(200);
  return token;
}

describe('the session memory', () => {
  it('sign-out ends the session at once', async () => {
    const token = await rememberedUser('out');
    expect((await as(token, 'DELETE')).status).toBe(200);
    expect((await as(token)).status).toBe(401);
  });

  it('a new password through the API ends the session at once', async () => {
    const token = await rememberedUser('pw');
    expect((await as(admin, 'PATCH', '/api/users/pw', { password: 'another-password-2026' })).status).toBe(200);
    expect((await as(token)).status).toBe(401);
  });

  it('disabling through the API ends the session at once', async () => {
    const token = await rememberedUser('off');
    expect((await as(admin, 'PATCH', '/api/users/off', { disabled: true })).status).toBe(200);
    expect((await as(token)).status).toBe(401);
  });

  it('a new role or new counties apply to the next request', async () => {
    const token = await rememberedUser('moved', 'county', ['411102']);
    expect((await as(admin, 'PATCH', '/api/users/moved', { counties: ['411121'] })).status).toBe(200);
    const after = await as(token);
    expect(after.status).toBe(200);
    expect(((await after.json()) as { user: { counties: string[] } }).user.counties).toEqual(['411121']);
  });

  it('the minute’s touch keeps the session and leaves the sites cache valid', async () => {
    const token = await rememberedUser('toucher');
    const first = await as(token, 'GET', '/api/sites?county=411102');
    const etag = first.headers.get('etag')!;
    clock += 61_000;
    const touched = await as(token, 'GET', '/api/sites?county=411102');
    expect(touched.status).toBe(200);
    expect(touched.headers.get('etag')).toBe(etag);
    expect(db.get<{ last_seen_at: string }>('SELECT max(last_seen_at) AS last_seen_at FROM sessions')!.last_seen_at).toBe(new Date(clock).toISOString());
  });

  it('`npm run users -- disable` in another process ends the session within a second', async () => {
    const token = await rememberedUser('cli-off');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/users.ts', 'disable', 'cli-off'], {
      cwd: ROOT,
      env: { ...process.env, SANSAN_DB: dbPath },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('cli-off disabled');
    clock += USERS_CHECK_EVERY_MS;
    expect((await as(token)).status).toBe(401);
    // Signing in is refused too (the password is right, the account is off).
    const signIn = await app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'cli-off', password: TEST_PASSWORD }),
    });
    expect(signIn.status).toBe(401);
  });
});
