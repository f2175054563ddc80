// CSV for Excel and WPS: UTF-8 with a byte-order mark (without it Excel reads Chinese as GBK and
// shows mojibake), CRLF line ends, quoting by csv-stringify. Text that begins with = + - @ tab or CR
// gets a leading ' (OWASP's rule against formula injection), so `=HYPERLINK(…)` in a name stays
// text in Excel and WPS; numbers are written as they are. Rows are stringified a batch at a time and
// written to the file as they come (csv-stringify's synchronous API per batch: the export runs on a
// worker thread where a synchronous loop is the fastest way through, and memory holds one batch).
import { stringify, type Options } from 'csv-stringify/sync';
import type { FileSink } from './file-sink.ts';
import type { Cell, ExportColumn } from './table.ts';

/** A text cell a spreadsheet would read as a formula, made plain text. */
export const neutraliseFormula = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

const OPTIONS: Options = { record_delimiter: 'windows', cast: { string: neutraliseFormula } };
const BATCH = 2000;

export function writeCsv<R>(sink: FileSink, columns: readonly ExportColumn<R>[], rows: Iterable<R>): void {
  sink.text(stringify([columns.map((column) => column.zh)], { ...OPTIONS, bom: true }));
  let batch: Cell[][] = [];
  for (const row of rows) {
    batch.push(columns.map((column) => column.value(row)));
    if (batch.length === BATCH) {
      sink.text(stringify(batch, OPTIONS));
      batch = [];
    }
  }
  if (batch.length) sink.text(stringify(batch, OPTIONS));
}
