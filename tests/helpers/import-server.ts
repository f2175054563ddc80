// A real server process (`npm start`'s command) on a database file with a large ledger previewed,
// for the tests of a commit in progress (tests/import-kill.test.ts, tests/import-off-thread.test.ts).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { bootDatabase } from '../../server/bootstrap.ts';
import { ledgerCsv, readGeography } from '../../bench/synthetic.ts';
import { signInUser } from './app.ts';
import { spawnServer } from './server-child.ts';

const children = new Set<ChildProcess>();
const dirs = new Set<string>();

export interface RunningServer {
  server: ChildProcess;
  port: number;
  exited: Promise<unknown>;
}

/** `npm start`'s command on a database; resolves with the port it listens on. */
export async function startServer(dbPath: string): Promise<RunningServer> {
  const { child: server, port, exited } = await spawnServer(dbPath);
  children.add(server);
  return { server, port, exited };
}

/** Kills the servers still running and removes their folders (afterEach). */
export function stopServers(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

/** True while another connection holds the write lock (BEGIN IMMEDIATE fails at once). */
export function writeLocked(dbPath: string): boolean {
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

/** A new database file with an admin signed in, and a synthetic ledger of `rows` rows (WGS 84). */
export function ledgerDatabase(rows: number): { dbPath: string; auth: { authorization: string }; csv: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'sansan-import-'));
  dirs.add(dir);
  const dbPath = join(dir, 'sansan.db');
  const { db, ctx } = bootDatabase(dbPath, { demo: false });
  const token = signInUser(db, ctx.countyCodes, 'admin', 'admin');
  const csv = ledgerCsv(readGeography(db), rows, { crs: 'wgs84' });
  db.close();
  return { dbPath, auth: { authorization: `Bearer ${token}` }, csv };
}

/** Uploads the ledger for a preview; returns its answer. */
export async function previewLedger(port: number, auth: { authorization: string }, csv: Buffer) {
  const form = new FormData();
  form.append('file', new File([new Uint8Array(csv)], 'ledger.csv'));
  form.append('options', JSON.stringify({ crs: 'wgs84' }));
  const uploaded = await fetch(`http://127.0.0.1:${port}/api/imports`, { method: 'POST', body: form, headers: auth });
  return { status: uploaded.status, body: (await uploaded.json()) as { id: number; counts: { new: number } } };
}

/**
 * Starts the commit of a preview; resolves once it holds the write lock and its transaction has grown
 * the WAL by 2 MB, with the commit's answer to come (an Error if the connection breaks).
 */
export async function startCommit(port: number, auth: { authorization: string }, dbPath: string, id: number) {
  const walAtStart = statSync(`${dbPath}-wal`).size;
  const answer = fetch(`http://127.0.0.1:${port}/api/imports/${id}/commit`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: '{}',
  }).catch((error: Error) => error);
  for (let i = 0; ; i++) {
    if (writeLocked(dbPath) && statSync(`${dbPath}-wal`).size > walAtStart + 2 * 1024 * 1024) break;
    if (i > 20_000) throw new Error('the commit never got under way');
    await new Promise((done) => setTimeout(done, 2));
  }
  return { answer };
}
