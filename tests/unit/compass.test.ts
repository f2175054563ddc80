// A siege cell in words: distance band and 16-point compass direction from the core.
import { describe, expect, it } from 'vitest';
import { compassPoint, midBearing, siegeCellWords } from '../../web/i18n/compass.ts';

describe('siege cell words', () => {
  it('names the 16 points and wraps sectors through north', () => {
    expect(compassPoint(0)).toEqual(['北', 'N']);
    expect(compassPoint(67.5)).toEqual(['东北偏东', 'ENE']);
    expect(compassPoint(180)).toEqual(['南', 'S']);
    expect(compassPoint(349)).toEqual(['北', 'N']);
    expect(midBearing(348.75, 11.25)).toBeCloseTo(0, 9);
    expect(midBearing(56.25, 78.75)).toBeCloseTo(67.5, 9);
  });

  it('reads "5–10 km · 东北偏东 (ENE)" for band 5–10 km, sector 56.25°–78.75°', () => {
    expect(siegeCellWords({ inside: false, bandFromKm: 5, bandToKm: 10, bearingFrom: 56.25, bearingTo: 78.75 }, '核心区内')).toBe('5–10 km · 东北偏东 (ENE)');
    expect(siegeCellWords({ inside: true, bandFromKm: 0, bandToKm: 0, bearingFrom: null, bearingTo: null }, '核心区内')).toBe('核心区内');
  });
});
