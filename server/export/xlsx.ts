// XLSX workbooks from column definitions: one sheet per table with Chinese headers (bold, frozen,
// filterable), then a 说明 sheet describing every column and carrying notes (filters, date, what was
// left out). Reusable by any download (site ledgers, road segments, county scorecards).
import type ExcelJS from 'exceljs';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import type { ExportColumn } from './table.ts';
import { FileSharedStrings } from './xlsx-strings.ts';

export interface XlsxSheet<R> {
  /** Sheet name (at most 31 characters; not []:*?/\). */
  name: string;
  columns: readonly ExportColumn<R>[];
  /** Read once, a row at a time (an export streams them from the database). */
  rows: Iterable<R>;
}

export interface XlsxWorkbook {
  // Rows of each sheet have their own type; the column list reads them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of sheets of different row types
  sheets: readonly XlsxSheet<any>[];
  /** Lines written above the column descriptions on the 说明 sheet (title, filters, date, notes). */
  notes?: readonly string[];
  /** Name of the description sheet. */
  descriptionSheet?: string;
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE9ECEF' } };

/** The workbook as XLSX bytes (small workbooks: the scorecard). */
export async function writeXlsx(book: XlsxWorkbook): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  await writeWorkbook(book, out);
  await done;
  return Buffer.concat(chunks);
}

/** The workbook written to a file as its rows are read (exports). Returns the bytes written. */
export async function writeXlsxFile(book: XlsxWorkbook, path: string): Promise<number> {
  const out = createWriteStream(path);
  const closed = once(out, 'close');
  // The shared strings in a file beside the workbook: an export's distinct texts grow with its rows.
  const strings = new FileSharedStrings(`${path}.strings`);
  try {
    await writeWorkbook(book, out, strings);
    await closed;
  } finally {
    strings.remove();
  }
  return out.bytesWritten;
}

/**
 * exceljs's streaming writer: each row is committed (turned into sheet XML and handed to the zip) as
 * it is added. The zip deflates asynchronously, so every ROWS_PER_YIELD rows the loop waits for the
 * output to drain — otherwise a synchronous loop would queue the whole sheet in memory. The shared
 * strings table (GDAL and some WPS versions read inline "str" cells poorly) stays in memory until the
 * end: it grows with the distinct texts, not with the rows' XML.
 */
async function writeWorkbook(book: XlsxWorkbook, out: Writable, strings?: FileSharedStrings): Promise<void> {
  // Loaded on the first workbook, not with the module: the request thread imports this file but writes
  // workbooks only for an in-memory database (tests), and exceljs is ~25 MB resident once loaded.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true, zip: { zlib: { level: 1 } } });
  workbook.creator = 'Sansan Map 三散污染源地图';
  if (strings) useFileStrings(workbook, strings);

  for (const sheet of book.sheets) {
    const worksheet = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    worksheet.columns = sheet.columns.map((column) => ({ header: column.zh, width: column.width ?? Math.max(8, column.zh.length * 2 + 2) }));
    const header = worksheet.getRow(1);
    header.font = { bold: true };
    header.fill = HEADER_FILL;
    if (sheet.columns.length) worksheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
    header.commit();
    let n = 0;
    for (const row of sheet.rows) {
      worksheet.addRow(sheet.columns.map((column) => column.value(row))).commit();
      if (++n % ROWS_PER_YIELD === 0) await drained(worksheet, out);
    }
    worksheet.commit();
  }

  const description = workbook.addWorksheet(book.descriptionSheet ?? '说明');
  description.columns = [14, 16, 18, 48, 48].map((width) => ({ width }));
  for (const note of book.notes ?? []) description.addRow([note]).commit();
  if (book.notes?.length) description.addRow([]).commit();
  const header = description.addRow(['表', '列名', 'Column', '说明', 'Description']);
  header.font = { bold: true };
  header.fill = HEADER_FILL;
  header.commit();
  for (const sheet of book.sheets)
    for (const column of sheet.columns) description.addRow([sheet.name, column.zh, column.en, column.descriptionZh, column.descriptionEn]).commit();
  description.commit();

  await workbook.commit();
}

const ROWS_PER_YIELD = 500;

/**
 * Puts `strings` in place of exceljs's in-memory shared-strings table: the sheets' cells ask
 * `workbook.sharedStrings` for their index, and sharedStrings.xml is streamed into the zip from its
 * file instead of rendered as one string (exceljs 4.4's WorkbookWriter; tests/unit/xlsx-strings.test.ts).
 */
function useFileStrings(workbook: ExcelJS.stream.xlsx.WorkbookWriter, strings: FileSharedStrings) {
  const writer = workbook as unknown as {
    sharedStrings: unknown;
    zip: { append(source: NodeJS.ReadableStream, options: { name: string }): void };
    addSharedStrings(): Promise<void>;
  };
  writer.sharedStrings = strings;
  writer.addSharedStrings = () => {
    if (strings.count) writer.zip.append(strings.xml(), { name: '/xl/sharedStrings.xml' });
    return Promise.resolve();
  };
}

/**
 * Lets the zip's deflate catch up: exceljs hands each committed row to the sheet's stream, which
 * passes it on to the zip's input without waiting (its `pipes`; readable-stream 2, hence the state
 * read below), and zlib deflates on its own threads — slower than the rows come on a busy machine.
 * So the loop waits while more than 1 MB is queued there or in the output file.
 */
async function drained(worksheet: unknown, out: Writable): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  const pipes = (worksheet as { stream?: { pipes?: QueuedStream[] } }).stream?.pipes ?? [];
  const queued = () => pipes.reduce((sum, pipe) => sum + (pipe.writableLength ?? pipe._writableState?.length ?? 0), out.writableLength);
  while (queued() > 1 << 20) await new Promise((resolve) => setTimeout(resolve, 5));
}

type QueuedStream = { writableLength?: number; _writableState?: { length: number } };
