// The likely-move candidates saved in the database (migration 017) per `sites` data version and search
// definition: written after a search of every site, read back at the next start, and mended after a
// write with the pairs of the new sites searched again. The analysis thread reads through a read-only
// connection, so the writes go through a second, writable one to the same file. A cache: when the
// file is busy or read-only the save is skipped (the next start then searches again).
import type { Db } from '../db/database.ts';
import { isBusyError, openDatabase } from '../db/database.ts';
import { databaseFile } from '../db/threads.ts';
import { MOVE_CANDIDATES_PER_SITE, MOVE_SCORE_WEIGHTS, MOVE_SEARCH_REVISION, type MovePair } from '../geo/relapse-moves.ts';
import type { KeptMoves } from '../geo/relapse-kept-moves.ts';
import type { ResolvedRelapseOptions } from '../geo/relapse-types.ts';

/** The search the saved pairs came from: they are trusted only for the same one. */
export function moveSearchDefinition(options: Pick<ResolvedRelapseOptions, 'radiusKm' | 'withinDays'>): string {
  return JSON.stringify({
    revision: MOVE_SEARCH_REVISION,
    radiusKm: options.radiusKm,
    withinDays: options.withinDays,
    k: MOVE_CANDIDATES_PER_SITE,
    weights: MOVE_SCORE_WEIGHTS,
  });
}

const PAIR_COLUMNS = 'to_id AS toId, from_id AS fromId, closed_on AS closedOn, days, distance_km AS distanceKm, name_similarity AS nameSimilarity, score';

/** The saved pairs and the `sites` version they reflect (null: none saved for this definition). */
export function readSavedMoves(db: Db, definition: string): { version: number; pairs: MovePair[] } | null {
  const state = db.get<{ version: number; definition: string }>('SELECT sites_version AS version, definition FROM move_pairs_state WHERE id = 1');
  if (!state || state.definition !== definition) return null;
  // One read transaction: the pairs and the state row of the same save.
  const read = () => {
    const again = db.get<{ version: number; definition: string }>('SELECT sites_version AS version, definition FROM move_pairs_state WHERE id = 1');
    if (!again || again.definition !== definition) return null;
    return { version: again.version, pairs: db.all<MovePair>(`SELECT ${PAIR_COLUMNS} FROM move_pairs`) };
  };
  return db.raw.inTransaction ? read() : db.raw.transaction(read).deferred();
}

const writers = new WeakMap<Db, Db | null>();

/** A writable connection to the same database: the connection itself unless it is read-only. */
function writerOf(db: Db): Db | null {
  if (!db.raw.readonly) return db;
  if (!writers.has(db)) {
    const file = databaseFile(db);
    writers.set(db, file ? openDatabase(file, { busyTimeoutMs: 1000 }) : null);
  }
  return writers.get(db)!;
}

/** Whether an error only says the cache could not be written now (busy, or a read-only file). */
function cannotWriteNow(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return isBusyError(error) || (typeof code === 'string' && (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')));
}

function insertPairs(writer: Db, pairs: Iterable<MovePair>): void {
  const insert = writer.raw.prepare(
    'INSERT INTO move_pairs (to_id, from_id, closed_on, days, distance_km, name_similarity, score) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const pair of pairs) insert.run(pair.toId, pair.fromId, pair.closedOn, pair.days, pair.distanceKm, pair.nameSimilarity, pair.score);
}

function attempt(db: Db, write: (writer: Db) => boolean): boolean {
  try {
    const writer = writerOf(db);
    return writer ? writer.transaction(() => write(writer)) : false;
  } catch (error) {
    if (cannotWriteNow(error)) return false;
    throw error;
  }
}

/** Saves every kept pair as the answer at `version` (in place of whatever was saved). Returns whether it was written. */
export function saveMoves(db: Db, definition: string, version: number, moves: KeptMoves): boolean {
  return attempt(db, (writer) => {
    writer.run('DELETE FROM move_pairs');
    insertPairs(writer, moves.pairs());
    writer.run('INSERT OR REPLACE INTO move_pairs_state (id, sites_version, definition, saved_at) VALUES (1, ?, ?, ?)', [
      version,
      definition,
      new Date().toISOString(),
    ]);
    return true;
  });
}

/**
 * Mends the saved pairs from `since` to `version`: the pairs of the new sites searched again replaced.
 * Only when the saved state is still the one at `since` (another connection may have saved since).
 */
export function saveMovesChange(db: Db, definition: string, since: number, version: number, moves: KeptMoves, again: Iterable<number>): boolean {
  return attempt(db, (writer) => {
    const state = writer.get<{ version: number; definition: string }>('SELECT sites_version AS version, definition FROM move_pairs_state WHERE id = 1');
    if (!state || state.definition !== definition || state.version !== since) return false;
    const remove = writer.raw.prepare('DELETE FROM move_pairs WHERE to_id = ?');
    const pairs: MovePair[] = [];
    for (const id of again) {
      remove.run(id);
      pairs.push(...moves.pairsTo(id));
    }
    insertPairs(writer, pairs);
    writer.run('UPDATE move_pairs_state SET sites_version = ?, saved_at = ? WHERE id = 1', [version, new Date().toISOString()]);
    return true;
  });
}
