// `npm run loadtest` (= `npm run bench -- loadtest`): the real server on the 10^5-site database while
// 20 users each download an export (formats in turn), 2 admins import a 10,000-row ledger
// (preview + commit) and 4 planners each run the analyses (relapse, scorecards for past dates, siege,
// a 500-stop route plan; on the analysis thread, server/services/analysis-pool.ts). Meanwhile a probe asks GET /api/health and a small GET /api/sites?county=…
// every 100 ms and a writer adds a site every second. Clients refused with 429 (the heavy-work
// limits of server/ops/limits.ts) wait the Retry-After and try again, as the page does.
// Figures: p99 and max of the probe's answers, the longest write, the server's peak RSS (VmHWM,
// worker threads included), and how many 429s the limits gave.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATEGORY_LABELS } from '../../domain/categories.ts';
import { DEFAULT_THREAD_HEAP_MB } from '../../server/db/threads.ts';
import { EXPORT_FORMATS } from '../../server/export/download.ts';
import { EXPORT_THREADS } from '../../server/export/export-pool.ts';
import type { Role } from '../../domain/roles.ts';
import type { BenchContext } from '../lib/context.ts';
import { formatCount, formatMs, sleep, verdict, type Row } from '../lib/measure.ts';
import { startServer } from '../lib/server-process.ts';
import { benchSession } from '../lib/session.ts';
import { generateSites, SYNTHETIC_SEED, type SyntheticSite } from '../synthetic.ts';

const SIZE = 100_000;
const EXPORTS = 20;
const IMPORTS = 2;
const IMPORT_ROWS = 10_000;
const ANALYSTS = 4;
/** What each analyst asks, starting at a different one: the cold relapse analysis first for analyst 1. */
const ANALYSES: readonly { name: string; path: string; body?: (analyst: number) => unknown }[] = [
  { name: 'relapse', path: '/api/analysis/relapse?limit=50' },
  { name: 'scorecards 2021-06-30', path: '/api/scorecards?asOf=2021-06-30' },
  { name: 'relapse cellKm=2', path: '/api/analysis/relapse?cellKm=2&limit=50' },
  { name: 'scorecard 411102 2022-03-31', path: '/api/counties/411102/scorecard?asOf=2022-03-31' },
  { name: 'siege vs 2021-01-01', path: '/api/analysis/siege?compareTo=2021-01-01' },
  {
    name: 'route plan, 100 per county',
    path: '/api/routes/plan',
    body: (analyst) => ({ rule: { kind: 'sample', perCounty: 100, seed: analyst }, start: { lon: 114.02, lat: 33.58 } }),
  },
];

/** Sessions of `count` users of `role` named prefix-1… in the database file (made before the server starts). */
const sessions = (path: string, prefix: string, role: Role, count: number) =>
  Array.from({ length: count }, (_, i) => benchSession(path, `${prefix}-${i + 1}`, role));

const percentile = (values: readonly number[], p: number) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

function ledgerCsv(sites: SyntheticSite[], batch: number): string {
  const lines = ['名称,地址,经度,纬度,类别,发现时间'];
  for (const [i, site] of sites.entries())
    lines.push(
      [`负载${batch}-${i}${site.name}`, site.address, site.lon.toFixed(6), site.lat.toFixed(6), CATEGORY_LABELS[site.category], site.discoveredOn].join(','),
    );
  return lines.join('\n');
}

export async function loadtest(context: BenchContext): Promise<Row[]> {
  const { resources, fixtures, log, root } = context;
  const database = fixtures.syntheticDatabase(SIZE);
  const exporters = sessions(database, 'load-viewer', 'viewer', EXPORTS);
  const [writerToken, ...importers] = sessions(database, 'load-admin', 'admin', 1 + IMPORTS);
  const analysts = sessions(database, 'load-planner', 'planner', ANALYSTS);
  // The request log goes to a file (read by the bench process it would take the clients' CPU); its errors are logged at the end.
  const server = await startServer(resources, { root, database, demo: false, outputFile: join(resources.dir, 'loadtest-server.log') });
  const base = `http://127.0.0.1:${server.port}`;
  const county = '411102';
  let refused = 0;
  let resent = 0;
  /** fetch, sent once more when a kept-alive socket was closed by the server just as it was reused (nothing reached it). */
  const call = async (url: string, init?: RequestInit): Promise<Response> => {
    try {
      return await fetch(url, init);
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw error;
      resent++;
      return fetch(url, init);
    }
  };

  /** A request that waits out 429s (Retry-After) as the page does. */
  async function heavy(token: string, path: string, init: RequestInit = {}): Promise<Response> {
    for (;;) {
      const response = await call(base + path, {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
      });
      if (response.status !== 429) return response;
      refused++;
      await response.arrayBuffer();
      await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
    }
  }

  const ledgerSites = [...generateSites(fixtures.geography(), IMPORT_ROWS * IMPORTS + 50, SYNTHETIC_SEED + 99)];
  const health: number[] = [];
  const small: number[] = [];
  const writes: number[] = [];
  const failures: string[] = [];
  let running = true;
  const started = performance.now();

  /** Runs `work`; a failure is counted and logged when it happens, with its cause (fetch's own message says only "fetch failed"). */
  const guarded = (name: string, work: () => Promise<void>) =>
    work().catch((error: unknown) => {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const text = `${name}: ${(error as Error).message}${cause ? ` (${cause.code ?? ''} ${cause.message ?? ''})`.replace('( ', '(') : ''}`;
      failures.push(text);
      log(`loadtest: failed after ${formatMs(performance.now() - started)}: ${text}`);
    });
  const probe = guarded('probe', async () => {
    while (running) {
      for (const [path, samples, token] of [
        ['/api/health', health, null],
        [`/api/sites?county=${county}&limit=20`, small, writerToken],
      ] as const) {
        const started = performance.now();
        const response = await call(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
        await response.arrayBuffer();
        samples.push(performance.now() - started);
        if (response.status !== 200) failures.push(`${path} ${response.status}`);
      }
      await sleep(100);
    }
  });

  const writer = guarded('writer', async () => {
    let i = 0;
    while (running) {
      const site = ledgerSites[IMPORT_ROWS * IMPORTS + (i % 50)]!;
      const started = performance.now();
      const response = await call(`${base}/api/sites`, {
        method: 'POST',
        headers: { authorization: `Bearer ${writerToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `负载写入${i++}`, category: site.category, lon: site.lon, lat: site.lat, discoveredOn: '2022-06-01' }),
      });
      await response.arrayBuffer();
      writes.push(performance.now() - started);
      if (response.status !== 201) failures.push(`POST /api/sites ${response.status}`);
      await sleep(1000);
    }
  });

  // The server's RSS every 250 ms, with what was running then: where the peak comes from.
  const inFlight = { exports: 0, imports: 0, analyses: 0 };
  let peakSample = { mb: 0, at: 0, exports: 0, imports: 0, analyses: 0 };
  const rssTimeline: number[] = [];
  const sampler = setInterval(() => {
    const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? NaN);
    rssTimeline.push(rssKb / 1024);
    if (rssKb / 1024 > peakSample.mb) peakSample = { mb: rssKb / 1024, at: performance.now() - started, ...inFlight };
  }, 250);
  /** Counts `work` in `inFlight[kind]` while it runs. */
  const counted = async <T>(kind: keyof typeof inFlight, work: () => Promise<T>): Promise<T> => {
    inFlight[kind]++;
    try {
      return await work();
    } finally {
      inFlight[kind]--;
    }
  };
  const exportTimes: number[] = [];
  const exportJobs = exporters.map((token, i) =>
    guarded(`export ${i + 1}`, async () => {
      const format = EXPORT_FORMATS[i % EXPORT_FORMATS.length]!;
      const t = performance.now();
      const { response, bytes } = await counted('exports', async () => {
        const answer = await heavy(token, `/api/export?format=${format}`);
        return { response: answer, bytes: (await answer.arrayBuffer()).byteLength };
      });
      exportTimes.push(performance.now() - t);
      if (response.status !== 200) failures.push(`export ${format} ${response.status}`);
      log(`loadtest: export ${i + 1} (${format}) ${response.status}, ${formatCount(bytes)} bytes after ${formatMs(performance.now() - t)}`);
    }),
  );
  const importJobs = importers.map((token, i) =>
    guarded(`import ${i + 1}`, async () => {
      const form = new FormData();
      form.append('file', new File([ledgerCsv(ledgerSites.slice(i * IMPORT_ROWS, (i + 1) * IMPORT_ROWS), i + 1)], `负载台账${i + 1}.csv`));
      form.append('options', JSON.stringify({ crs: 'wgs84' }));
      const { preview, body } = await counted('imports', async () => {
        const answer = await heavy(token, '/api/imports', { method: 'POST', body: form });
        return { preview: answer, body: (await answer.json()) as { id?: number; counts?: Record<string, number> } };
      });
      if (preview.status !== 201) return void failures.push(`import preview ${preview.status}`);
      const { commit, written } = await counted('imports', async () => {
        const answer = await heavy(token, `/api/imports/${body.id}/commit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        return { commit: answer, written: await answer.text() };
      });
      if (commit.status !== 200) failures.push(`import commit ${commit.status}`);
      log(`loadtest: import ${i + 1} committed (${commit.status}) ${written.slice(0, 80)}`);
    }),
  );
  const analysisTimes: number[] = [];
  const analysisJobs = analysts.map((token, i) =>
    guarded(`analyst ${i + 1}`, async () => {
      for (let k = 0; k < ANALYSES.length; k++) {
        const { name, path, body } = ANALYSES[(i + k) % ANALYSES.length]!;
        const t = performance.now();
        const init: RequestInit = body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body(i + 1)) } : {};
        const response = await counted('analyses', async () => {
          const answer = await heavy(token, path, init);
          await answer.arrayBuffer();
          return answer;
        });
        analysisTimes.push(performance.now() - t);
        if (response.status !== 200) failures.push(`${name} ${response.status}`);
        log(`loadtest: analyst ${i + 1} ${name} ${response.status} after ${formatMs(performance.now() - t)}`);
      }
    }),
  );
  await Promise.all([...exportJobs, ...importJobs, ...analysisJobs]);
  const wall = performance.now() - started;
  clearInterval(sampler);
  running = false;
  await Promise.all([probe, writer]);
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  await server.stop();
  const serverErrors = server
    .output()
    .split('\n')
    .filter((line) => line.trim() && (!line.startsWith('{') || /"level":(50|60)/.test(line)));
  for (const line of serverErrors.slice(0, 20)) log(`loadtest: server said: ${line.slice(0, 400)}`);
  // SANSAN_LOADTEST_LOG=FILE keeps the server's whole output (the request log) for a closer look.
  if (process.env.SANSAN_LOADTEST_LOG) writeFileSync(process.env.SANSAN_LOADTEST_LOG, server.output());

  const sizeText = `10^5 sites; ${EXPORTS} exports + ${IMPORTS} imports of ${formatCount(IMPORT_ROWS)} rows + ${ANALYSTS}×${ANALYSES.length} analyses`;
  const common = `load ran ${formatMs(wall)}; ${refused} answers 429 (waited out), ${resent} requests resent after a kept-alive socket closed; exports took ${formatMs(percentile(exportTimes, 50))} median, ${formatMs(Math.max(...exportTimes))} longest${failures.length ? `; failures: ${failures.slice(0, 3).join(', ')}` : ''}`;
  const latencyRow = (figure: string, samples: number[]): Row => {
    const p99 = percentile(samples, 99);
    return {
      figure,
      size: sizeText,
      median: `p99 ${formatMs(p99)}`,
      runs: String(samples.length),
      target: 'p99 ≤ 500 ms',
      met: verdict(p99 <= 500),
      notes: `median ${formatMs(percentile(samples, 50))}, max ${formatMs(Math.max(...samples))}; ${common}`,
    };
  };
  return [
    latencyRow('load test: GET /api/health while exports, imports and analyses run', health),
    latencyRow(`load test: GET /api/sites?county=${county}&limit=20 while exports, imports and analyses run`, small),
    {
      figure: 'load test: longest write (POST /api/sites, one a second)',
      size: sizeText,
      median: `max ${formatMs(Math.max(...writes))}`,
      runs: String(writes.length),
      target: 'max ≤ 2 s',
      met: verdict(Math.max(...writes) <= 2000),
      notes: `p99 ${formatMs(percentile(writes, 99))}, median ${formatMs(percentile(writes, 50))}`,
    },
    {
      figure: 'load test: server peak RSS (VmHWM, worker threads included)',
      size: sizeText,
      median: `${(peakKb / 1024).toFixed(0)} MB`,
      runs: '1',
      target: '< 1.5 GB',
      met: verdict(peakKb < 1.5 * 1024 * 1024),
      notes: `peak sampled ${peakSample.mb.toFixed(0)} MB at ${formatMs(peakSample.at)} with ${peakSample.exports} exports, ${peakSample.imports} imports, ${peakSample.analyses} analyses asked; RSS median ${percentile(rssTimeline, 50).toFixed(0)} MB over the run; exports on ${EXPORT_THREADS} worker threads, analyses on 1; heap caps ${JSON.stringify(DEFAULT_THREAD_HEAP_MB)} MB (server/db/threads.ts); at most 2 heavy requests per user and 4 in all`,
    },
    {
      figure: 'load test: analyses alongside (relapse, scorecards for past dates, siege, 500-stop route plan), each from its request to its answer',
      size: sizeText,
      median: formatMs(percentile(analysisTimes, 50)),
      runs: String(analysisTimes.length),
      target: '—',
      met: '—',
      notes: `longest ${formatMs(Math.max(...analysisTimes))}, 429s waited out included; one analysis thread: they queue behind each other there`,
    },
  ];
}
