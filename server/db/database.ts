// The one owner of the SQLite connection. Everything else reads and writes through `Db`.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqlParams = readonly unknown[] | Record<string, unknown>;

export class Db {
  constructor(
    readonly raw: Database.Database,
    /** Command-line tools keep retrying a busy write until this many ms have passed (0: no retries). */
    private readonly retryBusyForMs = 0,
  ) {}

  all<T>(sql: string, params: SqlParams = []): T[] {
    return this.statement(sql).all(params as never) as T[];
  }

  /** The rows one at a time (exports stream them: memory stays flat however many there are). */
  iterate<T>(sql: string, params: SqlParams = []): IterableIterator<T> {
    return this.statement(sql).iterate(params as never) as IterableIterator<T>;
  }

  /**
   * Runs `fn` inside one read transaction, so several queries (an export's passes) see the same
   * snapshot while other connections write (WAL). For a connection of its own: an export worker's.
   */
  async readSnapshot<T>(fn: () => Promise<T>): Promise<T> {
    this.raw.exec('BEGIN');
    try {
      return await fn();
    } finally {
      this.raw.exec('COMMIT');
    }
  }

  /**
   * Runs `fn`'s reads in one snapshot (a deferred transaction), or inside the caller's transaction when
   * one is open: a data version read with the rows it labels.
   */
  readTogether<T>(fn: () => T): T {
    return this.raw.inTransaction ? fn() : this.raw.transaction(fn).deferred();
  }

  get<T>(sql: string, params: SqlParams = []): T | undefined {
    return this.statement(sql).get(params as never) as T | undefined;
  }

  run(sql: string, params: SqlParams = []): Database.RunResult {
    return this.statement(sql).run(params as never);
  }

  /**
   * Runs `fn` in one transaction (nested calls become savepoints); a throw rolls everything back.
   * It begins IMMEDIATE: the write lock is taken (waiting up to the busy timeout) before the first
   * read, so a transaction that reads and then writes never fails at once because another
   * connection wrote in between (a deferred BEGIN gets SQLITE_BUSY without waiting then).
   */
  transaction<T>(fn: () => T): T {
    if (this.raw.inTransaction || this.retryBusyForMs <= 0) return this.raw.transaction(fn).immediate();
    const deadline = Date.now() + this.retryBusyForMs;
    for (;;) {
      try {
        return this.raw.transaction(fn).immediate();
      } catch (error) {
        if (!isBusyError(error) || Date.now() >= deadline) throw error;
        process.stderr.write('the database is busy with another write; waiting…\n');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
      }
    }
  }

  /** Folds the write-ahead log into the database file and empties it (before a clean stop). */
  checkpoint(): void {
    this.raw.pragma('wal_checkpoint(TRUNCATE)');
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

/** How long a write waits for another connection's write lock before giving up (SQLITE_BUSY). */
export const BUSY_TIMEOUT_MS = 5000;

/** The command-line tools wait this long in all for a busy database (the server may be writing). */
export const CLI_RETRY_BUSY_MS = 60_000;

/** True for SQLite's "another connection holds the lock" errors (after the busy timeout ran out). */
export function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Opens (creating if needed) a database file, or ':memory:'. WAL mode and foreign keys on. */
export function openDatabase(path: string, options: { busyTimeoutMs?: number; retryBusyForMs?: number } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? BUSY_TIMEOUT_MS))}`);
  raw.pragma('synchronous = NORMAL');
  return new Db(raw, options.retryBusyForMs);
}
