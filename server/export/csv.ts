// CSV for Excel and WPS: UTF-8 with a byte-order mark (without it Excel reads Chinese as GBK and
// shows mojibake), CRLF line ends, quoting by csv-stringify.
import { stringify } from 'csv-stringify/sync';
import { tableCells, type ExportColumn } from './table.ts';

export function toCsv<R>(columns: readonly ExportColumn<R>[], rows: readonly R[]): string {
  return stringify([columns.map((column) => column.zh), ...tableCells(columns, rows)], { bom: true, record_delimiter: 'windows' });
}
