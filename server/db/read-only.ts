// A read-only connection to the database file, for the worker threads (exports, map indexes,
// analyses): WAL lets it read a consistent snapshot while the server's connection writes.
// Its page cache is 4 MB, not better-sqlite3's 16 MB: a worker reads each row once per job (an
// export's pass, a state or index build), so a larger cache holds pages nobody asks for again, once
// per thread (issue 20, bench/README.md "Memory per thread").
import Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, Db } from './database.ts';

/** A worker connection's page cache in KiB (SQLite's negative cache_size). */
export const WORKER_CACHE_KIB = 4000;

export function openReadOnlyDatabase(path: string): Db {
  const raw = new Database(path, { readonly: true, fileMustExist: true });
  raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  raw.pragma(`cache_size = -${WORKER_CACHE_KIB}`);
  return new Db(raw);
}
