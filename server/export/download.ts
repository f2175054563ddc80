// One export: a layer in one format, with the notes every file carries (what it holds, the filters,
// the date, what was left out) and the HTTP headers of the download.
import { CRS_LABELS, type ExportCrs } from './crs.ts';
import { statSync } from 'node:fs';
import { writeCsv } from './csv.ts';
import { FileSink } from './file-sink.ts';
import { gpkgTable, writeGeoPackage } from './geopackage.ts';
import { writeGeoJson } from './geojson.ts';
import { writeKml } from './kml.ts';
import { missingOf, type ExportLayer, type LayerCounts } from './layers.ts';
import { writeShapefileZip } from './shapefile.ts';
import { writeXlsxFile } from './xlsx.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'geojson', 'kml', 'shp', 'gpkg'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  geojson: 'application/geo+json; charset=utf-8',
  kml: 'application/vnd.google-earth.kml+xml; charset=utf-8',
  shp: 'application/zip',
  gpkg: 'application/geopackage+sqlite3',
};
const EXTENSIONS: Record<ExportFormat, string> = { csv: 'csv', xlsx: 'xlsx', geojson: 'geojson', kml: 'kml', shp: 'zip', gpkg: 'gpkg' };

/** Formats that hold only records with a geometry. */
const GEOMETRY_ONLY: ReadonlySet<ExportFormat> = new Set(['kml', 'shp']);

export interface ExportMeta {
  /** The date the statuses are as of (asOf, or today). */
  date: string;
  /** The filters as given, e.g. "county=411102&status=closed"; empty for none. */
  filters: string;
  /** The coordinate system the file is labelled in (default WGS84). */
  crs?: ExportCrs;
}

export interface ExportFile {
  /** The file on disk, written whole before a byte of it is sent. */
  path: string;
  /** Its size (the response's Content-Length). */
  bytes: number;
  headers: Record<string, string>;
  /** Records in the file. */
  records: number;
  /** Records left out because they have no geometry (KML and Shapefile only). */
  omitted: number;
}

/** `attachment` with an ASCII `filename` for old clients and the UTF-8 name as RFC 5987 `filename*`. */
export function contentDisposition(utf8Name: string, asciiName: string): string {
  const encoded = encodeURIComponent(utf8Name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}

/** What every file says of itself: the layer, the date, the filters, the counts, the coordinate system. */
function exportNotes<R>(layer: ExportLayer<R>, meta: ExportMeta, counts: LayerCounts, omitted: number): string[] {
  const total = counts.total;
  const missing = missingOf(counts);
  return [
    `${layer.titleZh} · 三散污染源地图导出 Sansan Map export`,
    `状态日期 As of: ${meta.date}`,
    `筛选条件 Filters: ${meta.filters || '无 none'}`,
    `共 ${total} 条，其中${layer.missingGeometryZh} ${missing} 条 / ${total} records, ${missing} without geometry`,
    omitted
      ? `${layer.missingGeometryZh}的 ${omitted} 条不在本文件中（无坐标）；CSV、XLSX、GeoJSON、GeoPackage 导出含全部记录 / ${omitted} records without geometry are left out of this file`
      : `${layer.missingGeometryZh}的记录坐标为空 / records without geometry have empty coordinates`,
    CRS_LABELS[meta.crs ?? 'wgs84'].note,
    '数据来源：“真实”来自方案或台账，“演示”为生成的示例数据 / source: 真实 real, 演示 demo (generated)',
  ];
}

/**
 * Writes the file of `layer` in `format` to `path`, reading the rows as it goes (constant memory).
 * A GeoPackage also holds `companion` (the road segments beside the sites) as a second layer when given.
 */
export async function writeExport<R, C = never>(
  layer: ExportLayer<R>,
  format: ExportFormat,
  meta: ExportMeta,
  path: string,
  companion?: ExportLayer<C>,
): Promise<ExportFile> {
  const crs = meta.crs ?? 'wgs84';
  const counts = layer.source.counts();
  const omitted = GEOMETRY_ONLY.has(format) ? missingOf(counts) : 0;
  const notes = exportNotes(layer, meta, counts, omitted);
  const crsSuffix = crs === 'wgs84' ? '' : `_${CRS_LABELS[crs].name}`;
  const stem = `${layer.fileAscii}_${meta.date}${crsSuffix}`;
  let records = counts.total - omitted;
  if (format === 'xlsx') await writeXlsxFile({ sheets: [{ name: layer.titleZh, columns: layer.tableColumns, rows: layer.source.rows() }], notes }, path);
  else if (format === 'gpkg') {
    const tables = [gpkgTable(layer, notes.join('\n'))];
    if (companion) {
      const companionCounts = companion.source.counts();
      tables.push(gpkgTable(companion, exportNotes(companion, meta, companionCounts, 0).join('\n')));
      records += companionCounts.total;
    }
    writeGeoPackage(tables, crs, path);
  } else {
    const sink = new FileSink(path);
    try {
      if (format === 'csv') writeCsv(sink, layer.tableColumns, layer.source.rows());
      else if (format === 'geojson') writeGeoJson(sink, layer, crs, notes);
      else if (format === 'kml') writeKml(sink, layer, notes, counts);
      else writeShapefileZip(sink, layer, stem, notes, crs);
    } finally {
      sink.close();
    }
  }
  const extension = EXTENSIONS[format];
  return {
    path,
    bytes: statSync(path).size,
    records,
    omitted,
    headers: {
      'content-type': CONTENT_TYPES[format],
      'content-disposition': contentDisposition(`${layer.fileZh}_${meta.date}${crsSuffix}.${extension}`, `${stem}.${extension}`),
      'x-export-records': String(records),
      'x-export-omitted': String(omitted),
      'x-export-crs': `EPSG:${CRS_LABELS[crs].epsg}`,
      'access-control-expose-headers': 'content-disposition, x-export-records, x-export-omitted, x-export-crs',
    },
  };
}
