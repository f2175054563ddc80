// The map as a person first sees it: offline basemap with county names, clusters whose counts add
// up to the API's per-county totals, status layers that switch exactly their sites off, and
// cluster markers that zoom in when clicked.
import { describe, expect, it } from 'vitest';
import { CATEGORY_LABELS } from '../../domain/categories.ts';
import { COUNTED_STATUSES, STATUS_CODES, type StatusCode } from '../../domain/statuses.ts';
import { sum, totalsByCounty, useMapDriver } from '../helpers/browser.ts';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { CountyFeature, SiteCollection } from '../helpers/app.ts';

/** The whole city fits in the default view (zoom 8.9) of a 1280×800 window. */
const WHOLE_CITY = '?v=113.88000,33.70000,8.90';

function bboxOf(coordinates: unknown, box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity]) {
  if (Array.isArray(coordinates) && typeof coordinates[0] === 'number') {
    const [lon, lat] = coordinates as [number, number];
    box[0] = Math.min(box[0], lon);
    box[1] = Math.min(box[1], lat);
    box[2] = Math.max(box[2], lon);
    box[3] = Math.max(box[3], lat);
  } else if (Array.isArray(coordinates)) for (const part of coordinates) bboxOf(part, box);
  return box;
}

describe('the map on a desktop', () => {
  const driver = useMapDriver({ viewport: { width: 1280, height: 800 } });

  it('loads with no network beyond localhost and shows county names and clusters', async () => {
    await driver.openMap();
    await driver.waitForMapIdle();
    const counties = await driver.api<{ features: CountyFeature[] }>('/api/counties');
    const names = counties.features.map((f) => f.properties.name).sort();

    expect(driver.offHost).toEqual([]);
    expect(driver.localFailures).toEqual([]);
    expect(driver.pageErrors).toEqual([]);
    expect(await driver.countyPolygonsOnMap()).toBe(counties.features.length);
    expect(await driver.renderedCountyLabels()).toEqual(names);
    const markers = await driver.page.locator('.cluster-marker').count();
    expect(markers).toBeGreaterThan(0);
    const clusters = await driver.clusters();
    expect(markers).toBe(clusters.filter((f) => f.properties.cluster).length);
    await driver.screenshot('desktop-whole-city');

    // The page's Content-Security-Policy stops an off-host request before it leaves the browser.
    const probe = await driver.page.evaluate(() =>
      fetch('https://example.com/probe').then(
        () => 'loaded',
        () => 'blocked',
      ),
    );
    expect(probe).toBe('blocked');
    expect(driver.offHost).toEqual([]);
    // The recorder itself works: from a page without our CSP, an off-host request is blocked and listed.
    const blank = await driver.context.newPage();
    expect(
      await blank.evaluate(() =>
        fetch('https://example.com/probe').then(
          () => 'loaded',
          () => 'blocked',
        ),
      ),
    ).toBe('blocked');
    await blank.close();
    expect(driver.offHost).toEqual(['https://example.com/probe']);
    driver.offHost.length = 0;
  });

  it('hides the layers of sources that hold nothing, and shows them once their data comes', async () => {
    const visibility = (layers: string[]) =>
      driver.page.evaluate((ids) => {
        const map = (window as unknown as { __sansan: { map: MapLibreMap } }).__sansan.map;
        return Object.fromEntries(ids.map((id) => [id, (map.getLayoutProperty(id, 'visibility') as string | undefined) ?? 'visible']));
      }, layers);
    await driver.openMap(WHOLE_CITY);
    await driver.waitForMapIdle();
    expect(await visibility(['county-line', 'county-label', 'selected-halo', 'route-line', 'siege-cells', 'highlight-points'])).toEqual({
      'county-line': 'visible',
      'county-label': 'visible',
      'selected-halo': 'none',
      'route-line': 'none',
      'siege-cells': 'none',
      'highlight-points': 'none',
    });
    // A site opened by a link: the selected source gets its point, and its halo is drawn.
    const site = (await driver.api<SiteCollection>('/api/sites?located=true&source=demo')).features[0]!;
    await driver.openMap(`?site=${site.id}`);
    await driver.waitForMapIdle();
    expect(await visibility(['selected-halo', 'route-line'])).toEqual({ 'selected-halo': 'visible', 'route-line': 'none' });
    const halo = await driver.page.evaluate(
      (position) => {
        const map = (window as unknown as { __sansan: { map: MapLibreMap } }).__sansan.map;
        return map.queryRenderedFeatures(map.project(position), { layers: ['selected-halo'] }).length;
      },
      site.geometry!.coordinates as [number, number],
    );
    expect(halo).toBe(1);
  });

  it('writes no county name under a cluster ring, at the whole city and closer in', async () => {
    for (const view of [WHOLE_CITY, '?v=113.98000,33.58000,9.60', '?v=114.02000,33.57000,10.40']) {
      await driver.openMap(view);
      await driver.waitForMapIdle();
      // MapLibre answers a box query on a symbol layer with the labels whose placed boxes meet it:
      // the box here is each ring's own rectangle in the page, less a pixel of antialiasing.
      const covered = await driver.page.evaluate(() => {
        const map = (window as unknown as { __sansan: { map: MapLibreMap } }).__sansan.map;
        const canvas = map.getCanvas().getBoundingClientRect();
        const hits: string[] = [];
        for (const ring of document.querySelectorAll('.cluster-marker')) {
          const r = ring.getBoundingClientRect();
          const box: [[number, number], [number, number]] = [
            [r.left - canvas.left + 1, r.top - canvas.top + 1],
            [r.right - canvas.left - 1, r.bottom - canvas.top - 1],
          ];
          for (const label of map.queryRenderedFeatures(box, { layers: ['county-label'] }))
            hits.push(`${String(label.properties.label)} under ${ring.textContent}`);
        }
        return hits;
      });
      expect(covered, view).toEqual([]);
      expect((await driver.renderedCountyLabels()).length, view).toBeGreaterThan(0);
    }
  });

  it.each([
    ['no filters', ''],
    ['a category filter', 'category=sand_yard,coal_point'],
    ['an as-of date', 'asOf=2021-06-30'],
  ])('at a whole-city view, cluster counts per county equal the API totals with %s', async (_label, query) => {
    await driver.openMap(`${WHOLE_CITY}${query ? `&${query}` : ''}`);
    const [west, south, east, north] = await driver.bounds();
    const counties = await driver.api<{ features: CountyFeature[] }>('/api/counties');
    const city = bboxOf(counties.features.map((f) => f.geometry.coordinates));
    expect(west < city[0] && south < city[1] && east > city[2] && north > city[3], 'the view shows the whole city').toBe(true);

    const expected = await driver.countyTotalsOnMap(query);
    expect(await driver.locatedSitesByCounty(query)).toEqual(expected);
    const drawn = await driver.clusterTotalsByCounty();
    expect(drawn).toEqual(expected);
    expect(sum(drawn)).toBeGreaterThan(0);
  });

  it('filters chosen in the panel reach the URL, the legend counts and the clusters', async () => {
    await driver.openMap(WHOLE_CITY);
    await driver.page.locator('.chip', { hasText: CATEGORY_LABELS.sand_yard }).click();
    await expect.poll(() => driver.urlParams().get('category')).toBe('sand_yard');
    const sandYards = await driver.countyTotalsOnMap('category=sand_yard');
    await expect.poll(() => driver.clusterTotalsByCounty(), { timeout: 5_000 }).toEqual(sandYards);

    await driver.page.locator('input[type=date]').fill('2020-12-31');
    await expect.poll(() => driver.urlParams().get('asOf')).toBe('2020-12-31');
    const query = 'category=sand_yard&asOf=2020-12-31';
    const expected = await driver.countyTotalsOnMap(query);
    expect(expected).not.toEqual(sandYards);
    await expect.poll(() => driver.clusterTotalsByCounty(), { timeout: 5_000 }).toEqual(expected);

    // The legend counts every site under these filters, located or not (/api/counties).
    const counties = await driver.api<{ features: CountyFeature[] }>(`/api/counties?${query}`);
    const byStatus = Object.fromEntries(
      COUNTED_STATUSES.map((status) => [status, String(counties.features.reduce((n, f) => n + (f.properties.byStatus[status] ?? 0), 0))]),
    );
    // The legend keeps the last answer on screen while the new filters' counts load (as the clusters
    // do): wait for it, as for the clusters, rather than read it once.
    const legend = async () =>
      Object.fromEntries(
        await Promise.all(
          COUNTED_STATUSES.map(async (status) => [status, await driver.page.locator(`.legend-item[data-status=${status}] .legend-count`).textContent()]),
        ),
      );
    await expect.poll(legend, { timeout: 5_000 }).toEqual(byStatus);
  });

  it('while the new filters are counted, the legend says its figures are the previous ones', async () => {
    await driver.openMap(WHOLE_CITY);
    const legend = driver.page.locator('.layer-panel ul.legend').first();
    await expect.poll(() => legend.getAttribute('aria-busy')).toBe('false');
    // Hold the summary for the new filter (not its tiles) until the legend has been read.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await driver.page.route(/\/api\/map\/sites\?.*category=coal_point/, async (route) => {
      await held;
      await route.continue();
    });
    await driver.page.locator('.chip', { hasText: CATEGORY_LABELS.coal_point }).click();
    await expect.poll(() => legend.getAttribute('aria-busy')).toBe('true');
    await expect(driver.page.locator('.legend-note.counting').textContent()).resolves.toBe('正在按新条件计数，以下仍是上一次的数字…');
    await legend.scrollIntoViewIfNeeded();
    await driver.screenshot('legend-counting');

    release();
    await expect.poll(() => legend.getAttribute('aria-busy'), { timeout: 5_000 }).toBe('false');
    expect(await driver.page.locator('.legend-note.counting').count()).toBe(0);
    // The legend counts what the map can draw: the located coal points.
    const total = sum(await driver.countyTotalsOnMap('category=coal_point'));
    expect(total).toBeGreaterThan(0);
    const shown = (await driver.page.locator('.legend-item[data-status] .legend-count').allTextContents()).map(Number);
    expect(shown.reduce((a, b) => a + b, 0)).toBe(total);
    await driver.page.unroute(/\/api\/map\/sites\?.*category=coal_point/);
  });

  it('turning one status layer off removes exactly the sites in that status', async () => {
    await driver.openMap(WHOLE_CITY);
    const before = await driver.clusterTotalsByCounty();
    const status: StatusCode = 'closed';
    const removed = await driver.locatedSitesByCounty(`status=${status}`);
    expect(sum(removed)).toBeGreaterThan(0);

    const legend = driver.page.locator(`.legend-item[data-status=${status}]`);
    await expect.poll(() => legend.getAttribute('aria-pressed')).toBe('true');
    const renders = await driver.renders();
    await legend.click();
    const after = totalsByCounty(await driver.waitForClusters(renders));

    expect(await legend.getAttribute('aria-pressed')).toBe('false');
    expect(driver.urlParams().get('status')?.split(',')).toEqual(COUNTED_STATUSES.filter((s) => s !== status));
    const dropped = Object.fromEntries(
      Object.entries(before)
        .map(([county, n]) => [county, n - (after[county] ?? 0)])
        .filter(([, n]) => n !== 0),
    );
    expect(dropped).toEqual(removed);
    const index = STATUS_CODES.indexOf(status);
    for (const feature of await driver.clusters()) {
      expect(feature.properties.status).not.toBe(status);
      expect(feature.properties.statusCounts[index]).toBe(0);
    }

    const again = await driver.renders();
    await legend.click();
    expect(totalsByCounty(await driver.waitForClusters(again))).toEqual(before);
    expect(driver.urlParams().has('status')).toBe(false);
  });

  it('clicking a cluster marker zooms in until it splits, twice over', async () => {
    await driver.openMap(WHOLE_CITY);
    for (const round of [1, 2]) {
      const zoomBefore = await driver.zoom();
      const before = await driver.clusters();
      const biggest = before.filter((f) => f.properties.cluster).reduce((a, b) => (b.properties.count > a.properties.count ? b : a));
      const { county, count, clusterId } = biggest.properties;
      expect(count, `round ${round}: a cluster to click`).toBeGreaterThan(1);

      const renders = await driver.renders();
      await driver.page.locator(`.cluster-marker[data-county="${county}"][data-count="${count}"]`).first().click();
      await driver.page.waitForFunction((z) => {
        const map = (window as unknown as { __sansan: { map: { getZoom(): number; isMoving(): boolean } } }).__sansan.map;
        return map.getZoom() > z && !map.isMoving();
      }, zoomBefore);
      const after = await driver.waitForClusters(renders);
      const zoomAfter = await driver.zoom();

      expect(zoomAfter).toBeGreaterThan(zoomBefore);
      expect(Number(driver.urlParams().get('v')?.split(',')[2])).toBeCloseTo(zoomAfter, 2);
      // Split: that cluster is gone, and what took its place in the county is smaller.
      const inCounty = after.filter((f) => f.properties.county === county);
      expect(inCounty.some((f) => f.properties.cluster && f.properties.clusterId === clusterId)).toBe(false);
      expect(inCounty.length).toBeGreaterThanOrEqual(2);
      for (const feature of inCounty) expect(feature.properties.count).toBeLessThan(count);
      expect(await driver.page.locator('.cluster-marker').count()).toBe(after.filter((f) => f.properties.cluster).length);
    }
    await driver.waitForMapIdle();
    await driver.screenshot('desktop-zoomed-in');
  });

  it('sent no request beyond localhost during the whole session', () => {
    expect(driver.offHost).toEqual([]);
    expect(driver.pageErrors).toEqual([]);
  });
});
