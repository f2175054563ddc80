// The worker thread of server/export/export-pool.ts: opens the database file read-only (once per
// thread) and writes one export to the file it is given, reading every pass inside one read
// transaction (the counts in the notes, a Shapefile's measuring pass and its records see the same
// snapshot while the server writes).
import type { Db } from '../db/database.ts';
import { openReadOnlyDatabase } from '../db/read-only.ts';
import { runInBackground } from '../db/threads.ts';
import { runExportJob, type ExportJob } from './export-job.ts';

// Background work: the request thread goes first (db/threads.ts).
runInBackground();

const open = new Map<string, Db>();

export default async function buildInWorker({ path, job, out }: { path: string; job: ExportJob; out: string }) {
  let db = open.get(path);
  if (!db) {
    db = openReadOnlyDatabase(path);
    open.set(path, db);
  }
  const ready = db;
  return ready.readSnapshot(() => runExportJob(ready, job, out));
}
