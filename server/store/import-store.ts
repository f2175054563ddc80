// Ledger import batches: staging a preview, committing it in one transaction, undoing it as a
// whole, listing batches, saved column mappings. Every write takes who did it (`actor`) and runs in
// one transaction, so a permission check and an audit record can wrap each of them.
import type { Db } from '../db/database.ts';
import { conflict, badRequest, notFound } from '../errors.ts';
import type { LedgerField } from '../../domain/ledger-columns.ts';
import type { ExistingSite, JudgedRow, Outcome, StagedSite } from '../import/judge-rows.ts';
import { STAGED_COLUMNS } from '../db/migrations/021-import-write-path.ts';
import { raiseDataVersion } from './data-version.ts';
import type { ImportFormat } from '../import/read-table.ts';

/** A preview is kept this long for its commit; then it is discarded. */
export const PREVIEW_HOURS = 24;

export type Counts = Record<Outcome | 'rows' | 'warnings', number>;
export interface CommitCounts {
  created: number;
  updated: number;
  skipped: number;
  errors: number;
}

export interface NewPreview {
  fileName: string;
  format: ImportFormat;
  options: Record<string, unknown>;
  rows: readonly JudgedRow[];
}

const nowIso = () => new Date().toISOString();

export function previewCounts(rows: readonly Pick<JudgedRow, 'outcome' | 'warnings'>[]): Counts {
  const counts: Counts = { rows: rows.length, new: 0, update: 0, duplicate: 0, error: 0, warnings: 0 };
  for (const row of rows) {
    counts[row.outcome]++;
    if (row.warnings.length) counts.warnings++;
  }
  return counts;
}

/** Every site, for duplicate checks (name, address, position); read on the import thread for a database file. */
export function existingSites(db: Db): ExistingSite[] {
  return db.all<ExistingSite>('SELECT id, name, address, lon, lat FROM sites');
}

/** Discards previews past their expiry (their staged rows go; the batch stays as 'discarded'). */
export function purgeExpiredPreviews(db: Db, now: string = nowIso()): void {
  db.transaction(() => {
    // Discarded ones too: a preview whose staging was cut short (openStaging) keeps rows until then.
    db.run("DELETE FROM import_rows WHERE batch_id IN (SELECT id FROM import_batches WHERE state IN ('preview', 'discarded') AND expires_at < ?)", [now]);
    db.run("UPDATE import_batches SET state = 'discarded' WHERE state = 'preview' AND expires_at < ?", [now]);
  });
}

/** Rows per multi-row INSERT / UPDATE of a bulk commit or a staged preview. */
const CHUNK = 500;

/**
 * Opens a batch for a preview staged in several transactions (a large file, judged in batches between
 * which the server answers others): it is 'discarded' — listed nowhere, committable never — until
 * publishPreview. A kill in between leaves only such a batch, whose rows the next purge removes.
 */
export function openStaging(db: Db, preview: Omit<NewPreview, 'rows'>, actor: string, now: string = nowIso()): number {
  const expires = new Date(Date.parse(now) + PREVIEW_HOURS * 3_600_000).toISOString();
  return Number(
    db.run(
      `INSERT INTO import_batches (file_name, format, options, state, counts, created_by, created_at, expires_at)
       VALUES (?, ?, ?, 'discarded', '{}', ?, ?, ?)`,
      [preview.fileName, preview.format, JSON.stringify(preview.options), actor, now, expires],
    ).lastInsertRowid,
  );
}

/** A staged site's fields and their import_rows columns (migration 021), in the order they are written. */
export const STAGED_FIELDS = (Object.entries(STAGED_COLUMNS) as [Exclude<keyof StagedSite, 'name'>, string][]).map(([field, column]) => ({
  field,
  column: column.split(' ')[0]!,
}));
const STAGE_HEAD = `INSERT INTO import_rows (batch_id, row, outcome, name, errors, warnings, duplicate_of, ${STAGED_FIELDS.map((f) => f.column).join(', ')})`;

/** A row's issues as stored: most rows have none. */
const issuesJson = (issues: readonly unknown[]) => (issues.length ? JSON.stringify(issues) : '[]');

/**
 * How a staged row's values are written: the multi-row INSERT of n rows (by n), the values bound per
 * row, and what writes them from the row into the parameters at `k`.
 */
interface StageShape {
  width: number;
  statement(n: number): string;
  write(params: unknown[], k: number, id: number, row: JudgedRow): number;
}

function stageShape(tuple: string[], write: StageShape['write']): StageShape {
  const sql = new Map<number, string>();
  const one = `(${tuple.join(', ')})`;
  return {
    width: tuple.filter((value) => value === '?').length,
    statement(n) {
      let text = sql.get(n);
      if (!text) sql.set(n, (text = `${STAGE_HEAD} VALUES ${new Array<string>(n).fill(one).join(', ')}`));
      return text;
    },
    write,
  };
}

const siteValues = (params: unknown[], k: number, site: StagedSite | null): number => {
  if (site) for (const f of STAGED_FIELDS) params[k++] = site[f.field];
  else for (let j = 0; j < STAGED_FIELDS.length; j++) params[k++] = null;
  return k;
};
const sitePlaces = STAGED_FIELDS.map(() => '?');

/** Any row: every value bound. */
export const FULL_STAGE = stageShape(['?', '?', '?', '?', '?', '?', '?', ...sitePlaces], (params, k, id, row) => {
  params[k++] = id;
  params[k++] = row.row;
  params[k++] = row.outcome;
  params[k++] = row.name;
  params[k++] = issuesJson(row.errors);
  params[k++] = issuesJson(row.warnings);
  params[k++] = row.duplicateOf ? JSON.stringify(row.duplicateOf) : null;
  return siteValues(params, k, row.site);
});

/**
 * A new site with no issue and no duplicate (most rows of a ledger): its outcome, issue lists and
 * duplicate are written in the statement instead of bound (better-sqlite3 binds a text in ~110 ns).
 */
const PLAIN_NEW_STAGE = stageShape(['?', '?', "'new'", '?', "'[]'", "'[]'", 'NULL', ...sitePlaces], (params, k, id, row) => {
  params[k++] = id;
  params[k++] = row.row;
  params[k++] = row.name;
  return siteValues(params, k, row.site);
});

/** Whether PLAIN_NEW_STAGE writes the row as FULL_STAGE would. */
export const plainNew = (row: JudgedRow): boolean =>
  row.outcome === 'new' && row.site !== null && row.errors.length === 0 && row.warnings.length === 0 && row.duplicateOf === null;

/** A site's fields many ledgers leave empty (no such column): written as NULL for a bare new row. */
const OFTEN_EMPTY = new Set<keyof StagedSite>(['townshipCode', 'villageCode', 'managingZone', 'deadline', 'responsibleUnit', 'note']);
const FILLED_FIELDS = STAGED_FIELDS.filter((f) => !OFTEN_EMPTY.has(f.field));

/** A plain new row with every OFTEN_EMPTY field null (a ledger without those columns): those are not bound either. */
const BARE_NEW_STAGE = stageShape(
  ['?', '?', "'new'", '?', "'[]'", "'[]'", 'NULL', ...STAGED_FIELDS.map((f) => (OFTEN_EMPTY.has(f.field) ? 'NULL' : '?'))],
  (params, k, id, row) => {
    params[k++] = id;
    params[k++] = row.row;
    params[k++] = row.name;
    for (const f of FILLED_FIELDS) params[k++] = row.site![f.field];
    return k;
  },
);

/** The shape a row is staged in: the one binding the fewest values that writes it as FULL_STAGE would. */
export function stageShapeOf(row: JudgedRow): StageShape {
  if (!plainNew(row)) return FULL_STAGE;
  for (const field of OFTEN_EMPTY) if (row.site![field] !== null) return PLAIN_NEW_STAGE;
  return BARE_NEW_STAGE;
}

/** Rows per INSERT of staged rows: CHUNK, and for the rest of a batch fewer (a few statements per shape to prepare, not one per row count). */
const STAGE_SIZES = [CHUNK, 125, 25, 5, 1];

/** Stages rows in one shape, each INSERT the largest of STAGE_SIZES that fits, its parameters straight into one array. */
export function stageAs(db: Db, shape: StageShape, id: number, rows: readonly JudgedRow[]): void {
  for (let start = 0; start < rows.length;) {
    const end = start + STAGE_SIZES.find((size) => size <= rows.length - start)!;
    const params = new Array<unknown>((end - start) * shape.width);
    let k = 0;
    for (let i = start; i < end; i++) k = shape.write(params, k, id, rows[i]!);
    db.run(shape.statement(end - start), params);
    start = end;
  }
}

/**
 * Stages judged rows of an open batch: a row's site in typed columns (none for an error row), each row
 * in its shape (stageShapeOf: the plain new rows binding fewer values, the others every value).
 */
export function stageRows(db: Db, id: number, rows: readonly JudgedRow[]): void {
  const byShape = new Map<StageShape, JudgedRow[]>([BARE_NEW_STAGE, PLAIN_NEW_STAGE, FULL_STAGE].map((shape) => [shape, []]));
  for (const row of rows) byShape.get(stageShapeOf(row))!.push(row);
  db.transaction(() => {
    for (const [shape, shaped] of byShape) stageAs(db, shape, id, shaped);
  });
}

/** Makes a staged batch the preview waiting for its commit. */
export function publishPreview(db: Db, id: number, counts: Counts): void {
  db.run("UPDATE import_batches SET state = 'preview', counts = ? WHERE id = ? AND state = 'discarded'", [JSON.stringify(counts), id]);
}

/** Removes the rows of a batch whose staging failed half way (the batch stays discarded). */
export function dropStaging(db: Db, id: number): void {
  db.transaction(() => db.run("DELETE FROM import_rows WHERE batch_id = ? AND batch_id IN (SELECT id FROM import_batches WHERE state = 'discarded')", [id]));
}

interface BatchRow {
  id: number;
  file_name: string;
  format: ImportFormat;
  options: string;
  state: 'preview' | 'committed' | 'undoing' | 'undone' | 'discarded';
  counts: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  committed_by: string | null;
  committed_at: string | null;
  undone_by: string | null;
  undone_at: string | null;
}

export function batchRow(db: Db, id: number): BatchRow {
  const row = db.get<BatchRow>('SELECT * FROM import_batches WHERE id = ?', [id]);
  if (!row) throw notFound(`import ${id} does not exist`, { kind: 'import', id });
  return row;
}

export interface Clock {
  now?: string;
  today?: string;
}

/** The columns of a site a ledger row may update; kept per row before the update, for undo. */
export const UPDATED_COLUMNS = [
  'category',
  'address',
  'county_code',
  'township_code',
  'village_code',
  'managing_zone',
  'lon',
  'lat',
  'precision',
  'deadline',
  'responsible_unit',
  'note',
  'updated_at',
] as const;
/**
 * Per-row triggers an undo suspends inside its transaction while it deletes the batch's events and
 * created sites, each replaced by one statement over the batch: the R*Tree entries, the site_changes
 * rows (015) and one bump of the `sites` data version; the status of a site the batch updated is set
 * from its last remaining event once, after the deletes. The append-only guard on site_events stays.
 */
const UNDO_SUSPENDED_TRIGGERS = [
  'site_events_undo_status',
  'site_events_version_delete',
  'site_events_change_delete',
  'sites_rtree_delete',
  'sites_version_delete',
  'sites_change_delete',
];

/** Drops the named triggers inside the caller's transaction; returns what puts them back. */
export function suspendTriggers(db: Db, names: readonly string[]): () => void {
  const saved = db.all<{ name: string; sql: string }>(
    `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (${names.map(() => '?').join(', ')}) ORDER BY name`,
    names,
  );
  for (const trigger of saved) db.raw.exec(`DROP TRIGGER ${trigger.name}`);
  return () => {
    for (const trigger of saved) db.raw.exec(trigger.sql);
  };
}

/**
 * Every county a batch writes or wrote: the staged rows' counties and those of the sites it would
 * update (for a preview), or of the sites it created or updated (once committed).
 */
export function batchCounties(db: Db, batchId: number): string[] {
  return db
    .all<{ county: string | null }>(
      `SELECT r.county_code AS county FROM import_rows r LEFT JOIN import_results m ON m.batch_id = r.batch_id AND m.row = r.row
       WHERE r.batch_id = ? AND r.county_code IS NOT NULL AND m.action IS NOT 'skipped'
       UNION SELECT s.county_code FROM import_rows r LEFT JOIN import_results m ON m.batch_id = r.batch_id AND m.row = r.row
       JOIN sites s ON s.id = coalesce(m.site_id, json_extract(r.duplicate_of, '$.siteId'))
       WHERE r.batch_id = ? AND m.action IS NOT 'skipped' AND m.action IS NOT 'created'`,
      [batchId, batchId],
    )
    .map((row) => row.county)
    .filter((county): county is string => county !== null);
}

/**
 * Rows of a committed batch whose site changed since: edited, moved, re-imported (version), inspected,
 * linked to a task or judged in a move decision after the commit, or gone.
 */
const CHANGED_SINCE_COMMIT = /* sql */ `
  SELECT r.row, r.site_id AS siteId FROM import_results r JOIN import_batches b ON b.id = r.batch_id LEFT JOIN sites s ON s.id = r.site_id
  WHERE r.batch_id = ? AND r.action IN ('created', 'updated') AND (
    s.id IS NULL OR s.version <> r.site_version
    OR EXISTS (SELECT 1 FROM inspections i WHERE i.site_id = r.site_id AND i.created_at >= b.committed_at)
    OR EXISTS (SELECT 1 FROM task_sites t WHERE t.site_id = r.site_id AND t.linked_at >= b.committed_at)
    OR EXISTS (SELECT 1 FROM move_decisions m WHERE (m.from_site = r.site_id OR m.to_site = r.site_id) AND m.decided_at >= b.committed_at))
  ORDER BY r.row`;

/**
 * Undoes a committed batch as a whole — deletes the sites it created and the events it wrote, restores
 * the sites it updated — while none of them has changed since (else 409 listing them). On a preview,
 * discards it.
 */
export function undoImport(db: Db, batchId: number, actor: string, clock: Clock = {}): { state: 'undone' | 'discarded'; removed: number; restored: number } {
  const now = clock.now ?? nowIso();
  return db.transaction(() => {
    const b = batchRow(db, batchId);
    if (b.state === 'preview') {
      db.run('DELETE FROM import_rows WHERE batch_id = ?', [batchId]);
      db.run("UPDATE import_batches SET state = 'discarded', undone_by = ?, undone_at = ? WHERE id = ?", [actor, now, batchId]);
      return { state: 'discarded', removed: 0, restored: 0 };
    }
    if (b.state !== 'committed')
      throw conflict('import_not_committed', `import ${batchId} is ${b.state}; only a committed import can be undone`, { id: batchId, state: b.state });
    const changed = db.all<{ row: number; siteId: number }>(CHANGED_SINCE_COMMIT, [batchId]);
    if (changed.length)
      throw conflict(
        'import_changed_since',
        `import ${batchId} cannot be undone: ${changed.length} of its sites changed since it was committed (e.g. site ${changed[0]!.siteId}, row ${changed[0]!.row})`,
        {
          id: batchId,
          changed: changed.slice(0, 50),
          count: changed.length,
        },
      );
    db.run("UPDATE import_batches SET state = 'undoing' WHERE id = ?", [batchId]);
    const restoreTriggers = suspendTriggers(db, UNDO_SUSPENDED_TRIGGERS);
    db.run(
      `INSERT OR REPLACE INTO site_changes (site_id, seq) SELECT DISTINCT site_id, (SELECT version FROM data_versions WHERE topic = 'sites')
       FROM site_events WHERE import_batch = ?`,
      [batchId],
    );
    db.run('DELETE FROM sites_rtree WHERE id IN (SELECT id FROM sites WHERE import_batch = ?)', [batchId]);
    const events = db.run('DELETE FROM site_events WHERE import_batch = ?', [batchId]).changes;
    const removed = db.run('DELETE FROM sites WHERE import_batch = ?', [batchId]).changes;
    if (events + removed) raiseDataVersion(db, 'sites');
    restoreTriggers();
    // The sites it updated (few; their triggers run): each as before the batch's first row on it,
    // its version raised once per row as an edit would, its status its last remaining event's.
    const restored = db.run(
      `UPDATE sites SET ${UPDATED_COLUMNS.map((c) => `${c} = ${c === 'updated_at' ? '?' : `json_extract(u.before, '$.${c}')`}`).join(', ')}, version = version + u.n
       FROM (SELECT site_id, count(*) AS n, (SELECT f.before FROM import_results f WHERE f.batch_id = r.batch_id AND f.site_id = r.site_id AND f.action = 'updated' ORDER BY f.row LIMIT 1) AS before
             FROM import_results r WHERE r.batch_id = ? AND r.action = 'updated' GROUP BY site_id) u
       WHERE sites.id = u.site_id`,
      [now, batchId],
    ).changes;
    db.run(
      `UPDATE sites SET status = (SELECT to_status FROM site_events e WHERE e.site_id = sites.id ORDER BY e.date DESC, e.id DESC LIMIT 1)
       WHERE id IN (SELECT site_id FROM import_results WHERE batch_id = ? AND action = 'updated')
         AND status IS NOT (SELECT to_status FROM site_events e WHERE e.site_id = sites.id ORDER BY e.date DESC, e.id DESC LIMIT 1)`,
      [batchId],
    );
    db.run("UPDATE import_batches SET state = 'undone', undone_by = ?, undone_at = ? WHERE id = ?", [actor, now, batchId]);
    return { state: 'undone', removed, restored };
  });
}

export interface ImportBatchJson {
  id: number;
  fileName: string;
  format: ImportFormat;
  state: BatchRow['state'];
  counts: Record<string, number>;
  createdBy: string;
  createdAt: string;
  committedBy: string | null;
  committedAt: string | null;
  undoneBy: string | null;
  undoneAt: string | null;
  /** Committed and none of its sites changed since. */
  undoable: boolean;
}

/** Every batch but discarded previews, newest first. */
export function listImports(db: Db): ImportBatchJson[] {
  return db.all<BatchRow>("SELECT * FROM import_batches WHERE state <> 'discarded' ORDER BY id DESC").map((b) => ({
    id: b.id,
    fileName: b.file_name,
    format: b.format,
    state: b.state,
    counts: JSON.parse(b.counts) as Record<string, number>,
    createdBy: b.created_by,
    createdAt: b.created_at,
    committedBy: b.committed_by,
    committedAt: b.committed_at,
    undoneBy: b.undone_by,
    undoneAt: b.undone_at,
    undoable: b.state === 'committed' && db.all(CHANGED_SINCE_COMMIT, [b.id]).length === 0,
  }));
}

export interface SavedMapping {
  id: number;
  name: string;
  mapping: Record<string, LedgerField | null>;
  createdBy: string;
  createdAt: string;
}

export function listMappings(db: Db): SavedMapping[] {
  return db
    .all<{ id: number; name: string; mapping: string; created_by: string; created_at: string }>('SELECT * FROM import_mappings ORDER BY name')
    .map((m) => ({ id: m.id, name: m.name, mapping: JSON.parse(m.mapping) as SavedMapping['mapping'], createdBy: m.created_by, createdAt: m.created_at }));
}

/** Saves a column mapping under a name (replacing one of the same name). */
export function saveMapping(db: Db, name: string, mapping: SavedMapping['mapping'], actor: string, now: string = nowIso()): SavedMapping {
  return db.transaction(() => {
    db.run(
      `INSERT INTO import_mappings (name, mapping, created_by, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET mapping = excluded.mapping, created_by = excluded.created_by, created_at = excluded.created_at`,
      [name.trim(), JSON.stringify(mapping), actor, now],
    );
    return listMappings(db).find((m) => m.name === name.trim())!;
  });
}

export function mappingByName(db: Db, name: string): SavedMapping['mapping'] {
  const saved = listMappings(db).find((m) => m.name === name.trim());
  if (!saved) throw badRequest('unknown_mapping', `options.mappingName: no saved mapping is called "${name}"`, { field: 'options.mappingName' });
  return saved.mapping;
}

/** When a staged preview expires (it is then discarded). */
export function previewExpiresAt(db: Db, batchId: number): string {
  return db.get<{ e: string }>('SELECT expires_at AS e FROM import_batches WHERE id = ?', [batchId])!.e;
}
