// Time from navigation to the first clustered render in headless Chromium (Debian's, through
// playwright-core), read off the page's window.__sansan.firstClusterRenderMs (performance.now() when
// the first non-empty cluster answer was handed to the map, i.e. relative to navigation start).
// Also the bytes the page fetched before that render (all requests, as sent on the wire) and the
// time of the first view's cluster tiles (lastQueryMs: from asking the tiles to drawing them).
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BenchContext } from '../lib/context.ts';
import { formatBytes, formatCount, formatMs, median, NO_TARGET, timingRow, verdict, type Row } from '../lib/measure.ts';
import { startServer } from '../lib/server-process.ts';
import { benchSession, SESSION_COOKIE } from '../lib/session.ts';
import { CHROMIUM_ARGS as BASE_CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/helpers/chromium.ts';
import { VIEWPORT } from './cluster.ts';

export const CHROMIUM = CHROMIUM_PATH;
export const CHROMIUM_ARGS = [
  ...BASE_CHROMIUM_ARGS,
  // Nothing but loopback resolves: the page may not reach the network.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

interface PageSample {
  firstClusterRenderMs: number;
  lastQueryMs: number | null;
  clusters: number;
  /** Resource timings relative to navigation start. */
  entryScriptEndMs: number | null;
  /** Bytes on the wire (transferSize) of the document and every resource finished by the first clustered render. */
  firstViewBytes: number;
  /** Of those, the map's tiles and summary (GET /api/map/sites…). */
  mapBytes: number;
  mapRequests: number;
  offsite: number;
}

interface DebugWindow {
  __sansan?: { firstClusterRenderMs: number | null; lastQueryMs: number | null; clusters: unknown[] };
}

async function measurePage(context: BenchContext, url: string, timeoutMs: number, token: string): Promise<PageSample> {
  const userDataDir = mkdtempSync(join(context.resources.dir, 'chromium-'));
  // The profile goes with the run's temp folder at the latest; removing it early only saves space.
  const removeProfile = context.resources.hold(() => {
    try {
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      // still held by an exiting browser process
    }
  });
  const browser = await chromium
    .launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: VIEWPORT,
      // run.ts's signal handler closes browsers, servers and files in order.
      handleSIGINT: false,
      handleSIGTERM: false,
    })
    .catch(async (error: unknown) => {
      await removeProfile();
      throw error;
    });
  const close = context.resources.hold(async () => {
    await browser.close();
    await removeProfile();
  });
  try {
    let offsite = 0;
    browser.on('request', (request) => {
      if (!request.url().startsWith('http://127.0.0.1:') && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) offsite++;
    });
    await browser.addCookies([{ name: SESSION_COOKIE, value: token, url, httpOnly: true, sameSite: 'Strict' }]);
    const page = browser.pages()[0] ?? (await browser.newPage());
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url, { waitUntil: 'commit' });
    try {
      await page.waitForFunction(() => (window as DebugWindow).__sansan?.firstClusterRenderMs != null, undefined, { timeout: timeoutMs, polling: 50 });
    } catch (error) {
      throw new Error(
        `no clustered render within ${timeoutMs} ms${errors.length ? ` (page error: ${errors[0]})` : ''}: ${(error as Error).message.split('\n')[0]}`,
        { cause: error },
      );
    }
    const sample = await page.evaluate(() => {
      const debug = (window as DebugWindow).__sansan!;
      const firstRender = debug.firstClusterRenderMs!;
      const resources = performance.getEntriesByType('resource').map((entry) => entry as PerformanceResourceTiming);
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const before = resources.filter((entry) => entry.responseEnd <= firstRender);
      const map = before.filter((entry) => entry.name.includes('/api/map/sites'));
      const entry = resources.find((entry) => /\/assets\/index-[^/]*\.js$/.test(entry.name));
      return {
        firstClusterRenderMs: firstRender,
        lastQueryMs: debug.lastQueryMs,
        clusters: debug.clusters.length,
        entryScriptEndMs: entry ? entry.responseEnd : null,
        firstViewBytes: (navigation?.transferSize ?? 0) + before.reduce((sum, e) => sum + e.transferSize, 0),
        mapBytes: map.reduce((sum, e) => sum + e.transferSize, 0),
        mapRequests: map.length,
      };
    });
    return { ...sample, offsite };
  } finally {
    await close();
  }
}

export async function browser(context: BenchContext): Promise<Row[]> {
  const { root, resources, fixtures, log } = context;
  await fixtures.webBuild();
  const cases = [
    { name: 'demo', database: fixtures.demoDatabase(), demo: true, runs: 5, timeoutMs: 60_000 },
    { name: '10^5', database: fixtures.syntheticDatabase(100_000), demo: false, runs: 5, timeoutMs: 180_000 },
    ...(context.big ? [{ name: '10^6', database: fixtures.syntheticDatabase(1_000_000), demo: false, runs: 3, timeoutMs: 180_000 }] : []),
  ];
  let demoMedian: number | null = null;
  const rows: Row[] = [];
  for (const test of cases) {
    const token = benchSession(test.database);
    let server = await startServer(resources, { root, database: test.database, demo: test.demo });
    const samples: PageSample[] = [];
    let restarts = 0;
    try {
      for (let run = 0; run < test.runs; run++) {
        let sample: PageSample;
        try {
          sample = await measurePage(context, `http://127.0.0.1:${server.port}/`, test.timeoutMs, token);
        } catch (error) {
          // On a shared machine someone may stop every `server/main.ts`: start ours again and redo the run.
          await server.exited(1000);
          if (server.exitCode() === null || restarts >= 2) throw error;
          restarts++;
          log(`browser: the server exited (${server.exitCode()}) from outside; starting it again and redoing run ${run + 1}`);
          await server.stop();
          server = await startServer(resources, { root, database: test.database, demo: test.demo });
          run--;
          continue;
        }
        samples.push(sample);
        log(`browser ${test.name}, run ${run + 1}/${test.runs}: first clustered render at ${formatMs(sample.firstClusterRenderMs)}`);
      }
    } finally {
      await server.stop();
    }
    const size = test.name === 'demo' ? `demo (${server.health.sites} sites)` : `${test.name} sites`;
    const at = (pick: (sample: PageSample) => number | null) => formatMs(median(samples.map(pick).filter((v): v is number => v !== null)));
    const offsite = samples.reduce((sum, s) => sum + s.offsite, 0);
    const renders = samples.map((s) => s.firstClusterRenderMs);
    if (test.name === 'demo') demoMedian = median(renders);
    // The cost must not grow with the database: 10^5 within 1.5× the demo's render, 10^6 within 2×.
    const factor = test.name === '10^5' ? 1.5 : 2;
    const relative = demoMedian !== null && test.name !== 'demo';
    const bytes = samples.map((s) => s.firstViewBytes);
    rows.push(
      timingRow({
        figure: 'first clustered render, headless Chromium',
        size,
        samples: renders,
        target:
          test.name === 'demo'
            ? { text: '< 3 s', met: (ms) => ms < 3000 }
            : relative
              ? { text: `≤ ${factor}× demo (${formatMs(factor * demoMedian!)})`, met: (ms) => ms <= factor * demoMedian! }
              : undefined,
        notes:
          `window.__sansan.firstClusterRenderMs (first non-empty cluster answer handed to the map), fresh profile per run, ${VIEWPORT.width}×${VIEWPORT.height}; ` +
          `medians: entry JS loaded ${at((s) => s.entryScriptEndMs)}, first view's tiles asked → drawn ${at((s) => s.lastQueryMs)}; ` +
          `${formatCount(samples[0]?.clusters ?? 0)} clusters drawn; ${offsite} requests off loopback` +
          (restarts ? `; the server was stopped from outside and restarted ${restarts}×, those runs redone` : ''),
      }),
      {
        figure: 'bytes of the first view (all requests, on the wire)',
        size,
        median: formatBytes(median(bytes)),
        runs: String(bytes.length),
        target: test.name === '10^6' ? '≤ 300 KB' : NO_TARGET,
        met: verdict(test.name === '10^6' ? median(bytes) <= 300 * 1024 : null),
        notes: `document, scripts, styles, glyphs and API answers finished by the first clustered render (PerformanceResourceTiming.transferSize); of them the map's summary and tiles: ${samples[0]?.mapRequests ?? 0} requests, ${formatBytes(samples[0]?.mapBytes ?? 0)}`,
      },
    );
  }
  return rows;
}
