// The one owner of the SQLite connection. Everything else reads and writes through `Db`.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqlParams = readonly unknown[] | Record<string, unknown>;

export class Db {
  constructor(readonly raw: Database.Database) {}

  all<T>(sql: string, params: SqlParams = []): T[] {
    return this.statement(sql).all(params as never) as T[];
  }

  get<T>(sql: string, params: SqlParams = []): T | undefined {
    return this.statement(sql).get(params as never) as T | undefined;
  }

  run(sql: string, params: SqlParams = []): Database.RunResult {
    return this.statement(sql).run(params as never);
  }

  /** Runs `fn` in one transaction (nested calls become savepoints); a throw rolls everything back. */
  transaction<T>(fn: () => T): T {
    return this.raw.transaction(fn)();
  }

  close(): void {
    this.raw.close();
  }

  private readonly cache = new Map<string, Database.Statement>();
  private statement(sql: string): Database.Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.raw.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}

/** Opens (creating if needed) a database file, or ':memory:'. WAL mode and foreign keys on. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('synchronous = NORMAL');
  return new Db(raw);
}
