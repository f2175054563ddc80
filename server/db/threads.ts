// What every worker-thread pool shares (exports, map indexes, analyses, import batches): the database
// file a thread opens for itself, a piscina pool whose threads load TypeScript as `npm start` does, and
// a heap cap per pool. A thread without a cap grows its heap towards V8's default limit (a quarter of the
// machine's memory, up to 4 GB) before collecting in earnest: under the load test the analysis thread's
// garbage alone took the server past 1.5 GB. With a cap, V8 collects as the heap nears it; a job that
// needs more than the cap ends its thread (not the server) and is answered 503 `memory_limit`.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { AppError } from '../errors.ts';
import type { Db } from './database.ts';

/** Where the database lives on disk, or null for an in-memory one (a thread cannot share it: its work runs on the request thread). */
export const databaseFile = (db: Db): string | null => (db.raw.memory || db.raw.name === '' ? null : db.raw.name);

/** The pools whose threads have a heap cap (the map thread's is set by its own pool). */
export type CappedPool = 'analysis' | 'export' | 'import';

/**
 * Each pool's old-generation cap in MB, from what its jobs were measured to keep and use at 10^5 sites
 * (bench/README.md, "Memory per thread"): the analysis thread keeps ~430 MB (relapse state, move index,
 * 4 scorecard books) and a siege or route plan adds ~90 MB; an export keeps nothing and its xlsx writer
 * peaks at ~90 MB; an import (preview and commit) of a 200,000-row, 50 MB ledger ran within 64 MB
 * (the duplicate index ~21 MB, the CSV read in slices, the commit 500 rows at a time): 96 MB leaves room
 * for the database's own sites in the duplicate search.
 * SANSAN_ANALYSIS_HEAP_MB, SANSAN_EXPORT_HEAP_MB and SANSAN_IMPORT_HEAP_MB set them (server/config.ts).
 */
export const DEFAULT_THREAD_HEAP_MB: Readonly<Record<CappedPool, number | null>> = { analysis: 640, export: 160, import: 96 };

const heapMb: Record<CappedPool, number | null> = { ...DEFAULT_THREAD_HEAP_MB };

/** Sets the caps of pools started from now on (`npm start` calls it once with the configuration). */
export function setThreadHeapMb(caps: Partial<Record<CappedPool, number | null>>): void {
  Object.assign(heapMb, caps);
}

/** A pool's cap now (for its start and its refusals). */
export const threadHeapMb = (pool: CappedPool): number | null => heapMb[pool];

/** Seconds a refusal for memory asks the client to wait: the replacement thread starts in about that. */
export const MEMORY_RETRY_AFTER_SECONDS = 5;

/**
 * A thread's young generation in MB unless its pool says otherwise: V8's own default on 64-bit
 * (16 MB semi-spaces), said here because `npm start` shrinks the request thread's with
 * `--max-semi-space-size` (a process-wide flag; bench/README.md, "Memory at rest") and the threads would
 * otherwise take that too.
 */
export const THREAD_YOUNG_MB = 48;

/**
 * A pool running `worker` (a module URL) on `minThreads`–`maxThreads` threads, each ended after `idleTimeout`
 * ms without work (Infinity keeps a thread that holds state), with an old generation of at most `heapMb` MB
 * (null: V8's default). A thread runs the worker's compiled file when the server runs compiled
 * (`npm start`, server/start.mjs), without tsx (under tsx each thread starts a loader thread of its
 * own too). Otherwise it loads TypeScript through tsx, added to its `execArgv` when the parent was
 * started without it (vitest), so it runs under `npm start`, the old command and the tests.
 */
export function threadPool(
  worker: URL,
  threads: {
    minThreads: number;
    maxThreads: number;
    idleTimeout: number;
    heapMb?: number | null;
    youngMb?: number;
    /**
     * piscina's wait between tasks: 'sync' (its default) blocks the thread in Atomics.wait, so no timer
     * or immediate of the thread runs until the next task; 'disabled' waits in the event loop (the map
     * threads: the as-of histories build in slices between tasks, store/as-of-statuses.ts).
     */
    atomics?: 'sync' | 'disabled';
    /** Tasks a thread is sent before it answered the first (default 1): more where a task awaits between steps (the map's index warm-up). */
    concurrentTasksPerWorker?: number;
  },
): Piscina {
  const { heapMb: cap, youngMb = THREAD_YOUNG_MB, ...counts } = threads;
  const built = compiledThread(worker);
  const inherited = threadFlags(process.execArgv);
  const execArgv = built ? withoutTsx(inherited) : inherited.some((arg) => arg.includes('tsx')) ? inherited : [...inherited, '--import', 'tsx'];
  const resourceLimits = { maxYoungGenerationSizeMb: youngMb, ...(cap ? { maxOldGenerationSizeMb: cap } : {}) };
  return new Piscina({ filename: built ?? worker.href, ...counts, execArgv, resourceLimits });
}

/**
 * The compiled file of a worker module (its file URL) when the server runs compiled (`npm start`:
 * server/start.mjs builds them and says which is which); null under tsx (tests, tools).
 */
function compiledThread(worker: URL): string | null {
  const files = (globalThis as { [key: symbol]: unknown })[Symbol.for('sansan.compiledThreads')];
  return files instanceof Map ? ((files.get(worker.href) as string | undefined) ?? null) : null;
}

/**
 * The process's options a worker thread may take: `--max-semi-space-size` sizes the request thread's
 * young generation (`npm start`) and Node refuses it in a worker's execArgv (each pool sets its own).
 */
const threadFlags = (argv: readonly string[]): string[] => argv.filter((arg) => !arg.startsWith('--max-semi-space-size'));

/** Node's options without tsx's (`--import tsx`, `--import=tsx`, `--loader tsx`): a compiled thread needs no loader. */
function withoutTsx(argv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if ((arg === '--import' || arg === '--loader' || arg === '--experimental-loader') && argv[i + 1]?.startsWith('tsx')) i++;
    else if (!/^--(import|loader|experimental-loader)=tsx/.test(arg)) kept.push(arg);
  }
  return kept;
}

/** Whether `error` says a thread was ended for passing its heap cap (Node's ERR_WORKER_OUT_OF_MEMORY). */
const outOfMemory = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';

/** 503 `memory_limit`: the job needed more memory than its thread may take; nothing was written, the thread is replaced. */
export const memoryLimit = (pool: CappedPool) =>
  new AppError(
    503,
    'memory_limit',
    `this ${pool} needed more memory than its thread may use (${threadHeapMb(pool) ?? '?'} MB); nothing was changed, try again in ${MEMORY_RETRY_AFTER_SECONDS} s or narrow it`,
    { thread: pool, limitMb: threadHeapMb(pool), retryAfterSeconds: MEMORY_RETRY_AFTER_SECONDS },
    { 'Retry-After': String(MEMORY_RETRY_AFTER_SECONDS) },
  );

/** Runs `task` on the pool; a thread ended for memory becomes the 503 `memory_limit` of `pool`, other failures pass unchanged. */
export async function runOnThread<T>(pool: Piscina, name: CappedPool, task: unknown): Promise<T> {
  try {
    return (await pool.run(task)) as T;
  } catch (error) {
    if (outOfMemory(error)) throw memoryLimit(name);
    throw error;
  }
}

/**
 * The nice value of the threads doing background work (exports, analyses): on a 2-core server under
 * load the request thread then gets the core when it needs one, and the threads take what is left
 * (the load test: /api/health and a county list beside 20 exports and 24 analyses). The import
 * thread keeps its priority: it holds the write lock, and every write waits for it.
 */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the calling worker thread's priority to BACKGROUND_NICE. On Linux a nice value belongs to
 * one thread (setpriority with the thread's id); elsewhere, or without /proc, the thread keeps its
 * priority. Never on the main thread: that would lower the request thread itself.
 */
export function runInBackground(): void {
  if (isMainThread) return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (Number.isInteger(tid) && tid !== process.pid) setPriority(tid, BACKGROUND_NICE);
  } catch {
    // not Linux: the thread runs at the process's priority
  }
}
