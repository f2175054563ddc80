// The one haversine (server/geo/sphere.ts) against distances known by hand on a sphere of radius R.
import { describe, expect, it } from 'vitest';
import { distanceKm, EARTH_RADIUS_KM, haversineKm } from '../../server/geo/sphere.ts';
import { distanceMatrix } from '../../server/geo/route-distance.ts';

const R = 6371.0088;

describe('haversineKm', () => {
  it('uses the IUGG mean radius', () => {
    expect(EARTH_RADIUS_KM).toBe(R);
  });

  it('gives the arc lengths known by hand', () => {
    // One degree along the equator or a meridian: 2πR / 360.
    expect(haversineKm(0, 0, 1, 0)).toBeCloseTo((2 * Math.PI * R) / 360, 9);
    expect(haversineKm(114, 33, 114, 34)).toBeCloseTo((2 * Math.PI * R) / 360, 9);
    // Equator to pole: a quarter of the great circle; antipodes: half.
    expect(haversineKm(0, 0, 0, 90)).toBeCloseTo((Math.PI * R) / 2, 9);
    expect(haversineKm(0, 0, 180, 0)).toBeCloseTo(Math.PI * R, 9);
    // Off the equator the haversine's `a` rounds to 1 − 1e-16 near antipodes: good to a metre there.
    expect(haversineKm(30, 10, -150, -10)).toBeCloseTo(Math.PI * R, 3);
    // At 60° N a degree of longitude: 2R·asin(cos 60° · sin 0.5°) ≈ 55.6 km (not half of 111.2: the short way is a great circle).
    expect(haversineKm(10, 60, 11, 60)).toBeCloseTo(2 * R * Math.asin(0.5 * Math.sin(Math.PI / 360)), 9);
    expect(haversineKm(10, 60, 11, 60)).toBeCloseTo(55.597, 3);
  });

  it('is zero for one point and symmetric', () => {
    expect(haversineKm(114.02047, 33.577333, 114.02047, 33.577333)).toBe(0);
    expect(haversineKm(113.9, 33.5, 114.2, 33.7)).toBe(haversineKm(114.2, 33.7, 113.9, 33.5));
  });

  it('distanceKm and the route matrix give the same figure', () => {
    const a: [number, number] = [113.9, 33.5];
    const b: [number, number] = [114.2, 33.7];
    expect(distanceKm(a, b)).toBe(haversineKm(113.9, 33.5, 114.2, 33.7));
    const matrix = distanceMatrix(Float64Array.from([a[0], b[0]]), Float64Array.from([a[1], b[1]]));
    expect(matrix[1]).toBeCloseTo(distanceKm(a, b), 12);
    expect(matrix[2]).toBe(matrix[1]);
    expect(matrix[0]).toBe(0);
  });
});
