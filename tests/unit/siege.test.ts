// Industrial siege (工业围城, issue 5): the pure analysis, on fixtures whose answers are known by hand.
import { readFileSync } from 'node:fs';
import {
  area,
  bearing as turfBearing,
  booleanClockwise,
  booleanPointInPolygon,
  booleanValid,
  buffer,
  destination,
  kinks,
  length,
  pointToLineDistance,
  polygon,
  polygonToLine,
} from '@turf/turf';
import type { Feature, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { CategoryCode, SectorCode } from '../../domain/categories.ts';
import type { StatusCode } from '../../domain/statuses.ts';
import { analyzeSiege, compareSiege, defaultCore, SiegeOptionError } from '../../server/geo/analyze-siege.ts';
import type { SiegeOptions, SiegeResult, SiegeSite } from '../../server/geo/analyze-siege.ts';
import { BUFFER_STEPS } from '../../server/geo/siege-cells.ts';
import { compassBearing, sectorOf } from '../../server/geo/siege-distance.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures, deep-frozen so a test (or the analysis) that mutates them fails.

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

type Expectation = { band: number | 'edge'; sector: number | null } | 'unassigned' | null;

interface FixtureSite {
  id: number;
  bearing: number;
  fromSeatKm: number;
  category: CategoryCode;
  status: StatusCode;
  sector?: SectorCode | null;
  name: string;
  expect: Expectation;
  expectAll?: Expectation;
}

interface SiteFixture {
  description: string;
  coreRadiusKm: number;
  sites: FixtureSite[];
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as T;
}

const SEAT = deepFreeze(
  readJson<{ features: { properties: { seat: [number, number] } }[] }>('../../geodata/city-outline.geojson').features[0]!.properties.seat,
);
const COMPASS = deepFreeze(readJson<SiteFixture>('../fixtures/siege-compass.json'));
const MIXED = deepFreeze(readJson<SiteFixture>('../fixtures/siege-mixed.json'));
const CORE = deepFreeze(defaultCore([SEAT[0], SEAT[1]], 6));
const CORE_LINE = deepFreeze(polygonToLine(CORE) as Feature<LineString | MultiLineString>);

function toSite(site: FixtureSite): SiegeSite {
  const [lon, lat] = destination([SEAT[0], SEAT[1]], site.fromSeatKm, site.bearing, { units: 'kilometers' }).geometry.coordinates as [number, number];
  return { id: site.id, lon, lat, category: site.category, status: site.status, sector: site.sector ?? null, name: site.name };
}

const COMPASS_SITES = deepFreeze(COMPASS.sites.map(toSite));
const MIXED_SITES = deepFreeze(MIXED.sites.map(toSite));

/** Geodesic reference: turf.pointToLineDistance to the nearest boundary ring, km. */
function referenceDistanceKm(lon: number, lat: number, line: Feature<LineString | MultiLineString> = CORE_LINE): number {
  if (line.geometry.type === 'LineString') return pointToLineDistance([lon, lat], line as Feature<LineString>, { units: 'kilometers' });
  return Math.min(
    ...line.geometry.coordinates.map((coordinates) =>
      pointToLineDistance([lon, lat], { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates } }, { units: 'kilometers' }),
    ),
  );
}

function placementOf(result: SiegeResult, id: number) {
  return result.placements.find((placement) => placement.id === id);
}

/** The cells (band, sector) whose siteIds hold the site. */
function cellsHolding(result: SiegeResult, id: number): [number, number | null][] {
  return result.cells.features.filter((cell) => cell.properties.siteIds.includes(id)).map((cell) => [cell.properties.band, cell.properties.sector]);
}

function cellCount(result: SiegeResult, band: number, sector: number | null): number {
  const cell = result.cells.features.find((feature) => feature.properties.band === band && feature.properties.sector === sector);
  if (!cell) throw new Error(`no cell ${band}/${sector}`);
  return cell.properties.count;
}

function edgeBand(result: SiegeResult, id: number): number {
  // The rule: d in [from, to) → that band. Site 13 is 2 km out up to floating point.
  return placementOf(result, id)!.distanceKm < 2 ? 1 : 2;
}

function expectPlacements(result: SiegeResult, key: 'expect' | 'expectAll'): void {
  const actual = MIXED.sites.map((site) => {
    const placement = placementOf(result, site.id);
    return { id: site.id, where: placement ? { band: placement.band, sector: placement.sector } : null };
  });
  const expected = MIXED.sites.map((site) => {
    const expectation = site[key] ?? null;
    if (expectation === null || expectation === 'unassigned') return { id: site.id, where: null };
    const band = expectation.band === 'edge' ? edgeBand(result, site.id) : expectation.band;
    return { id: site.id, where: { band, sector: expectation.sector } };
  });
  expect(actual).toEqual(expected);
}

const DEFAULTS = deepFreeze({ core: CORE }) as SiegeOptions;

/** Each placed site lies in the polygon of the cell that lists it (sites on an edge excepted). */
function expectSitesInTheirCells(result: SiegeResult, sites: readonly SiegeSite[], onEdges: number[] = []): void {
  for (const site of sites) {
    if (onEdges.includes(site.id)) continue;
    const cell = result.cells.features.find((feature) => feature.properties.siteIds.includes(site.id));
    if (!cell) continue;
    expect({ id: site.id, inside: booleanPointInPolygon([site.lon, site.lat], cell) }).toEqual({ id: site.id, inside: true });
  }
}

// ---------------------------------------------------------------------------------------------

describe('fixtures', () => {
  it('are deep-frozen, so a test that mutates them fails', () => {
    expect(() => {
      (COMPASS_SITES[0] as { lon: number }).lon = 0;
    }).toThrow(TypeError);
    expect(() => {
      (CORE.geometry.coordinates[0]![0] as number[])[0] = 0;
    }).toThrow(TypeError);
    expect(() => {
      (MIXED.sites as FixtureSite[]).push(MIXED.sites[0]!);
    }).toThrow(TypeError);
  });

  it('defaultCore is a labelled 128-step circle around the seat', () => {
    expect(SEAT).toEqual([114.02047, 33.577333]);
    expect(CORE.properties).toEqual({ name: '默认核心区（市政府周边 6 公里）', isDefault: true });
    expect(CORE.geometry.type).toBe('Polygon');
    expect(CORE.geometry.coordinates[0]).toHaveLength(129);
    for (const vertex of CORE.geometry.coordinates[0]!) expect(referenceDistanceKm(vertex[0]!, vertex[1]!, CORE_LINE)).toBe(0);
  });
});

describe('analyzeSiege: placement', () => {
  const compass = analyzeSiege(COMPASS_SITES, DEFAULTS);

  it('puts four sites 3 km N, E, S, W of a circular core in band [2, 5) km, sectors 0, 4, 8, 12: occupancy 4/16', () => {
    expect(compass.placements.map(({ id, band, sector }) => ({ id, band, sector }))).toEqual(
      COMPASS.sites.map((site) => ({ id: site.id, ...(site.expect as { band: number; sector: number }) })),
    );
    for (const placement of compass.placements) expect(placement.distanceKm).toBeCloseTo(3, 6);
    expect(compass.summary.occupiedSectors).toBe(4);
    expect(compass.summary.sectors).toBe(16);
    expect(compass.summary.occupancy).toBe(4 / 16);
    expect(compass.summary.nearCountBySector).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    const band2 = compass.cells.features.find((cell) => cell.properties.band === 2 && cell.properties.sector === 0)!;
    expect(band2.properties).toMatchObject({ bandFromKm: 2, bandToKm: 5, bearingFrom: 348.75, bearingTo: 11.25, count: 1, siteIds: [1] });
    expect(band2.properties.byCategory).toEqual({
      scattered_firm: 0,
      sand_yard: 1,
      concrete_plant: 0,
      cement_prefab: 0,
      wood_processing: 0,
      brick_kiln: 0,
    });
    expect(band2.properties.density).toBeCloseTo(1 / band2.properties.areaKm2, 12);
  });

  it('places every mixed-fixture site where the fixture says (default options: open industrial sites)', () => {
    const result = analyzeSiege(MIXED_SITES, DEFAULTS);
    expectPlacements(result, 'expect');
    expect(result.summary.sites).toBe(9);
    expect(result.unassigned).toBe(1);
    expect(result.unlocated).toBe(0);
    expect(result.summary.insideCore).toBe(1);
    expect(result.summary.occupiedSectors).toBe(6); // sectors 0, 2, 4, 6, 8, 12
    expect(result.summary.farSites).toBe(1);
  });

  it('leaves closed, verified and relocated sites out by default and counts them with openOnly false', () => {
    const open = analyzeSiege(MIXED_SITES, DEFAULTS);
    const all = analyzeSiege(MIXED_SITES, { ...DEFAULTS, openOnly: false });
    for (const id of [6, 14, 15]) {
      expect(placementOf(open, id)).toBeUndefined();
      expect(cellsHolding(open, id)).toEqual([]);
      expect(cellsHolding(all, id)).toHaveLength(1);
    }
    expect(placementOf(open, 4)?.status).toBe('upgraded'); // upgraded is still standing: counted
    expectPlacements(all, 'expectAll');
    expectSitesInTheirCells(all, MIXED_SITES, [13]);
    expect(all.summary.sites).toBe(12);
    expect(cellCount(all, 2, 4)).toBe(2);
    expect(all.summary.occupiedSectors).toBe(7); // + sector 7 (site 15, 4 km out)
  });

  it('counts scattered firms only when industrial or of unrecorded sector, and only the chosen categories', () => {
    const all = analyzeSiege(MIXED_SITES, { ...DEFAULTS, openOnly: false });
    expect(placementOf(all, 7)).toBeUndefined(); // agricultural
    expect(placementOf(all, 8)?.category).toBe('scattered_firm'); // industrial
    expect(placementOf(all, 9)?.category).toBe('scattered_firm'); // sector null
    expect(placementOf(all, 12)).toBeUndefined(); // fuel point: not industry
    const sandOnly = analyzeSiege(MIXED_SITES, { ...DEFAULTS, categories: ['sand_yard'] });
    expect(sandOnly.placements.map((placement) => placement.id)).toEqual([1]);
    expect(sandOnly.unassigned).toBe(1); // site 11
    expect(sandOnly.cells.features[0]!.properties.byCategory).toEqual({ sand_yard: 0 });
  });

  it('counts sites without coordinates as unlocated, placing them nowhere', () => {
    const lost: SiegeSite = { id: 99, lon: Number.NaN, lat: Number.NaN, category: 'sand_yard', status: 'discovered' };
    const result = analyzeSiege([...COMPASS_SITES, lost], DEFAULTS);
    expect(result.unlocated).toBe(1);
    expect(result.summary.sites).toBe(4);
    expect(placementOf(result, 99)).toBeUndefined();
  });

  it('puts a site inside the core in the one core cell and in insideCore', () => {
    const result = analyzeSiege(MIXED_SITES, DEFAULTS);
    expect(cellsHolding(result, 5)).toEqual([[0, null]]);
    const coreCell = result.cells.features[0]!;
    expect(coreCell.properties).toMatchObject({ band: 0, inside: true, sector: null, bearingFrom: null, count: 1, siteIds: [5] });
    expect(coreCell.geometry).toEqual(CORE.geometry);
    expect(coreCell.geometry).not.toBe(CORE.geometry); // a copy: editing the result cannot edit the core
    expect(placementOf(result, 5)).toMatchObject({ distanceKm: 0, bearing: null });
    expect(result.summary.insideCore).toBe(1);
    expect(result.summary.nearSites).toBe(6); // inside-core sites are not near sites
  });

  it('sends a site exactly on a band edge to exactly one band, by the [from, to) rule', () => {
    const result = analyzeSiege(MIXED_SITES, DEFAULTS);
    const placement = placementOf(result, 13)!;
    const site = MIXED_SITES.find((candidate) => candidate.id === 13)!;
    expect(placement.distanceKm).toBeCloseTo(2, 9);
    expect(placement.distanceKm).toBeCloseTo(referenceDistanceKm(site.lon, site.lat), 9);
    expect(cellsHolding(result, 13)).toEqual([[placement.distanceKm < 2 ? 1 : 2, 2]]);

    // An edge placed at exactly the computed distance: the site belongs to the band starting there…
    const d = placement.distanceKm;
    const split = analyzeSiege(MIXED_SITES, { ...DEFAULTS, bandsKm: [0, d, 20] });
    expect(cellsHolding(split, 13)).toEqual([[2, 2]]);
    // …except at the outer edge of the last band, which is closed.
    const closedEnd = analyzeSiege(MIXED_SITES, { ...DEFAULTS, bandsKm: [0, 1, d] });
    expect(cellsHolding(closedEnd, 13)).toEqual([[2, 2]]);
    expect(closedEnd.placements.filter((candidate) => candidate.band === 2).map((candidate) => candidate.id)).toContain(13);
  });

  it('numbers sectors clockwise from one centred on north; a bearing on an edge goes clockwise', () => {
    expect(sectorOf(0, 16)).toBe(0);
    expect(sectorOf(359.99, 16)).toBe(0);
    expect(sectorOf(348.75, 16)).toBe(0);
    expect(sectorOf(11.2499, 16)).toBe(0);
    expect(sectorOf(11.25, 16)).toBe(1);
    expect(sectorOf(90, 16)).toBe(4);
    expect(sectorOf(180, 4)).toBe(2);
    expect(sectorOf(270, 1)).toBe(0);
    for (const [lon, lat] of [
      [114.2, 33.6],
      [113.9, 33.4],
      [114.02047, 33.9],
      [113.8, 33.577333],
    ] as const) {
      const reference = (turfBearing(SEAT as [number, number], [lon, lat]) + 360) % 360;
      expect(compassBearing(SEAT[0], SEAT[1], lon, lat)).toBeCloseTo(reference, 9);
    }
  });
});

describe('analyzeSiege: geodesic accuracy', () => {
  it('measures distances within 0.5% of turf.pointToLineDistance', () => {
    const sites: SiegeSite[] = [];
    let id = 0;
    for (let bearing = 0; bearing < 360; bearing += 7.3)
      for (const fromSeatKm of [6.05, 6.5, 7, 9.9, 13, 18.2, 25.9]) {
        const [lon, lat] = destination([SEAT[0], SEAT[1]], fromSeatKm, bearing, { units: 'kilometers' }).geometry.coordinates;
        sites.push({ id: ++id, lon: lon!, lat: lat!, category: 'sand_yard', status: 'discovered' });
      }
    const result = analyzeSiege(sites, DEFAULTS);
    expect(result.placements).toHaveLength(sites.length);
    let worst = 0;
    for (const placement of result.placements) {
      const site = sites[placement.id - 1]!;
      const reference = referenceDistanceKm(site.lon, site.lat);
      worst = Math.max(worst, Math.abs(placement.distanceKm - reference) / reference);
    }
    expect(worst).toBeLessThan(0.005);
  });

  it('makes the cells of each band add up to the band (buffer difference) and the core cell equal to the core', () => {
    const result = analyzeSiege([], DEFAULTS);
    const coreArea = area(CORE) / 1e6;
    expect(result.cells.features[0]!.properties.areaKm2).toBeCloseTo(coreArea, 9);
    expect(result.core.areaKm2).toBeCloseTo(coreArea, 9);
    const edges = result.options.bandsKm;
    const bufferArea = (km: number) => (km === 0 ? coreArea : area(buffer(CORE, km, { units: 'kilometers', steps: BUFFER_STEPS })!) / 1e6);
    const earthRadiusKm = 6371.0088;
    const capArea = (radiusKm: number) => 2 * Math.PI * earthRadiusKm ** 2 * (1 - Math.cos(radiusKm / earthRadiusKm));
    for (let band = 1; band < edges.length; band++) {
      const cells = result.cells.features.filter((cell) => cell.properties.band === band);
      expect(cells).toHaveLength(16);
      const sum = cells.reduce((total, cell) => total + cell.properties.areaKm2, 0);
      const ring = bufferArea(edges[band]!) - bufferArea(edges[band - 1]!);
      expect(Math.abs(sum - ring) / ring).toBeLessThan(0.005);
      // in fact the cells tile the band: neighbours share their cut points, nothing is lost
      expect(Math.abs(sum - ring) / ring).toBeLessThan(1e-6);
      // and against the exact spherical annulus between circles of 6 + from and 6 + to km
      const annulus = capArea(6 + edges[band]!) - capArea(6 + edges[band - 1]!);
      expect(Math.abs(sum - annulus) / annulus).toBeLessThan(0.005);
      // sixteen equal sectors of a circle: each cell is a sixteenth of the ring
      for (const cell of cells) expect(Math.abs(cell.properties.areaKm2 * 16 - ring) / ring).toBeLessThan(0.005);
    }
    for (const cell of result.cells.features)
      expect({
        cell: [cell.properties.band, cell.properties.sector],
        // valid, and wound by the right-hand rule (RFC 7946): shells counter-clockwise
        valid: booleanValid(cell) && kinks(cell).features.length === 0 && !booleanClockwise((cell.geometry as Polygon).coordinates[0]!),
      }).toEqual({
        cell: [cell.properties.band, cell.properties.sector],
        valid: true,
      });
    expect(result.summary.farAreaKm2).toBeCloseTo(bufferArea(20) - bufferArea(10), 6);
    expect(result.summary.nearAreaKm2).toBeCloseTo(bufferArea(5) - coreArea, 6);
  });

  it('buffers a square core as finely as the exact area A + P·d + π·d² of its bands', () => {
    const [lon0, lat0] = SEAT;
    const kmLon = 1 / (111.32 * Math.cos((lat0 * Math.PI) / 180));
    const kmLat = 1 / 110.57;
    const square = deepFreeze(
      polygon([
        [
          [-4, -4],
          [4, -4],
          [4, 4],
          [-4, 4],
          [-4, -4],
        ].map(([x, y]) => [lon0 + x! * kmLon, lat0 + y! * kmLat]),
      ]) as Feature<Polygon>,
    );
    const result = analyzeSiege([], { core: square });
    const coreArea = area(square) / 1e6;
    const perimeter = length(polygonToLine(square) as Feature<LineString>, { units: 'kilometers' });
    const steiner = (d: number) => coreArea + perimeter * d + Math.PI * d * d;
    const edges = result.options.bandsKm;
    for (let band = 1; band < edges.length; band++) {
      const exact = steiner(edges[band]!) - steiner(edges[band - 1]!);
      const sum = result.cells.features.filter((cell) => cell.properties.band === band).reduce((total, cell) => total + cell.properties.areaKm2, 0);
      expect(Math.abs(sum - exact) / exact).toBeLessThan(0.005);
    }
  });

  it('cuts a U-shaped core (rays cross its boundary twice) exactly too, with a site in the notch', () => {
    const [lon0, lat0] = SEAT;
    const kmLon = 1 / (111.32 * Math.cos((lat0 * Math.PI) / 180));
    const kmLat = 1 / 110.57;
    const corners = [
      [-6, -5],
      [6, -5],
      [6, 5],
      [3, 5],
      [3, -2],
      [-3, -2],
      [-3, 5],
      [-6, 5],
      [-6, -5],
    ];
    const uCore = deepFreeze(polygon([corners.map(([x, y]) => [lon0 + x! * kmLon, lat0 + y! * kmLat])], { name: 'U 形核心区' }) as Feature<Polygon>);
    const notch: SiegeSite = { id: 1, lon: lon0, lat: lat0 + 1 * kmLat, category: 'sand_yard', status: 'discovered' };
    expect(booleanPointInPolygon([notch.lon, notch.lat], uCore)).toBe(false);
    const around: SiegeSite[] = [];
    for (let bearing = 10; bearing < 360; bearing += 45)
      for (const fromSeatKm of [7, 9, 12, 20]) {
        const [lon, lat] = destination([lon0, lat0], fromSeatKm, bearing, { units: 'kilometers' }).geometry.coordinates;
        around.push({ id: 100 + around.length, lon: lon!, lat: lat!, category: 'brick_kiln', status: 'discovered' });
      }
    const result = analyzeSiege([notch, ...around], { core: uCore, sectors: 8 });
    expectSitesInTheirCells(result, [notch, ...around]);
    expect(new Set(result.placements.map((placement) => placement.sector))).toEqual(new Set([null, 0, 1, 2, 3, 4, 5, 6, 7]));
    expect(result.core).toMatchObject({ name: 'U 形核心区', isDefault: false });
    const placement = placementOf(result, 1)!;
    const reference = referenceDistanceKm(notch.lon, notch.lat, polygonToLine(uCore) as Feature<LineString>);
    expect(Math.abs(placement.distanceKm - reference) / reference).toBeLessThan(0.005);
    expect(placement.distanceKm).toBeCloseTo(3, 1); // 3 km to the arms, 3 km to the bottom bar
    expect(placement.band).toBe(2);
    expect(cellsHolding(result, 1)).toHaveLength(1);
    const coreArea = area(uCore) / 1e6;
    for (let band = 1; band < 5; band++) {
      const outer = area(buffer(uCore, result.options.bandsKm[band]!, { units: 'kilometers', steps: BUFFER_STEPS })!) / 1e6;
      const innerKm = result.options.bandsKm[band - 1]!;
      const inner = innerKm === 0 ? coreArea : area(buffer(uCore, innerKm, { units: 'kilometers', steps: BUFFER_STEPS })!) / 1e6;
      const sum = result.cells.features.filter((cell) => cell.properties.band === band).reduce((total, cell) => total + cell.properties.areaKm2, 0);
      expect(Math.abs(sum - (outer - inner)) / (outer - inner)).toBeLessThan(0.005);
    }
  });
});

describe('analyzeSiege: summary', () => {
  it('lists concrete plants inside the core (0 km) or within 2 km of it, nearest first', () => {
    const result = analyzeSiege(MIXED_SITES, DEFAULTS);
    const plants = result.summary.concretePlantsNearCore;
    expect(plants.map((plant) => [plant.id, plant.name])).toEqual([
      [5, '城内商混站'],
      [10, '近郊商混站'],
    ]);
    expect(plants[0]!.distanceKm).toBe(0);
    expect(plants[1]!.distanceKm).toBeCloseTo(1, 6); // site 2, 3 km out, is not listed
  });

  it('gives near and far densities and their ratio', () => {
    const result = analyzeSiege(MIXED_SITES, DEFAULTS);
    const { summary } = result;
    expect(summary.nearSites).toBe(6);
    expect(summary.nearDensity).toBeCloseTo(6 / summary.nearAreaKm2, 12);
    expect(summary.farDensity).toBeCloseTo(1 / summary.farAreaKm2, 12);
    expect(summary.densityRatio).toBeCloseTo(summary.nearDensity / summary.farDensity, 12);
    const noFar = analyzeSiege(COMPASS_SITES, DEFAULTS);
    expect(noFar.summary.farDensity).toBe(0);
    expect(noFar.summary.densityRatio).toBeNull();
  });

  it('names the core it used and defines every figure in one Chinese and one English sentence', () => {
    const result = analyzeSiege(MIXED_SITES, DEFAULTS);
    expect(result.core.name).toBe('默认核心区（市政府周边 6 公里）');
    expect(result.core.isDefault).toBe(true);
    expect(result.options).toEqual({
      bandsKm: [0, 2, 5, 10, 20],
      sectors: 16,
      categories: ['scattered_firm', 'sand_yard', 'concrete_plant', 'cement_prefab', 'wood_processing', 'brick_kiln'],
      openOnly: true,
      minSites: 1,
      nearKm: 5,
    });
    for (const key of ['sites', 'insideCore', 'occupancy', 'occupiedSectors', 'nearDensity', 'farDensity', 'densityRatio', 'concretePlantsNearCore'])
      expect(Object.keys(result.definitions)).toContain(key);
    for (const { zh, en } of Object.values(result.definitions)) {
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(zh.match(/。/g)).toHaveLength(1);
      expect(en).toMatch(/^[\x20-\x7e°²–]+\.$/);
    }
    expect(result.definitions.occupancy.en).toContain('within 5 km');
  });

  it('occupancy needs minSites sites within nearKm of the boundary', () => {
    expect(analyzeSiege(COMPASS_SITES, { ...DEFAULTS, minSites: 2 }).summary.occupiedSectors).toBe(0);
    expect(analyzeSiege(COMPASS_SITES, { ...DEFAULTS, nearKm: 2.5 }).summary.occupiedSectors).toBe(0);
    expect(analyzeSiege(COMPASS_SITES, { ...DEFAULTS, nearKm: 3.5 }).summary.occupiedSectors).toBe(4);
    expect(analyzeSiege(COMPASS_SITES, { ...DEFAULTS, sectors: 4 }).summary.occupancy).toBe(1);
  });
});

describe('compareSiege', () => {
  it('finds what closed or moved away, what appeared, and the change per cell', () => {
    const before = analyzeSiege(MIXED_SITES, DEFAULTS);
    const newcomer = toSite({ ...MIXED.sites[0]!, id: 16, fromSeatKm: 7, name: '新发现砂石料场', expect: null });
    const afterSites = [...MIXED_SITES.map((site) => (site.id === 1 ? { ...site, status: 'closed' as const } : site)), newcomer];
    const after = analyzeSiege(afterSites, DEFAULTS);
    const comparison = compareSiege(before, after);
    expect(comparison.closedOrMovedAway.map((placement) => [placement.id, placement.band, placement.sector])).toEqual([[1, 2, 0]]);
    expect(comparison.appeared.map((placement) => [placement.id, placement.band, placement.sector])).toEqual([[16, 1, 0]]);
    expect(comparison.cells.filter((cell) => cell.change !== 0)).toEqual([
      { band: 1, sector: 0, before: 0, after: 1, change: 1 },
      { band: 2, sector: 0, before: 1, after: 0, change: -1 },
    ]);
    expect(comparison.cells).toHaveLength(1 + 4 * 16);
    expect([comparison.sitesBefore, comparison.sitesAfter]).toEqual([9, 9]);
  });

  it('refuses results on different cells', () => {
    const before = analyzeSiege(MIXED_SITES, DEFAULTS);
    const after = analyzeSiege(MIXED_SITES, { ...DEFAULTS, sectors: 8 });
    expect(() => compareSiege(before, after)).toThrow(/same core, bands and sectors/);
  });
});

describe('analyzeSiege: bad options', () => {
  const bowtie: Feature<Polygon> = polygon([
    [
      [114, 33.5],
      [114.1, 33.6],
      [114.1, 33.5],
      [114, 33.6],
      [114, 33.5],
    ],
  ]);
  const lineCore = {
    type: 'Feature',
    properties: {},
    geometry: {
      type: 'LineString',
      coordinates: [
        [114, 33.5],
        [114.1, 33.6],
      ],
    },
  };
  const unclosed = {
    type: 'Feature',
    properties: {},
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [114, 33.5],
          [114.1, 33.5],
          [114.1, 33.6],
          [114, 33.6],
        ],
      ],
    },
  };
  const cases: [string, string, RegExp, Partial<SiegeOptions>][] = [
    ['unsorted bands', 'bands', /strictly increasing/, { bandsKm: [0, 5, 2, 10] }],
    ['repeated band edge', 'bands', /strictly increasing/, { bandsKm: [0, 2, 2, 10] }],
    ['bands not starting at 0', 'bands', /start at 0/, { bandsKm: [1, 2, 5] }],
    ['a single band edge', 'bands', /at least 2/, { bandsKm: [0] }],
    ['a band edge that is not a number', 'bands', /not a number/, { bandsKm: [0, Number.NaN, 5] }],
    ['0 sectors', 'sectors', /1 to 64/, { sectors: 0 }],
    ['65 sectors', 'sectors', /1 to 64/, { sectors: 65 }],
    ['2.5 sectors', 'sectors', /whole number/, { sectors: 2.5 }],
    ['a self-intersecting core', 'core', /not a valid polygon/, { core: bowtie }],
    ['a line as core', 'core', /Polygon or MultiPolygon/, { core: lineCore as unknown as SiegeOptions['core'] }],
    ['an unclosed ring', 'core', /not a valid polygon/, { core: unclosed as unknown as SiegeOptions['core'] }],
    ['no core', 'core', /GeoJSON Feature/, { core: undefined as unknown as SiegeOptions['core'] }],
    ['minSites 0', 'minSites', /at least 1/, { minSites: 0 }],
    ['nearKm 0', 'nearKm', /greater than 0/, { nearKm: 0 }],
    ['nearKm -1', 'nearKm', /greater than 0/, { nearKm: -1 }],
    ['no categories', 'categories', /at least one/, { categories: [] }],
    ['an unknown category', 'categories', /unknown category bogus/, { categories: ['bogus' as CategoryCode] }],
  ];
  it.each(cases)('refuses %s with SiegeOptionError naming %s', (_label, parameter, message, bad) => {
    let thrown: unknown;
    try {
      analyzeSiege(MIXED_SITES, { ...DEFAULTS, ...bad } as SiegeOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SiegeOptionError);
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as SiegeOptionError).parameter).toBe(parameter);
    expect((thrown as SiegeOptionError).message).toMatch(message);
  });
});

describe('purity', () => {
  it('does not touch its inputs and hands out cells that are its own', () => {
    const first = analyzeSiege(MIXED_SITES, DEFAULTS);
    (first.cells.features[1]!.geometry as Polygon | MultiPolygon).coordinates.length = 0;
    first.cells.features[0]!.properties.siteIds.push(999);
    const second = analyzeSiege(MIXED_SITES, DEFAULTS);
    expect(second.cells.features[1]!.geometry.coordinates.length).toBeGreaterThan(0);
    expect(second.cells.features[0]!.properties.siteIds).toEqual([5]);
    expect(second.summary).toEqual(analyzeSiege(MIXED_SITES, DEFAULTS).summary);
  });
});
