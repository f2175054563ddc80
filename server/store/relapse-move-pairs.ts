// The likely-move candidates saved in the database (migration 017) per `sites` data version and search
// definition: written after a search of every site, read back at the next start, and mended after a
// write with the pairs of the new sites searched again. The analysis thread reads through a read-only
// connection, so the writes go through a second, writable one to the same file. A cache: when the
// file is busy or read-only the save is skipped (the next start then searches again).
import type { Db } from '../db/database.ts';
import { isBusyError, openDatabase } from '../db/database.ts';
import { databaseFile } from '../db/threads.ts';
import { MOVE_CANDIDATES_PER_SITE, MOVE_SCORE_WEIGHTS, MOVE_SEARCH_REVISION, type MovePair } from '../geo/relapse-moves.ts';
import { PAIR_FIELDS, type KeptMoves } from '../geo/relapse-kept-moves.ts';
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

/** A saved pair: its closure day is read back from the old site's closures (see KeptMoves.restore). */
export type SavedPair = Omit<MovePair, 'closedOn'>;

/** New-site ids per saved chunk: 2^8. */
const CHUNK_BITS = 8;
/** Numbers per pair in a chunk: new id, old id, days, distance km, name similarity, score. */
const FIELDS = PAIR_FIELDS;

function encode(pairs: readonly MovePair[]): Buffer {
  const numbers = new Float64Array(pairs.length * FIELDS);
  let at = 0;
  for (const pair of pairs) {
    numbers[at++] = pair.toId;
    numbers[at++] = pair.fromId;
    numbers[at++] = pair.days;
    numbers[at++] = pair.distanceKm;
    numbers[at++] = pair.nameSimilarity;
    numbers[at++] = pair.score;
  }
  return Buffer.from(numbers.buffer);
}

/** The saved pairs as objects, from the numbers (readSavedMoveNumbers). */
function decode(numbers: Float64Array): SavedPair[] {
  const pairs: SavedPair[] = [];
  for (let at = 0; at + FIELDS <= numbers.length; at += FIELDS)
    pairs.push({
      toId: numbers[at]!,
      fromId: numbers[at + 1]!,
      days: numbers[at + 2]!,
      distanceKm: numbers[at + 3]!,
      nameSimilarity: numbers[at + 4]!,
      score: numbers[at + 5]!,
    });
  return pairs;
}

/**
 * The saved pairs as one array of numbers (FIELDS per pair, chunk after chunk, as KeptMoves.restore
 * reads them) and the `sites` version they reflect (null: none saved for this definition).
 */
export function readSavedMoveNumbers(db: Db, definition: string): { version: number; numbers: Float64Array } | null {
  const state = db.get<{ version: number; definition: string }>('SELECT sites_version AS version, definition FROM move_pairs_state WHERE id = 1');
  if (!state || state.definition !== definition) return null;
  // One read transaction: the pairs and the state row of the same save.
  const read = () => {
    const again = db.get<{ version: number; definition: string }>('SELECT sites_version AS version, definition FROM move_pairs_state WHERE id = 1');
    if (!again || again.definition !== definition) return null;
    const blobs = db.raw.prepare('SELECT pairs FROM move_pair_chunks ORDER BY chunk').pluck().all() as Buffer[];
    let bytes = 0;
    for (const blob of blobs) bytes += blob.byteLength - (blob.byteLength % (FIELDS * 8));
    // Copied into one aligned array (a blob's bytes need not be aligned for a Float64Array view).
    const all = new Uint8Array(bytes);
    let at = 0;
    for (const blob of blobs) {
      const whole = blob.byteLength - (blob.byteLength % (FIELDS * 8));
      all.set(blob.subarray(0, whole), at);
      at += whole;
    }
    return { version: again.version, numbers: new Float64Array(all.buffer) };
  };
  return db.readTogether(read);
}

/** The saved pairs and the `sites` version they reflect (null: none saved for this definition). */
export function readSavedMoves(db: Db, definition: string): { version: number; pairs: SavedPair[] } | null {
  const saved = readSavedMoveNumbers(db, definition);
  return saved && { version: saved.version, pairs: decode(saved.numbers) };
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

/** Writes the chunks (every chunk when `only` is null) of the kept pairs. */
function writeChunks(writer: Db, moves: KeptMoves, only: ReadonlySet<number> | null): void {
  const byChunk = new Map<number, MovePair[]>();
  if (only)
    for (const chunk of only) {
      const pairs: MovePair[] = [];
      for (let id = chunk << CHUNK_BITS; id < (chunk + 1) << CHUNK_BITS; id++) pairs.push(...moves.pairsTo(id));
      byChunk.set(chunk, pairs);
    }
  else
    for (const id of moves.newSites()) {
      let list = byChunk.get(id >> CHUNK_BITS);
      if (!list) byChunk.set(id >> CHUNK_BITS, (list = []));
      list.push(...moves.pairsTo(id));
    }
  const put = writer.raw.prepare('INSERT OR REPLACE INTO move_pair_chunks (chunk, pairs) VALUES (?, ?)');
  const remove = writer.raw.prepare('DELETE FROM move_pair_chunks WHERE chunk = ?');
  for (const [chunk, pairs] of byChunk) {
    if (pairs.length > 0) put.run(chunk, encode(pairs));
    else remove.run(chunk);
  }
}

/**
 * Runs `write` in a transaction on a writable connection to `db`'s file (the saved candidates, the
 * history snapshot: caches). Returns false, writing nothing, when the file is busy or read-only now.
 */
export function writeCache(db: Db, write: (writer: Db) => boolean): boolean {
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
  return writeCache(db, (writer) => {
    writer.run('DELETE FROM move_pair_chunks');
    writeChunks(writer, moves, null);
    writer.run('INSERT OR REPLACE INTO move_pairs_state (id, sites_version, definition, saved_at) VALUES (1, ?, ?, ?)', [
      version,
      definition,
      new Date().toISOString(),
    ]);
    return true;
  });
}

/**
 * Mends the saved pairs from `since` to `version`: the chunks of the new sites whose pairs changed written again.
 * Only when the saved state is still the one at `since` (another connection may have saved since).
 */
export function saveMovesChange(db: Db, definition: string, since: number, version: number, moves: KeptMoves, changed: Iterable<number>): boolean {
  return writeCache(db, (writer) => {
    const state = writer.get<{ version: number; definition: string }>('SELECT sites_version AS version, definition FROM move_pairs_state WHERE id = 1');
    if (!state || state.definition !== definition || state.version !== since) return false;
    writeChunks(writer, moves, new Set(Array.from(changed, (id) => id >> CHUNK_BITS)));
    writer.run('UPDATE move_pairs_state SET sites_version = ?, saved_at = ? WHERE id = 1', [version, new Date().toISOString()]);
    return true;
  });
}
