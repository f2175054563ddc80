// 021: an import's per-row write path made cheaper (issue 18), in two parts.
//
// 1. The CHECK lists of the tables an import writes per row, as chains of equalities.
// `status IN ('discovered', …)` in a CHECK costs SQLite an ephemeral-index probe per row: at 10^5
// imported sites, the lists of `sites` took ~0.22 s of the commit's CPU and those of 172,000
// events ~0.17 s (measured by copying the rows into a table with and without them). The same test as
// `status = 'discovered' OR status = 'rectifying' OR …` costs a few string compares: it accepts and
// refuses exactly the same values (NULL gives NULL both ways, which a CHECK lets through, as before;
// the column's affinity and BINARY collation apply to both). No stored row changes, so this takes
// 011's path (https://sqlite.org/lang_altertable.html#otheralter): the tables' text rewritten in
// sqlite_schema under writable_schema, schema_version bumped, inside the migration's transaction; the
// rewritten tables are read once before it ends, so a text SQLite cannot parse fails the migration
// and leaves the file as it was.
//
// 2. A staged row's site in typed columns of import_rows (STAGED_COLUMNS) instead of a JSON text in
// `data`: the preview built a JSON text per row and the commit read 16 fields back out of it (~0.3 s of
// its CPU at 10^5 rows, and the county check before it parsed every row's JSON again). A row with a
// site has its county_code set (every staged site has a county); an error row has none. `name` (already
// there) is the site's name. Rows staged before are moved into the columns; `data` stays, unused, NULL.
import type { Db } from '../database.ts';

/** The tables written once per imported row: sites and their events, the staged rows and what became of them. */
export const CHECK_LIST_TABLES = ['sites', 'site_events', 'import_rows', 'import_results'] as const;

/** `col IN ('a', 'b')` — a column against a list of plain string literals, as the CHECKs of 001–018 write them. */
const LIST = /\b([a-z_]+) IN \(((?:'[^']*'(?:, )?)+)\)/g;

/** A table's text with every CHECK list of string literals written as a chain of equalities. */
export function equalityChains(sql: string): string {
  return sql.replace(LIST, (_match, column: string, list: string) => {
    const values = list.match(/'[^']*'/g)!;
    return `(${values.map((value) => `${column} = ${value}`).join(' OR ')})`;
  });
}

export function rewriteCheckLists(db: Db): void {
  const tables = db.all<{ name: string; sql: string }>(
    `SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name IN (${CHECK_LIST_TABLES.map(() => '?').join(', ')})`,
    CHECK_LIST_TABLES,
  );
  const changed = tables.map((table) => ({ ...table, sql: equalityChains(table.sql) })).filter((table, i) => table.sql !== tables[i]!.sql);
  if (changed.length === 0) return;
  const version = db.get<{ schema_version: number }>('PRAGMA schema_version')!.schema_version;
  // better-sqlite3 opens connections in defensive mode, which forbids writing sqlite_schema.
  db.raw.unsafeMode(true);
  try {
    db.raw.pragma('writable_schema = ON');
    for (const table of changed) db.run('UPDATE sqlite_schema SET sql = ? WHERE type = ? AND name = ?', [table.sql, 'table', table.name]);
    db.raw.pragma(`schema_version = ${version + 1}`);
  } finally {
    db.raw.pragma('writable_schema = OFF');
    db.raw.unsafeMode(false);
  }
  // The schema is read again here: a text it cannot parse throws inside the migration's transaction.
  for (const table of changed) db.get(`SELECT * FROM ${table.name} LIMIT 0`);
}

/** import_rows' columns for a staged row's site (StagedSite's fields but its name, which is `name`). */
export const STAGED_COLUMNS = {
  category: 'category TEXT',
  address: 'address TEXT',
  countyCode: 'county_code TEXT',
  townshipCode: 'township_code TEXT',
  villageCode: 'village_code TEXT',
  managingZone: 'managing_zone TEXT',
  lon: 'lon REAL',
  lat: 'lat REAL',
  precision: 'precision TEXT',
  discoveredOn: 'discovered_on TEXT',
  deadline: 'deadline TEXT',
  responsibleUnit: 'responsible_unit TEXT',
  note: 'note TEXT',
  status: 'status TEXT',
  statusWord: 'status_word TEXT',
} as const;

export function typedStaging(db: Db): void {
  const have = new Set(db.all<{ name: string }>("SELECT name FROM pragma_table_info('import_rows')").map((c) => c.name));
  const fields = Object.entries(STAGED_COLUMNS) as [string, string][];
  for (const [, column] of fields) if (!have.has(column.split(' ')[0]!)) db.raw.exec(`ALTER TABLE import_rows ADD COLUMN ${column}`);
  db.raw.exec(
    `UPDATE import_rows SET ${fields.map(([field, column]) => `${column.split(' ')[0]} = data ->> '$.${field}'`).join(', ')}, data = NULL WHERE data IS NOT NULL`,
  );
}

export function importWritePath(db: Db): void {
  rewriteCheckLists(db);
  typedStaging(db);
}
