// `npm run users` (spawned, password on standard input) and the first accounts of a new database.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../server/app.ts';
import { createFirstAccounts, DEMO_ACCOUNTS } from '../server/auth/first-accounts.ts';
import { bootDatabase } from '../server/bootstrap.ts';
import type { Db } from '../server/db/database.ts';

const ROOT = resolve(import.meta.dirname, '..');
let dir: string;
let dbPath: string;

function users(args: string[], stdin = '') {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/users.ts', ...args], {
    cwd: ROOT,
    input: stdin,
    env: { ...process.env, SANSAN_DB: dbPath },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Signs in through the API on a fresh connection to the file; returns the status and user. */
async function signIn(username: string, password: string) {
  const { db, ctx } = bootDatabase(dbPath, { demo: false });
  try {
    const res = await createApp(ctx).request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    return { status: res.status, body: (await res.json()) as { user?: { role: string; counties: string[] } } };
  } finally {
    db.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sansan-users-'));
  dbPath = join(dir, 'sansan.db');
  const { db, accounts } = bootDatabase(dbPath, { demo: false, accounts: { adminPassword: 'first-admin-secret' } });
  expect(accounts).toEqual([{ username: 'admin', role: 'admin', counties: [], password: null }]);
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('first accounts', () => {
  it('SANSAN_ADMIN_PASSWORD becomes the admin’s password; a second start creates nobody', async () => {
    expect((await signIn('admin', 'first-admin-secret')).status).toBe(200);
    const again = bootDatabase(dbPath, { demo: false, accounts: { adminPassword: 'another-password' } });
    expect(again.accounts).toEqual([]);
    again.db.close();
    expect((await signIn('admin', 'another-password')).status).toBe(401);
  });

  it('without it the admin gets a random password; demo mode adds one account per role', () => {
    const { db, ctx } = bootDatabase(':memory:', { demo: false });
    const created = createFirstAccounts(db as Db, ctx.countyCodes, { demo: true });
    expect(created.map((a) => a.role)).toEqual(['admin', 'county', 'inspector', 'planner', 'viewer']);
    expect(created.map((a) => a.username)).toEqual(['admin', ...DEMO_ACCOUNTS.map((a) => a.username)]);
    for (const account of created) expect(account.password).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(new Set(created.map((a) => a.password)).size).toBe(5);
    expect(createFirstAccounts(db, ctx.countyCodes, { demo: true })).toEqual([]);
    db.close();
  });
});

describe('npm run users', () => {
  it('adds a county official with the password from standard input', async () => {
    const added = users(['add', '李明', '--role', 'county', '--county', '411121'], 'wuyang-county-2022\n');
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    expect(added.stdout).toContain('added 李明 (county 411121)');
    const signedIn = await signIn('李明', 'wuyang-county-2022');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ role: 'county', counties: ['411121'] });
    expect(users(['list']).stdout).toMatch(/李明\s+county\s+411121\s+active/);
  });

  it('refuses a short password, an unknown role, a county official without a county, and says why', () => {
    const short = users(['add', 'wang', '--role', 'viewer'], 'short\n');
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/at least 10 characters/);
    const role = users(['add', 'wang', '--role', 'boss'], 'long-enough-password\n');
    expect(role.status).toBe(2);
    expect(role.stderr).toMatch(/role: "boss" must be one of admin, county, inspector, planner, viewer/);
    const county = users(['add', 'wang', '--role', 'county'], 'long-enough-password\n');
    expect(county.status).toBe(1);
    expect(county.stderr).toMatch(/counties: a county user needs at least one county/);
    expect(users(['list']).stdout).not.toContain('wang');
  });

  it('changes a password, a role, and disables; each is an audit record by cli:<user>', async () => {
    expect(users(['add', 'zhao', '--role', 'viewer'], 'zhao-first-password\n').status).toBe(0);
    expect(users(['passwd', 'zhao'], 'zhao-second-password\n').status).toBe(0);
    expect((await signIn('zhao', 'zhao-first-password')).status).toBe(401);
    expect((await signIn('zhao', 'zhao-second-password')).status).toBe(200);
    expect(users(['role', 'zhao', 'inspector', '--county', '411102']).stdout).toContain('zhao is now inspector 411102');
    expect(users(['disable', 'zhao']).status).toBe(0);
    expect((await signIn('zhao', 'zhao-second-password')).status).toBe(401);
    expect(users(['disable', 'admin']).stderr).toMatch(/last active admin/);

    const { db } = bootDatabase(dbPath, { demo: false });
    const records = db.all<{ actor: string; action: string; after: string }>(
      "SELECT actor, action, after FROM audit_log WHERE target = 'user:zhao' AND action LIKE 'user.%' ORDER BY id",
    );
    db.close();
    expect(records.map((r) => r.action)).toEqual(['user.create', 'user.password', 'user.edit', 'user.edit']);
    for (const record of records) expect(record.actor).toMatch(/^cli:/);
    expect(records.map((r) => r.after).join()).not.toMatch(/zhao-(first|second)-password|scrypt/);
  });
});
