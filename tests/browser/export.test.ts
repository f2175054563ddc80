// The export menu beside the filters: its links carry the view's filters (a county picked, a status
// switched off), and a file downloaded through the page is one GDAL reads with as many records as
// /api/sites lists under the same filters.
import { describe, expect, it } from 'vitest';
import { COUNTED_STATUSES } from '../../domain/statuses.ts';
import { useMapDriver } from '../helpers/browser.ts';
import type { SiteCollection } from '../helpers/app.ts';
import { ogrRead, ogrSummary, saveFile } from '../helpers/gdal.ts';
import { readFileSync } from 'node:fs';

const YUANHUI = '411102'; // 源汇区: holds the real, unlocated 叶岗村 coal point

describe('the export menu', () => {
  const driver = useMapDriver({ viewport: { width: 1280, height: 900 } });

  it('carries the current filters, says what KML/Shapefile leave out, and downloads files GDAL reads with the API’s counts', async () => {
    await driver.openMap();
    await driver.page.getByRole('combobox', { name: '县区', exact: true }).selectOption(YUANHUI);
    await driver.page.locator('[data-status="closed"]').click();
    await expect.poll(() => driver.urlParams().get('status')).toBe(COUNTED_STATUSES.filter((s) => s !== 'closed').join(','));

    const menu = driver.page.locator('.export-menu');
    const geojsonHref = await menu.locator('[data-layer="sites"] a[data-format="geojson"]').getAttribute('href');
    const params = new URL(geojsonHref!, driver.baseUrl).searchParams;
    expect(params.get('format')).toBe('geojson');
    expect(params.get('county')).toBe(YUANHUI);
    expect(params.get('status')!.split(',')).not.toContain('closed');
    expect(params.get('status')!.split(',')).toHaveLength(COUNTED_STATUSES.length - 1);
    const roadsHref = await menu.locator('[data-layer="roads"] a[data-format="kml"]').getAttribute('href');
    expect(Object.fromEntries(new URL(roadsHref!, driver.baseUrl).searchParams)).toEqual({ format: 'kml', layer: 'roads', county: YUANHUI });

    const filters = `county=${YUANHUI}&status=${params.get('status')}`;
    const all = await driver.api<SiteCollection>(`/api/sites?${filters}`);
    const unlocated = all.features.filter((f) => f.geometry === null).length;
    expect(unlocated).toBeGreaterThan(0);
    expect(all.features.some((f) => f.properties.status === 'closed' || f.properties.county !== YUANHUI)).toBe(false);
    await expect
      .poll(() => menu.locator('[data-layer="sites"] ~ .export-omitted').first().textContent())
      .toBe(`其中 ${unlocated} 处未定位：CSV、XLSX、GeoJSON 中坐标为空，KML、Shapefile 中不含`);
    await menu.scrollIntoViewIfNeeded();
    await driver.screenshot('export-menu');

    // A Shapefile through the page: only the located sites, as the note says.
    const [shp] = await Promise.all([driver.page.waitForEvent('download'), menu.locator('[data-layer="sites"] a[data-format="shp"]').click()]);
    expect(shp.suggestedFilename()).toMatch(/^三散污染源_\d{4}-\d{2}-\d{2}\.zip$/);
    const zip = saveFile(readFileSync((await shp.path())!), 'zip');
    expect(ogrSummary(`/vsizip/${zip}`)).toContain(`Feature Count: ${all.features.length - unlocated}\n`);

    // A CSV through the page: every site, the unlocated ones too.
    const [csv] = await Promise.all([driver.page.waitForEvent('download'), menu.locator('[data-layer="sites"] a[data-format="csv"]').click()]);
    const rows = ogrRead(saveFile(readFileSync((await csv.path())!), 'csv'));
    expect(rows.map((f) => Number(f.properties['编号']))).toEqual(all.features.map((f) => f.id));
    expect(driver.localFailures).toEqual([]);
    expect(driver.pageErrors).toEqual([]);
  });
});
