// Small caches of results valid while the data they were built from has not changed (many officials
// open the same map and the same scorecards). Each cache names its topics (migration 014); an entry
// built before a write to one of them is never served, and writes to anything else leave it valid.
import type { Db } from '../db/database.ts';
import { dataVersion, type DataTopic } from './data-version.ts';

/** Values by key, each kept until the next write to its topics; the least recently used goes first. */
export class ChangeMemo<T> {
  private readonly entries = new Map<string, { token: number; value: T }>();

  constructor(
    private readonly db: Db,
    private readonly topics: readonly DataTopic[],
    private readonly maxEntries = 16,
    /** Values too big to keep are built and returned but not kept. */
    private readonly keep: (value: T) => boolean = () => true,
  ) {}

  private token(): number {
    return dataVersion(this.db, this.topics);
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
  constructor(db: Db, topics: readonly DataTopic[], maxEntries = 16, maxChars = 64 * 1024 * 1024) {
    super(db, topics, maxEntries, (text) => text.length <= maxChars);
  }
}
