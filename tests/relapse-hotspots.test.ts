// Hotspots over the study area (Luohe's counties) with the Benjamini–Hochberg correction: under
// complete spatial randomness few cells come out hot; a planted cluster does.
import { beforeAll, describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import { openDatabase } from '../server/db/database.ts';
import { migrate } from '../server/db/migrate.ts';
import { loadGeodata } from '../server/geodata/load-geodata.ts';
import { countyAreas } from '../server/store/relapse-store.ts';
import { CountyLocator, geometryBbox } from '../domain/locate-county.ts';
import { analyzeRelapse, fdrConfidences, type RelapseSiteInput } from '../server/geo/analyze-relapse.ts';

type Area = ReturnType<typeof countyAreas>;
let area: Area;
let locator: CountyLocator;
let bbox: [number, number, number, number];

beforeAll(() => {
  const db = openDatabase(':memory:');
  migrate(db);
  loadGeodata(db);
  area = countyAreas(db);
  db.close();
  locator = new CountyLocator(area);
  const boxes = area.map((part) => geometryBbox(part.geometry));
  bbox = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
});

/** Park–Miller, so each seed gives the same placement every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 16807) % 2147483647) - 1) / 2147483646;
}

function relapsing(id: number, lon: number, lat: number, county: string): RelapseSiteInput {
  return {
    id,
    name: `点位${id}`,
    category: 'sand_yard',
    lon,
    lat,
    county,
    township: null,
    discoveredOn: '2021-01-01',
    events: [
      { to: 'closed', date: '2021-02-01' },
      { to: 'relapsed', date: '2021-09-01' },
    ],
  };
}

/** n relapses placed uniformly at random inside the counties (rejection sampling over their bbox). */
function uniformSites(n: number, next: () => number, firstId = 1): RelapseSiteInput[] {
  const sites: RelapseSiteInput[] = [];
  while (sites.length < n) {
    const lon = bbox[0] + (bbox[2] - bbox[0]) * next();
    const lat = bbox[1] + (bbox[3] - bbox[1]) * next();
    const county = locator.locate(lon, lat);
    if (county) sites.push(relapsing(firstId + sites.length, lon, lat, county));
  }
  return sites;
}

const hotAt95 = (result: ReturnType<typeof analyzeRelapse>) =>
  result.cells.features.filter((cell) => cell.properties.kind === 'hot' && cell.properties.confidence! >= 95).length;

describe('Gi* over the counties with the FDR correction', () => {
  it('under complete spatial randomness at most 5% of cells are hot at 95% (1 km cells), for several seeds and densities', () => {
    for (const seed of [1, 2, 3, 4, 5])
      for (const n of [80, 400, 1500]) {
        const result = analyzeRelapse(uniformSites(n, random(seed * 7919 + n)), { studyArea: area });
        expect(result.summary.correction).toBe('fdr');
        const share = hotAt95(result) / result.cells.features.length;
        expect(share, `seed ${seed}, ${n} relapses: ${hotAt95(result)} of ${result.cells.features.length} cells hot`).toBeLessThanOrEqual(0.05);
      }
  });

  it('finds a planted cluster: its cell is hot at 95% or more', () => {
    const next = random(2024);
    const centre: [number, number] = [113.93, 33.6];
    const county = locator.locate(...centre)!;
    const cluster = Array.from({ length: 25 }, (_, i) => {
      const angle = 2 * Math.PI * next();
      const km = 1.2 * Math.sqrt(next());
      return relapsing(10_000 + i, centre[0] + (km * Math.cos(angle)) / 93, centre[1] + (km * Math.sin(angle)) / 111, county);
    });
    const result = analyzeRelapse([...uniformSites(300, next), ...cluster], { studyArea: area });
    const holding = result.cells.features.find((cell) => booleanPointInPolygon(centre, cell))!;
    expect(holding.properties.kind).toBe('hot');
    expect(holding.properties.confidence).toBeGreaterThanOrEqual(95);
    // Only cells near the cluster: none more than 6 km from it.
    for (const cell of result.cells.features.filter((c) => c.properties.kind === 'hot' && c.properties.confidence! >= 95)) {
      const ring = cell.geometry.coordinates[0]!.slice(0, 6);
      const lon = ring.reduce((sum, p) => sum + p[0]!, 0) / 6;
      const lat = ring.reduce((sum, p) => sum + p[1]!, 0) / 6;
      expect(Math.hypot((lon - centre[0]) * 93, (lat - centre[1]) * 111)).toBeLessThan(6);
    }
  });

  it('keeps only cells inside the counties (or holding a site) and reports the neighbourhood', () => {
    const sites = uniformSites(200, random(99));
    const result = analyzeRelapse(sites, { studyArea: area, cellKm: 2 });
    expect(result.grid).toMatchObject({ extent: 'counties', cells: result.cells.features.length, neighbourhood: { kind: 'hexagon-edge', most: 7 } });
    expect(result.grid!.cells).toBeLessThan(result.grid!.columns * result.grid!.rows);
    expect(result.grid!.neighbourhood.distanceKm).toBeCloseTo(2.02, 6);
    const withSite = new Set(result.cells.features.filter((cell) => cell.properties.count > 0).map((cell) => cell.properties.id));
    for (const cell of result.cells.features) {
      const ring = cell.geometry.coordinates[0]!.slice(0, 6);
      const lon = ring.reduce((sum, p) => sum + p[0]!, 0) / 6;
      const lat = ring.reduce((sum, p) => sum + p[1]!, 0) / 6;
      if (!withSite.has(cell.properties.id)) expect(locator.locate(lon, lat), `cell ${cell.properties.id}`).not.toBeNull();
    }
    // Every located relapse falls in a cell.
    expect(result.cells.features.reduce((sum, cell) => sum + cell.properties.relapses, 0)).toBe(200);
    // One county: only its cells.
    const one = analyzeRelapse(sites, { studyArea: area, cellKm: 2, counties: ['411102'] });
    expect(one.cells.features.length).toBeLessThan(result.cells.features.length / 4);
    expect(one.definitions.confidence.zh).toContain('Benjamini–Hochberg');
    expect(one.definitions.neighbourhood.zh).toContain('2.02 公里');
  });

  it('Benjamini–Hochberg: the cutoff is the largest p(k) ≤ α·k/m', () => {
    // p-values 0.001, 0.008, 0.039, 0.041, 0.2 (m = 5): at α = 0.05 the bounds are 0.01, 0.02,
    // 0.03, 0.04, 0.05 → k = 2 (0.008 ≤ 0.02; 0.039 > 0.03, 0.041 > 0.04).
    const z = [0.001, 0.008, 0.039, 0.041, 0.2].map((p) => inverseTwoSided(p));
    const { confidence, cutoffs } = fdrConfidences(z);
    expect(cutoffs[95]).toBeCloseTo(0.008, 6);
    expect(confidence).toEqual([99, 95, 90, 90, null]);
  });
});

/** |z| whose two-sided p-value is p (bisection on the survival function). */
function inverseTwoSided(p: number): number {
  let low = 0;
  let high = 10;
  for (let i = 0; i < 200; i++) {
    const mid = (low + high) / 2;
    if (fdrConfidencesP(mid) > p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
function fdrConfidencesP(z: number): number {
  // erfc via the complementary normal: independent of the code under test (Abramowitz–Stegun 7.1.26 is too coarse here, so integrate).
  const steps = 20_000;
  const upper = 12;
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    const x = z + ((i + 0.5) * (upper - z)) / steps;
    sum += Math.exp(-(x * x) / 2);
  }
  return (2 * sum * ((upper - z) / steps)) / Math.sqrt(2 * Math.PI);
}
