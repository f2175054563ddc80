// Ledger import (issues 8, 18): a 100,000-row CSV through the running server — the dry run
// (POST /api/imports: read, judge, stage) and the commit (POST /api/imports/:id/commit: one
// transaction) — with the server process's peak resident memory (VmHWM), beside two floors in the
// same run: better-sqlite3 inserting the same rows into a bare table, and `ogr2ogr -f SQLite`.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { parse as parseCsv } from 'csv-parse/sync';
import { request } from 'node:http';
import type { BenchContext } from '../lib/context.ts';
import { formatBytes, formatMs, median, timingRow, verdict, type Row } from '../lib/measure.ts';
import { startServer } from '../lib/server-process.ts';
import { benchSession } from '../lib/session.ts';
import { ledgerCsv } from '../synthetic.ts';

const ROWS = 100_000;
const RUNS = 3;
/** The memory target's file: the row limit, padded to 50 MB (as tests/import-memory.test.ts makes it). */
const BIG_ROWS = 200_000;
const BIG_PAD = 34;

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

/**
 * The floor: the same CSV parsed (csv-parse) and its rows inserted with one prepared statement in one
 * transaction into a bare table of a fresh WAL file (no indexes, triggers, checks or judging).
 */
function sqliteFloor(csv: Buffer, path: string): number {
  const started = performance.now();
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const records = parseCsv(csv, { bom: true, from_line: 2 }) as string[][];
    db.exec('CREATE TABLE ledger (id INTEGER PRIMARY KEY, name TEXT, address TEXT, lon REAL, lat REAL, county TEXT, category TEXT, status TEXT, found TEXT)');
    const insert = db.prepare('INSERT INTO ledger (name, address, lon, lat, county, category, status, found) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const r of records) insert.run(r[0], r[1], Number(r[2]), Number(r[3]), r[4], r[5], r[6], r[7]);
    })();
  } finally {
    db.close();
  }
  return performance.now() - started;
}

/** `ogr2ogr -f SQLite` of the same CSV file (GDAL's CSV driver, its default transactions), or null without GDAL. */
function ogrFloor(csvPath: string, path: string): number | null {
  if (spawnSync('ogr2ogr', ['--version']).status !== 0) return null;
  const started = performance.now();
  const result = spawnSync('ogr2ogr', ['-f', 'SQLite', path, csvPath, '-nln', 'ledger'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ogr2ogr failed: ${result.stderr}`);
  return performance.now() - started;
}

/** CPU time a process has used so far, all its threads (Linux /proc: utime + stime), ms. */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** The CPU time of the calling process spent in `work` (the floor runs in the bench's own process), ms. */
function cpuOf<T>(work: () => T): { value: T; cpu: number } {
  const before = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(before);
  return { value, cpu: (used.user + used.system) / 1000 };
}

/** Peak resident set of a process so far (Linux /proc), bytes. */
function peakRss(pid: number): number {
  const line = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Number(line[1]) * 1024 : NaN;
}

/** One ledger previewed and committed through a fresh server (no demo data): times, its peak RSS and its answers. */
async function importThroughServer(context: BenchContext, name: string, upload: { body: Buffer; type: string }) {
  const database = context.fixtures.freshPath(name);
  const server = await startServer(context.resources, { root: context.root, database, demo: false });
  try {
    const token = benchSession(database);
    const idle = peakRss(server.pid);
    let cpu = cpuMs(server.pid);
    let started = performance.now();
    const dry = await post(server.port, '/api/imports', upload.body, upload.type, token);
    const preview = performance.now() - started;
    const previewCpu = cpuMs(server.pid) - cpu;
    if (dry.status !== 201) throw new Error(`preview answered ${dry.status}: ${dry.text.slice(0, 300)}`);
    const body = JSON.parse(dry.text) as { id: number; counts: Record<string, number> };
    cpu = cpuMs(server.pid);
    started = performance.now();
    const written = await post(server.port, `/api/imports/${body.id}/commit`, Buffer.from('{}'), 'application/json', token);
    const commit = performance.now() - started;
    const commitCpu = cpuMs(server.pid) - cpu;
    if (written.status !== 200) throw new Error(`commit answered ${written.status}: ${written.text.slice(0, 300)}`);
    const counts = Object.entries(body.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    return { preview, commit, previewCpu, commitCpu, idle, peak: peakRss(server.pid), counts, answer: written.text, previewBytes: dry.text.length };
  } finally {
    await server.stop();
  }
}

export async function imports(context: BenchContext): Promise<Row[]> {
  const { fixtures, log } = context;
  const csv = ledgerCsv(fixtures.geography(), ROWS);
  const upload = multipart(csv, 'ledger-100k.csv', { crs: 'gcj02' });
  const preview: number[] = [];
  const commit: number[] = [];
  const peaks: number[] = [];
  const floors: number[] = [];
  const floorCpus: number[] = [];
  const cpus: number[] = [];
  const ogr: number[] = [];
  const csvPath = fixtures.freshPath('imports-ledger').replace(/\.sqlite$/, '.csv');
  writeFileSync(csvPath, csv);
  let counts = '';
  for (let run = 0; run < RUNS; run++) {
    const floor = cpuOf(() => sqliteFloor(csv, fixtures.freshPath(`imports-floor-${run}`)));
    floors.push(floor.value);
    floorCpus.push(floor.cpu);
    const byOgr = ogrFloor(csvPath, fixtures.freshPath(`imports-ogr-${run}`));
    if (byOgr !== null) ogr.push(byOgr);
    const one = await importThroughServer(context, `imports-${run}`, upload);
    preview.push(one.preview);
    commit.push(one.commit);
    peaks.push(one.peak);
    cpus.push(one.previewCpu + one.commitCpu);
    counts = one.counts;
    log(
      `imports run ${run + 1}/${RUNS}: floor ${formatMs(floors.at(-1)!)}${ogr.length ? `, ogr2ogr ${formatMs(ogr.at(-1)!)}` : ''}; dry run ${formatMs(one.preview)} (server CPU ${formatMs(one.previewCpu)}), commit ${formatMs(one.commit)} (CPU ${formatMs(one.commitCpu)}), floor CPU ${formatMs(floor.cpu)}, peak RSS ${formatBytes(one.peak)} (idle ${formatBytes(one.idle)}); ${one.answer}`,
    );
  }
  // The memory target's case, once: a 50 MB ledger at the row limit.
  const bigCsv = ledgerCsv(fixtures.geography(), BIG_ROWS, { pad: BIG_PAD });
  const big = await importThroughServer(context, 'imports-50mb', multipart(bigCsv, 'ledger-200k.csv', { crs: 'gcj02' }));
  log(
    `imports 50 MB: dry run ${formatMs(big.preview)}, commit ${formatMs(big.commit)}, peak RSS ${formatBytes(big.peak)} (idle ${formatBytes(big.idle)}); ${big.answer}`,
  );
  const size = `${(ROWS / 1000).toFixed(0)},000-row CSV (${formatBytes(csv.length)})`;
  const memory = `server peak RSS ${formatBytes(median(peaks))} (median of ${RUNS} fresh servers)`;
  const total = preview.map((ms, i) => ms + commit[i]!);
  const ratio = median(total) / median(floors);
  // CPU time moves far less than wall time with the shared machine's load: the server's (all its threads) against the floor's.
  const cpuRatio = median(cpus) / median(floorCpus);
  return [
    timingRow({
      figure: 'import dry run + commit, beside the floor',
      size,
      samples: total,
      target: { text: '≤ 4× the better-sqlite3 floor', met: () => ratio <= 4 },
      notes: `${ratio.toFixed(1)}× the floor; in CPU time ${cpuRatio.toFixed(1)}× (server ${formatMs(median(cpus))} against the floor's ${formatMs(median(floorCpus))}, medians); runs ${total.map((ms) => formatMs(ms)).join(' / ')}; ${memory} (target ≤ 300 MB for a 50 MB file)`,
    }),
    timingRow({
      figure: 'floor: better-sqlite3 bulk insert of the same rows',
      size,
      samples: floors,
      notes: 'csv-parse + one prepared INSERT per row in one transaction into a bare table (fresh WAL file), same run',
    }),
    ...(ogr.length
      ? [
          timingRow({
            figure: 'floor: ogr2ogr -f SQLite of the same CSV',
            size,
            samples: ogr,
            notes: `${(median(total) / median(ogr)).toFixed(1)}× for the server's dry run + commit; GDAL's CSV driver, attributes only, same run`,
          }),
        ]
      : []),
    {
      figure: 'server peak RSS, 50 MB ledger: dry run + commit',
      size: `${(BIG_ROWS / 1000).toFixed(0)},000-row CSV (${formatBytes(bigCsv.length)})`,
      median: formatBytes(big.peak),
      runs: '1',
      target: '≤ 300 MB',
      met: verdict(big.peak <= 300 * 1024 * 1024),
      notes: `VmHWM of a fresh server (idle ${formatBytes(big.idle)}); dry run ${formatMs(big.preview)}, commit ${formatMs(big.commit)}; preview answer ${formatBytes(big.previewBytes)}`,
    },
    timingRow({
      figure: 'import dry run (POST /api/imports)',
      size,
      samples: preview,
      target: { text: '< 10 s', met: (ms) => ms < 10_000 },
      notes: `HTTP multipart upload, GCJ-02 → WGS84, county by polygon, duplicate search, 100,000 staged rows, the preview answer naming the first 500 rows and the first 500 needing a look; outcome ${counts}; ${memory}`,
    }),
    timingRow({
      figure: 'import commit (POST /api/imports/:id/commit)',
      size,
      samples: commit,
      target: { text: '< 10 s', met: (ms) => ms < 10_000 },
      notes: `one transaction on the import worker thread: every site with its discovered event and the ledger's stated status (status, R*Tree, site_changes and the data version once per commit, their per-row triggers suspended); ${memory}`,
    }),
  ];
}
