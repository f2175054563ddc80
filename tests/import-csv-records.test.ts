// A CSV without any quote character is split into records by server/import/read-csv.ts itself
// (quoteFreeRecords), a file with one goes through csv-parse: both must read every such text alike.
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { bytesSource, openCsv, quoteFreeRecords, utf8Validator } from '../server/import/read-csv.ts';

const CSV_PARSE_OPTIONS = { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false } as const;

describe('quoteFreeRecords', () => {
  it('reads quote-free text as csv-parse does, however the text is sliced (seeded random texts)', () => {
    let seed = 18;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const parts = ['a', '散', ',', '\t', '\r', '\n', '\r\n', ' ', '\ufeff', "'=1", ''];
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      for (let n = Math.floor(random() * 14); n > 0; n--) text += parts[Math.floor(random() * parts.length)];
      const delimiter = random() < 0.8 ? ',' : '\t';
      const slices: string[] = [];
      for (let at = 0; at < text.length;) {
        const length = 1 + Math.floor(random() * 4);
        slices.push(text.slice(at, at + length));
        at += length;
      }
      const expected = parse(text, { delimiter, ...CSV_PARSE_OPTIONS }) as string[][];
      expect([...quoteFreeRecords(slices, delimiter)], JSON.stringify({ text, slices })).toEqual(expected);
    }
  });

  it('gives a ledger the same rows whether it is read without csv-parse or with it (a quote added at its end)', async () => {
    const lines = ['\uFEFF企业名称,详细地址,经度,纬度', '甲厂,源汇区1号,114.01,33.57', '', "乙厂,'=A1,114.02,33.58\r", '丙厂,\t召陵区 ,114.03,33.59'];
    const read = async (text: string) => {
      const table = await openCsv(bytesSource(Buffer.from(text)), 'ledger.csv');
      const rows = [];
      for await (const batch of table.batches) rows.push(...batch);
      return { headers: table.headers, rows };
    };
    for (const lineEnd of ['\r\n', '\n']) {
      const text = lines.join(lineEnd) + lineEnd;
      const fast = await read(text);
      const parsed = await read(`${text}"丁厂",x${lineEnd}`);
      expect(fast.rows).toHaveLength(3);
      expect(parsed.rows.slice(0, -1)).toEqual(fast.rows);
      expect(parsed.headers).toEqual(fast.headers);
      expect(fast.rows[1]).toEqual({ row: 4, cells: ['乙厂', '=A1', '114.02', '33.58'] });
    }
  });
});

describe('utf8Validator', () => {
  it('finds bytes UTF-8 exactly when a fatal TextDecoder does, however they are sliced (seeded random bytes)', () => {
    let seed = 5;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const utf8 = (text: string) => [...new TextEncoder().encode(text)];
    // Whole characters of 1–4 bytes, and bytes that break the encoding: lone continuation and lead bytes,
    // an overlong form, a surrogate, a code point past U+10FFFF, a character cut short.
    const parts = [
      utf8('a'),
      utf8(','),
      utf8('é'),
      utf8('散'),
      utf8('𠀀'),
      [0x80],
      [0xc0, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe6, 0x95],
      [0xf0, 0x9f],
      [0xff],
    ];
    let invalid = 0;
    for (let i = 0; i < 20_000; i++) {
      const bytes: number[] = [];
      for (let n = Math.floor(random() * 10); n > 0; n--) bytes.push(...parts[Math.floor(random() * (random() < 0.7 ? 5 : parts.length))]!);
      let expected = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
      } catch {
        expected = false;
      }
      invalid += expected ? 0 : 1;
      const valid = utf8Validator();
      let found = true;
      for (let at = 0; found && at < bytes.length;) {
        const length = 1 + Math.floor(random() * 5);
        found = valid(Uint8Array.from(bytes.slice(at, at + length)), at + length >= bytes.length);
        at += length;
      }
      expect(found, JSON.stringify(bytes)).toBe(expected);
    }
    expect(invalid).toBeGreaterThan(1000);
  });
});
