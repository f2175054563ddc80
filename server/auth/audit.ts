// The audit trail: one append-only record per write, chained. Each record's hash covers its own
// fields and the previous record's hash, so changing, inserting or removing a record in the middle of
// the chain breaks every hash after it; verifyAuditChain names the first that no longer matches.
// Records from `keyedFrom` on are HMAC-SHA-256 under a key the database does not hold, and the chain's
// head is anchored outside the database (server/auth/audit-seal.ts), so neither a forged record, a
// re-hashed chain nor removing the newest records verifies. Records are appended inside the same
// transaction as the write they describe. The table's SQL is server/store/audit-store.ts.
import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Db } from '../db/database.ts';
import { insertAuditRow, iterateAuditRows, lastAuditRow, type AuditRow } from '../store/audit-store.ts';

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

const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));

/** The key, where it starts and the anchor file of one database (set up at start by setUpAuditSeal). */
export interface AuditSeal {
  key: Buffer;
  /** The first record authenticated with the key; those before it were hashed without one. */
  keyedFrom: number;
  /** The append-only file of anchors; null for ':memory:' databases. */
  anchorPath: string | null;
}

/** The chain's head as written outside the database. */
export interface AuditAnchor {
  at: string;
  reason: string;
  records: number;
  hash: string;
  keyedFrom: number;
}

const seals = new WeakMap<Db, AuditSeal>();

export function registerAuditSeal(db: Db, seal: AuditSeal): void {
  seals.set(db, seal);
}

export function sealOf(db: Db): AuditSeal {
  const seal = seals.get(db);
  if (!seal) throw new Error('the audit key is not loaded for this database (setUpAuditSeal)');
  return seal;
}

/**
 * The hash of a record over the previous hash and the record's stored fields, in a fixed order:
 * HMAC-SHA-256 under the key from `keyedFrom` on, plain SHA-256 before it.
 */
function recordHash(row: Omit<AuditRow, 'hash'>, seal: AuditSeal): string {
  const canonical = JSON.stringify([row.id, row.at, row.actor, row.role, row.address, row.action, row.target, row.counties, row.before, row.after]);
  const digest = row.id >= seal.keyedFrom ? createHmac('sha256', seal.key) : createHash('sha256');
  return digest.update(row.prev_hash).update('\n').update(canonical).digest('hex');
}

/** The number of records and the newest one's hash. */
export function auditHead(db: Db): { records: number; hash: string } {
  const last = lastAuditRow(db);
  return { records: last?.id ?? 0, hash: last?.hash ?? GENESIS_HASH };
}

/** Appends one record at the end of the chain. Call it inside the write's transaction. */
export function appendAudit(db: Db, entry: AuditEntry): number {
  const seal = sealOf(db);
  return db.transaction(() => {
    const last = lastAuditRow(db);
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
    insertAuditRow(db, { ...row, hash: recordHash(row, seal) });
    return row.id;
  });
}

export interface AuditVerification {
  ok: boolean;
  records: number;
  /** The first record authenticated with the key (records before it were hashed without one). */
  keyedFrom: number;
  /** How many anchors outside the database the chain was checked against. */
  anchors: number;
  /** The first record that breaks the chain: how (`code`; the id of the missing record for `missing`; the anchor it contradicts) and why, in words. */
  firstBad: { id: number; code: AuditBreak; missing: number | null; reason: string; anchor: AuditAnchor | null } | null;
  lastHash: string;
}

/**
 * How a record breaks the chain: a record before it is gone, it does not follow its predecessor, it
 * was changed or forged (`hash`), records an anchor counted are gone (`truncated`), or it differs
 * from what an anchor wrote down (`anchor`: the chain was rewritten).
 */
export type AuditBreak = 'missing' | 'prev_hash' | 'hash' | 'truncated' | 'anchor';

/** The anchors written so far (oldest first); a line that is not an anchor is reported as one that fails. */
export function readAnchors(path: string | null): AuditAnchor[] {
  if (!path || !existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, index) => {
      try {
        const anchor = JSON.parse(line) as AuditAnchor;
        if (Number.isInteger(anchor.records) && typeof anchor.hash === 'string') return anchor;
      } catch {
        /* reported as an anchor nothing matches */
      }
      return { at: '', reason: `line ${index + 1} of ${path} is not an anchor`, records: 0, hash: '', keyedFrom: Number.NaN };
    });
}

/** Recomputes the whole chain from the start, then checks it against every anchor. */
export function verifyAuditChain(db: Db): AuditVerification {
  const seal = sealOf(db);
  // A restore (npm run restore) writes an anchor of the restored head; the anchors before it counted
  // the replaced file's records and no longer apply.
  const written = readAnchors(seal.anchorPath);
  const restored = written.findLastIndex((anchor) => anchor.reason.startsWith('restored'));
  const anchors = restored < 0 ? written : written.slice(restored);
  const anchored = new Map<number, string>();
  let previous = GENESIS_HASH;
  let expectedId = 1;
  let records = 0;
  const result = (firstBad: AuditVerification['firstBad']): AuditVerification => ({
    ok: firstBad === null,
    records,
    keyedFrom: seal.keyedFrom,
    anchors: anchors.length,
    firstBad,
    lastHash: previous,
  });
  const needed = new Set(anchors.map((anchor) => anchor.records));
  for (const row of iterateAuditRows(db)) {
    records++;
    const bad = (code: AuditBreak, reason: string) => result({ id: row.id, code, missing: code === 'missing' ? expectedId : null, reason, anchor: null });
    if (row.id !== expectedId) return bad('missing', `record ${expectedId} is missing (the chain jumps to ${row.id})`);
    if (row.prev_hash !== previous) return bad('prev_hash', 'its previous-hash does not match the record before it');
    if (recordHash(row, seal) !== row.hash)
      return bad(
        'hash',
        row.id >= seal.keyedFrom
          ? 'its contents do not match its signature (the record was changed, or forged without the key)'
          : 'its contents do not match its hash (the record was changed)',
      );
    if (needed.has(row.id)) anchored.set(row.id, row.hash);
    previous = row.hash;
    expectedId++;
  }
  for (const anchor of anchors) {
    const named = `the anchor of ${anchor.at} (${anchor.reason})`;
    const bad = (id: number, code: AuditBreak, reason: string) => result({ id, code, missing: null, reason, anchor });
    if (anchor.keyedFrom !== seal.keyedFrom)
      return bad(
        Math.min(anchor.keyedFrom || 1, seal.keyedFrom),
        'anchor',
        `${named} says the key started at record ${anchor.keyedFrom}; the database says ${seal.keyedFrom}`,
      );
    if (anchor.records > records)
      return bad(records + 1, 'truncated', `${named} counted ${anchor.records} records; the database has ${records}: the newest were removed`);
    const hash = anchor.records === 0 ? GENESIS_HASH : anchored.get(anchor.records);
    if (hash !== anchor.hash) return bad(anchor.records, 'anchor', `record ${anchor.records} differs from ${named}: the chain was rewritten`);
  }
  return result(null);
}
