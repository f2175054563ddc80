// Backups that restore: `npm run backup` takes an online, consistent copy while the API keeps
// writing; `npm run restore` puts it in a fresh place, where every write acknowledged before the
// backup started is present and the audit chain verifies. A restore refuses while the server runs
// and refuses a damaged backup; over an existing database it keeps the replaced file and moves the
// stale -wal/-shm away with it. Scheduled backups keep the newest N; /api/health says when.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../server/auth/audit.ts';
import { bootDatabase } from '../server/bootstrap.ts';
import { serverPidPath, type BackupManifest } from '../server/ops/backup.ts';
import { runDueWork } from '../server/ops/schedule.ts';
import { createLogger } from '../server/ops/log.ts';
import { bootTestApp, POINTS, type Harness, type SiteFeature } from './helpers/app.ts';

const ROOT = resolve(import.meta.dirname, '..');
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
let dir: string;
let dbPath: string;
let h: Harness | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sansan-backup-'));
  dbPath = join(dir, 'live', 'sansan.db');
});
afterEach(() => {
  h?.db.close();
  h = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function cli(script: string, args: string[], database: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `server/cli/${script}.ts`, ...args], { cwd: ROOT, env: { ...process.env, SANSAN_DB: database } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    child.on('exit', (status) => done({ status, stdout, stderr }));
  });
}
const cliSync = (script: string, args: string[], database: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', `server/cli/${script}.ts`, ...args], {
    cwd: ROOT,
    env: { ...process.env, SANSAN_DB: database },
    encoding: 'utf8',
    timeout: 60_000,
  });

const newSite = (name: string) => ({ name, category: 'sand_yard', lon: POINTS['411102'][0], lat: POINTS['411102'][1], discoveredOn: '2022-01-01' });
const backupsIn = (folder: string) =>
  existsSync(folder)
    ? readdirSync(folder)
        .filter((name) => name.startsWith('sansan-'))
        .sort()
    : [];

describe('npm run backup, then npm run restore', () => {
  it('during a stream of writes: every write acknowledged before the backup started is restored, and the chain verifies', async () => {
    h = bootTestApp({ path: dbPath });
    const photo = await h.request('/api/photos', { method: 'POST', headers: { 'content-type': 'image/png' }, body: PNG });
    expect(photo.status).toBe(201);
    const { ref } = (await photo.json()) as { ref: string };

    const acknowledged: number[] = [];
    let writing = true;
    const stream = (async () => {
      for (let i = 0; writing; i++) {
        const res = await h!.send<SiteFeature>('POST', '/api/sites', newSite(`流水料场${i}`));
        expect(res.status, res.text).toBe(201);
        acknowledged.push(res.body.id);
        await new Promise((next) => setImmediate(next));
      }
    })();
    while (acknowledged.length < 20) await new Promise((next) => setTimeout(next, 5));
    const beforeBackup = [...acknowledged];
    const backups = join(dir, 'backups');
    const backup = await cli('backup', [backups], dbPath);
    const duringBackup = acknowledged.length - beforeBackup.length;
    writing = false;
    await stream;
    expect(backup.status, backup.stderr).toBe(0);
    expect(duringBackup).toBeGreaterThan(0); // the API kept answering while the backup ran

    const [name] = backupsIn(backups);
    const folder = join(backups, name!);
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as BackupManifest;
    expect(manifest).toMatchObject({
      format: 'sansan-backup-1',
      integrity: 'ok',
      schemaVersion: h.db.get<{ v: number }>('SELECT max(version) AS v FROM schema_version')!.v,
      photos: { files: 1 },
    });
    expect(manifest.counts.sites).toBeGreaterThanOrEqual(beforeBackup.length + 2);
    expect(manifest.anchor).toMatchObject({ reason: 'backup', records: manifest.audit.records, hash: manifest.audit.hash });
    expect(statSync(join(folder, 'audit-key')).mode & 0o777).toBe(0o600);
    // The live anchor file has the backup's head; /api/health says when.
    expect(readFileSync(`${dbPath}.audit-anchors`, 'utf8')).toContain(manifest.audit.hash);
    expect((await h.get<{ lastBackupAt: string | null }>('/api/health')).body.lastBackupAt).toBe(manifest.createdAt);

    const fresh = join(dir, 'fresh', 'sansan.db');
    const restore = cliSync('restore', [folder], fresh);
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/chain verified/);
    const restored = bootDatabase(fresh, { demo: false });
    try {
      const ids = new Set(restored.db.all<{ id: number }>('SELECT id FROM sites').map((row) => row.id));
      expect(beforeBackup.filter((id) => !ids.has(id))).toEqual([]);
      expect(ids.size).toBe(manifest.counts.sites);
      expect(verifyAuditChain(restored.db)).toMatchObject({ ok: true, records: manifest.audit.records });
      expect(existsSync(join(fresh, '..', 'photos', ref))).toBe(true);
    } finally {
      restored.db.close();
    }
  });

  it('restore refuses while the server runs, refuses a damaged backup, and keeps the file it replaces with its -wal', async () => {
    h = bootTestApp({ path: dbPath });
    await h.send('POST', '/api/sites', newSite('备份前料场'));
    const backups = join(dir, 'backups');
    expect(cliSync('backup', [backups], dbPath).status).toBe(0);
    const folder = join(backups, backupsIn(backups)[0]!);
    await h.send('POST', '/api/sites', newSite('备份后料场'));

    // A server (this process) holds the database.
    writeFileSync(serverPidPath(dbPath), String(process.pid));
    const running = cliSync('restore', [folder], dbPath);
    expect(running.status).toBe(1);
    expect(running.stderr).toMatch(new RegExp(`process ${process.pid}\\) is running`));
    h.db.close();
    h = undefined;
    rmSync(serverPidPath(dbPath));

    // A damaged copy is refused and the live file is untouched.
    const damagedFolder = join(dir, 'damaged');
    mkdirSync(damagedFolder);
    for (const file of ['manifest.json', 'audit-key']) writeFileSync(join(damagedFolder, file), readFileSync(join(folder, file)));
    const bytes = readFileSync(join(folder, 'sansan.db'));
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 100) ^ 0xff, bytes.length - 100);
    writeFileSync(join(damagedFolder, 'sansan.db'), bytes);
    const damaged = cliSync('restore', [damagedFolder], dbPath);
    expect(damaged.status).toBe(1);
    expect(damaged.stderr).toMatch(/does not match its manifest/);

    // A stale -wal beside the path belongs to the replaced file: it goes with it.
    writeFileSync(`${dbPath}-wal`, 'not a wal of the restored file');
    const restore = cliSync('restore', [folder], dbPath);
    expect(restore.status, restore.stderr).toBe(0);
    const replaced = /kept as (\S+)/.exec(restore.stdout)![1]!;
    expect(existsSync(replaced)).toBe(true);
    expect(readFileSync(`${replaced}-wal`, 'utf8')).toBe('not a wal of the restored file');
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    const restored = bootDatabase(dbPath, { demo: false });
    try {
      expect(restored.db.all<{ name: string }>("SELECT name FROM sites WHERE name LIKE '备份%'").map((row) => row.name)).toEqual(['备份前料场']);
      // Anchors written before the restore counted records it no longer has; the restore is recorded.
      expect(verifyAuditChain(restored.db).ok).toBe(true);
    } finally {
      restored.db.close();
    }
  });
});

describe('scheduled backups', () => {
  it('back up when due and keep only the newest N', async () => {
    h = bootTestApp({ path: dbPath });
    const backups = join(dir, 'scheduled');
    const schedule = { dir: backups, everyHours: 1, keep: 2 };
    const log = createLogger('silent');
    await runDueWork(h.db, dbPath, '0', schedule, log);
    expect(backupsIn(backups)).toHaveLength(1);
    await runDueWork(h.db, dbPath, '0', schedule, log); // not due yet
    expect(backupsIn(backups)).toHaveLength(1);
    for (const hours of [2, 4]) {
      await new Promise((next) => setTimeout(next, 1100)); // folder names are to the second
      await runDueWork(h.db, dbPath, '0', schedule, log, Date.now() + hours * 3_600_000);
    }
    expect(backupsIn(backups)).toHaveLength(2);
  });
});
