// Migration 021 writes the CHECK lists of the tables an import writes per row (sites, site_events,
// import_rows, import_results) as chains of equalities and moves staged rows' sites from JSON into
// typed columns: on a database made at 020, with rows in it, the lists are gone from the tables'
// text, the rows are kept (a staged site in its columns, the same values), and the checks accept and
// refuse the same values as before (every listed value, NULL where allowed, anything else refused).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../server/db/database.ts';
import { MIGRATIONS, migrate } from '../server/db/migrate.ts';
import { CHECK_LIST_TABLES, equalityChains } from '../server/db/migrations/021-import-write-path.ts';
import { STAGED_FIELDS } from '../server/store/import-store.ts';

const tableSql = (db: Db) =>
  db.all<{ name: string; sql: string }>(
    `SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name IN (${CHECK_LIST_TABLES.map((t) => `'${t}'`).join(', ')}) ORDER BY name`,
  );
const LIST = /\b([a-z_]+) IN \(((?:'[^']*'(?:, )?)+)\)/g;

/** Every (table, column, listed values) of the CHECK lists in the tables' text. */
function lists(db: Db): { table: string; column: string; values: string[] }[] {
  return tableSql(db).flatMap((t) =>
    [...t.sql.matchAll(LIST)].map((m) => ({ table: t.name, column: m[1]!, values: m[2]!.match(/'[^']*'/g)!.map((v) => v.slice(1, -1)) })),
  );
}

/** Inserts a valid row of the table with one column set to `value`: 'ok', 'check' (a CHECK refused it) or the other error's message. */
function tryInsert(db: Db, table: string, column: string, value: string | null): string {
  const rows: Record<string, Record<string, string | number | null>> = {
    sites: {
      name: '点位',
      category: 'sand_yard',
      county_code: '411102',
      precision: 'unlocated',
      source: 'real',
      discovered_on: '2022-01-01',
      created_at: 'x',
      updated_at: 'x',
    },
    site_events: { site_id: 1, to_status: 'discovered', date: '2022-01-01', actor: 'a', created_at: 'x' },
    import_rows: { batch_id: 1, row: 1000, outcome: 'new', errors: '[]', warnings: '[]' },
    import_results: { batch_id: 1, row: 1000, action: 'created' },
  };
  const row = { ...rows[table]!, [column]: value };
  const names = Object.keys(row);
  db.raw.exec('SAVEPOINT probe');
  try {
    db.run(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, Object.values(row));
    return 'ok';
  } catch (error) {
    const message = (error as Error).message;
    return /CHECK constraint failed/.test(message) ? 'check' : message;
  } finally {
    db.raw.exec('ROLLBACK TO probe');
    db.raw.exec('RELEASE probe');
  }
}

describe('migration 021 on a database made at 020', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sansan-021-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the CHECK lists as equality chains, moves staged sites into columns, keeps the rows, and accepts and refuses the same values', () => {
    const path = join(dir, 'old.sqlite');
    let db = openDatabase(path);
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 20),
    );
    db.run(
      "INSERT INTO counties (code, name, kind, geometry, area_km2, min_lon, min_lat, max_lon, max_lat) VALUES ('411102', '源汇区', 'district', '{}', 1, 0, 0, 1, 1)",
    );
    db.run(
      "INSERT INTO sites (name, category, county_code, precision, source, discovered_on, created_at, updated_at) VALUES ('旧点位', 'sand_yard', '411102', 'unlocated', 'real', '2022-01-01', 'x', 'x')",
    );
    db.run("INSERT INTO site_events (site_id, to_status, date, actor, created_at) VALUES (1, 'discovered', '2022-01-01', 'a', 'x')");
    db.run(
      "INSERT INTO import_batches (file_name, format, options, state, counts, created_by, created_at, expires_at) VALUES ('a.csv', 'csv', '{}', 'committed', '{}', 'a', 'x', 'x')",
    );
    // A preview staged before 021: its site as JSON in `data` (StagedSite), and an error row without one.
    const staged = {
      name: '砖窑',
      category: 'brick_kiln',
      address: null,
      countyCode: '411102',
      townshipCode: null,
      villageCode: null,
      managingZone: null,
      lon: 113.95000000000002,
      lat: 33.55,
      precision: 'exact',
      discoveredOn: '2022-01-01',
      deadline: null,
      responsibleUnit: '分局',
      note: '备注',
      status: 'closed',
      statusWord: '已取缔',
    };
    db.run("INSERT INTO import_rows (batch_id, row, outcome, name, data, errors, warnings) VALUES (1, 2, 'new', '砖窑', ?, '[]', '[]')", [
      JSON.stringify(staged),
    ]);
    db.run("INSERT INTO import_rows (batch_id, row, outcome, name, data, errors, warnings) VALUES (1, 3, 'error', NULL, NULL, '[{}]', '[]')");
    db.run("INSERT INTO import_results (batch_id, row, action, site_id, site_version) VALUES (1, 2, 'created', 1, 1)");

    const before = lists(db);
    // The lists the old text holds: every table's, with the statuses of 011.
    expect(new Set(before.map((l) => l.table))).toEqual(new Set(CHECK_LIST_TABLES));
    expect(before.find((l) => l.table === 'site_events' && l.column === 'to_status')!.values).toContain('voided');
    const probes = before.flatMap((l) => [...l.values.map((v) => ({ ...l, value: v as string | null })), { ...l, value: 'not_listed' }, { ...l, value: null }]);
    const answers = probes.map((p) => tryInsert(db, p.table, p.column, p.value));
    // Listed values pass (sites.status only 'discovered': the insert guard of 003 refuses the others).
    expect(answers.filter((a) => a === 'ok').length).toBeGreaterThan(before.length);
    expect(answers.filter((_a, i) => probes[i]!.value === 'not_listed').every((a) => a !== 'ok')).toBe(true);
    const rowsBefore = CHECK_LIST_TABLES.filter((t) => t !== 'import_rows').map((t) => db.all(`SELECT * FROM ${t} ORDER BY 1, 2`));

    // Up to 021, whose work this test reads (022 drops a column of sites).
    const upTo021 = MIGRATIONS.filter((m) => m.version <= 21);
    expect(migrate(db, upTo021)).toEqual([21]);
    db.close();
    // Read from the file again: the rewritten text is the schema SQLite parses.
    db = openDatabase(path);
    try {
      expect(lists(db)).toEqual([]);
      for (const t of tableSql(db)) expect(t.sql).not.toMatch(/ IN \('/);
      expect(tableSql(db).find((t) => t.name === 'sites')!.sql).toContain("status = 'relapsed' OR status = 'voided'");
      expect(CHECK_LIST_TABLES.filter((t) => t !== 'import_rows').map((t) => db.all(`SELECT * FROM ${t} ORDER BY 1, 2`))).toEqual(rowsBefore);
      // The staged site moved from its JSON into the typed columns, the same values; the error row has none.
      const columns = STAGED_FIELDS.map((f) => `${f.column} AS "${f.field}"`).join(', ');
      expect(db.all(`SELECT row, name, data, ${columns} FROM import_rows ORDER BY row`)).toEqual([
        { row: 2, data: null, ...staged },
        { row: 3, data: null, ...Object.fromEntries(['name', ...STAGED_FIELDS.map((f) => f.field)].map((f) => [f, null])) },
      ]);
      expect(probes.map((p) => tryInsert(db, p.table, p.column, p.value))).toEqual(answers);
      expect(db.get<{ integrity_check: string }>('PRAGMA integrity_check')!.integrity_check).toBe('ok');
      // The triggers on the tables are still there.
      expect(() => db.run('DELETE FROM site_events WHERE site_id = 1')).toThrow(/append-only/);
      expect(migrate(db, upTo021)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('leaves other text alone and a text without lists unchanged', () => {
    expect(equalityChains("CHECK (a IN ('x', 'y')) CHECK (b IS NULL OR b IN ('z'))")).toBe("CHECK ((a = 'x' OR a = 'y')) CHECK (b IS NULL OR (b = 'z'))");
    expect(equalityChains('CHECK (id IN (SELECT id FROM t))')).toBe('CHECK (id IN (SELECT id FROM t))');
  });
});
