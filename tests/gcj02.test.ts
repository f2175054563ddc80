// domain/gcj02.ts computes GCJ-02 → WGS84 with gcoord's own formulas (its public transform is slow per
// point): the same doubles as gcoord.transform, bit for bit, wherever a ledger's positions may lie.
import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84 } from '../domain/gcj02.ts';
import { toWgs84 } from '../domain/coordinates.ts';
import { Random } from '../domain/random.ts';

const viaGcoord = (lon: number, lat: number) => gcoord.transform<[number, number]>([lon, lat], gcoord.GCJ02, gcoord.WGS84);

describe('GCJ-02 → WGS84', () => {
  it('equals gcoord.transform exactly: Luohe, China, and outside its box (seeded)', () => {
    const random = new Random(18);
    // Outside China's box both leave a point as it is. (Just inside its edges neither converges: the
    // iteration steps out of the box and back; no ledger position of Luohe lies there.)
    const points: [number, number][] = [
      [72.0039, 30],
      [137.8348, 30],
      [114, 0.8292],
      [114, 55.8272],
      [0, 0],
      [-122.4, 37.8],
    ];
    for (let i = 0; i < 5_000; i++) points.push([random.range(113.6, 114.3), random.range(33.3, 34.0)]); // Luohe
    for (let i = 0; i < 5_000; i++) points.push([random.range(74, 135), random.range(4, 53)]); // China's box
    for (const [lon, lat] of points) {
      const expected = viaGcoord(lon, lat);
      expect(gcj02ToWgs84(lon, lat)).toEqual(expected);
      expect(toWgs84('gcj02', lon, lat)).toEqual(expected);
    }
  });
});
