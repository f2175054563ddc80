// Styles for vector basemaps (MVT) in the two schemas we recognise: Protomaps' (its layers built by
// @protomaps/basemaps) and OpenMapTiles' (planetiler, OpenMapTiles; a plain style written here).
// Labels read `name:zh` and fall back to `name` (in English: `name:en`, then `name`), use our glyph
// stack and the browser's CJK fonts, and need no sprite.
import { layers as protomapsLayers, namedFlavor } from '@protomaps/basemaps';
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import type { Language } from '../i18n/code-labels.ts';
import { FONT_STACK } from './fonts.ts';

export function labelName(lang: Language): ExpressionSpecification {
  return lang === 'zh' ? ['coalesce', ['get', 'name:zh'], ['get', 'name:zh-Hans'], ['get', 'name']] : ['coalesce', ['get', 'name:en'], ['get', 'name']];
}

/** The basemap's fills and lines (under our area fills) and its labels (above them). */
export function vectorBasemapLayers(
  source: string,
  schema: 'protomaps' | 'openmaptiles',
  lang: Language,
): { under: LayerSpecification[]; labels: LayerSpecification[] } {
  const all = schema === 'protomaps' ? protomaps(source, lang) : openMapTiles(source, lang);
  return { under: all.filter((l) => l.type !== 'symbol'), labels: all.filter((l) => l.type === 'symbol') };
}

function protomaps(source: string, lang: Language): LayerSpecification[] {
  const name = labelName(lang);
  return protomapsLayers(source, namedFlavor('light'), { lang: lang === 'zh' ? 'zh-Hans' : 'en' })
    .filter((layer) => layer.type !== 'background')
    .map((layer) => {
      const id = `basemap-${layer.id}`;
      if (layer.type !== 'symbol') return { ...layer, id } as LayerSpecification;
      const { 'icon-image': _icon, ...layout } = layer.layout ?? {};
      const field = layer.id === 'address_label' ? layout['text-field'] : name;
      return { ...layer, id, layout: { ...layout, 'text-field': field, 'text-font': FONT_STACK } } as LayerSpecification;
    });
}

function openMapTiles(source: string, lang: Language): LayerSpecification[] {
  const name = labelName(lang);
  const label = (id: string, sourceLayer: string, size: number, color: string, extra: Partial<LayerSpecification> = {}): LayerSpecification =>
    ({
      id: `basemap-${id}`,
      type: 'symbol',
      source,
      'source-layer': sourceLayer,
      ...extra,
      layout: { 'text-field': name, 'text-font': FONT_STACK, 'text-size': size, ...(extra as { layout?: object }).layout },
      paint: { 'text-color': color, 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 },
    }) as LayerSpecification;
  return [
    { id: 'basemap-landcover', type: 'fill', source, 'source-layer': 'landcover', paint: { 'fill-color': '#dfe9d4', 'fill-opacity': 0.7 } },
    { id: 'basemap-landuse', type: 'fill', source, 'source-layer': 'landuse', paint: { 'fill-color': '#ece7df', 'fill-opacity': 0.7 } },
    { id: 'basemap-park', type: 'fill', source, 'source-layer': 'park', paint: { 'fill-color': '#cfe3c0' } },
    { id: 'basemap-water', type: 'fill', source, 'source-layer': 'water', paint: { 'fill-color': '#a9cbe6' } },
    { id: 'basemap-waterway', type: 'line', source, 'source-layer': 'waterway', paint: { 'line-color': '#a9cbe6', 'line-width': 1.2 } },
    { id: 'basemap-building', type: 'fill', source, 'source-layer': 'building', minzoom: 13, paint: { 'fill-color': '#d9d2c9' } },
    {
      id: 'basemap-road',
      type: 'line',
      source,
      'source-layer': 'transportation',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': ['match', ['get', 'class'], ['motorway', 'trunk'], '#f2b36b', ['primary', 'secondary'], '#f6d58e', 'rail', '#b0b0b0', '#ffffff'],
        'line-width': [
          'interpolate',
          ['linear'],
          ['zoom'],
          8,
          ['match', ['get', 'class'], ['motorway', 'trunk'], 1.5, 0.5],
          16,
          ['match', ['get', 'class'], ['motorway', 'trunk', 'primary'], 10, 5],
        ],
      },
    },
    { id: 'basemap-boundary', type: 'line', source, 'source-layer': 'boundary', paint: { 'line-color': '#9e9cab', 'line-width': 1, 'line-dasharray': [3, 1] } },
    label('water-name', 'water_name', 12, '#3a6ea5'),
    label('road-name', 'transportation_name', 12, '#4a4a4a', { layout: { 'symbol-placement': 'line' } } as Partial<LayerSpecification>),
    label('poi', 'poi', 11, '#6b6b6b', { minzoom: 14 } as Partial<LayerSpecification>),
    label('place', 'place', 14, '#222222'),
  ];
}
