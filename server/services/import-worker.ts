// The import worker thread (server/services/import-pool.ts): opens the database file writable once
// and runs a preview, a batch's commit or its undo there, in one transaction on its own connection, so the request
// thread answers others meanwhile. A failure comes back as a description the pool turns back into
// the same error (an AppError keeps its status, code and details; SQLite's busy code is kept).
import { registerAuditSeal } from '../auth/audit.ts';
import { openDatabase, type Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { runBatchJob, type BatchJob, type BatchResult } from './import-batches.ts';

export interface BatchTask {
  job: BatchJob;
  path: string;
  busyTimeoutMs: number;
  /** The audit key of the server's connection (server/auth/audit-seal.ts), so the records chain and verify. */
  seal: { key: Uint8Array; keyedFrom: number; anchorPath: string | null };
}

export type BatchFailure =
  | { app: true; status: AppError['status']; code: AppError['code']; message: string; details: Record<string, unknown> }
  | { app: false; message: string; code?: string };
export type BatchAnswer = { ok: true; value: BatchResult } | { ok: false; error: BatchFailure };

const open = new Map<string, Db>();

export default async function runBatchTask({ job, path, busyTimeoutMs, seal }: BatchTask): Promise<BatchAnswer> {
  let db = open.get(path);
  if (!db) {
    db = openDatabase(path, { busyTimeoutMs });
    open.set(path, db);
  }
  registerAuditSeal(db, { key: Buffer.from(seal.key), keyedFrom: seal.keyedFrom, anchorPath: seal.anchorPath });
  try {
    return { ok: true, value: await runBatchJob({ db }, job) };
  } catch (error) {
    if (error instanceof AppError)
      return { ok: false, error: { app: true, status: error.status, code: error.code, message: error.message, details: error.details } };
    const { message, code } = error as { message?: string; code?: unknown };
    return { ok: false, error: { app: false, message: String(message ?? error), code: typeof code === 'string' ? code : undefined } };
  }
}
