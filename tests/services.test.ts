// The use cases of server/services/ called directly, as the CLI and scripts may: no HTTP in
// between, the same checks, the write and its audit record in one transaction.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../server/db/database.ts';
import { listAudit } from '../server/store/audit-store.ts';
import { AppError } from '../server/errors.ts';
import { createSite, moveSiteStatus } from '../server/services/sites.ts';
import type { Actor, ServiceContext } from '../server/services/service-context.ts';
import { bootTestApp, POINTS, siteState, type Harness } from './helpers/app.ts';

const ADMIN: Actor = { username: 'operator', role: 'admin', counties: [], address: 'command line' };
const COUNTY: Actor = { username: 'yuanhui', role: 'county', counties: ['411102'], address: null };
const sandYard = (name: string, [lon, lat]: readonly [number, number] = POINTS['411102']) => ({
  name,
  category: 'sand_yard' as const,
  lon,
  lat,
  discoveredOn: '2022-01-01',
});
const sites = (db: Db) => db.get<{ n: number }>('SELECT count(*) AS n FROM sites')!.n;
const auditRecords = (db: Db) => db.get<{ n: number }>('SELECT count(*) AS n FROM audit_log')!.n;

let dir: string;
let h: Harness;
let ctx: ServiceContext;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sansan-services-'));
  h = bootTestApp({ path: join(dir, 'sansan.db') });
  ctx = h.ctx;
});
afterEach(() => {
  h.db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('services called directly', () => {
  it('createSite writes the site in the county holding it and one audit record naming the actor', () => {
    const id = createSite(ctx, ADMIN, sandYard('直接调用料场'));
    expect(h.db.get<{ county_code: string }>('SELECT county_code FROM sites WHERE id = ?', [id])!.county_code).toBe('411102');
    const [record] = listAudit(h.db, { target: `site:${id}`, limit: 5 }).records;
    expect(record).toMatchObject({ action: 'site.create', actor: 'operator', role: 'admin', address: 'command line', counties: ['411102'] });
  });

  it('refuses a position outside every county with 422 and writes nothing', () => {
    const [before, records] = [sites(h.db), auditRecords(h.db)];
    expect(() => createSite(ctx, ADMIN, sandYard('界外料场', [100, 30]))).toThrow(expect.objectContaining({ status: 422, code: 'outside_counties' }));
    expect([sites(h.db), auditRecords(h.db)]).toEqual([before, records]);
  });

  it('only an admin may void a site: a county official gets 403 and nothing is written', () => {
    const id = createSite(ctx, ADMIN, sandYard('误录料场'));
    const before = siteState(h.db, id);
    let refused: unknown;
    try {
      moveSiteStatus(ctx, COUNTY, id, { to: 'voided', date: '2022-02-01', note: '误录' });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 403, code: 'forbidden' });
    expect(siteState(h.db, id)).toEqual(before);
    moveSiteStatus(ctx, ADMIN, id, { to: 'voided', date: '2022-02-01', note: '误录' });
    expect(siteState(h.db, id).status).toBe('voided');
    expect(listAudit(h.db, { target: `site:${id}`, limit: 1 }).records[0]).toMatchObject({ action: 'site.status', actor: 'operator' });
  });

  it('the write and its audit record are one transaction: when the audit record cannot be written, the site is not either', () => {
    // A second connection to the same file has no audit key loaded, so appendAudit throws after insertSite ran.
    const other = openDatabase(join(dir, 'sansan.db'));
    try {
      const before = sites(h.db);
      expect(() => createSite({ ...ctx, db: other }, ADMIN, sandYard('无审计料场'))).toThrow(/audit key is not loaded/);
      expect(sites(h.db)).toBe(before);
    } finally {
      other.close();
    }
  });
});
