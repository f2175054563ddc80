// GET /api/export's work in-process: the site query (listSiteRecords, the filters of /api/sites)
// and the file in each format (server/export/), on the synthetic 10^4 and 10^5-site databases.
import { openDatabase } from '../../server/db/database.ts';
import { buildExport, EXPORT_FORMATS } from '../../server/export/download.ts';
import { siteLayer } from '../../server/export/layers.ts';
import { listSiteRecords } from '../../server/store/site-queries.ts';
import type { BenchContext } from '../lib/context.ts';
import { formatBytes, formatMs, formatSize, median, timingRow, type Row } from '../lib/measure.ts';

/** A download of 10^5 sites should be ready within this (a person waits for it). */
const TARGET_MS = 10_000;

export async function exportFigure(context: BenchContext): Promise<Row[]> {
  const { resources, fixtures, log } = context;
  const rows: Row[] = [];
  for (const size of [10_000, 100_000]) {
    const db = openDatabase(fixtures.syntheticDatabase(size));
    const release = resources.hold(() => db.close());
    try {
      const runs = size >= 100_000 ? 3 : 7;
      const query: number[] = [];
      for (let i = 0; i < runs + 1; i++) {
        const started = performance.now();
        listSiteRecords(db, {});
        if (i > 0) query.push(performance.now() - started);
      }
      rows.push(
        timingRow({
          figure: 'export: site query (listSiteRecords)',
          size: formatSize(size),
          samples: query,
          notes: 'every site with county, township and village names, in id order',
        }),
      );
      for (const format of EXPORT_FORMATS) {
        const samples: number[] = [];
        let bytes = 0;
        for (let i = 0; i < runs + 1; i++) {
          const started = performance.now();
          const file = await buildExport(siteLayer(listSiteRecords(db, {})), format, { date: '2022-12-31', filters: '' });
          const ms = performance.now() - started;
          bytes = typeof file.body === 'string' ? Buffer.byteLength(file.body) : file.body.length;
          if (i > 0) samples.push(ms); // the first run warms up
        }
        log(`export ${size} ${format}: ${formatMs(median(samples))}, ${formatBytes(bytes)}`);
        rows.push(
          timingRow({
            figure: `GET /api/export?format=${format} — in-process`,
            size: formatSize(size),
            samples,
            target: size === 100_000 ? { text: `< ${TARGET_MS / 1000} s`, met: (ms) => ms < TARGET_MS } : undefined,
            notes: `query + file, all sites; ${formatBytes(bytes)}${format === 'shp' ? ' zipped (DEFLATE)' : format === 'xlsx' ? ' (exceljs streaming writer, shared strings)' : ''}`,
          }),
        );
      }
    } finally {
      await release();
    }
  }
  return rows;
}
