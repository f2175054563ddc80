// A site's detail (opened by a click on the map or by a link), demo marking, the English switch,
// and API errors that the page must show rather than swallow.
import { describe, expect, it } from 'vitest';
import { COUNTED_STATUSES, STATUS_LABELS, type StatusCode } from '../../domain/statuses.ts';
import { statusLabel } from '../../web/i18n/code-labels.ts';
import { en } from '../../web/i18n/en.ts';
import { zh } from '../../web/i18n/zh.ts';
import { translate } from '../../web/i18n/i18n.tsx';
import { useMapDriver, type MapDriver } from '../helpers/browser.ts';
import type { SiteCollection, SiteDetail } from '../helpers/app.ts';

const WHOLE_CITY = '?v=113.88000,33.70000,8.90';

/** [date, label, note] of each entry of the history timeline, top to bottom. */
async function historyOnPage(driver: MapDriver): Promise<[string, string, string | null][]> {
  return driver.page
    .locator('[data-testid=site-history] > li')
    .evaluateAll((items) =>
      items.map(
        (item) =>
          [item.querySelector('time')?.textContent ?? '', item.querySelector('b')?.textContent ?? '', item.querySelector('.note')?.textContent ?? null] as [
            string,
            string,
            string | null,
          ],
      ),
    );
}

function historyFromApi(detail: SiteDetail, lang: 'zh' | 'en'): [string, string, string | null][] {
  return detail.events.map((event) => [
    event.date,
    event.kind === 'location' ? (lang === 'zh' ? zh.locationEvent : en.locationEvent) : lang === 'zh' ? STATUS_LABELS[event.to] : statusLabel(event.to, 'en'),
    event.note,
  ]);
}

describe('site detail, language and errors on a desktop', () => {
  const driver = useMapDriver({ viewport: { width: 1280, height: 800 } });
  const detail = () => driver.page.getByTestId('site-detail');

  it('clicking a single site on the map opens its detail with the full history and puts its id in the URL', async () => {
    const verified = await driver.api<SiteCollection>('/api/sites?located=true&status=verified');
    const target = verified.features[0]!;
    const [lon, lat] = target.geometry!.coordinates;
    await driver.openMap(`?v=${lon.toFixed(5)},${lat.toFixed(5)},16.00`);
    // Clicks hit what MapLibre has drawn: wait until the single sites are on the canvas.
    await driver.waitForMapIdle();
    const features = await driver.clusters();
    const singles = features.filter((f) => !f.properties.cluster);
    expect(singles.length).toBeGreaterThan(0);
    // A site alone at its position (approximate sites can share a village point), not under a marker.
    let chosen: { id: number; x: number; y: number } | null = null;
    for (const feature of singles) {
      const [x0, y0] = feature.geometry.coordinates;
      if (features.filter((f) => f.geometry.coordinates[0] === x0 && f.geometry.coordinates[1] === y0).length > 1) continue;
      const pixel = await driver.pixelOf([x0, y0]);
      if (pixel.canvasOnTop) {
        chosen = { id: feature.properties.siteId!, x: pixel.x, y: pixel.y };
        break;
      }
    }
    expect(chosen, 'a single site on the visible map').not.toBeNull();

    await driver.page.mouse.click(chosen!.x, chosen!.y);
    const site = await driver.api<SiteDetail>(`/api/sites/${chosen!.id}`);
    await expect.poll(() => driver.urlParams().get('site')).toBe(String(chosen!.id));
    await expect.poll(() => detail().locator('h2').textContent()).toBe(site.properties.name);
    expect(site.events.length).toBeGreaterThan(0);
    await expect.poll(() => historyOnPage(driver)).toEqual(historyFromApi(site, 'zh'));
    await driver.waitForMapIdle();
    await driver.screenshot('desktop-site-detail');

    await detail().getByRole('button', { name: zh.close }).click();
    await expect.poll(() => detail().count()).toBe(0);
    expect(driver.urlParams().has('site')).toBe(false);
  });

  it('a link with ?site=ID opens that site; a demo site says it is demo (演示), a real one 真实', async () => {
    const demo = (await driver.api<SiteCollection>('/api/sites?source=demo&located=true&status=relapsed')).features[0]!;
    await driver.openMap(`${WHOLE_CITY}&site=${demo.id}`);
    const site = await driver.api<SiteDetail>(`/api/sites/${demo.id}`);
    await expect.poll(() => detail().locator('h2').textContent()).toBe(site.properties.name);
    expect(await detail().locator('.source-badge').textContent()).toBe(zh.demoBadge);
    expect(await detail().locator('.status-badge').textContent()).toBe(STATUS_LABELS.relapsed);
    expect(await historyOnPage(driver)).toEqual(historyFromApi(site, 'zh'));
    // Scrolled until its history passes under the title, the title stays on top and readable (the
    // timeline's entries, positioned, painted over it).
    const scrolled = await detail().evaluate((panel) => {
      const entry = panel.querySelector('[data-testid=site-history] > li')!;
      panel.scrollTop += entry.getBoundingClientRect().top - panel.getBoundingClientRect().top;
      return panel.scrollTop;
    });
    expect(scrolled).toBeGreaterThan(0);
    const titleOnTop = await detail()
      .locator('h2')
      .evaluate((h2) => {
        const box = h2.getBoundingClientRect();
        return [0.1, 0.5, 0.9].every((x) => h2.contains(document.elementFromPoint(box.left + box.width * x, box.top + box.height / 2)));
      });
    expect(titleOnTop).toBe(true);
    expect(await driver.page.getByTestId('demo-banner').textContent()).toBe(zh.demoBanner);
    expect(driver.urlParams().get('site')).toBe(String(demo.id));

    // The real records are the plan's two unlocated sites: listed apart, marked real, placeable.
    const unlocated = driver.page.getByTestId('unlocated');
    const unlocatedSites = await driver.api<SiteCollection>('/api/sites?located=false&source=real');
    expect(unlocatedSites.features.length).toBe(2);
    for (const real of unlocatedSites.features) await expect.poll(() => unlocated.getByRole('button', { name: real.properties.name }).count()).toBe(1);
    const real = unlocatedSites.features[0]!;
    await unlocated.getByRole('button', { name: real.properties.name }).click();
    await expect.poll(() => detail().locator('h2').textContent()).toBe(real.properties.name);
    expect(driver.urlParams().get('site')).toBe(String(real.id));
    expect(await detail().locator('.source-badge').textContent()).toBe(zh.realBadge);
    expect(await detail().locator('.precision').textContent()).toContain(zh.precisionUnlocated);
  });

  it('switching to English changes the labels, and switching back restores Chinese', async () => {
    const demo = (await driver.api<SiteCollection>('/api/sites?source=demo&located=true&status=closed')).features[0]!;
    await driver.openMap(`${WHOLE_CITY}&site=${demo.id}`);
    const site = await driver.api<SiteDetail>(`/api/sites/${demo.id}`);
    await expect.poll(() => detail().locator('h2').textContent()).toBe(site.properties.name);
    const legendLabels = () => driver.page.locator('.legend-item[data-status] .legend-label').allTextContents();
    const title = () => driver.page.locator('.topbar h1').evaluate((h1) => h1.firstChild?.textContent?.trim());
    expect(await title()).toBe(zh.appTitle);
    expect(await legendLabels()).toEqual(COUNTED_STATUSES.map((s) => STATUS_LABELS[s]));

    await driver.page.getByTestId('lang-switch').click();
    await expect.poll(title).toBe(en.appTitle);
    expect(driver.urlParams().get('lang')).toBe('en');
    expect(await legendLabels()).toEqual(COUNTED_STATUSES.map((s: StatusCode) => statusLabel(s, 'en')));
    expect(await driver.page.locator('.layer-panel h2').first().textContent()).toBe(en.statusLayers);
    expect(await detail().locator('.source-badge').textContent()).toBe(en.demoBadge);
    expect(await historyOnPage(driver)).toEqual(historyFromApi(site, 'en'));
    expect(await driver.page.getByTestId('demo-banner').textContent()).toBe(en.demoBanner);
    expect(await driver.page.getByTestId('lang-switch').textContent()).toBe(en.language);
    expect(await driver.page.locator('.app').getAttribute('lang')).toBe('en');
    await driver.waitForMapIdle();
    await driver.screenshot('desktop-english');

    await driver.page.getByTestId('lang-switch').click();
    await expect.poll(title).toBe(zh.appTitle);
    expect(driver.urlParams().has('lang')).toBe(false);
    expect(await legendLabels()).toEqual(COUNTED_STATUSES.map((s) => STATUS_LABELS[s]));
    expect(await detail().locator('.source-badge').textContent()).toBe(zh.demoBadge);
  });

  it('an API error is shown with a retry button, and retry recovers', async () => {
    const message = '数据库暂时不可用';
    await driver.page.route('**/api/counties**', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message, details: {} } }) }),
    );
    await driver.openMap(WHOLE_CITY, { waitForClusters: false });
    const banner = driver.page.locator('.error-banner[role=alert]');
    await expect.poll(() => banner.textContent()).toContain(zh.loadError.replace('{message}', zh['error.internal']));
    const retry = banner.getByRole('button', { name: zh.retry });
    expect(await retry.isVisible()).toBe(true);
    await driver.screenshot('desktop-api-error');

    await driver.page.unroute('**/api/counties**');
    await retry.click();
    await expect.poll(() => banner.count()).toBe(0);
    await driver.waitForClusters();
    await driver.waitForMapIdle();
    expect((await driver.renderedCountyLabels()).length).toBe(5);
  });

  it('an error loading a site detail is shown in the panel', async () => {
    const site = (await driver.api<SiteCollection>('/api/sites?located=true')).features[0]!;
    await driver.page.route(`**/api/sites/${site.id}`, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unavailable', message: 'try later', details: {} } }),
      }),
    );
    await driver.openMap(`${WHOLE_CITY}&site=${site.id}`, { waitForClusters: false });
    await expect.poll(() => detail().locator('.error[role=alert]').textContent()).toBe('请求未成功（HTTP 503）');
  });

  it('sent no request beyond localhost during the whole session', () => {
    expect(driver.offHost).toEqual([]);
    expect(driver.pageErrors).toEqual([]);
  });

  it('an error loading the unlocated list is shown, not swallowed', async () => {
    await driver.page.route(/\/api\/sites\?.*located=false/, (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal', message: 'unlocated failed', details: {} } }),
      }),
    );
    await driver.openMap(WHOLE_CITY);
    await expect
      .poll(() => driver.page.locator('[role=alert]').allTextContents(), { timeout: 3_000 })
      .toContainEqual(expect.stringContaining(zh['error.internal']));
  });

  it('when /api/counties fails, the page does not claim there are no sites while it draws them', async () => {
    await driver.page.route('**/api/counties**', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal', message: 'counties failed', details: {} } }),
      }),
    );
    await driver.openMap(WHOLE_CITY);
    const drawn = (await driver.clusters()).reduce((n, f) => n + f.properties.count, 0);
    expect(drawn).toBeGreaterThan(0);
    expect(await driver.page.locator('.empty').count()).toBe(0);
    expect(await driver.page.getByTestId('site-count').textContent()).not.toBe(translate('zh', 'sites', { n: 0 }));
  });

  it('inspection results are labelled in the UI language, not shown as codes', async () => {
    const sites = await driver.api<SiteCollection>('/api/sites?located=true&source=demo');
    let withInspection: SiteDetail | null = null;
    for (const site of sites.features.slice(0, 40)) {
      const detail = await driver.api<SiteDetail>(`/api/sites/${site.id}`);
      if (detail.inspections.length > 0) {
        withInspection = detail;
        break;
      }
    }
    expect(withInspection).not.toBeNull();
    await driver.openMap(`${WHOLE_CITY}&site=${withInspection!.id}`, { waitForClusters: false });
    const inspections = driver.page.getByTestId('site-detail').locator('.inspections li');
    await expect.poll(() => inspections.count()).toBe(withInspection!.inspections.length);
    for (const text of await inspections.allTextContents()) expect(text).not.toMatch(/closed_as_recorded|relapsed|[a-z]+_[a-z]+/);
  });
});
