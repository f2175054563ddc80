// Exports of a database file are built on a worker thread (server/export/export-pool.ts) and come out
// byte for byte as the same export built on the request thread.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildExportFile, closeExportPool, EXPORT_BUILDS, removeExportFile } from '../server/export/export-pool.ts';
import { AppError } from '../server/errors.ts';
import { runExportJob, type ExportJob } from '../server/export/export-job.ts';
import { bootTestApp, createSite, POINTS, TODAY } from './helpers/app.ts';

const dir = mkdtempSync(join(tmpdir(), 'sansan-export-worker-'));
afterAll(async () => {
  await closeExportPool();
  rmSync(dir, { recursive: true, force: true });
});

describe('exports on a worker thread', () => {
  it('builds CSV, GeoPackage and Shapefile exports of a database file on a worker, equal to the in-thread build, with writes just made', async () => {
    const h = bootTestApp({ path: join(dir, 'sansan.db') });
    await createSite(
      h,
      { name: '线程测试砂石场', category: 'sand_yard', lon: POINTS['411102'][0], lat: POINTS['411102'][1], discoveredOn: '2022-01-01' },
      '411102',
    );
    await createSite(
      h,
      { name: '=HYPERLINK("x")', category: 'brick_kiln', lon: POINTS['411103'][0], lat: POINTS['411103'][1], discoveredOn: '2022-01-01' },
      '411103',
    );
    const meta = { date: TODAY, filters: '' };
    for (const job of [
      { layer: 'sites', format: 'csv', meta, sites: {} },
      { layer: 'sites', format: 'gpkg', meta, sites: { counties: ['411102'] }, roads: { counties: ['411102'] } },
      { layer: 'sites', format: 'shp', meta, sites: {} },
    ] satisfies ExportJob[]) {
      const worker = await buildExportFile(h.db, job);
      expect(worker.thread).toBe('worker');
      const here = await runExportJob(h.db, job, join(dir, `here.${job.format}`));
      expect(worker.records).toBe(here.records);
      expect(worker.headers).toEqual(here.headers);
      const [workerBody, hereBody] = [readFileSync(worker.path), readFileSync(here.path)];
      expect(workerBody.length).toBe(worker.bytes);
      if (job.format === 'csv') expect(workerBody.toString('utf8')).toBe(hereBody.toString('utf8'));
      // Zip and SQLite files carry their own timestamps: the kind of file and the counts are compared.
      else if (job.format === 'shp') expect(workerBody.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
      else expect(workerBody.subarray(0, 15).toString()).toBe('SQLite format 3');
      await removeExportFile(worker);
    }
    const csvFile = await buildExportFile(h.db, { layer: 'sites', format: 'csv', meta, sites: {} });
    const csv = readFileSync(csvFile.path, 'utf8');
    await removeExportFile(csvFile);
    expect(csv).toContain('线程测试砂石场');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    // Through the API as well.
    const response = await h.request('/api/export?format=csv');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('线程测试砂石场');
    h.db.close();
  });

  it('refuses an export beyond EXPORT_BUILDS building or waiting at once: 429 too_busy with Retry-After, the slot given back after', async () => {
    const h = bootTestApp({ path: join(dir, 'limit.db') });
    const job: ExportJob = { layer: 'sites', format: 'csv', meta: { date: TODAY, filters: '' }, sites: {} };
    const results = await Promise.allSettled(Array.from({ length: EXPORT_BUILDS + 1 }, () => buildExportFile(h.db, job)));
    const built = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason as AppError);
    expect(built.length).toBe(EXPORT_BUILDS);
    expect(refused.length).toBe(1);
    expect(refused[0]).toBeInstanceOf(AppError);
    expect(refused[0]).toMatchObject({ status: 429, code: 'too_busy', details: { scope: 'server', limit: EXPORT_BUILDS, retryAfterSeconds: 5 } });
    expect(refused[0]!.headers['Retry-After']).toBe('5');
    for (const r of built) await removeExportFile(r.value);
    // The slots are given back: the next export builds.
    const again = await buildExportFile(h.db, job);
    expect(again.thread).toBe('worker');
    await removeExportFile(again);
    h.db.close();
  });

  it('an in-memory database is exported on the request thread', async () => {
    const h = bootTestApp();
    expect((await buildExportFile(h.db, { layer: 'roads', format: 'geojson', meta: { date: TODAY, filters: '' }, roads: {} })).thread).toBe('main');
  });
});
