// Others' writes reach an open map without a reload: the page asks the sites' data version again
// after a pan or zoom (and every half minute while visible), and a new version gives new tile URLs.
import { describe, expect, it } from 'vitest';
import { useMapDriver } from '../helpers/browser.ts';

/** A close view of the city seat's county (411102), where the new site is put. */
const SPOT: [number, number] = [113.95, 33.55];

describe('others’ writes on an open map', () => {
  // The page is a viewer's; the write is an admin's, through the API.
  const driver = useMapDriver({ user: { role: 'viewer' } });

  it('a site another user adds appears after a pan, without a reload', async () => {
    await driver.openMap(`?v=${SPOT[0].toFixed(5)},${SPOT[1].toFixed(5)},11.00`);
    const before = await driver.clusterTotalsByCounty();
    await driver.page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const created = await driver.send<{ properties: { county: string } }>('POST', '/api/sites', {
      name: '他人新增的砂石料场（测试）',
      category: 'sand_yard',
      lon: SPOT[0],
      lat: SPOT[1],
      discoveredOn: '2022-12-01',
    });
    expect(created.properties.county).toBe('411102');

    // A small pan keeps the spot in view; the map asks the version again and draws the new tiles.
    await driver.page.evaluate(() =>
      (window as unknown as { __sansan: { map: { panBy(offset: [number, number], options: object): void } } }).__sansan.map.panBy([80, 0], { duration: 0 }),
    );
    const expected = { ...before, '411102': (before['411102'] ?? 0) + 1 };
    await expect.poll(() => driver.clusterTotalsByCounty(), { timeout: 10_000 }).toEqual(expected);
    expect(await driver.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(driver.pageErrors).toEqual([]);
  });
});
