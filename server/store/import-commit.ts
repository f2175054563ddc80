// Committing a staged ledger preview: one transaction that writes its accepted rows as sites with
// their events, set-based in SQL from the staged rows (import_rows), and records what was done with
// each row (import_results, migration 018). Split from import-store.ts, which stages previews and undoes committed batches.
import { campaignDay } from '../../domain/days.ts';
import type { Db } from '../db/database.ts';
import { conflict, badRequest, AppError } from '../errors.ts';
import { outcomeFor, type DuplicateHandling, type DuplicateOf, type StagedSite } from '../import/judge-rows.ts';
import { raiseDataVersion } from './data-version.ts';
import { recordLedgerStatus, setSiteLocation } from './site-mutations.ts';
import { batchRow, STAGED_FIELDS, suspendTriggers, UPDATED_COLUMNS, type Clock, type CommitCounts } from './import-store.ts';

export interface CommitChoices {
  /** What to do with every flagged duplicate; default: what the preview was made with. */
  duplicates?: DuplicateHandling;
  /** Per row (the file's row number): overrides `duplicates`. */
  rows?: Record<string, DuplicateHandling>;
}

type SiteColumns = Record<(typeof UPDATED_COLUMNS)[number], unknown> & { status: string; version: number };

/**
 * Per-row triggers a bulk commit suspends inside its own transaction, each replaced by set-based work
 * over the batch's sites: the status (each new site is written with the status its own events end in;
 * checked against its last event at the end, with the guards back), the R*Tree entry of a new site, each
 * touched site's site_changes row (015), and the data-version bumps of `sites` (raised once by the
 * commit, before it ends, so the contract "any write changes the topic's version before commit"
 * holds). DDL is transactional in SQLite: a failure or a kill rolls the triggers back with everything else.
 */
const BULK_SUSPENDED_TRIGGERS = [
  'site_events_set_status',
  'sites_status_guard',
  'sites_insert_status_guard',
  'sites_rtree_insert',
  'sites_version_insert',
  'sites_version_update',
  'site_events_version_insert',
  'sites_change_insert',
  'sites_change_update',
  'site_events_change_insert',
];

const ledgerNote = (file: string, batchId: number, row: number, word: string | null) =>
  `按台账记载（${file}，第 ${batchId} 批，第 ${row} 行${word ? `：${word}` : ''}）`;

/**
 * Records the rows written as new sites, each with the id it gets: the next free ones, in file order.
 * Parameters: the first id, batch, the kept duplicates' rows (JSON).
 */
const MARK_CREATED = /* sql */ `
  INSERT INTO import_results (batch_id, row, action, site_id, site_version)
  SELECT batch_id, row, 'created', CAST(? AS INTEGER) + row_number() OVER (ORDER BY row) - 1, 1 FROM import_rows
  WHERE batch_id = ? AND outcome <> 'error' AND (duplicate_of IS NULL OR row IN (SELECT value FROM json_each(?)))`;

/** The marked rows' sites from their staged columns (migration 021). Parameters: now ×2, batch. */
const INSERT_CREATED_SITES = /* sql */ `
  WITH s AS (
    SELECT m.site_id AS id, r.name, r.category, NULL AS sector, r.address, r.county_code, r.township_code, r.village_code,
      r.managing_zone, r.lon, r.lat, r.precision, 'real' AS source, r.discovered_on, r.deadline, r.responsible_unit, r.note,
      r.batch_id AS import_batch, ? AS created_at, ? AS updated_at, r.status, 1 AS version
    FROM import_results m JOIN import_rows r ON r.batch_id = m.batch_id AND r.row = m.row
    WHERE m.batch_id = ? AND m.action = 'created')
  INSERT INTO sites (id, name, category, sector, address, county_code, township_code, village_code, managing_zone, lon, lat,
    precision, source, discovered_on, deadline, responsible_unit, note, seed_key, import_batch, created_at, updated_at, status, version)
  SELECT s.id, s.name, s.category, s.sector, s.address, s.county_code, s.township_code, s.village_code, s.managing_zone, s.lon, s.lat,
    s.precision, s.source, s.discovered_on, s.deadline, s.responsible_unit, s.note, NULL, s.import_batch, s.created_at, s.updated_at, s.status, s.version
  FROM s`;

const EVENT_COLUMNS = 'site_id, kind, from_status, to_status, date, actor, note, details, import_batch, created_at';

/**
 * The new sites as written (the statement above), each with its file row: their events are written from
 * these columns rather than from the staged row again. Parameter: batch.
 */
const WRITTEN_ROWS = /* sql */ `(SELECT s.id AS site_id, s.import_batch AS batch_id, m.row, m.batch_id AS mb, s.discovered_on, s.note, s.status
  FROM import_results m CROSS JOIN sites s ON s.id = m.site_id
  WHERE m.batch_id = ? AND m.action = 'created') w`;

/** Each new site's first event (→ discovered on its date). Parameters: actor, now, batch. */
const INSERT_DISCOVERED = /* sql */ `
  INSERT INTO site_events (${EVENT_COLUMNS})
  SELECT w.site_id, 'status', NULL, 'discovered', w.discovered_on, ?, w.note, NULL, w.batch_id, ?
  FROM ${WRITTEN_ROWS}`;

/**
 * The status the ledger states for a new site not 已发现, as recordLedgerStatus words it (ledgerNote,
 * details { source, batch, file, row, word }); the word is the one staged column read again. Parameters:
 * today, actor, file, file, now, batch (the batch's id written from the stored rows: a
 * bound number is a REAL, which would read 1.0).
 */
const INSERT_STATED = /* sql */ `
  INSERT INTO site_events (${EVENT_COLUMNS})
  SELECT w.site_id, 'status', 'discovered', w.status, ?, ?,
    '按台账记载（' || ? || '，第 ' || w.batch_id || ' 批，第 ' || w.row || ' 行' || CASE WHEN coalesce(w.word, '') <> '' THEN '：' || w.word ELSE '' END || '）',
    json_object('source', 'ledger', 'batch', w.batch_id, 'file', ?, 'row', w.row, 'word', w.word), w.batch_id, ?
  FROM (SELECT w.*, i.status_word AS word FROM ${WRITTEN_ROWS} JOIN import_rows i ON i.batch_id = w.mb AND i.row = w.row
    WHERE w.status <> 'discovered') w`;

/**
 * Writes a preview's accepted rows in one transaction: new sites (real, exact or unlocated, with the
 * status the ledger states recorded as such), updates of existing sites chosen for flagged duplicates,
 * skips for the rest. Rows with errors are never written. Any failure leaves the database as it was.
 * The new sites are the bulk: their rows are marked first (each given the next free id, in file
 * order), then the sites and their events go in one INSERT … SELECT each from the staged rows; the
 * flagged duplicates (few) follow row by row.
 */
export function commitImport(db: Db, batchId: number, choices: CommitChoices, actor: string, clock: Clock = {}): CommitCounts {
  const now = clock.now ?? new Date().toISOString();
  const today = clock.today ?? campaignDay(Date.parse(now));
  const run = () =>
    db.transaction(() => {
      const b = batchRow(db, batchId);
      if (b.state !== 'preview')
        throw conflict('import_not_preview', `import ${batchId} is ${b.state}, not a preview waiting for its commit`, { id: batchId, state: b.state });
      if (b.expires_at < now)
        throw conflict('preview_expired', `the preview of import ${batchId} expired at ${b.expires_at}; upload the file again`, { id: batchId });
      const flagged = new Map(
        db
          .all<{ row: number; duplicate_of: string }>('SELECT row, duplicate_of FROM import_rows WHERE batch_id = ? AND duplicate_of IS NOT NULL', [batchId])
          .map((r) => [String(r.row), JSON.parse(r.duplicate_of) as DuplicateOf]),
      );
      for (const [row, handling] of Object.entries(choices.rows ?? {})) {
        const duplicateOf = flagged.get(row);
        if (!duplicateOf)
          throw badRequest('bad_field', `rows.${row}: row ${row} is not a flagged duplicate of this import`, {
            field: `rows.${row}`,
            reason: 'not_a_duplicate',
            row,
          });
        if (handling === 'update' && duplicateOf.siteId === undefined)
          throw badRequest(
            'bad_field',
            `rows.${row}: row ${row} repeats row ${duplicateOf.row} of the same file; it can be skipped or kept, not used to update`,
            { field: `rows.${row}`, reason: 'repeats_row', row, other: duplicateOf.row },
          );
      }
      const defaultHandling = choices.duplicates ?? (JSON.parse(b.options) as { duplicates?: DuplicateHandling }).duplicates ?? 'skip';
      // What each flagged duplicate becomes; every other row without errors is a new site.
      const kept: number[] = [];
      const others: { row: number; outcome: 'update' | 'duplicate'; duplicateOf: DuplicateOf }[] = [];
      for (const [row, duplicateOf] of flagged) {
        const outcome = outcomeFor(duplicateOf, choices.rows?.[row] ?? defaultHandling);
        if (outcome === 'new') kept.push(Number(row));
        else others.push({ row: Number(row), outcome, duplicateOf });
      }
      others.sort((x, y) => x.row - y.row);
      const counts: CommitCounts = { created: 0, updated: 0, skipped: 0, errors: 0 };
      counts.errors = db.get<{ n: number }>("SELECT count(*) AS n FROM import_rows WHERE batch_id = ? AND outcome = 'error'", [batchId])!.n;
      const restoreTriggers = suspendTriggers(db, BULK_SUSPENDED_TRIGGERS);
      const firstNewId = db.get<{ id: number }>('SELECT coalesce(max(id), 0) + 1 AS id FROM sites')!.id;
      counts.created = db.run(MARK_CREATED, [firstNewId, batchId, JSON.stringify(kept)]).changes;
      if (counts.created) {
        const written = db.run(INSERT_CREATED_SITES, [now, now, batchId]).changes;
        if (written !== counts.created) throw new Error(`${counts.created - written} staged rows could not be written as sites`);
        db.run(INSERT_DISCOVERED, [actor, now, batchId]);
        db.run(INSERT_STATED, [today, actor, b.file_name, b.file_name, now, batchId]);
      }
      for (const { row, outcome, duplicateOf } of others) {
        if (outcome === 'duplicate') {
          db.run("INSERT INTO import_results (batch_id, row, action) VALUES (?, ?, 'skipped')", [batchId, row]);
          counts.skipped++;
          continue;
        }
        const site = db.get<StagedSite>(
          `SELECT name, ${STAGED_FIELDS.map((f) => `${f.column} AS "${f.field}"`).join(', ')} FROM import_rows WHERE batch_id = ? AND row = ?`,
          [batchId, row],
        )!;
        const note = ledgerNote(b.file_name, batchId, row, site.statusWord);
        const details = { batch: batchId, file: b.file_name, row, word: site.statusWord };
        const siteId = duplicateOf.siteId!;
        const before = updateFromLedger(db, siteId, site, { actor, importBatch: batchId, date: today, note, details }, { now, today });
        db.run("INSERT INTO import_results (batch_id, row, action, site_id, before) VALUES (?, ?, 'updated', ?, ?)", [
          batchId,
          row,
          siteId,
          JSON.stringify(before),
        ]);
        counts.updated++;
      }
      // Once per touched site, what the suspended triggers did per row.
      const updated = `id IN (SELECT site_id FROM import_results WHERE batch_id = ? AND action = 'updated')`;
      const touched = `${updated} OR (id >= ? AND import_batch = ?)`;
      db.run('INSERT INTO sites_rtree SELECT id, lon, lon, lat, lat FROM sites WHERE id >= ? AND import_batch = ? AND lon IS NOT NULL', [firstNewId, batchId]);
      if (counts.created + counts.updated) raiseDataVersion(db, 'sites');
      db.run(
        `INSERT OR REPLACE INTO site_changes (site_id, seq) SELECT id, (SELECT version FROM data_versions WHERE topic = 'sites') FROM sites WHERE ${touched}`,
        [batchId, firstNewId, batchId],
      );
      restoreTriggers();
      // The guards are back: every touched site's status must be its last event's.
      const wrong = db.get<{ id: number }>(
        `SELECT id FROM sites WHERE (${touched}) AND status IS NOT (SELECT to_status FROM site_events e WHERE e.site_id = sites.id ORDER BY e.date DESC, e.id DESC LIMIT 1) LIMIT 1`,
        [batchId, firstNewId, batchId],
      );
      if (wrong) throw new Error(`site ${wrong.id}: sites.status must equal the last site_events row`);
      // After all rows, since two rows may update the same site.
      db.run(
        "UPDATE import_results SET site_version = (SELECT version FROM sites WHERE id = import_results.site_id) WHERE batch_id = ? AND action = 'updated'",
        [batchId],
      );
      db.run("UPDATE import_batches SET state = 'committed', counts = json_patch(counts, ?), committed_by = ?, committed_at = ? WHERE id = ?", [
        JSON.stringify(counts),
        actor,
        now,
        batchId,
      ]);
      return counts;
    });
  try {
    return run();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(500, 'import_commit_failed', `import ${batchId} could not be committed and nothing was written: ${(error as Error).message}`, {
      id: batchId,
    });
  }
}

/** Brings an existing site in line with a ledger row; returns its columns before, for undo. */
function updateFromLedger(
  db: Db,
  siteId: number,
  site: StagedSite,
  statement: Omit<Parameters<typeof recordLedgerStatus>[2], 'to'>,
  clock: Required<Clock>,
): SiteColumns {
  const before = db.get<SiteColumns>(`SELECT ${UPDATED_COLUMNS.join(', ')}, status, version FROM sites WHERE id = ?`, [siteId]);
  if (!before) throw conflict('preview_stale', `site ${siteId}, which this preview would update, no longer exists; preview the file again`, { siteId });
  const moves = site.lon !== null && (before.lon !== site.lon || before.lat !== site.lat);
  if (moves)
    setSiteLocation(
      db,
      siteId,
      {
        lon: site.lon!,
        lat: site.lat!,
        countyCode: site.countyCode,
        precision: 'exact',
        date: clock.today,
        actor: statement.actor,
        note: statement.note,
        importBatch: statement.importBatch,
      },
      clock,
    );
  const county = moves ? site.countyCode : (before.county_code as string);
  const places = site.countyCode === county && site.townshipCode !== null;
  db.run(
    `UPDATE sites SET category = ?, address = coalesce(?, address), managing_zone = coalesce(?, managing_zone),
       township_code = CASE WHEN ? THEN ? ELSE township_code END, village_code = CASE WHEN ? THEN ? ELSE village_code END,
       deadline = coalesce(?, deadline), responsible_unit = coalesce(?, responsible_unit), note = coalesce(?, note),
       version = version + 1, updated_at = ? WHERE id = ?`,
    [
      site.category,
      site.address,
      site.managingZone,
      places ? 1 : 0,
      site.townshipCode,
      places ? 1 : 0,
      site.villageCode,
      site.deadline,
      site.responsibleUnit,
      site.note,
      clock.now,
      siteId,
    ],
  );
  if (site.status !== before.status) {
    recordLedgerStatus(db, siteId, { ...statement, to: site.status }, clock.now);
    // The status trigger is suspended during the commit: keep the row current for a later row of the file.
    db.run('UPDATE sites SET status = ? WHERE id = ?', [site.status, siteId]);
  }
  return before;
}
