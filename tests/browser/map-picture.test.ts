// 导出地图 in the export menu: the current view as a PNG (A4 landscape at 150 dpi, A3 portrait) and a
// PDF of exactly an A4 page, downloaded through the page and read back with ImageMagick and poppler:
// page size, the map not blank, the legend's status colours, the title's ink, and the red demo note
// only when demo records are in view.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATUS_COLORS } from '../../domain/status-colors.ts';
import { COUNTED_STATUSES } from '../../domain/statuses.ts';
import { useMapDriver } from '../helpers/browser.ts';
import { ogrSummary, saveFile } from '../helpers/gdal.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

/** ImageMagick: `-format` text of a region (WxH+X+Y) or the whole image. */
// Debian's ImageMagick (apt imagemagick, installed by .ci/run), not whatever else is called convert on the PATH.
const CONVERT = existsSync('/usr/bin/convert') ? '/usr/bin/convert' : 'convert';
const magick = (path: string, format: string, region?: string) =>
  execFileSync(CONVERT, [path, ...(region ? ['-crop', region, '+repage'] : []), '-format', format, 'info:'], { encoding: 'utf8' });
/** The distinct colours of a region, as lowercase #rrggbb. */
const colours = (path: string, region: string) =>
  new Set(
    [
      ...execFileSync(CONVERT, [path, '-crop', region, '+repage', '-alpha', 'off', '-unique-colors', 'txt:'], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      }).matchAll(/#([0-9A-F]{6})/gi),
    ].map((m) => `#${m[1]!.toLowerCase()}`),
  );
/** How many pixels of a region are close to a colour (fuzz), e.g. the demo note's red. */
const near = (path: string, region: string, colour: string, fuzz = '12%') =>
  Number(
    execFileSync(
      CONVERT,
      [
        path,
        '-crop',
        region,
        '+repage',
        '-alpha',
        'off',
        '-fuzz',
        fuzz,
        '-fill',
        'black',
        '-opaque',
        colour,
        '-fill',
        'white',
        '+opaque',
        'black',
        '-negate',
        '-format',
        '%[fx:mean*w*h]',
        'info:',
      ],
      { encoding: 'utf8' },
    ),
  );

describe('导出地图 (the map as a picture)', () => {
  const driver = useMapDriver({ viewport: { width: 1280, height: 900 } });

  async function download(format: 'png' | 'pdf'): Promise<{ path: string; name: string }> {
    const menu = driver.page.getByTestId('map-picture');
    const [file] = await Promise.all([driver.page.waitForEvent('download'), menu.locator(`[data-picture="${format}"]`).click()]);
    return { path: saveFile(readFileSync((await file.path())!), format), name: file.suggestedFilename() };
  }

  it('PNG: an A4 landscape page at 150 dpi with title, map, legend colours and the demo note; A3 portrait', async () => {
    await driver.openMap();
    await driver.waitForMapIdle();
    const menu = driver.page.getByTestId('map-picture');
    await menu.scrollIntoViewIfNeeded();
    await driver.screenshot('map-picture-menu');

    const { path, name } = await download('png');
    copyFileSync(path, `${SHOTS}/map-picture-a4.png`);
    expect(name).toMatch(/^漯河市三散污染源分布图_\d{4}-\d{2}-\d{2}_A4\.png$/);
    expect(magick(path, '%w×%h')).toBe('1754×1240');
    // The map frame (left part under the title) is a picture, not one flat colour.
    expect(Number(magick(path, '%[fx:standard_deviation]', '1100x800+60+170'))).toBeGreaterThan(0.05);
    // The title has ink; the legend column holds every status colour (a dot each).
    expect(Number(magick(path, '%[fx:mean]', '700x50+48+45'))).toBeLessThan(0.97);
    const legend = colours(path, '400x700+1306+150');
    for (const colour of COUNTED_STATUSES.map((status) => STATUS_COLORS[status])) expect(legend, colour).toContain(colour.toLowerCase());
    // Demo records are in the city view: the red demo note is in the footer.
    expect(near(path, '1658x120+48+1120', '#c92a2a')).toBeGreaterThan(200);

    await menu.getByRole('combobox', { name: '纸张' }).selectOption('a3');
    await menu.getByRole('combobox', { name: '方向' }).selectOption('portrait');
    const a3 = await download('png');
    expect(a3.name).toMatch(/_A3\.png$/);
    expect(magick(a3.path, '%w×%h')).toBe('1754×2480');
    copyFileSync(a3.path, `${SHOTS}/map-picture-a3-portrait.png`);
    expect(driver.pageErrors).toEqual([]);
  });

  it('PDF: one A4 landscape page whose picture has the map and the legend; no demo note when only real records are shown (no demo sites, roads hidden)', async () => {
    await driver.openMap('?source=real&roads=0', { waitForClusters: false }); // the road segments in view are demo records
    await expect.poll(() => driver.countyPolygonsOnMap()).toBeGreaterThan(0);
    await driver.waitForMapIdle();
    const { path, name } = await download('pdf');
    expect(name).toMatch(/\.pdf$/);
    const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(info).toMatch(/Title:\s+漯河市三散污染源分布图\n/);
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.28 pts \(A4\)/);
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', path, path.replace(/\.pdf$/, '')]);
    const page = path.replace(/\.pdf$/, '.png');
    copyFileSync(page, `${SHOTS}/map-picture-pdf-page.png`);
    expect(magick(page, '%w×%h')).toMatch(/^175[34]×12(39|40|41)$/); // pdftoppm rounds the page's points
    expect(Number(magick(page, '%[fx:standard_deviation]', '1100x800+60+170'))).toBeGreaterThan(0.05);
    expect(Number(magick(page, '%[fx:mean]', '700x50+48+45'))).toBeLessThan(0.97);
    expect(near(page, '1658x120+48+1120', '#c92a2a')).toBeLessThan(20); // real records only: no demo note

    // The (demo) road segments switched on: the note is back.
    await driver.page.getByRole('checkbox', { name: '显示道路路段' }).check();
    await driver.waitForMapIdle();
    const withRoads = await download('png');
    expect(near(withRoads.path, '1658x120+48+1120', '#c92a2a')).toBeGreaterThan(200);
    expect(driver.pageErrors).toEqual([]);
  });

  it('the export menu offers GeoPackage, labels files CGCS2000 when chosen, and shows the OGC API address', async () => {
    await driver.openMap();
    const menu = driver.page.locator('.export-menu');
    await menu.getByRole('combobox', { name: '坐标系' }).selectOption('cgcs2000');
    const link = menu.locator('[data-layer="sites"] a[data-format="gpkg"]');
    expect(new URL((await link.getAttribute('href'))!, driver.baseUrl).searchParams.get('crs')).toBe('cgcs2000');
    await expect.poll(() => menu.locator('.ogc-url').textContent()).toBe(`${driver.baseUrl}/api/ogc`);
    await menu.getByRole('combobox', { name: '坐标系' }).scrollIntoViewIfNeeded();
    await driver.screenshot('export-menu-crs');
    const [file] = await Promise.all([driver.page.waitForEvent('download'), link.click()]);
    expect(file.suggestedFilename()).toMatch(/^三散污染源_\d{4}-\d{2}-\d{2}_CGCS2000\.gpkg$/);
    const summary = ogrSummary(saveFile(readFileSync((await file.path())!), 'gpkg'));
    expect(summary).toMatch(/Layer name: sites[\s\S]*ID\["EPSG",4490\]/);
    expect(summary).toContain('Layer name: roads');
  });

  it('from the 工业围城 tab: the picture’s legend carries the siege cells shown on the map', async () => {
    await driver.openMap('?panel=siege');
    await expect
      .poll(
        () =>
          driver.page.evaluate(
            () =>
              (
                window as unknown as { __sansan: { map: { queryRenderedFeatures: (q: { layers: string[] }) => unknown[] } } }
              ).__sansan.map.queryRenderedFeatures({ layers: ['siege-cells'] }).length,
          ),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    await driver.waitForMapIdle();
    const elsewhere = driver.page.locator('.map-picture-elsewhere');
    await elsewhere.locator('summary').click();
    await driver.screenshot('map-picture-siege-tab');
    const { path } = await download('png');
    copyFileSync(path, `${SHOTS}/map-picture-siege.png`);
    // The cells' colour ramp in the legend: its middle stop, which no status dot blended with white comes near.
    expect(near(path, '400x700+1306+150', '#fc8d59', '3%')).toBeGreaterThan(5);
  });
});
