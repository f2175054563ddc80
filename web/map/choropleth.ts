// County colours for the choropleth: open sites per km², or the share of sites dealt with.
import type { StatusCode } from '../../domain/statuses.ts';

const RAMP = ['#fff5eb', '#fdd0a2', '#fd8d3c', '#d94801', '#7f2704'];
const GREEN = ['#f7fcf5', '#c7e9c0', '#74c476', '#238b45', '#00441b'];

export interface CountyFigures {
  code: string;
  areaKm2: number;
  byStatus: Record<string, number>;
}

const sum = (byStatus: Record<string, number>, statuses: readonly StatusCode[]) => statuses.reduce((total, s) => total + (byStatus[s] ?? 0), 0);

/** A value per county, binned into five classes between the smallest and largest value. */
export function choroplethValues(
  counties: readonly CountyFigures[],
  mode: 'density' | 'closed',
  open: readonly StatusCode[],
  resolved: readonly StatusCode[],
): Record<string, number> {
  return Object.fromEntries(
    counties.map((county) => {
      if (mode === 'density') return [county.code, sum(county.byStatus, open) / county.areaKm2];
      const total = sum(county.byStatus, open) + sum(county.byStatus, resolved);
      return [county.code, total === 0 ? 0 : sum(county.byStatus, resolved) / total];
    }),
  );
}

export function choroplethColors(
  counties: readonly CountyFigures[],
  mode: 'density' | 'closed',
  open: readonly StatusCode[],
  resolved: readonly StatusCode[],
): Record<string, string> {
  const values = choroplethValues(counties, mode, open, resolved);
  const numbers = Object.values(values);
  const min = Math.min(...numbers);
  const max = Math.max(...numbers);
  const ramp = mode === 'density' ? RAMP : GREEN;
  return Object.fromEntries(
    Object.entries(values).map(([code, value]) => [code, ramp[max === min ? 2 : Math.min(4, Math.floor(((value - min) / (max - min)) * 5))]!]),
  );
}
