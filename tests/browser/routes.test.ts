// The 巡查路线 panel: a seeded spot-check sample planned into a numbered route on the map, a site
// added by hand from its detail, the route saved and reopened by URL with its downloads, and a
// field result recorded.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { campaignDay } from '../../domain/days.ts';
import { canMove, RESOLVED_STATUSES, type StatusCode } from '../../domain/statuses.ts';
import { zh } from '../../web/i18n/zh.ts';
import { useMapDriver } from '../helpers/browser.ts';
import type { SiteCollection } from '../helpers/app.ts';

describe('the 巡查路线 panel', () => {
  const driver = useMapDriver();
  /** Opens a site's detail the way the page's links do: ?site= by history, without a reload. */
  const openDetail = (id: number) =>
    driver.page.evaluate((site) => {
      const url = new URL(window.location.href);
      url.searchParams.set('site', String(site));
      window.history.pushState(null, '', url);
      window.dispatchEvent(new PopStateEvent('popstate'));
    }, id);

  it('plans a reproducible sample, adds a site by hand, saves the route and reopens it by URL', async () => {
    await driver.openMap('?panel=routes', { waitForClusters: true });
    const panel = driver.page.getByTestId('route-panel');
    await panel.getByText(zh.routeRuleSample).click();
    await panel.locator('input[inputmode=numeric]').fill('20200723');
    await panel.getByRole('button', { name: zh.routePlan }).click();
    const stops = panel.locator('.route-stops > li');
    // 3 per county × 5 counties. A plan waits up to 30 s: at load 8–13 (other servers and browsers on 2
    // cores) a plan had not shown within 10 s in 4 of 12 runs, and a re-plan within 5 s in 1 (2026-12-05);
    // no speed is asserted here.
    await expect.poll(() => stops.count(), { timeout: 30_000 }).toBe(15);
    const first = await stops.evaluateAll((items) => items.map((li) => Number((li as HTMLElement).dataset.site)));
    expect(await panel.getByTestId('route-total').textContent()).toMatch(/15 个点位 · 全程约 [\d.]+ 公里/);
    // The numbered stops are on the map.
    const numbered = () =>
      driver.page.evaluate(() => {
        const map = (window as unknown as { __sansan: { map: MapLibreMap } }).__sansan.map;
        // A source feature can come back once per tile it touches: count distinct stops.
        return new Set(
          map
            .querySourceFeatures('route')
            .filter((f) => f.geometry.type === 'Point')
            .map((f) => f.properties.siteId),
        ).size;
      });
    await expect.poll(numbered, { timeout: 5_000 }).toBe(15);
    // The same seed draws the same sample.
    await panel.getByRole('button', { name: zh.routePlan }).click();
    await expect
      .poll(async () => (await stops.evaluateAll((items) => items.map((li) => Number((li as HTMLElement).dataset.site)))).sort())
      .toEqual([...first].sort());

    // 与记录一致（已处置） is offered only at a stop already dealt with: at an open site the inspector says
    // what was found (it read 与记录一致（已关停） at every stop, an 已整改提升 site's too).
    const sites = await driver.api<SiteCollection>('/api/sites?located=true');
    const statusOf = new Map(sites.features.map((f) => [f.id, f.properties.status as StatusCode]));
    const offered = await stops.evaluateAll((items) =>
      items.map((li) => ({
        site: Number((li as HTMLElement).dataset.site),
        results: [...li.querySelectorAll('select option')].map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent })),
      })),
    );
    const resolvedStop = offered.filter(({ site }) => RESOLVED_STATUSES.includes(statusOf.get(site)!));
    expect(resolvedStop.length).toBeGreaterThan(0);
    expect(resolvedStop.length).toBeLessThan(offered.length);
    for (const { site, results } of offered) {
      const asRecorded = results.find((r) => r.value === 'closed_as_recorded');
      expect(asRecorded?.text, `stop ${site} (${statusOf.get(site)})`).toBe(
        RESOLVED_STATUSES.includes(statusOf.get(site)!) ? '与记录一致（已处置）' : undefined,
      );
      // 死灰复燃 moves the site to relapsed: offered only where that move is allowed (the server refused it
      // 409 at a stop already relapsed, after the inspector had chosen it).
      const relapsed = results.find((r) => r.value === 'relapsed');
      expect(relapsed?.text, `stop ${site} (${statusOf.get(site)})`).toBe(canMove(statusOf.get(site)!, 'relapsed') ? '死灰复燃' : undefined);
    }

    // A stop's own detail says it is in the route, instead of offering to add it again.
    await openDetail(first[0]!);
    const inRoute = driver.page.getByTestId('site-detail').getByRole('button', { name: zh.routeAdded });
    await expect.poll(() => inRoute.count(), { timeout: 10_000 }).toBe(1);
    expect(await inRoute.isDisabled()).toBe(true);

    // Add a site that is not in the route by hand, from its detail. Its answer is held back a moment: until
    // it comes, the panel must not show the site before (whose buttons added that site instead: a re-plan
    // then kept 15 stops, under load).
    const extra = sites.features.find((f) => !first.includes(f.id))!;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await driver.page.route(`**/api/sites/${extra.id}`, async (route) => {
      await held;
      await route.continue();
    });
    await openDetail(extra.id);
    await expect.poll(() => driver.page.getByTestId('site-detail').locator('h2').textContent()).toBe(zh.detail);
    expect(await driver.page.getByTestId('site-detail').getByRole('button', { name: zh.routeAdd }).count()).toBe(0);
    release();
    await expect.poll(() => driver.page.getByTestId('site-detail').locator('h2').textContent()).toBe(extra.properties.name);
    await driver.page.getByTestId('site-detail').getByRole('button', { name: zh.routeAdd }).click();
    await panel.getByRole('button', { name: zh.routePlan }).click();
    await expect.poll(() => stops.count(), { timeout: 30_000 }).toBe(16);

    await panel.getByLabel(zh.routeName).fill('测试抽查路线');
    await panel.getByRole('button', { name: zh.routeSave }).click();
    await expect.poll(() => driver.urlParams().get('route')).toMatch(/^\d+$/);
    const routeId = driver.urlParams().get('route')!;
    await expect.poll(() => panel.locator(`a[href="/api/routes/${routeId}.gpx"]`).count()).toBe(1);

    // Record a field result on the first stop; it reaches the site's inspections.
    const firstStop = stops.first();
    const stopSite = Number(await firstStop.getAttribute('data-site'));
    await firstStop.locator('select').selectOption('not_found');
    await firstStop.getByRole('button', { name: zh.routeRecord }).click();
    await expect.poll(() => firstStop.locator('.recorded').count()).toBe(1);
    const detail = await driver.api<{ inspections: { result: string }[] }>(`/api/sites/${stopSite}`);
    expect(detail.inspections.map((i) => i.result)).toContain('not_found');
    await driver.screenshot('route-panel');

    // The link reopens the saved route.
    await driver.openMap(`?panel=routes&route=${routeId}`, { waitForClusters: false });
    await expect.poll(() => driver.page.getByTestId('route-panel').locator('.route-stops > li').count(), { timeout: 10_000 }).toBe(16);
    // …with the result recorded on it (a reload or another inspector's phone), not offering to record it again.
    const reopenedStop = driver.page.getByTestId('route-panel').locator(`.route-stops > li[data-site="${stopSite}"]`);
    await expect.poll(() => reopenedStop.locator('.recorded').allTextContents(), { timeout: 10_000 }).toEqual([`✓ 已记录：未找到（${campaignDay()}，admin）`]);
    expect(await reopenedStop.locator('select').count()).toBe(0);
  }, 150_000);
});
