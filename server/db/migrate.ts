// Numbered migrations, applied at start-up in one transaction: a failure leaves the file as it was.
import type { Db } from './database.ts';
import { sql as initial } from './migrations/001-initial.ts';
import { sql as urbanCores } from './migrations/002-urban-cores.ts';
import { sql as siteInsertGuard } from './migrations/003-site-insert-guard.ts';
import { sql as routesAndFieldResults } from './migrations/004-routes-and-field-results.ts';
import { sql as moveDecisions } from './migrations/005-move-decisions.ts';
import { sql as siteFeatureCache } from './migrations/006-site-feature-cache.ts';
import { sql as taskNotes } from './migrations/007-task-notes.ts';
import { sql as accountsAudit } from './migrations/008-accounts-audit.ts';
import { sql as imports } from './migrations/009-imports.ts';
import { sql as basemaps } from './migrations/010-basemaps.ts';
import { widenStatusChecks } from './migrations/011-voided-status.ts';
import { sql as roadWork } from './migrations/012-road-work.ts';
import { sql as provenance } from './migrations/013-provenance.ts';
import { sql as dataVersions } from './migrations/014-data-versions.ts';
import { sql as siteChanges } from './migrations/015-moves-site-changes.ts';
import { sql as importBatchIndex } from './migrations/016-import-batch-index.ts';
import { sql as movePairs } from './migrations/017-move-pairs.ts';
import { sql as importResults } from './migrations/018-import-results.ts';
import { sql as siteHistorySnapshot } from './migrations/019-site-history-snapshot.ts';
import { sql as countyCountsIndex } from './migrations/020-county-counts-index.ts';
import { importWritePath } from './migrations/021-import-write-path.ts';
import { sql as featurePropsDropped } from './migrations/022-feature-props-dropped.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** For a change SQL text alone cannot make (010): run instead of `sql`, inside the same transaction. */
  apply?: (db: Db) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'urban-cores', sql: urbanCores },
  { version: 3, name: 'site-insert-guard', sql: siteInsertGuard },
  { version: 4, name: 'routes-and-field-results', sql: routesAndFieldResults },
  { version: 5, name: 'move-decisions', sql: moveDecisions },
  { version: 6, name: 'site-feature-cache', sql: siteFeatureCache },
  { version: 7, name: 'task-notes', sql: taskNotes },
  { version: 8, name: 'accounts-audit', sql: accountsAudit },
  { version: 9, name: 'imports', sql: imports },
  { version: 10, name: 'basemaps', sql: basemaps },
  { version: 11, name: 'voided-status', sql: '', apply: widenStatusChecks },
  { version: 12, name: 'road-work', sql: roadWork },
  { version: 13, name: 'provenance', sql: provenance },
  { version: 14, name: 'data-versions', sql: dataVersions },
  { version: 15, name: 'site-changes', sql: siteChanges },
  { version: 16, name: 'import-batch-index', sql: importBatchIndex },
  { version: 17, name: 'move-pairs', sql: movePairs },
  { version: 18, name: 'import-results', sql: importResults },
  { version: 19, name: 'site-history-snapshot', sql: siteHistorySnapshot },
  { version: 20, name: 'county-counts-index', sql: countyCountsIndex },
  { version: 21, name: 'import-write-path', sql: '', apply: importWritePath },
  { version: 22, name: 'feature-props-dropped', sql: featurePropsDropped },
];

export function schemaVersion(db: Db): number {
  const table = db.get<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (!table) return 0;
  return db.get<{ v: number | null }>('SELECT max(version) AS v FROM schema_version')?.v ?? 0;
}

/**
 * Applies every migration the file has not yet recorded, in version order. Numbers may have gaps, and
 * a lower number that arrives after a higher one (branches landing in another order) still applies.
 * Returns the versions applied. `onUpdate` hears the migrations about to be applied to a file that
 * already had a schema (some rewrite a table: seconds at 10^6 sites, so start-up says why it waits).
 */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, onUpdate?: (pending: readonly Migration[]) => void): number[] {
  const applied: number[] = [];
  db.transaction(() => {
    db.raw.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const done = new Set(db.all<{ version: number }>('SELECT version FROM schema_version').map((row) => row.version));
    const pending = [...migrations].sort((a, b) => a.version - b.version).filter((migration) => !done.has(migration.version));
    if (done.size && pending.length) onUpdate?.(pending);
    for (const migration of pending) {
      try {
        if (migration.apply) migration.apply(db);
        else db.raw.exec(migration.sql);
      } catch (error) {
        throw new Error(`migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
      }
      db.run('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, new Date().toISOString()]);
      applied.push(migration.version);
    }
  });
  return applied;
}
