// The environment is checked (server/config.ts) before `npm start` does anything: a bad variable
// exits non-zero with a line naming it, and leaves no database file and no printed password behind.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../server/config.ts';

const ROOT = resolve(import.meta.dirname, '..');
let dir: string | undefined;

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function start(env: Record<string, string>) {
  dir = mkdtempSync(join(tmpdir(), 'sansan-config-'));
  const dbPath = join(dir, 'sansan.db');
  const run = spawnSync(process.execPath, ['--max-semi-space-size=4', 'server/start.mjs'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', SANSAN_DB: dbPath, SANSAN_DEMO: '0', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { ...run, dbPath, files: readdirSync(dir) };
}

describe('npm start with a bad environment', () => {
  it('PORT=abc exits 1 naming PORT, creates no database and prints no password', () => {
    const run = start({ PORT: 'abc' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('start-up failed: configuration: PORT must be a port number, a whole number from 0 to 65535, not "abc"');
    expect(existsSync(run.dbPath)).toBe(false);
    expect(run.files).toEqual([]);
    expect(run.stdout).not.toMatch(/password|accounts created/i);
  });

  it('names every bad variable at once (a port out of range, a log level, a backup count)', () => {
    const run = start({ PORT: '70000', SANSAN_LOG_LEVEL: 'loud', SANSAN_BACKUP_DIR: join(tmpdir(), 'unused'), SANSAN_BACKUP_KEEP: '0' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/PORT must be a port number.*not "70000"/);
    expect(run.stderr).toMatch(/SANSAN_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "loud"/);
    expect(run.stderr).toMatch(/SANSAN_BACKUP_KEEP must be a whole number of backups, at least 1, not "0"/);
    expect(run.files).toEqual([]);
  });

  it('a too-short SANSAN_ADMIN_PASSWORD is refused before the database exists', () => {
    const run = start({ PORT: '0', SANSAN_ADMIN_PASSWORD: 'short' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/SANSAN_ADMIN_PASSWORD password: at least 10 characters \(this one has 5\)/);
    expect(run.files).toEqual([]);
  });
});

describe('parseConfig', () => {
  it('fills the defaults and reads typed values', () => {
    const config = parseConfig({ PORT: '', SANSAN_SESSION_IDLE_MINUTES: '30', SANSAN_BACKUP_DIR: '/b', SANSAN_BACKUP_EVERY_HOURS: '6' }, '/srv/sansan');
    expect(config).toMatchObject({
      port: 8080,
      host: undefined,
      dbPath: '/srv/sansan/data/sansan.db',
      demo: true,
      logLevel: 'info',
      basemaps: [],
      sessions: { idleMinutes: 30, maxHours: 168 },
      backups: { dir: '/b', everyHours: 6, keep: 14 },
    });
    expect(parseConfig({ PORT: '9000', SANSAN_DEMO: '0' }, '/r')).toMatchObject({ port: 9000, demo: false, backups: null });
  });

  it('refuses bad values with the variable’s name', () => {
    const refused = (env: NodeJS.ProcessEnv) => {
      try {
        parseConfig(env, '/r');
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refused({ PORT: '80.5' })).toMatch(/^configuration: PORT must be a port number/);
    expect(refused({ SANSAN_DEMO: 'false' })).toMatch(/SANSAN_DEMO must be 0 \(no demo data\) or 1, not "false"/);
    expect(refused({ SANSAN_SESSION_MAX_HOURS: '-1' })).toMatch(/SANSAN_SESSION_MAX_HOURS must be a positive number of hours, not "-1"/);
    expect(refused({ SANSAN_BASEMAPS: '[{' })).toMatch(/SANSAN_BASEMAPS is not valid JSON/);
    expect(refused({ SANSAN_AUDIT_KEY: 'abc' })).toMatch(/SANSAN_AUDIT_KEY is too short/);
    expect(refused({ SANSAN_TRUSTED_PROXIES: '10.0.0.5, proxy.local' })).toMatch(/SANSAN_TRUSTED_PROXIES must be comma-separated IP addresses/);
    expect(refused({ SANSAN_TRUSTED_PROXIES: '10.0.0.5,::1' })).toBe('accepted');
  });
});
