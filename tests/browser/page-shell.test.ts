// The page shell: the main page as a person first sees it (header, tabs, map, counted sites), and a
// render error, which shows a sentence from the message files with a reload button, not a blank page.
import { describe, expect, it } from 'vitest';
import { zh } from '../../web/i18n/zh.ts';
import { en } from '../../web/i18n/en.ts';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { useMapDriver } from '../helpers/browser.ts';

type DebugWindow = Window & { __sansan?: { breakRender(): void } };

describe('the page shell', () => {
  const driver = useMapDriver({ viewport: { width: 1280, height: 800 } });

  it('draws the main page with its header, tabs and map', async () => {
    const scripts: string[] = [];
    driver.page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await driver.openMap();
    await driver.waitForMapIdle();
    await expect.poll(() => driver.page.locator('[data-testid="site-count"]').textContent()).toMatch(/\d/);
    expect(await driver.page.locator('.tabs [role="tab"]').count()).toBeGreaterThan(4);
    await driver.screenshot(process.env.SHELL_SHOT ?? 'page-shell-main');
    // The pages and panels few people open are not in what the map loads first…
    const lazy = /\/assets\/(ImportWizard|ScorecardPanel|ScorecardPage|TaskBoardPage)-/;
    expect(scripts.filter((path) => lazy.test(path))).toEqual([]);
    // …and load when asked for.
    await driver.page.getByRole('tab', { name: zh.panelImports }).click();
    await expect.poll(() => driver.page.getByTestId('import-wizard').count()).toBe(1);
    expect(scripts.filter((path) => lazy.test(path)).map((path) => path.replace(/-[\w-]+\.js$/, ''))).toEqual(['/assets/ImportWizard']);
    expect(driver.pageErrors).toEqual([]);
  });

  it('keeps a hidden layer hidden when the language restyles the map', async () => {
    await driver.openMap('?roads=0');
    await driver.waitForMapIdle();
    const roadsVisibility = () =>
      driver.page.evaluate(
        () => (window as unknown as { __sansan: { map: MapLibreMap } }).__sansan.map.getLayoutProperty('roads', 'visibility') as string | undefined,
      );
    expect(await roadsVisibility()).toBe('none');
    for (const lang of ['en', null]) {
      await driver.page.getByTestId('lang-switch').click();
      await expect.poll(() => driver.urlParams().get('lang')).toBe(lang);
      await driver.waitForMapIdle();
      expect(await roadsVisibility()).toBe('none');
    }
  });

  it('shows a message and a reload button when a render fails', async () => {
    await driver.openMap();
    await driver.page.evaluate(() => (window as DebugWindow).__sansan!.breakRender());
    const failure = driver.page.getByTestId('render-failure');
    await expect.poll(() => failure.textContent()).toContain(zh.renderError);
    await driver.screenshot('page-shell-render-error');
    const reload = failure.getByRole('button', { name: zh.renderErrorReload });
    expect(await reload.count()).toBe(1);
    // The button loads the page again: the map is back.
    await reload.click();
    await driver.waitForClusters();
    expect(await driver.page.getByTestId('render-failure').count()).toBe(0);
  });

  it('says it in English on an English page', async () => {
    await driver.openMap('?lang=en');
    await driver.page.evaluate(() => (window as DebugWindow).__sansan!.breakRender());
    await expect.poll(() => driver.page.getByTestId('render-failure').textContent()).toContain(en.renderError);
    expect(await driver.page.getByRole('button', { name: en.renderErrorReload }).count()).toBe(1);
  });
});

describe('the map’s attribution', () => {
  const driver = useMapDriver();

  it('credits the boundary data in the page’s language, and follows a language switch', async () => {
    const attribution = driver.page.locator('.maplibregl-ctrl-attrib-inner');
    await driver.openMap('?lang=en', { waitForClusters: false });
    // Was '边界数据 © DataV.GeoAtlas / 高德' in the English page.
    await expect.poll(() => attribution.textContent(), { timeout: 10_000 }).toBe('Boundaries © DataV.GeoAtlas / AutoNavi');
    await driver.page.getByTestId('lang-switch').click();
    await expect.poll(() => attribution.textContent(), { timeout: 10_000 }).toBe('边界数据 © DataV.GeoAtlas / 高德');
  });
});
