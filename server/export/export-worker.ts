// The worker thread of server/export/export-pool.ts: opens the database file read-only (once per
// thread) and builds one export.
import Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, Db } from '../db/database.ts';
import { runExportJob, type ExportJob } from './export-job.ts';

const open = new Map<string, Db>();

export default async function buildInWorker({ path, job }: { path: string; job: ExportJob }) {
  let db = open.get(path);
  if (!db) {
    const raw = new Database(path, { readonly: true, fileMustExist: true });
    raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db = new Db(raw);
    open.set(path, db);
  }
  // The file goes back by structured clone: a string stays a string, a Buffer arrives as a Uint8Array.
  return runExportJob(db, job);
}
