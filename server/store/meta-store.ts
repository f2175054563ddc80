// The meta table: one text value per key (audit_keyed_from, demo_seed, demo_moves, geodata_hash…).
import type { Db } from '../db/database.ts';

export function getMeta(db: Db, key: string): string | undefined {
  return db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [key])?.value;
}

/** Adds a key; a key already there is an error (these values are written once). */
export function insertMeta(db: Db, key: string, value: string): void {
  db.run('INSERT INTO meta (key, value) VALUES (?, ?)', [key, value]);
}

/** Sets a key, replacing the value it had (geodata_hash, last_backup). */
export function setMeta(db: Db, key: string, value: string): void {
  db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
}
