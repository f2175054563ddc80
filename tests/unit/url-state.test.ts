// The URL is the page's state: a link reproduces the view. Parsing keeps what is valid and drops
// the rest; serializing writes only what differs from the defaults; the filter queries follow.
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, parseUrlState, roadFilterQuery, serializeUrlState, siteFilterQuery } from '../../web/state/url-state.ts';

describe('url state', () => {
  it('reads a full link', () => {
    const state = parseUrlState(
      '?v=114.01000,33.58000,12.00&county=411102&status=closed,relapsed&category=sand_yard,bogus&source=real&asOf=2025-06-30&site=7&roads=0&roadStatus=repaired&choropleth=density&lang=en&basemap=tianditu&panel=siege&core=3&route=12&figure=overdue',
    );
    expect(state).toEqual({
      center: [114.01, 33.58],
      zoom: 12,
      county: '411102',
      statuses: ['closed', 'relapsed'],
      categories: ['sand_yard'],
      source: 'real',
      asOf: '2025-06-30',
      site: 7,
      road: null,
      roads: false,
      roadStatuses: ['repaired'],
      choropleth: 'density',
      lang: 'en',
      basemap: 'tianditu',
      panel: 'siege',
      core: '3',
      route: 12,
      figure: 'overdue',
    });
  });

  it('drops what is not valid and keeps the defaults', () => {
    const state = parseUrlState(
      '?v=114,abc,12&county=4111&status=voided,closed&source=both&asOf=2025-6-30&site=-1&road=1.5&choropleth=red&panel=admin&core=x&route=0&figure=a;b',
    );
    expect(state).toEqual({ ...DEFAULT_STATE, statuses: ['closed'] });
  });

  it('writes only what differs from the defaults', () => {
    // URLSearchParams writes the commas as %2C; both forms read back the same.
    expect(serializeUrlState(DEFAULT_STATE)).toBe('?v=113.88000%2C33.70000%2C8.90');
    expect(serializeUrlState({ ...DEFAULT_STATE, county: '411102', statuses: ['closed', 'verified'], lang: 'en', panel: 'routes', route: 4 })).toBe(
      '?v=113.88000%2C33.70000%2C8.90&county=411102&status=closed%2Cverified&lang=en&panel=routes&route=4',
    );
  });

  it('reads back what it writes', () => {
    const state = {
      ...DEFAULT_STATE,
      center: [114.1, 33.5] as [number, number],
      zoom: 11.25,
      categories: ['brick_kiln', 'sand_yard'],
      asOf: '2024-01-31',
      site: 42,
      roadStatuses: [],
      core: '9',
    };
    expect(parseUrlState(serializeUrlState(state))).toEqual(state);
  });

  it('turns the filters into API queries', () => {
    expect(siteFilterQuery(DEFAULT_STATE)).toEqual({});
    expect(roadFilterQuery(DEFAULT_STATE)).toEqual({});
    const state = {
      ...DEFAULT_STATE,
      county: '411121',
      statuses: ['discovered' as const],
      categories: ['fuel_point'],
      source: 'demo' as const,
      asOf: '2025-03-01',
      roadStatuses: ['reported' as const, 'repairing' as const],
    };
    expect(siteFilterQuery(state)).toEqual({ county: '411121', status: 'discovered', category: 'fuel_point', source: 'demo', asOf: '2025-03-01' });
    expect(roadFilterQuery(state)).toEqual({ county: '411121', status: 'reported,repairing', asOf: '2025-03-01' });
  });
});
