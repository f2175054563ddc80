// 已撤销（误录） (voided): an admin moves a site entered by mistake there from any status, with a
// reason; it stays in the history and the audit trail and is left out of every figure by default.
// Also the migration that widens the status CHECKs of a database made before voided existed.
import { describe, it, expect, beforeEach } from 'vitest';
import { openDatabase } from '../server/db/database.ts';
import { MIGRATIONS, migrate } from '../server/db/migrate.ts';
import { COUNTED_STATUSES, STATUS_MOVES, VOIDED } from '../domain/statuses.ts';
import { POINTS, bootTestApp, createSite, expectError, moveSite, walk } from './helpers/app.ts';
import type { Harness, SiteCollection, SiteDetail, SiteFeature } from './helpers/app.ts';

let h: Harness;

beforeEach(() => {
  h = bootTestApp();
});

async function sandYard(name = '误录的砂石料场'): Promise<SiteFeature> {
  const [lon, lat] = POINTS['411102'];
  return createSite(h, { name, category: 'sand_yard', lon, lat, discoveredOn: '2022-01-10' }, '411102');
}

const listed = async (query = '') => (await h.get<SiteCollection>(`/api/sites${query}`)).body.features.map((f) => f.id);

describe('voided sites', () => {
  it('is reachable from every status and from nowhere else: terminal', () => {
    for (const status of COUNTED_STATUSES) expect(STATUS_MOVES[status]).toContain(VOIDED);
    expect(STATUS_MOVES[VOIDED]).toEqual([]);
  });

  it('an admin voids a site with a reason: kept in the history and the audit trail; nothing moves it on', async () => {
    const site = await sandYard();
    await walk(h, site.id, ['rectifying', 'closed'], '2022-02-01');
    const res = await h.send<{ site: SiteFeature }>('POST', `/api/sites/${site.id}/events`, { to: 'voided', date: '2022-03-01', note: '与12号重复录入' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.site.properties.status).toBe('voided');
    const detail = (await h.get<SiteDetail>(`/api/sites/${site.id}`)).body;
    expect(detail.events.map((e) => e.to)).toEqual(['discovered', 'rectifying', 'closed', 'voided']);
    expect(detail.events.at(-1)).toMatchObject({ from: 'closed', to: 'voided', note: '与12号重复录入', actor: 'admin' });
    const audit = (
      await h.get<{ records: { action: string; target: string; after: { event: { to: string; note: string } } }[] }>(
        `/api/audit?target=site:${site.id}&action=site.status`,
      )
    ).body.records;
    expect(audit[0]!.after.event).toMatchObject({ to: 'voided', note: '与12号重复录入' });
    for (const to of COUNTED_STATUSES)
      expectError(
        await h.send('POST', `/api/sites/${site.id}/events`, {
          to,
          date: '2022-04-01',
          note: 'x',
          checklist: { cutWater: true, cutPower: true, clearMaterials: true, clearEquipment: true, clearProducts: true },
        }),
        409,
        'status_move_not_allowed',
      );
  });

  it('needs a reason (422) and an admin: county officials and inspectors of the county get 403, and nothing changes', async () => {
    const site = await sandYard();
    expectError(await h.send('POST', `/api/sites/${site.id}/events`, { to: 'voided', date: '2022-03-01' }), 422, 'void_reason_required');
    expectError(await h.send('POST', `/api/sites/${site.id}/events`, { to: 'voided', date: '2022-03-01', note: '   ' }), 422, 'void_reason_required');
    for (const role of ['county', 'inspector'] as const)
      expectError(
        await h.as(role, ['411102']).send('POST', `/api/sites/${site.id}/events`, { to: 'voided', date: '2022-03-01', note: '误录' }),
        403,
        'forbidden',
      );
    expect((await h.get<SiteDetail>(`/api/sites/${site.id}`)).body.properties.status).toBe('discovered');
    // The same official may still make the ordinary moves.
    expect((await h.as('county', ['411102']).send('POST', `/api/sites/${site.id}/events`, { to: 'rectifying', date: '2022-03-01' })).status).toBe(201);
  });

  it('is left out of lists, county counts, scorecards, task progress and route stops unless asked for by status', async () => {
    const kept = await sandYard('真实的砂石料场');
    const voided = await sandYard();
    await moveSite(h, kept.id, 'rectifying', '2022-02-01');
    await moveSite(h, voided.id, 'rectifying', '2022-02-01');
    const counts = async () => {
      const county = (
        await h.get<{ features: { properties: { code: string; sites: number; byStatus: Record<string, number> } }[] }>('/api/counties')
      ).body.features.find((f) => f.properties.code === '411102')!;
      const card = (await h.get<{ sites: number; byStatus: Record<string, number> }>('/api/counties/411102/scorecard?asOf=2022-12-31')).body;
      const task = (await h.get<{ progress: { sites: number } }>('/api/tasks/2')).body;
      return {
        list: (await listed()).length,
        county: county.properties.sites,
        countyRectifying: county.properties.byStatus.rectifying ?? 0,
        card: card.sites,
        cardRectifying: card.byStatus.rectifying ?? 0,
        task: task.progress.sites,
      };
    };
    const before = await counts();
    expect(before.countyRectifying).toBe(2);
    expect(before.cardRectifying).toBe(2);
    await h.send('POST', `/api/sites/${voided.id}/events`, { to: 'voided', date: '2022-03-01', note: '误录' });

    const after = await counts();
    expect(after).toEqual(Object.fromEntries(Object.entries(before).map(([figure, n]) => [figure, n - 1])));
    expect(await listed()).toContain(kept.id);
    expect(await listed()).not.toContain(voided.id);
    expect(await listed('?status=voided')).toEqual([voided.id]);
    expect(await listed(`?asOf=2022-02-15&status=rectifying`)).toEqual([kept.id]);
    const [lon, lat] = POINTS['411102'];
    const plan = await h.send<{ stops: { siteId: number }[] }>('POST', '/api/routes/plan', {
      start: { lon, lat },
      rule: { kind: 'sample', perCounty: 10, counties: ['411102'], seed: 1 },
    });
    expect(plan.status, plan.text).toBe(200);
    expect(plan.body.stops.map((s) => s.siteId)).toEqual([kept.id]);
    // The site itself is still there to read.
    expect((await h.get<SiteDetail>(`/api/sites/${voided.id}`)).body.properties.status).toBe('voided');
  });
});

describe('migration 011 on a database made before voided existed', () => {
  it('widens the status CHECKs, keeps the rows, and still refuses unknown statuses', () => {
    const db = openDatabase(':memory:');
    const old = MIGRATIONS.filter((m) => m.version < 11).map((m) => (m.version === 1 ? { ...m, sql: m.sql.replaceAll(", 'voided'", '') } : m));
    migrate(db, old);
    const tableSql = () => db.all<{ sql: string }>("SELECT sql FROM sqlite_schema WHERE name IN ('sites', 'site_events') ORDER BY name").map((r) => r.sql);
    expect(tableSql().some((sql) => sql.includes("'voided'"))).toBe(false);
    db.run(
      "INSERT INTO counties (code, name, kind, geometry, area_km2, min_lon, min_lat, max_lon, max_lat) VALUES ('411102', '源汇区', 'district', '{}', 1, 0, 0, 1, 1)",
    );
    db.run(
      "INSERT INTO sites (name, category, county_code, precision, source, discovered_on, created_at, updated_at) VALUES ('旧点位', 'sand_yard', '411102', 'unlocated', 'demo', '2022-01-01', 'x', 'x')",
    );
    db.run("INSERT INTO site_events (site_id, to_status, date, actor, created_at) VALUES (1, 'discovered', '2022-01-01', 'a', 'x')");
    expect(() =>
      db.run("INSERT INTO site_events (site_id, from_status, to_status, date, actor, created_at) VALUES (1, 'discovered', 'voided', '2022-02-01', 'a', 'x')"),
    ).toThrow(/CHECK/);

    expect(migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version >= 11).map((m) => m.version));
    // 011 widened the lists; 021 then wrote them as equality chains (status = 'relapsed' OR status = 'voided').
    expect(tableSql().every((sql) => sql.includes("= 'relapsed' OR") && sql.includes("= 'voided')"))).toBe(true);
    db.run("INSERT INTO site_events (site_id, from_status, to_status, date, actor, created_at) VALUES (1, 'discovered', 'voided', '2022-02-01', 'a', 'x')");
    expect(db.get<{ status: string }>('SELECT status FROM sites WHERE id = 1')!.status).toBe('voided');
    expect(() => db.run("INSERT INTO site_events (site_id, to_status, date, actor, created_at) VALUES (1, 'deleted', '2022-03-01', 'a', 'x')")).toThrow(
      /CHECK/,
    );
    expect(db.get<{ integrity_check: string }>('PRAGMA integrity_check')!.integrity_check).toBe('ok');
    // The triggers on the tables are still there.
    expect(() => db.run('DELETE FROM site_events WHERE site_id = 1')).toThrow();
    db.close();
  });
});
