// The industrial-siege panel (工业围城): cells drawn over the core, the summary the API computed,
// a clicked cell listing its sites, and the downloads.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { zh } from '../../web/i18n/zh.ts';
import { useMapDriver } from '../helpers/browser.ts';

interface SiegeJson {
  core: { name: string };
  summary: { occupiedSectors: number; sectors: number };
  cells: { features: { properties: { inside: boolean; count: number; siteIds: number[] } }[] };
  placements: { id: number; name: string }[];
}

describe('the 工业围城 panel', () => {
  const driver = useMapDriver();

  it('draws the cells round the default core, shows the summary, and lists the sites of a clicked cell', async () => {
    const api = await driver.api<SiegeJson>('/api/analysis/siege');
    await driver.openMap('?panel=siege&v=114.02047,33.57733,10.2', { waitForClusters: true });
    const panel = driver.page.getByTestId('siege-panel');
    await expect
      .poll(() => panel.getByTestId('siege-occupancy').textContent(), { timeout: 10_000 })
      .toContain(`(${api.summary.occupiedSectors}/${api.summary.sectors})`);
    expect(await panel.textContent()).toContain(api.core.name);
    await driver.waitForMapIdle();
    // The map shows only the sites the analysis counts, and a legend of the choropleth's classes.
    const counted = new Set(api.placements.map((p) => p.id));
    await expect
      .poll(async () => (await driver.clusters()).filter((c) => !c.properties.cluster && !counted.has(c.properties.siteId!)).length, { timeout: 10_000 })
      .toBe(0);
    expect((await driver.clusters()).reduce((sum, c) => sum + c.properties.count, 0)).toBeLessThanOrEqual(counted.size);
    expect(await panel.getByTestId('siege-legend').locator('li').count()).toBe(5);
    expect(await panel.getByTestId('siege-legend').textContent()).toContain(`${counted.size} 个`);
    // The map holds one fill per cell outside the core; pick an occupied one and click its middle.
    const target = await driver.page.evaluate(() => {
      const map = (window as unknown as { __sansan: { map: MapLibreMap } }).__sansan.map;
      const cells = map.querySourceFeatures('siege-cells');
      const occupied = cells.find((cell) => Number(cell.properties.count) > 0);
      if (!occupied) return null;
      const ring = (occupied.geometry as GeoJSON.Polygon).coordinates[0]!;
      // A point well inside the cell: the mean of its vertices is inside for these convex cells.
      const lon = ring.reduce((s, p) => s + p[0]!, 0) / ring.length;
      const lat = ring.reduce((s, p) => s + p[1]!, 0) / ring.length;
      const raw = occupied.properties.siteIds as unknown;
      const ids = Array.isArray(raw) ? raw.map(Number) : (JSON.parse(String(raw)) as number[]);
      return { lon, lat, ids };
    });
    expect(target).not.toBeNull();
    const pixel = await driver.pixelOf([target!.lon, target!.lat]);
    await driver.page.mouse.click(pixel.x, pixel.y);
    const cellSection = driver.page.getByTestId('siege-cell');
    // The click may land on a site or cluster marker drawn over the cell; then the cell is not chosen.
    await expect.poll(() => cellSection.locator('li').count(), { timeout: 5_000 }).toBe(target!.ids.length);
    // The cell in words: its distance band and compass direction.
    expect(await cellSection.getByTestId('siege-cell-where').textContent()).toMatch(/^\d+(\.\d+)?–\d+(\.\d+)? km · \S+ \([NESW]{1,3}\) · \d+ 个点位$/);
    const names = new Map(api.placements.map((p) => [p.id, p.name]));
    expect(await cellSection.locator('li button').allTextContents()).toEqual(target!.ids.map((id) => names.get(id)));
    await driver.screenshot('siege-panel');
  });

  it('offers the cells as GeoJSON and the table as CSV for the same parameters', async () => {
    await driver.openMap('?panel=siege', { waitForClusters: false });
    const links = driver.page.getByTestId('siege-panel').locator('a[download]');
    await expect.poll(() => links.count(), { timeout: 10_000 }).toBe(2);
    const [geojson, csv] = await links.evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
    expect(geojson).toMatch(/format=geojson/);
    expect(csv).toMatch(/format=csv/);
    expect(await links.first().textContent()).toBe(zh.siegeExportGeojson);
    const response = await driver.page.request.get(csv!);
    expect(response.headers()['content-type']).toMatch(/text\/csv/);
    // Chinese headers first, their English names in the second row; the file named by the core and date.
    const [zhHeader, enHeader] = (await response.text()).replace(/^\ufeff/, '').split('\r\n');
    expect(zhHeader).toMatch(/^核心区,状态日期,距离带,/);
    expect(enHeader).toMatch(/^core,as of,band,/);
    expect(decodeURIComponent(/filename\*=UTF-8''(\S+)$/.exec(response.headers()['content-disposition']!)![1]!)).toMatch(
      /^工业围城_默认核心区.*_\d{4}-\d{2}-\d{2}\.csv$/,
    );
  });
});
