// Writes of the geodata loader (server/geodata/load-geodata.ts): counties, the official township and
// village lists, and what follows a boundary change. Plain data in; the caller holds the transaction.
import type { MultiPolygon, Polygon } from 'geojson';
import type { Db } from '../db/database.ts';
import { raiseDataVersion } from './data-version.ts';

export interface CountyInput {
  code: string;
  name: string;
  kind: string;
  geometry: Polygon | MultiPolygon;
  areaKm2: number;
  bbox: readonly [number, number, number, number];
  seat: readonly [number, number] | null;
  labelPoint: readonly [number, number] | null;
}

export interface TownshipInput {
  code: string;
  name: string;
  kind: string;
  adminCode: string;
  adminName: string;
  countyCode: string;
}

export interface VillageInput {
  code: string;
  name: string;
  townshipCode: string;
}

export function upsertCounty(db: Db, county: CountyInput): void {
  db.run(
    `INSERT INTO counties (code, name, kind, geometry, area_km2, min_lon, min_lat, max_lon, max_lat, seat_lon, seat_lat, label_lon, label_lat)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, geometry = excluded.geometry,
         area_km2 = excluded.area_km2, min_lon = excluded.min_lon, min_lat = excluded.min_lat, max_lon = excluded.max_lon,
         max_lat = excluded.max_lat, seat_lon = excluded.seat_lon, seat_lat = excluded.seat_lat,
         label_lon = excluded.label_lon, label_lat = excluded.label_lat`,
    [
      county.code,
      county.name,
      county.kind,
      JSON.stringify(county.geometry),
      county.areaKm2,
      ...county.bbox,
      county.seat?.[0] ?? null,
      county.seat?.[1] ?? null,
      county.labelPoint?.[0] ?? null,
      county.labelPoint?.[1] ?? null,
    ],
  );
}

export function upsertTownship(db: Db, township: TownshipInput): void {
  db.run(
    `INSERT INTO townships (code, name, kind, admin_code, admin_name, county_code) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, admin_code = excluded.admin_code,
           admin_name = excluded.admin_name, county_code = excluded.county_code`,
    [township.code, township.name, township.kind, township.adminCode, township.adminName, township.countyCode],
  );
}

export function upsertVillage(db: Db, village: VillageInput): void {
  db.run(
    `INSERT INTO villages (code, name, township_code) VALUES (?, ?, ?)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, township_code = excluded.township_code`,
    [village.code, village.name, village.townshipCode],
  );
}

/** How many sites, townships and road segments belong to a county (one that may not disappear). */
export function countyReferences(db: Db, code: string): number {
  return db.get<{ n: number }>(
    `SELECT (SELECT count(*) FROM sites WHERE county_code = ?) + (SELECT count(*) FROM townships WHERE county_code = ?)
             + (SELECT count(*) FROM road_segments WHERE county_code = ?) AS n`,
    [code, code, code],
  )!.n;
}

export function deleteCounty(db: Db, code: string): void {
  db.run('DELETE FROM counties WHERE code = ?', [code]);
}

/**
 * Every located site's id, position and county as `[id, lon, lat, county_code]`, one row at a time: a
 * boundary check over 10^6 sites holds no 10^6 objects. The caller writes only after the loop ends.
 */
export function locatedSitePositions(db: Db): IterableIterator<[number, number, number, string]> {
  return db.raw.prepare('SELECT id, lon, lat, county_code FROM sites WHERE lon IS NOT NULL').raw().iterate() as IterableIterator<
    [number, number, number, string]
  >;
}

/** A site's name (for a message naming it). */
export function siteName(db: Db, id: number): string {
  return db.get<{ name: string }>('SELECT name FROM sites WHERE id = ?', [id])?.name ?? '';
}

/** A site moved to another county by new boundaries (its version moves on). */
export function setSiteCounty(db: Db, id: number, countyCode: string): void {
  db.run('UPDATE sites SET county_code = ?, version = version + 1 WHERE id = ?', [countyCode, id]);
}

/** County, township and village code → name, as stored. */
export interface PlaceNames {
  counties: Map<string, string>;
  townships: Map<string, string>;
  villages: Map<string, string>;
}

export function placeNames(db: Db): PlaceNames {
  const names = (table: 'counties' | 'townships' | 'villages') =>
    new Map(db.all<{ code: string; name: string }>(`SELECT code, name FROM ${table}`).map((row) => [row.code, row.name]));
  return { counties: names('counties'), townships: names('townships'), villages: names('villages') };
}

/** County code → its polygon as stored (JSON text), to tell whether new boundaries differ. */
export function countyGeometryTexts(db: Db): Map<string, string> {
  return new Map(db.all<{ code: string; geometry: string }>('SELECT code, geometry FROM counties').map((row) => [row.code, row.geometry]));
}

/**
 * Place names changed. The sites in those places are named anew as they are read (SITE_PROPERTIES);
 * answers kept per data version (the response cache, the map's indexes) are made stale by raising the
 * sites' version. Returns how many sites lie in the renamed places (none: nothing is raised).
 */
export function placesRenamed(db: Db, renamed: { counties: readonly string[]; townships: readonly string[]; villages: readonly string[] }): number {
  if (!renamed.counties.length && !renamed.townships.length && !renamed.villages.length) return 0;
  const { n } = db.get<{ n: number }>(
    `SELECT count(*) AS n FROM sites
      WHERE county_code IN (SELECT value FROM json_each(?)) OR township_code IN (SELECT value FROM json_each(?))
         OR village_code IN (SELECT value FROM json_each(?))`,
    [JSON.stringify(renamed.counties), JSON.stringify(renamed.townships), JSON.stringify(renamed.villages)],
  )!;
  if (n) raiseDataVersion(db, 'sites');
  return n;
}
