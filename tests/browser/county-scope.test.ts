// County officials and inspectors see their own county first: the header and legend count its sites
// (as /api/sites?county= does), markers of other counties are dimmed, a switch shows the city; an
// inspector's first route stays in the county where they may record results.
import { describe, expect, it } from 'vitest';
import { zh } from '../../web/i18n/zh.ts';
import { translate } from '../../web/i18n/i18n.tsx';
import { STATUS_CODES } from '../../domain/statuses.ts';
import { headerOverflow, useMapDriver } from '../helpers/browser.ts';
import type { SiteCollection } from '../helpers/app.ts';

const countText = (n: number) => translate('zh', 'sites', { n });

describe('a 源汇区 county official', () => {
  const driver = useMapDriver({ user: { role: 'county', counties: ['411102'] } });

  it('counts their county in the header and legend, dims the others, and shows the city on request', async () => {
    const own = await driver.api<SiteCollection>('/api/sites?county=411102&located=true');
    const all = await driver.api<SiteCollection>('/api/sites?located=true');
    expect(own.features.length).toBeLessThan(all.features.length);
    await driver.openMap('');
    const header = driver.page.getByTestId('site-count');
    await expect.poll(() => header.textContent(), { timeout: 15_000 }).toBe(countText(own.features.length));
    // Legend: each status as many as the API lists for the county.
    const legend = await driver.page.locator('.legend-item[data-status] .legend-count').allTextContents();
    const byStatus = STATUS_CODES.map((status) => own.features.filter((f) => f.properties.status === status).length);
    expect(legend.map(Number)).toEqual(byStatus.slice(0, legend.length));
    // Clusters of other counties are dimmed, not mixed in; the county's own are not.
    await driver.waitForMapIdle();
    const markers = await driver.page
      .locator('.cluster-marker')
      .evaluateAll((elements) => elements.map((e) => [(e as HTMLElement).dataset.county, e.classList.contains('outside-scope')]));
    expect(markers.length).toBeGreaterThan(0);
    for (const [county, dimmed] of markers) expect(dimmed, `cluster in ${county}`).toBe(county !== '411102');
    await driver.screenshot('county-scope-own');
    // The switch shows the whole city.
    await driver.page.getByTestId('scope-switch').click();
    await expect.poll(() => header.textContent()).toBe(countText(all.features.length));
    expect(await driver.page.locator('.cluster-marker.outside-scope').count()).toBe(0);
    await driver.screenshot('county-scope-city');
  });

  it('has the whole header in view, in Chinese and in English, with room to type a search and their county named in the language', async () => {
    for (const [query, county] of [
      ['', '源汇区'],
      ['?lang=en', 'Yuanhui District'],
    ] as const) {
      await driver.openMap(query, { waitForClusters: false });
      await expect.poll(() => driver.page.getByTestId('scope-switch').textContent()).toBe(county);
      expect(await headerOverflow(driver.page, 1280)).toEqual([]);
      expect((await driver.page.locator('header.topbar .search input').boundingBox())!.width).toBeGreaterThanOrEqual(150);
    }
    await driver.screenshot('county-header-en');
  });

  it('lists the relapses of their county by default', async () => {
    const own = await driver.api<{ relapses: { siteId: number }[] }>('/api/analysis/relapse?county=411102');
    const city = await driver.api<{ relapses: unknown[] }>('/api/analysis/relapse');
    const ownSites = new Set(own.relapses.map((relapse) => relapse.siteId)).size;
    expect(own.relapses.length).toBeLessThan(city.relapses.length);
    await driver.openMap('?panel=relapse', { waitForClusters: false });
    const summary = driver.page.getByTestId('relapse-summary');
    await expect.poll(() => summary.textContent(), { timeout: 15_000 }).toMatch(new RegExp(`^${own.relapses.length} 次死灰复燃（${ownSites} 处点位）`));
  });
});

describe('a 源汇区 inspector', () => {
  const driver = useMapDriver({ user: { role: 'inspector', counties: ['411102'] } });

  it('plans the first route inside 源汇区', async () => {
    const own = new Set((await driver.api<SiteCollection>('/api/sites?county=411102&located=true')).features.map((f) => f.id));
    await driver.openMap('?panel=routes', { waitForClusters: false });
    const panel = driver.page.getByTestId('route-panel');
    await panel.getByRole('button', { name: zh.routePlan }).click();
    const stops = panel.locator('.route-stops > li');
    await expect.poll(() => stops.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const ids = await stops.evaluateAll((items) => items.map((li) => Number((li as HTMLElement).dataset.site)));
    expect(ids.filter((id) => !own.has(id))).toEqual([]);
    await driver.screenshot('inspector-route-own-county');
  });
});
