// Clusters per county: sites a few metres apart across a county line never share a cluster; each
// cluster counts its sites by status; filters, exclusions and "only" leave exactly their sites out.
import { describe, expect, it } from 'vitest';
import type { StatusCode } from '../../domain/statuses.ts';
import {
  COUNTY_CLUSTER_MAX_ZOOM,
  CountyClusterIndex,
  countsByCounty,
  countyClusterTile,
  inTile,
  tileBbox,
  tilesCovering,
  type ClusterSite,
  type CountyStatusCount,
} from '../../domain/cluster-index.ts';
import { Random } from '../../domain/random.ts';

const site = (
  id: number,
  county: string,
  lon: number,
  lat: number,
  status: StatusCode,
  category = 'sand_yard',
  source: 'real' | 'demo' = 'real',
): ClusterSite => ({ id, county, lon, lat, status, category, source });

// X: three sites within ~100 m; Y: two sites ~200 m east of them (the other side of the line);
// Z: one site 50 km away.
const SITES = [
  site(1, 'X', 114.0, 33.6, 'discovered'),
  site(2, 'X', 114.0005, 33.6005, 'discovered'),
  site(3, 'X', 114.001, 33.6, 'closed', 'brick_kiln'),
  site(4, 'Y', 114.002, 33.6, 'relapsed', 'sand_yard', 'demo'),
  site(5, 'Y', 114.0025, 33.6003, 'closed'),
  site(6, 'Z', 114.5, 33.6, 'verified'),
];
const WORLD: [number, number, number, number] = [-180, -85, 180, 85];

describe('county cluster index', () => {
  it('clusters each county apart, counting statuses in STATUS_CODES order', () => {
    const features = new CountyClusterIndex(SITES).query({ bbox: WORLD, zoom: 5 });
    const byCounty = Object.fromEntries(features.map((f) => [f.properties.county, f.properties]));
    expect(features).toHaveLength(3);
    expect(byCounty.X).toMatchObject({ cluster: true, count: 3, statusCounts: [2, 0, 1, 0, 0, 0, 0, 0] });
    expect(byCounty.Y).toMatchObject({ cluster: true, count: 2, statusCounts: [0, 0, 1, 0, 0, 0, 1, 0] });
    // One site alone is a site, not a cluster of one.
    expect(byCounty.Z).toMatchObject({ cluster: false, count: 1, siteId: 6, status: 'verified' });
    expect(countsByCounty(features)).toEqual({ X: 3, Y: 2, Z: 1 });
  });

  it('shows single sites beyond the last cluster zoom', () => {
    const features = new CountyClusterIndex(SITES).query({ bbox: WORLD, zoom: 18 });
    expect(features.map((f) => f.properties.siteId).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(features.every((f) => !f.properties.cluster)).toBe(true);
  });

  it('splits a cluster at its expansion zoom', () => {
    const index = new CountyClusterIndex(SITES);
    const x = index.query({ bbox: WORLD, zoom: 5 }).find((f) => f.properties.county === 'X')!;
    const zoom = index.expansionZoom('X', x.properties.clusterId!);
    const inX = (z: number) => index.query({ bbox: WORLD, zoom: z }).filter((f) => f.properties.county === 'X').length;
    expect(inX(zoom - 1)).toBe(1);
    expect(inX(zoom)).toBeGreaterThan(1);
    expect(() => index.expansionZoom('W', 1)).toThrow('no cluster index for county W');
  });

  it('keeps only the sites the filters pass', () => {
    const count = (filters: ConstructorParameters<typeof CountyClusterIndex>[1]) =>
      countsByCounty(new CountyClusterIndex(SITES, filters).query({ bbox: WORLD, zoom: 5 }));
    expect(count({ statuses: ['closed'] })).toEqual({ X: 1, Y: 1 });
    expect(count({ categories: ['brick_kiln'] })).toEqual({ X: 1 });
    expect(count({ source: 'demo' })).toEqual({ Y: 1 });
    expect(count({ counties: ['Y', 'Z'] })).toEqual({ Y: 2, Z: 1 });
    expect(count({ exclude: [1, 2, 6] })).toEqual({ X: 1, Y: 2 });
    expect(count({ only: [5, 6] })).toEqual({ Y: 1, Z: 1 });
    expect(count({ only: [] })).toEqual({});
    expect(new CountyClusterIndex(SITES, { statuses: ['closed', 'verified'] }).size).toBe(3);
  });

  it('calls a pause before each county is clustered (the warm-up gives way there) and clusters the same', () => {
    let paused = 0;
    const index = new CountyClusterIndex(SITES, {}, () => paused++);
    expect(paused).toBe(3); // X, Y and Z
    expect(index.counties()).toEqual(['X', 'Y', 'Z']);
    for (const zoom of [5, 12, 18]) expect(index.query({ bbox: WORLD, zoom })).toEqual(new CountyClusterIndex(SITES).query({ bbox: WORLD, zoom }));
  });

  it('finds only what lies in the box', () => {
    const features = new CountyClusterIndex(SITES).query({ bbox: [114.4, 33.5, 114.6, 33.7], zoom: 10 });
    expect(features.map((f) => f.properties.siteId)).toEqual([6]);
  });

  it('counts each cluster’s statuses once at every zoom (no zoom adds into another’s counts)', () => {
    const random = new Random(7);
    const many = Array.from({ length: 400 }, (_, i) =>
      site(i + 1, i % 2 ? 'X' : 'Y', 113.8 + random.next() * 0.3, 33.5 + random.next() * 0.2, i % 3 ? 'closed' : 'relapsed'),
    );
    const index = new CountyClusterIndex(many);
    for (let zoom = 0; zoom <= 16; zoom++)
      for (const feature of index.query({ bbox: WORLD, zoom })) {
        expect(feature.properties.statusCounts.reduce((a, b) => a + b, 0)).toBe(feature.properties.count);
        if (feature.properties.cluster) expect(feature.properties.expansionZoom).toBeGreaterThan(zoom);
      }
  });

  it('gives each cluster the expansion zoom supercluster’s walk down its children finds', () => {
    const random = new Random(11);
    const many = Array.from({ length: 2000 }, (_, i) => site(i + 1, i % 3 ? 'X' : 'Y', 113.8 + random.next() * 0.4, 33.5 + random.next() * 0.3, 'closed'));
    const index = new CountyClusterIndex(many);
    let clusters = 0;
    for (let zoom = 0; zoom <= 16; zoom++)
      for (const { properties } of index.query({ bbox: WORLD, zoom }))
        if (properties.cluster) {
          clusters++;
          expect(properties.expansionZoom, `zoom ${zoom}, cluster ${properties.clusterId}`).toBe(index.expansionZoom(properties.county, properties.clusterId!));
        }
    expect(clusters).toBeGreaterThan(100);
  });

  it('writes a tile’s JSON text equal to its features’ JSON, at every zoom, for clusters and single sites', () => {
    const random = new Random(5);
    const statuses: StatusCode[] = ['discovered', 'closed', 'relapsed', 'verified'];
    const many = Array.from({ length: 1500 }, (_, i) =>
      site(
        i + 1,
        ['X', 'Y', 'Z'][i % 3]!,
        113.8 + random.next() * 0.4,
        33.5 + random.next() * 0.3,
        statuses[i % 4]!,
        i % 5 ? 'sand_yard' : 'brick_kiln',
        i % 2 ? 'real' : 'demo',
      ),
    );
    const index = new CountyClusterIndex(many);
    let clusters = 0;
    let singles = 0;
    for (let z = 6; z <= 17; z++)
      for (const { x, y } of tilesCovering([113.8, 33.5, 114.2, 33.8], z).slice(0, 40))
        for (const counties of [null, ['Y']]) {
          const features = index.tile(z, x, y, counties);
          expect(index.tileJson(z, x, y, counties), `${z}/${x}/${y} ${counties}`).toBe(JSON.stringify(features));
          clusters += features.filter((f) => f.properties.cluster).length;
          singles += features.filter((f) => !f.properties.cluster).length;
        }
    expect(clusters).toBeGreaterThan(0);
    expect(singles).toBeGreaterThan(0);
  });

  it('puts each site in exactly one tile of a zoom', () => {
    const index = new CountyClusterIndex(SITES);
    for (const z of [3, 9, 14]) {
      const features = tilesCovering([113.9, 33.5, 114.6, 33.7], z).flatMap(({ x, y }) => index.tile(z, x, y));
      expect(countsByCounty(features)).toEqual({ X: 3, Y: 2, Z: 1 });
    }
    // A point on a tile edge belongs to the tile east and south of it.
    const [west, , , north] = tileBbox(10, 843, 412);
    expect(inTile([west, north - 0.01], 10, 843, 412)).toBe(true);
    expect(inTile([west, north - 0.01], 10, 842, 412)).toBe(false);
  });
});

describe('county clusters of the city’s zooms', () => {
  const rows: CountyStatusCount[] = [
    { county: 'X', status: 'discovered', n: 2, lon: 228, lat: 67.2 },
    { county: 'X', status: 'closed', n: 1, lon: 114, lat: 33.6 },
    { county: 'Z', status: 'verified', n: 2, lon: 229, lat: 67.2 },
  ];
  const everywhere = { z: 0, x: 0, y: 0 };

  it('draws one cluster per county at its sites’ mean position, with its total and status mix', () => {
    const features = countyClusterTile(rows, everywhere);
    expect(features.map((f) => [f.properties.county, f.geometry.coordinates, f.properties.count, f.properties.statusCounts])).toEqual([
      ['X', [114, 33.6], 3, [2, 0, 1, 0, 0, 0, 0, 0]],
      ['Z', [114.5, 33.6], 2, [0, 0, 0, 0, 0, 2, 0, 0]],
    ]);
    expect(features.every((f) => f.properties.cluster && f.properties.expansionZoom === COUNTY_CLUSTER_MAX_ZOOM + 1)).toBe(true);
    expect(new Set(features.map((f) => f.properties.clusterId)).size).toBe(2);
  });

  it('counts only the statuses and counties asked for, and only in the tile that holds its position', () => {
    expect(countsByCounty(countyClusterTile(rows, everywhere, { statuses: ['closed', 'verified'] }))).toEqual({ X: 1, Z: 2 });
    expect(countsByCounty(countyClusterTile(rows, everywhere, { counties: ['Z'] }))).toEqual({ Z: 2 });
    expect(countyClusterTile(rows, everywhere, { statuses: ['relapsed'] })).toEqual([]);
    const z = COUNTY_CLUSTER_MAX_ZOOM;
    const tiles = tilesCovering([113, 33, 115, 34], z);
    const perTile = tiles.map(({ x, y }) => countsByCounty(countyClusterTile(rows, { z, x, y })));
    expect(perTile.filter((counts) => Object.keys(counts).length > 0).length).toBeGreaterThan(0);
    expect(Object.assign({}, ...perTile)).toEqual({ X: 3, Z: 2 });
  });
});
