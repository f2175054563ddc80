// The version of each kind of data (migration 014 raises it on every write of its tables). A cache,
// an index or an ETag built from some topics is valid while their versions are unchanged.
//
// Read on every cached answer, so the versions are kept in memory per connection and read again
// (all topics in one query) only when someone may have written since the last read: SQLite's
// `PRAGMA data_version` changes when another connection (a worker thread, `npm run users`, another
// process) has committed, and `total_changes()` counts this connection's own row changes (triggers
// included, rolled-back ones too). Neither changing means no table was written, so the kept
// versions are today's (issue #17: the per-topic query was ~6% of a cached answer's time).
import type { Db } from '../db/database.ts';
import type { DataTopic } from '../db/migrations/014-data-versions.ts';

export type { DataTopic } from '../db/migrations/014-data-versions.ts';

interface KnownVersions {
  /** `PRAGMA data_version` when `versions` were read. */
  committedElsewhere: number;
  /** `total_changes()` of this connection when `versions` were read. */
  changedHere: number;
  versions: Map<string, number>;
}

const known = new WeakMap<Db, KnownVersions>();

/** The topics' versions as they are now, read again only after a write by anyone. */
function currentVersions(db: Db): Map<string, number> {
  const committedElsewhere = db.get<{ data_version: number }>('PRAGMA data_version')!.data_version;
  const changedHere = db.get<{ n: number }>('SELECT total_changes() AS n')!.n;
  const last = known.get(db);
  if (last && last.committedElsewhere === committedElsewhere && last.changedHere === changedHere) return last.versions;
  const versions = new Map(db.all<{ topic: string; version: number }>('SELECT topic, version FROM data_versions').map((row) => [row.topic, row.version]));
  known.set(db, { committedElsewhere, changedHere, versions });
  return versions;
}

/**
 * One number for the topics' data as it is now: the sum of their versions, which only grow, so
 * the number changes whenever any of them is written (and never returns to an earlier value).
 */
export function dataVersion(db: Db, topics: readonly DataTopic[]): number {
  const versions = currentVersions(db);
  let sum = 0;
  for (const topic of topics) sum += versions.get(topic) ?? 0;
  return sum;
}

/**
 * Raises a topic's version by hand, for a write its tables' triggers do not see: a bulk write with
 * those triggers suspended (import commit and undo), or a change elsewhere that alters what the
 * topic's readers answer (a place renamed changes the sites' features).
 */
export function raiseDataVersion(db: Db, topic: DataTopic): void {
  db.run('UPDATE data_versions SET version = version + 1 WHERE topic = ?', [topic]);
}
