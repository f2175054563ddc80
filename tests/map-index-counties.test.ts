// The map's index past zoom 9 is built county by county (server/store/map-index.ts): a tile reads and
// clusters only the counties whose sites' extent meets it. Every tile must answer as the index of
// every site, read at once and clustered together, answers it (same clusters, ids, expansion zooms,
// counts; the same order of features), whichever counties were built before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountyClusterIndex, tilesCovering, type ClusterFilters } from '../domain/cluster-index.ts';
import { COUNTED_STATUSES, STATUS_CODES } from '../domain/statuses.ts';
import { bootDatabase } from '../server/bootstrap.ts';
import type { Db } from '../server/db/database.ts';
import { MapIndexes, type MapFilters } from '../server/store/map-index.ts';
import { readMapSites } from '../server/store/map-sites.ts';
import { generateSites, loadSites, readGeography } from '../bench/synthetic.ts';
import { TODAY } from './helpers/app.ts';

let db: Db;
beforeAll(() => {
  db = bootDatabase(':memory:', { demo: true, today: () => TODAY }).db;
  loadSites(db, generateSites(readGeography(db), 4_000));
}, 120_000);
afterAll(() => db.close());

/** Today's index: every located site read at once (siteFilterSql's order), clustered together. */
function wholeIndex(filters: MapFilters): CountyClusterIndex {
  const voided = Boolean(filters.statuses?.includes('voided'));
  const { sites } = readMapSites(db, { ...(filters.source ? { source: filters.source } : {}), ...(voided ? { statuses: STATUS_CODES } : {}) });
  const clusterFilters: ClusterFilters = {
    ...(filters.statuses ? { statuses: filters.statuses } : {}),
    ...(filters.exclude ? { exclude: filters.exclude } : {}),
    ...(filters.only ? { only: filters.only } : {}),
  };
  return new CountyClusterIndex(sites, clusterFilters);
}

const CITY: [number, number, number, number] = [113.45, 33.4, 114.3, 34.0];

describe('the index past zoom 9, built county by county', () => {
  const filterSets: [string, MapFilters][] = [
    ['default', { statuses: COUNTED_STATUSES }],
    ['demo only, voided too', { statuses: STATUS_CODES, source: 'demo' }],
    ['one county, some left out', { statuses: COUNTED_STATUSES, counties: ['411103'], exclude: [5, 17, 40, 41, 42] }],
    ['only some', { only: Array.from({ length: 600 }, (_, i) => i * 5 + 1) }],
  ];
  for (const [label, filters] of filterSets)
    it(`answers every tile as the whole index does: ${label}`, () => {
      let drawn = 0;
      const whole = wholeIndex(filters);
      const counties = filters.counties?.length ? filters.counties : null;
      for (const z of [10, 12, 13]) {
        // A fresh store per zoom: its first tiles meet some counties only, the later ones others.
        const indexes = new MapIndexes(db);
        // Every other tile (a checkerboard), so each zoom's stores meet the counties in turns.
        for (const { x, y } of tilesCovering(CITY, z).filter((tile) => (tile.x + tile.y) % 2 === 0)) {
          const body = indexes.tile(filters, z, x, y).body;
          const features = body.slice(body.indexOf('"features":') + '"features":'.length, -1);
          expect(features, `${label} ${z}/${x}/${y}`).toBe(whole.tileJson(z, x, y, counties));
          if (features !== '[]') drawn++;
        }
      }
      expect(drawn).toBeGreaterThan(10);
    });

  it('warms in steps, leaving a county read while a request waits, with the same answers', async () => {
    const indexes = new MapIndexes(db);
    const filters = { statuses: COUNTED_STATUSES };
    let asked = 0;
    // A request waits at the first two slices of a read (the county is read again after each).
    await indexes.warmInSteps(
      filters,
      () => Promise.resolve(),
      undefined,
      () => ++asked <= 2,
    );
    expect(asked).toBeGreaterThan(2);
    expect(indexes.lastBuildMs).not.toBeNull();
    const whole = wholeIndex(filters);
    for (const { x, y } of tilesCovering(CITY, 11)) {
      const body = indexes.tile(filters, 11, x, y).body;
      expect(indexes.lastBuildMs).toBeNull();
      expect(body.slice(body.indexOf('"features":') + '"features":'.length, -1)).toBe(whole.tileJson(11, x, y));
    }
  });

  it('builds only the counties a tile meets, then the rest for a tile elsewhere', () => {
    const indexes = new MapIndexes(db);
    const filters = { statuses: COUNTED_STATUSES };
    // In 临颍县 (411122)'s west, far from 郾城区 (411103)'s sites.
    const { x, y } = tilesCovering([113.75, 33.8, 113.75, 33.8], 12)[0]!;
    expect(indexes.tile(filters, 12, x, y).body).toContain('"county":"411122"');
    expect(indexes.lastBuildMs).not.toBeNull();
    // A tile of the same counties needs no build; the whole warm-up builds what is left.
    indexes.tile(filters, 12, x, y);
    expect(indexes.lastBuildMs).toBeNull();
    indexes.warm(filters);
    expect(indexes.lastBuildMs).not.toBeNull();
    indexes.warm(filters);
    expect(indexes.lastBuildMs).toBeNull();
  });

  it('builds every county for a tile meeting several (the next views there would meet the rest)', () => {
    const indexes = new MapIndexes(db);
    const filters = { statuses: COUNTED_STATUSES };
    // 源汇区 (411102)'s eastern edge at z 12: its extent meets 郾城区's and 召陵区's too.
    const body = indexes.tile(filters, 12, 3345, 1641).body;
    expect(body).toContain('"county":"411102"');
    expect(indexes.lastBuildMs).not.toBeNull();
    // Nothing left for the warm-up, and a tile in another county far from it needs no build.
    indexes.warm(filters);
    expect(indexes.lastBuildMs).toBeNull();
    const { x, y } = tilesCovering([113.75, 33.8, 113.75, 33.8], 12)[0]!;
    expect(indexes.tile(filters, 12, x, y).body).toContain('"county":"411122"');
    expect(indexes.lastBuildMs).toBeNull();
    // Under a county filter, every county of the filter.
    const one = new MapIndexes(db);
    one.tile({ ...filters, counties: ['411102', '411122'] }, 12, 3345, 1641);
    expect(one.lastBuildMs).not.toBeNull();
    one.tile({ ...filters, counties: ['411102', '411122'] }, 12, x, y);
    expect(one.lastBuildMs).toBeNull();
  });
});
