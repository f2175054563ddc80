// The import readers (server/import/read-table.ts) on their own: file bytes in, a table of text
// cells out. Answers worked out by hand from the inputs written here, and from the ledger fixtures
// written by other programs (tests/fixtures/ledgers/README.md).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors.ts';
import { decodeText, formatOf, GEOMETRY_HEADERS, readTable } from '../../server/import/read-table.ts';
import { fileSource } from '../../server/import/read-csv.ts';

const LEDGERS = join(import.meta.dirname, '../fixtures/ledgers');
const fixture = (name: string) => new Uint8Array(readFileSync(join(LEDGERS, name)));
const utf8 = (text: string) => new TextEncoder().encode(text);

async function refusal(work: () => unknown): Promise<AppError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('CSV', () => {
  it('reads a file from disk by range as it reads the same bytes, characters cut at a 1 MB slice boundary included', async () => {
    // Rows of mostly 3-byte characters, with a header chosen so that a character straddles the first slice boundary.
    const lines = ['企业名称,地址'];
    let length = 0;
    for (let i = 0; length < 1_200_000; i++) {
      const line = `砂场${i},漯河市源汇区${'路'.repeat(i % 7)}`;
      lines.push(line);
      length += line.length + 2;
    }
    const bytes = new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
    expect(bytes.length).toBeGreaterThan(2 << 20);
    expect(bytes[1 << 20]! & 0xc0).toBe(0x80); // a continuation byte: the boundary cuts a character
    const dir = mkdtempSync(join(tmpdir(), 'sansan-csv-'));
    writeFileSync(join(dir, 'ledger.csv'), bytes);
    const source = fileSource(join(dir, 'ledger.csv'));
    try {
      const fromFile = await readTable(source, 'ledger.csv');
      const fromBytes = await readTable(bytes, 'ledger.csv');
      expect(fromFile.encoding).toBe('utf-8');
      expect(fromFile.rows.length).toBe(lines.length - 1);
      expect(fromFile.rows.map((r) => r.cells.join(','))).toEqual(lines.slice(1));
      expect(fromFile.rows.at(-1)!.row).toBe(lines.length);
      expect(fromFile).toEqual(fromBytes);
    } finally {
      source.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads UTF-8 with a byte-order mark: the mark is not part of the first header, rows count from the header as 1', async () => {
    const table = await readTable(utf8('\uFEFF名称,经度,纬度\r\n甲砂场,113.95,33.55\r\n乙商砼站,114.16,33.57\r\n'), 'ledger.csv');
    expect(table.format).toBe('csv');
    expect(table.encoding).toBe('utf-8');
    expect(table.headers).toEqual(['名称', '经度', '纬度']);
    expect(table.rows).toEqual([
      { row: 2, cells: ['甲砂场', '113.95', '33.55'] },
      { row: 3, cells: ['乙商砼站', '114.16', '33.57'] },
    ]);
  });

  it('reads GB18030 as iconv wrote it, with a four-byte character outside GBK', async () => {
    const gb = await readTable(fixture('ledger-gb18030.csv'), 'ledger.csv');
    expect(gb.encoding).toBe('gb18030');
    // The four-byte GB18030 character outside GBK survives.
    expect(gb.rows.some((row) => row.cells.some((cell) => cell.includes('\u3400')))).toBe(true);
    expect(gb.headers[0]).toBe('名称');
  });

  it('reads UTF-16 by its byte-order mark', () => {
    const text = '名称,类别\n';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      bytes[2 + i * 2] = code & 0xff;
      bytes[3 + i * 2] = code >> 8;
    }
    expect(decodeText(bytes, 'ledger.csv')).toEqual({ text, encoding: 'utf-16le' });
  });

  it('refuses an empty file and a workbook named .csv, naming the file', async () => {
    const empty = await refusal(() => readTable(new Uint8Array(), '空文件.csv'));
    expect([empty.status, empty.code, empty.details]).toEqual([400, 'empty_file', { field: 'file', fileName: '空文件.csv' }]);
    const zip = await refusal(() => readTable(fixture('ledger-ogr2ogr.xlsx'), 'ledger.csv'));
    expect(zip.status).toBe(400);
    expect(zip.details).toMatchObject({ fileName: 'ledger.csv' });
  });
});

describe('GeoJSON and KML', () => {
  it('puts a point’s position in the ledger’s 经度/纬度 columns and flags a line where a point belongs', async () => {
    const collection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { 名称: '甲砂场' }, geometry: { type: 'Point', coordinates: [113.95, 33.55] } },
        {
          type: 'Feature',
          properties: { 名称: '乙路段' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [114, 33.5],
              [114.1, 33.6],
            ],
          },
        },
      ],
    };
    const table = await readTable(utf8(JSON.stringify(collection)), 'points.geojson');
    expect(table.headers).toEqual(['名称', GEOMETRY_HEADERS.lng, GEOMETRY_HEADERS.lat]);
    expect(table.rows[0]).toEqual({ row: 1, cells: ['甲砂场', '113.95', '33.55'] });
    expect(table.rows[1]).toEqual({ row: 2, cells: ['乙路段', '', ''], geometryProblem: 'the geometry is a LineString; a site is a point' });
  });

  it('reads the same three points from ogr2ogr’s GeoJSON, KML and KMZ', async () => {
    const positions = async (name: string) => {
      const table = await readTable(fixture(name), name);
      const lng = table.headers.indexOf(GEOMETRY_HEADERS.lng);
      const lat = table.headers.indexOf(GEOMETRY_HEADERS.lat);
      return table.rows.map((row) => [Number(row.cells[lng]), Number(row.cells[lat])]);
    };
    const geojson = await positions('ledger-ogr2ogr.geojson');
    expect(geojson.length).toBeGreaterThan(0);
    expect(await positions('ledger-ogr2ogr.kml')).toEqual(geojson);
    expect(await positions('ledger-ogr2ogr.kmz')).toEqual(geojson);
  });
});

describe('file names', () => {
  it('takes the format from the extension, in any case, and refuses others with the accepted list', async () => {
    expect(formatOf('台账.XLSX')).toBe('xlsx');
    expect(formatOf('points.kmz')).toBe('kmz');
    // A .txt is read as CSV (text saved from a spreadsheet); a Word file is not a ledger.
    expect(formatOf('台账.txt')).toBe('csv');
    const other = await refusal(() => formatOf('台账.docx'));
    expect(other.code).toBe('unsupported_file');
    expect(other.status).toBe(400);
    expect(JSON.stringify(other.details)).toContain('csv');
  });
});
