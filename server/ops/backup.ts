// Online, consistent backups and checked restores of the database and the photos.
// A backup is a folder `sansan-YYYYMMDDTHHMMSSZ/` holding `sansan.db` (SQLite's online backup API:
// a consistent copy taken while the server keeps writing; writes that land in the `-wal` are in it),
// `photos/`, `audit-key` (0600; without it a restored database cannot be verified or started) and
// `manifest.json` (time, schema version, counts, the audit chain's head, the file's SHA-256). Every
// backup is read back and checked (integrity, the audit chain) before it counts, and its audit head is
// appended to the anchor file outside the database. A restore checks all of that again before it
// swaps the file in, and keeps the file it replaces.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { anchorAuditHead, auditAnchorPath, auditKeyPath, currentAuditKey } from '../auth/audit-seal.ts';
import { GENESIS_HASH, registerAuditSeal, verifyAuditChain, type AuditAnchor } from '../auth/audit.ts';
import { Db } from '../db/database.ts';
import { MIGRATIONS, schemaVersion } from '../db/migrate.ts';
import { getMeta, setMeta } from '../store/meta-store.ts';
import { rowCounts } from '../store/row-counts.ts';

export class BackupError extends Error {}

export interface BackupManifest {
  format: 'sansan-backup-1';
  createdAt: string;
  appVersion: string;
  schemaVersion: number;
  database: { file: string; bytes: number; sha256: string };
  counts: Record<string, number>;
  photos: { files: number; bytes: number };
  audit: { records: number; hash: string; keyedFrom: number };
  /** The line appended to the anchor file for this backup. */
  anchor: AuditAnchor | null;
  integrity: 'ok';
}

const COUNTED = [
  'sites',
  'site_events',
  'road_segments',
  'inspections',
  'inspection_routes',
  'urban_cores',
  'task_notes',
  'users',
  'audit_log',
  'import_batches',
] as const;
const LAST_BACKUP_KEY = 'last_backup';

const sha256File = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const stamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/** The photos folder that belongs to a database file. */
export const photoDirFor = (dbPath: string) => join(dirname(dbPath), 'photos');

/**
 * Reads a database file that is not in use (a backup, or a restore's source) and checks it:
 * integrity, a schema this code knows, and the audit chain under `key`. Returns what it found.
 */
export function inspectDatabaseFile(path: string, key: Buffer | null): Pick<BackupManifest, 'schemaVersion' | 'counts' | 'audit'> {
  const raw = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = raw.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    if (integrity.length !== 1 || integrity[0]!.integrity_check !== 'ok')
      throw new BackupError(
        `${path}: the integrity check failed: ${integrity
          .slice(0, 3)
          .map((row) => row.integrity_check)
          .join('; ')}`,
      );
    const db = new Db(raw);
    const version = schemaVersion(db);
    const known = Math.max(...MIGRATIONS.map((migration) => migration.version));
    if (version > known)
      throw new BackupError(`${path}: schema version ${version} is newer than this program knows (${known}); restore it with the version that made it`);
    const counts: Record<string, number> = rowCounts(db, COUNTED);
    const keyedFrom = Number(getMeta(db, 'audit_keyed_from') ?? Number.MAX_SAFE_INTEGER);
    if (!key && keyedFrom <= counts.audit_log!)
      throw new BackupError(`${path}: its audit records from ${keyedFrom} on are signed, and no audit key was found to check them`);
    registerAuditSeal(db, { key: key ?? Buffer.alloc(32), keyedFrom, anchorPath: null });
    const chain = verifyAuditChain(db);
    if (!chain.ok) throw new BackupError(`${path}: the audit chain does not verify: record ${chain.firstBad!.id}: ${chain.firstBad!.reason}`);
    return { schemaVersion: version, counts, audit: { records: chain.records, hash: chain.records ? chain.lastHash : GENESIS_HASH, keyedFrom } };
  } finally {
    raw.close();
  }
}

/**
 * Backs up the open database `db` (file `dbPath`) and its photos into a new folder under `into`,
 * checks the copy and anchors its audit head. Returns the folder and its manifest.
 */
export async function backupDatabase(db: Db, dbPath: string, into: string, appVersion: string): Promise<{ dir: string; manifest: BackupManifest }> {
  const createdAt = new Date().toISOString();
  const dir = join(into, `sansan-${stamp(createdAt)}`);
  if (existsSync(dir)) throw new BackupError(`${dir} already exists`);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    const file = join(partial, 'sansan.db');
    // Steps of 4,096 pages keep the server answering; if another process's write restarts the copy
    // (SQLite's backup starts over when the source changes under it), the rest goes in one step.
    let lastRemaining = Number.POSITIVE_INFINITY;
    await db.raw.backup(file, {
      progress: ({ totalPages, remainingPages }) => {
        const restarted = remainingPages > lastRemaining;
        lastRemaining = remainingPages;
        return restarted ? totalPages : 4096;
      },
    });
    // A self-contained file: no -wal beside it is needed to read it.
    const copy = new Database(file);
    copy.pragma('journal_mode = DELETE');
    copy.close();
    // Photos after the database: every photo a record in the copy names was written before it.
    const photos = photoDirFor(dbPath);
    let photoFiles = 0;
    let photoBytes = 0;
    if (existsSync(photos)) {
      cpSync(photos, join(partial, 'photos'), { recursive: true });
      for (const name of readdirSync(join(partial, 'photos'))) {
        photoFiles++;
        photoBytes += statSync(join(partial, 'photos', name)).size;
      }
    }
    const key = currentAuditKey(db);
    writeFileSync(join(partial, 'audit-key'), `${key.toString('hex')}\n`, { mode: 0o600 });
    const found = inspectDatabaseFile(file, key);
    const anchor: AuditAnchor = anchorAuditHead(db, 'backup', found.audit);
    const manifest: BackupManifest = {
      format: 'sansan-backup-1',
      createdAt,
      appVersion,
      ...found,
      database: { file: 'sansan.db', bytes: statSync(file).size, sha256: sha256File(file) },
      photos: { files: photoFiles, bytes: photoBytes },
      anchor,
      integrity: 'ok',
    };
    writeFileSync(join(partial, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(partial, dir);
    db.transaction(() => setMeta(db, LAST_BACKUP_KEY, JSON.stringify({ at: createdAt, dir, records: found.audit.records })));
    return { dir, manifest };
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** When the last backup was made (by the server's schedule or npm run backup), or null. */
export function lastBackup(db: Db): { at: string; dir: string } | null {
  const value = getMeta(db, LAST_BACKUP_KEY);
  if (!value) return null;
  const { at, dir } = JSON.parse(value) as { at: string; dir: string };
  return { at, dir };
}

/** Removes the oldest backup folders under `into` beyond the newest `keep`; returns those removed. */
export function pruneBackups(into: string, keep: number): string[] {
  if (!existsSync(into)) return [];
  const backups = readdirSync(into)
    .filter((name) => /^sansan-\d{8}T\d{6}Z$/.test(name) && existsSync(join(into, name, 'manifest.json')))
    .sort();
  const removed = backups.slice(0, Math.max(0, backups.length - keep)).map((name) => join(into, name));
  for (const dir of removed) rmSync(dir, { recursive: true, force: true });
  return removed;
}

/** The file recording the running server's process id, beside its database. */
export const serverPidPath = (dbPath: string) => `${dbPath}.pid`;

/** The id of a live server process using `dbPath`, or null. */
export function runningServer(dbPath: string): number | null {
  const file = serverPidPath(dbPath);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Where the replaced database (and its -wal/-shm) now are; null when there was none. */
  replaced: string | null;
}

/**
 * Restores the backup folder `from` to `dbPath`. Refuses while a server runs on it, and unless the
 * backup's file matches its manifest and passes the integrity, schema and audit checks. The file it
 * replaces is kept as `<db>.replaced-<time>` (with its -wal/-shm, so it still opens); photos are
 * merged; the audit key comes along when the target has none; the anchor file records the restore.
 */
export function restoreBackup(from: string, dbPath: string, env: NodeJS.ProcessEnv = process.env): RestoreResult {
  const pid = runningServer(dbPath);
  if (pid !== null) throw new BackupError(`the server (process ${pid}) is running on ${dbPath}: stop it first`);
  const manifestFile = join(from, 'manifest.json');
  if (!existsSync(manifestFile)) throw new BackupError(`${from} is not a backup: it has no manifest.json`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BackupManifest;
  const source = join(from, manifest.database.file);
  if (!existsSync(source)) throw new BackupError(`${source} is missing`);
  if (sha256File(source) !== manifest.database.sha256)
    throw new BackupError(`${source} does not match its manifest (SHA-256 differs): the backup was changed or damaged`);

  const targetKeyFile = auditKeyPath(dbPath);
  const backupKeyFile = join(from, 'audit-key');
  const keyText =
    env.SANSAN_AUDIT_KEY ??
    (existsSync(targetKeyFile) ? readFileSync(targetKeyFile, 'utf8') : existsSync(backupKeyFile) ? readFileSync(backupKeyFile, 'utf8') : null);
  const key = keyText === null ? null : /^[0-9a-fA-F]{64,}$/.test(keyText.trim()) ? Buffer.from(keyText.trim(), 'hex') : Buffer.from(keyText.trim(), 'utf8');
  // Check a private copy: nothing is touched until it passes.
  const staged = `${dbPath}.restoring`;
  mkdirSync(dirname(dbPath), { recursive: true });
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${staged}${suffix}`, { force: true });
  copyFileSync(source, staged);
  let found;
  try {
    found = inspectDatabaseFile(staged, key);
  } catch (error) {
    rmSync(staged, { force: true });
    throw error;
  }
  if (found.audit.records !== manifest.audit.records || found.audit.hash !== manifest.audit.hash) {
    rmSync(staged, { force: true });
    throw new BackupError(`${source}: its audit head (${found.audit.records} records) differs from the manifest's (${manifest.audit.records})`);
  }

  let replaced: string | null = null;
  if (existsSync(dbPath)) {
    replaced = `${dbPath}.replaced-${stamp(new Date().toISOString())}`;
    renameSync(dbPath, replaced);
  }
  // A -wal or -shm left beside the path belongs to the replaced file, never to the restored one.
  for (const suffix of ['-wal', '-shm', '-journal'])
    if (existsSync(`${dbPath}${suffix}`)) {
      if (replaced) renameSync(`${dbPath}${suffix}`, `${replaced}${suffix}`);
      else rmSync(`${dbPath}${suffix}`);
    }
  renameSync(staged, dbPath);
  if (existsSync(join(from, 'photos'))) cpSync(join(from, 'photos'), photoDirFor(dbPath), { recursive: true, force: false, errorOnExist: false });
  if (!env.SANSAN_AUDIT_KEY && !existsSync(targetKeyFile) && existsSync(backupKeyFile)) {
    copyFileSync(backupKeyFile, targetKeyFile);
    chmodSync(targetKeyFile, 0o600);
  }
  // Anchors written after the backup counted records the restored file no longer has: mark the restore.
  const restoredAnchor: AuditAnchor = {
    at: new Date().toISOString(),
    reason: `restored from ${basename(from)}`,
    records: found.audit.records,
    hash: found.audit.hash,
    keyedFrom: found.audit.keyedFrom,
  };
  writeFileSync(auditAnchorPath(dbPath, env), `${JSON.stringify(restoredAnchor)}\n`, { flag: 'a', mode: 0o600 });
  return { manifest, replaced };
}
