// A small cache of built responses for identical read queries (many officials open the same map).
// An entry is valid while the database has not changed: SQLite's total_changes() counts every row
// this connection (the server's only one) inserted, updated or deleted.
import type { Db } from '../db/database.ts';

export class ResponseCache {
  private readonly entries = new Map<string, { token: number; text: string }>();

  constructor(
    private readonly db: Db,
    private readonly maxEntries = 16,
    private readonly maxChars = 64 * 1024 * 1024,
  ) {}

  private token(): number {
    return this.db.get<{ n: number }>('SELECT total_changes() AS n')!.n;
  }

  get(key: string, build: () => string): string {
    const token = this.token();
    const hit = this.entries.get(key);
    if (hit && hit.token === token) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.text;
    }
    const text = build();
    if (text.length <= this.maxChars) {
      this.entries.set(key, { token, text });
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    return text;
  }
}
