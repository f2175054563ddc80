// What each downloadable layer holds: its rows (through server/store, with the same filters as the
// API's lists), its columns (the ledger's Chinese headers from domain/ledger-columns.ts, so a CSV or
// XLSX we export imports back as the same sites), its geometry and how its statuses look.
import type { LineString, Point } from 'geojson';
import { CATEGORY_LABELS, type CategoryCode } from '../../domain/categories.ts';
import { EXPORT_EXTRA_COLUMNS, LEDGER_COLUMNS, PRECISION_WORDS, SOURCE_WORDS, type ExportExtraField, type LedgerField } from '../../domain/ledger-columns.ts';
import { ROAD_STATUS_COLORS, STATUS_COLORS } from '../../domain/status-colors.ts';
import {
  ROAD_SEVERITY_LABELS,
  ROAD_STATUS_CODES,
  ROAD_STATUS_LABELS,
  STATUS_CODES,
  STATUS_LABELS,
  type Precision,
  type RecordSource,
  type RoadSeverity,
  type RoadStatusCode,
  type StatusCode,
} from '../../domain/statuses.ts';
import type { SiteRecord } from '../store/site-queries.ts';
import type { roadFeature } from '../store/road-store.ts';
import type { Provenance } from '../store/provenance.ts';
import type { Cell, ExportColumn } from './table.ts';

export type RoadRecord = ReturnType<typeof roadFeature> & { countyName: string | null; provenance: Provenance | null };

export interface ExportLayer<R> {
  layer: 'sites' | 'roads';
  /** Title in files (KML document name, XLSX sheet name, readme). */
  titleZh: string;
  /** File names without the date and extension: Chinese, and the ASCII fallback. */
  fileZh: string;
  fileAscii: string;
  /** Attributes written by every format. */
  columns: readonly ExportColumn<R>[];
  /** Columns of the tabular formats (CSV, XLSX): the attributes, plus the geometry as text when it is not a point. */
  tableColumns: readonly ExportColumn<R>[];
  /** Where the rows come from: read again for each pass (a database iterator streams them). */
  source: RowSource<R>;
  /** The record's number in this system (编号): GeoPackage fid, OGC feature id. */
  id: (row: R) => number;
  geometryType: 'Point' | 'LineString';
  geometry: (row: R) => Point | LineString | null;
  name: (row: R) => string;
  /** DBF names of the columns a KML placemark's short description shows (all are in its ExtendedData). */
  summary: readonly string[];
  status: (row: R) => string;
  statuses: readonly string[];
  statusLabels: Readonly<Record<string, string>>;
  statusColors: Readonly<Record<string, string>>;
  /** What to call a record without geometry, for notes (未定位 / 未绘制). */
  missingGeometryZh: string;
}

/**
 * The rows of a layer, read as often as a writer needs (a Shapefile sizes its DBF fields in a first
 * pass). A database source iterates a query, so memory does not grow with the rows.
 */
export interface RowSource<R> {
  /** In id order. */
  rows(): Iterable<R>;
  /** Grouped by status in the layer's `statuses` order (KML's folder per status). */
  rowsByStatus(): Iterable<R>;
  /** How many rows, and per status how many have a geometry. */
  counts(): LayerCounts;
}

export interface LayerCounts {
  total: number;
  locatedByStatus: ReadonlyMap<string, number>;
}

/** Rows without geometry among the counted. */
export const missingOf = (counts: LayerCounts): number => counts.total - [...counts.locatedByStatus.values()].reduce((sum, n) => sum + n, 0);

/** A source over rows already in memory (road segments: a few hundred; tests). */
export function arraySource<R>(rows: readonly R[], status: (row: R) => string, located: (row: R) => boolean, statuses: readonly string[]): RowSource<R> {
  return {
    rows: () => rows,
    rowsByStatus: () => statuses.flatMap((code) => rows.filter((row) => status(row) === code)),
    counts: () => {
      const locatedByStatus = new Map<string, number>();
      for (const row of rows) if (located(row)) locatedByStatus.set(status(row), (locatedByStatus.get(status(row)) ?? 0) + 1);
      return { total: rows.length, locatedByStatus };
    },
  };
}

const LEDGER = new Map(LEDGER_COLUMNS.map((column) => [column.field, column]));
const EXTRA = new Map(EXPORT_EXTRA_COLUMNS.map((column) => [column.field, column]));

type ColumnShape<R> = Pick<ExportColumn<R>, 'dbf' | 'type' | 'decimals' | 'width' | 'value'>;

function ledger<R>(field: LedgerField | ExportExtraField, shape: ColumnShape<R>): ExportColumn<R> {
  const { zh, en, descriptionZh, descriptionEn } = (LEDGER.get(field as LedgerField) ?? EXTRA.get(field as ExportExtraField))!;
  return { zh, en, descriptionZh, descriptionEn, ...shape };
}

const SITE_COLUMNS: readonly ExportColumn<SiteRecord>[] = [
  ledger('id', { dbf: 'ID', type: 'number', width: 8, value: (s) => s.id }),
  ledger('name', { dbf: 'NAME', width: 30, value: (s) => s.name }),
  ledger('address', { dbf: 'ADDRESS', width: 30, value: (s) => s.address }),
  ledger('lng', { dbf: 'LON', type: 'number', decimals: 7, width: 12, value: (s) => s.lon }),
  ledger('lat', { dbf: 'LAT', type: 'number', decimals: 7, width: 12, value: (s) => s.lat }),
  ledger('county', { dbf: 'COUNTY', width: 10, value: (s) => s.countyName }),
  ledger('township', { dbf: 'TOWNSHIP', width: 14, value: (s) => s.townshipName }),
  ledger('village', { dbf: 'VILLAGE', width: 14, value: (s) => s.villageName }),
  ledger('category', { dbf: 'CATEGORY', width: 14, value: (s) => CATEGORY_LABELS[s.category as CategoryCode] ?? s.category }),
  ledger('status', { dbf: 'STATUS', width: 12, value: (s) => STATUS_LABELS[s.status as StatusCode] ?? s.status }),
  ledger('discoveredOn', { dbf: 'FOUND_ON', width: 12, value: (s) => s.discoveredOn }),
  ledger('deadline', { dbf: 'DEADLINE', width: 12, value: (s) => s.deadline }),
  ledger('responsibleUnit', { dbf: 'RESP_UNIT', width: 20, value: (s) => s.responsibleUnit }),
  ledger('note', { dbf: 'NOTE', width: 30, value: (s) => s.note }),
  ledger('precision', { dbf: 'PRECISION', width: 10, value: (s) => PRECISION_WORDS[s.precision as Precision] ?? s.precision }),
  ledger('source', { dbf: 'SOURCE', width: 10, value: (s) => SOURCE_WORDS[s.source as RecordSource] ?? s.source }),
  ledger('countyCode', { dbf: 'CNTY_CODE', width: 10, value: (s) => s.countyCode }),
  ledger('sourceDocument', { dbf: 'SRC_DOC', width: 60, value: (s) => s.sourceDocument }),
  ledger('sourceTask', { dbf: 'SRC_TASK', type: 'number', width: 8, value: (s) => s.sourceTask }),
  ledger('sourceQuote', { dbf: 'SRC_QUOTE', width: 80, value: (s) => s.sourceQuote }),
];

/** The sites layer over a source (a query streamed by server/export/export-job.ts) or over rows in memory. */
export function siteLayer(rows: RowSource<SiteRecord> | readonly SiteRecord[]): ExportLayer<SiteRecord> {
  const source = Array.isArray(rows)
    ? arraySource(
        rows as readonly SiteRecord[],
        (s) => s.status,
        (s) => s.lon !== null && s.lat !== null,
        STATUS_CODES,
      )
    : (rows as RowSource<SiteRecord>);
  return {
    layer: 'sites',
    titleZh: '三散污染源',
    fileZh: '三散污染源',
    fileAscii: 'sansan-sites',
    columns: SITE_COLUMNS,
    tableColumns: SITE_COLUMNS,
    source,
    id: (s) => s.id,
    geometryType: 'Point',
    geometry: (s) => (s.lon === null || s.lat === null ? null : { type: 'Point', coordinates: [s.lon, s.lat] }),
    name: (s) => s.name,
    summary: ['NAME', 'STATUS'],
    status: (s) => s.status,
    statuses: STATUS_CODES,
    statusLabels: STATUS_LABELS,
    statusColors: STATUS_COLORS,
    missingGeometryZh: '未定位',
  };
}

const road = (zh: string, en: string, descriptionZh: string, descriptionEn: string, shape: ColumnShape<RoadRecord>): ExportColumn<RoadRecord> => ({
  zh,
  en,
  descriptionZh,
  descriptionEn,
  ...shape,
});
const p = (r: RoadRecord) => r.properties;
const text = (value: Cell | undefined) => (value === undefined ? null : value);

const ROAD_COLUMNS: readonly ExportColumn<RoadRecord>[] = [
  road('编号', 'id', '本系统中的路段编号', 'Segment number in this system', { dbf: 'ID', type: 'number', width: 8, value: (r) => p(r).id }),
  road('道路名称', 'road name', '道路名称', 'Road name', { dbf: 'ROAD_NAME', width: 20, value: (r) => p(r).roadName }),
  road('起点', 'from', '路段起点描述', 'Where the segment starts', { dbf: 'FROM_DESC', width: 20, value: (r) => text(p(r).fromDesc) }),
  road('终点', 'to', '路段终点描述', 'Where the segment ends', { dbf: 'TO_DESC', width: 20, value: (r) => text(p(r).toDesc) }),
  road('破损程度', 'severity', '轻微、部分损坏或严重', 'minor, partly damaged or severe', {
    dbf: 'SEVERITY',
    width: 10,
    value: (r) => ROAD_SEVERITY_LABELS[p(r).severity as RoadSeverity] ?? p(r).severity,
  }),
  road('维修状态', 'status', '已上报、已排期、维修中或已修复', 'reported, scheduled, repairing or repaired', {
    dbf: 'STATUS',
    width: 10,
    value: (r) => ROAD_STATUS_LABELS[p(r).status as RoadStatusCode] ?? p(r).status,
  }),
  road('所属县区', 'county', '县区名称', 'County name', { dbf: 'COUNTY', width: 10, value: (r) => r.countyName }),
  road('县区代码', 'county code', '县区行政区划代码（GB/T 2260）', 'County division code (GB/T 2260)', {
    dbf: 'CNTY_CODE',
    width: 10,
    value: (r) => p(r).county,
  }),
  road('责任单位', 'responsible unit', '负责维修的单位', 'Unit responsible', { dbf: 'RESP_UNIT', width: 20, value: (r) => text(p(r).responsibleUnit) }),
  road('整改时限', 'deadline', '维修完成期限（年-月-日）', 'Repair deadline (YYYY-MM-DD)', { dbf: 'DEADLINE', width: 12, value: (r) => text(p(r).deadline) }),
  road('上报时间', 'reported on', '上报日期（年-月-日）', 'Date reported (YYYY-MM-DD)', { dbf: 'REPORTED', width: 12, value: (r) => p(r).reportedOn }),
  road('方案任务', 'plan task', '方案（漯发〔2020〕13号）任务序号', 'Task number in the plan (漯发〔2020〕13号)', {
    dbf: 'TASK',
    type: 'number',
    width: 8,
    value: (r) => text(p(r).task),
  }),
  road('数据来源', 'source', '真实：来自方案或台账；演示：生成的示例数据', 'real: from the plan or a ledger; demo: generated example', {
    dbf: 'SOURCE',
    width: 8,
    value: (r) => SOURCE_WORDS[p(r).source as RecordSource] ?? p(r).source,
  }),
  road('是否绘制', 'drawn', '已绘制：有线位；未绘制：尚无线位（几何为空）', 'drawn: has a line; undrawn: no line yet (empty geometry)', {
    dbf: 'DRAWN',
    width: 8,
    value: (r) => (r.geometry ? '已绘制' : '未绘制'),
  }),
  road('备注', 'note', '备注', 'Remarks', { dbf: 'NOTE', width: 30, value: (r) => text(p(r).note) }),
  ledger('sourceDocument', { dbf: 'SRC_DOC', width: 60, value: (r) => r.provenance?.document ?? null }),
  ledger('sourceQuote', { dbf: 'SRC_QUOTE', width: 80, value: (r) => r.provenance?.quote ?? null }),
];

/** The line as WKT for CSV/XLSX (GDAL's CSV driver reads a column named WKT as the geometry). */
const WKT_COLUMN: ExportColumn<RoadRecord> = {
  zh: 'WKT',
  en: 'WKT',
  descriptionZh: '路段线位，WKT 格式（经纬度，坐标系见说明）；未绘制的路段为空',
  descriptionEn: 'The segment as WKT (lon/lat in the coordinate system the notes name); empty while undrawn',
  width: 40,
  value: (r) => (r.geometry ? `LINESTRING (${r.geometry.coordinates.map(([lon, lat]) => `${lon} ${lat}`).join(', ')})` : null),
};

/** Road segments are few (hundreds per county): they are read into memory. */
export function roadLayer(rows: readonly RoadRecord[]): ExportLayer<RoadRecord> {
  return {
    layer: 'roads',
    titleZh: '破损道路',
    fileZh: '破损道路',
    fileAscii: 'sansan-roads',
    columns: ROAD_COLUMNS,
    tableColumns: [...ROAD_COLUMNS, WKT_COLUMN],
    source: arraySource(
      rows,
      (r) => p(r).status,
      (r) => r.geometry !== null,
      ROAD_STATUS_CODES,
    ),
    id: (r) => p(r).id,
    geometryType: 'LineString',
    geometry: (r) => r.geometry,
    name: (r) => p(r).roadName,
    summary: ['ROAD_NAME', 'STATUS'],
    status: (r) => p(r).status,
    statuses: ROAD_STATUS_CODES,
    statusLabels: ROAD_STATUS_LABELS,
    statusColors: ROAD_STATUS_COLORS,
    missingGeometryZh: '未绘制',
  };
}
