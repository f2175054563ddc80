// GET /api/export over HTTP from the real server on the synthetic 10^5-site database (10^6 with
// --big), each format beside `ogr2ogr` writing the same format from a GeoJSON of the same rows (our own
// GeoJSON export, saved first) in the same run; with the bytes of both files, the server's peak RSS
// during the download (sampled from /proc, worker threads included) and ogr2ogr's (GNU time's %M).
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { EXPORT_FORMATS, type ExportFormat } from '../../server/export/download.ts';
import type { BenchContext } from '../lib/context.ts';
import { formatBytes, formatMs, formatSize, median, timingRow, type Row } from '../lib/measure.ts';
import { startServer } from '../lib/server-process.ts';
import { benchSession } from '../lib/session.ts';

/** Each format within this many times ogr2ogr's time (issue 18), and KML within 1.2× its bytes. */
const TIME_RATIO = 1.5;
const KML_BYTES_RATIO = 1.2;

/** ogr2ogr's driver and output name per format (a Shapefile zipped, as ours: GDAL writes `.shp.zip`). */
const OGR: Record<ExportFormat, { driver: string; file: string; options?: string[] }> = {
  csv: { driver: 'CSV', file: 'ogr.csv' },
  xlsx: { driver: 'XLSX', file: 'ogr.xlsx' },
  geojson: { driver: 'GeoJSON', file: 'ogr.geojson' },
  kml: { driver: 'KML', file: 'ogr.kml' },
  shp: { driver: 'ESRI Shapefile', file: 'ogr.shp.zip', options: ['-lco', 'ENCODING=UTF-8'] }, // else it drops the Chinese field names
  gpkg: { driver: 'GPKG', file: 'ogr.gpkg' },
};

const rssOf = (pid: number, field: 'VmRSS' | 'VmHWM'): number => {
  const line = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Number(line[1]) * 1024 : NaN;
};

/** Downloads to `path`, sampling the server's RSS every 20 ms; returns the time and the highest RSS seen. */
async function download(port: number, pid: number, query: string, token: string, path: string): Promise<{ ms: number; peak: number }> {
  let peak = rssOf(pid, 'VmRSS');
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid, 'VmRSS'))), 20);
  const started = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: `/api/export?${query}`, headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`export ${query} answered ${res.statusCode}`));
          res.resume();
          return;
        }
        pipeline(res, createWriteStream(path)).then(resolve, reject);
      });
      req.on('error', reject);
      req.end();
    });
    return { ms: performance.now() - started, peak: Math.max(peak, rssOf(pid, 'VmRSS')) };
  } finally {
    clearInterval(sampler);
  }
}

/** ogr2ogr under GNU time: wall time and peak RSS. */
function ogr2ogr(format: ExportFormat, source: string, dir: string): { ms: number; peak: number; bytes: number } {
  const out = join(dir, OGR[format].file);
  rmSync(out, { force: true });
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%M', 'ogr2ogr', '-f', OGR[format].driver, ...(OGR[format].options ?? []), out, source], { encoding: 'utf8' });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`ogr2ogr -f ${OGR[format].driver}: ${run.stderr.slice(0, 300)}`);
  const kb = Number(run.stderr.trim().split('\n').at(-1));
  return { ms, peak: kb * 1024, bytes: statSync(out).size };
}

export async function exportFigure(context: BenchContext): Promise<Row[]> {
  const { resources, fixtures, log, root } = context;
  const rows: Row[] = [];
  for (const size of context.bigOnly ? [1_000_000] : context.big ? [100_000, 1_000_000] : [100_000]) {
    const database = fixtures.syntheticDatabase(size);
    const token = benchSession(database);
    const server = await startServer(resources, { root, database, demo: false });
    const dir = mkdtempSync(join(tmpdir(), 'sansan-bench-export-'));
    const release = resources.hold(() => rmSync(dir, { recursive: true, force: true }));
    try {
      const runs = size >= 1_000_000 ? 1 : 3;
      // The GeoJSON of the same rows, ogr2ogr's source (also a warm-up of the server and the page cache).
      const source = join(dir, 'source.geojson');
      await download(server.port, server.pid, 'format=geojson', token, source);
      for (const format of EXPORT_FORMATS) {
        const ours: number[] = [];
        const peaks: number[] = [];
        const theirs: number[] = [];
        const theirPeaks: number[] = [];
        let bytes = 0;
        let theirBytes = 0;
        let idle = 0;
        for (let i = 0; i < runs; i++) {
          const path = join(dir, `ours.${format}`);
          idle = rssOf(server.pid, 'VmRSS');
          const got = await download(server.port, server.pid, `format=${format}`, token, path);
          ours.push(got.ms);
          peaks.push(got.peak - idle);
          bytes = statSync(path).size;
          rmSync(path);
          const ogr = ogr2ogr(format, source, dir);
          theirs.push(ogr.ms);
          theirPeaks.push(ogr.peak);
          theirBytes = ogr.bytes;
        }
        const ogrMs = median(theirs);
        const ratio = median(ours) / ogrMs;
        const byteRatio = bytes / theirBytes;
        log(
          `export ${size} ${format}: ${formatMs(median(ours))} vs ogr2ogr ${formatMs(ogrMs)} (${ratio.toFixed(2)}×), ${formatBytes(bytes)} vs ${formatBytes(theirBytes)}`,
        );
        const kml = format === 'kml';
        rows.push(
          timingRow({
            figure: `GET /api/export?format=${format} (HTTP, streamed)`,
            size: formatSize(size),
            samples: ours,
            target: {
              text: `≤ ${TIME_RATIO}× ogr2ogr${kml ? `, ≤ ${KML_BYTES_RATIO}× its bytes` : ''}`,
              met: (ms) => ms / ogrMs <= TIME_RATIO && (!kml || byteRatio <= KML_BYTES_RATIO),
            },
            notes:
              `ogr2ogr -f "${OGR[format].driver}" from the GeoJSON of the same rows ${formatMs(ogrMs)} → ${ratio.toFixed(2)}×; ` +
              `${formatBytes(bytes)} vs ogr's ${formatBytes(theirBytes)} (${byteRatio.toFixed(2)}×); ` +
              `server RSS +${formatBytes(median(peaks))} over idle ${formatBytes(idle)} during the download; ogr2ogr peak RSS ${formatBytes(median(theirPeaks))}`,
          }),
        );
      }
      log(`server peak RSS over the run (VmHWM): ${formatBytes(rssOf(server.pid, 'VmHWM'))}`);
    } finally {
      await server.stop();
      await release();
    }
  }
  return rows;
}
