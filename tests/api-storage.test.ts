// Storage guarantees under the API: status always equals the last event, history is append-only,
// a transaction that throws leaves nothing, and migrations apply once or not at all.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/db/database.ts';
import type { Db } from '../server/db/database.ts';
import { MIGRATIONS, migrate, schemaVersion } from '../server/db/migrate.ts';
import { insertSite } from '../server/store/site-mutations.ts';
import { FULL_CHECKLIST, bootTestApp, createSite, moveSite, siteState } from './helpers/app.ts';
import type { Harness } from './helpers/app.ts';

const count = (db: Db, table: string) => db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)!.n;

describe('sites.status always equals the last event', () => {
  let h: Harness;
  let id: number;

  beforeEach(async () => {
    h = bootTestApp();
    id = (await createSite(h, { name: '砂石料场', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2021-01-10' }, '411102')).id;
    await moveSite(h, id, 'rectifying', '2021-02-01');
  });

  it('SQLite refuses a direct UPDATE of sites.status', () => {
    expect(() => h.db.raw.prepare("UPDATE sites SET status = 'closed' WHERE id = ?").run(id)).toThrow(/last site_events row/);
    expect(() => h.db.raw.prepare("UPDATE sites SET status = 'verified'").run()).toThrow(/add an event instead/);
    expect(siteState(h.db, id)).toEqual({ status: 'rectifying', version: 2, events: 2 });
  });

  it('an UPDATE that keeps the status as the last event says is allowed (the guard compares, it does not forbid)', () => {
    h.db.raw.prepare("UPDATE sites SET status = 'rectifying', note = 'ok' WHERE id = ?").run(id);
    expect(h.db.get<{ note: string }>('SELECT note FROM sites WHERE id = ?', [id])!.note).toBe('ok');
  });

  it('inserting an event moves the status, and an out-of-order (earlier) event does not override the later one', () => {
    h.db.run(
      "INSERT INTO site_events (site_id, kind, from_status, to_status, date, actor, created_at) VALUES (?, 'status', 'rectifying', 'upgraded', '2021-03-01', 't', 'x')",
      [id],
    );
    expect(siteState(h.db, id).status).toBe('upgraded');
    h.db.run(
      "INSERT INTO site_events (site_id, kind, from_status, to_status, date, actor, created_at) VALUES (?, 'status', 'discovered', 'closed', '2021-01-15', 't', 'x')",
      [id],
    );
    expect(siteState(h.db, id).status).toBe('upgraded');
  });

  it('every site’s status equals its last event after a run of API writes', async () => {
    await moveSite(h, id, 'closed', '2021-03-01', FULL_CHECKLIST);
    await moveSite(h, id, 'relapsed', '2021-04-01');
    await h.send('PUT', `/api/sites/${id}/location`, { lon: 114.16, lat: 33.57, date: '2021-05-01' });
    const mismatches = h.db.all(
      `SELECT s.id FROM sites s WHERE s.status IS NOT (
         SELECT to_status FROM site_events e WHERE e.site_id = s.id ORDER BY date DESC, id DESC LIMIT 1)`,
    );
    expect(mismatches).toEqual([]);
    expect(siteState(h.db, id)).toEqual({ status: 'relapsed', version: 5, events: 5 });
  });

  it('road_segments.status is guarded the same way', () => {
    expect(() => h.db.raw.prepare("UPDATE road_segments SET status = 'repaired' WHERE id = 1").run()).toThrow(/last road_events row/);
    expect(h.db.get<{ status: string }>('SELECT status FROM road_segments WHERE id = 1')!.status).toBe('reported');
  });
});

describe('history is append-only', () => {
  let h: Harness;
  let id: number;

  beforeEach(async () => {
    h = bootTestApp();
    id = (await createSite(h, { name: '砂石料场', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2021-01-10' }, '411102')).id;
    await moveSite(h, id, 'closed', '2021-02-01', FULL_CHECKLIST);
  });

  it('site_events refuses UPDATE and DELETE', () => {
    const before = h.db.all('SELECT * FROM site_events WHERE site_id = ? ORDER BY id', [id]);
    expect(before).toHaveLength(2);
    expect(() => h.db.raw.prepare("UPDATE site_events SET to_status = 'discovered' WHERE site_id = ?").run(id)).toThrow(/append-only/);
    expect(() => h.db.raw.prepare("UPDATE site_events SET note = 'edited' WHERE site_id = ?").run(id)).toThrow(/append-only/);
    expect(() => h.db.raw.prepare('DELETE FROM site_events WHERE site_id = ?').run(id)).toThrow(/append-only/);
    expect(() => h.db.raw.prepare('DELETE FROM site_events').run()).toThrow(/append-only/);
    expect(h.db.all('SELECT * FROM site_events WHERE site_id = ? ORDER BY id', [id])).toEqual(before);
    expect(siteState(h.db, id).status).toBe('closed');
  });

  it('road_events refuses UPDATE and DELETE', () => {
    const before = count(h.db, 'road_events');
    expect(() => h.db.raw.prepare("UPDATE road_events SET to_status = 'repaired'").run()).toThrow(/append-only/);
    expect(() => h.db.raw.prepare('DELETE FROM road_events WHERE road_id = 1').run()).toThrow(/append-only/);
    expect(count(h.db, 'road_events')).toBe(before);
  });
});

describe('transactions', () => {
  let h: Harness;

  beforeEach(() => {
    h = bootTestApp();
  });

  const newSite = (name: string) => ({
    name,
    category: 'sand_yard' as const,
    countyCode: '411102',
    lon: 113.95,
    lat: 33.55,
    precision: 'exact' as const,
    source: 'real' as const,
    discoveredOn: '2021-01-10',
    actor: 'test',
  });

  it('a transaction that throws midway leaves nothing behind', () => {
    const before = { sites: count(h.db, 'sites'), events: count(h.db, 'site_events'), rtree: count(h.db, 'sites_rtree') };
    expect(() =>
      h.db.transaction(() => {
        insertSite(h.db, newSite('第一个'));
        insertSite(h.db, newSite('第二个'));
        expect(count(h.db, 'sites')).toBe(before.sites + 2); // visible inside
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect({ sites: count(h.db, 'sites'), events: count(h.db, 'site_events'), rtree: count(h.db, 'sites_rtree') }).toEqual(before);
  });

  it('a failing statement inside insertSite rolls back the whole site (no orphan row, no event)', () => {
    const before = { sites: count(h.db, 'sites'), events: count(h.db, 'site_events') };
    // a county that does not exist breaks the foreign key on the first INSERT
    expect(() => insertSite(h.db, { ...newSite('坏县'), countyCode: '999999' })).toThrow();
    // a missing actor fails only the second INSERT (site_events.actor NOT NULL), after the site row went in
    expect(() => insertSite(h.db, { ...newSite('无人'), actor: null as unknown as string })).toThrow(/NOT NULL constraint failed: site_events\.actor/);
    expect({ sites: count(h.db, 'sites'), events: count(h.db, 'site_events') }).toEqual(before);
  });

  it('a nested transaction that throws rolls back only its own part when caught', () => {
    const before = count(h.db, 'sites');
    h.db.transaction(() => {
      insertSite(h.db, newSite('外层'));
      try {
        h.db.transaction(() => {
          insertSite(h.db, newSite('内层'));
          throw new Error('inner');
        });
      } catch {
        // swallowed on purpose
      }
    });
    expect(count(h.db, 'sites')).toBe(before + 1);
    expect(h.db.all<{ name: string }>('SELECT name FROM sites WHERE id > 2').map((r) => r.name)).toEqual(['外层']);
  });

  it('a refused API write leaves no trace (checked at the database)', async () => {
    const site = await createSite(h, { name: '料场', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2021-01-10' }, '411102');
    const snapshot = () => ({ sites: h.db.all('SELECT * FROM sites ORDER BY id'), events: count(h.db, 'site_events') });
    const before = snapshot();
    expect((await h.send('POST', `/api/sites/${site.id}/events`, { to: 'closed', date: '2022-01-01' })).status).toBe(422);
    expect((await h.send('POST', `/api/sites/${site.id}/events`, { to: 'verified', date: '2022-01-01' })).status).toBe(409);
    expect((await h.send('PUT', `/api/sites/${site.id}/location`, { lon: 120, lat: 30 })).status).toBe(422);
    expect((await h.send('PATCH', `/api/sites/${site.id}`, { version: 1, name: '新', township: '不存在镇' })).status).toBe(400);
    expect(snapshot()).toEqual(before);
  });
});

describe('migrations', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sansan-migrate-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const tables = (db: Db) =>
    db.all<{ type: string; name: string; sql: string | null }>("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name");
  const versions = (db: Db) => db.all<{ version: number; name: string; applied_at: string }>('SELECT * FROM schema_version ORDER BY version');

  const LATEST = Math.max(...MIGRATIONS.map((m) => m.version));

  it('on :memory: applies version 1 once; the second run is a no-op', () => {
    const db = openDatabase(':memory:');
    try {
      expect(MIGRATIONS[0]).toMatchObject({ version: 1, name: 'initial' });
      expect(schemaVersion(db)).toBe(0);
      expect(migrate(db, MIGRATIONS.slice(0, 1))).toEqual([1]);
      expect(schemaVersion(db)).toBe(1);
      const after = { tables: tables(db), versions: versions(db) };
      expect(after.versions.map((v) => [v.version, v.name])).toEqual([[1, 'initial']]);
      for (const name of ['sites', 'site_events', 'road_segments', 'road_events', 'tasks', 'counties', 'townships', 'sites_rtree', 'schema_version'])
        expect(after.tables.map((t) => t.name)).toContain(name);
      expect(migrate(db, MIGRATIONS.slice(0, 1))).toEqual([]);
      expect({ tables: tables(db), versions: versions(db) }).toEqual(after);
      // the rest of the list (if any) applies on top, each once
      expect(migrate(db)).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
      expect(migrate(db)).toEqual([]);
      expect(schemaVersion(db)).toBe(LATEST);
      expect(versions(db).map((v) => [v.version, v.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
    } finally {
      db.close();
    }
  });

  it('a failing migration throws naming it and leaves a file exactly as before, also after reopening', () => {
    const file = join(dir, 'sansan.db');
    let db = openDatabase(file);
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    db.run("INSERT INTO meta (key, value) VALUES ('probe', 'kept')");
    const before = { tables: tables(db), versions: versions(db) };
    db.close();

    const next = LATEST + 1;
    db = openDatabase(file);
    const broken = [...MIGRATIONS, { version: next, name: 'broken', sql: 'CREATE TABLE x(a); INSERT INTO nope VALUES (1);' }];
    expect(() => migrate(db, broken)).toThrow(new RegExp(`migration ${next} \\(broken\\) failed: .*nope`));
    // the same connection sees nothing of it
    expect(schemaVersion(db)).toBe(LATEST);
    expect(tables(db).map((t) => t.name)).not.toContain('x');
    db.close();

    db = openDatabase(file);
    try {
      expect(schemaVersion(db)).toBe(LATEST);
      expect(tables(db)).toEqual(before.tables);
      expect(versions(db)).toEqual(before.versions);
      expect(db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'probe'")!.value).toBe('kept');
      // and a good migration with that number still applies afterwards, once
      const good = [...MIGRATIONS, { version: next, name: 'good', sql: 'CREATE TABLE x(a);' }];
      expect(migrate(db, good)).toEqual([next]);
      expect(migrate(db, good)).toEqual([]);
      expect(versions(db).map((v) => [v.version, v.name])).toEqual([...MIGRATIONS.map((m) => [m.version, m.name]), [next, 'good']]);
    } finally {
      db.close();
    }
  });

  it('numbers may have gaps, and a lower number landing after a higher one still applies, once', () => {
    const db = openDatabase(':memory:');
    try {
      // A file migrated before a lower-numbered migration existed (as 008 landed on main after 009 was written).
      const late = MIGRATIONS[MIGRATIONS.length - 2]!;
      const without = MIGRATIONS.filter((m) => m !== late);
      expect(migrate(db, without)).toEqual(without.map((m) => m.version));
      expect(migrate(db)).toEqual([late.version]);
      expect(migrate(db)).toEqual([]);
      expect(versions(db).map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(schemaVersion(db)).toBe(LATEST);
    } finally {
      db.close();
    }
  });

  it('a failing first migration on a new file leaves it without any schema', () => {
    const file = join(dir, 'fresh.db');
    let db = openDatabase(file);
    expect(() => migrate(db, [{ version: 1, name: 'bad-start', sql: 'CREATE TABLE a(x); SELECT * FROM missing;' }])).toThrow(/migration 1 \(bad-start\)/);
    db.close();
    db = openDatabase(file);
    try {
      expect(schemaVersion(db)).toBe(0);
      expect(tables(db).map((t) => t.name)).not.toContain('a');
    } finally {
      db.close();
    }
  });
});
