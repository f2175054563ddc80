// Ledger import (issue 8): a 100,000-row CSV through the running server — the dry run
// (POST /api/imports: read, judge, stage) and the commit (POST /api/imports/:id/commit: one
// transaction) — with the server process's peak resident memory (VmHWM).
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { CATEGORY_LABELS } from '../../domain/categories.ts';
import { STATUS_LABELS } from '../../domain/statuses.ts';
import { toGcj02 } from '../../server/geo/china-coords.ts';
import type { BenchContext } from '../lib/context.ts';
import { formatBytes, formatMs, median, timingRow, type Row } from '../lib/measure.ts';
import { startServer } from '../lib/server-process.ts';
import { benchSession } from '../lib/session.ts';
import { generateSites } from '../synthetic.ts';

const ROWS = 100_000;
const RUNS = 3;

/** A ledger as a county office keeps it: Chinese headers, GCJ-02 positions copied from Amap, the status as a word. */
export function ledgerCsv(context: Pick<BenchContext, 'fixtures'>, rows = ROWS): Buffer {
  const geography = context.fixtures.geography();
  const countyNames = new Map(geography.counties.map((c) => [c.code, c.name]));
  const lines = ['企业名称,详细地址,经度,纬度,所属县区,类别,整治状态,排查时间'];
  let i = 0;
  for (const site of generateSites(geography, rows)) {
    const [lon, lat] = toGcj02([site.lon, site.lat]);
    const status = site.events[site.events.length - 1]!.to;
    // Numbered names: each row is its own site (the duplicate search still runs over every name).
    lines.push(
      [
        `${site.name}${++i}号`,
        site.address,
        lon.toFixed(6),
        lat.toFixed(6),
        countyNames.get(site.county),
        CATEGORY_LABELS[site.category],
        STATUS_LABELS[status],
        site.discoveredOn,
      ].join(','),
    );
  }
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`);
}

function multipart(file: Buffer, fileName: string, options: object): { body: Buffer; type: string } {
  const boundary = `----sansan${Date.now()}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="options"\r\n\r\n${JSON.stringify(options)}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(fileName)}"\r\nContent-Type: text/csv\r\n\r\n`;
  return { body: Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]), type: `multipart/form-data; boundary=${boundary}` };
}

function post(port: number, path: string, body: Buffer, type: string, token: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': type, 'content-length': body.length, authorization: `Bearer ${token}` },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Peak resident set of a process so far (Linux /proc), bytes. */
function peakRss(pid: number): number {
  const line = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Number(line[1]) * 1024 : NaN;
}

export async function imports(context: BenchContext): Promise<Row[]> {
  const { resources, fixtures, log, root } = context;
  const csv = ledgerCsv(context);
  const upload = multipart(csv, 'ledger-100k.csv', { crs: 'gcj02' });
  const preview: number[] = [];
  const commit: number[] = [];
  const peaks: number[] = [];
  let counts = '';
  for (let run = 0; run < RUNS; run++) {
    const database = fixtures.freshPath(`imports-${run}`);
    const server = await startServer(resources, { root, database, demo: false });
    try {
      const token = benchSession(database);
      const baseline = peakRss(server.pid);
      let started = performance.now();
      const dry = await post(server.port, '/api/imports', upload.body, upload.type, token);
      preview.push(performance.now() - started);
      if (dry.status !== 201) throw new Error(`preview answered ${dry.status}: ${dry.text.slice(0, 300)}`);
      const body = JSON.parse(dry.text) as { id: number; counts: Record<string, number> };
      counts = Object.entries(body.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      started = performance.now();
      const written = await post(server.port, `/api/imports/${body.id}/commit`, Buffer.from('{}'), 'application/json', token);
      commit.push(performance.now() - started);
      if (written.status !== 200) throw new Error(`commit answered ${written.status}: ${written.text.slice(0, 300)}`);
      peaks.push(peakRss(server.pid));
      log(
        `imports run ${run + 1}/${RUNS}: dry run ${formatMs(preview.at(-1)!)}, commit ${formatMs(commit.at(-1)!)}, peak RSS ${formatBytes(peaks.at(-1)!)} (idle ${formatBytes(baseline)}); ${written.text}`,
      );
    } finally {
      await server.stop();
    }
  }
  const size = `${(ROWS / 1000).toFixed(0)},000-row CSV (${formatBytes(csv.length)})`;
  const memory = `server peak RSS ${formatBytes(median(peaks))} (median of ${RUNS} fresh servers)`;
  return [
    timingRow({
      figure: 'import dry run (POST /api/imports)',
      size,
      samples: preview,
      target: { text: '< 10 s', met: (ms) => ms < 10_000 },
      notes: `HTTP multipart upload, GCJ-02 → WGS84, county by polygon, duplicate search, 100,000 staged rows, JSON preview of every row; outcome ${counts}; ${memory}`,
    }),
    timingRow({
      figure: 'import commit (POST /api/imports/:id/commit)',
      size,
      samples: commit,
      target: { text: '< 10 s', met: (ms) => ms < 10_000 },
      notes: `one transaction: every site with its discovered event and the ledger's stated status (R*Tree by trigger; status and feature JSON once per site at the end, their per-row triggers suspended); ${memory}`,
    }),
  ];
}
