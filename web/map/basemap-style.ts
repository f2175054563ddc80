// The offline basemap: built only from the project's own data (county polygons and their names),
// with glyphs served by our server. Optional online tiles go underneath when an operator set them.
import type { StyleSpecification } from 'maplibre-gl';

export const FONT_STACK = ['Noto Sans Regular'];
export const LOCAL_IDEOGRAPH_FONTS = "'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', 'PingFang SC', 'Source Han Sans SC', sans-serif";

export interface OnlineBasemap {
  id: string;
  name: string;
  tiles: string[];
  attribution: string;
  maxZoom?: number;
}

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

export function offlineStyle(origin: string, basemap: OnlineBasemap | null): StyleSpecification {
  return {
    version: 8,
    glyphs: `${origin}/glyphs/{fontstack}/{range}.pbf`,
    sources: {
      counties: { type: 'geojson', data: EMPTY, promoteId: 'code', attribution: '边界数据 © DataV.GeoAtlas / 高德' },
      countyLabels: { type: 'geojson', data: EMPTY },
      ...(basemap
        ? { online: { type: 'raster' as const, tiles: basemap.tiles, tileSize: 256, attribution: basemap.attribution, maxzoom: basemap.maxZoom ?? 18 } }
        : {}),
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef1ec' } },
      ...(basemap ? [{ id: 'online', type: 'raster' as const, source: 'online' }] : []),
      {
        id: 'county-fill',
        type: 'fill',
        source: 'counties',
        paint: {
          'fill-color': ['coalesce', ['feature-state', 'fill'], '#fbfbf8'],
          'fill-opacity': basemap ? 0.15 : ['case', ['boolean', ['feature-state', 'dimmed'], false], 0.35, 0.9],
        },
      },
      {
        id: 'county-dim',
        type: 'fill',
        source: 'counties',
        paint: { 'fill-color': '#9aa5b1', 'fill-opacity': ['case', ['boolean', ['feature-state', 'dimmed'], false], 0.45, 0] },
      },
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
        layout: { 'text-field': ['get', 'label'], 'text-font': FONT_STACK, 'text-size': 15, 'text-allow-overlap': false },
        paint: { 'text-color': '#3e4c59', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
      },
    ],
  };
}
