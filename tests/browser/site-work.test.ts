// Working on sites in the page, as a county official and as an inspector: status moves through
// discovered → rectifying → closed with the 两断三清 checklist and photos, the proof in the history,
// the map's colour and legend following; the same buttons refused on another county's site; a
// concurrent edit's 409 resolved without losing either value; a site created from coordinates
// pasted from 高德 (GCJ-02), stored in WGS84 within 1 m of the truth.
import { deflateSync, crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { CLOSURE_CHECKLIST, CLOSURE_CHECKLIST_LABELS, STATUS_LABELS, STATUS_MOVES, type StatusCode } from '../../domain/statuses.ts';
import { STATUS_COLORS } from '../../domain/status-colors.ts';
import { zh } from '../../web/i18n/zh.ts';
import { totalsByCounty, useMapDriver, type MapDriver } from '../helpers/browser.ts';
import { POINTS, type SiteCollection, type SiteDetail } from '../helpers/app.ts';

const OWN = '411102'; // 源汇区
const OTHER = '411103'; // 郾城区

/** A solid-colour PNG (a real image, so the thumbnail has pixels). */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A located demo site of `county` in `status` (not a fuel point). */
async function siteIn(driver: MapDriver, county: string, status: string): Promise<SiteCollection['features'][number]> {
  const sites = await driver.api<SiteCollection>(`/api/sites?located=true&county=${county}&status=${status}`);
  const candidates = sites.features.filter((f) => f.properties.category !== 'fuel_point');
  // An exact one when there is one: approximate sites can share a village point on the map.
  const site = candidates.find((f) => f.properties.precision === 'exact') ?? candidates[0];
  expect(site, `a ${status} site in ${county}`).toBeDefined();
  return site!;
}

const legendCount = (driver: MapDriver, status: StatusCode) =>
  driver.page.locator(`.legend-item[data-status=${status}] .legend-count`).textContent().then(Number);

/** The colour the map paints the site's circle with (what MapLibre rendered for it). */
async function paintedColour(driver: MapDriver, siteId: number): Promise<string | null> {
  await driver.waitForMapIdle();
  return driver.page.evaluate((id) => {
    const map = (window as unknown as { __sansan: { map: MapLibreMap } }).__sansan.map;
    const feature = map.queryRenderedFeatures({ layers: ['sites'] }).find((f) => f.properties.siteId === id);
    const colour = feature?.layer.paint?.['circle-color' as keyof typeof feature.layer.paint] as unknown as { r: number; g: number; b: number } | undefined;
    if (!colour) return null;
    const hex = (v: number) =>
      Math.round(v * 255)
        .toString(16)
        .padStart(2, '0');
    return `#${hex(colour.r)}${hex(colour.g)}${hex(colour.b)}`;
  }, siteId);
}

/** The last entry of the history: label, note, checklist words, photos. */
async function lastHistoryEntry(driver: MapDriver) {
  const entry = driver.page.locator('[data-testid=site-history] > li').last();
  return {
    label: await entry.locator('b').textContent(),
    note: await entry.locator('.note').textContent(),
    checklist: await entry.locator('.checklist-done li').allTextContents(),
    photos: await entry.locator('.photo-thumbs a').evaluateAll((links) =>
      links.map((a) => ({
        href: a.getAttribute('href'),
        target: a.getAttribute('target'),
        loaded: ((a.querySelector('img') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0,
      })),
    ),
  };
}

for (const role of ['county', 'inspector'] as const) {
  describe(`working on sites as ${role === 'county' ? 'a county official' : 'an inspector'} of 源汇区`, () => {
    const driver = useMapDriver({ user: { role, counties: [OWN] }, viewport: { width: 1280, height: 900 } });
    const detail = () => driver.page.getByTestId('site-detail');
    const moveButton = (status: StatusCode) => detail().getByRole('button', { name: zh.moveTo.replace('{status}', STATUS_LABELS[status]) });

    it('moves a site of the county discovered → rectifying → closed with the full checklist and photos; the history, the map colour and the legend follow', async () => {
      const site = await siteIn(driver, OWN, 'discovered');
      const [lon, lat] = site.geometry!.coordinates;
      await driver.openMap(`?v=${lon.toFixed(5)},${lat.toFixed(5)},17.00&site=${site.id}`);
      await expect.poll(() => detail().locator('h2').textContent()).toBe(site.properties.name);
      await driver.waitForClusters();
      await expect.poll(() => paintedColour(driver, site.id)).toBe(STATUS_COLORS.discovered);
      const before = {
        discovered: await legendCount(driver, 'discovered'),
        rectifying: await legendCount(driver, 'rectifying'),
        closed: await legendCount(driver, 'closed'),
      };

      // Exactly the allowed next statuses, in the status words; 已撤销（误录） only for admins.
      expect(await detail().locator('.move-buttons button').allTextContents()).toEqual(
        ['rectifying', 'closed', 'upgraded', 'relocated', 'voided'].map((s) => zh.moveTo.replace('{status}', STATUS_LABELS[s as StatusCode])),
      );
      expect(await moveButton('voided').isDisabled()).toBe(true);
      expect(await moveButton('voided').getAttribute('title')).toBe(zh.deniedRole.replace('{role}', role === 'county' ? zh.roleCounty : zh.roleInspector));
      expect(await moveButton('rectifying').isDisabled()).toBe(false);

      await moveButton('rectifying').click();
      const form = detail().locator('form.event-form');
      await form.getByLabel(zh.note).fill('责令停产整改');
      await form.getByRole('button', { name: zh.confirm }).click();
      await expect.poll(() => detail().locator('.status-badge').textContent()).toBe(STATUS_LABELS.rectifying);
      expect(await lastHistoryEntry(driver)).toMatchObject({ label: STATUS_LABELS.rectifying, note: '责令停产整改', checklist: [] });
      await expect.poll(() => legendCount(driver, 'rectifying')).toBe(before.rectifying + 1);
      expect(await legendCount(driver, 'discovered')).toBe(before.discovered - 1);
      await expect.poll(() => paintedColour(driver, site.id)).toBe(STATUS_COLORS.rectifying);

      // rectifying → closed: the checklist, each item with a label; confirm waits for all five.
      expect(await detail().locator('.move-buttons button').allTextContents()).toEqual(
        ['closed', 'upgraded', 'relocated', 'voided'].map((s) => zh.moveTo.replace('{status}', STATUS_LABELS[s as StatusCode])),
      );
      await moveButton('closed').click();
      const checklist = detail().getByTestId('closure-checklist');
      const confirm = form.getByRole('button', { name: zh.confirm });
      expect(await checklist.locator('.checklist-item > label:first-child').allTextContents()).toEqual(
        CLOSURE_CHECKLIST.map((item) => CLOSURE_CHECKLIST_LABELS[item]),
      );
      for (const item of CLOSURE_CHECKLIST.slice(0, 4)) await checklist.getByLabel(CLOSURE_CHECKLIST_LABELS[item], { exact: true }).check();
      expect(await confirm.isDisabled()).toBe(true);
      await checklist
        .getByLabel(zh.checklistPhoto.replace('{item}', CLOSURE_CHECKLIST_LABELS.cutWater))
        .setInputFiles({ name: 'water.png', mimeType: 'image/png', buffer: png(40, 30, [30, 90, 200]) });
      await form.getByLabel(zh.eventPhotos).setInputFiles({ name: 'gate.png', mimeType: 'image/png', buffer: png(40, 30, [200, 40, 40]) });
      await form.getByLabel(zh.note).fill('两断三清完成');
      await driver.screenshot(`${role}-closure-checklist-incomplete`);
      await checklist.getByLabel(CLOSURE_CHECKLIST_LABELS.clearProducts, { exact: true }).check();
      expect(await confirm.isDisabled()).toBe(false);
      await confirm.click();

      await expect.poll(() => detail().locator('.status-badge').textContent()).toBe(STATUS_LABELS.closed);
      await expect.poll(async () => (await lastHistoryEntry(driver)).photos.every((p) => p.loaded)).toBe(true);
      const closed = await lastHistoryEntry(driver);
      expect(closed.label).toBe(STATUS_LABELS.closed);
      expect(closed.note).toBe('两断三清完成');
      expect(closed.checklist).toEqual(CLOSURE_CHECKLIST.map((item) => `✓ ${CLOSURE_CHECKLIST_LABELS[item]}`));
      expect(closed.photos).toHaveLength(2);
      for (const photo of closed.photos)
        expect(photo).toMatchObject({ href: expect.stringMatching(/^\/api\/photos\/[0-9a-f]{32}\.png$/), target: '_blank', loaded: true });
      // The full-size image behind a thumbnail is the photo uploaded.
      const full = await driver.page.evaluate(
        (href) =>
          fetch(href!)
            .then((r) => r.arrayBuffer())
            .then((b) => b.byteLength),
        closed.photos[0]!.href,
      );
      expect(full).toBeGreaterThan(60);

      const stored = await driver.api<SiteDetail>(`/api/sites/${site.id}`);
      expect(stored.properties.status).toBe('closed');
      expect(stored.events.at(-1)!.actor).toBe(`${role}-${OWN}`);
      await expect.poll(() => legendCount(driver, 'closed')).toBe(before.closed + 1);
      expect(await legendCount(driver, 'rectifying')).toBe(before.rectifying);
      expect(await legendCount(driver, 'discovered')).toBe(before.discovered - 1);
      await expect.poll(() => paintedColour(driver, site.id)).toBe(STATUS_COLORS.closed);
      await driver.screenshot(`${role}-closed-history`);
    });

    it('on a site of another county the same buttons are there, disabled, saying why', async () => {
      const site = await siteIn(driver, OTHER, 'discovered,rectifying,relapsed');
      await driver.openMap(`?v=113.93000,33.67000,12.00&site=${site.id}`);
      await expect.poll(() => detail().locator('h2').textContent()).toBe(site.properties.name);
      const buttons = detail().locator('.move-buttons button');
      expect(await buttons.allTextContents()).toEqual(STATUS_MOVES[site.properties.status].map((s) => zh.moveTo.replace('{status}', STATUS_LABELS[s])));
      const countyReason = zh.deniedCounty.replace('{counties}', '源汇区');
      for (const button of await buttons.all()) {
        expect(await button.isDisabled()).toBe(true);
        const voiding = (await button.textContent())!.includes(STATUS_LABELS.voided);
        expect(await button.getAttribute('title')).toBe(
          voiding ? zh.deniedRole.replace('{role}', role === 'county' ? zh.roleCounty : zh.roleInspector) : countyReason,
        );
      }
      const edit = detail().getByRole('button', { name: zh.editSite });
      expect(await edit.isDisabled()).toBe(true);
      expect(await edit.getAttribute('title')).toBe(role === 'county' ? countyReason : zh.deniedRole.replace('{role}', zh.roleInspector));
      await driver.screenshot(`${role}-other-county-refused`);
    });
  });
}

describe('editing and creating sites as a county official of 源汇区', () => {
  const driver = useMapDriver({ user: { role: 'county', counties: [OWN] }, viewport: { width: 1280, height: 900 } });
  const detail = () => driver.page.getByTestId('site-detail');

  it('a concurrent edit is shown (who, when, both values) and keeping mine loses neither edit', async () => {
    const site = await siteIn(driver, OWN, 'rectifying');
    await driver.openMap(`?v=113.95000,33.55000,12.00&site=${site.id}`);
    await expect.poll(() => detail().locator('h2').textContent()).toBe(site.properties.name);
    await detail().getByRole('button', { name: zh.editSite }).click();
    const form = detail().getByTestId('site-edit');
    await form.getByLabel(zh.siteName).fill('新名称（县区修改）');

    // Meanwhile a second session (an admin) changes the address and the name.
    const read = await driver.api<SiteDetail>(`/api/sites/${site.id}`);
    await driver.send('PATCH', `/api/sites/${site.id}`, { version: read.properties.version, address: '他人改的地址', name: '他人改的名称' });

    await form.getByRole('button', { name: zh.save }).click();
    const conflict = form.getByTestId('edit-conflict');
    await expect.poll(() => conflict.count()).toBe(1);
    expect(await conflict.locator('p').first().textContent()).toContain('admin');
    expect(await conflict.locator('tr[data-field=name] .mine').textContent()).toBe('新名称（县区修改）');
    expect(await conflict.locator('tr[data-field=name] .theirs').textContent()).toBe('他人改的名称');
    await driver.screenshot('county-edit-conflict');

    await conflict.getByRole('button', { name: zh.conflictKeepMine }).click();
    await expect.poll(() => detail().locator('h2').textContent()).toBe('新名称（县区修改）');
    const after = await driver.api<SiteDetail>(`/api/sites/${site.id}`);
    expect(after.properties.name).toBe('新名称（县区修改）');
    // Their other field is kept, and their name is in the audit trail, not lost silently.
    expect(after.properties.address).toBe('他人改的地址');
  });

  it('creates a site from GCJ-02 coordinates copied from 高德: the county is shown first, the stored WGS84 is within 1 m of the truth', async () => {
    const truth: [number, number] = [POINTS[OWN][0] + 0.00123, POINTS[OWN][1] - 0.00234];
    const [gcjLon, gcjLat] = wgs84ToGcj02(truth[0], truth[1]);
    await driver.openMap('?v=113.95000,33.55000,12.00');
    const drawnBefore = (await driver.clusterTotalsByCounty())[OWN] ?? 0;
    await driver.page.getByTestId('create-site').click();
    const form = driver.page.getByTestId('site-create');
    await form.getByLabel(zh.coordsSystem).selectOption('gcj02');
    // What 高德 copies: "lon,lat" with six decimals.
    await form.getByLabel(zh.coordsPaste).fill(`${gcjLon.toFixed(6)},${gcjLat.toFixed(6)}`);
    await expect.poll(() => form.getByTestId('create-county').textContent()).toBe(zh.createCounty.replace('{county}', '源汇区'));
    await form.getByLabel(zh.siteName).fill('高德坐标新增的砂石料场');
    await form.getByLabel(zh.category).selectOption('sand_yard');
    await driver.screenshot('county-create-site');
    const created = driver.page.waitForResponse((r) => r.url().endsWith('/api/sites') && r.request().method() === 'POST');
    await form.getByRole('button', { name: zh.createSave }).click();
    const response = await created;
    expect(response.status()).toBe(201);
    const { id } = (await response.json()) as { id: number };
    await expect.poll(() => detail().locator('h2').textContent()).toBe('高德坐标新增的砂石料场');
    const stored = await driver.api<SiteDetail>(`/api/sites/${id}`);
    expect(stored.properties.county).toBe(OWN);
    expect(stored.properties.precision).toBe('exact');
    expect(metres(stored.geometry!.coordinates, truth)).toBeLessThan(1);
    // The map's clusters (asked of the server per view) count it at the next refresh, without a reload:
    // back at the view it was created from (the page flew to the new site), its county has one more.
    await driver.waitForClusters();
    const renders = await driver.renders();
    await driver.page.evaluate(() =>
      (window as unknown as { __sansan: { map: { jumpTo(view: { center: [number, number]; zoom: number }): void } } }).__sansan.map.jumpTo({
        center: [113.95, 33.55],
        zoom: 12,
      }),
    );
    expect(totalsByCounty(await driver.waitForClusters(renders))[OWN] ?? 0).toBe(drawnBefore + 1);
  });

  it('a position outside the official’s counties is refused in the form, before any request', async () => {
    await driver.openMap('?v=113.95000,33.55000,12.00');
    await driver.page.getByTestId('create-site').click();
    const form = driver.page.getByTestId('site-create');
    let posted = 0;
    driver.page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/sites')) posted++;
    });
    await form.getByLabel(zh.coordsSystem).selectOption('wgs84');
    await form.getByLabel(zh.coordsPaste).fill(`${POINTS[OTHER][0]}, ${POINTS[OTHER][1]}`);
    await form.getByLabel(zh.siteName).fill('不该保存的点位');
    await expect.poll(() => form.getByTestId('create-county').textContent()).toBe(zh.createCounty.replace('{county}', '郾城区'));
    expect(await form.getByTestId('create-county-refused').textContent()).toBe(zh.deniedCounty.replace('{counties}', '源汇区'));
    expect(await form.getByRole('button', { name: zh.createSave }).isDisabled()).toBe(true);
    await driver.screenshot('county-create-refused');
    expect(posted).toBe(0);
  });
});

// GCJ-02 forward transform (the published 国测局 offset formula on the Krasovsky ellipsoid), written
// here independently of gcoord, which the page uses for the inverse.
function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  const a = 6378245.0;
  const ee = 0.006693421622965943;
  const x = lon - 105.0;
  const y = lat - 35.0;
  let dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  dLat += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  dLat += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  dLat += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  let dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  dLon += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  dLon += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  dLon += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - ee * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((a * (1 - ee)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180.0) / ((a / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/** Great-circle distance in metres. */
function metres(a: readonly number[], b: readonly number[]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1]! - a[1]!) * rad;
  const dLon = (b[0]! - a[0]!) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1]! * rad) * Math.cos(b[1]! * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

describe('what only an admin does: voiding a site entered by mistake; placing a record says how sure', () => {
  const driver = useMapDriver({ viewport: { width: 1280, height: 900 } });
  const detail = () => driver.page.getByTestId('site-detail');

  it('已撤销（误录） asks for the reason, keeps the move in the history and takes the site off the map and the legend', async () => {
    const site = await siteIn(driver, OWN, 'rectifying');
    const [lon, lat] = site.geometry!.coordinates;
    await driver.openMap(`?v=${lon.toFixed(5)},${lat.toFixed(5)},17.00&site=${site.id}`);
    await expect.poll(() => detail().locator('h2').textContent()).toBe(site.properties.name);
    await driver.waitForClusters();
    const before = await legendCount(driver, 'rectifying');
    expect((await driver.clusters()).some((f) => f.properties.siteId === site.id)).toBe(true);

    await detail()
      .getByRole('button', { name: zh.moveTo.replace('{status}', STATUS_LABELS.voided) })
      .click();
    const form = detail().locator('form.event-form');
    const confirm = form.getByRole('button', { name: zh.confirm });
    expect(await confirm.isDisabled()).toBe(true);
    await form.getByLabel(zh.eventReason).fill('与另一条记录重复录入');
    await driver.screenshot('admin-void-reason');
    await confirm.click();

    await expect.poll(() => detail().locator('.status-badge').textContent()).toBe(STATUS_LABELS.voided);
    expect(await lastHistoryEntry(driver)).toMatchObject({ label: STATUS_LABELS.voided, note: '与另一条记录重复录入' });
    expect(await detail().locator('.move-buttons').count()).toBe(0);
    await expect.poll(() => legendCount(driver, 'rectifying')).toBe(before - 1);
    await expect.poll(async () => (await driver.clusters()).some((f) => f.properties.siteId === site.id)).toBe(false);
  });

  it('placing an unlocated record by a click asks 精确/大致, 大致 unless the person says otherwise', async () => {
    const real = (await driver.api<SiteCollection>('/api/sites?located=false&source=real')).features.find((f) => f.properties.county === OWN)!;
    await driver.openMap(`?v=${POINTS[OWN][0].toFixed(5)},${POINTS[OWN][1].toFixed(5)},13.00&site=${real.id}`);
    await expect.poll(() => detail().locator('h2').textContent()).toBe(real.properties.name);
    await detail().getByRole('button', { name: zh.placeOnMap }).click();
    await driver.waitForMapIdle();
    const pixel = await driver.pixelOf([POINTS[OWN][0], POINTS[OWN][1]]);
    await driver.page.mouse.click(pixel.x, pixel.y);
    const choice = driver.page.getByTestId('precision-choice');
    await expect.poll(() => choice.count()).toBe(1);
    expect(await choice.getByLabel(zh.precisionChoiceApproximate).isChecked()).toBe(true);
    expect(await choice.getByLabel(zh.precisionChoiceExact).isChecked()).toBe(false);
    await driver.screenshot('admin-place-precision');
    await driver.page.locator('.mode-bar').getByRole('button', { name: zh.confirm }).click();
    await expect.poll(async () => (await driver.api<SiteDetail>(`/api/sites/${real.id}`)).properties.precision).toBe('approximate');
  });
});
