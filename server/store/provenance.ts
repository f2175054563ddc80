// Where a real record comes from (migration 013): the source document, its task number and the
// document's own words. Null for records with no recorded source (demo, imported, user-created).
import type { Db } from '../db/database.ts';

export interface Provenance {
  document: string;
  task: number | null;
  quote: string | null;
}

export type ProvenanceTable = 'sites' | 'road_segments';

export function recordProvenance(db: Db, table: ProvenanceTable, id: number): Provenance | null {
  const row = db.get<{ document: string | null; task: number | null; quote: string | null }>(
    `SELECT source_document AS document, source_task AS task, source_quote AS quote FROM ${table} WHERE id = ?`,
    [id],
  );
  return row?.document ? { document: row.document, task: row.task, quote: row.quote } : null;
}

export function setProvenance(db: Db, table: ProvenanceTable, id: number, provenance: Provenance): void {
  db.run(`UPDATE ${table} SET source_document = ?, source_task = ?, source_quote = ? WHERE id = ?`, [
    provenance.document,
    provenance.task,
    provenance.quote,
    id,
  ]);
}

/** Whether a seeded record with this key is already there. */
export function hasSeedKey(db: Db, table: ProvenanceTable, key: string): boolean {
  return db.get(`SELECT 1 FROM ${table} WHERE seed_key = ?`, [key]) !== undefined;
}

/** A seeded record's id, source document and note, by its seed key. */
export function seededRecord(db: Db, table: ProvenanceTable, key: string): { id: number; document: string | null; note: string | null } | undefined {
  return db.get<{ id: number; document: string | null; note: string | null }>(`SELECT id, source_document AS document, note FROM ${table} WHERE seed_key = ?`, [
    key,
  ]);
}

/** Replaces a seeded record's note (its version moves on). */
export function replaceSeededNote(db: Db, table: ProvenanceTable, id: number, note: string): void {
  db.run(`UPDATE ${table} SET note = ?, version = version + 1 WHERE id = ?`, [note, id]);
}
