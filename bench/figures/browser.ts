// Time from navigation to the first clustered render in headless Chromium (Debian's, through
// playwright-core), read off the page's window.__sansan.firstClusterRenderMs (performance.now() when
// the first non-empty cluster answer was handed to the map, i.e. relative to navigation start).
// Also every request of the first view (the page signed in by a cookie set before navigation, so
// the sign-in page is not part of it) with its bytes on the wire, until the network has been quiet
// for 500 ms after that render; the time of the first view's cluster tiles (lastQueryMs: from asking
// the tiles to drawing them); and pan/zoom: seeded jumps of the map, each timed from the jump (its
// `moveend` fires within it, the page's own moveend work included) to the new view's clusters
// handed to the map, and to the start of the next frame after that (when they are painted).
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { BenchContext } from '../lib/context.ts';
import { formatBytes, formatCount, formatMs, median, NO_TARGET, timingRow, verdict, type Row } from '../lib/measure.ts';
import { startServer } from '../lib/server-process.ts';
import { benchSession, SESSION_COOKIE } from '../lib/session.ts';
import { CHROMIUM_ARGS as BASE_CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/helpers/chromium.ts';
import { p95, panZoomViews, VIEWPORT } from './cluster.ts';

export const CHROMIUM = CHROMIUM_PATH;
export const CHROMIUM_ARGS = [
  ...BASE_CHROMIUM_ARGS,
  // Nothing but loopback resolves: the page may not reach the network.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

/** One request of the first view, as Chromium's network stack saw it (the map's worker included). */
export interface FirstViewRequest {
  /** Path and query, the content hash of an asset's name kept. */
  path: string;
  type: string;
  status: number;
  encoding: string;
  /** Response body bytes as received (compressed when the server compressed) and response headers. */
  bodyBytes: number;
  headerBytes: number;
  /** Finished before the first clustered render. */
  beforeRender: boolean;
  /** When the response ended, ms after navigation started (wall clock, ±a few ms). */
  endMs: number;
}

interface PanZoomSample {
  /** The jump (moveend within it) → the new view's clusters handed to the map. */
  totalMs: number;
  /** Of that, asking the view's tiles → handing them to the map (lastQueryMs). */
  tilesMs: number;
  /** The jump → the next animation frame after the hand-over (the markers are painted in it). */
  frameMs: number;
}

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
  requests: FirstViewRequest[];
  panZoom: PanZoomSample[];
}

interface DebugWindow {
  __sansan?: {
    firstClusterRenderMs: number | null;
    lastQueryMs: number | null;
    clusters: unknown[];
    renders: number;
    map: { jumpTo(options: { center: [number, number]; zoom: number }): void; once(event: string, listener: () => void): void } | null;
    recordClusters(...args: unknown[]): void;
  };
}

/** Jumps the map to each view in turn and times the jump (moveend) → the new view's clusters handed to the map. */
async function panAndZoom(page: Page, views: { center: [number, number]; zoom: number }[], timeoutMs: number): Promise<PanZoomSample[]> {
  const samples: PanZoomSample[] = [];
  for (const view of views) {
    samples.push(
      await page.evaluate(
        ({ view, timeoutMs }) =>
          new Promise<PanZoomSample>((done, fail) => {
            const debug = (window as DebugWindow).__sansan!;
            const map = debug.map!;
            let movedAt: number | null = null;
            const record = debug.recordClusters;
            const timer = setTimeout(() => {
              debug.recordClusters = record;
              fail(new Error(`no clusters within ${timeoutMs} ms after moving to ${JSON.stringify(view)}`));
            }, timeoutMs);
            // MapView calls debugState.recordClusters right after map.setClusters: the view's clusters are on the map.
            debug.recordClusters = function (...args: unknown[]) {
              record.apply(this, args);
              if (movedAt === null) return;
              const drawnAt = performance.now();
              const tilesMs = debug.lastQueryMs ?? NaN;
              debug.recordClusters = record;
              clearTimeout(timer);
              requestAnimationFrame(() => done({ totalMs: drawnAt - movedAt!, tilesMs, frameMs: performance.now() - movedAt! }));
            };
            // jumpTo fires moveend before it returns, and the page asks the view's tiles in its moveend
            // handler: the clock starts before the jump, so the page's own moveend work counts.
            let moved = false;
            map.once('moveend', () => (moved = true));
            const jumpAt = performance.now();
            map.jumpTo(view);
            if (!moved) {
              clearTimeout(timer);
              debug.recordClusters = record;
              fail(new Error(`no moveend within jumpTo(${JSON.stringify(view)})`));
              return;
            }
            movedAt = jumpAt;
          }),
        { view, timeoutMs },
      ),
    );
  }
  return samples;
}

/** One page load's jumps: their p95 and the slowest few (jump number, 1-based: ms), to see which jumps the p95 comes from. */
function slowestJumps(jumps: PanZoomSample[]): string {
  const slowest = jumps
    .map((jump, i) => ({ i: i + 1, ms: jump.totalMs }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5);
  return `p95 ${formatMs(p95(jumps.map((m) => m.totalMs)))}, slowest #${slowest.map(({ i, ms }) => `${i} ${formatMs(ms)}`).join(', #')}`;
}

/** The path of a request URL (query kept), or the URL itself when it is not on the server. */
function requestPath(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol.startsWith('http') ? parsed.pathname + parsed.search : `${parsed.protocol}…`;
  } catch {
    return url;
  }
}

async function measurePage(context: BenchContext, url: string, timeoutMs: number, token: string, panZoomCount = 0): Promise<PageSample> {
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
    // Every request the page and its workers make, with its sizes once finished.
    let rendered = false;
    let navigatedAt = Date.now();
    const finished: Promise<FirstViewRequest | null>[] = [];
    browser.on('requestfinished', (request) => {
      const beforeRender = !rendered;
      finished.push(
        (async () => {
          const [sizes, response] = await Promise.all([request.sizes(), request.response()]);
          if (!response) return null;
          return {
            path: requestPath(request.url()),
            type: request.resourceType(),
            status: response.status(),
            encoding: (await response.headerValue('content-encoding')) ?? '',
            // Chromium reports no body size for a worker's own script: its Content-Length is what was sent.
            bodyBytes: Math.max(sizes.responseBodySize, Number((await response.headerValue('content-length')) ?? 0)),
            endMs: request.timing().startTime + request.timing().responseEnd - navigatedAt,
            headerBytes: sizes.responseHeadersSize,
            beforeRender,
          };
        })().catch(() => null),
      );
    });
    await browser.addCookies([{ name: SESSION_COOKIE, value: token, url, httpOnly: true, sameSite: 'Strict' }]);
    const page = browser.pages()[0] ?? (await browser.newPage());
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    navigatedAt = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    try {
      await page.waitForFunction(() => (window as DebugWindow).__sansan?.firstClusterRenderMs != null, undefined, { timeout: timeoutMs, polling: 50 });
    } catch (error) {
      throw new Error(
        `no clustered render within ${timeoutMs} ms${errors.length ? ` (page error: ${errors[0]})` : ''}: ${(error as Error).message.split('\n')[0]}`,
        { cause: error },
      );
    }
    rendered = true;
    const sample = await page.evaluate(() => {
      const debug = (window as DebugWindow).__sansan!;
      const firstRender = debug.firstClusterRenderMs!;
      const resources = performance.getEntriesByType('resource').map((entry) => entry as PerformanceResourceTiming);
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const before = resources.filter((entry) => entry.responseEnd <= firstRender);
      const entry = resources.find((entry) => /\/assets\/index-[^/]*\.js$/.test(entry.name));
      return {
        firstClusterRenderMs: firstRender,
        lastQueryMs: debug.lastQueryMs,
        clusters: debug.clusters.length,
        entryScriptEndMs: entry ? entry.responseEnd : null,
        firstViewBytes: (navigation?.transferSize ?? 0) + before.reduce((sum, e) => sum + e.transferSize, 0),
      };
    });
    // The first view is done when the network has been quiet for 500 ms (roads, labels, glyphs after the render).
    await page.waitForLoadState('networkidle', { timeout: timeoutMs }).catch(() => undefined);
    const requests = (await Promise.all(finished)).filter((r): r is FirstViewRequest => r !== null);
    // The map's summary and tiles by the render, from the network stack: the page fetches its tiles
    // in a worker, whose requests the page's PerformanceResourceTiming does not list.
    const map = requests.filter((r) => r.beforeRender && r.path.startsWith('/api/map/sites'));
    const mapBytes = map.reduce((sum, r) => sum + r.bodyBytes + r.headerBytes, 0);
    const panZoom = panZoomCount > 0 ? await panAndZoom(page, panZoomViews(panZoomCount), timeoutMs) : [];
    return { ...sample, mapBytes, mapRequests: map.length, offsite, requests, panZoom };
  } finally {
    await close();
  }
}

/** Seeded pan/zoom jumps per page load (10^5 and 10^6). */
const PAN_ZOOM_VIEWS = 40;

/** One row per request of a first view, the largest first, content hashes kept in the names. */
function requestRows(requests: readonly FirstViewRequest[], size: string): Row[] {
  return [...requests]
    .sort((a, b) => b.bodyBytes + b.headerBytes - (a.bodyBytes + a.headerBytes))
    .map((r) => ({
      figure: `first view request: ${r.path.length > 70 ? `${r.path.slice(0, 69)}…` : r.path}`,
      size,
      median: formatBytes(r.bodyBytes + r.headerBytes),
      runs: '1',
      target: NO_TARGET,
      met: '—',
      notes: `${r.type}, ${r.status}, ${r.encoding || 'not compressed'}; body ${formatBytes(r.bodyBytes)} + headers ${formatBytes(r.headerBytes)}; done at ${formatMs(r.endMs)}${r.beforeRender ? '' : ', after the first clustered render'}`,
    }));
}

export async function browser(context: BenchContext): Promise<Row[]> {
  const { root, resources, fixtures, log } = context;
  await fixtures.webBuild();
  // --big-only: the 10^6 page loads alone (first render, bytes and pan/zoom; no demo ratio), a few minutes instead of ~33.
  const cases = [
    ...(context.bigOnly
      ? []
      : [
          { name: 'demo', database: fixtures.demoDatabase(), demo: true, runs: 5, timeoutMs: 60_000, panZoom: 0 },
          { name: '10^5', database: fixtures.syntheticDatabase(100_000), demo: false, runs: 5, timeoutMs: 180_000, panZoom: PAN_ZOOM_VIEWS },
        ]),
    ...(context.big
      ? [{ name: '10^6', database: fixtures.syntheticDatabase(1_000_000), demo: false, runs: 3, timeoutMs: 180_000, panZoom: PAN_ZOOM_VIEWS }]
      : []),
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
          sample = await measurePage(context, `http://127.0.0.1:${server.port}/`, test.timeoutMs, token, test.panZoom);
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
        if (sample.panZoom.length > 0) log(`browser ${test.name}, run ${run + 1}/${test.runs}: pan/zoom ${slowestJumps(sample.panZoom)}`);
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
    const wire = (r: FirstViewRequest) => r.bodyBytes + r.headerBytes;
    const totals = samples.map((s) => s.requests.reduce((sum, r) => sum + wire(r), 0));
    const byRender = samples.map((s) => s.requests.filter((r) => r.beforeRender).reduce((sum, r) => sum + wire(r), 0));
    const last = test === cases[cases.length - 1];
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
        median: formatBytes(median(totals)),
        runs: String(totals.length),
        target: test.name === '10^6' ? '≤ 300 KB' : NO_TARGET,
        met: verdict(test.name === '10^6' ? median(totals) <= 300 * 1024 : null),
        notes:
          `every response (body as received + headers, Chromium's network stack incl. the map's worker) from navigation until the network is quiet 500 ms after the first clustered render, signed in by cookie (no sign-in page); ` +
          `median ${formatCount(median(samples.map((s) => s.requests.length)))} requests; finished by the render ${formatBytes(median(byRender))} ` +
          `(PerformanceResourceTiming.transferSize of the page: ${formatBytes(median(bytes))}); the map's summary and tiles (body + headers, the tile worker's included): ${samples[0]?.mapRequests ?? 0} requests, ${formatBytes(samples[0]?.mapBytes ?? 0)}`,
      },
    );
    const moves = samples.flatMap((s) => s.panZoom);
    if (moves.length > 0) {
      const totalP95 = p95(moves.map((m) => m.totalMs));
      rows.push({
        figure: 'pan/zoom: moveend → the new view’s clusters drawn, headless Chromium',
        size,
        median: formatMs(totalP95),
        runs: String(moves.length),
        target: test.name === '10^6' ? 'p95 ≤ 150 ms' : NO_TARGET,
        met: verdict(test.name === '10^6' ? totalP95 <= 150 : null),
        notes:
          `p95 over ${test.panZoom} seeded jumps per page load (panZoomViews: zoom 9–15 around the city seat; the median column shows the p95), each from map.jumpTo (MapLibre's moveend fires within it) to MapView handing the view's tiles to the map; ` +
          `median ${formatMs(median(moves.map((m) => m.totalMs)))}; of it the tiles asked (in MapView's moveend handler) → handed to the map: p95 ${formatMs(p95(moves.map((m) => m.tilesMs)))}, median ${formatMs(median(moves.map((m) => m.tilesMs)))}; ` +
          `to the start of the next frame after the hand-over (the markers painted in it): p95 ${formatMs(p95(moves.map((m) => m.frameMs)))}, median ${formatMs(median(moves.map((m) => m.frameMs)))}; ` +
          `by page load (the first starts right after the server, beside its start-up warm-up): ${samples.map((s) => slowestJumps(s.panZoom)).join('; ')}`,
      });
    }
    // The first view's requests, one row each, for the largest database measured (its first run).
    if (last && samples[0]) rows.push(...requestRows(samples[0].requests, size));
  }
  return rows;
}
