// The records waiting to be placed are listed a page at a time (50), moving along the server's
// cursors, so a county with thousands of unlocated records does not download them all at once.
import { describe, expect, it } from 'vitest';
import { zh } from '../../web/i18n/zh.ts';
import type { SiteCollection } from '../helpers/app.ts';
import { useMapDriver } from '../helpers/browser.ts';

/** web/page/use-map-data.ts UNLOCATED_PAGE (the page's module graph is not the tests' to import). */
const UNLOCATED_PAGE = 50;

describe('the unlocated list', () => {
  const driver = useMapDriver({ viewport: { width: 1280, height: 900 } });

  it('pages through more records than one page holds', async () => {
    // 55 more real records without a position (made through the API, their positions then cleared as an import of names alone leaves them).
    const ids: number[] = [];
    for (let i = 0; i < 55; i++)
      ids.push(
        (
          await driver.send<{ id: number }>('POST', '/api/sites', {
            name: `待定位测试点${String(i).padStart(2, '0')}`,
            category: 'sand_yard',
            lon: 113.95,
            lat: 33.55,
            discoveredOn: '2022-12-01',
          })
        ).id,
      );
    driver.database.raw.prepare(`UPDATE sites SET lon = NULL, lat = NULL, precision = 'unlocated' WHERE id IN (${ids.join(',')})`).run();
    const all = (await driver.api<SiteCollection>('/api/sites?located=false&source=real')).features.map((f) => f.properties.name);
    expect(all.length).toBeGreaterThan(UNLOCATED_PAGE);

    await driver.openMap();
    const list = driver.page.getByTestId('unlocated');
    const names = () => list.locator('li > button.link').allTextContents();
    await expect.poll(names, { timeout: 10_000 }).toEqual(all.slice(0, UNLOCATED_PAGE));
    expect(await list.locator('h2 .count').textContent()).toBe(zh.unlocatedPageCount.replace('{from}', '1').replace('{to}', String(UNLOCATED_PAGE)));
    const previous = list.getByRole('button', { name: zh.unlocatedPrev });
    const next = list.getByRole('button', { name: zh.unlocatedNext });
    expect(await previous.isDisabled()).toBe(true);
    await list.scrollIntoViewIfNeeded();
    await driver.screenshot('unlocated-list-page-1');

    await next.click();
    await expect.poll(names, { timeout: 10_000 }).toEqual(all.slice(UNLOCATED_PAGE));
    expect(await list.locator('h2 .count').textContent()).toBe(
      zh.unlocatedPageCount.replace('{from}', String(UNLOCATED_PAGE + 1)).replace('{to}', String(all.length)),
    );
    expect(await next.isDisabled()).toBe(true);
    await driver.screenshot('unlocated-list-page-2');

    await previous.click();
    await expect.poll(names, { timeout: 10_000 }).toEqual(all.slice(0, UNLOCATED_PAGE));
    expect(driver.pageErrors).toEqual([]);
  });

  it('names the county in English on the English page', async () => {
    const site = (await driver.api<SiteCollection>('/api/sites?located=false&source=real')).features[0]!;
    await driver.openMap('?lang=en');
    const line = driver.page.getByTestId('unlocated').locator('li .muted').first();
    // Was 'Sand yard · 源汇区 …' (the county's Chinese name in the English line).
    await expect.poll(() => line.textContent(), { timeout: 10_000 }).toMatch(/ · (Yuanhui|Yancheng|Shaoling) District |(Wuyang|Linying) County /);
    expect(await line.textContent()).not.toContain(` ${site.properties.countyName} `);
  });
});
