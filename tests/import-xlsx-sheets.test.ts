// An XLSX's parts are read from the archive in the order the reader needs them (relationships, workbook,
// shared strings, styles, then the worksheets), whatever order the file stores them in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readTable } from '../server/import/read-table.ts';

const ogrWorkbook = readFileSync(join(import.meta.dirname, 'fixtures', 'ledgers', 'ledger-ogr2ogr.xlsx'));

describe('XLSX sheet names', () => {
  it('names the sheet read the same way on every read of a workbook written by ogr2ogr', async () => {
    // ogr2ogr writes the worksheets before sharedStrings.xml and the workbook's relationships. Read by
    // exceljs's own pass over the archive, about 1 read in 60 lost one of those parts: the first sheet
    // came back as "Sheet1", or with no rows ("the file has no header row and no data").
    const answers = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const table = await readTable(new Uint8Array(ogrWorkbook), 'ledger-ogr2ogr.xlsx');
      const key = `${table.sheet} | ${table.sheets.join(', ')}`;
      answers.set(key, (answers.get(key) ?? 0) + 1);
    }
    expect([...answers]).toEqual([['说明 | 说明, 台账', 300]]);
  }, 60_000);

  it('reads a chosen sheet by its name, in the workbook order, even when the names need XML escapes', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('说明 & 附注').addRows([['项目', '内容']]);
    workbook.addWorksheet('台账<2026>').addRows([
      ['名称', '行业'],
      ['源汇区黄河路砂石料场', '砂石料场'],
    ]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const table = await readTable(bytes, 'ledger.xlsx', { sheet: '台账<2026>' });
    expect(table.sheets).toEqual(['说明 & 附注', '台账<2026>']);
    expect(table.sheet).toBe('台账<2026>');
    expect(table.headers).toEqual(['名称', '行业']);
    expect(table.rows.map((r) => r.cells)).toEqual([['源汇区黄河路砂石料场', '砂石料场']]);
  });
});
