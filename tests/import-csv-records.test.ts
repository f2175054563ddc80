// A CSV without any quote character is split into records by server/import/read-csv.ts itself
// (quoteFreeRecords), a file with one goes through csv-parse: both must read every such text alike.
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { bytesSource, openCsv, quoteFreeRecords } from '../server/import/read-csv.ts';

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
