// Writes of the geodata loader (server/geodata/load-geodata.ts): counties, the official township and
// village lists, and what follows a boundary change. Plain data in; the caller holds the transaction.
import type { MultiPolygon, Polygon } from 'geojson';
import type { Db } from '../db/database.ts';

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

/** Every site with a location, as the county locator needs it. */
export function locatedSites(db: Db): { id: number; name: string; lon: number; lat: number; county_code: string }[] {
  return db.all<{ id: number; name: string; lon: number; lat: number; county_code: string }>(
    'SELECT id, name, lon, lat, county_code FROM sites WHERE lon IS NOT NULL',
  );
}

/** A site moved to another county by new boundaries (its version moves on). */
export function setSiteCounty(db: Db, id: number, countyCode: string): void {
  db.run('UPDATE sites SET county_code = ?, version = version + 1 WHERE id = ?', [countyCode, id]);
}

/** Place names may have changed: the sites' cached feature properties are rebuilt on next read. */
export function clearSiteFeatureCache(db: Db): void {
  db.run('UPDATE sites SET feature_props = NULL');
}
