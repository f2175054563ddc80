// GeoJSON (RFC 7946, WGS84): one Feature per row, properties under the Chinese column headers;
// a record without a position keeps its place with geometry null.
import type { ExportLayer } from './layers.ts';

export function toGeoJson<R>(layer: ExportLayer<R>): string {
  const parts = layer.rows.map((row) => {
    const properties: Record<string, unknown> = {};
    for (const column of layer.columns) properties[column.zh] = column.value(row);
    return JSON.stringify({ type: 'Feature', geometry: layer.geometry(row), properties });
  });
  return `{"type":"FeatureCollection","name":${JSON.stringify(layer.titleZh)},"features":[\n${parts.join(',\n')}\n]}\n`;
}
