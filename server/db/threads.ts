// What every worker-thread pool shares (exports, map indexes, analyses, import batches): the database
// file a thread opens for itself, and a piscina pool whose threads load TypeScript as `npm start` does.
import { Piscina } from 'piscina';
import type { Db } from './database.ts';

/** Where the database lives on disk, or null for an in-memory one (a thread cannot share it: its work runs on the request thread). */
export const databaseFile = (db: Db): string | null => (db.raw.memory || db.raw.name === '' ? null : db.raw.name);

/**
 * A pool running `worker` (a module URL) on `minThreads`–`maxThreads` threads, each ended after `idleTimeout`
 * ms without work (Infinity keeps a thread that holds state). Threads load TypeScript through tsx, added to
 * their `execArgv` when the parent was started without it (vitest), so they run under `npm start` and the tests.
 */
export function threadPool(worker: URL, threads: { minThreads: number; maxThreads: number; idleTimeout: number }): Piscina {
  const execArgv = process.execArgv.some((arg) => arg.includes('tsx')) ? process.execArgv : [...process.execArgv, '--import', 'tsx'];
  return new Piscina({ filename: worker.href, ...threads, execArgv });
}
