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

export function writeDbf(fields: readonly DbfField[], rows: readonly (readonly (string | number | null)[])[], today = new Date()): Uint8Array {
  for (const field of fields)
    if (!/^[A-Za-z][A-Za-z0-9_]{0,9}$/.test(field.name))
      throw new Error(`DBF field name "${field.name}" must be ASCII letters, digits or _ and at most 10 bytes`);
  // Encode every cell once and size the fields from the bytes.
  const cells = rows.map((row) =>
    fields.map((field, i) => {
      const value = row[i];
      if (value === null || value === undefined || value === '') return null;
      return field.type === 'N' ? encoder.encode(numberText(Number(value), field.decimals ?? 0)) : utf8Prefix(String(value), DBF_MAX_TEXT_BYTES);
    }),
  );
  const sizes = fields.map((field, i) => {
    const longest = cells.reduce((max, row) => Math.max(max, row[i]?.length ?? 0), 0);
    return field.type === 'N' ? Math.min(Math.max(longest, field.decimals ? field.decimals + 2 : 1), 20) : Math.max(longest, 1);
  });
  const recordLength = 1 + sizes.reduce((sum, size) => sum + size, 0);
  const headerLength = 32 + 32 * fields.length + 1;
  const buffer = new Uint8Array(headerLength + recordLength * rows.length + 1);
  const view = new DataView(buffer.buffer);

  view.setUint8(0, 0x03);
  view.setUint8(1, today.getUTCFullYear() - 1900);
  view.setUint8(2, today.getUTCMonth() + 1);
  view.setUint8(3, today.getUTCDate());
  view.setUint32(4, rows.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  fields.forEach((field, i) => {
    const at = 32 + 32 * i;
    buffer.set(encoder.encode(field.name), at);
    view.setUint8(at + 11, field.type.charCodeAt(0));
    view.setUint8(at + 16, sizes[i]!);
    view.setUint8(at + 17, field.type === 'N' ? (field.decimals ?? 0) : 0);
  });
  view.setUint8(headerLength - 1, 0x0d);

  let at = headerLength;
  for (const row of cells) {
    buffer.fill(0x20, at, at + recordLength); // not deleted, blank fields
    at += 1;
    row.forEach((bytes, i) => {
      const size = sizes[i]!;
      if (bytes) buffer.set(bytes.subarray(0, size), fields[i]!.type === 'N' ? at + size - Math.min(bytes.length, size) : at);
      at += size;
    });
  }
  view.setUint8(at, 0x1a);
  return buffer;
}
