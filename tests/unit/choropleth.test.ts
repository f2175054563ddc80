// County colours: open sites per km² (orange ramp) or the share dealt with (green ramp), five classes
// between the smallest and the largest county. Figures worked by hand below each case.
import { describe, expect, it } from 'vitest';
import { OPEN_STATUSES, RESOLVED_STATUSES } from '../../domain/statuses.ts';
import { choroplethColors, choroplethValues, type CountyFigures } from '../../web/map/choropleth.ts';

const COUNTIES: CountyFigures[] = [
  // open 20 on 100 km² = 0.2/km²; dealt with 20 of 40 = 0.5
  { code: 'A', areaKm2: 100, byStatus: { discovered: 10, rectifying: 10, closed: 20 } },
  // open 5 on 50 km² = 0.1/km²; dealt with 15 of 20 = 0.75
  { code: 'B', areaKm2: 50, byStatus: { discovered: 5, verified: 15 } },
  // open 80 on 200 km² = 0.4/km²; dealt with 0 of 80 = 0
  { code: 'C', areaKm2: 200, byStatus: { relapsed: 80, closed: 0 } },
  // nothing: 0/km², and 0 dealt with (not a division by zero); voided sites count for neither
  { code: 'D', areaKm2: 10, byStatus: { voided: 3 } },
];

describe('choropleth', () => {
  it('computes open sites per km² and the share dealt with', () => {
    expect(choroplethValues(COUNTIES, 'density', OPEN_STATUSES, RESOLVED_STATUSES)).toEqual({ A: 0.2, B: 0.1, C: 0.4, D: 0 });
    expect(choroplethValues(COUNTIES, 'closed', OPEN_STATUSES, RESOLVED_STATUSES)).toEqual({ A: 0.5, B: 0.75, C: 0, D: 0 });
  });

  it('bins density into five orange classes between min and max', () => {
    // (v − 0) / 0.4 × 5: A 2.5 → class 2, B 1.25 → 1, C 5 → top class 4, D 0 → 0
    expect(choroplethColors(COUNTIES, 'density', OPEN_STATUSES, RESOLVED_STATUSES)).toEqual({ A: '#fd8d3c', B: '#fdd0a2', C: '#7f2704', D: '#fff5eb' });
  });

  it('bins the share dealt with into five green classes', () => {
    // (v − 0) / 0.75 × 5: A 3.33 → 3, B 5 → 4, C and D 0 → 0
    expect(choroplethColors(COUNTIES, 'closed', OPEN_STATUSES, RESOLVED_STATUSES)).toEqual({ A: '#238b45', B: '#00441b', C: '#f7fcf5', D: '#f7fcf5' });
  });

  it('gives every county the middle class when all are equal', () => {
    const same = [
      { code: 'A', areaKm2: 10, byStatus: { discovered: 1 } },
      { code: 'B', areaKm2: 20, byStatus: { discovered: 2 } },
    ];
    expect(choroplethColors(same, 'density', OPEN_STATUSES, RESOLVED_STATUSES)).toEqual({ A: '#fd8d3c', B: '#fd8d3c' });
  });
});
