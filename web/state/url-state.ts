// Everything a link must reproduce lives in the URL: view, filters, date, open site, language.
import { CATEGORY_CODES } from '../../domain/categories.ts';
import { COUNTED_STATUSES, ROAD_STATUS_CODES, type RoadStatusCode, type StatusCode } from '../../domain/statuses.ts';
import type { Language } from '../i18n/code-labels.ts';

export type Choropleth = 'none' | 'density' | 'closed';

export interface UrlState {
  center: [number, number];
  zoom: number;
  county: string | null;
  /** Status layers switched on. */
  statuses: StatusCode[];
  /** Categories shown; empty means all. */
  categories: string[];
  source: 'real' | 'demo' | null;
  asOf: string | null;
  site: number | null;
  road: number | null;
  roads: boolean;
  /** Road segment statuses switched on (the road legend). */
  roadStatuses: RoadStatusCode[];
  choropleth: Choropleth;
  lang: Language;
  basemap: string | null;
  /** Which side panel shows: layers, or the industrial-siege analysis with its core. */
  panel: 'layers' | 'siege' | 'routes' | 'relapse' | 'scorecard' | 'imports' | 'audit';
  /** A scorecard figure whose sites the map highlights (panel scorecard). */
  figure: string | null;
  /** A saved inspection route to show. */
  route: number | null;
  core: string;
}

/** Luohe's government seat and a zoom that shows the whole city. */
export const DEFAULT_STATE: UrlState = {
  center: [113.88, 33.7],
  zoom: 8.9,
  county: null,
  statuses: [...COUNTED_STATUSES],
  categories: [],
  source: null,
  asOf: null,
  site: null,
  road: null,
  roads: true,
  roadStatuses: [...ROAD_STATUS_CODES],
  choropleth: 'none',
  lang: 'zh',
  basemap: null,
  panel: 'layers',
  core: 'default',
  route: null,
  figure: null,
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseUrlState(search: string): UrlState {
  const params = new URLSearchParams(search);
  const state: UrlState = { ...DEFAULT_STATE, statuses: [...DEFAULT_STATE.statuses], roadStatuses: [...DEFAULT_STATE.roadStatuses] };
  const view = params.get('v')?.split(',').map(Number);
  if (view && view.length === 3 && view.every(Number.isFinite)) {
    state.center = [view[0]!, view[1]!];
    state.zoom = view[2]!;
  }
  const county = params.get('county');
  if (county && /^\d{6}$/.test(county)) state.county = county;
  if (params.has('status'))
    state.statuses = (params.get('status') ?? '').split(',').filter((s): s is StatusCode => (COUNTED_STATUSES as readonly string[]).includes(s));
  const categories = params.get('category');
  if (categories) state.categories = categories.split(',').filter((c) => (CATEGORY_CODES as readonly string[]).includes(c));
  const source = params.get('source');
  if (source === 'real' || source === 'demo') state.source = source;
  const asOf = params.get('asOf');
  if (asOf && DATE.test(asOf)) state.asOf = asOf;
  const site = Number(params.get('site'));
  if (Number.isSafeInteger(site) && site > 0) state.site = site;
  const road = Number(params.get('road'));
  if (Number.isSafeInteger(road) && road > 0) state.road = road;
  if (params.get('roads') === '0') state.roads = false;
  if (params.has('roadStatus'))
    state.roadStatuses = (params.get('roadStatus') ?? '').split(',').filter((s): s is RoadStatusCode => (ROAD_STATUS_CODES as readonly string[]).includes(s));
  const choropleth = params.get('choropleth');
  if (choropleth === 'density' || choropleth === 'closed') state.choropleth = choropleth;
  if (params.get('lang') === 'en') state.lang = 'en';
  state.basemap = params.get('basemap');
  const panel = params.get('panel');
  if (panel === 'siege' || panel === 'routes' || panel === 'relapse' || panel === 'scorecard' || panel === 'imports' || panel === 'audit') state.panel = panel;
  const figure = params.get('figure');
  if (figure && /^[a-zA-Z]+(:[a-z_]+)?$/.test(figure)) state.figure = figure;
  const route = Number(params.get('route'));
  if (Number.isSafeInteger(route) && route > 0) state.route = route;
  const core = params.get('core');
  if (core && /^(default|\d+)$/.test(core)) state.core = core;
  return state;
}

export function serializeUrlState(state: UrlState): string {
  const params = new URLSearchParams();
  params.set('v', `${state.center[0].toFixed(5)},${state.center[1].toFixed(5)},${state.zoom.toFixed(2)}`);
  if (state.county) params.set('county', state.county);
  if (state.statuses.length !== COUNTED_STATUSES.length) params.set('status', state.statuses.join(','));
  if (state.categories.length) params.set('category', state.categories.join(','));
  if (state.source) params.set('source', state.source);
  if (state.asOf) params.set('asOf', state.asOf);
  if (state.site) params.set('site', String(state.site));
  if (state.road) params.set('road', String(state.road));
  if (!state.roads) params.set('roads', '0');
  if (state.roadStatuses.length !== ROAD_STATUS_CODES.length) params.set('roadStatus', state.roadStatuses.join(','));
  if (state.choropleth !== 'none') params.set('choropleth', state.choropleth);
  if (state.lang !== 'zh') params.set('lang', state.lang);
  if (state.basemap) params.set('basemap', state.basemap);
  if (state.panel !== 'layers') params.set('panel', state.panel);
  if (state.core !== 'default') params.set('core', state.core);
  if (state.route) params.set('route', String(state.route));
  if (state.figure) params.set('figure', state.figure);
  return `?${params.toString()}`;
}

/**
 * The view's site filters as query parameters of /api/sites and /api/export: county, the statuses
 * switched on (none when all are), categories, source and date. The map itself shows every county
 * (the county picker zooms); a download takes the county picked.
 */
export function siteFilterQuery(state: UrlState): Record<string, string> {
  const query: Record<string, string> = {};
  if (state.county) query.county = state.county;
  if (state.statuses.length !== COUNTED_STATUSES.length) query.status = state.statuses.join(',');
  if (state.categories.length) query.category = state.categories.join(',');
  if (state.source) query.source = state.source;
  if (state.asOf) query.asOf = state.asOf;
  return query;
}

/** The view's filters that apply to road segments: county, the statuses switched on (none when all are) and date. */
export function roadFilterQuery(state: UrlState): Record<string, string> {
  const query: Record<string, string> = {};
  if (state.county) query.county = state.county;
  if (state.roadStatuses.length !== ROAD_STATUS_CODES.length) query.status = state.roadStatuses.join(',');
  if (state.asOf) query.asOf = state.asOf;
  return query;
}
