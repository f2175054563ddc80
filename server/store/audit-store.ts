// The audit_log table (migration 008): the SQL of the audit trail. Hashing, sealing and verifying
// the chain are server/auth/audit.ts; this module only reads and appends rows as they are stored.
import type { Db } from '../db/database.ts';

/** A stored record, as the table holds it. */
export interface AuditRow {
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

/** The newest record's id and hash, or undefined for an empty trail. */
export function lastAuditRow(db: Db): { id: number; hash: string } | undefined {
  return db.get<{ id: number; hash: string }>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1');
}

export function insertAuditRow(db: Db, row: AuditRow): void {
  db.run(
    'INSERT INTO audit_log (id, at, actor, role, address, action, target, counties, before, after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [row.id, row.at, row.actor, row.role, row.address, row.action, row.target, row.counties, row.before, row.after, row.prev_hash, row.hash],
  );
}

/** Every record, oldest first, one at a time (the trail may be long). */
export function iterateAuditRows(db: Db): IterableIterator<AuditRow> {
  return db.raw.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditRow>;
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
  const rows = db.all<AuditRow>(`SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`, [
    ...params,
    filters.limit + 1,
  ]);
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
 * Sign-in failures since `since` for one (username, address) pair or one address, and the oldest of them (for
 * Retry-After): the sign-in rate limit reads the audit trail, so it survives a restart.
 */
export function signInFailures(
  db: Db,
  since: string,
  by: { username: string; address: string } | { address: string },
): { count: number; oldest: string | null } {
  if ('username' in by) {
    // One (account, address) pair, counted from the last time an admin lifted the account's lock.
    const target = `user:${by.username.toLowerCase()}`;
    const unlocked = db.get<{ at: string | null }>("SELECT max(at) AS at FROM audit_log WHERE action = 'sign_in.unlock' AND target = ?", [target])?.at;
    return db.get<{ count: number; oldest: string | null }>(
      "SELECT count(*) AS count, min(at) AS oldest FROM audit_log WHERE action = 'sign_in.failed' AND at >= ? AND at > ? AND target = ? AND address = ?",
      [since, unlocked ?? '', target, by.address],
    )!;
  }
  return db.get<{ count: number; oldest: string | null }>(
    "SELECT count(*) AS count, min(at) AS oldest FROM audit_log WHERE action = 'sign_in.failed' AND at >= ? AND address = ?",
    [since, by.address],
  )!;
}

/**
 * The (account target, address) pairs with at least `minimum` failed sign-ins since `since` that
 * came after the account's last `sign_in.unlock`: the sign-in locks in force.
 */
export function repeatedSignInFailures(db: Db, since: string, minimum: number): { target: string; address: string | null; failures: number; oldest: string }[] {
  return db.all(
    `SELECT f.target, f.address, count(*) AS failures, min(f.at) AS oldest
       FROM audit_log f
      WHERE f.action = 'sign_in.failed' AND f.at >= ?
        AND f.at > coalesce((SELECT max(u.at) FROM audit_log u WHERE u.action = 'sign_in.unlock' AND u.target = f.target), '')
      GROUP BY f.target, f.address
     HAVING count(*) >= ?
      ORDER BY f.target, f.address`,
    [since, minimum],
  );
}
