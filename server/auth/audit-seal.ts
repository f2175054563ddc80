// What makes the audit trail hard to shorten or rewrite from inside the database: a key the database
// does not hold, and anchors of the chain's head kept outside it.
// - The key (32 random bytes, hex) is SANSAN_AUDIT_KEY, or the file `<database>.audit-key` (mode 0600)
//   created at first start. Records from `keyedFrom` on are authenticated with HMAC-SHA-256 under it;
//   records written before the key existed (databases older than it) stay plain SHA-256, and the
//   point where the key started is recorded in the database and anchored.
// - An anchor is one JSON line {at, reason, records, hash, keyedFrom} appended to
//   `<database>.audit-anchors` (or SANSAN_AUDIT_ANCHORS): at start-up, at every backup and daily.
//   Verification checks the chain against every anchor, so removing the newest records (truncation)
//   or re-hashing the chain with a stolen key contradicts the anchors written before.
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Db } from '../db/database.ts';
import { getMeta, insertMeta } from '../store/meta-store.ts';
import { auditHead, readAnchors, registerAuditSeal, sealOf, type AuditAnchor } from './audit.ts';

export class AuditKeyError extends Error {}

export const auditKeyPath = (dbPath: string) => `${dbPath}.audit-key`;
export const auditAnchorPath = (dbPath: string, env: NodeJS.ProcessEnv = process.env) => env.SANSAN_AUDIT_ANCHORS || `${dbPath}.audit-anchors`;

function keyFromText(text: string, where: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64,}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (trimmed.length >= 32) return Buffer.from(trimmed, 'utf8');
  throw new AuditKeyError(`the audit key in ${where} is too short: give 64 hex digits (or at least 32 characters)`);
}

/**
 * Loads (or, for a database whose records are not keyed yet, creates) the audit key, records where
 * the key starts, and registers both with the audit trail of `db`. ':memory:' databases get a key
 * held only in memory and no anchor file.
 */
export function setUpAuditSeal(db: Db, dbPath: string, env: NodeJS.ProcessEnv = process.env): void {
  const memory = dbPath === ':memory:';
  const keyedFrom = getMeta(db, 'audit_keyed_from');
  const keyFile = auditKeyPath(dbPath);
  let key: Buffer;
  if (env.SANSAN_AUDIT_KEY) key = keyFromText(env.SANSAN_AUDIT_KEY, 'SANSAN_AUDIT_KEY');
  else if (!memory && existsSync(keyFile)) key = keyFromText(readFileSync(keyFile, 'utf8'), keyFile);
  else if (keyedFrom !== undefined)
    throw new AuditKeyError(
      `the audit key is missing: the audit records from ${keyedFrom} on were signed with the key in ${keyFile} (or SANSAN_AUDIT_KEY); restore that file or set the variable`,
    );
  else {
    key = randomBytes(32);
    if (!memory) writeFileSync(keyFile, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  const anchorPath = memory ? null : auditAnchorPath(dbPath, env);
  if (keyedFrom !== undefined) {
    registerAuditSeal(db, { key, keyedFrom: Number(keyedFrom), anchorPath });
    return;
  }
  // The key starts after the records already there (none, on a new database).
  db.transaction(() => {
    const head = auditHead(db);
    insertMeta(db, 'audit_keyed_from', String(head.records + 1));
    registerAuditSeal(db, { key, keyedFrom: head.records + 1, anchorPath });
    anchorAuditHead(db, 'key_started');
  });
}

/** Appends the chain's head (count and last hash; by default the database's now) to the anchor file; returns the anchor. */
export function anchorAuditHead(db: Db, reason: string, head: { records: number; hash: string } = auditHead(db)): AuditAnchor {
  const seal = sealOf(db);
  const anchor: AuditAnchor = { at: new Date().toISOString(), reason, records: head.records, hash: head.hash, keyedFrom: seal.keyedFrom };
  if (seal.anchorPath) appendFileSync(seal.anchorPath, `${JSON.stringify(anchor)}\n`, { mode: 0o600 });
  return anchor;
}

/** The key the database's records are signed with (a backup carries it; see server/ops/backup.ts). */
export const currentAuditKey = (db: Db): Buffer => sealOf(db).key;

/** The newest anchor's time (null when none): the daily anchor is due 24 h after it. */
export function lastAnchorAt(db: Db): string | null {
  return readAnchors(sealOf(db).anchorPath).at(-1)?.at ?? null;
}
