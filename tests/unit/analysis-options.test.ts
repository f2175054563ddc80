// The analyses' options are zod schemas (server/geo/*-options.ts): each refusal is the analysis'
// OptionError naming the parameter, with the reason and values the page words it from.
import { describe, expect, it } from 'vitest';
import { resolveRelapseOptions, type RelapseOptionError } from '../../server/geo/relapse-options.ts';
import { resolveRouteOptions, validateStops } from '../../server/geo/route-options.ts';
import { resolveSiegeOptions } from '../../server/geo/siege-options.ts';
import type { SiegeOptions } from '../../server/geo/siege-types.ts';

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    const { name, parameter, problem, message } = error as RelapseOptionError;
    return { name, parameter, problem, message };
  }
  throw new Error('accepted');
}

const square: SiegeOptions['core'] = {
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
        [114, 33.5],
      ],
    ],
  },
} as SiegeOptions['core'];

describe('relapse options', () => {
  it('fills the defaults', () => {
    expect(resolveRelapseOptions({})).toEqual({
      from: null,
      to: null,
      asOf: null,
      categories: expect.any(Array),
      counties: null,
      radiusKm: 3,
      withinDays: 180,
      cellKm: 3,
      correction: 'fdr',
    });
  });
  it('refuses a window that ends before it starts, a fractional day count and an unknown correction', () => {
    expect(refusal(() => resolveRelapseOptions({ from: '2021-05-01', to: '2021-04-01' }))).toEqual({
      name: 'RelapseOptionError',
      parameter: 'from',
      problem: { reason: 'date_order', from: '2021-05-01', to: '2021-04-01' },
      message: 'from: from (2021-05-01) is after to (2021-04-01)',
    });
    expect(refusal(() => resolveRelapseOptions({ withinDays: 2.5 }))).toMatchObject({
      parameter: 'withinDays',
      problem: { reason: 'not_whole_number', value: 2.5 },
    });
    expect(refusal(() => resolveRelapseOptions({ radiusKm: 0 }))).toMatchObject({
      parameter: 'radiusKm',
      problem: { reason: 'out_of_range', minimum: 0, maximum: 50, exclusive: true, value: 0 },
    });
    expect(refusal(() => resolveRelapseOptions({ correction: 'bonferroni' as 'fdr' }))).toMatchObject({
      parameter: 'correction',
      problem: { reason: 'not_one_of', allowed: ['fdr', 'none'] },
    });
    expect(refusal(() => resolveRelapseOptions({ to: '2021-02-30' }))).toMatchObject({ parameter: 'to', problem: { reason: 'bad_date', value: '2021-02-30' } });
  });
});

describe('siege options', () => {
  it('fills the defaults and drops repeated categories', () => {
    expect(resolveSiegeOptions({ core: square, categories: ['sand_yard', 'sand_yard'] })).toEqual({
      bandsKm: [0, 2, 5, 10, 20],
      sectors: 16,
      categories: ['sand_yard'],
      openOnly: true,
      minSites: 1,
      nearKm: 5,
    });
  });
  it('refuses a bow-tie core, bands out of order and too many sectors, in that order', () => {
    const bowTie = {
      ...square,
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [114, 33.5],
            [114.1, 33.6],
            [114.1, 33.5],
            [114, 33.6],
            [114, 33.5],
          ],
        ],
      },
    } as SiegeOptions['core'];
    expect(refusal(() => resolveSiegeOptions({ core: bowTie, sectors: 99 }))).toMatchObject({
      name: 'SiegeOptionError',
      parameter: 'core',
      problem: { reason: 'self_crossing' },
    });
    expect(refusal(() => resolveSiegeOptions({ core: square, bandsKm: [0, 5, 2], sectors: 99 }))).toMatchObject({
      parameter: 'bands',
      problem: { reason: 'not_increasing', value: 2, previous: 5 },
    });
    expect(refusal(() => resolveSiegeOptions({ core: square, sectors: 99 }))).toEqual({
      name: 'SiegeOptionError',
      parameter: 'sectors',
      problem: { reason: 'out_of_range', minimum: 1, maximum: 64, value: 99 },
      message: 'sectors: sectors must be a whole number from 1 to 64, not 99',
    });
  });
});

describe('route options', () => {
  it('resolves end "start" to the start point, and no end to an open route', () => {
    expect(resolveRouteOptions({ start: [114, 33.5], end: 'start' })).toEqual({
      start: [114, 33.5],
      end: [114, 33.5],
      closed: true,
      detourFactor: 1.3,
      speedKmh: 30,
      minutesPerStop: 20,
    });
    expect(resolveRouteOptions({ start: [114, 33.5] })).toMatchObject({ end: null, closed: false });
  });
  it('refuses swapped coordinates, a detour factor out of range and a repeated stop', () => {
    expect(refusal(() => resolveRouteOptions({ start: [33.5, 114] }))).toMatchObject({
      name: 'RouteOptionError',
      parameter: 'start',
      problem: { reason: 'outside_china', value: '33.5,114' },
    });
    expect(refusal(() => resolveRouteOptions({ start: [114, 33.5], end: [1, 2, 3] as unknown as [number, number] }))).toMatchObject({
      parameter: 'end',
      problem: { reason: 'bad_format' },
    });
    expect(refusal(() => resolveRouteOptions({ start: [114, 33.5], detourFactor: 4 }))).toMatchObject({
      parameter: 'detourFactor',
      problem: { reason: 'out_of_range', minimum: 1, maximum: 3, value: 4 },
    });
    expect(
      refusal(() =>
        validateStops([
          { id: 1, lon: 114, lat: 33.5 },
          { id: 1, lon: 114, lat: 33.5 },
        ]),
      ),
    ).toMatchObject({ parameter: 'stops', problem: { reason: 'repeated', value: 1 } });
  });
});
