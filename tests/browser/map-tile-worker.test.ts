// The map's cluster tiles come through a worker (web/state/tile-worker.ts): what goes wrong with a
// tile reaches the person as it did when the page fetched tiles itself — a lost connection reads as
// a network error, and a session the server no longer knows ends in the sign-in form.
import { describe, expect, it } from 'vitest';
import { zh } from '../../web/i18n/zh.ts';
import { useMapDriver } from '../helpers/browser.ts';

const TILES = /\/api\/map\/sites\/\d+\/\d+\/\d+\/\d+/;

/** Jumps to a zoom the page has not asked tiles for yet (the summary is not touched). */
async function zoomToNewTiles(driver: ReturnType<typeof useMapDriver>): Promise<void> {
  await driver.page.evaluate(() =>
    (window as unknown as { __sansan: { map: { jumpTo(view: object): void } } }).__sansan.map.jumpTo({ center: [113.95, 33.55], zoom: 12.5 }),
  );
}

describe('the map’s tiles through the worker', () => {
  const driver = useMapDriver();

  it('a tile whose connection fails shows the network error in Chinese', async () => {
    await driver.openMap();
    await driver.page.route(TILES, (route) => route.abort('connectionreset'));
    await zoomToNewTiles(driver);
    await expect.poll(() => driver.page.getByTestId('error-banner').textContent(), { timeout: 10_000 }).toContain(zh.networkError);
    expect(driver.pageErrors).toEqual([]);
    await driver.page.unroute(TILES);
  });

  it('a tile answered 401 ends the session: the sign-in form, saying so', async () => {
    await driver.openMap();
    await driver.page.route(TILES, (route) =>
      route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unauthenticated', message: 'signed out' } }) }),
    );
    await zoomToNewTiles(driver);
    const form = driver.page.getByTestId('sign-in');
    await expect.poll(() => form.locator('h2').textContent(), { timeout: 10_000 }).toBe(zh.signInTitle);
    await expect.poll(() => form.textContent()).toContain(zh.signInEnded);
    await driver.page.unroute(TILES);
  });
});
