// The site histories saved per `sites` data version (migration 019, server/store/site-history-snapshot.ts):
// read back by a new RelapseState (as after a restart) exactly as the sites and events read afresh, and
// never stale — writes made after the save, by any connection, are read again; a snapshot of another
// format or of a later version than the data is not trusted; a file as migration 018 left it gains the table.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Random } from '../domain/random.ts';
import type { CategoryCode } from '../domain/categories.ts';
import { openDatabase, type Db } from '../server/db/database.ts';
import { migrate } from '../server/db/migrate.ts';
import { sql as siteFeatureCache } from '../server/db/migrations/006-site-feature-cache.ts';
import { openReadOnlyDatabase } from '../server/db/read-only.ts';
import { dataVersion } from '../server/store/data-version.ts';
import { relapseInputs, RelapseState } from '../server/store/relapse-store.ts';
import { decodeHistories, encodeHistories, readHistorySnapshot } from '../server/store/site-history-snapshot.ts';
import { addSiteEvent, insertSite, setSiteLocation } from '../server/store/site-mutations.ts';
import { randomStatusMove } from './helpers/random-status-move.ts';
import { bootTestApp, type Harness } from './helpers/app.ts';

const CATEGORIES: CategoryCode[] = ['sand_yard', 'wood_processing', 'coal_point'];
const NAMES = ['鑫源砂石料场', '新鑫源砂石厂', '宏达"木材"加工厂', '宏达木业\\', '顺发煤炭经营部 😀', '永兴达木业\n二厂'];
const TODAY = '2024-12-31';

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.raw.open) db.close();
});

function newSite(db: Db, random: Random): number {
  const located = random.int(0, 9) > 0;
  return insertSite(db, {
    name: random.pick(NAMES),
    category: random.pick(CATEGORIES),
    countyCode: '411102',
    townshipCode: random.pick([null, '411102001', '411102002']),
    lon: located ? 114.0 + random.range(0, 0.065) : null,
    lat: located ? 33.55 + random.range(0, 0.054) : null,
    precision: located ? 'exact' : 'unlocated',
    source: 'demo',
    discoveredOn: new Date(Date.UTC(2024, 0, 1) + random.int(0, 200) * 86_400_000).toISOString().slice(0, 10),
    deadline: random.pick([null, '2025-03-31']),
    actor: 'test',
  });
}

/** A file with 80 sites and 60 random status moves (seeded), booted as a harness. */
function fixture(seed: number): { h: Harness; file: string; random: Random; ids: number[] } {
  const file = join(mkdtempSync(join(tmpdir(), 'sansan-histories-')), 'histories.sqlite');
  const h = bootTestApp({ path: file });
  open.push(h.db);
  const random = new Random(seed);
  const ids: number[] = [];
  for (let n = 0; n < 80; n++) ids.push(newSite(h.db, random));
  for (let n = 0; n < 60; n++) randomStatusMove(h.db, random, ids, TODAY);
  return { h, file, random, ids };
}

/** A new state on a read-only connection (the analysis thread's, after a restart): where its histories came from, and them. */
function restarted(file: string) {
  const db = openReadOnlyDatabase(file);
  open.push(db);
  const state = new RelapseState(db);
  const sites = state.sites();
  return { from: state.historiesFrom, sites, state };
}

describe('the site histories saved per sites version (migration 019)', () => {
  it('round-trip every field: places and their absence, townships, deadlines, odd names, the first event', () => {
    const { h } = fixture(3);
    const sites = relapseInputs(h.db);
    expect(sites.some((site) => site.lon === null)).toBe(true);
    expect(sites.some((site) => site.township === null) && sites.some((site) => site.township !== null)).toBe(true);
    expect(sites.some((site) => site.deadline !== null)).toBe(true);
    expect(sites.some((site) => site.name.includes('😀')) && sites.some((site) => site.name.includes('\n'))).toBe(true);
    expect(decodeHistories(encodeHistories(sites)!)).toEqual(sites);
  });

  it('are saved by a first full read and read back by a new state as a fresh read gives them', () => {
    const { h, file } = fixture(5);
    const first = new RelapseState(h.db);
    first.sites();
    expect(first.historiesFrom).toBe('read');
    expect(readHistorySnapshot(h.db)?.version).toBe(dataVersion(h.db, ['sites']));
    const again = restarted(file);
    expect(again.from).toBe('saved');
    expect(again.sites).toEqual(relapseInputs(h.db));
  });

  it('are never served stale: writes by another connection after the save (new, moved, voided sites, status moves) are read again', () => {
    const { h, file, random, ids } = fixture(7);
    new RelapseState(h.db).sites();
    const saved = readHistorySnapshot(h.db)!;

    const other = openDatabase(file);
    open.push(other);
    for (let n = 0; n < 5; n++) ids.push(newSite(other, random));
    for (let n = 0; n < 30; n++) randomStatusMove(other, random, ids, TODAY);
    setSiteLocation(other, ids[0]!, { lon: 114.2, lat: 33.6, countyCode: '411102', precision: 'exact', date: TODAY, actor: 'test' });
    addSiteEvent(other, ids[1]!, { to: 'voided', date: TODAY, actor: 'test', note: '误录' }, { today: TODAY });
    other.run("UPDATE sites SET name = '改名后的砂石厂' WHERE id = ?", [ids[2]]);
    expect(dataVersion(h.db, ['sites'])).toBeGreaterThan(saved.version);
    // The snapshot itself is still the one saved before the writes.
    expect(readHistorySnapshot(h.db)!.version).toBe(saved.version);
    expect(relapseInputs(h.db)).not.toEqual(saved.sites);

    const after = restarted(file);
    expect(after.from).toBe('saved');
    expect(after.sites).toEqual(relapseInputs(h.db));
    expect(after.sites.some((site) => site.id === ids[1])).toBe(false);
    expect(after.state.site(ids[2]!)?.name).toBe('改名后的砂石厂');
  });

  it('are not trusted in another format or at a later version than the data', () => {
    const { h, file } = fixture(11);
    new RelapseState(h.db).sites();
    h.db.run("UPDATE site_history_snapshot SET format = 'site-history-0'");
    const other = restarted(file);
    expect(other.from).toBe('read');
    expect(other.sites).toEqual(relapseInputs(h.db));

    // A snapshot claiming a version the data has not reached (a file put back from an older copy).
    h.db.run('UPDATE site_history_snapshot SET sites_version = sites_version + 1000');
    h.db.run("UPDATE sites SET name = '另一个名字' WHERE id = (SELECT min(id) FROM sites)");
    const later = restarted(file);
    expect(later.from).toBe('read');
    expect(later.sites).toEqual(relapseInputs(h.db));
  });

  it('migration 019 adds the empty table to a file as 018 left it; the first read then saves the histories', () => {
    // Booted (geodata loaded), then taken back to the schema 018 left: no snapshot table, 020's
    // indexes as they were before it, 022's column and triggers back (006's text) and its index gone;
    // 19 and later not recorded.
    const file = join(mkdtempSync(join(tmpdir(), 'sansan-histories-018-')), 'old.sqlite');
    const h = bootTestApp({ path: file });
    const db = h.db;
    open.push(db);
    db.raw.exec(`DROP TABLE site_history_snapshot; DROP INDEX sites_county_counts; DROP INDEX sites_unlocated;
      CREATE INDEX sites_county_status ON sites(county_code, status); DROP INDEX inspections_route; DELETE FROM schema_version WHERE version >= 19`);
    db.raw.exec(siteFeatureCache);
    expect(Math.max(...db.all<{ version: number }>('SELECT version FROM schema_version').map((row) => row.version))).toBe(18);
    const random = new Random(13);
    const ids: number[] = [];
    for (let n = 0; n < 20; n++) ids.push(newSite(db, random));
    for (let n = 0; n < 10; n++) randomStatusMove(db, random, ids, TODAY);
    // Read before the migration (a read-only copy not yet migrated): no snapshot, nothing saved, the same sites.
    const before = new RelapseState(db);
    expect(before.sites()).toEqual(relapseInputs(db));
    expect(before.historiesFrom).toBe('read');

    // 021 runs again too: it finds the CHECK lists already rewritten and changes nothing; 022 drops the column again.
    expect(migrate(db)).toEqual([19, 20, 21, 22]);
    expect(db.get<{ n: number }>('SELECT count(*) AS n FROM site_history_snapshot')!.n).toBe(0);
    const state = new RelapseState(db);
    expect(state.sites()).toEqual(relapseInputs(db));
    expect(readHistorySnapshot(db)?.version).toBe(dataVersion(db, ['sites']));
    const again = new RelapseState(db);
    expect(again.sites()).toEqual(relapseInputs(db));
    expect(again.historiesFrom).toBe('saved');
  });
});
