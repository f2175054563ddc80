// The audit trail: one append-only record per write, chained by SHA-256. Each record's hash covers
// its own fields and the previous record's hash, so changing, inserting or removing a record in the
// middle of the chain breaks every hash after it; verifyAuditChain names the first that no longer
// matches. Records are appended inside the same transaction as the write they describe.
import { createHash } from 'node:crypto';
import type { Db } from '../db/database.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** Who did it and from where (taken from the signed-in request, or the users command). */
export interface AuditActor {
  actor: string | null;
  role: string | null;
  address: string | null;
}

export interface AuditEntry extends AuditActor {
  /** e.g. site.create, site.edit, site.move, site.status, road.create, user.create, sign_in.failed */
  action: string;
  /** e.g. site:12, road:3, user:admin */
  target?: string | null;
  /** The counties the write touched (both, for a move across a county line). */
  counties?: readonly (string | null)[];
  before?: unknown;
  after?: unknown;
  /** ISO timestamp; default now. */
  at?: string;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string | null;
  role: string | null;
  address: string | null;
  action: string;
  target: string | null;
  counties: string;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));

/** The hash of a record: SHA-256 over the previous hash and the record's stored fields, in a fixed order. */
function recordHash(row: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([row.id, row.at, row.actor, row.role, row.address, row.action, row.target, row.counties, row.before, row.after]);
  return createHash('sha256').update(row.prev_hash).update('\n').update(canonical).digest('hex');
}

/** Appends one record at the end of the chain. Call it inside the write's transaction. */
export function appendAudit(db: Db, entry: AuditEntry): number {
  return db.transaction(() => {
    const last = db.get<{ id: number; hash: string }>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1');
    const row = {
      id: (last?.id ?? 0) + 1,
      at: entry.at ?? new Date().toISOString(),
      actor: entry.actor,
      role: entry.role,
      address: entry.address,
      action: entry.action,
      target: entry.target ?? null,
      counties: JSON.stringify([...new Set((entry.counties ?? []).filter((county) => county !== null))].sort()),
      before: json(entry.before),
      after: json(entry.after),
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    db.run(
      'INSERT INTO audit_log (id, at, actor, role, address, action, target, counties, before, after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [row.id, row.at, row.actor, row.role, row.address, row.action, row.target, row.counties, row.before, row.after, row.prev_hash, recordHash(row)],
    );
    return row.id;
  });
}

export interface AuditVerification {
  ok: boolean;
  records: number;
  /** The first record that does not match, and why. */
  /** The first record that breaks the chain: how (`code`; the id of the missing record for `missing`) and why, in words. */
  firstBad: { id: number; code: AuditBreak; missing: number | null; reason: string } | null;
  lastHash: string;
}

/** How a record breaks the chain: a record before it is gone, it does not follow its predecessor, or it was changed. */
export type AuditBreak = 'missing' | 'prev_hash' | 'hash';

/** Recomputes the whole chain from the start. */
export function verifyAuditChain(db: Db): AuditVerification {
  let previous = GENESIS_HASH;
  let expectedId = 1;
  let records = 0;
  for (const row of db.raw.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditRow>) {
    records++;
    const bad = (code: AuditBreak, reason: string): AuditVerification => ({ ok: false, records, firstBad: { id: row.id, code, missing: code === 'missing' ? expectedId : null, reason }, lastHash: previous });
    if (row.id !== expectedId) return bad('missing', `record ${expectedId} is missing (the chain jumps to ${row.id})`);
    if (row.prev_hash !== previous) return bad('prev_hash', 'its previous-hash does not match the record before it');
    if (recordHash(row) !== row.hash) return bad('hash', 'its contents do not match its hash (the record was changed)');
    previous = row.hash;
    expectedId++;
  }
  return { ok: true, records, firstBad: null, lastHash: previous };
}

export interface AuditFilters {
  action?: string;
  actor?: string;
  target?: string;
  /** Only records touching one of these counties. */
  counties?: readonly (string | null)[];
  from?: string;
  to?: string;
  beforeId?: number;
  limit: number;
}

/** A record as the API gives it: the stored row with its counties and before/after read back from JSON. */
export type AuditRecord = Omit<AuditRow, 'counties' | 'before' | 'after' | 'prev_hash'> & { counties: string[]; before: unknown; after: unknown };

/** Newest first; page on with beforeId. */
export function listAudit(db: Db, filters: AuditFilters): { records: AuditRecord[]; nextBeforeId: number | null } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (filters.action) add('(action = ? OR action LIKE ?)', filters.action, `${filters.action}.%`);
  if (filters.actor) add('actor = ?', filters.actor);
  if (filters.target) add('target = ?', filters.target);
  if (filters.from) add('at >= ?', filters.from);
  if (filters.to) add('at < ?', filters.to);
  if (filters.beforeId !== undefined) add('id < ?', filters.beforeId);
  if (filters.counties)
    add(`EXISTS (SELECT 1 FROM json_each(audit_log.counties) WHERE value IN (${filters.counties.map(() => '?').join(',') || 'NULL'}))`, ...filters.counties);
  const rows = db.all<AuditRow>(
    `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
    [...params, filters.limit + 1],
  );
  const page = rows.slice(0, filters.limit);
  return {
    records: page.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      role: row.role,
      address: row.address,
      action: row.action,
      target: row.target,
      counties: JSON.parse(row.counties) as string[],
      before: row.before === null ? null : JSON.parse(row.before),
      after: row.after === null ? null : JSON.parse(row.after),
      hash: row.hash,
    })),
    nextBeforeId: rows.length > filters.limit ? page[page.length - 1]!.id : null,
  };
}

/**
 * Sign-in failures since `since` for one username or one address, and the oldest of them (for
 * Retry-After): the sign-in rate limit reads the audit trail, so it survives a restart.
 */
export function signInFailures(db: Db, since: string, by: { username: string } | { address: string }): { count: number; oldest: string | null } {
  const [column, value] = 'username' in by ? ['target', `user:${by.username.toLowerCase()}`] : ['address', by.address];
  return db.get<{ count: number; oldest: string | null }>(
    `SELECT count(*) AS count, min(at) AS oldest FROM audit_log WHERE action = 'sign_in.failed' AND at >= ? AND ${column} = ?`,
    [since, value],
  )!;
}
