// A ledger commit is one transaction: a kill -9 of the server in the middle of committing a large
// preview leaves the database exactly as before — integrity, counts, the R*Tree matching the sites
// table, the triggers the commit suspends inside its transaction, the audit chain — and the same
// preview commits after the restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { bootDatabase } from '../server/bootstrap.ts';
import { ledgerCsv, readGeography } from '../bench/synthetic.ts';
import { signInUser } from './helpers/app.ts';

const ROOT = resolve(import.meta.dirname, '..');
const ROWS = 30_000;
let dir: string | undefined;
let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** `npm start`'s command on a database; resolves with the port it listens on. */
async function startServer(dbPath: string): Promise<{ server: ChildProcess; port: number; exited: Promise<unknown> }> {
  const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SANSAN_DB: dbPath, SANSAN_DEMO: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = server;
  let stderr = '';
  server.stderr!.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const exited = new Promise((done) => server.on('exit', done));
  const port = await new Promise<number>((resolvePort, reject) => {
    let buffer = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      buffer += String(chunk);
      for (const line of buffer.split('\n').slice(0, -1))
        if (line.startsWith('{') && line.includes('"listening"')) resolvePort(JSON.parse(line).port as number);
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    });
    void exited.then((code) => reject(new Error(`the server exited (${String(code)}): ${stderr}`)));
  });
  return { server, port, exited };
}

/** Everything the commit writes or suspends, read through a connection of its own. */
function state(dbPath: string) {
  const db = new Database(dbPath);
  try {
    const one = (sql: string) => db.prepare(sql).pluck().get();
    return {
      integrity: one('PRAGMA integrity_check'),
      sites: one('SELECT count(*) FROM sites'),
      events: one('SELECT count(*) FROM site_events'),
      rtree: one('SELECT count(*) FROM sites_rtree'),
      // The R*Tree holds exactly the located sites, each box (32-bit floats, rounded outwards) around its position.
      rtreeMismatch: one(
        `SELECT (SELECT count(*) FROM sites s LEFT JOIN sites_rtree r ON r.id = s.id WHERE s.lon IS NOT NULL
                   AND (r.id IS NULL OR NOT (r.min_lon <= s.lon AND s.lon <= r.max_lon AND r.min_lat <= s.lat AND s.lat <= r.max_lat)))
              + (SELECT count(*) FROM sites_rtree r LEFT JOIN sites s ON s.id = r.id WHERE s.id IS NULL OR s.lon IS NULL)`,
      ),
      statusNotLastEvent: one(
        'SELECT count(*) FROM sites s WHERE status IS NOT (SELECT to_status FROM site_events e WHERE e.site_id = s.id ORDER BY e.date DESC, e.id DESC LIMIT 1)',
      ),
      batches: db.prepare('SELECT id, state, counts FROM import_batches ORDER BY id').all(),
      staged: one('SELECT count(*) FROM import_rows WHERE action IS NOT NULL OR site_id IS NOT NULL'),
      versions: db.prepare('SELECT topic, version FROM data_versions ORDER BY topic').all(),
      audit: one('SELECT count(*) FROM audit_log'),
      triggers: db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all(),
    };
  } finally {
    db.close();
  }
}

/** True while another connection holds the write lock (BEGIN IMMEDIATE fails at once). */
function writeLocked(dbPath: string): boolean {
  const db = new Database(dbPath, { timeout: 0 });
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
    throw error;
  } finally {
    db.close();
  }
}

describe('kill -9 in the middle of a large import commit', () => {
  it('leaves the database as before; after a restart the audit chain verifies and the same preview commits', { timeout: 300_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'sansan-kill-'));
    const dbPath = join(dir, 'sansan.db');
    const { db, ctx } = bootDatabase(dbPath, { demo: false });
    const token = signInUser(db, ctx.countyCodes, 'admin', 'admin');
    const csv = ledgerCsv(readGeography(db), ROWS, { crs: 'wgs84' });
    db.close();
    const auth = { authorization: `Bearer ${token}` };

    let running = await startServer(dbPath);
    const form = new FormData();
    form.append('file', new File([new Uint8Array(csv)], 'ledger.csv'));
    form.append('options', JSON.stringify({ crs: 'wgs84' }));
    const uploaded = await fetch(`http://127.0.0.1:${running.port}/api/imports`, { method: 'POST', body: form, headers: auth });
    expect(uploaded.status).toBe(201);
    const preview = (await uploaded.json()) as { id: number; counts: { new: number } };
    expect(preview.counts.new).toBe(ROWS);
    const before = state(dbPath);
    expect(before).toMatchObject({ integrity: 'ok', rtreeMismatch: 0, statusNotLastEvent: 0, staged: 0 });

    // The commit is under way once it holds the write lock and its transaction has grown the WAL.
    const walAtStart = statSync(`${dbPath}-wal`).size;
    const commit = fetch(`http://127.0.0.1:${running.port}/api/imports/${preview.id}/commit`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    }).catch((error: Error) => error);
    for (let i = 0; ; i++) {
      if (writeLocked(dbPath) && statSync(`${dbPath}-wal`).size > walAtStart + 2 * 1024 * 1024) break;
      if (i > 20_000) throw new Error('the commit never got under way');
      await new Promise((done) => setTimeout(done, 2));
    }
    running.server.kill('SIGKILL');
    await running.exited;
    expect(await commit).toBeInstanceOf(Error);

    expect(state(dbPath)).toEqual(before);

    running = await startServer(dbPath);
    const verify = await fetch(`http://127.0.0.1:${running.port}/api/audit/verify`, { headers: auth });
    expect(await verify.json()).toMatchObject({ ok: true });
    const again = await fetch(`http://127.0.0.1:${running.port}/api/imports/${preview.id}/commit`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await again.json()).toMatchObject({ created: ROWS, errors: 0 });
    running.server.kill('SIGTERM');
    await running.exited;
    const after = state(dbPath);
    expect(after).toMatchObject({ integrity: 'ok', rtreeMismatch: 0, statusNotLastEvent: 0, triggers: before.triggers });
    expect(after.sites).toBe((before.sites as number) + ROWS);
  });
});
