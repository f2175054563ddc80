// County names for messages: an error names a county by code and name (源汇区, not only 411102).
import type { Db } from '../db/database.ts';

export function countyName(db: Db, code: string): string {
  return db.get<{ name: string }>('SELECT name FROM counties WHERE code = ?', [code])?.name ?? code;
}
