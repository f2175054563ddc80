// How many rows a table holds (a backup's manifest counts its tables). The table names come from
// the caller's fixed list, never from input.
import type { Db } from '../db/database.ts';

export function rowCounts<T extends string>(db: Db, tables: readonly T[]): Record<T, number> {
  return Object.fromEntries(tables.map((table) => [table, db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)?.n ?? 0])) as Record<T, number>;
}
