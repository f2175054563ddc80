// The counties and the official township and village lists (loaded by `npm run geodata`), as the
// server reads them: polygons for the locator, rows for /api/counties, name lists for the import.
import type { MultiPolygon, Polygon } from 'geojson';
import type { Db } from '../db/database.ts';
import type { PlaceLists } from '../import/place-names.ts';

export interface CountyRow {
  code: string;
  name: string;
  kind: 'district' | 'county' | 'city';
  geometry: string;
  area_km2: number;
  seat_lon: number | null;
  seat_lat: number | null;
  label_lon: number | null;
  label_lat: number | null;
}

export function listCountyRows(db: Db): CountyRow[] {
  return db.all<CountyRow>('SELECT * FROM counties ORDER BY code');
}

/** Every county's polygon, in code order (the order CountyLocator tries them). */
export function countyPolygons(db: Db): { code: string; geometry: Polygon | MultiPolygon }[] {
  return db
    .all<{ code: string; geometry: string }>('SELECT code, geometry FROM counties ORDER BY code')
    .map((row) => ({ code: row.code, geometry: JSON.parse(row.geometry) as Polygon | MultiPolygon }));
}

/** County code → name. */
export function countyNames(db: Db): Map<string, string> {
  return new Map(db.all<{ code: string; name: string }>('SELECT code, name FROM counties').map((row) => [row.code, row.name]));
}

/** The official place lists, for matching a ledger's place names (server/import/place-names.ts). */

export function placeLists(db: Db): PlaceLists {
  return {
    counties: db.all('SELECT code, name FROM counties'),
    townships: db.all('SELECT code, name, county_code FROM townships'),
    villages: db.all('SELECT code, name, township_code FROM villages'),
  };
}

/** Every county code. */
export function countyCodes(db: Db): Set<string> {
  return new Set(db.all<{ code: string }>('SELECT code FROM counties').map((row) => row.code));
}
