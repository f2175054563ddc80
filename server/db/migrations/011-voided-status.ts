// 010: the status 已撤销（误录） (voided) for sites entered by mistake (docs/domain.md). Migration 001's CHECK
// lists on sites.status and site_events.from_status/to_status name the seven statuses of its day;
// SQLite cannot alter a CHECK, and rebuilding `sites` would mean rebuilding every table that refers
// to it. Widening an IN list invalidates no stored row, so this takes SQLite's documented path for
// such changes (https://sqlite.org/lang_altertable.html#otheralter): rewrite the table's text in
// sqlite_schema under writable_schema and bump schema_version, inside the migration's transaction.
// A database whose lists already hold 'voided' is left alone.
import type { Db } from '../database.ts';

const LAST_BEFORE = "'relapsed')";
const WIDENED = "'relapsed', 'voided')";

export function widenStatusChecks(db: Db): void {
  const tables = db.all<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name IN ('sites', 'site_events')");
  const stale = tables.filter((table) => !table.sql.includes("'voided'"));
  if (stale.length === 0) return;
  for (const table of stale)
    if (!table.sql.includes(LAST_BEFORE)) throw new Error(`${table.name}: its status CHECK does not end in ${LAST_BEFORE}; widen it by hand`);
  const version = db.get<{ schema_version: number }>('PRAGMA schema_version')!.schema_version;
  // better-sqlite3 opens connections in defensive mode, which forbids writing sqlite_schema.
  db.raw.unsafeMode(true);
  try {
    db.raw.pragma('writable_schema = ON');
    for (const table of stale)
      db.run('UPDATE sqlite_schema SET sql = ? WHERE type = ? AND name = ?', [table.sql.split(LAST_BEFORE).join(WIDENED), 'table', table.name]);
    db.raw.pragma(`schema_version = ${version + 1}`);
  } finally {
    db.raw.pragma('writable_schema = OFF');
    db.raw.unsafeMode(false);
  }
}
