// Boundary data: start-up refuses broken files with one line naming them; the import command swaps
// in an operator's boundaries only when they are valid and keep every site inside some county.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { bootDatabase } from '../server/bootstrap.ts';
import { DEFAULT_GEODATA, importCountyFile, type GeodataFiles } from '../server/geodata/load-geodata.ts';
import { GeodataError } from '../server/geodata/validate-counties.ts';
import { insertSite } from '../server/store/site-mutations.ts';
import { siteFeatureJson } from '../server/store/site-queries.ts';

const countiesText = readFileSync(DEFAULT_GEODATA.counties, 'utf8');
const counties = () => JSON.parse(countiesText) as FeatureCollection<Polygon | MultiPolygon, Record<string, unknown>>;

let dir: string;
let files: GeodataFiles;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sansan-geodata-'));
  files = {
    counties: join(dir, 'counties.geojson'),
    townships: join(dir, 'townships.csv'),
    villages: join(dir, 'villages.csv'),
  };
  copyFileSync(DEFAULT_GEODATA.counties, files.counties);
  copyFileSync(DEFAULT_GEODATA.townships, files.townships);
  copyFileSync(DEFAULT_GEODATA.villages, files.villages);
});

const boot = () => bootDatabase(join(dir, 'sansan.db'), { demo: false, geodata: files });

/** The counties with 临颍县 (411122) shrunk to a 1 km square far from its sites. */
/** A demo sand yard placed exactly at (lon, lat) in `countyCode` (and village, when given). */
const site = (db: ReturnType<typeof boot>['db'], name: string, lon: number, lat: number, countyCode: string, villageCode?: string) =>
  insertSite(db, {
    name,
    category: 'sand_yard',
    countyCode,
    townshipCode: villageCode?.slice(0, 9) ?? null,
    villageCode: villageCode ?? null,
    lon,
    lat,
    precision: 'exact',
    source: 'demo',
    discoveredOn: '2021-01-01',
    actor: 'test',
  });

function shrunkenCounties(): FeatureCollection<Polygon | MultiPolygon, Record<string, unknown>> {
  const shrunk = counties();
  shrunk.features.find((f) => f.properties.adcode === '411122')!.geometry = {
    type: 'Polygon',
    coordinates: [
      [
        [113.7, 33.3],
        [113.71, 33.3],
        [113.71, 33.31],
        [113.7, 33.31],
        [113.7, 33.3],
      ],
    ],
  };
  return shrunk;
}

describe('start-up with geodata', () => {
  it('loads the five counties with geodesic areas close to SOURCES.md', () => {
    const { db } = boot();
    const rows = db.all<{ code: string; area_km2: number; kind: string }>('SELECT code, area_km2, kind FROM counties ORDER BY code');
    expect(rows.map((r) => r.code)).toEqual(['411102', '411103', '411104', '411121', '411122']);
    expect(rows.map((r) => r.kind)).toEqual(['district', 'district', 'district', 'county', 'county']);
    // geodata/SOURCES.md: 230.1, 452.6, 437.2, 772.2, 801.2 km² (turf.area)
    expect(rows.map((r) => Math.round(r.area_km2 * 10) / 10)).toEqual([230.1, 452.6, 437.2, 772.2, 801.2]);
    expect(db.get<{ n: number }>('SELECT count(*) AS n FROM townships')!.n).toBe(58);
    expect(db.get<{ n: number }>('SELECT count(*) AS n FROM villages')!.n).toBe(1334);
    // 经开区's two towns have no polygon of their own: they belong to 召陵区's.
    expect(db.all<{ county_code: string }>("SELECT county_code FROM townships WHERE admin_code = '411171'").map((r) => r.county_code)).toEqual([
      '411104',
      '411104',
    ]);
    db.close();
  });

  it('stops with one line naming a missing file, and leaves nothing half-written', () => {
    files.villages = join(dir, 'nope.csv');
    expect(boot).toThrowError(new RegExp(`^${join(dir, 'nope.csv').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot be read`));
  });

  it('stops naming the file and the feature when a polygon is broken', () => {
    const broken = counties();
    broken.features[2]!.geometry = { type: 'Point', coordinates: [114, 33.5] } as unknown as Polygon;
    writeFileSync(files.counties, JSON.stringify(broken));
    expect(boot).toThrowError(/counties\.geojson: feature 3 \(411104 召陵区\): geometry must be Polygon or MultiPolygon/);
  });

  it('refuses a self-intersecting polygon', () => {
    const bowtie = counties();
    bowtie.features[0]!.geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [113.9, 33.5],
          [114, 33.6],
          [114, 33.5],
          [113.9, 33.6],
          [113.9, 33.5],
        ],
      ],
    };
    writeFileSync(files.counties, JSON.stringify(bowtie));
    expect(boot).toThrowError(/feature 1 \(411102 源汇区\): polygon is not valid/);
  });

  it('refuses features without a county code', () => {
    const nameless = counties();
    delete nameless.features[4]!.properties.adcode;
    writeFileSync(files.counties, JSON.stringify(nameless));
    expect(boot).toThrowError(/feature 5: property "adcode" \(or "code"\) must be a 6-digit county code/);
  });
});

describe('start-up after the geodata files change', () => {
  /** The site's county and its feature's properties, as GET /api/sites answers them. */
  const props = (db: ReturnType<typeof boot>['db'], id: number) => ({
    county_code: db.get<{ county_code: string }>('SELECT county_code FROM sites WHERE id = ?', [id])!.county_code,
    feature_props: JSON.stringify((JSON.parse(siteFeatureJson(db, id)!) as { properties: object }).properties),
  });

  it('moves a site whose county polygon changed, with its county name', () => {
    const first = boot();
    const id = site(first.db, '测试砂石料场', 113.95, 33.55, '411102');
    first.db.close();
    const next = counties();
    [next.features[0]!.geometry, next.features[2]!.geometry] = [next.features[2]!.geometry, next.features[0]!.geometry];
    writeFileSync(files.counties, JSON.stringify(next));
    const { db } = boot();
    expect(props(db, id).county_code).toBe('411104');
    expect(JSON.parse(props(db, id).feature_props)).toMatchObject({ county: '411104', countyName: '召陵区' });
    db.close();
  });

  it('names the sites of a renamed village anew, and only them, and makes kept answers stale', () => {
    const first = boot();
    const inVillage = site(first.db, '村里的料场', 113.95, 33.55, '411102', '411102001001');
    const elsewhere = site(first.db, '别处的料场', 113.951, 33.551, '411102');
    const before = props(first.db, elsewhere).feature_props;
    expect(JSON.parse(props(first.db, inVillage).feature_props)).toMatchObject({ villageName: '滨西社区居民委员会' });
    const sitesVersion = (db: ReturnType<typeof boot>['db']) => db.get<{ v: number }>("SELECT version AS v FROM data_versions WHERE topic = 'sites'")!.v;
    const versionBefore = sitesVersion(first.db);
    first.db.close();
    writeFileSync(files.villages, readFileSync(files.villages, 'utf8').replace('411102001001,滨西社区居民委员会', '411102001001,滨西新社区居民委员会'));
    const { db } = boot();
    expect(JSON.parse(props(db, inVillage).feature_props)).toMatchObject({ village: '411102001001', villageName: '滨西新社区居民委员会' });
    expect(props(db, elsewhere).feature_props).toBe(before);
    expect(sitesVersion(db)).toBeGreaterThan(versionBefore);
    db.close();
  });

  it('stops naming a site that new boundaries leave outside every county, changing nothing', () => {
    const first = boot();
    const id = site(first.db, '边界外测试点', 113.94, 33.85, '411122');
    const geometries = first.db.all('SELECT code, geometry FROM counties ORDER BY code');
    first.db.close();
    const shrunk = shrunkenCounties();
    writeFileSync(files.counties, JSON.stringify(shrunk));
    expect(boot).toThrowError(new RegExp(`site ${id} \\(边界外测试点\\) at 113.94,33.85 lies outside every county polygon of the loaded geodata`));
    writeFileSync(files.counties, countiesText);
    const { db } = boot();
    expect(db.all('SELECT code, geometry FROM counties ORDER BY code')).toEqual(geometries);
    db.close();
  });
});

describe('npm run geodata -- import', () => {
  /** The counties with 源汇区's and 召陵区's shapes swapped: every site in one now lies in the other. */
  function swapped(): FeatureCollection<Polygon | MultiPolygon, Record<string, unknown>> {
    const next = counties();
    const [a, b] = [next.features[0]!, next.features[2]!];
    [a.geometry, b.geometry] = [b.geometry, a.geometry];
    return next;
  }

  it('swaps in valid boundaries and moves sites to the county that now holds them', () => {
    const { db } = boot();
    const id = site(db, '测试砂石料场', 113.95, 33.55, '411102');
    const file = join(dir, 'official.geojson');
    const official = swapped();
    writeFileSync(file, JSON.stringify(official));
    const result = importCountyFile(db, file, files);
    expect(result).toEqual({ counties: 5, reassigned: 1, removed: [] });
    expect(db.get<{ county_code: string }>('SELECT county_code FROM sites WHERE id = ?', [id])!.county_code).toBe('411104');
    expect(readFileSync(files.counties, 'utf8')).toBe(readFileSync(file, 'utf8'));
    db.close();
    // The next start-up sees the imported file as current and keeps it.
    const again = boot();
    const stored = again.db.get<{ geometry: string }>("SELECT geometry FROM counties WHERE code = '411104'")!.geometry;
    expect(JSON.parse(stored)).toEqual(official.features[2]!.geometry);
    again.db.close();
  });

  it('refuses boundaries that leave a site outside every county, changing nothing', () => {
    const { db } = boot();
    const id = site(db, '边界外测试点', 113.94, 33.85, '411122');
    const shrunk = shrunkenCounties();
    const file = join(dir, 'shrunk.geojson');
    writeFileSync(file, JSON.stringify(shrunk));
    const before = db.all('SELECT code, geometry FROM counties ORDER BY code');
    expect(() => importCountyFile(db, file, files)).toThrowError(new RegExp(`site ${id} \\(边界外测试点\\) at 113.94,33.85 would lie outside every county`));
    expect(db.all('SELECT code, geometry FROM counties ORDER BY code')).toEqual(before);
    expect(readFileSync(files.counties, 'utf8')).toBe(countiesText);
    db.close();
  });

  it('refuses to drop a county that sites and townships belong to, changing nothing', () => {
    const { db } = boot();
    site(db, '边界外测试点', 113.94, 33.85, '411122');
    const without = counties();
    without.features = without.features.filter((f) => f.properties.adcode !== '411122');
    const file = join(dir, 'four.geojson');
    writeFileSync(file, JSON.stringify(without));
    const before = db.all('SELECT code, geometry FROM counties ORDER BY code');
    expect(() => importCountyFile(db, file, files)).toThrowError(GeodataError);
    expect(() => importCountyFile(db, file, files)).toThrowError(/county 411122 is missing but \d+ sites, roads or townships belong to it/);
    expect(db.all('SELECT code, geometry FROM counties ORDER BY code')).toEqual(before);
    expect(readFileSync(files.counties, 'utf8')).toBe(countiesText);
    db.close();
  });

  it('refuses a file that is not valid polygons with county codes', () => {
    const { db } = boot();
    const file = join(dir, 'points.geojson');
    writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { adcode: '411102', name: '源汇区' }, geometry: { type: 'Point', coordinates: [114, 33.5] } }],
      }),
    );
    expect(() => importCountyFile(db, file, files)).toThrowError(
      /points\.geojson: feature 1 \(411102 源汇区\): geometry must be Polygon or MultiPolygon, got Point/,
    );
    writeFileSync(file, 'not json');
    expect(() => importCountyFile(db, file, files)).toThrowError(/points\.geojson: is not valid JSON/);
    expect(readFileSync(files.counties, 'utf8')).toBe(countiesText);
    db.close();
  });
});

it('ships the boundary attribution with the geodata', () => {
  const sources = readFileSync(resolve(import.meta.dirname, '../geodata/SOURCES.md'), 'utf8');
  expect(sources).toContain('DataV.GeoAtlas');
});
