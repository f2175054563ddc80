// The analysis thread of services/analysis-pool.ts: opens the database file read-only once and
// keeps it (with the state the analyses keep per connection) for the thread's life. Each job reads
// inside one read transaction, so it sees one snapshot while the server writes.
import type { Db } from '../db/database.ts';
import { openReadOnlyDatabase } from '../db/read-only.ts';
import { runInBackground } from '../db/threads.ts';
import { AppError } from '../errors.ts';
import { refusalOf, runAnalysisJob, type AnalysisJob } from './analysis-jobs.ts';
import type { AnalysisOutcome } from './analysis-pool.ts';

// Background work: the request thread goes first (db/threads.ts).
runInBackground();

const open = new Map<string, Db>();

function connection(path: string): Db {
  let db = open.get(path);
  if (!db) {
    db = openReadOnlyDatabase(path);
    open.set(path, db);
  }
  return db;
}

export default async function analyse({ path, job }: { path: string; job: AnalysisJob }): Promise<AnalysisOutcome> {
  const db = connection(path);
  try {
    return { reply: await db.readSnapshot(() => runAnalysisJob(db, job)) };
  } catch (error) {
    if (error instanceof AppError) return { refusal: refusalOf(error) };
    throw error;
  }
}
