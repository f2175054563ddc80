// GeoJSON: one Feature per row (its id the record's number), properties under the Chinese column
// headers; a record without a position keeps its place with geometry null. The notes go in the
// collection's "description". RFC 7946 GeoJSON is WGS84; a CGCS2000 file names EPSG:4490 in the
// (2008-style) "crs" member, which GDAL and QGIS read. The OGC API items use the same features.
import { CRS_LABELS, type ExportCrs } from './crs.ts';
import type { FileSink } from './file-sink.ts';
import type { ExportLayer } from './layers.ts';

export function layerFeature<R>(layer: ExportLayer<R>, row: R) {
  const properties: Record<string, unknown> = {};
  for (const column of layer.columns) properties[column.zh] = column.value(row);
  return { type: 'Feature' as const, id: layer.id(row), geometry: layer.geometry(row), properties };
}

/** The collection, one feature per line, written as the rows are read. */
export function writeGeoJson<R>(sink: FileSink, layer: ExportLayer<R>, crs: ExportCrs, notes: readonly string[]): void {
  const crsMember = crs === 'wgs84' ? '' : `"crs":${JSON.stringify({ type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${CRS_LABELS[crs].epsg}` } })},`;
  sink.text(`{"type":"FeatureCollection","name":${JSON.stringify(layer.titleZh)},"description":${JSON.stringify(notes.join('\n'))},${crsMember}"features":[\n`);
  let separator = '';
  for (const row of layer.source.rows()) {
    sink.text(separator + JSON.stringify(layerFeature(layer, row)));
    separator = ',\n';
  }
  sink.text('\n]}\n');
}
