// CSV for Excel and WPS: UTF-8 with a byte-order mark (without it Excel reads Chinese as GBK and
// shows mojibake), CRLF line ends, quoting by csv-stringify. Text that begins with = + - @ tab or CR
// gets a leading ' (OWASP's rule against formula injection), so `=HYPERLINK(…)` in a name stays
// text in Excel and WPS; numbers are written as they are.
import { stringify } from 'csv-stringify/sync';
import { tableCells, type ExportColumn } from './table.ts';

/** A text cell a spreadsheet would read as a formula, made plain text. */
export const neutraliseFormula = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

export function toCsv<R>(columns: readonly ExportColumn<R>[], rows: readonly R[]): string {
  return stringify([columns.map((column) => column.zh), ...tableCells(columns, rows)], {
    bom: true,
    record_delimiter: 'windows',
    cast: { string: neutraliseFormula },
  });
}
