// A ledger's preview, commit and undo run on a worker thread (piscina) with a writable connection of
// its own, not on the request thread: a 10^5-row commit holds the write lock for seconds, and the server
// answers reads (and /api/health) meanwhile; a preview's rows, duplicate index and garbage stay in the
// thread's capped heap (its file is read from the upload's temporary file there). The thread's transaction is the whole write, its audit
// record included; a failure or a kill -9 of the server leaves nothing written. One thread: SQLite
// takes one writer at a time, so a second batch waits in the pool's queue instead of on the lock.
// An in-memory database (the API tests) cannot be shared with a thread: its batches run here.
import type { Piscina } from 'piscina';
import { sealOf } from '../auth/audit.ts';
import type { Db } from '../db/database.ts';
import { databaseFile, runOnThread, threadHeapMb, threadPool } from '../db/threads.ts';
import { AppError } from '../errors.ts';
import { runBatchJob, type BatchJob, type BatchResult } from './import-batches.ts';
import type { BatchAnswer, BatchTask } from './import-worker.ts';

let pool: Piscina | null = null;

/** Workers load TypeScript as `npm start` does: through tsx (added when the parent was started without it). */
function importPool(): Piscina {
  pool ??= threadPool(new URL('./import-worker.ts', import.meta.url), { minThreads: 0, maxThreads: 1, idleTimeout: 60_000, heapMb: threadHeapMb('import') });
  return pool;
}

/** Runs a preview or a whole-batch write on the import thread (here for ':memory:'); it throws what the job threw. */
export async function runBatch(db: Db, job: BatchJob): Promise<BatchResult> {
  const path = databaseFile(db);
  if (!path) return runBatchJob({ db }, job);
  const seal = sealOf(db);
  const task: BatchTask = {
    job,
    path,
    busyTimeoutMs: Number(db.raw.pragma('busy_timeout', { simple: true })),
    seal: { key: new Uint8Array(seal.key), keyedFrom: seal.keyedFrom, anchorPath: seal.anchorPath },
  };
  const answer = await runOnThread<BatchAnswer>(importPool(), 'import', task);
  if (answer.ok) return answer.value;
  const failure = answer.error;
  if (failure.app) throw new AppError(failure.status, failure.code, failure.message, failure.details);
  throw Object.assign(new Error(failure.message), { code: failure.code });
}

/**
 * Starts the import thread while an upload arrives (a database file only): its start, its modules and
 * connection, and the place lists are then ready by the time the file is, instead of in the preview's
 * time. Idle, the server holds no import thread; it stops again after the pool's idle timeout.
 */
export function warmImportThread(db: Db): void {
  if (databaseFile(db)) runBatch(db, { kind: 'warm' }).catch(() => {});
}

/** Stops the import thread (graceful shutdown, tests). */
export async function closeImportPool(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.destroy();
}
