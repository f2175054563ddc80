// Our data as style layers: county outlines and names, analyses, roads, sites, routes (drawings: web/map/draw-tool.ts).
// The map controller puts them into every style it builds (any basemap underneath), so a basemap
// or language switch never loses them. Area fills come first so a basemap's labels can sit between
// them and our lines and points.
import type { ExpressionSpecification, LayerSpecification, SourceSpecification } from 'maplibre-gl';
import { ROAD_STATUS_COLORS, SIEGE_RAMP, STATUS_COLORS } from './colors.ts';
import { COUNTY_LABEL_SIZE } from './county-labels.ts';
import { FONT_STACK } from './fonts.ts';
import type { Language } from '../i18n/code-labels.ts';

/** Every GeoJSON source we own, in the order nothing depends on. */
export const DATA_SOURCES = ['counties', 'countyLabels', 'siege-cells', 'siege-core', 'roads', 'route', 'relapse', 'highlight', 'sites', 'selected'] as const;
export type DataSourceId = (typeof DATA_SOURCES)[number];

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

/** The credit for the county boundaries, in the page's language (the style is rebuilt on a language switch). */
const BOUNDARY_ATTRIBUTION: Record<Language, string> = { zh: '边界数据 © DataV.GeoAtlas / 高德', en: 'Boundaries © DataV.GeoAtlas / AutoNavi' };

export function dataSources(lang: Language): Record<DataSourceId, SourceSpecification> {
  const sources = Object.fromEntries(DATA_SOURCES.map((id) => [id, { type: 'geojson', data: EMPTY }])) as unknown as Record<DataSourceId, SourceSpecification>;
  sources.counties = { type: 'geojson', data: EMPTY, promoteId: 'code', attribution: BOUNDARY_ATTRIBUTION[lang] };
  return sources;
}

const matchColor = (property: string, colors: Record<string, string>, fallback: string) =>
  ['match', ['get', property], ...Object.entries(colors).flat(), fallback] as unknown as ExpressionSpecification;

/** Fills that cover areas: drawn right above the basemap's own fills, under its labels. */
export function areaLayers(underBasemap: boolean): LayerSpecification[] {
  return [
    {
      id: 'county-fill',
      type: 'fill',
      source: 'counties',
      paint: {
        'fill-color': ['coalesce', ['feature-state', 'fill'], '#fbfbf8'],
        // Over a basemap the plain fill is a light veil and a choropleth colour shows through the streets.
        'fill-opacity': underBasemap
          ? ['case', ['==', ['feature-state', 'fill'], null], 0.12, 0.45]
          : ['case', ['boolean', ['feature-state', 'dimmed'], false], 0.35, 0.9],
      },
    },
    {
      id: 'county-dim',
      type: 'fill',
      source: 'counties',
      paint: { 'fill-color': '#9aa5b1', 'fill-opacity': ['case', ['boolean', ['feature-state', 'dimmed'], false], 0.45, 0] },
    },
    {
      id: 'siege-cells',
      type: 'fill',
      source: 'siege-cells',
      paint: {
        'fill-color': ['interpolate', ['linear'], ['get', 'shade'], ...SIEGE_RAMP.flat()] as unknown as ExpressionSpecification,
        'fill-opacity': ['case', ['==', ['get', 'count'], 0], 0.08, 0.55],
      },
    },
    {
      id: 'relapse-cells',
      type: 'fill',
      source: 'relapse',
      filter: ['==', ['get', 'layer'], 'cell'],
      paint: {
        'fill-color': ['case', ['==', ['get', 'kind'], 'cold'], '#4575b4', ['match', ['get', 'confidence'], 99, '#7f0000', 95, '#d7301f', '#fc8d59']],
        'fill-opacity': 0.55,
      },
    },
  ];
}

/** Lines, points and our labels: always on top of everything the basemap draws. */
export function overlayLayers(): LayerSpecification[] {
  return [
    { id: 'county-line', type: 'line', source: 'counties', paint: { 'line-color': '#52606d', 'line-width': 1.2, 'line-dasharray': [3, 2] } },
    {
      id: 'county-focus',
      type: 'line',
      source: 'counties',
      paint: { 'line-color': '#1f2933', 'line-width': ['case', ['boolean', ['feature-state', 'focused'], false], 3, 0] },
    },
    {
      id: 'county-label',
      type: 'symbol',
      source: 'countyLabels',
      // text-offset: moved clear of the cluster rings by the page (web/map/county-labels.ts).
      layout: {
        'text-field': ['get', 'label'],
        'text-font': FONT_STACK,
        'text-size': COUNTY_LABEL_SIZE,
        'text-allow-overlap': false,
        'text-offset': ['array', 'number', 2, ['coalesce', ['get', 'offset'], ['literal', [0, 0]]]],
      },
      paint: { 'text-color': '#3e4c59', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    },
    { id: 'siege-cell-lines', type: 'line', source: 'siege-cells', paint: { 'line-color': '#7f0000', 'line-width': 0.6, 'line-opacity': 0.5 } },
    { id: 'siege-core', type: 'line', source: 'siege-core', paint: { 'line-color': '#123b63', 'line-width': 2.5, 'line-dasharray': [4, 2] } },
    {
      id: 'siege-core-label',
      type: 'symbol',
      source: 'siege-core',
      layout: { 'text-field': ['get', 'label'], 'text-font': FONT_STACK, 'text-size': 13, 'symbol-placement': 'line', 'text-allow-overlap': false },
      paint: { 'text-color': '#123b63', 'text-halo-color': '#fff', 'text-halo-width': 1.5 },
    },
    {
      id: 'relapse-moves',
      type: 'line',
      source: 'relapse',
      filter: ['==', ['get', 'layer'], 'move'],
      paint: { 'line-color': '#6b3fa0', 'line-width': ['case', ['get', 'confirmed'], 3, 2], 'line-dasharray': [2, 1] },
    },
    {
      id: 'relapse-points',
      type: 'circle',
      source: 'relapse',
      filter: ['==', ['get', 'layer'], 'relapse'],
      paint: { 'circle-radius': 7, 'circle-color': '#c92a2a', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 },
    },
    {
      id: 'highlight-lines',
      type: 'line',
      source: 'highlight',
      filter: ['==', ['geometry-type'], 'LineString'],
      paint: { 'line-color': '#f59f00', 'line-width': 10, 'line-opacity': 0.6 },
    },
    {
      id: 'highlight-points',
      type: 'circle',
      source: 'highlight',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 14, 'circle-color': '#ffd43b', 'circle-opacity': 0.35, 'circle-stroke-color': '#f08c00', 'circle-stroke-width': 3 },
    },
    {
      id: 'roads-casing',
      type: 'line',
      source: 'roads',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': 7 },
    },
    {
      id: 'roads',
      type: 'line',
      source: 'roads',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': matchColor('status', ROAD_STATUS_COLORS, '#555'),
        'line-width': 4,
        'line-dasharray': ['case', ['==', ['get', 'source'], 'demo'], ['literal', [2, 1]], ['literal', [1, 0]]],
      },
    },
    {
      id: 'selected-halo',
      type: 'circle',
      source: 'selected',
      paint: { 'circle-radius': 18, 'circle-color': '#ffd43b', 'circle-opacity': 0.55, 'circle-stroke-color': '#1f2933', 'circle-stroke-width': 2 },
    },
    {
      id: 'sites',
      type: 'circle',
      source: 'sites',
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 9, 14, 13],
        'circle-color': matchColor('status', STATUS_COLORS, '#555'),
        // Real records carry a dark ring; demo records a white one and a lighter fill (see the legend).
        'circle-stroke-color': ['case', ['==', ['get', 'source'], 'demo'], '#ffffff', '#111827'],
        'circle-stroke-width': ['case', ['==', ['get', 'source'], 'demo'], 1.5, 2.5],
        'circle-opacity': ['case', ['==', ['get', 'source'], 'demo'], 0.8, 1],
      },
    },
    {
      id: 'site-symbols',
      type: 'symbol',
      source: 'sites',
      layout: {
        'icon-image': ['concat', 'cat-', ['get', 'category']],
        'icon-allow-overlap': true,
        'icon-size': ['interpolate', ['linear'], ['zoom'], 8, 0.8, 14, 1.05],
      },
    },
    {
      id: 'route-line',
      type: 'line',
      source: 'route',
      filter: ['==', ['geometry-type'], 'LineString'],
      paint: { 'line-color': '#123b63', 'line-width': 3, 'line-opacity': 0.8 },
    },
    {
      id: 'route-stops',
      type: 'circle',
      source: 'route',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 11, 'circle-color': '#123b63', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 },
    },
    {
      id: 'route-labels',
      type: 'symbol',
      source: 'route',
      filter: ['==', ['geometry-type'], 'Point'],
      layout: { 'text-field': ['to-string', ['get', 'seq']], 'text-font': FONT_STACK, 'text-size': 12, 'text-allow-overlap': true },
      paint: { 'text-color': '#fff' },
    },
  ];
}
