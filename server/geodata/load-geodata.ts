// Loads the shipped (or operator-supplied) geodata into the database at start-up:
// county polygons, and the official township and village lists forms and imports check against.
// It reads and checks the files here and writes through server/store/geodata-store.ts (so it sits in
// the support layer, above the store, while the rest of server/geodata/ is library).
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Db } from '../db/database.ts';
import { CountyLocator } from '../../domain/locate-county.ts';
import { countyCodes } from '../store/county-store.ts';
import {
  countyGeometryTexts, countyReferences, deleteCounty, locatedSitePositions, placeNames, placesRenamed, setSiteCounty, siteName, upsertCounty,
  upsertTownship, upsertVillage, type PlaceNames,
} from '../store/geodata-store.ts';
import { getMeta, setMeta } from '../store/meta-store.ts';
import { GEODATA_DIR } from './geodata-dir.ts';
import { GeodataError, validateCountyCollection, type CountyRecord } from './validate-counties.ts';

export interface GeodataFiles {
  counties: string;
  townships: string;
  villages: string;
}

export const DEFAULT_GEODATA: GeodataFiles = {
  counties: resolve(GEODATA_DIR, 'counties.geojson'),
  townships: resolve(GEODATA_DIR, 'townships.csv'),
  villages: resolve(GEODATA_DIR, 'villages.csv'),
};

/** The meta key holding the hash of the files last loaded. */
const GEODATA_HASH_KEY = 'geodata_hash';

/** Townships the NBS files under 经开区 (411171), which has no polygon: they lie inside 召陵区. */
const ADMIN_TO_COUNTY: Record<string, string> = { '411171': '411104' };

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new GeodataError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export function readCountyFile(file: string): CountyRecord[] {
  const text = readText(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GeodataError(file, `is not valid JSON (${(error as Error).message})`);
  }
  return validateCountyCollection(json, file);
}

function readCsv(file: string, columns: readonly string[]): Record<string, string>[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(readText(file), { columns: true, bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new GeodataError(file, `is not valid CSV (${(error as Error).message})`);
  }
  const header = Object.keys(rows[0] ?? {});
  for (const column of columns)
    if (!header.includes(column)) throw new GeodataError(file, `has no "${column}" column`);
  return rows;
}

export function writeCounties(db: Db, counties: readonly CountyRecord[]): void {
  for (const county of counties) upsertCounty(db, county);
}

function filesDigest(files: GeodataFiles): string {
  const hash = createHash('sha256');
  for (const file of [files.counties, files.townships, files.villages]) hash.update(readText(file));
  return hash.digest('hex');
}

/** Codes whose name is new or differs from `before`. */
function renamed(before: PlaceNames, after: PlaceNames): { counties: string[]; townships: string[]; villages: string[] } {
  const differ = (a: Map<string, string>, b: Map<string, string>) =>
    [...b].filter(([code, name]) => a.get(code) !== name).map(([code]) => code);
  return {
    counties: differ(before.counties, after.counties),
    townships: differ(before.townships, after.townships),
    villages: differ(before.villages, after.villages),
  };
}

/** True when any county polygon is new or differs from `before` (code → stored geometry text). */
function boundariesDiffer(before: Map<string, string>, after: Map<string, string>): boolean {
  return [...after].some(([code, geometry]) => before.get(code) !== geometry);
}

/**
 * Where new boundaries put the located sites: the sites whose county changes, or the first site no
 * county holds. Streams the sites (10^6 rows without 10^6 objects); writes nothing.
 */
export function boundaryMoves(
  db: Db,
  locator: CountyLocator,
): { moves: { id: number; county: string }[]; outside: { id: number; name: string; lon: number; lat: number } | null } {
  const moves: { id: number; county: string }[] = [];
  let outside: { id: number; lon: number; lat: number } | null = null;
  for (const [id, lon, lat, county] of locatedSitePositions(db)) {
    const now = locator.locate(lon, lat);
    if (!now) {
      outside = { id, lon, lat };
      break;
    }
    if (now !== county) moves.push({ id, county: now });
  }
  return { moves, outside: outside && { ...outside, name: siteName(db, outside.id) } };
}

/**
 * Brings the database's geodata in line with the files, in one transaction. Skipped when the files
 * are unchanged since the last load (their hash is kept in `meta`). Sites whose county, township or
 * village got a new name get their cached properties rebuilt; `boundariesChanged` says whether any
 * county polygon differs (then the caller checks the sites against them).
 */
export function loadGeodata(db: Db, files: GeodataFiles = DEFAULT_GEODATA): { changed: boolean; boundariesChanged: boolean } {
  const digest = filesDigest(files);
  const previous = getMeta(db, GEODATA_HASH_KEY);
  if (previous === digest) return { changed: false, boundariesChanged: false };

  const counties = readCountyFile(files.counties);
  const countyCodes = new Set(counties.map((c) => c.code));
  const townships = readCsv(files.townships, ['code', 'name', 'type', 'county_code', 'county_name']);
  const villages = readCsv(files.villages, ['code', 'name', 'township_code']);
  const townshipCodes = new Set<string>();
  townships.forEach((row, index) => {
    const county = ADMIN_TO_COUNTY[row.county_code!] ?? row.county_code!;
    if (!countyCodes.has(county))
      throw new GeodataError(files.townships, `row ${index + 2} (${row.code} ${row.name}): county ${row.county_code} has no polygon in ${files.counties}`);
    townshipCodes.add(row.code!);
  });
  villages.forEach((row, index) => {
    if (!townshipCodes.has(row.township_code!))
      throw new GeodataError(files.villages, `row ${index + 2} (${row.code} ${row.name}): township ${row.township_code} is not in ${files.townships}`);
  });

  return db.transaction(() => {
    const names = placeNames(db);
    const shapes = countyGeometryTexts(db);
    writeCounties(db, counties);
    for (const row of townships)
      upsertTownship(db, {
        code: row.code!, name: row.name!, kind: row.type!, adminCode: row.county_code!, adminName: row.county_name!,
        countyCode: ADMIN_TO_COUNTY[row.county_code!] ?? row.county_code!,
      });
    for (const row of villages) upsertVillage(db, { code: row.code!, name: row.name!, townshipCode: row.township_code! });
    setMeta(db, GEODATA_HASH_KEY, digest);
    placesRenamed(db, renamed(names, placeNames(db)));
    return { changed: true, boundariesChanged: boundariesDiffer(shapes, countyGeometryTexts(db)) };
  });
}

export interface ImportResult {
  counties: number;
  /** Sites whose county changed with the new boundaries. */
  reassigned: number;
  removed: string[];
}

/**
 * `npm run geodata -- import FILE`: swaps in an operator's county boundaries. The file passes the
 * same checks as at start-up; every located site must still lie in some county, and a county that
 * sites, roads or townships refer to cannot disappear. All or nothing: on any refusal the database
 * and geodata/ are left as they were.
 */
export function importCountyFile(db: Db, file: string, files: GeodataFiles = DEFAULT_GEODATA): ImportResult {
  const counties = readCountyFile(file);
  const codes = new Set(counties.map((c) => c.code));
  const locator = new CountyLocator(counties.map((c) => ({ code: c.code, geometry: c.geometry })));
  const staged = `${files.counties}.importing`;
  writeFileSync(staged, readFileSync(file));
  try {
    const result = db.transaction((): ImportResult => {
      const removed = [...countyCodes(db)].filter((code) => !codes.has(code));
      for (const code of removed) {
        const used = countyReferences(db, code);
        if (used > 0) throw new GeodataError(file, `county ${code} is missing but ${used} sites, roads or townships belong to it`);
      }
      const names = placeNames(db);
      writeCounties(db, counties);
      const { moves, outside } = boundaryMoves(db, locator);
      if (outside) throw new GeodataError(file, `site ${outside.id} (${outside.name}) at ${outside.lon},${outside.lat} would lie outside every county`);
      for (const { id, county } of moves) setSiteCounty(db, id, county);
      const reassigned = moves.length;
      for (const code of removed) deleteCounty(db, code);
      placesRenamed(db, renamed(names, placeNames(db)));
      const digest = filesDigest({ ...files, counties: staged });
      setMeta(db, GEODATA_HASH_KEY, digest);
      return { counties: counties.length, reassigned, removed };
    });
    renameSync(staged, files.counties);
    return result;
  } finally {
    rmSync(staged, { force: true });
  }
}
