// Bounds on a zip container (xlsx, kmz) checked before any parser opens it: the entry count and the
// uncompressed sizes from the zip's central directory, then the entries inflated as a stream with a
// running byte cap (the directory's sizes can lie), counting a worksheet's rows as they come, so a
// 1 MB workbook that expands to 3,000,000 rows is refused after its first 200,001 rows are seen
// instead of after exceljs has built them all (17 s and 2.6 GB before). GeoJSON's nesting depth is
// measured in one pass over the text before JSON.parse.
import { createInflateRaw } from 'node:zlib';
import { AppError, badRequest } from '../errors.ts';

/** Most entries a workbook or KMZ may hold (a workbook has tens; a KMZ with its icons, hundreds). */
export const MAX_ARCHIVE_ENTRIES = 2_000;
/** Most bytes the entries may inflate to, together (a 200,000-row ledger workbook is about 100–150 MB). */
export const MAX_ARCHIVE_BYTES = 400 * 1024 * 1024;
/** Deepest nesting of arrays and objects in an imported GeoJSON (a MultiPolygon is 4 deep in its feature). */
export const MAX_JSON_DEPTH = 64;

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

const tooLarge = (fileName: string, what: 'entries' | 'bytes', limit: number, found: number) =>
  new AppError(
    413,
    'archive_too_large',
    `${fileName}: the archive ${what === 'entries' ? `holds ${found.toLocaleString('en')} entries; at most ${limit.toLocaleString('en')} are read` : `expands to more than ${limit / 1024 / 1024} MB`}; split it into smaller files`,
    {
      field: 'file',
      fileName,
      what,
      limit,
      found,
    },
  );

/** A damaged archive is left to the parser after us, which names it in its own words. */
class Damaged extends Error {}
const damaged = (why: string) => new Damaged(why);

/** The central directory's entries (Damaged when it cannot be read); 413 beyond MAX_ARCHIVE_ENTRIES or MAX_ARCHIVE_BYTES declared. */
export function readCentralDirectory(bytes: Uint8Array, fileName: string): Entry[] {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: 22 bytes plus a comment of at most 65,535 bytes, at the end.
  let end = -1;
  for (let i = view.length - 22; i >= Math.max(0, view.length - 22 - 65_535); i--)
    if (view.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  if (end < 0) throw damaged('no end of central directory');
  const count = view.readUInt16LE(end + 10);
  const directoryOffset = view.readUInt32LE(end + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) throw tooLarge(fileName, 'bytes', MAX_ARCHIVE_BYTES, Number.MAX_SAFE_INTEGER);
  if (count > MAX_ARCHIVE_ENTRIES) throw tooLarge(fileName, 'entries', MAX_ARCHIVE_ENTRIES, count);
  const entries: Entry[] = [];
  let declared = 0;
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > view.length || view.readUInt32LE(at) !== 0x02014b50) throw damaged('bad central directory');
    const nameLength = view.readUInt16LE(at + 28);
    const entry: Entry = {
      method: view.readUInt16LE(at + 10),
      compressedSize: view.readUInt32LE(at + 20),
      uncompressedSize: view.readUInt32LE(at + 24),
      localOffset: view.readUInt32LE(at + 42),
      name: view.toString('utf8', at + 46, at + 46 + nameLength),
    };
    declared += entry.uncompressedSize;
    if (entry.uncompressedSize === 0xffffffff || declared > MAX_ARCHIVE_BYTES) throw tooLarge(fileName, 'bytes', MAX_ARCHIVE_BYTES, declared);
    entries.push(entry);
    at += 46 + nameLength + view.readUInt16LE(at + 30) + view.readUInt16LE(at + 32);
  }
  return entries;
}

/** A worksheet row element with content (`<row …>`, not the self-closing `<row …/>` of a styled empty row). */
const ROW_TAG = /<(?:\w+:)?row(?:\s[^>]*)?>/g;

/**
 * Inflates every entry as a stream, stopping at MAX_ARCHIVE_BYTES in all (413 archive_too_large); in
 * entries `countRowsIn` matches, stops at `maxRows` rows with content and calls `tooManyRows` (a 413).
 */
export async function checkArchive(
  bytes: Uint8Array,
  fileName: string,
  rows?: { countRowsIn: RegExp; maxRows: number; tooManyRows: (count: number) => Error },
): Promise<void> {
  try {
    await inflateWithBounds(bytes, fileName, rows);
  } catch (error) {
    if (!(error instanceof Damaged)) throw error;
  }
}

async function inflateWithBounds(
  bytes: Uint8Array,
  fileName: string,
  rows?: { countRowsIn: RegExp; maxRows: number; tooManyRows: (count: number) => Error },
): Promise<void> {
  const entries = readCentralDirectory(bytes, fileName);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  for (const entry of entries) {
    if (entry.localOffset + 30 > view.length || view.readUInt32LE(entry.localOffset) !== 0x04034b50) throw damaged(`bad local header of ${entry.name}`);
    const start = entry.localOffset + 30 + view.readUInt16LE(entry.localOffset + 26) + view.readUInt16LE(entry.localOffset + 28);
    const data = view.subarray(start, start + entry.compressedSize);
    const counting = rows && rows.countRowsIn.test(entry.name);
    if (entry.method === 0) {
      total += data.length;
      if (total > MAX_ARCHIVE_BYTES) throw tooLarge(fileName, 'bytes', MAX_ARCHIVE_BYTES, total);
      continue;
    }
    if (entry.method !== 8) continue; // an unknown method: the parser after us refuses the file
    await new Promise<void>((resolve, reject) => {
      const inflate = createInflateRaw();
      let count = 0;
      let tail = '';
      const stop = (error: Error) => {
        inflate.removeAllListeners('data');
        inflate.destroy();
        reject(error);
      };
      inflate.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > MAX_ARCHIVE_BYTES) return stop(tooLarge(fileName, 'bytes', MAX_ARCHIVE_BYTES, total));
        if (!counting) return;
        // A tag cut by the chunk's end is carried over to the next chunk.
        const text = tail + chunk.toString('latin1');
        const open = text.lastIndexOf('<');
        const cut = open >= 0 && text.indexOf('>', open) < 0 ? open : text.length;
        tail = text.slice(cut);
        count += text.slice(0, cut).match(ROW_TAG)?.length ?? 0;
        if (count > rows.maxRows + 1) stop(rows.tooManyRows(count - 1));
      });
      inflate.on('error', (error) => stop(damaged(`${entry.name}: ${error.message}`)));
      inflate.on('end', () => resolve());
      inflate.end(data);
    });
  }
}

/** 400 when arrays and objects nest deeper than MAX_JSON_DEPTH (one pass over the text, strings skipped). */
export function checkJsonDepth(text: string, fileName: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH)
        throw badRequest('too_deep', `${fileName}: arrays and objects nest more than ${MAX_JSON_DEPTH} deep (at character ${i + 1})`, {
          field: 'file',
          fileName,
          limit: MAX_JSON_DEPTH,
          at: i + 1,
        });
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}
