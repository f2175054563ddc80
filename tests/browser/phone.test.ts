// On a phone (inspectors): the layer panel starts collapsed and the menu toggles it; a site's detail
// opens as a sheet from the bottom; the map still clusters.
import { describe, expect, it } from 'vitest';
import { en } from '../../web/i18n/en.ts';
import { zh } from '../../web/i18n/zh.ts';
import { headerOverflow, useMapDriver } from '../helpers/browser.ts';
import type { SiteCollection } from '../helpers/app.ts';

const WIDTH = 390;
const HEIGHT = 844;

describe('on a phone (390×844)', () => {
  const driver = useMapDriver({ viewport: { width: WIDTH, height: HEIGHT }, mobile: true });
  const panel = () => driver.page.locator('nav.side');
  const menu = () => driver.page.locator('.topbar .menu');

  it('the layer panel starts collapsed and the menu button opens and closes it over the map', async () => {
    await driver.openMap();
    expect((await driver.clusters()).length).toBeGreaterThan(0);
    expect(await panel().isVisible()).toBe(false);
    expect(await menu().getAttribute('aria-expanded')).toBe('false');
    const menuBox = (await menu().boundingBox())!;
    expect(menuBox.height).toBeGreaterThanOrEqual(36);
    expect(await headerOverflow(driver.page, WIDTH)).toEqual([]);
    await driver.waitForMapIdle();
    await driver.screenshot('phone-map');

    await menu().tap();
    await expect.poll(() => panel().isVisible()).toBe(true);
    expect(await menu().getAttribute('aria-expanded')).toBe('true');
    const box = (await panel().boundingBox())!;
    expect(box.x).toBe(0);
    expect(box.width).toBeLessThanOrEqual(340);
    // A drawer over the map, not beside it: the map keeps the full width.
    expect((await driver.page.getByTestId('map').boundingBox())!.width).toBe(WIDTH);
    // Big enough to tap: every legend switch is at least 36 px high.
    const legendHeights = await driver.page.locator('.legend-item').evaluateAll((items) => items.map((item) => item.getBoundingClientRect().height));
    expect(Math.min(...legendHeights)).toBeGreaterThanOrEqual(36);
    // No room in a phone's header for the user: the drawer shows who is signed in and signs out.
    expect(await driver.page.getByTestId('user').isVisible()).toBe(false);
    expect(await driver.page.getByTestId('user-drawer').textContent()).toBe('admin 市攻坚办管理员');
    expect(await driver.page.getByTestId('sign-out-drawer').isVisible()).toBe(true);
    await driver.screenshot('phone-panel-open');

    await menu().tap();
    await expect.poll(() => panel().isVisible()).toBe(false);
    expect(await menu().getAttribute('aria-expanded')).toBe('false');
  });

  it('a site opens as a sheet from the bottom of the screen and closes again', async () => {
    const site = (await driver.api<SiteCollection>('/api/sites?located=true&source=demo')).features[0]!;
    await driver.openMap(`?site=${site.id}`);
    const sheet = driver.page.getByTestId('site-detail');
    await expect.poll(() => sheet.locator('h2').textContent()).toBe(site.properties.name);
    const box = (await sheet.boundingBox())!;
    expect(box.x).toBe(0);
    expect(box.width).toBe(WIDTH);
    expect(Math.abs(box.y + box.height - HEIGHT)).toBeLessThanOrEqual(1);
    expect(box.height).toBeLessThanOrEqual(HEIGHT * 0.6);
    expect(box.height).toBeGreaterThan(100);
    await driver.waitForMapIdle();
    await driver.screenshot('phone-site-detail');

    await sheet.getByRole('button', { name: zh.close }).tap();
    await expect.poll(() => sheet.count()).toBe(0);
    expect(driver.urlParams().has('site')).toBe(false);
  });

  it('sent no request beyond localhost during the whole session', () => {
    expect(driver.offHost).toEqual([]);
    expect(driver.pageErrors).toEqual([]);
  });

  it('a site opened by a link on a phone is visible above its detail sheet', async () => {
    const site = (await driver.api<SiteCollection>('/api/sites?located=true&source=demo')).features[0]!;
    await driver.openMap(`?site=${site.id}`);
    await driver.waitForMapIdle();
    const sheet = (await driver.page.getByTestId('site-detail').boundingBox())!;
    const pixel = await driver.pixelOf(site.geometry!.coordinates);
    expect(pixel.y).toBeLessThan(sheet.y);
    expect(pixel.canvasOnTop).toBe(true);
  });
});

describe('a county official on a phone', () => {
  const driver = useMapDriver({ viewport: { width: WIDTH, height: HEIGHT }, mobile: true, user: { role: 'county', counties: ['411102'] } });

  it('keeps the header to the menu, the title and the search; the county switch, the language and 新增点位 are in the drawer', async () => {
    await driver.openMap();
    expect(await headerOverflow(driver.page, WIDTH)).toEqual([]);
    // The search keeps room to type in.
    expect((await driver.page.locator('header.topbar .search input').boundingBox())!.width).toBeGreaterThanOrEqual(120);
    await driver.page.locator('.topbar .menu').tap();
    const scope = driver.page.getByTestId('scope-switch-drawer');
    await expect.poll(() => scope.isVisible()).toBe(true);
    expect(await scope.textContent()).toBe('源汇区');
    expect(await driver.page.getByTestId('create-site-drawer').isEnabled()).toBe(true);
    await driver.screenshot('phone-county-drawer');
    await scope.tap();
    await expect.poll(() => scope.getAttribute('aria-pressed')).toBe('true');
    expect(await scope.textContent()).toBe(zh.allCounties);
    await driver.page.getByTestId('lang-switch-drawer').tap();
    await expect.poll(() => driver.urlParams().get('lang')).toBe('en');
    expect(await driver.page.getByTestId('create-site-drawer').textContent()).toBe(en.createSite);
  });
});

describe('an inspector on a phone, on a re-check route', () => {
  const driver = useMapDriver({ viewport: { width: WIDTH, height: HEIGHT }, mobile: true, user: { role: 'inspector', counties: ['411102'] } });
  const firstStop = async () => {
    await driver.openMap('?panel=routes');
    await driver.page.locator('.topbar .menu').tap();
    const panel = driver.page.getByTestId('route-panel');
    await panel.getByRole('button', { name: zh.routePlan }).tap();
    const stop = panel.locator('.route-stops > li').first();
    await expect.poll(() => stop.count(), { timeout: 10_000 }).toBe(1);
    await stop.scrollIntoViewIfNeeded();
    return stop;
  };

  it('has room to type a stop’s note', async () => {
    const stop = await firstStop();
    // The note beside the result, the photo and 记录 was squeezed to one character's width (20 px).
    const note = stop.getByRole('textbox', { name: zh.note });
    expect((await note.boundingBox())!.width).toBeGreaterThanOrEqual(150);
    await driver.screenshot('phone-route-stop');
  });

  it('asks for the result: none is chosen for the inspector, and 记录 waits for one', async () => {
    const stop = await firstStop();
    // It started at 与记录一致（已关停）, even for a relapsed site: one hurried tap on 记录 said the site was found closed.
    const result = stop.getByRole('combobox', { name: zh.routeResult });
    expect(await result.inputValue()).toBe('');
    const record = stop.getByRole('button', { name: zh.routeRecord });
    expect(await record.isDisabled()).toBe(true);
    expect(await record.getAttribute('title')).toBe(zh.routeResultChoose);
    await result.selectOption('not_found');
    expect(await record.isEnabled()).toBe(true);
  });

  it('a stop’s site opens above the drawer, and closing it goes back to the route', async () => {
    const stop = await firstStop();
    const link = stop.locator('button.link').first();
    const name = (await link.textContent())!;
    // Tapping the stop's name opened the site's sheet under the drawer, where nothing of it showed.
    await link.tap();
    const sheet = driver.page.getByTestId('site-detail');
    await expect.poll(() => sheet.locator('h2').textContent()).toBe(name);
    const box = (await sheet.boundingBox())!;
    const onTop = await driver.page.evaluate(
      ([x, y]) => document.elementFromPoint(x!, y!)?.closest('[data-testid=site-detail]') !== null,
      [box.x + box.width / 4, box.y + box.height / 2],
    );
    expect(onTop).toBe(true);
    await driver.screenshot('phone-route-site');
    await sheet.getByRole('button', { name: zh.close }).tap();
    await expect.poll(() => sheet.count()).toBe(0);
    expect(await driver.page.getByTestId('route-panel').isVisible()).toBe(true);
  });
});
