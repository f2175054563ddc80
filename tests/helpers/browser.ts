// Browser-test driver: one server on a fresh demo database and one headless Debian Chromium per
// `describe`, plus the few things the tests read off the page (window.__sansan) or ask the API.
// Every request that leaves 127.0.0.1/localhost is blocked and recorded, so a test can assert
// that the map needs no network beyond its own server.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ServerType } from '@hono/node-server';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { bootDatabase } from '../../server/bootstrap.ts';
import { createServer, listen } from '../../server/server.ts';
import type { Db } from '../../server/db/database.ts';
import type { ClusterFeature } from '../../domain/cluster-index.ts';
import type { CountyFeature, SiteCollection } from './app.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';
import type { Role } from '../../server/auth/roles.ts';
import type { AppContext } from '../../server/context.ts';
import { signInUser } from './app.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SCREENSHOT_DIR = resolve(ROOT, 'test-results/screenshots');
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** What the page exposes for tests (web/state/debug.ts). */
interface SansanDebug {
  map: MapLibreMap | null;
  clusters: ClusterFeature[];
  renders: number;
}
type DebugWindow = Window & { __sansan?: SansanDebug };

interface DriverOptions {
  viewport?: { width: number; height: number };
  /**
   * Who the page is signed in as (a session cookie set before the first page load): admin by
   * default; `null` to start signed out (the sign-in page).
   */
  user?: { role: Role; counties?: string[] } | null;
  /** A phone: touch, mobile viewport meta honoured. */
  mobile?: boolean;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export class MapDriver {
  baseUrl = '';
  page!: Page;
  context!: BrowserContext;
  /** Requests to any host but this machine, in order; each was blocked. */
  readonly offHost: string[] = [];
  /** Local requests answered 4xx/5xx (or failed), e.g. a missing glyph range. */
  readonly localFailures: string[] = [];
  /** Uncaught exceptions in the page. */
  readonly pageErrors: string[] = [];
  private db: Db | null = null;
  /** The database file behind the server (npm run basemap works on it). */
  dbPath = '';
  private ctx: AppContext | null = null;
  /** The bearer token of the signed-in user, for api(). */
  private token: string | null = null;
  private server: ServerType | null = null;
  private readonly temporary: string[] = [];

  constructor(private readonly options: DriverOptions = {}) {}

  async start(): Promise<void> {
    const dataDir = mkdtempSync(join(tmpdir(), 'sansan-browser-db-'));
    this.temporary.push(dataDir);
    this.dbPath = join(dataDir, 'sansan.db');
    const { db, ctx } = bootDatabase(this.dbPath, { demo: true });
    this.db = db;
    this.ctx = ctx;
    const app = createServer(ctx, { webRoot: resolve(ROOT, 'dist/web') });
    const port = await new Promise<number>((ready) => {
      this.server = listen(ctx, app, { port: 0, hostname: '127.0.0.1' }, (info) => ready(info.port));
    });
    this.baseUrl = `http://127.0.0.1:${port}`;

    const profile = mkdtempSync(join(tmpdir(), 'sansan-browser-profile-'));
    this.temporary.push(profile);
    const mobile = this.options.mobile ?? false;
    this.context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: this.options.viewport ?? { width: 1280, height: 800 },
      // Device pixel ratio 1 keeps software WebGL fast; layout is in CSS pixels either way.
      ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 1 } : {}),
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    await this.context.route('**/*', (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      if (!this.offHost.includes(url)) this.offHost.push(url);
      return route.abort('blockedbyclient');
    });
    // Anything the router did not see (a worker, a preconnect) still shows up here.
    this.context.on('request', (request) => {
      const url = request.url();
      if (!isLocal(url) && !this.offHost.includes(url)) this.offHost.push(url);
    });
    this.context.on('response', (response) => {
      if (isLocal(response.url()) && response.status() >= 400) this.localFailures.push(`${response.status()} ${response.url()}`);
    });
    this.context.on('requestfailed', (request) => {
      if (isLocal(request.url())) this.localFailures.push(`${request.failure()?.errorText ?? 'failed'} ${request.url()}`);
    });
    const user = this.options.user === undefined ? { role: 'admin' as const } : this.options.user;
    if (user) await this.signInAs(user.role, user.counties ?? []);
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
    this.page.on('pageerror', (error) => this.pageErrors.push(error.message));
  }

  async close(): Promise<void> {
    await this.context?.close().catch(() => undefined);
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
    this.db?.close();
    for (const dir of this.temporary) rmSync(dir, { recursive: true, force: true });
  }

  /** Makes a user of this role (username role-counties, password TEST_PASSWORD) and sets its session cookie. */
  async signInAs(role: Role, counties: readonly string[] = []): Promise<string> {
    const username = [role, ...counties].join('-');
    const token = signInUser(this.db!, this.ctx!.countyCodes, username, role, counties, this.ctx!.sessions);
    this.token ??= token;
    await this.context.addCookies([{ name: 'sansan_session', value: token, url: this.baseUrl, httpOnly: true, sameSite: 'Strict' }]);
    return username;
  }

  /** The database behind the server (for fixtures a test plants). */
  get database(): Db {
    return this.db!;
  }

  /** POST/PUT/PATCH to the same server as an admin (bearer token), as JSON. */
  async send<T>(method: string, path: string, body: unknown): Promise<T> {
    const token = signInUser(this.db!, this.ctx!.countyCodes, 'admin', 'admin', [], this.ctx!.sessions);
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** GET from the same server, as JSON (signed in as the driver's first user, or an admin). */
  async api<T>(path: string): Promise<T> {
    this.token ??= signInUser(this.db!, this.ctx!.countyCodes, 'admin', 'admin', [], this.ctx!.sessions);
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { Authorization: `Bearer ${this.token}` } });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Opens the page with a query string (e.g. `?category=sand_yard`) and waits for the first clusters. */
  async openMap(query = '', { waitForClusters = true } = {}): Promise<void> {
    this.localFailures.length = 0;
    await this.page.goto(`${this.baseUrl}/${query}`);
    if (waitForClusters) await this.waitForClusters();
  }

  /** The page's query string as parsed parameters. */
  urlParams(): URLSearchParams {
    return new URL(this.page.url()).searchParams;
  }

  async renders(): Promise<number> {
    return this.page.evaluate(() => (window as DebugWindow).__sansan?.renders ?? 0);
  }

  /**
   * Waits until a cluster render newer than `after` has happened, the map has stopped moving and
   * no further render arrives for a moment; returns the features last drawn. (The canvas may still
   * be painting: call waitForMapIdle before reading pixels or rendered labels.)
   */
  async waitForClusters(after = 0): Promise<ClusterFeature[]> {
    await this.page.waitForFunction((previous) => ((window as DebugWindow).__sansan?.renders ?? 0) > previous, after, { timeout: 15_000 });
    // Settled: the map is not moving and no newer render arrives for a moment.
    let seen = -1;
    for (let attempt = 0; attempt < 50; attempt++) {
      const now = await this.page.evaluate(() => {
        const debug = (window as DebugWindow).__sansan;
        return debug?.map?.isMoving() ? -1 : (debug?.renders ?? 0);
      });
      if (now !== -1 && now === seen) break;
      seen = now;
      await sleep(150);
    }
    return this.clusters();
  }

  /** Resolves after the map has drawn a frame with everything loaded and nothing moving. */
  async waitForMapIdle(): Promise<void> {
    await this.page.evaluate(
      () =>
        new Promise<void>((done) => {
          const map = (window as DebugWindow).__sansan?.map;
          if (!map) return done();
          map.once('idle', () => done());
          map.triggerRepaint();
        }),
    );
  }

  async clusters(): Promise<ClusterFeature[]> {
    return this.page.evaluate(() => (window as DebugWindow).__sansan?.clusters ?? []);
  }

  /** Sum of drawn counts per county (clusters and single sites alike). */
  async clusterTotalsByCounty(): Promise<Record<string, number>> {
    return totalsByCounty(await this.clusters());
  }

  async zoom(): Promise<number> {
    return this.page.evaluate(() => (window as DebugWindow).__sansan?.map?.getZoom() ?? NaN);
  }

  /** The map's visible bounds [west, south, east, north]. */
  async bounds(): Promise<[number, number, number, number]> {
    return this.page.evaluate(() => {
      const bounds = (window as DebugWindow).__sansan!.map!.getBounds();
      return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()] as [number, number, number, number];
    });
  }

  /** Page pixel of a map position, and whether the map canvas (not a marker or panel) is on top there. */
  async pixelOf(lngLat: [number, number]): Promise<{ x: number; y: number; canvasOnTop: boolean }> {
    return this.page.evaluate((position) => {
      const map = (window as DebugWindow).__sansan!.map!;
      const point = map.project(position);
      const rect = map.getCanvas().getBoundingClientRect();
      const x = rect.left + point.x;
      const y = rect.top + point.y;
      const inside = point.x > 4 && point.y > 4 && point.x < rect.width - 4 && point.y < rect.height - 4;
      return { x, y, canvasOnTop: inside && document.elementFromPoint(x, y) === map.getCanvas() };
    }, lngLat);
  }

  /** Names the map actually placed as county labels. */
  async renderedCountyLabels(): Promise<string[]> {
    return this.page.evaluate(() => {
      const map = (window as DebugWindow).__sansan!.map!;
      const labels = map.queryRenderedFeatures({ layers: ['county-label'] }).map((f) => String(f.properties.label));
      return [...new Set(labels)].sort();
    });
  }

  /** Number of county polygons in the map's counties source. */
  async countyPolygonsOnMap(): Promise<number> {
    return this.page.evaluate(() => {
      const map = (window as DebugWindow).__sansan!.map!;
      return new Set(map.querySourceFeatures('counties').map((f) => f.properties.code)).size;
    });
  }

  /** Saves a PNG of the viewport to test-results/screenshots/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** Located sites per county under the same filters as a query string (`category=…&asOf=…`). */
  async locatedSitesByCounty(query = ''): Promise<Record<string, number>> {
    const sites = await this.api<SiteCollection>(`/api/sites?located=true${query ? `&${query}` : ''}`);
    const totals: Record<string, number> = {};
    for (const site of sites.features) totals[site.properties.county] = (totals[site.properties.county] ?? 0) + 1;
    return totals;
  }

  /** /api/counties totals (sum of byStatus) minus the unlocated sites, which the map cannot draw. */
  async countyTotalsOnMap(query = ''): Promise<Record<string, number>> {
    const suffix = query ? `?${query}` : '';
    const counties = await this.api<{ features: CountyFeature[] }>(`/api/counties${suffix}`);
    const unlocated = await this.api<SiteCollection>(`/api/sites?located=false${query ? `&${query}` : ''}`);
    const totals: Record<string, number> = {};
    for (const county of counties.features) {
      const n = Object.values(county.properties.byStatus).reduce((sum, count) => sum + count, 0);
      if (n > 0) totals[county.properties.code] = n;
    }
    for (const site of unlocated.features) {
      const left = (totals[site.properties.county] ?? 0) - 1;
      if (left > 0) totals[site.properties.county] = left;
      else delete totals[site.properties.county];
    }
    return totals;
  }
}

export function totalsByCounty(features: readonly ClusterFeature[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const feature of features) totals[feature.properties.county] = (totals[feature.properties.county] ?? 0) + feature.properties.count;
  return totals;
}

export function sum(record: Record<string, number>): number {
  return Object.values(record).reduce((total, n) => total + n, 0);
}

function isLocal(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('about:')) return true;
  try {
    return LOCAL_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** One server + one Chromium shared by the tests of the enclosing `describe`. */
export function useMapDriver(options: DriverOptions = {}): MapDriver {
  const driver = new MapDriver(options);
  beforeAll(() => driver.start());
  // A test that routes an API call to an error must not leak it into the next test, pass or fail.
  afterEach(() => driver.page?.unrouteAll({ behavior: 'ignoreErrors' }));
  afterAll(() => driver.close());
  return driver;
}

/** What is wrong with the header: a visible part outside the screen's width or the bar, or a text wrapped over lines. */
export async function headerOverflow(page: Page, width: number): Promise<string[]> {
  return page.locator('header.topbar').evaluate((bar, width) => {
    const barBox = bar.getBoundingClientRect();
    const problems: string[] = [];
    if (bar.scrollWidth > bar.clientWidth) problems.push(`bar scrolls: ${bar.scrollWidth} > ${bar.clientWidth}`);
    for (const child of bar.children) {
      const box = child.getBoundingClientRect();
      if (box.width === 0) continue;
      if (box.left < 0 || box.right > width) problems.push(`${child.className}: ${Math.round(box.left)}–${Math.round(box.right)}`);
      if (box.top < barBox.top || box.bottom > barBox.bottom) problems.push(`${child.className}: taller than the bar (${Math.round(box.height)} px)`);
    }
    // Every text on one line: a wrapped label (中/文 stacked, a county name over two lines) has a rect per line.
    const texts = document.createTreeWalker(bar, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      if (!node.textContent?.trim()) continue;
      range.selectNodeContents(node);
      const lines = [...range.getClientRects()].filter((rect) => rect.width > 0);
      if (new Set(lines.map((rect) => Math.round(rect.top))).size > 1) problems.push(`"${node.textContent.trim()}" wraps over ${lines.length} lines`);
    }
    return problems;
  }, width);
}
