// The analyses (relapse, siege, scorecards and their workbook, route planning) run on one long-lived
// worker thread (piscina, one thread that never idles out), not on the request thread: a cold relapse
// analysis of 10^5 sites took the request thread for seconds, and every other user waited. The thread
// opens the database file read-only (WAL: each job reads one snapshot while the server writes) and
// keeps what the analyses keep between calls — the RelapseState with its move index, the relapse
// answers — which notice other connections' writes through the data versions they already check.
// One thread, so that state exists once and analyses take at most one of the 2 cores; jobs queue
// behind each other there (the heavy-work limits of ops/limits.ts bound the queue). An in-memory
// database (the API tests) cannot be shared with a thread, so its jobs run here, through the same code.
//
// A refusal raised on the thread (AppError: a bad option, an unknown core, no stops) crosses back as
// plain data and is thrown here again with the same status, code, message, details and headers. A job
// that passes the thread's heap cap ends the thread (its kept state with it; the next job starts a new
// one) and is answered 503 `memory_limit`.
import type { Piscina } from 'piscina';
import type { Db } from '../db/database.ts';
import { holdForeground } from '../db/give-way.ts';
import { databaseFile, runOnThread, threadHeapMb, threadPool } from '../db/threads.ts';
import { refusalError, runAnalysisJob, type AnalysisJob, type AnalysisRefusal, type AnalysisReply } from './analysis-jobs.ts';

let pool: Piscina | null = null;

/** One thread, kept alive: it holds the analyses' state. It loads TypeScript through tsx, as the export pool's do. Its heap is capped (db/threads.ts). */
function analysisPool(): Piscina {
  pool ??= threadPool(new URL('./analysis-worker.ts', import.meta.url), {
    minThreads: 1,
    maxThreads: 1,
    idleTimeout: Number.POSITIVE_INFINITY,
    heapMb: threadHeapMb('analysis'),
  });
  return pool;
}

/** What the thread answers: the reply, or the refusal to throw again here. */
export type AnalysisOutcome = { reply: AnalysisReply } | { refusal: AnalysisRefusal };

/** The job's answer, computed on the analysis thread (for a database file) or here. */
export async function runAnalysis(db: Db, job: AnalysisJob): Promise<AnalysisReply> {
  const path = databaseFile(db);
  if (!path) return runAnalysisJob(db, job);
  // While the job is in flight, the map's start-up warm-up waits (db/give-way.ts).
  const done = holdForeground();
  let outcome: AnalysisOutcome;
  try {
    outcome = await runOnThread<AnalysisOutcome>(analysisPool(), 'analysis', { path, job });
  } finally {
    done();
  }
  if ('refusal' in outcome) throw refusalError(outcome.refusal);
  return outcome.reply;
}

/** The reply as a response (status 200). */
export const analysisResponse = (reply: AnalysisReply): Response => new Response(reply.body, { status: 200, headers: reply.headers });

/** Whether the database's analyses run on the analysis thread. */
export const analysisOnThread = (db: Db): boolean => databaseFile(db) !== null;

/** Stops the analysis thread (graceful shutdown, tests); the next job starts a new one. */
export async function closeAnalysisPool(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.destroy();
}
