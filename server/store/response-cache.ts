// Small caches of results valid while the database has not changed (many officials open the same
// map and the same scorecards). SQLite's total_changes() counts every row this connection (the
// server's only one) inserted, updated or deleted, so an entry built before a write is never served.
import type { Db } from '../db/database.ts';

/** Values by key, each kept until the next write; the least recently used goes first. */
export class ChangeMemo<T> {
  private readonly entries = new Map<string, { token: number; value: T }>();

  constructor(
    private readonly db: Db,
    private readonly maxEntries = 16,
    /** Values too big to keep are built and returned but not kept. */
    private readonly keep: (value: T) => boolean = () => true,
  ) {}

  private token(): number {
    return this.db.get<{ n: number }>('SELECT total_changes() AS n')!.n;
  }

  get(key: string, build: () => T): T {
    const token = this.token();
    const hit = this.entries.get(key);
    if (hit && hit.token === token) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = build();
    if (this.keep(value)) {
      this.entries.set(key, { token, value });
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    return value;
  }
}

/** Built response texts of identical read queries, up to `maxChars` each. */
export class ResponseCache extends ChangeMemo<string> {
  constructor(db: Db, maxEntries = 16, maxChars = 64 * 1024 * 1024) {
    super(db, maxEntries, (text) => text.length <= maxChars);
  }
}
