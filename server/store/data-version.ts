// The version of each kind of data (migration 014 raises it on every write of its tables). A cache,
// an index or an ETag built from some topics is valid while their versions are unchanged.
import type { Db } from '../db/database.ts';
import type { DataTopic } from '../db/migrations/014-data-versions.ts';

export type { DataTopic } from '../db/migrations/014-data-versions.ts';

/**
 * One number for the topics' data as it is now: the sum of their versions, which only grow, so
 * the number changes whenever any of them is written (and never returns to an earlier value).
 */
export function dataVersion(db: Db, topics: readonly DataTopic[]): number {
  let sum = 0;
  for (const topic of topics) sum += db.get<{ version: number }>('SELECT version FROM data_versions WHERE topic = ?', [topic])?.version ?? 0;
  return sum;
}
