// A CSV ledger read slice by slice: its encoding found and its line breaks counted in one pass over
// the bytes, then csv-parse's streaming parser fed the decoded text 1 MB at a time, the data rows
// handed out ROW_BATCH at a time. The bytes come from a ByteSource: an upload's temporary file on
// disk (the import thread never holds the file) or bytes already in memory (tests, small files).
import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parse as parseCsvStream } from 'csv-parse';
import { AppError, badRequest } from '../errors.ts';
import { yieldToOthers } from './event-loop.ts';
import {
  clean,
  describeContent,
  isBinary,
  MAX_IMPORT_ROWS,
  namedHeaders,
  notWhatItSays,
  PARSE_BATCH,
  ROW_BATCH,
  tooManyRows,
  type OpenTable,
  type TableRow,
} from './read-table.ts';

/** Bytes read by range: a file's, or a buffer's. */
export interface ByteSource {
  readonly size: number;
  /** The bytes from `start` to `end` (clamped to the size). */
  read(start: number, end: number): Uint8Array;
  close(): void;
}

export const bytesSource = (bytes: Uint8Array): ByteSource => ({ size: bytes.length, read: (start, end) => bytes.subarray(start, end), close() {} });

/** A file on disk read by range (synchronous reads of at most a slice: the caller is a worker thread or a test). */
export function fileSource(path: string): ByteSource {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return {
    size,
    read(start, end) {
      const length = Math.max(0, Math.min(end, size) - start);
      const buffer = Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, buffer, got, length - got, start + got);
        if (n === 0) break;
        got += n;
      }
      return buffer.subarray(0, got);
    },
    close: () => closeSync(fd),
  };
}

type Encoding = 'utf-8' | 'gb18030' | 'utf-16le';
const SLICE = 1 << 20;

const badEncoding = (fileName: string) =>
  notWhatItSays(fileName, 'text', 'bad_encoding', '', 'save it from Excel or WPS as CSV (UTF-8 or the default Chinese encoding)');

/**
 * One pass over the bytes: the encoding (UTF-16 by its BOM, valid UTF-8, else GB18030) and the line
 * feeds — at least as many as the records after the first (a record spans one line or more).
 */
function scan(source: ByteSource, fileName: string): { encoding: Encoding; lineBreaks: number; quotes: boolean } {
  const head = source.read(0, 65_536);
  const utf16 = head[0] === 0xff && head[1] === 0xfe;
  if (!utf16 && isBinary(head)) throw notWhatItSays(fileName, 'text', describeContent(head));
  const valid = utf16 ? null : utf8Validator();
  let utf8 = !utf16;
  let lineBreaks = 0;
  // A byte 0x22 anywhere: the text may hold a '"' (in UTF-16 or GB18030 it may also be part of another character).
  let quotes = false;
  for (let at = 0; at < source.size; at += SLICE) {
    const slice = source.read(at, at + SLICE);
    for (let i = slice.indexOf(0x0a); i >= 0; i = slice.indexOf(0x0a, i + 1)) lineBreaks++;
    quotes ||= slice.includes(0x22);
    if (utf8) utf8 = valid!(slice, at + SLICE >= source.size);
  }
  return { encoding: utf16 ? 'utf-16le' : utf8 ? 'utf-8' : 'gb18030', lineBreaks, quotes };
}

/**
 * Whether bytes given slice by slice are UTF-8, as TextDecoder('utf-8', { fatal: true }) decoding them
 * in a stream would find (Node's isUtf8, without making the text): a character cut at a slice's end is
 * checked with the next slice; at the last slice an unfinished one is not UTF-8.
 */
export function utf8Validator(): (slice: Uint8Array, last: boolean) => boolean {
  let carry = new Uint8Array(0);
  return (slice, last) => {
    const bytes = carry.length ? Buffer.concat([carry, slice]) : slice;
    let end = bytes.length;
    if (!last) {
      // Back over at most 3 continuation bytes to the last lead byte; keep its character if it is not complete.
      let lead = end - 1;
      while (lead >= 0 && lead > end - 4 && (bytes[lead]! & 0xc0) === 0x80) lead--;
      if (lead >= 0) {
        const b = bytes[lead]!;
        const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
        if (lead + length > end) end = lead;
      }
    }
    carry = Uint8Array.from(bytes.subarray(end));
    return isUtf8(bytes.subarray(0, end));
  };
}

/**
 * CSV through csv-parse's streaming parser. The header is read here; the data rows come as the preview
 * takes them, ROW_BATCH at a time, so the file's cells are never all held at once. A file that may
 * hold more rows than the limit (more line breaks than that) is counted first, and refused before any
 * row is judged.
 */
export async function openCsv(source: ByteSource, fileName: string): Promise<OpenTable> {
  const { encoding, lineBreaks, quotes } = scan(source, fileName);
  const read = { encoding, quotes };
  if (lineBreaks > MAX_IMPORT_ROWS) {
    let count = -1;
    for await (const chunk of csvRecords(source, read, fileName)) for (const cells of chunk) if (cells.some((cell) => cell !== '')) count++;
    if (count > MAX_IMPORT_ROWS) throw tooManyRows(count);
  }
  const chunks = csvRecords(source, read, fileName);
  // The records of the chunk being read, and the next one's index in it.
  let chunk: string[][] = [];
  let at = 0;
  let seen = 0;
  let headers: string[] | null = null;
  while (!headers) {
    if (at === chunk.length) {
      const next = await chunks.next();
      if (next.done) throw badRequest('empty_file', 'the file has no header row and no data', { field: 'file' });
      [chunk, at] = [next.value, 0];
      continue;
    }
    const cells = chunk[at++]!;
    seen++;
    if (cells.some((cell) => cell !== '')) headers = cells;
  }
  async function* batches(): AsyncGenerator<TableRow[]> {
    let batch: TableRow[] = [];
    for (;;) {
      for (; at < chunk.length; at++) {
        const cells = chunk[at]!;
        seen++;
        if (!cells.some((cell) => cell !== '')) continue;
        batch.push({ row: seen, cells });
        if (batch.length === ROW_BATCH) {
          yield batch;
          batch = [];
        }
      }
      const next = await chunks.next();
      if (next.done) break;
      [chunk, at] = [next.value, 0];
    }
    if (batch.length) yield batch;
  }
  return { format: 'csv', encoding, sheets: [], sheet: null, headers: namedHeaders(headers), batches: batches() };
}

/** Our CSV exports write formula-looking text as '=…; read it back as it was. Then cleaned (read-table.ts `clean`). */
const readCell = (cell: string) => clean(cell.charCodeAt(0) === 0x27 && /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

/** A record's cells read in place (readCell). */
function readCells(cells: string[]): string[] {
  for (let i = 0; i < cells.length; i++) cells[i] = readCell(cells[i]!);
  return cells;
}

/**
 * The records of CSV bytes, cells cleaned, ROW_BATCH records at a time (not one promise per record);
 * the event loop turns every PARSE_BATCH records. A file without a quote character has no quoted
 * field: its records are its lines split at the delimiter (quoteFreeRecords), as csv-parse reads
 * them, ~10× faster; any other file goes through csv-parse.
 */
async function* csvRecords(source: ByteSource, read: { encoding: Encoding; quotes: boolean }, fileName: string): AsyncGenerator<string[][]> {
  const { encoding } = read;
  // The first line decides the delimiter; the rest is decoded slice by slice as the parser takes it.
  const head = new TextDecoder(encoding).decode(source.read(0, 64 * 1024));
  const firstLine = head.slice(0, head.indexOf('\n') >>> 0);
  const delimiter = encoding === 'utf-16le' || (firstLine.includes('\t') && !firstLine.includes(',')) ? '\t' : ',';
  let chunk: string[][] = [];
  let seen = 0;
  if (!read.quotes) {
    for (const cells of quoteFreeRecords(textSlices(source, encoding, fileName), delimiter)) {
      chunk.push(readCells(cells));
      if (chunk.length === ROW_BATCH) {
        yield chunk;
        chunk = [];
      }
      if (++seen % PARSE_BATCH === 0) await yieldToOthers();
    }
    if (chunk.length) yield chunk;
    return;
  }
  const parser = Readable.from(textSlices(source, encoding, fileName)).pipe(
    parseCsvStream({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }),
  );
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      chunk.push(readCells(cells));
      if (chunk.length === ROW_BATCH) {
        yield chunk;
        chunk = [];
      }
      if (++seen % PARSE_BATCH === 0) await yieldToOthers();
    }
    if (chunk.length) yield chunk;
  } catch (error) {
    if (error instanceof AppError) throw error;
    const where = (error as { lines?: number }).lines;
    throw badRequest('bad_csv', `${fileName} is not readable as CSV${where ? ` (near line ${where})` : ''}: ${(error as Error).message}`, {
      field: 'file',
      fileName,
      line: where ?? null,
    });
  }
}

/**
 * The records of CSV text holding no '"', as csv-parse reads it (`bom`, `relax_column_count`, empty
 * lines kept as one empty cell): a leading BOM dropped; the record delimiter is the first line break's
 * (\r\n, else \n, else \r) and only it ends a record; no record after a final delimiter.
 */
export function* quoteFreeRecords(slices: Iterable<string>, delimiter: string): Generator<string[]> {
  let carry = '';
  let first = true;
  let lineEnd: string | null = null;
  // The record delimiter from the text's first line break; null while a final \r may yet be a \r\n
  // (`last`: no more text will come to decide it).
  const decide = (last: boolean): string | null => {
    const at = carry.search(/[\r\n]/);
    if (at < 0 || (!last && carry[at] === '\r' && at === carry.length - 1)) return null;
    return carry[at] === '\n' ? '\n' : carry[at + 1] === '\n' ? '\r\n' : '\r';
  };
  function* completeLines(end: string): Generator<string[]> {
    const lines = carry.split(end);
    carry = lines.pop()!;
    for (const line of lines) yield line.split(delimiter);
  }
  for (const slice of slices) {
    carry += slice;
    if (first && carry !== '') {
      if (carry.charCodeAt(0) === 0xfeff) carry = carry.slice(1);
      first = false;
    }
    lineEnd ??= decide(false);
    if (lineEnd !== null) yield* completeLines(lineEnd);
  }
  if (first) return;
  if (lineEnd === null) {
    // Only a final \r (or the text's only line break) was left undecided.
    lineEnd = decide(true);
    if (lineEnd !== null) yield* completeLines(lineEnd);
  }
  if (carry !== '') yield carry.split(delimiter);
}

/** The bytes decoded a slice at a time (a character cut at a slice's end is completed by the next). */
function* textSlices(source: ByteSource, encoding: Encoding, fileName: string): Generator<string> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  const start = encoding === 'utf-16le' ? 2 : 0;
  for (let at = start; at < source.size; at += SLICE) {
    try {
      yield decoder.decode(source.read(at, Math.min(source.size, at + SLICE)), { stream: at + SLICE < source.size });
    } catch {
      throw badEncoding(fileName);
    }
  }
}
