// Another process writing the same file (the documented `npm run users` while the server runs)
// never turns an API write into a 500: write transactions begin IMMEDIATE and wait for the lock; a
// lock held past the busy timeout answers 503 with Retry-After; the users command waits and retries.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../server/auth/audit.ts';
import { bootTestApp, expectError, POINTS, type Harness } from './helpers/app.ts';
import { holdWriteLock } from './helpers/lock-holder.ts';

const ROOT = resolve(import.meta.dirname, '..');
let dir: string;
let dbPath: string;
let h: Harness | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sansan-lock-'));
  dbPath = join(dir, 'sansan.db');
});
afterEach(() => {
  h?.db.close();
  h = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const site = (name: string) => ({ name, category: 'sand_yard', lon: POINTS['411102'][0], lat: POINTS['411102'][1], discoveredOn: '2022-01-01' });

describe('a second writer', () => {
  it('an API write made while another process holds the write lock for 1 s waits and succeeds', async () => {
    h = bootTestApp({ path: dbPath });
    const created = await h.send<{ id: number }>('POST', '/api/sites', site('锁等待料场'));
    expect(created.status, created.text).toBe(201);
    const holder = await holdWriteLock(dbPath, 1000, ROOT);
    // A status move reads the site (its status, its last event) before it writes.
    const res = await h.send('POST', `/api/sites/${created.body.id}/events`, { to: 'rectifying', date: '2022-02-01' });
    expect(res.status, res.text).toBe(201);
    await holder.released;
    expect(h.db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'lock_holder'")).toBeDefined();
    expect(h.db.get<{ status: string }>('SELECT status FROM sites WHERE id = ?', [created.body.id])!.status).toBe('rectifying');
    expect(verifyAuditChain(h.db).ok).toBe(true);
  });

  it('a lock held past the busy timeout answers 503 database_busy with Retry-After, and nothing is half written', async () => {
    h = bootTestApp({ path: dbPath, busyTimeoutMs: 200 });
    const before = h.db.get<{ n: number }>('SELECT count(*) AS n FROM sites')!.n;
    const holder = await holdWriteLock(dbPath, 2500, ROOT);
    const res = await h.send('POST', '/api/sites', site('超时料场'));
    const error = expectError(res, 503, 'database_busy');
    expect(error.message).toMatch(/retry|again/i);
    const response = await h.request('/api/sites', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(site('超时料场')) });
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    await holder.released;
    expect(h.db.get<{ n: number }>('SELECT count(*) AS n FROM sites')!.n).toBe(before);
    expect((await h.send('POST', '/api/sites', site('超时料场'))).status).toBe(201);
  });

  it('npm run users waits for a lock held past the busy timeout, retries and succeeds', async () => {
    h = bootTestApp({ path: dbPath });
    // Held until the command has said it is waiting, and past its busy timeout.
    const release = join(dir, 'release');
    const holder = await holdWriteLock(dbPath, 120_000, ROOT, release);
    const cli = spawn(process.execPath, ['--import', 'tsx', 'server/cli/users.ts', 'add', 'lock-waiter', '--role', 'viewer'], {
      cwd: ROOT,
      env: { ...process.env, SANSAN_DB: dbPath },
    });
    cli.stdin.end('a-long-password-1\n');
    let stderr = '';
    const exited = new Promise<number | null>((done) => cli.on('exit', done));
    await Promise.race([
      exited,
      new Promise<void>((waiting) =>
        cli.stderr.on('data', (chunk: Buffer) => {
          stderr += String(chunk);
          if (stderr.includes('waiting')) waiting();
        }),
      ),
    ]);
    writeFileSync(release, '');
    await holder.released;
    const status = await exited;
    expect(stderr).not.toMatch(/locked/);
    expect(stderr).toMatch(/busy with another write; waiting/);
    expect(status, stderr).toBe(0);
    expect(h.db.get<{ n: number }>("SELECT count(*) AS n FROM users WHERE username = 'lock-waiter'")!.n).toBe(1);
  });
});
