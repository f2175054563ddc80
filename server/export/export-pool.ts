// Exports are built on worker threads (piscina), not on the request thread: 20 exports of a
// 10^5-site database used to block every other request for minutes. The worker opens the database
// file read-only (WAL: it reads a consistent snapshot while the server writes). An in-memory
// database (the tests' default) cannot be shared with a thread, so its exports run here.
//
// The worker streams the rows from SQLite through the format's writer into a temporary file, and the
// route streams that file to the response (streamExportFile). A file, not chunks posted over a
// MessagePort straight to the socket, because:
// - a failure while building (a worker dies, the disk fills, a writer throws) is known before the
//   first byte is sent: the answer is an error, never a 200 with a truncated file;
// - the response carries Content-Length, so a download cut short is visibly short to every client;
// - a Shapefile's and a GeoPackage's bytes are not written front to back (headers sized after a
//   pass, SQLite pages), and a slow client holds no read transaction or worker thread open.
// Memory stays flat either way: rows are read by an iterator and written in 1 MB chunks.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Piscina } from 'piscina';
import type { Db } from '../db/database.ts';
import { databaseFile, runOnThread, threadHeapMb, threadPool } from '../db/threads.ts';
import { DEFAULT_HEAVY_LIMITS, tooBusy } from '../ops/limits.ts';
import type { ExportFile } from './download.ts';
import { runExportJob, type ExportJob } from './export-job.ts';

/** Worker threads building exports at once; more exports wait in the pool's queue. */
export const EXPORT_THREADS = Math.max(1, Math.min(2, availableParallelism() - 1));

/**
 * Exports building or waiting for a thread at once (one waiting per thread). Beyond it an export is
 * refused at once, 429 too_busy with Retry-After, as the heavy-work limits do: queued deeper, an
 * export waited minutes behind others with no answer at all, past a client's or proxy's header
 * timeout (the load test at load 15: 300 s, undici's).
 */
export const EXPORT_BUILDS = 2 * EXPORT_THREADS;

let pool: Piscina | null = null;
let building = 0;

/** The workers load TypeScript as `npm start` does: through tsx (added when the parent was started without it). */
function exportPool(): Piscina {
  pool ??= threadPool(new URL('./export-worker.ts', import.meta.url), {
    minThreads: 0,
    maxThreads: EXPORT_THREADS,
    idleTimeout: 30_000,
    heapMb: threadHeapMb('export'),
  });
  return pool;
}

/**
 * Writes the export to a file of its own in a new temporary directory, on a worker thread (on this
 * thread for an in-memory database). The caller sends it with streamExportFile, or removes it with
 * removeExportFile. On failure nothing is left behind.
 */
export async function buildExportFile(db: Db, job: ExportJob): Promise<ExportFile & { thread: 'worker' | 'main' }> {
  const dir = await mkdtemp(join(tmpdir(), 'sansan-export-'));
  const out = join(dir, `export.${job.format}`);
  try {
    const path = databaseFile(db);
    if (!path) return { ...(await runExportJob(db, job, out)), thread: 'main' };
    if (building >= EXPORT_BUILDS) throw tooBusy('server', EXPORT_BUILDS, DEFAULT_HEAVY_LIMITS.retryAfterSeconds);
    building++;
    try {
      return { ...(await runOnThread<ExportFile>(exportPool(), 'export', { path, job, out })), thread: 'worker' };
    } finally {
      building--;
    }
  } catch (error) {
    // A stopped worker may still be closing its file: retry until the directory is gone.
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    throw error;
  }
}

/** Deletes an export's file (and its directory). */
export async function removeExportFile(file: Pick<ExportFile, 'path'>): Promise<void> {
  await rm(dirname(file.path), { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
}

/**
 * The file as a response body, read in 256 KB chunks as the client takes them; the file is deleted
 * when the body ends, fails or is cancelled. If the file ends before its size (or cannot be read),
 * the body errors, so the server aborts the response instead of ending it as if it were complete.
 */
export function streamExportFile(file: Pick<ExportFile, 'path' | 'bytes'>): ReadableStream<Uint8Array> {
  const input = createReadStream(file.path, { highWaterMark: 256 * 1024 });
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let sent = 0;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    input.destroy();
    void removeExportFile(file);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await chunks.next();
          if (done) {
            if (sent !== file.bytes) throw new Error(`export file ended after ${sent} of ${file.bytes} bytes`);
            controller.close();
            finish();
            return;
          }
          sent += value.length;
          controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
        } catch (error) {
          controller.error(error);
          finish();
        }
      },
      cancel: finish,
    },
    { highWaterMark: 0 },
  );
}

/** Stops the worker threads (graceful shutdown, tests). */
export async function closeExportPool(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.destroy();
}
