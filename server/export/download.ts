// One export: a layer in one format, with the notes every file carries (what it holds, the filters,
// the date, what was left out) and the HTTP headers of the download.
import { toCsv } from './csv.ts';
import { toGeoJson } from './geojson.ts';
import { toKml } from './kml.ts';
import type { ExportLayer } from './layers.ts';
import { toShapefileZip } from './shapefile.ts';
import { writeXlsx } from './xlsx.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'geojson', 'kml', 'shp'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  geojson: 'application/geo+json; charset=utf-8',
  kml: 'application/vnd.google-earth.kml+xml; charset=utf-8',
  shp: 'application/zip',
};
const EXTENSIONS: Record<ExportFormat, string> = { csv: 'csv', xlsx: 'xlsx', geojson: 'geojson', kml: 'kml', shp: 'zip' };

/** Formats that hold only records with a geometry. */
const GEOMETRY_ONLY: ReadonlySet<ExportFormat> = new Set(['kml', 'shp']);

export interface ExportMeta {
  /** The date the statuses are as of (asOf, or today). */
  date: string;
  /** The filters as given, e.g. "county=411102&status=closed"; empty for none. */
  filters: string;
}

export interface ExportFile {
  body: string | Buffer;
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

export async function buildExport<R>(layer: ExportLayer<R>, format: ExportFormat, meta: ExportMeta): Promise<ExportFile> {
  const total = layer.rows.length;
  const missing = layer.rows.filter((row) => layer.geometry(row) === null).length;
  const omitted = GEOMETRY_ONLY.has(format) ? missing : 0;
  const notes = [
    `${layer.titleZh} · 三散污染源地图导出 Sansan Map export`,
    `状态日期 As of: ${meta.date}`,
    `筛选条件 Filters: ${meta.filters || '无 none'}`,
    `共 ${total} 条，其中${layer.missingGeometryZh} ${missing} 条 / ${total} records, ${missing} without geometry`,
    omitted
      ? `${layer.missingGeometryZh}的 ${omitted} 条不在本文件中（无坐标）；CSV、XLSX、GeoJSON 导出含全部记录 / ${omitted} records without geometry are left out of this file`
      : `${layer.missingGeometryZh}的记录坐标为空 / records without geometry have empty coordinates`,
    '坐标系 WGS84 经纬度 / Coordinates: WGS84 longitude, latitude',
    '数据来源：“真实”来自方案或台账，“演示”为生成的示例数据 / source: 真实 real, 演示 demo (generated)',
  ];
  const stem = `${layer.fileAscii}_${meta.date}`;
  let body: string | Buffer;
  switch (format) {
    case 'csv':
      body = toCsv(layer.tableColumns, layer.rows);
      break;
    case 'xlsx':
      body = await writeXlsx({ sheets: [{ name: layer.titleZh, columns: layer.tableColumns, rows: layer.rows }], notes });
      break;
    case 'geojson':
      body = toGeoJson(layer);
      break;
    case 'kml':
      body = toKml(layer, notes);
      break;
    case 'shp':
      body = await toShapefileZip(layer, stem, notes);
      break;
  }
  const extension = EXTENSIONS[format];
  return {
    body,
    records: total - omitted,
    omitted,
    headers: {
      'content-type': CONTENT_TYPES[format],
      'content-disposition': contentDisposition(`${layer.fileZh}_${meta.date}.${extension}`, `${stem}.${extension}`),
      'x-export-records': String(total - omitted),
      'x-export-omitted': String(omitted),
      'access-control-expose-headers': 'content-disposition, x-export-records, x-export-omitted',
    },
  };
}
