// A dBase III table (the .dbf of a Shapefile) with text in UTF-8 — the .cpg beside it says so.
// Written here because the DBF writer under @mapbox/shp-write keeps only the low byte of each
// character (Chinese comes out as garbage) and sizes text fields in characters, not bytes.
// Text fields (C) are as wide as their longest value in UTF-8 bytes, at most 254, cut on a character
// boundary; number fields (N) are right-aligned ASCII; a null is blanks (GDAL and ArcGIS read null).

export interface DbfField {
  /** ASCII, at most 10 bytes. */
  name: string;
  type: 'C' | 'N';
  /** Decimals of an N field. */
  decimals?: number;
}

export const DBF_MAX_TEXT_BYTES = 254;

const encoder = new TextEncoder();

/** The UTF-8 bytes of a text, cut to at most `max` bytes without splitting a character. */
export function utf8Prefix(text: string, max: number): Uint8Array {
  const bytes = encoder.encode(text);
  if (bytes.length <= max) return bytes;
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // back off a continuation byte
  return bytes.subarray(0, end);
}

function numberText(value: number, decimals: number): string {
  return decimals > 0 ? value.toFixed(decimals) : String(Math.round(value));
}

type DbfCell = string | number | null | undefined;

/**
 * A DBF written a record at a time: `measure` every row first (text fields are as wide as their
 * longest value, so the widths are known only after a pass over the rows), then `header` and a
 * `record` per row, then `DBF_END`.
 */
export class DbfWriter {
  private readonly widths: number[];
  private count = 0;

  constructor(private readonly fields: readonly DbfField[]) {
    for (const field of fields)
      if (!/^[A-Za-z][A-Za-z0-9_]{0,9}$/.test(field.name))
        throw new Error(`DBF field name "${field.name}" must be ASCII letters, digits or _ and at most 10 bytes`);
    this.widths = fields.map((field) => (field.type === 'N' && field.decimals ? field.decimals + 2 : 1));
  }

  private text(field: DbfField, value: DbfCell): string | null {
    if (value === null || value === undefined || value === '') return null;
    return field.type === 'N' ? numberText(Number(value), field.decimals ?? 0) : String(value);
  }

  /** First pass: one row's cells widen the fields that need it. */
  measure(row: readonly DbfCell[]): void {
    this.count++;
    this.fields.forEach((field, i) => {
      const text = this.text(field, row[i]);
      if (text === null) return;
      const bytes = Buffer.byteLength(text, 'utf8');
      const limit = field.type === 'N' ? 20 : DBF_MAX_TEXT_BYTES;
      if (bytes > this.widths[i]!) this.widths[i] = Math.min(bytes, limit);
    });
  }

  get recordLength(): number {
    return 1 + this.widths.reduce((sum, size) => sum + size, 0);
  }

  header(today = new Date()): Uint8Array {
    const headerLength = 32 + 32 * this.fields.length + 1;
    const buffer = new Uint8Array(headerLength);
    const view = new DataView(buffer.buffer);
    view.setUint8(0, 0x03);
    view.setUint8(1, today.getUTCFullYear() - 1900);
    view.setUint8(2, today.getUTCMonth() + 1);
    view.setUint8(3, today.getUTCDate());
    view.setUint32(4, this.count, true);
    view.setUint16(8, headerLength, true);
    view.setUint16(10, this.recordLength, true);
    this.fields.forEach((field, i) => {
      const at = 32 + 32 * i;
      buffer.set(encoder.encode(field.name), at);
      view.setUint8(at + 11, field.type.charCodeAt(0));
      view.setUint8(at + 16, this.widths[i]!);
      view.setUint8(at + 17, field.type === 'N' ? (field.decimals ?? 0) : 0);
    });
    view.setUint8(headerLength - 1, 0x0d);
    return buffer;
  }

  /** One record: not deleted, text left-aligned and cut on a character boundary, numbers right-aligned, null blank. */
  record(row: readonly DbfCell[]): Buffer {
    const buffer = Buffer.alloc(this.recordLength, 0x20);
    let at = 1;
    this.fields.forEach((field, i) => {
      const size = this.widths[i]!;
      const text = this.text(field, row[i]);
      if (text !== null) {
        if (field.type === 'N') {
          const bytes = Buffer.from(text, 'latin1').subarray(0, size);
          buffer.set(bytes, at + size - bytes.length);
        } else buffer.write(text, at, size, 'utf8'); // writes no partial character
      }
      at += size;
    });
    return buffer;
  }
}

/** The end-of-file marker after the last record. */
export const DBF_END = Uint8Array.of(0x1a);

/** A whole DBF in memory (small tables, tests). */
export function writeDbf(fields: readonly DbfField[], rows: readonly (readonly DbfCell[])[], today = new Date()): Uint8Array {
  const writer = new DbfWriter(fields);
  for (const row of rows) writer.measure(row);
  return Buffer.concat([writer.header(today), ...rows.map((row) => writer.record(row)), DBF_END]);
}
