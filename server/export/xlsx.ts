// XLSX workbooks from column definitions: one sheet per table with Chinese headers (bold, frozen,
// filterable), then a 说明 sheet describing every column and carrying notes (filters, date, what was
// left out). Reusable by any download (site ledgers, road segments, county scorecards).
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import type { ExportColumn } from './table.ts';

export interface XlsxSheet<R> {
  /** Sheet name (at most 31 characters; not []:*?/\). */
  name: string;
  columns: readonly ExportColumn<R>[];
  rows: readonly R[];
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

/** The workbook as XLSX bytes, written with exceljs's streaming writer (10^5 rows stay fast). Shared strings: GDAL and some WPS versions read inline "str" cells poorly. */
export async function writeXlsx(book: XlsxWorkbook): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  workbook.creator = 'Sansan Map 三散污染源地图';

  for (const sheet of book.sheets) {
    const worksheet = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    worksheet.columns = sheet.columns.map((column) => ({ header: column.zh, width: column.width ?? Math.max(8, column.zh.length * 2 + 2) }));
    const header = worksheet.getRow(1);
    header.font = { bold: true };
    header.fill = HEADER_FILL;
    if (sheet.columns.length) worksheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
    header.commit();
    for (const row of sheet.rows) worksheet.addRow(sheet.columns.map((column) => column.value(row))).commit();
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
  await done;
  return Buffer.concat(chunks);
}
