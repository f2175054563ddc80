// The whole map style as one document: a plain background (the offline map: our own county data),
// or a basemap the operator supplied (a tile archive our server serves, or online tiles from
// SANSAN_BASEMAPS), with our data layers always above it. Rebuilt on every basemap or language
// switch; the map controller then puts its data back in.
import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { Language } from '../i18n/code-labels.ts';
import { areaLayers, dataSources, overlayLayers } from './data-layers.ts';
import { vectorBasemapLayers } from './vector-basemap.ts';

/** The coordinate system a basemap's tiles are drawn in (天地图's CGCS2000 counts as WGS84). */
export type BasemapCrs = 'wgs84' | 'gcj02';

/** A basemap as /api/config lists it. */
export interface Basemap {
  id: string;
  name: string;
  tiles: string[];
  attribution: string;
  minZoom?: number | undefined;
  maxZoom?: number | undefined;
  crs: BasemapCrs;
  /** Raster images, or vector tiles (MVT) drawn with a style made for their schema. */
  kind: 'raster' | 'vector';
  schema?: 'protomaps' | 'openmaptiles' | undefined;
  bounds?: [number, number, number, number] | undefined;
}

const BASEMAP_SOURCE = 'basemap';

export function mapStyle(origin: string, basemap: Basemap | null, lang: Language): StyleSpecification {
  let source: SourceSpecification | null = null;
  let under: LayerSpecification[] = [];
  let labels: LayerSpecification[] = [];
  if (basemap) {
    const common = {
      tiles: basemap.tiles.map((url) => (url.startsWith('/') ? `${origin}${url}` : url)),
      attribution: basemap.attribution,
      ...(basemap.minZoom !== undefined ? { minzoom: basemap.minZoom } : {}),
      maxzoom: basemap.maxZoom ?? 18,
      ...(basemap.bounds ? { bounds: basemap.bounds } : {}),
    };
    if (basemap.kind === 'vector') {
      source = { type: 'vector', ...common };
      ({ under, labels } = vectorBasemapLayers(BASEMAP_SOURCE, basemap.schema ?? 'openmaptiles', lang));
    } else {
      source = { type: 'raster', tileSize: 256, ...common };
      under = [{ id: 'basemap-raster', type: 'raster', source: BASEMAP_SOURCE }];
    }
  }
  return {
    version: 8,
    glyphs: `${origin}/glyphs/{fontstack}/{range}.pbf`,
    sources: { ...(source ? { [BASEMAP_SOURCE]: source } : {}), ...dataSources(lang) },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef1ec' } },
      ...under,
      ...areaLayers(basemap !== null),
      ...labels,
      ...overlayLayers(),
    ],
  };
}
