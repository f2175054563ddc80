// GeoJSON (RFC 7946, WGS84): one Feature per row, properties under the Chinese column headers;
// a record without a position keeps its place with geometry null. The OGC API items use the same
// features (layerFeature), with the record's id.
import type { ExportLayer } from './layers.ts';

export function layerFeature<R>(layer: ExportLayer<R>, row: R, id?: number) {
  const properties: Record<string, unknown> = {};
  for (const column of layer.columns) properties[column.zh] = column.value(row);
  return { type: 'Feature' as const, ...(id === undefined ? {} : { id }), geometry: layer.geometry(row), properties };
}

export function toGeoJson<R>(layer: ExportLayer<R>): string {
  const parts = layer.rows.map((row) => JSON.stringify(layerFeature(layer, row)));
  return `{"type":"FeatureCollection","name":${JSON.stringify(layer.titleZh)},"features":[\n${parts.join(',\n')}\n]}\n`;
}
