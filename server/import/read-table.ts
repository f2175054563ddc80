// Turning an uploaded ledger file into a table of text cells: CSV (UTF-8 with or without BOM, or
// GB18030/GBK as Chinese Excel and WPS save it — detected, not asked), XLSX (a chosen sheet),
// GeoJSON and KML/KMZ (one row per feature: its properties, and 经度/纬度 from a point geometry).
// The file must be what its name says: magic bytes are checked before any parser sees it.
import type ExcelJS from 'exceljs';
import type JSZip from 'jszip';
import type { DOMParser } from '@xmldom/xmldom';
import type { kml as kmlToGeoJson } from '@tmcw/togeojson';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { AppError, badRequest } from '../errors.ts';
import { checkArchive, checkJsonDepth } from './archive-bounds.ts';
import { bytesSource, openCsv, type ByteSource } from './read-csv.ts';
import { yieldToOthers } from './event-loop.ts';
import { cellText, worksheetsOf } from './xlsx-worksheets.ts';

export const IMPORT_FORMATS = ['csv', 'xlsx', 'geojson', 'kml', 'kmz'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Files larger than this are refused (413) before they are read. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** Files with more data rows than this are refused (413). */
export const MAX_IMPORT_ROWS = 200_000;

export interface TableRow {
  /** Row number as the user finds it: the spreadsheet row (header = 1) or the feature's place (1-based). */
  row: number;
  cells: string[];
  /** A problem with the row's geometry (GeoJSON/KML): a line or polygon where a point is expected. */
  geometryProblem?: string;
}

export interface SourceTable {
  format: ImportFormat;
  /** CSV only: the encoding the bytes were read in. */
  encoding: 'utf-8' | 'gb18030' | 'utf-16le' | null;
  /** XLSX only: every worksheet, and the one read. */
  sheets: string[];
  sheet: string | null;
  headers: string[];
  rows: TableRow[];
}

/** A table whose data rows are read as they are taken, in batches (a large CSV is never held whole). */
export interface OpenTable extends Omit<SourceTable, 'rows'> {
  batches: AsyncIterable<TableRow[]>;
}

/** The geometry formats put a point's position in these columns (the ledger's own headers). */
export const GEOMETRY_HEADERS = { lng: '经度', lat: '纬度' } as const;

const EXTENSIONS: Record<string, ImportFormat> = {
  csv: 'csv',
  txt: 'csv',
  xlsx: 'xlsx',
  xls: 'xlsx',
  geojson: 'geojson',
  json: 'geojson',
  kml: 'kml',
  kmz: 'kmz',
};

const unsupported = (fileName: string) =>
  badRequest('unsupported_file', `${fileName}: accepted files are CSV (.csv), Excel (.xlsx), GeoJSON (.geojson, .json), KML (.kml) and KMZ (.kmz)`, {
    field: 'file',
    fileName,
    accepted: Object.keys(EXTENSIONS),
  });

/** What a file should hold and what it was found to hold, as codes the page words (`file.<kind>`). */
export const FILE_KINDS = {
  text: 'text',
  csv: 'CSV text',
  xlsx: 'an Excel workbook (.xlsx)',
  geojson: 'GeoJSON',
  kml: 'KML',
  kmz: 'KMZ (zipped KML)',
  zip: 'a ZIP archive',
  xls: 'an Excel 97–2003 workbook (.xls)',
  pdf: 'a PDF document',
  html: 'an HTML page',
  xml: 'XML text',
  json: 'JSON text',
  empty: 'empty',
  binary: 'binary data',
  plain: 'plain text',
  bad_encoding: 'neither UTF-8 nor GB18030/GBK text',
  bad_workbook: 'a ZIP archive that is not a readable workbook',
  bad_json: 'JSON with a syntax error',
  not_geojson: 'JSON that is not a GeoJSON Feature or FeatureCollection',
  bad_xml: 'XML that cannot be read',
  no_placemark: 'XML without any KML placemark',
  bad_zip: 'a damaged ZIP archive',
  no_kml_in_zip: 'a ZIP archive without a .kml file',
} as const;
export type FileKind = keyof typeof FILE_KINDS;

export const notWhatItSays = (fileName: string, expected: FileKind, found: FileKind, why = '', hint = '') =>
  badRequest(
    'file_not_as_named',
    `${fileName} is named as ${FILE_KINDS[expected]} but its content is ${FILE_KINDS[found]}${why ? ` (${why})` : ''}${hint ? `; ${hint}` : ''}`,
    {
      field: 'file',
      fileName,
      expected,
      found,
    },
  );

export const tooManyRows = (count: number) =>
  new AppError(
    413,
    'too_many_rows',
    `the file has more than ${MAX_IMPORT_ROWS.toLocaleString('en')} data rows (found ${count.toLocaleString('en')}); split it into smaller files`,
    {
      field: 'file',
      limit: MAX_IMPORT_ROWS,
      count,
      rows: count,
    },
  );

/** What the first bytes say the content is, in words for an error message. */
export function describeContent(bytes: Uint8Array): FileKind {
  const head = Buffer.from(bytes.subarray(0, 512))
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart()
    .toLowerCase();
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'zip';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'xls';
  if (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46) return 'pdf';
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.includes('<table')) return 'html';
  if (head.startsWith('<?xml') || head.startsWith('<')) return 'xml';
  if (head.startsWith('{') || head.startsWith('[')) return 'json';
  if (bytes.length === 0) return 'empty';
  return isBinary(bytes) ? 'binary' : 'plain';
}

/** Control characters other than tab, CR and LF (or NUL) in the first 64 KB: not a text file. */
export function isBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 65_536);
  let control = 0;
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control > 8;
}

export const isZip = (bytes: Uint8Array) => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** Decodes text: UTF-16 by its BOM, else strict UTF-8 (BOM dropped), else GB18030 (a superset of GBK and GB2312). */
export function decodeText(bytes: Uint8Array, fileName: string): { text: string; encoding: 'utf-8' | 'gb18030' | 'utf-16le' } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (isBinary(bytes)) throw notWhatItSays(fileName, 'text', describeContent(bytes));
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
  } catch {
    try {
      return { text: new TextDecoder('gb18030', { fatal: true }).decode(bytes), encoding: 'gb18030' };
    } catch {
      throw notWhatItSays(fileName, 'text', 'bad_encoding', '', 'save it from Excel or WPS as CSV (UTF-8 or the default Chinese encoding)');
    }
  }
}

export const clean = (value: string) => (value.charCodeAt(0) === 0xfeff ? value.slice(1) : value).trim();

/** Drops trailing rows with no content and numbers the rest; the first row with content is the header. */
function toTable(format: ImportFormat, records: { row: number; cells: string[] }[], extra: Omit<SourceTable, 'format' | 'headers' | 'rows'>): SourceTable {
  const headerIndex = records.findIndex((r) => r.cells.some((cell) => cell !== ''));
  if (headerIndex < 0) throw badRequest('empty_file', 'the file has no header row and no data', { field: 'file' });
  const rows = records.slice(headerIndex + 1).filter((r) => r.cells.some((cell) => cell !== ''));
  if (rows.length > MAX_IMPORT_ROWS) throw tooManyRows(rows.length);
  return { format, headers: namedHeaders(records[headerIndex]!.cells), rows, ...extra };
}

/** The header row without the empty cells after its last named column (at least one column). */
export function namedHeaders(headers: string[]): string[] {
  let lastNamed = headers.length;
  while (lastNamed > 0 && headers[lastNamed - 1] === '') lastNamed--;
  return headers.slice(0, Math.max(lastNamed, 1));
}

/**
 * The workbook and XML readers (exceljs, jszip, xmldom, togeojson), loaded when the first XLSX, KML or
 * KMZ file is read rather than with this module: a CSV import never loads them, nor does the request
 * thread, which imports this module for its limits (~30 MB of resident code and heap; bench/README.md,
 * "Memory at rest").
 */
let readers: Promise<{
  ExcelJS: typeof ExcelJS;
  JSZip: typeof JSZip;
  DOMParser: typeof DOMParser;
  kmlToGeoJson: typeof kmlToGeoJson;
}> | null = null;
const xmlReaders = () =>
  (readers ??= Promise.all([import('exceljs'), import('jszip'), import('@xmldom/xmldom'), import('@tmcw/togeojson')]).then(([excel, zip, xml, togeojson]) => ({
    ExcelJS: excel.default,
    JSZip: zip.default,
    DOMParser: xml.DOMParser,
    kmlToGeoJson: togeojson.kml,
  })));

/** Records parsed between two turns of the event loop. */
export const PARSE_BATCH = 5000;
/** Rows handed to the preview at a time, judged and staged between two turns of the event loop (500: few caught alive by a scavenge, bench/README). */
export const ROW_BATCH = 500;

async function readXlsx(bytes: Uint8Array, fileName: string, sheetName: string | undefined): Promise<SourceTable> {
  if (!isZip(bytes)) {
    const found = describeContent(bytes);
    const hint =
      found === 'html'
        ? 'some systems save an HTML table under an Excel name; open it in Excel or WPS and save it as .xlsx (Excel workbook)'
        : found === 'xls'
          ? 'open it in Excel or WPS and save it as .xlsx (Excel workbook), or as CSV'
          : 'save it from Excel or WPS as .xlsx';
    throw notWhatItSays(fileName, 'xlsx', found, '', hint);
  }
  await checkArchive(bytes, fileName, { countRowsIn: /^xl\/worksheets\/[^/]+\.xml$/i, maxRows: MAX_IMPORT_ROWS, tooManyRows });
  const wanted = sheetName !== undefined && sheetName !== '' ? sheetName : null;
  const seen: string[] = [];
  let chosen: { name: string; records: { row: number; cells: string[] }[]; count: number } | null = null;
  try {
    for await (const { name, worksheet } of worksheetsOf(await xmlReaders(), bytes)) {
      seen.push(name);
      const reading = !chosen && (wanted === null || wanted === name);
      // A sheet not read is not parsed at all.
      if (!reading) continue;
      const records: { row: number; cells: string[] }[] = [];
      let count = 0;
      for await (const row of worksheet()) {
        if (!row.hasValues) continue;
        // The header and MAX_IMPORT_ROWS data rows are kept; beyond them only counted.
        if (++count > MAX_IMPORT_ROWS + 1) continue;
        const cells: string[] = [];
        row.eachCell({ includeEmpty: true }, (cell, column) => {
          cells[column - 1] = clean(cellText(cell.value));
        });
        for (let i = 0; i < cells.length; i++) cells[i] ??= '';
        records.push({ row: row.number, cells });
        if (count % PARSE_BATCH === 0) await yieldToOthers();
      }
      // With no sheet asked for, the first sheet with rows is read.
      if (count > 0 || wanted !== null) chosen = { name, records, count };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw notWhatItSays(fileName, 'xlsx', 'bad_workbook', (error as Error).message);
  }
  if (wanted !== null && !chosen)
    throw badRequest('unknown_sheet', `options.sheet: the workbook has no sheet "${wanted}"; its sheets are ${seen.join(', ')}`, {
      field: 'options.sheet',
      sheets: seen,
    });
  if (!seen.length) throw badRequest('empty_file', `${fileName} has no worksheet`, { field: 'file', fileName });
  const read = chosen ?? { name: seen[0]!, records: [], count: 0 };
  if (read.count > MAX_IMPORT_ROWS + 1) throw tooManyRows(read.count - 1);
  return toTable('xlsx', read.records, { encoding: null, sheets: seen, sheet: read.name });
}

/** Properties KML viewers add for styling; not ledger columns. */
const STYLE_PROPERTIES = new Set([
  'styleUrl',
  'styleHash',
  'styleMapHash',
  'stroke',
  'stroke-opacity',
  'stroke-width',
  'fill',
  'fill-opacity',
  'icon',
  'icon-color',
  'icon-opacity',
  'icon-scale',
  'icon-offset',
  'icon-offset-units',
  'label-scale',
  'label-color',
  'label-opacity',
  'visibility',
  'timespan',
  'timestamp',
  'icon-heading',
]);

function featureText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return clean(String(value));
}

function geometryPosition(geometry: Geometry | null): { lng: string; lat: string; problem?: string } {
  if (!geometry) return { lng: '', lat: '' };
  if (geometry.type === 'Point') return { lng: String(geometry.coordinates[0]), lat: String(geometry.coordinates[1]) };
  if (geometry.type === 'MultiPoint' && geometry.coordinates.length === 1)
    return { lng: String(geometry.coordinates[0]![0]), lat: String(geometry.coordinates[0]![1]) };
  return { lng: '', lat: '', problem: `the geometry is a ${geometry.type}; a site is a point` };
}

function featuresToTable(format: ImportFormat, features: Feature[]): SourceTable {
  if (features.length > MAX_IMPORT_ROWS) throw tooManyRows(features.length);
  const headers: string[] = [];
  const index = new Map<string, number>();
  const addHeader = (header: string) => {
    if (!index.has(header)) {
      index.set(header, headers.length);
      headers.push(header);
    }
    return index.get(header)!;
  };
  for (const feature of features) for (const key of Object.keys(feature.properties ?? {})) if (!STYLE_PROPERTIES.has(key) && !index.has(key)) addHeader(key);
  const lngColumn = addHeader(GEOMETRY_HEADERS.lng);
  const latColumn = addHeader(GEOMETRY_HEADERS.lat);
  const rows = features.map((feature, i): TableRow => {
    const cells = new Array<string>(headers.length).fill('');
    for (const [key, value] of Object.entries(feature.properties ?? {}))
      if (index.has(key) && !STYLE_PROPERTIES.has(key)) cells[index.get(key)!] = featureText(value);
    const position = geometryPosition(feature.geometry);
    cells[lngColumn] = position.lng;
    cells[latColumn] = position.lat;
    return { row: i + 1, cells, ...(position.problem ? { geometryProblem: position.problem } : {}) };
  });
  return { format, encoding: null, sheets: [], sheet: null, headers, rows };
}

function readGeoJson(bytes: Uint8Array, fileName: string): SourceTable {
  const { text } = decodeText(bytes, fileName);
  checkJsonDepth(text, fileName);
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw describeContent(bytes) === 'json'
      ? notWhatItSays(fileName, 'geojson', 'bad_json', (error as Error).message)
      : notWhatItSays(fileName, 'geojson', describeContent(bytes));
  }
  const object = json as { type?: string; features?: unknown };
  if (object?.type === 'FeatureCollection' && Array.isArray(object.features)) return featuresToTable('geojson', object.features as Feature[]);
  if (object?.type === 'Feature') return featuresToTable('geojson', [object as Feature]);
  throw notWhatItSays(fileName, 'geojson', 'not_geojson');
}

function kmlFeatures({ DOMParser, kmlToGeoJson }: Awaited<ReturnType<typeof xmlReaders>>, text: string, fileName: string): Feature[] {
  const errors: string[] = [];
  let document: ReturnType<DOMParser['parseFromString']>;
  try {
    document = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') errors.push(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (error) {
    throw notWhatItSays(fileName, 'kml', 'bad_xml', (error as Error).message);
  }
  if (errors.length || (!document.getElementsByTagName('kml').length && !document.getElementsByTagName('Placemark').length))
    throw errors.length ? notWhatItSays(fileName, 'kml', 'bad_xml', errors[0]) : notWhatItSays(fileName, 'kml', 'no_placemark');
  return (kmlToGeoJson(document as unknown as Document) as FeatureCollection).features;
}

async function readKmz(bytes: Uint8Array, fileName: string): Promise<SourceTable> {
  if (!isZip(bytes)) throw notWhatItSays(fileName, 'kmz', describeContent(bytes));
  await checkArchive(bytes, fileName);
  const libs = await xmlReaders();
  const zip = await libs.JSZip.loadAsync(bytes).catch((error: Error) => {
    throw notWhatItSays(fileName, 'kmz', 'bad_zip', error.message);
  });
  // Google Earth keeps everything in doc.kml; GDAL's LIBKML links layers/*.kml from it: read every KML inside.
  const entries = zip.file(/\.kml$/i).sort((a, b) => Number(b.name === 'doc.kml') - Number(a.name === 'doc.kml'));
  if (!entries.length) throw notWhatItSays(fileName, 'kmz', 'no_kml_in_zip');
  const features: Feature[] = [];
  for (const entry of entries) {
    const { text } = decodeText(await entry.async('uint8array'), fileName);
    if (text.includes('<Placemark')) features.push(...kmlFeatures(libs, text, fileName));
  }
  if (!features.length) throw notWhatItSays(fileName, 'kmz', 'no_placemark');
  return featuresToTable('kmz', features);
}

/** The format a file name says, or a 400 naming what is accepted. */
export function formatOf(fileName: string): ImportFormat {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  const format = extension ? EXTENSIONS[extension] : undefined;
  if (!format) throw unsupported(fileName);
  return format;
}

/**
 * Opens an uploaded file (its bytes, or a source reading it from disk) as a table read in batches;
 * 400 when it is not what its name says, 413 beyond the row limit. A CSV is read slice by slice (never
 * held whole); the other formats are read whole.
 */
export async function openTable(file: Uint8Array | ByteSource, fileName: string, options: { sheet?: string } = {}): Promise<OpenTable> {
  const format = formatOf(fileName);
  const source = file instanceof Uint8Array ? bytesSource(file) : file;
  if (source.size === 0) throw badRequest('empty_file', `${fileName} is empty`, { field: 'file', fileName });
  if (format === 'csv') {
    const head = source.read(0, 512);
    if (isZip(head)) throw notWhatItSays(fileName, 'csv', describeContent(head), '', 'if it is an Excel workbook, name it .xlsx');
    return openCsv(source, fileName);
  }
  const bytes = source.read(0, source.size);
  const { rows, ...table } = await readWhole(bytes, fileName, format, options.sheet);
  return { ...table, batches: inBatches(rows) };
}

/** Hands out a table's rows ROW_BATCH at a time, letting go of each batch it gave. */
async function* inBatches(rows: TableRow[]): AsyncGenerator<TableRow[]> {
  while (rows.length) yield rows.splice(0, ROW_BATCH);
}

/** Reads an uploaded file (its bytes, or a source reading it) as a table with all its rows (small files, tests). */
export async function readTable(file: Uint8Array | ByteSource, fileName: string, options: { sheet?: string } = {}): Promise<SourceTable> {
  const { batches, ...table } = await openTable(file, fileName, options);
  const rows: TableRow[] = [];
  for await (const batch of batches) rows.push(...batch);
  return { ...table, rows };
}

function readWhole(bytes: Uint8Array, fileName: string, format: Exclude<ImportFormat, 'csv'>, sheet: string | undefined): Promise<SourceTable> | SourceTable {
  switch (format) {
    case 'xlsx':
      return readXlsx(bytes, fileName, sheet);
    case 'geojson':
      return readGeoJson(bytes, fileName);
    case 'kml': {
      const { text } = decodeText(bytes, fileName);
      return xmlReaders().then((libs) => featuresToTable('kml', kmlFeatures(libs, text, fileName)));
    }
    case 'kmz':
      return readKmz(bytes, fileName);
  }
}
