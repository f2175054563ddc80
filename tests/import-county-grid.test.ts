// The import's county lookup (server/geo/county-grid.ts) gives CountyLocator's answer for every point:
// random points over Luohe and around it, the counties' own vertices and edge midpoints (on a boundary),
// points a hair off them, and points on the grid's cell lines; asked twice. Fails when the grid's flood fill crosses an edge.
import { describe, it, expect } from 'vitest';
import { CountyLocator, geometryBbox } from '../domain/locate-county.ts';
import { Random } from '../domain/random.ts';
import { CountyGrid } from '../server/geo/county-grid.ts';
import { countyPolygons } from '../server/store/county-store.ts';
import { bootDatabase } from '../server/bootstrap.ts';

describe('CountyGrid', () => {
  it('locates every point as CountyLocator does', () => {
    const { db } = bootDatabase(':memory:', { demo: false });
    const counties = countyPolygons(db);
    db.close();
    const exact = new CountyLocator(counties);
    const points: [number, number][] = [];
    const seeded = new Random(20261205);
    const random = () => seeded.next();
    // Over the counties' extent and a margin around it.
    for (let i = 0; i < 100_000; i++) points.push([113.2 + random() * 1.3, 33.2 + random() * 1.0]);
    for (const county of counties) {
      const polygons = county.geometry.type === 'Polygon' ? [county.geometry.coordinates] : county.geometry.coordinates;
      for (const polygon of polygons)
        for (const ring of polygon)
          for (let i = 0; i < ring.length; i++) {
            const [x, y] = ring[i]! as [number, number];
            points.push([x, y], [x + 1e-9, y], [x, y - 1e-9], [x + 2e-6, y + 2e-6], [x - 2e-6, y - 2e-6]);
            if (i > 0) {
              const [px, py] = ring[i - 1]! as [number, number];
              points.push([(x + px) / 2, (y + py) / 2]);
            }
          }
    }
    const grid = new CountyGrid(counties);
    // Points on the grid's cell lines (the extent split in 256 steps), where rounding picks the cell.
    const boxes = counties.map((county) => geometryBbox(county.geometry));
    const [minLon, minLat] = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1]))];
    const [maxLon, maxLat] = [Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
    for (let i = 0; i <= 256; i++)
      for (let j = 0; j < 40; j++) {
        points.push([minLon + ((maxLon - minLon) * i) / 256, minLat + random() * (maxLat - minLat)]);
        points.push([minLon + random() * (maxLon - minLon), minLat + ((maxLat - minLat) * i) / 256]);
      }
    points.push([NaN, 33.5], [113.9, NaN], [Infinity, 33.5], [0, 0], [180, 90]);
    const wanted = points.map(([x, y]) => exact.locate(x, y));
    expect(new Set(wanted).size).toBeGreaterThan(5);
    expect(points.map(([x, y]) => grid.locate(x, y))).toEqual(wanted);
    expect(points.map(([x, y]) => grid.locate(x, y))).toEqual(wanted);
  });
});
