// Migration 022 drops the feature properties each site kept as JSON text (006's feature_props and its
// two triggers): on Luohe's demo database made at 021, every site's properties built as they are read
// (SITE_PROPERTIES) are the very text the column held, so GET /api/sites answers the same bytes; the
// sites' other columns, their events and the R*Tree are kept. The same migration indexes inspections by
// their saved route, and reopening a route reads that index.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../server/db/database.ts';
import { MIGRATIONS, migrate } from '../server/db/migrate.ts';
import { loadGeodata } from '../server/geodata/load-geodata.ts';
import { generateDemo } from '../server/seed/demo.ts';
import { seedNamedPlaces, seedPlanTasks } from '../server/seed/seed-plan.ts';
import { SITE_PLACES, SITE_PROPERTIES } from '../server/store/site-queries.ts';

const columns = (db: Db) => db.all<{ name: string }>("SELECT name FROM pragma_table_info('sites')").map((c) => c.name);

describe('migration 022 on a database made at 021', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sansan-022-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('drops the kept properties, which equal the ones built on read, and keeps every site, event and R*Tree entry', () => {
    const db = openDatabase(join(dir, 'old.sqlite'));
    try {
      migrate(
        db,
        MIGRATIONS.filter((m) => m.version <= 21),
      );
      db.transaction(() => {
        loadGeodata(db);
        seedPlanTasks(db);
        seedNamedPlaces(db);
        generateDemo(db, { today: '2026-12-03' });
      });
      const kept = db.all<{ id: number; props: string }>('SELECT id, feature_props AS props FROM sites ORDER BY id');
      expect(kept.length).toBeGreaterThan(500);
      expect(kept.every((s) => typeof s.props === 'string')).toBe(true);
      // Some sites name a township and a village, so the joins are tried.
      expect(kept.filter((s) => (JSON.parse(s.props) as { villageName: string | null }).villageName !== null).length).toBeGreaterThan(0);
      const others = columns(db).filter((c) => c !== 'feature_props');
      const rowsBefore = db.all(`SELECT ${others.join(', ')} FROM sites ORDER BY id`);
      const eventsBefore = db.all('SELECT * FROM site_events ORDER BY id');
      const rtreeBefore = db.all('SELECT * FROM sites_rtree ORDER BY id');

      // Start-up is told what is about to update an existing file (npm start prints it: a rewrite of sites takes seconds at 10^6).
      const told: number[][] = [];
      expect(migrate(db, MIGRATIONS, (pending) => told.push(pending.map((m) => m.version)))).toEqual([22]);
      expect(told).toEqual([[22]]);
      expect(migrate(db, MIGRATIONS, (pending) => told.push(pending.map((m) => m.version)))).toEqual([]);
      expect(told).toHaveLength(1);

      expect(columns(db)).toEqual(others);
      expect(db.all("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'sites_feature_props%'")).toEqual([]);
      const built = db.all<{ id: number; props: string }>(`SELECT s.id, ${SITE_PROPERTIES} AS props FROM sites s ${SITE_PLACES} ORDER BY s.id`);
      expect(built).toEqual(kept);
      expect(db.all(`SELECT ${others.join(', ')} FROM sites ORDER BY id`)).toEqual(rowsBefore);
      expect(db.all('SELECT * FROM site_events ORDER BY id')).toEqual(eventsBefore);
      expect(db.all('SELECT * FROM sites_rtree ORDER BY id')).toEqual(rtreeBefore);
      expect(db.get<{ integrity_check: string }>('PRAGMA integrity_check')!.integrity_check).toBe('ok');
      expect(db.all('PRAGMA foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });

  it("reads a route's recorded results through the index on inspections.route_id", () => {
    const db = openDatabase(join(dir, 'routes.sqlite'));
    try {
      // A new file is not an update: nothing is told.
      const told: unknown[] = [];
      migrate(db, MIGRATIONS, (pending) => told.push(pending));
      expect(told).toEqual([]);
      // The query of getRoute (server/store/route-store.ts).
      const plan = db.all<{ detail: string }>(
        'EXPLAIN QUERY PLAN SELECT site_id, result, max(id) AS id FROM inspections WHERE route_id = ? GROUP BY site_id ORDER BY id',
        [1],
      );
      expect(plan.map((step) => step.detail).join(' / ')).toMatch(/USING INDEX inspections_route/);
    } finally {
      db.close();
    }
  });
});
