// Relapse hotspots (死灰复燃与转移热点, issue 6): the pure analysis, on fixtures whose answers are
// known by hand, and Gi* against tests/fixtures/relapse-gistar.py (an independent brute-force
// computation whose output is kept in relapse-gistar.json).
import { readFileSync } from 'node:fs';
import { booleanPointInPolygon, destination, distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { CategoryCode } from '../../domain/categories.ts';
import type { StatusCode } from '../../domain/statuses.ts';
import { analyzeRelapse, confidenceOf, giStar, moveKey, nameSimilarity, normaliseName, RelapseOptionError } from '../../server/geo/analyze-relapse.ts';
import type { MoveDecision, RelapseOptions, RelapseSiteInput } from '../../server/geo/analyze-relapse.ts';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as T;
}

interface MoveFixture {
  origin: [number, number];
  sites: {
    id: number;
    name: string;
    category: CategoryCode;
    km: number | null;
    bearing: number | null;
    county: string;
    township: string | null;
    discoveredOn: string;
    events: { to: StatusCode; date: string }[];
  }[];
}

interface GiStarFixture {
  cellKm: number;
  columns: number;
  rows: number;
  sites: { id: number; lon: number; lat: number; relapses: number }[];
  cells: { column: number; row: number; lon: number; lat: number; count: number; neighbours: number; z: number; confidence: number | null }[];
}

const moveFixture = readJson<MoveFixture>('../fixtures/relapse-moves.json');
const sites: readonly RelapseSiteInput[] = deepFreeze(
  moveFixture.sites.map((site) => {
    const [lon, lat] =
      site.km === null || site.bearing === null
        ? [null, null]
        : site.km === 0
          ? moveFixture.origin
          : destination(moveFixture.origin, site.km, site.bearing, { units: 'kilometers' }).geometry.coordinates;
    return { ...site, lon: lon ?? null, lat: lat ?? null };
  }),
);

const gistarFixture = deepFreeze(readJson<GiStarFixture>('../fixtures/relapse-gistar.json'));

function gistarSites(): RelapseSiteInput[] {
  return gistarFixture.sites.map((site) => {
    const events: { to: StatusCode; date: string }[] = [];
    for (let index = 0; index < site.relapses; index++) {
      const day = String(2 * index + 1).padStart(2, '0');
      const next = String(2 * index + 2).padStart(2, '0');
      events.push({ to: 'closed', date: `2023-01-${day}` }, { to: 'relapsed', date: `2023-01-${next}` });
    }
    return {
      id: site.id,
      name: `网格点${site.id}`,
      category: 'coal_point',
      lon: site.lon,
      lat: site.lat,
      county: '源汇区',
      township: null,
      discoveredOn: '2022-12-01',
      events,
    };
  });
}

describe('relapses', () => {
  it('lists each move to relapsed with the closure it came from and the days since', () => {
    const result = analyzeRelapse(sites, {});
    expect(result.relapses.map((relapse) => relapse.siteId)).toEqual([7, 6]);
    const relapse = result.relapses.find((entry) => entry.siteId === 6)!;
    // Closed 2022-06-01 (verified 2022-07-01 only confirms it), relapsed 2023-02-15: 259 days.
    expect(relapse).toMatchObject({
      date: '2023-02-15',
      closedOn: '2022-06-01',
      closedAs: 'closed',
      daysSinceClosure: 259,
      county: '召陵区',
      township: '老窝镇',
    });
    expect(relapse.lon).toBeCloseTo(sites[5]!.lon!, 12);
    const unlocated = result.relapses.find((entry) => entry.siteId === 7)!;
    expect(unlocated).toMatchObject({ closedOn: '2022-02-01', daysSinceClosure: 30, lon: null, lat: null });
    expect(result.summary).toMatchObject({ relapses: 2, relapsedSites: 2, unlocatedRelapses: 1 });
    // Located relapses are in the cells, unlocated ones are not.
    expect(result.cells.features.reduce((sum, cell) => sum + cell.properties.relapses, 0)).toBe(1);
  });

  it('sees only events on or before asOf and counts only relapses in the window', () => {
    expect(analyzeRelapse(sites, { asOf: '2023-02-14' }).relapses.map((relapse) => relapse.siteId)).toEqual([7]);
    expect(analyzeRelapse(sites, { asOf: '2023-02-15' }).relapses.map((relapse) => relapse.siteId)).toEqual([7, 6]);
    expect(analyzeRelapse(sites, { from: '2023-01-01', to: '2023-12-31' }).relapses.map((relapse) => relapse.siteId)).toEqual([6]);
    expect(analyzeRelapse(sites, { counties: ['郾城区'] }).relapses.map((relapse) => relapse.siteId)).toEqual([7]);
    // Both ends of the window are included.
    expect(analyzeRelapse(sites, { from: '2023-02-15', to: '2023-02-15' }).relapses.map((relapse) => relapse.siteId)).toEqual([6]);
    expect(analyzeRelapse(sites, { from: '2023-02-16' }).relapses).toEqual([]);
    expect(analyzeRelapse(sites, { to: '2023-02-14' }).relapses.map((relapse) => relapse.siteId)).toEqual([7]);
  });
});

describe('likely moves', () => {
  it('finds the near, recent, same-category pair and not the far, late or other-category ones', () => {
    const { moves } = analyzeRelapse(sites, {});
    expect(moves.map((move) => move.key)).toEqual(['1-2', '8-2']);
    const [move, second] = moves;
    expect(move).toMatchObject({ fromId: 1, toId: 2, days: 30, closedOn: '2023-03-01', discoveredOn: '2023-03-31', decision: null, category: 'sand_yard' });
    expect(move!.distanceKm).toBeCloseTo(1, 9);
    expect(move!.distanceKm).toBeCloseTo(distance([sites[0]!.lon!, sites[0]!.lat!], [sites[1]!.lon!, sites[1]!.lat!]), 12);
    expect(move!.nameSimilarity).toBeCloseTo(2 / 3, 12);
    // 0.35·(1 − 1/3) + 0.25·(1 − 30/180) + 0.4·(2/3) = 17/24.
    expect(move!.score).toBeCloseTo(17 / 24, 9);
    expect(move!.line.coordinates).toEqual([
      [sites[0]!.lon, sites[0]!.lat],
      [sites[1]!.lon, sites[1]!.lat],
    ]);
    // 0.5 km, 20 days, names 顺发 / 新鑫源 share nothing: 0.35·(5/6) + 0.25·(8/9) = 37/72.
    expect(second).toMatchObject({ fromId: 8, toId: 2, days: 20, nameSimilarity: 0 });
    expect(second!.score).toBeCloseTo(37 / 72, 9);
    // Far (5 km), late (200 days) and wood processing 0.5 km away: none paired with site 1.
    for (const toId of [3, 4, 5]) expect(moves.some((entry) => entry.toId === toId)).toBe(false);
  });

  it('takes the radius and the days as limits, and the window by the discovery day', () => {
    expect(analyzeRelapse(sites, { radiusKm: 5.01 }).moves.map((move) => move.key)).toContain('1-3');
    expect(analyzeRelapse(sites, { withinDays: 200 }).moves.map((move) => move.key)).toContain('1-4');
    expect(analyzeRelapse(sites, { withinDays: 199 }).moves.map((move) => move.key)).not.toContain('1-4');
    expect(analyzeRelapse(sites, { radiusKm: 0.99 }).moves.map((move) => move.key)).toEqual(['8-2']);
    expect(analyzeRelapse(sites, { from: '2023-04-01' }).moves).toEqual([]);
    expect(analyzeRelapse(sites, { asOf: '2023-03-30' }).moves).toEqual([]);
    // The old side may be in another county than the one asked for.
    expect(analyzeRelapse(sites, { counties: ['召陵区'] }).moves).toEqual([]);
  });

  it("measures from the old site's latest closure before the discovery", () => {
    const [old, fresh] = [sites[0]!, sites[1]!];
    const twice: RelapseSiteInput[] = [
      {
        ...old,
        events: [
          { to: 'closed', date: '2023-01-01' },
          { to: 'relapsed', date: '2023-02-01' },
          { to: 'closed', date: '2023-03-01' },
        ],
      },
      fresh,
    ];
    const [move] = analyzeRelapse(twice, {}).moves;
    expect(move).toMatchObject({ key: '1-2', closedOn: '2023-03-01', days: 30 });
    expect(analyzeRelapse(twice, { asOf: '2023-04-01' }).relapses[0]).toMatchObject({ closedOn: '2023-01-01', daysSinceClosure: 31 });
  });

  it('counts a site relapsing twice as two relapses at one site', () => {
    const again: RelapseSiteInput = {
      ...sites[0]!,
      events: [
        { to: 'closed', date: '2023-01-01' },
        { to: 'relapsed', date: '2023-02-01' },
        { to: 'closed', date: '2023-03-01' },
        { to: 'relapsed', date: '2023-05-01' },
      ],
    };
    expect(analyzeRelapse([again, sites[5]!], {}).summary).toMatchObject({ relapses: 3, relapsedSites: 2 });
  });

  it('keeps a dismissed pair listed but out of the hotspot counts; a new site counts once', () => {
    const countAt = (decisions: Map<string, MoveDecision>): number => {
      const result = analyzeRelapse(sites, { decisions });
      const site = sites[1]!;
      const cell = result.cells.features.find((feature) => booleanPointInPolygon([site.lon!, site.lat!], feature))!;
      return cell.properties.moves;
    };
    const none = new Map<string, MoveDecision>();
    const one = new Map<string, MoveDecision>([[moveKey(1, 2), 'dismissed']]);
    const both = new Map<string, MoveDecision>([
      [moveKey(1, 2), 'dismissed'],
      [moveKey(8, 2), 'dismissed'],
    ]);
    expect(countAt(none)).toBe(1); // two candidates, one new site
    expect(countAt(one)).toBe(1); // still a likely move from site 8
    expect(countAt(both)).toBe(0);
    const dismissed = analyzeRelapse(sites, { decisions: both });
    expect(dismissed.moves.map((move) => [move.key, move.decision])).toEqual([
      ['1-2', 'dismissed'],
      ['8-2', 'dismissed'],
    ]);
    expect(dismissed.summary.movesCounted).toBe(0);
    const confirmed = analyzeRelapse(sites, { decisions: new Map([[moveKey(1, 2), 'confirmed' as const]]) });
    expect(confirmed.moves[0]).toMatchObject({ key: '1-2', decision: 'confirmed' });
    expect(confirmed.summary.movesCounted).toBe(1);
  });
});

describe('name similarity', () => {
  it('strips place names and generic suffixes', () => {
    expect(normaliseName('源汇区问十乡鑫源砂石料场')).toBe('鑫源');
    expect(normaliseName('问十乡新鑫源砂石厂')).toBe('新鑫源');
    expect(normaliseName('漯河市郾城区宏达木材加工厂')).toBe('宏达');
    expect(normaliseName('宏达木业有限公司')).toBe('宏达');
    expect(normaliseName('舞阳县北舞渡镇张庄村张记散煤销售点')).toBe('张记');
    expect(normaliseName('鑫源砂石（普通合伙）')).toBe('鑫源');
    expect(normaliseName('城乡建材经营部')).toBe('城乡');
    expect(normaliseName('砂石料场')).toBe('');
    expect(normaliseName('临颍县新城商砼站', ['临颍县'])).toBe('新城');
  });

  it('is the bigram Dice coefficient of the stripped names', () => {
    // Identical after stripping.
    expect(nameSimilarity('漯河市郾城区宏达木材加工厂', '宏达木业有限公司')).toBe(1);
    expect(nameSimilarity('舞阳县北舞渡镇张庄村张记散煤销售点', '张记煤球厂')).toBe(1);
    // 鑫源 / 新鑫源: {鑫源} and {新鑫, 鑫源} share one bigram: 2·1/(1+2).
    expect(nameSimilarity('源汇区问十乡鑫源砂石料场', '问十乡新鑫源砂石厂')).toBeCloseTo(2 / 3, 12);
    // 永兴 / 永兴达: 2·1/(1+2).
    expect(nameSimilarity('临颍县杜曲镇永兴木材加工点', '永兴达木业')).toBeCloseTo(2 / 3, 12);
    // 金穗包装 / 金穗纸箱 → 金穗包装 keeps 包装 only as a suffix: 金穗 both after stripping.
    expect(nameSimilarity('郾城区龙城镇金穗包装纸箱厂', '金穗纸箱制品有限公司')).toBe(1);
    // 华豫通达 / 通达: {华豫, 豫通, 通达} and {通达}: 2·1/(3+1) = 0.5.
    expect(nameSimilarity('华豫通达建材有限公司', '通达砂石料场')).toBeCloseTo(0.5, 12);
    // Unrelated.
    expect(nameSimilarity('鑫源砂石料场', '顺发煤炭经营部')).toBe(0);
    expect(nameSimilarity('召陵区万金镇福源木材加工厂', '郾城区李集镇宏图商砼站')).toBe(0);
    // Names that are nothing but generic words say nothing.
    expect(nameSimilarity('砂石料场', '砂石料场')).toBe(0);
  });
});

describe('hotspots', () => {
  it('Gi* equals the independent Python computation on a 5 × 5 grid', () => {
    const result = analyzeRelapse(gistarSites(), { cellKm: gistarFixture.cellKm, correction: 'none' });
    expect(result.grid).toMatchObject({ columns: gistarFixture.columns, rows: gistarFixture.rows, cellKm: 1 });
    expect(result.cells.features).toHaveLength(gistarFixture.cells.length);
    const byPosition = new Map(result.cells.features.map((cell) => [`${cell.properties.column},${cell.properties.row}`, cell]));
    for (const expected of gistarFixture.cells) {
      const cell = byPosition.get(`${expected.column},${expected.row}`)!;
      expect(cell, `cell ${expected.column},${expected.row}`).toBeDefined();
      expect(cell.properties.count).toBe(expected.count);
      expect(Math.abs(cell.properties.z - expected.z), `z of ${expected.column},${expected.row}`).toBeLessThan(1e-6);
      expect(cell.properties.confidence).toBe(expected.confidence);
      const ring = cell.geometry.coordinates[0]!.slice(0, 6);
      const lon = ring.reduce((sum, point) => sum + point[0]!, 0) / 6;
      const lat = ring.reduce((sum, point) => sum + point[1]!, 0) / 6;
      expect(Math.abs(lon - expected.lon)).toBeLessThan(1e-9);
      expect(Math.abs(lat - expected.lat)).toBeLessThan(1e-9);
    }
    expect(result.summary.hotCells).toEqual({ 90: 0, 95: 2, 99: 2 });
  });

  it('places every point in the hexagon that holds it and tiles hexagons of the asked width', () => {
    const result = analyzeRelapse(gistarSites(), { cellKm: 0.5 });
    const features = result.cells.features;
    const [west, south, east, north] = [113.975, 33.575, 114.025, 33.625];
    let seed = 7;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    // Each point's computed cell (via its one relapse, the other sites quiet) is the polygon that
    // contains it.
    const quiet = gistarSites().map((site) => ({ ...site, events: [] }));
    for (let index = 0; index < 200; index++) {
      const lon = west + (east - west) * (0.3 + 0.4 * random());
      const lat = south + (north - south) * (0.3 + 0.4 * random());
      const probe = analyzeRelapse(
        [
          ...quiet,
          {
            id: 1000,
            name: '探针',
            category: 'coal_point',
            lon,
            lat,
            county: '源汇区',
            township: null,
            discoveredOn: '2022-12-01',
            events: [
              { to: 'closed', date: '2023-02-01' },
              { to: 'relapsed', date: '2023-02-02' },
            ],
          },
        ],
        { cellKm: 0.5 },
      );
      const holding = probe.cells.features.filter((cell) => booleanPointInPolygon([lon, lat], cell));
      expect(holding).toHaveLength(1);
      expect(holding[0]!.properties.relapses, `point ${lon}, ${lat}`).toBe(1);
    }
    // Neighbouring centres are 0.5 km apart on the ground, up to the equirectangular scale error
    // tan(lat0)·Δlat: 2.3e-4 relative for these cells ~2 km south of the frame's centre.
    const centre = (index: number): [number, number] => {
      const ring = features[index]!.geometry.coordinates[0]!.slice(0, 6);
      return [ring.reduce((sum, point) => sum + point[0]!, 0) / 6, ring.reduce((sum, point) => sum + point[1]!, 0) / 6];
    };
    expect(distance(centre(0), centre(1))).toBeCloseTo(0.5, 3);
    expect(distance(centre(0), centre(result.grid!.columns))).toBeCloseTo(0.5, 3);
  });

  it('gives z = 0 everywhere when every count is equal', () => {
    const quiet = gistarSites().map((site) => ({ ...site, events: [] }));
    const result = analyzeRelapse(quiet, { cellKm: 1 });
    expect(result.cells.features.length).toBe(25);
    expect(result.cells.features.every((cell) => cell.properties.z === 0 && cell.properties.kind === null)).toBe(true);
    expect(giStar([2, 2, 2], [[1], [0, 2], [1]])).toEqual([0, 0, 0]);
  });

  it('marks confidence at 1.645, 1.960 and 2.576, hot or cold by sign', () => {
    expect(confidenceOf(2.576)).toBe(99);
    expect(confidenceOf(2.5759)).toBe(95);
    expect(confidenceOf(1.96)).toBe(95);
    expect(confidenceOf(1.9599)).toBe(90);
    expect(confidenceOf(1.645)).toBe(90);
    expect(confidenceOf(1.6449)).toBe(null);
    expect(confidenceOf(-2.576)).toBe(99);
    expect(confidenceOf(-1.7)).toBe(90);
    expect(confidenceOf(0)).toBe(null);
    const result = analyzeRelapse(gistarSites(), { cellKm: 1 });
    for (const cell of result.cells.features) {
      const { z, confidence, kind } = cell.properties;
      expect(kind).toBe(confidence === null ? null : z > 0 ? 'hot' : 'cold');
    }
  });
});

describe('rates', () => {
  it('shows relapses per closure with both counts, null without closures', () => {
    const small = analyzeRelapse(sites, { from: '2022-06-01', to: '2023-02-28' });
    expect(small.rates.counties).toEqual([{ county: '召陵区', township: null, closures: 1, relapses: 1, rate: 1 }]);
    expect(small.rates.townships).toEqual([{ county: '召陵区', township: '老窝镇', closures: 1, relapses: 1, rate: 1 }]);
    const all = analyzeRelapse(sites, {});
    expect(all.rates.counties.find((rate) => rate.county === '源汇区')).toEqual({ county: '源汇区', township: null, closures: 2, relapses: 0, rate: 0 });
    expect(all.rates.counties.find((rate) => rate.county === '郾城区')).toEqual({ county: '郾城区', township: null, closures: 1, relapses: 1, rate: 1 });
    const relapseOnly = analyzeRelapse(sites, { from: '2023-02-01', to: '2023-02-28' });
    expect(relapseOnly.rates.counties).toEqual([{ county: '召陵区', township: null, closures: 0, relapses: 1, rate: null }]);
  });
});

describe('options', () => {
  const bad: [RelapseOptions, string][] = [
    [{ from: '2023-13-01' }, 'from'],
    [{ from: '2023-02-30' }, 'from'],
    [{ to: '2023/01/01' }, 'to'],
    [{ asOf: 'yesterday' }, 'asOf'],
    [{ from: '2023-06-01', to: '2023-05-31' }, 'from'],
    [{ radiusKm: 0 }, 'radiusKm'],
    [{ radiusKm: 50.5 }, 'radiusKm'],
    [{ radiusKm: Number.NaN }, 'radiusKm'],
    [{ withinDays: 0 }, 'withinDays'],
    [{ withinDays: 3651 }, 'withinDays'],
    [{ withinDays: 30.5 }, 'withinDays'],
    [{ cellKm: 0.05 }, 'cellKm'],
    [{ cellKm: 21 }, 'cellKm'],
    [{ categories: ['sand' as CategoryCode] }, 'categories'],
    [{ categories: [] }, 'categories'],
    [{ counties: [''] }, 'county'],
  ];
  it.each(bad)('refuses %j naming %s', (options, parameter) => {
    let caught: unknown;
    try {
      analyzeRelapse(sites, options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RelapseOptionError);
    expect((caught as RelapseOptionError).parameter).toBe(parameter);
    expect((caught as RelapseOptionError).message).toMatch(new RegExp(`^${parameter}: `));
  });

  it('accepts the limits and echoes the defaults with the definitions', () => {
    expect(() => analyzeRelapse(sites, { radiusKm: 50, withinDays: 3650, cellKm: 20 })).not.toThrow();
    expect(() => analyzeRelapse(sites, { withinDays: 1, cellKm: 0.1, from: '2023-01-01', to: '2023-01-01' })).not.toThrow();
    const result = analyzeRelapse(sites, {});
    expect(result.options).toMatchObject({ radiusKm: 3, withinDays: 180, cellKm: 3, from: null, to: null, asOf: null, counties: null });
    for (const definition of Object.values(result.definitions)) {
      expect(definition.zh).toMatch(/[\u4e00-\u9fff]/u);
      expect(definition.en).toMatch(/^[A-Z|]/u);
    }
  });
});
