// What the first view downloads (issue #17): the built scripts come compressed with Vary and
// immutable caching, none of the parts that load on first use (panels beside the map, the site and
// road details, the other pages, the PDF code, the drawing tool) is fetched before it is opened, and a part that loads
// later shows 加载中… while it comes and a sentence in Chinese when it cannot be loaded.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zh } from '../../web/i18n/zh.ts';
import type { SiteCollection } from '../helpers/app.ts';
import { useMapDriver } from '../helpers/browser.ts';

/** The chunks of parts that are not on the first view (their names come from their modules). */
const LAZY =
  /^(SitePanel|RoadPanel|SiteCreateForm|AuditPanel|RoutePanel|SiegePanel|ImportWizard|ScorecardPanel|ScorecardPage|TaskBoardPage|draw-tool|jspdf\.es\.min|html2canvas)-[\w-]+\.js$/;

describe('the first view', () => {
  const driver = useMapDriver({ viewport: { width: 1280, height: 800 } });

  it('loads compressed scripts and none of the parts that load on first use', async () => {
    // The build made every one of those chunks (a renamed module would otherwise pass unnoticed).
    const built = readdirSync(resolve(import.meta.dirname, '../../dist/web/assets')).filter((name) => LAZY.test(name));
    expect(built.map((name) => name.replace(/-[\w-]{8}\.js$/, '')).sort()).toEqual(
      [
        'AuditPanel',
        'ImportWizard',
        'RoadPanel',
        'RoutePanel',
        'ScorecardPage',
        'ScorecardPanel',
        'SiegePanel',
        'SiteCreateForm',
        'SitePanel',
        'TaskBoardPage',
        'draw-tool',
        'html2canvas',
        'jspdf.es.min',
      ].sort(),
    );
    const scripts: { path: string; encoding: string | null; vary: string | null; cache: string | null }[] = [];
    driver.page.on('response', (response) => {
      const request = response.request();
      if (request.resourceType() !== 'script') return;
      const headers = response.headers();
      scripts.push({
        path: new URL(response.url()).pathname,
        encoding: headers['content-encoding'] ?? null,
        vary: headers.vary ?? null,
        cache: headers['cache-control'] ?? null,
      });
    });
    await driver.openMap();
    await driver.waitForMapIdle();
    const loaded = scripts.map((s) => s.path.split('/').pop()!);
    expect(loaded.some((name) => /^index-[\w-]+\.js$/.test(name))).toBe(true);
    expect(loaded.filter((name) => LAZY.test(name))).toEqual([]);
    // Chromium asks 127.0.0.1 for brotli (a potentially trustworthy origin); a plain http:// address
    // elsewhere gets gzip. Either comes from the build's copies.
    // Files under 1 KB have no compressed copy (rolldown's runtime chunk).
    const assets = scripts.filter((s) => s.path.startsWith('/assets/'));
    const copies = new Set(readdirSync(resolve(import.meta.dirname, '../../dist/web/assets')).filter((name) => name.endsWith('.gz')));
    expect(assets.filter((s) => copies.has(`${s.path.split('/').pop()!}.gz`)).length).toBeGreaterThanOrEqual(2);
    for (const script of assets) {
      const compressed = copies.has(`${script.path.split('/').pop()!}.gz`);
      if (compressed) expect(script.encoding, script.path).toMatch(/^(br|gzip)$/);
      else expect(script.encoding, script.path).toBeNull();
      expect(script.vary, script.path).toBe(compressed ? 'Accept-Encoding' : null);
      expect(script.cache, script.path).toBe('public, max-age=31536000, immutable');
    }
    expect(driver.pageErrors).toEqual([]);
  });

  it('a site detail shows 加载中… while its part loads, then the detail', async () => {
    const site = (await driver.api<SiteCollection>('/api/sites?located=true&limit=1')).features[0]!;
    let release: () => void = () => undefined;
    const held = new Promise<void>((done) => (release = done));
    await driver.page.route(/\/assets\/SitePanel-[\w-]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await driver.openMap(`?site=${site.properties.id}`, { waitForClusters: false });
    const loading = driver.page.getByTestId('part-loading');
    await expect.poll(() => loading.first().textContent()).toBe(zh.loading);
    await driver.screenshot('first-view-part-loading');
    release();
    await expect.poll(() => driver.page.getByTestId('site-detail').count()).toBe(1);
    expect(await loading.count()).toBe(0);
    expect(driver.pageErrors).toEqual([]);
  });

  it('a part that cannot be loaded says so in Chinese, in its place, with the map still there', async () => {
    await driver.page.route(/\/assets\/SiegePanel-[\w-]+\.js$/, (route) => route.abort('connectionreset'));
    await driver.openMap();
    await driver.page.getByRole('tab', { name: zh.panelSiege }).click();
    const failure = driver.page.getByTestId('part-load-failure');
    await expect.poll(() => failure.count()).toBe(1);
    expect(await failure.locator('p').textContent()).toBe(zh.partLoadFailed);
    expect(await failure.getByRole('button').textContent()).toBe(zh.renderErrorReload);
    // Only that part: the tabs and the map stay, no whole-page failure.
    expect(await driver.page.getByTestId('render-failure').count()).toBe(0);
    expect(await driver.page.locator('.tabs [role="tab"]').count()).toBeGreaterThan(4);
    await driver.screenshot('first-view-part-failed');
  });
});
