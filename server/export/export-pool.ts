// Exports are built on worker threads (piscina), not on the request thread: 20 exports of a
// 10^5-site database used to block every other request for minutes. The worker opens the database
// file read-only (WAL: it reads a consistent snapshot while the server writes). An in-memory
// database (the tests' default) cannot be shared with a thread, so its exports run here.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Db } from '../db/database.ts';
import type { ExportFile } from './download.ts';
import { runExportJob, type ExportJob } from './export-job.ts';

/** Worker threads building exports at once; more exports wait in the pool's queue. */
export const EXPORT_THREADS = Math.max(1, Math.min(2, availableParallelism() - 1));

let pool: Piscina | null = null;

/** The workers load TypeScript as `npm start` does: through tsx (added when the parent was started without it). */
function exportPool(): Piscina {
  const execArgv = process.execArgv.some((arg) => arg.includes('tsx')) ? process.execArgv : [...process.execArgv, '--import', 'tsx'];
  pool ??= new Piscina({
    filename: new URL('./export-worker.ts', import.meta.url).href,
    maxThreads: EXPORT_THREADS,
    minThreads: 0,
    idleTimeout: 30_000,
    execArgv,
  });
  return pool;
}

/** Where the database lives on disk, or null for an in-memory one. */
const fileOf = (db: Db): string | null => (db.raw.memory || db.raw.name === '' ? null : db.raw.name);

/** Builds the export on a worker thread (on this thread for an in-memory database). */
export async function buildExportFile(db: Db, job: ExportJob): Promise<ExportFile & { thread: 'worker' | 'main' }> {
  const path = fileOf(db);
  if (!path) return { ...(await runExportJob(db, job)), thread: 'main' };
  const file = (await exportPool().run({ path, job })) as Omit<ExportFile, 'body'> & { body: string | Uint8Array };
  return {
    ...file,
    body: typeof file.body === 'string' ? file.body : Buffer.from(file.body.buffer, file.body.byteOffset, file.body.byteLength),
    thread: 'worker',
  };
}

/** Stops the worker threads (graceful shutdown, tests). */
export async function closeExportPool(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.destroy();
}
