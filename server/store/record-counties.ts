// The county a site or road segment is in now: what the permission rules (server/auth/rules.ts)
// check a county official's or inspector's counties against.
import type { Db } from '../db/database.ts';

/** The site's county, or null when there is no such site. */
export function siteCountyOf(db: Db, id: number): string | null {
  return db.get<{ county_code: string }>('SELECT county_code FROM sites WHERE id = ?', [id])?.county_code ?? null;
}

/** The road segment's county, or null when there is no such segment or it is not assigned yet. */
export function roadCountyOf(db: Db, id: number): string | null {
  return db.get<{ county_code: string | null }>('SELECT county_code FROM road_segments WHERE id = ?', [id])?.county_code ?? null;
}
