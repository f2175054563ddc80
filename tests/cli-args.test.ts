// The command-line tools (server/cli/*, spawned as an operator runs them): `--help` answers the usage
// with exit 0, bad arguments are refused (exit 2, with the usage) before a password is asked for, and
// a failed command never leaves a database file behind.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootDatabase } from '../server/bootstrap.ts';

const ROOT = resolve(import.meta.dirname, '..');
const TOOLS = ['users', 'backup', 'restore', 'basemap', 'geodata'] as const;
let dir: string;
/** A real database (no demo data) for the password checks. */
let dbPath: string;

function cli(tool: (typeof TOOLS)[number], args: string[], database: string, stdin = '') {
  const run = spawnSync(process.execPath, ['--import', 'tsx', `server/cli/${tool}.ts`, ...args], {
    cwd: ROOT,
    input: stdin,
    env: { ...process.env, SANSAN_DB: database },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sansan-cli-'));
  dbPath = join(dir, 'sansan.db');
  const { db } = bootDatabase(dbPath, { demo: false, accounts: { adminPassword: 'first-admin-secret' } });
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--help', () => {
  it.each(TOOLS)('npm run %s -- --help prints the usage and exits 0 without a database', (tool) => {
    const missing = join(dir, `${tool}-help.db`);
    const run = cli(tool, ['--help'], missing);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^(用法 )?usage: npm run ${tool} -- `));
    expect(run.stderr).toBe('');
    expect(existsSync(missing)).toBe(false);
    expect(cli(tool, ['-h'], missing).status).toBe(0);
  });
});

describe('a failed command leaves no database behind', () => {
  const cases: [(typeof TOOLS)[number], string[], number, RegExp][] = [
    ['users', ['list'], 2, /没有数据库 no database at .*empty.db: start the server once/],
    ['users', ['add', 'wang', '--role', 'viewer'], 2, /no database at/],
    ['backup', [], 2, /no database at/],
    ['basemap', ['list'], 2, /no database at/],
    ['geodata', ['import', 'package.json'], 2, /no database at/],
    ['geodata', ['import', 'nowhere.geojson'], 2, /import: no such file: .*nowhere\.geojson/],
    ['geodata', ['export', 'x.geojson'], 2, /unknown command "export"/],
    ['restore', [join(ROOT, 'package.json')], 1, /restore refused: .* is not a backup: it has no manifest\.json/],
    ['restore', [], 2, /name the backup folder/],
    ['backup', ['--into', 'x'], 2, /Unknown option '--into'/],
  ];
  it.each(cases)('npm run %s -- %j exits %i', (tool, args, status, message) => {
    const folder = mkdtempSync(join(dir, 'run-'));
    const database = join(folder, 'empty.db');
    const run = cli(tool, args, database);
    expect(run.stderr).toMatch(message);
    expect(run.status).toBe(status);
    if (status === 2) expect(run.stderr).toContain(`npm run ${tool} -- `);
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('npm run users checks the arguments before it asks for a password', () => {
  // No password on standard input: a tool that asked first would answer "no password on standard input".
  it.each([
    [['add', 'wang', '--role', 'county'], 1, /refused: counties: a county user needs at least one county/],
    [['add', 'wang', '--role', 'county', '--county', '999999'], 1, /refused: counties: unknown county code "999999"/],
    [['add', 'x', '--role', 'viewer'], 1, /refused: username: "x" must be 2–50 letters/],
    [['add', 'admin', '--role', 'viewer'], 1, /refused: username: "admin" is taken/],
    [['add', 'wang', '--role', 'boss'], 2, /role: "boss" must be one of admin, county, inspector, planner, viewer/],
    [['add', 'wang', '--rol', 'viewer'], 2, /Unknown option '--rol'/],
    [['passwd', 'nobody'], 1, /refused: no user "nobody"/],
    [['passwd'], 2, /passwd: name the user/],
    [['list', '--role', 'viewer'], 2, /list: takes no --role or --county/],
    [['rename', 'admin'], 2, /unknown command "rename"/],
  ] as [string[], number, RegExp][])('users %j exits %i', (args, status, message) => {
    const run = cli('users', args, dbPath);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/no password on standard input/);
    expect(run.status).toBe(status);
  });

  it('and a good command still reads the password from standard input', () => {
    const added = cli('users', ['add', 'wang', '--role', 'county', '--county', '411121'], dbPath, 'wang-password-2026\n');
    expect(added.stderr).toBe('');
    expect(added.stdout).toContain('added wang (county 411121)');
    expect(added.status).toBe(0);
    expect(cli('users', ['passwd', 'wang'], dbPath, '').stderr).toMatch(/no password on standard input/);
  });
});

describe('npm run basemap checks the arguments first', () => {
  it('remove without an id, and add of a missing file, exit 2 on a missing database without creating it', () => {
    const folder = mkdtempSync(join(dir, 'basemap-'));
    const database = join(folder, 'empty.db');
    writeFileSync(join(folder, 'not-tiles.txt'), 'x');
    expect(cli('basemap', ['remove'], database).stderr).toMatch(/remove: 请给出底图 ID name the basemap id/);
    expect(cli('basemap', ['frobnicate'], database).stderr).toMatch(/未知命令 unknown command "frobnicate"/);
    expect(readdirSync(folder)).toEqual(['not-tiles.txt']);
  });
});
