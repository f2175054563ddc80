// Reading an XLSX workbook's sheets for an import (server/import/read-table.ts): the archive opened
// with JSZip, its parts parsed by exceljs's streaming reader, and each cell's value as ledger text.
// The libraries are handed in: read-table.ts loads them on the first workbook, not at start.
import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type JSZip from 'jszip';

/** exceljs and JSZip, as read-table.ts loads them. */
export interface WorkbookLibraries {
  ExcelJS: typeof ExcelJS;
  JSZip: typeof JSZip;
}

/** A cell's value as ledger text: dates as YYYY-MM-DD, formulas by their result, rich text joined. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

/** The parts of exceljs's streaming WorkbookReader that read one part of the archive each (exceljs 4.4). */
interface WorkbookParts {
  _parseRels(part: Readable): Promise<void>;
  _parseWorkbook(part: Readable): Promise<void>;
  _parseSharedStrings(part: Readable): AsyncGenerator<unknown>;
  _parseStyles(part: Readable): Promise<void>;
  _parseWorksheet(part: Readable, fileNo: string): Generator<{ value: ExcelJS.stream.xlsx.WorksheetReader }>;
  model?: { sheets?: { name: string; rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
}

/**
 * The workbook's worksheets in its own order (xl/workbook.xml), each with its name and a reader of its
 * rows, parsed only when asked for. The archive is opened with JSZip (the file is in memory already) and
 * its parts are handed to exceljs's streaming reader in the order it needs them: relationships, workbook,
 * shared strings and styles, then each worksheet, whose XML is read row by row. exceljs's own pass over
 * the archive (unzipper's streaming parse) is not used: on ogr2ogr's workbook, which stores the worksheets
 * before the shared strings and relationships, it lost one of those parts in about 1 read of 60 (the
 * sheets then read as "Sheet1", or with no rows; tests/import-xlsx-sheets.test.ts).
 */
export async function* worksheetsOf(
  libraries: WorkbookLibraries,
  bytes: Uint8Array,
): AsyncGenerator<{ name: string; worksheet: () => ExcelJS.stream.xlsx.WorksheetReader }> {
  const { ExcelJS, JSZip } = libraries;
  const zip = await JSZip.loadAsync(bytes);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  }) as unknown as WorkbookParts;
  const part = (path: string) => zip.file(path)?.nodeStream('nodebuffer') as Readable | undefined;
  const rels = part('xl/_rels/workbook.xml.rels');
  if (rels) await reader._parseRels(rels);
  const workbook = part('xl/workbook.xml');
  if (workbook) await reader._parseWorkbook(workbook);
  const sharedStrings = part('xl/sharedStrings.xml');
  if (sharedStrings) for await (const _ of reader._parseSharedStrings(sharedStrings));
  const styles = part('xl/styles.xml');
  if (styles) await reader._parseStyles(styles);
  // Each sheet's file, by its relationship; a workbook without them is read in the files' own numbering.
  const fileOf = new Map((reader.workbookRels ?? []).map((rel) => [rel.Id, /worksheets\/sheet(\d+)\.xml$/.exec(rel.Target)?.[1]]));
  const files = zip
    .file(/^xl\/worksheets\/sheet\d+\.xml$/)
    .map((file) => /sheet(\d+)\.xml$/.exec(file.name)![1]!)
    .sort((a, b) => Number(a) - Number(b));
  const listed = reader.model?.sheets ?? [];
  const sheets = listed.length
    ? listed.map((sheet) => ({ name: sheet.name, fileNo: fileOf.get(sheet.rId) }))
    : files.map((fileNo) => ({ name: `Sheet${fileNo}`, fileNo }));
  for (const { name, fileNo } of sheets) {
    if (fileNo === undefined || !files.includes(fileNo)) continue;
    yield {
      name,
      worksheet: () => {
        for (const { value } of reader._parseWorksheet(part(`xl/worksheets/sheet${fileNo}.xml`)!, fileNo)) return value;
        throw new Error(`sheet ${name} could not be opened`);
      },
    };
  }
}
