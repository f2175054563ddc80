// Sign-in throttling cannot lock the real user out: failures count per (account, address) pair, so
// someone guessing a user's password from one address does not block that user elsewhere. Behind a
// reverse proxy listed in SANSAN_TRUSTED_PROXIES the client address is taken from X-Forwarded-For
// (and only then). `npm run users -- unlock NAME` lifts a lock and is an audit record.
import { serve, type ServerType } from '@hono/node-server';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootTestApp, TEST_PASSWORD, type Harness } from './helpers/app.ts';

const ROOT = resolve(import.meta.dirname, '..');
let dir: string;
let h: Harness;
let server: ServerType;
let base: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sansan-throttle-'));
  h = bootTestApp({ path: join(dir, 'sansan.db') });
  h.as('county', ['411102']); // user county-411102 with the test password
  await new Promise<void>((ready) => {
    server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, () => ready());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  delete process.env.SANSAN_TRUSTED_PROXIES;
  await new Promise((done) => server.close(done));
  h.db.close();
  rmSync(dir, { recursive: true, force: true });
});

const signIn = async (password: string, forwardedFor?: string) => {
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ username: 'county-411102', password }),
  });
  return res.status;
};

describe('sign-in throttling', () => {
  it('per (account, address): five failures from the attacker’s address do not lock the user out at theirs', async () => {
    process.env.SANSAN_TRUSTED_PROXIES = '127.0.0.1';
    for (let i = 0; i < 5; i++) expect(await signIn(`wrong-${i}`, '203.0.113.9')).toBe(401);
    expect(await signIn(TEST_PASSWORD, '203.0.113.9')).toBe(429);
    expect(await signIn(TEST_PASSWORD, '198.51.100.7')).toBe(200);
    // The address recorded is the client's, not the proxy's.
    const addresses = h.db
      .all<{ address: string }>("SELECT DISTINCT address FROM audit_log WHERE action LIKE 'sign_in%'")
      .map((row) => row.address)
      .sort();
    expect(addresses).toEqual(['198.51.100.7', '203.0.113.9']);
  });

  it('X-Forwarded-For counts only from a trusted proxy', async () => {
    for (let i = 0; i < 5; i++) expect(await signIn(`wrong-${i}`, `203.0.113.${i}`)).toBe(401);
    // Not behind a trusted proxy: the header is ignored, all five came from 127.0.0.1.
    expect(await signIn(TEST_PASSWORD, '198.51.100.7')).toBe(429);
  });

  it('attempts sent together are throttled as if sent one by one (the password check no longer blocks the server)', async () => {
    const statuses = await Promise.all(Array.from({ length: 9 }, (_, i) => signIn(`wrong-together-${i}`)));
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(4);
    expect(h.db.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'sign_in.failed'")!.n).toBe(5);
  });

  it('npm run users -- unlock lifts the lock, and the audit trail records it', async () => {
    for (let i = 0; i < 5; i++) expect(await signIn(`wrong-${i}`)).toBe(401);
    expect(await signIn(TEST_PASSWORD)).toBe(429);
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/users.ts', 'unlock', 'county-411102'], {
      cwd: ROOT,
      env: { ...process.env, SANSAN_DB: join(dir, 'sansan.db') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/unlocked county-411102/);
    expect(h.db.get<{ action: string; target: string; actor: string }>('SELECT action, target, actor FROM audit_log ORDER BY id DESC LIMIT 1')).toMatchObject({
      action: 'sign_in.unlock',
      target: 'user:county-411102',
      actor: expect.stringMatching(/^cli:/),
    });
    expect(await signIn(TEST_PASSWORD)).toBe(200);
  });

  it('POST /api/users/{name}/unlock: admins see the lock and lift it, recorded in the audit trail; others may not', async () => {
    for (let i = 0; i < 5; i++) expect(await signIn(`wrong-${i}`)).toBe(401);
    expect(await signIn(TEST_PASSWORD)).toBe(429);
    const locks = await h.get<{ username: string; address: string; failures: number; until: string; known: boolean }[]>('/api/users/locks');
    expect(locks.status).toBe(200);
    expect(locks.body).toEqual([{ username: 'county-411102', address: '127.0.0.1', failures: 5, until: expect.any(String), known: true }]);
    // Not for county officials (reading or lifting), and an unknown account is a 404.
    expect((await h.as('county', ['411103']).get('/api/users/locks')).status).toBe(403);
    expect((await h.as('county', ['411103']).send('POST', '/api/users/county-411102/unlock')).status).toBe(403);
    expect((await h.send('POST', '/api/users/nobody/unlock')).status).toBe(404);
    expect(await signIn(TEST_PASSWORD)).toBe(429);
    const unlocked = await h.send<{ username: string; lifted: number }>('POST', '/api/users/county-411102/unlock');
    expect(unlocked.status, unlocked.text).toBe(200);
    expect(unlocked.body).toMatchObject({ username: 'county-411102', lifted: 1 });
    expect(h.db.get<{ action: string; target: string; actor: string }>('SELECT action, target, actor FROM audit_log ORDER BY id DESC LIMIT 1')).toMatchObject({
      action: 'sign_in.unlock',
      target: 'user:county-411102',
      actor: 'admin',
    });
    expect((await h.get<unknown[]>('/api/users/locks')).body).toEqual([]);
    expect(await signIn(TEST_PASSWORD)).toBe(200);
  });
});
