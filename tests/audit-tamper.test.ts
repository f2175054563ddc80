// The audit trail cannot be shortened or rewritten: records are authenticated with HMAC under a key
// kept outside the database (a 0600 file beside it), and the chain's head is anchored in an
// append-only file outside it. Each of the five tamperings — an edit, a deletion, a forged record,
// truncation and a rewrite (even by someone holding the key) — is named by GET /api/audit/verify.
// A database whose records were hashed before the key existed is upgraded at a recorded point.
import Database from 'better-sqlite3';
import { createHash, createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anchorAuditHead, auditAnchorPath, auditKeyPath } from '../server/auth/audit-seal.ts';
import type { AuditRow } from '../server/store/audit-store.ts';
import { bootDatabase } from '../server/bootstrap.ts';
import { bootTestApp, POINTS, type Harness } from './helpers/app.ts';

interface Verification {
  ok: boolean;
  records: number;
  keyedFrom: number;
  anchors: number;
  firstBad: { id: number; code: string; missing: number | null; reason: string; anchor: { at: string; records: number; hash: string } | null } | null;
}

let h: Harness | undefined;
let dir: string;
let dbPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sansan-tamper-'));
  dbPath = join(dir, 'sansan.db');
});
afterEach(() => {
  h?.db.close();
  h = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const verify = async () => {
  const res = await h!.get<Verification>('/api/audit/verify');
  expect(res.status, res.text).toBe(200);
  return res.body;
};

async function records(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await h!.send('POST', '/api/sites', {
      name: `料场${i + 1}`,
      category: 'sand_yard',
      lon: POINTS['411102'][0],
      lat: POINTS['411102'][1],
      discoveredOn: '2022-01-01',
    });
    expect(res.status, res.text).toBe(201);
  }
}

type Row = AuditRow;

/** What a tamperer can compute: SHA-256 (the pre-key scheme), or HMAC when they hold the key. */
function forgeHash(row: Omit<Row, 'hash'>, key: Buffer | null): string {
  const canonical = JSON.stringify([row.id, row.at, row.actor, row.role, row.address, row.action, row.target, row.counties, row.before, row.after]);
  const digest = key ? createHmac('sha256', key) : createHash('sha256');
  return digest.update(row.prev_hash).update('\n').update(canonical).digest('hex');
}

/** A second connection to the file with the guard triggers dropped, as someone editing it by hand would. */
function tamper(edit: (db: Database.Database) => void): void {
  const other = new Database(dbPath);
  const triggers = other.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").pluck().all() as string[];
  other.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete');
  edit(other);
  for (const sql of triggers) other.exec(sql);
  other.close();
}

/** Rewrites record `from` and re-hashes every record after it so the chain links up again. */
function rewriteFrom(db: Database.Database, from: number, key: Buffer | null): void {
  db.prepare("UPDATE audit_log SET after = replace(after, '料场2', '合规企业') WHERE id = ?").run(from);
  const rows = db.prepare('SELECT * FROM audit_log WHERE id >= ? ORDER BY id').all(from) as Row[];
  let previous =
    (db
      .prepare('SELECT hash FROM audit_log WHERE id = ?')
      .pluck()
      .get(from - 1) as string | undefined) ?? '0'.repeat(64);
  // prev_hash is UNIQUE: park every hash first, then write the new ones in order.
  db.prepare("UPDATE audit_log SET prev_hash = printf('%064d', id), hash = printf('%064d', id) WHERE id >= ?").run(from);
  for (const row of rows) {
    const hash = forgeHash({ ...row, prev_hash: previous }, key);
    db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?').run(previous, hash, row.id);
    previous = hash;
  }
}

describe('the key', () => {
  it('is created at first start in a 0600 file beside the database, which does not hold it', () => {
    h = bootTestApp({ path: dbPath });
    const keyFile = auditKeyPath(dbPath);
    expect(existsSync(keyFile)).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const dump = h.db
      .all<{ value: string }>('SELECT value FROM meta')
      .map((row) => row.value)
      .join('\n');
    expect(dump).not.toContain(key);
  });

  it('a database whose records are keyed will not start without its key', () => {
    h = bootTestApp({ path: dbPath });
    h.db.close();
    h = undefined;
    rmSync(auditKeyPath(dbPath));
    expect(() => bootDatabase(dbPath, { demo: false })).toThrow(/audit key/);
  });
});

describe('the five tamperings', () => {
  beforeEach(async () => {
    h = bootTestApp({ path: dbPath });
    await records(5); // records 1 (the admin account) to 6
    expect(await verify()).toMatchObject({ ok: true, records: 6, keyedFrom: 1, firstBad: null });
  });

  it('an edit names the record', async () => {
    tamper((db) => db.prepare("UPDATE audit_log SET after = replace(after, '料场2', '合规企业') WHERE id = 3").run());
    expect((await verify()).firstBad).toMatchObject({ id: 3, code: 'hash' });
  });

  it('a deletion names the record that is gone', async () => {
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE id = 3').run());
    expect((await verify()).firstBad).toMatchObject({ id: 4, code: 'missing', missing: 3 });
  });

  it('a forged record appended at the end (hashed the way the chain links) is named', async () => {
    tamper((db) => {
      const last = db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT 1').get() as Row;
      const row = { ...last, id: 7, action: 'site.delete', target: 'site:99', prev_hash: last.hash };
      db.prepare('INSERT INTO audit_log VALUES (@id, @at, @actor, @role, @address, @action, @target, @counties, @before, @after, @prev_hash, @hash)').run({
        ...row,
        hash: forgeHash(row, null),
      });
    });
    const result = await verify();
    expect(result.records).toBe(7);
    expect(result.firstBad).toMatchObject({ id: 7, code: 'hash' });
  });

  it('truncation (the newest records removed) contradicts the last anchor', async () => {
    anchorAuditHead(h!.db, 'daily');
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE id > 4').run());
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.firstBad).toMatchObject({ id: 5, code: 'truncated', anchor: { records: 6 } });
    expect(result.firstBad!.reason).toMatch(/6 records/);
  });

  it('a rewrite (an edit and every later record re-hashed) is caught without the key, and by the anchor with it', async () => {
    anchorAuditHead(h!.db, 'daily');
    tamper((db) => rewriteFrom(db, 3, null));
    expect((await verify()).firstBad).toMatchObject({ id: 3, code: 'hash' });

    const key = Buffer.from(readFileSync(auditKeyPath(dbPath), 'utf8').trim(), 'hex');
    tamper((db) => rewriteFrom(db, 3, key));
    const result = await verify();
    expect(result.firstBad).toMatchObject({ id: 6, code: 'anchor', anchor: { records: 6 } });
    expect(result.firstBad!.reason).toMatch(/rewritten/);
  });
});

describe('a database made before the key', () => {
  it('keeps its old records verified by hash; the key starts at a recorded, anchored point', async () => {
    // Records hashed without a key, as before: a database with no key file and no starting point.
    h = bootTestApp({ path: dbPath });
    await records(2);
    h.db.close();
    h = undefined;
    tamper((db) => {
      db.prepare("DELETE FROM meta WHERE key = 'audit_keyed_from'").run();
      const rows = db.prepare('SELECT * FROM audit_log ORDER BY id').all() as Row[];
      db.prepare("UPDATE audit_log SET prev_hash = printf('%064d', id), hash = printf('%064d', id)").run();
      let previous = '0'.repeat(64);
      for (const row of rows) {
        const hash = forgeHash({ ...row, prev_hash: previous }, null);
        db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?').run(previous, hash, row.id);
        previous = hash;
      }
    });
    rmSync(auditKeyPath(dbPath));
    rmSync(auditAnchorPath(dbPath));

    h = bootTestApp({ path: dbPath });
    await records(1);
    const result = await verify();
    expect(result).toMatchObject({ ok: true, records: 4, keyedFrom: 4 });
    const anchors = readFileSync(auditAnchorPath(dbPath), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { reason: string; records: number; keyedFrom: number });
    expect(anchors[0]).toMatchObject({ reason: 'key_started', records: 3, keyedFrom: 4 });

    // Rewriting the old records by hash alone now contradicts the key's starting anchor.
    h.db.close();
    h = undefined;
    tamper((db) => rewriteFrom(db, 2, null));
    h = bootTestApp({ path: dbPath });
    const after = await verify();
    expect(after.ok).toBe(false);
    expect(after.firstBad!.id).toBeLessThanOrEqual(4);
  });
});
