// The audit trail: a record for every write (in the write's own transaction), a hash chain that
// GET /api/audit/verify recomputes, triggers that refuse UPDATE/DELETE, and an edit made behind the
// server's back (a second connection to the file) caught by verification.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord as ServerAuditRecord } from '../server/store/audit-store.ts';
import { FULL_CHECKLIST, POINTS, bootTestApp, expectError, type Caller, type Harness, type SiteFeature } from './helpers/app.ts';

/** The server's record, with the before/after shapes these tests read. */
type AuditRecord = Omit<ServerAuditRecord, 'before' | 'after'> & {
  before: { properties?: Record<string, unknown> } | null;
  after: { properties?: Record<string, unknown>; reason?: string } | null;
};
interface Verification {
  ok: boolean;
  records: number;
  firstBad: { id: number; code: string; missing: number | null; reason: string } | null;
}

let h: Harness;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sansan-audit-'));
  h = bootTestApp({ path: join(dir, 'sansan.db') });
});
afterEach(() => {
  h.db.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = () => h.db.get<{ n: number }>('SELECT count(*) AS n FROM audit_log')!.n;
const audit = async (query = '', caller: Caller = h) => {
  const res = await caller.get<{ records: AuditRecord[]; nextBefore: number | null }>(`/api/audit${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
};
const verify = async () => (await h.get<Verification>('/api/audit/verify')).body;

async function newSite(county: keyof typeof POINTS, name: string): Promise<number> {
  const res = await h.send<SiteFeature>('POST', '/api/sites', {
    name,
    category: 'sand_yard',
    lon: POINTS[county][0],
    lat: POINTS[county][1],
    discoveredOn: '2022-01-01',
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

describe('audit records', () => {
  it('one per write: who, when, from where, what, before and after', async () => {
    const start = count(); // the harness's admin account
    const id = await newSite('411102', '黄河路料场');
    expect((await h.send('PATCH', `/api/sites/${id}`, { version: 1, name: '黄河路砂石料场' })).status).toBe(200);
    expect((await h.send('POST', `/api/sites/${id}/events`, { to: 'closed', date: '2022-03-01', checklist: FULL_CHECKLIST })).status).toBe(201);
    expect((await h.send('PUT', `/api/sites/${id}/location`, { lon: POINTS['411103'][0], lat: POINTS['411103'][1], date: '2022-04-01' })).status).toBe(200);
    expect((await h.anonymous.send('POST', '/api/session', { username: 'admin', password: 'wrong-password' })).status).toBe(401);
    expect(count()).toBe(start + 5);

    const { records } = await audit();
    expect(records.map((r) => [r.action, r.target, r.counties])).toEqual([
      ['sign_in.failed', 'user:admin', []],
      ['site.move', `site:${id}`, ['411102', '411103']],
      ['site.status', `site:${id}`, ['411102']],
      ['site.edit', `site:${id}`, ['411102']],
      ['site.create', `site:${id}`, ['411102']],
      ['user.create', 'user:admin', []],
    ]);
    const [failed, move, status, edit, create] = records;
    expect(create).toMatchObject({ actor: 'admin', role: 'admin', address: 'in-process', before: null });
    expect(create!.after!.properties).toMatchObject({ name: '黄河路料场', status: 'discovered', county: '411102' });
    expect(edit!.before!.properties).toMatchObject({ name: '黄河路料场' });
    expect(edit!.after!.properties).toMatchObject({ name: '黄河路砂石料场' });
    expect(status!.before!.properties).toMatchObject({ status: 'discovered' });
    expect(status!.after!.properties).toMatchObject({ status: 'closed' });
    expect(move!.before!.properties).toMatchObject({ county: '411102' });
    expect(move!.after!.properties).toMatchObject({ county: '411103' });
    expect(failed).toMatchObject({ actor: null, role: null, after: { reason: 'wrong password' } });
  });

  it('a refused write leaves no record, and a write whose record cannot be written is undone', async () => {
    const id = await newSite('411102', '干河陈木材厂');
    const before = count();
    expectError(await h.send('POST', `/api/sites/${id}/events`, { to: 'verified', date: '2022-03-01' }), 409);
    expect(count()).toBe(before);
    // make appending fail: the site must not be created either
    h.db.raw.exec("CREATE TEMP TRIGGER audit_fails BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit disk full'); END");
    const sites = h.db.get<{ n: number }>('SELECT count(*) AS n FROM sites')!.n;
    expect((await h.send('POST', '/api/sites', { name: '无记录', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2022-01-01' })).status).toBe(
      500,
    );
    expect(h.db.get<{ n: number }>('SELECT count(*) AS n FROM sites')!.n).toBe(sites);
    h.db.raw.exec('DROP TRIGGER audit_fails');
  });

  it('the database refuses UPDATE and DELETE of audit records', () => {
    expect(() => h.db.run("UPDATE audit_log SET actor = 'someone' WHERE id = 1")).toThrow(/audit records cannot be changed/);
    expect(() => h.db.run('DELETE FROM audit_log WHERE id = 1')).toThrow(/audit records cannot be deleted/);
  });
});

describe('GET /api/audit/verify', () => {
  it('passes on an untouched chain and names the record edited behind the server’s back', async () => {
    for (const name of ['一号料场', '二号料场', '三号料场']) await newSite('411102', name);
    expect(await verify()).toMatchObject({ ok: true, records: 4, firstBad: null });

    // a second connection to the same file: drop the guard, change record 3, put the guard back
    const other = new Database(join(dir, 'sansan.db'));
    const guardSql = other.prepare("SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_update'").pluck().get() as string;
    other.exec('DROP TRIGGER audit_log_no_update');
    other.prepare("UPDATE audit_log SET after = replace(after, '二号料场', '合规企业') WHERE id = 3").run();
    other.exec(guardSql);
    other.close();

    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.firstBad).toEqual({ id: 3, code: 'hash', missing: null, reason: expect.stringMatching(/contents do not match/), anchor: null });
  });

  it('names the record after one deleted from the middle', async () => {
    for (const name of ['一号料场', '二号料场', '三号料场']) await newSite('411102', name);
    const other = new Database(join(dir, 'sansan.db'));
    const guardSql = other.prepare("SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_delete'").pluck().get() as string;
    other.exec('DROP TRIGGER audit_log_no_delete');
    other.prepare('DELETE FROM audit_log WHERE id = 2').run();
    other.exec(guardSql);
    other.close();
    expect((await verify()).firstBad).toEqual({ id: 3, code: 'missing', missing: 2, reason: expect.stringMatching(/record 2 is missing/), anchor: null });
  });
});

describe('GET /api/audit', () => {
  it('filters by action, target and county, newest first, in pages', async () => {
    const a = await newSite('411102', '源汇料场');
    await newSite('411103', '郾城料场');
    expect((await audit('?action=site')).records.map((r) => r.action)).toEqual(['site.create', 'site.create']);
    expect((await audit(`?target=site:${a}`)).records).toHaveLength(1);
    expect((await audit('?county=411103')).records.map((r) => r.after?.properties?.name)).toEqual(['郾城料场']);
    const first = await audit('?limit=2');
    expect(first.records.map((r) => r.id)).toEqual([3, 2]);
    expect((await audit(`?limit=2&before=${first.nextBefore}`)).records.map((r) => r.id)).toEqual([1]);
    expectError(await h.get('/api/audit?limit=0'), 400, 'bad_parameter');
    expectError(await h.get('/api/audit?from=2022-13-01'), 400, 'bad_parameter');
  });

  it('county officials see only their counties; inspectors, planners and viewers none', async () => {
    await newSite('411102', '源汇料场');
    await newSite('411103', '郾城料场');
    const official = h.as('county', ['411103']);
    const seen = await audit('', official);
    // the site in their county and their own account (assigned to it); not the other county's site
    expect(seen.records.map((r) => [r.action, r.target])).toEqual([
      ['user.create', 'user:county-411103'],
      ['site.create', 'site:4'],
    ]);
    expectError(await official.get('/api/audit?county=411102'), 403, 'forbidden_county');
    expect((await official.get('/api/audit/verify')).status).toBe(200);
    for (const role of ['planner', 'viewer'] as const) expectError(await h.as(role).get('/api/audit'), 403, 'forbidden');
    expectError(await h.as('inspector', ['411103']).get('/api/audit'), 403, 'forbidden');
  });
});
