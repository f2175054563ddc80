// The shared-strings table of an exported workbook, kept in a file instead of in memory. exceljs's
// own table holds every distinct text of the workbook and a hash of them, and writes
// sharedStrings.xml as one string at the end: at 10^6 sites that is ~1.7 million names and addresses,
// past the export thread's heap cap (the export answered 503 memory_limit). This one writes each new
// text's <si> entry (as exceljs's own xform writes it: the bytes are the same) to a file as it comes,
// and finds repeats only among the first DEDUP_KEPT distinct texts: the texts that repeat (counties,
// categories, statuses, dates, villages) come in the first rows, a later new text gets an entry of its
// own each time (a table may hold a text more than once; every reader looks entries up by index).
import { closeSync, createReadStream, openSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';

interface XmlStreamLike {
  readonly xml: string;
}
const require = createRequire(import.meta.url);
const XmlStream = require('exceljs/lib/utils/xml-stream') as new () => XmlStreamLike;
const SharedStringXform = require('exceljs/lib/xlsx/xform/strings/shared-string-xform') as new () => {
  render(stream: XmlStreamLike, value: unknown): void;
};
const { xmlEncode } = require('exceljs/lib/utils/utils') as { xmlEncode(text: string): string };

/** A plain text's <si> entry as exceljs's SharedStringXform and TextXform write it (without their per-text objects: 2.5× faster). */
const plainEntry = (text: string) => `<si><t${/^\s|\n|\s$/.test(text) ? ' xml:space="preserve"' : ''}>${xmlEncode(text)}</t></si>`;

/** Distinct texts looked up for repeats (~20 MB at most); all of a 10^5-site ledger's fit. */
export const DEDUP_KEPT = 250_000;
const FLUSH_BYTES = 1 << 20;
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';

/** What exceljs's workbook writer asks of `workbook.sharedStrings` (count, add) and of its zip (append). */
export class FileSharedStrings {
  private readonly fd: number;
  private readonly kept = new Map<unknown, number>();
  private readonly render = new SharedStringXform();
  private pending: string[] = [];
  private pendingBytes = 0;
  private entries = 0;
  private refs = 0;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly dedupKept = DEDUP_KEPT,
  ) {
    this.fd = openSync(path, 'w');
  }

  /** Entries in the table (exceljs: `count`, the `uniqueCount` it writes). */
  get count(): number {
    return this.entries;
  }

  get totalRefs(): number {
    return this.refs;
  }

  /** The index of `value`'s entry, a new one written unless it is among the texts kept. */
  add(value: unknown): number {
    this.refs++;
    const plain = typeof value === 'string';
    const seen = plain ? this.kept.get(value) : undefined;
    if (seen !== undefined) return seen;
    const index = this.entries++;
    if (plain && this.kept.size < this.dedupKept) this.kept.set(value, index);
    let entry: string;
    if (plain) entry = plainEntry(value);
    else {
      const xml = new XmlStream();
      this.render.render(xml, value);
      entry = xml.xml;
    }
    this.pending.push(entry);
    this.pendingBytes += entry.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    return index;
  }

  private flush() {
    if (this.pending.length) writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** sharedStrings.xml as a stream: the head, the file's entries, the end (after the last `add`). */
  xml(): Readable {
    this.flush();
    this.close();
    this.kept.clear();
    const head = `${HEAD} count="${this.entries}" uniqueCount="${this.entries}">`;
    const path = this.path;
    return Readable.from(
      (async function* () {
        yield Buffer.from(head);
        yield* createReadStream(path, { highWaterMark: 256 * 1024 });
        yield Buffer.from('</sst>');
      })(),
    );
  }

  /** Closes the file once (a descriptor closed twice could close another file that took its number). */
  private close() {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  /** Removes the file (after the workbook is written, or on failure). */
  remove(): void {
    this.close();
    rmSync(this.path, { force: true });
  }
}
