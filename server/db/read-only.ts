// A read-only connection to the database file, for the worker threads (exports, map indexes,
// analyses): WAL lets it read a consistent snapshot while the server's connection writes.
import Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, Db } from './database.ts';

export function openReadOnlyDatabase(path: string): Db {
  const raw = new Database(path, { readonly: true, fileMustExist: true });
  raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return new Db(raw);
}
