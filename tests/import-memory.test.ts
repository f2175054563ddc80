// A ledger at the row limit: 200,000 rows in a 50 MB CSV is read (streamed), judged and staged in
// batches and committed without the process growing past a guard, and a row more is refused by its
// limit. Memory is measured in this test process as a guard (the server's own figure is in
// `npm run bench -- imports`), never a time.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerCsv, readGeography } from '../bench/synthetic.ts';
import { MAX_IMPORT_ROWS } from '../server/import/read-table.ts';
import { bootTestApp, expectError, type Harness } from './helpers/app.ts';

/**
 * The guard. Issue 18's target is a peak of 300 MB for the server; not met yet: this process grew
 * 482 MB here once CSV rows went from the parser to the judge in batches (547–607 MB before), 630 MB
 * on a CI run, and 165 MB (2026-12-04) once the preview ran on the import thread (heap capped, the CSV
 * read from the upload's temporary file in slices, the duplicate index in typed arrays). The guard
 * catches a regression well beyond that.
 */
const BOUND = 700 * 1024 * 1024;
let dir: string | undefined;
let h: Harness | undefined;

afterEach(() => {
  h?.db.close();
  h = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const highWaterMark = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;

/**
 * Runs `work` and returns how far the resident set rose above where it started, in bytes: the
 * kernel's high-water mark (Linux VmHWM), reset to the current size first (clear_refs 5), so it also
 * catches a peak inside a synchronous commit and not the making of the test file.
 */
async function peakGrowth<T>(work: () => Promise<T>): Promise<{ value: T; growth: number }> {
  writeFileSync('/proc/self/clear_refs', '5');
  const start = process.memoryUsage().rss;
  const value = await work();
  return { value, growth: highWaterMark() - start };
}

async function upload(harness: Harness, csv: Buffer) {
  const form = new FormData();
  form.append('file', new File([new Uint8Array(csv)], 'ledger-200k.csv'));
  form.append('options', JSON.stringify({ crs: 'wgs84' }));
  const response = await harness.request('/api/imports', { method: 'POST', body: form });
  return { status: response.status, text: await response.text() };
}

describe('a ledger at the row limit', () => {
  it('200,000 rows in a 50 MB file: previewed and committed within the memory bound', { timeout: 900_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'sansan-200k-'));
    h = bootTestApp({ path: join(dir, 'sansan.db') });
    const csv = ledgerCsv(readGeography(h.db), MAX_IMPORT_ROWS, { crs: 'wgs84', pad: 34 });
    expect(csv.length).toBeGreaterThan(45 * 1024 * 1024);
    expect(csv.length).toBeLessThanOrEqual(50 * 1024 * 1024);
    const harness = h;
    const { value: committed, growth } = await peakGrowth(async () => {
      const previewed = await upload(harness, csv);
      expect(previewed.status, previewed.text.slice(0, 300)).toBe(201);
      const preview = JSON.parse(previewed.text) as { id: number; counts: Record<string, number> };
      expect(preview.counts).toMatchObject({ rows: MAX_IMPORT_ROWS, new: MAX_IMPORT_ROWS, error: 0 });
      return (await harness.send('POST', `/api/imports/${preview.id}/commit`, {})).body;
    });
    expect(committed).toMatchObject({ created: MAX_IMPORT_ROWS, errors: 0 });
    expect(h.db.get<{ n: number }>('SELECT count(*) AS n FROM sites WHERE import_batch IS NOT NULL')!.n).toBe(MAX_IMPORT_ROWS);
    expect(growth, `grew ${Math.round(growth / 1024 / 1024)} MB`).toBeLessThanOrEqual(BOUND);
  });

  it('one row more is refused by the limit, naming the count, before any row is judged', { timeout: 300_000 }, async () => {
    h = bootTestApp();
    const csv = ledgerCsv(readGeography(h.db), MAX_IMPORT_ROWS + 1, { crs: 'wgs84' });
    const harness = h;
    const { value: refused } = await peakGrowth(() => upload(harness, csv));
    const error = expectError(
      { status: refused.status, body: JSON.parse(refused.text), contentType: 'application/json', text: refused.text },
      413,
      'too_many_rows',
    );
    expect(error.details).toMatchObject({ limit: MAX_IMPORT_ROWS, rows: MAX_IMPORT_ROWS + 1 });
    expect(h.db.get<{ n: number }>('SELECT count(*) AS n FROM import_rows')!.n).toBe(0);
  });
});
