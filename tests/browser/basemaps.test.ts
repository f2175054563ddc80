// Basemaps on the page: the map keeps every data layer, the county focus and the choropleth across
// basemap and language switches; a shared ?county= link focuses that county; offline archives
// (MBTiles raster, PMTiles vector, in WGS84 and GCJ-02) draw under our layers; on a GCJ-02 basemap a
// site stored in WGS84 sits on the basemap's own mark, and a click on the mark stores WGS84.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zh } from '../../web/i18n/zh.ts';
import { toGcj02 } from '../../server/geo/china-coords.ts';
import { useMapDriver, type MapDriver } from '../helpers/browser.ts';
import { addBasemap } from '../helpers/basemap-cli.ts';
import { LUOHE_BOUNDS, MARK_COLOR, rasterTiles, vectorTiles, writeMbtiles, writePmtiles } from '../helpers/tile-archives.ts';
import type { SiteCollection, SiteDetail } from '../helpers/app.ts';

type MapWindow = Window & { __sansan: { map: MapLibreMap } };

/** A known position in 源汇区 (WGS84) that the GCJ-02 basemap marks where 高德 would draw it. */
const TRUTH: [number, number] = [114.01661, 33.57583];
const COUNTIES = ['411102', '411103', '411104', '411121', '411122'];

const archives = mkdtempSync(join(tmpdir(), 'sansan-basemap-files-'));
afterAll(() => rmSync(archives, { recursive: true, force: true }));

/** Ids of the style's layers, in drawing order. */
const styleLayers = (driver: MapDriver) => driver.page.evaluate(() => (window as unknown as MapWindow).__sansan.map.getStyle().layers.map((l) => l.id));

/** Distinct features a GeoJSON source holds. */
const sourceCount = (driver: MapDriver, source: string, key: string) =>
  driver.page.evaluate(
    ([id, property]) =>
      new Set((window as unknown as MapWindow).__sansan.map.querySourceFeatures(id!).map((f) => JSON.stringify(f.properties[property!] ?? f.geometry))).size,
    [source, key],
  );

const countyStates = (driver: MapDriver) =>
  driver.page.evaluate((codes) => {
    const map = (window as unknown as MapWindow).__sansan.map;
    return Object.fromEntries(
      codes.map((id) => [id, map.getFeatureState({ source: 'counties', id }) as { focused?: boolean; dimmed?: boolean; fill?: string | null }]),
    );
  }, COUNTIES);

/** Changes the URL as a link or the back button would (the app follows popstate). */
async function navigate(driver: MapDriver, params: Record<string, string | null>) {
  await driver.page.evaluate((patch) => {
    const url = new URL(window.location.href);
    for (const [key, value] of Object.entries(patch))
      if (value === null) url.searchParams.delete(key);
      else url.searchParams.set(key, value);
    window.history.pushState(null, '', url);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, params);
}

function expectFocused(states: Record<string, { focused?: boolean; dimmed?: boolean; fill?: string | null }>, code: string) {
  for (const id of COUNTIES) expect([id, states[id]?.focused ?? false, states[id]?.dimmed ?? false]).toEqual([id, id === code, id !== code]);
}

const DATA_LAYERS = [
  'county-fill',
  'county-dim',
  'siege-cells',
  'relapse-cells',
  'county-line',
  'county-focus',
  'county-label',
  'siege-cell-lines',
  'siege-core',
  'roads',
  'sites',
  'site-symbols',
  'route-line',
  'route-stops',
];

describe('basemaps on the page', () => {
  const driver = useMapDriver();

  beforeAll(() => {
    const raster = rasterTiles({ minZoom: 8, maxZoom: 12, seed: 5 });
    writeMbtiles(join(archives, 'raster.mbtiles'), { format: 'png', tiles: raster, name: '测试栅格底图', bounds: LUOHE_BOUNDS });
    addBasemap(driver.dbPath, join(archives, 'raster.mbtiles'), '--id', 'raster', '--name', '测试栅格底图');
    const vector = vectorTiles('protomaps', 8, 13, 5);
    writePmtiles(join(archives, 'vector.pmtiles'), {
      format: 'mvt',
      tiles: vector.tiles,
      name: '测试矢量底图',
      bounds: LUOHE_BOUNDS,
      vectorLayers: vector.layers,
    });
    addBasemap(driver.dbPath, join(archives, 'vector.pmtiles'), '--id', 'vector', '--name', '测试矢量底图');
    // A GCJ-02 raster basemap: everything drawn shifted as 高德 tiles are, and a mark on TRUTH's GCJ-02 position.
    const gcj = rasterTiles({ minZoom: 8, maxZoom: 12, seed: 5, shift: (p) => toGcj02(p), mark: { at: toGcj02(TRUTH), fromZoom: 13, toZoom: 18 } });
    writePmtiles(join(archives, 'gcj.pmtiles'), { format: 'png', tiles: gcj, name: 'GCJ-02 测试底图', bounds: LUOHE_BOUNDS });
    addBasemap(driver.dbPath, join(archives, 'gcj.pmtiles'), '--id', 'gcj', '--name', 'GCJ-02 测试底图', '--crs', 'gcj02');
  }, 180_000);

  it('a link with ?county=411103 focuses that county and dims the others', async () => {
    await driver.openMap('?county=411103');
    await expect.poll(async () => (await countyStates(driver))['411103']?.focused).toBe(true);
    expectFocused(await countyStates(driver), '411103');
    await driver.waitForMapIdle();
    await driver.screenshot('basemap-county-link');
  });

  it('switching basemap and language keeps the siege, the county focus and the choropleth', async () => {
    await driver.openMap('?panel=siege&county=411103&choropleth=density&v=114.02047,33.57733,10.2');
    await expect.poll(() => sourceCount(driver, 'siege-cells', 'band')).toBeGreaterThan(1);
    const cells = await sourceCount(driver, 'siege-cells', 'band');
    await expect.poll(async () => (await countyStates(driver))['411103']?.fill).toMatch(/^#/);
    const offline = await styleLayers(driver);
    expect(offline).toEqual(expect.arrayContaining(DATA_LAYERS));
    const fills = await countyStates(driver);

    for (const basemap of ['raster', 'vector', 'none', 'gcj']) {
      await navigate(driver, { basemap });
      await expect
        .poll(() => driver.page.evaluate(() => (window as unknown as MapWindow).__sansan.map.getStyle().sources.basemap !== undefined))
        .toBe(basemap !== 'none');
      await driver.waitForMapIdle();
      const layers = await styleLayers(driver);
      expect(layers, basemap).toEqual(expect.arrayContaining(DATA_LAYERS));
      // The basemap draws first: every one of its layers sits below our lowest data layer.
      const basemapAt = layers.flatMap((id, i) => (id.startsWith('basemap-') ? [i] : []));
      expect(Math.max(-1, ...basemapAt)).toBeLessThan(layers.indexOf('county-line'));
      if (basemap === 'raster') expect(layers.length).toBe(offline.length + 1);
      await expect.poll(() => sourceCount(driver, 'siege-cells', 'band')).toBe(cells);
      const states = await countyStates(driver);
      expectFocused(states, '411103');
      expect(Object.fromEntries(COUNTIES.map((c) => [c, states[c]?.fill]))).toEqual(Object.fromEntries(COUNTIES.map((c) => [c, fills[c]?.fill])));
      await driver.screenshot(`basemap-siege-${basemap}`);
    }

    await navigate(driver, { basemap: 'vector' });
    await driver.page.getByTestId('lang-switch').click();
    await expect.poll(() => driver.urlParams().get('lang')).toBe('en');
    await driver.waitForMapIdle();
    expect(await styleLayers(driver)).toEqual(expect.arrayContaining(DATA_LAYERS));
    await expect.poll(() => sourceCount(driver, 'siege-cells', 'band')).toBe(cells);
    expectFocused(await countyStates(driver), '411103');
    await driver.page.getByTestId('lang-switch').click();
  }, 180_000);

  it('switching basemap keeps a saved route on the map', async () => {
    const planned = await driver.send<unknown>('POST', '/api/routes/plan', {
      rule: { kind: 'recheck', olderThanDays: 30 },
      start: { lon: 114.02047, lat: 33.577333 },
      end: 'start',
    });
    const saved = await driver.send<{ id: number; plan: { stops: unknown[] } }>('POST', '/api/routes', { name: '底图切换测试路线', plan: planned });
    expect(saved.plan.stops.length).toBeGreaterThan(2);
    await driver.openMap(`?panel=routes&route=${saved.id}&county=411102&choropleth=closed`, { waitForClusters: true });
    const stops = () =>
      driver.page.evaluate(
        () =>
          new Set(
            (window as unknown as MapWindow).__sansan.map
              .querySourceFeatures('route')
              .filter((f) => f.geometry.type === 'Point')
              .map((f) => f.properties.siteId),
          ).size,
      );
    await expect.poll(stops).toBe(saved.plan.stops.length);
    for (const basemap of ['raster', 'gcj', 'none']) {
      await navigate(driver, { basemap });
      await driver.waitForMapIdle();
      await expect.poll(stops).toBe(saved.plan.stops.length);
      expectFocused(await countyStates(driver), '411102');
    }
  }, 120_000);

  it('draws the offline archives under every data layer, with no request beyond this machine', async () => {
    for (const basemap of ['raster', 'vector']) {
      await driver.openMap(`?basemap=${basemap}&v=114.02,33.58,12.5&roads=1`);
      await driver.waitForMapIdle();
      const drawn = await driver.page.evaluate(() => {
        const map = (window as unknown as MapWindow).__sansan.map;
        const basemapLayers = map
          .getStyle()
          .layers.filter((l) => l.id.startsWith('basemap-'))
          .map((l) => l.id);
        return {
          basemap: map.queryRenderedFeatures({ layers: basemapLayers.filter((id) => map.getLayer(id)?.type !== 'raster') }).length,
          tiles: map.getSource('basemap')?.loaded(),
        };
      });
      expect(drawn.tiles).toBe(true);
      if (basemap === 'vector') expect(drawn.basemap).toBeGreaterThan(0);
      await driver.screenshot(`basemap-offline-${basemap}`);
    }
    expect(driver.offHost).toEqual([]);
    // (A worker script whose page was left for the next one is aborted, not failed.)
    expect(driver.localFailures.filter((f) => !f.startsWith('net::ERR_ABORTED'))).toEqual([]);
    expect(driver.pageErrors).toEqual([]);
  });

  it('on a GCJ-02 basemap a site stored at the WGS84 truth is drawn on the mark, and a click on the mark stores the truth', async () => {
    const demo = (await driver.api<SiteCollection>('/api/sites?source=demo&located=true&county=411102')).features[0]!;
    await driver.send('PUT', `/api/sites/${demo.id}/location`, { lon: TRUTH[0], lat: TRUTH[1] });
    await driver.openMap(`?basemap=gcj&v=${TRUTH[0]},${TRUTH[1]},16`);
    await driver.waitForMapIdle();
    expect(await driver.page.getByTestId('basemap-gcj02').textContent()).toBe(zh.basemapGcj02);
    await driver.screenshot('basemap-gcj02-site');
    await driver.page.getByTestId('basemap-gcj02').scrollIntoViewIfNeeded();
    await driver.screenshot('basemap-gcj02-note');
    const drawn = await driver.page.evaluate((id) => {
      const map = (window as unknown as MapWindow).__sansan.map;
      const site = map.queryRenderedFeatures({ layers: ['sites'] }).find((f) => Number(f.properties.siteId) === id);
      if (!site) return null;
      const point = map.project((site.geometry as GeoJSON.Point).coordinates as [number, number]);
      const rect = map.getCanvas().getBoundingClientRect();
      return { x: rect.left + point.x, y: rect.top + point.y, zoom: map.getZoom() };
    }, demo.id);
    expect(drawn).not.toBeNull();
    expect(drawn!.zoom).toBeCloseTo(16, 5);
    const mark = await markCentre(driver);
    expect(Math.hypot(drawn!.x - mark.x, drawn!.y - mark.y), `site drawn at ${drawn!.x},${drawn!.y}; mark at ${mark.x},${mark.y}`).toBeLessThanOrEqual(2);

    // Place the plan's unlocated coal point by clicking the mark (at z18, where a pixel is 0.6 m).
    const unlocated = (await driver.api<SiteCollection>('/api/sites?located=false&source=real')).features[0]!;
    await driver.openMap(`?basemap=gcj&v=${TRUTH[0]},${TRUTH[1]},18`);
    await driver.waitForMapIdle();
    await driver.page.getByTestId('unlocated').locator('li', { hasText: unlocated.properties.name }).getByRole('button', { name: zh.placeOnMap }).click();
    const target = await markCentre(driver);
    await driver.page.mouse.click(target.x, target.y);
    await driver.page.locator('.mode-bar').getByRole('button', { name: zh.confirm }).click();
    await expect.poll(async () => (await driver.api<SiteDetail>(`/api/sites/${unlocated.id}`)).geometry !== null).toBe(true);
    const stored = (await driver.api<SiteDetail>(`/api/sites/${unlocated.id}`)).geometry!.coordinates as [number, number];
    expect(metres(stored, TRUTH), `stored ${stored.join(',')}`).toBeLessThanOrEqual(1);
    // And the raw GCJ-02 position of the mark is 300–700 m away: the conversion did the work.
    expect(metres(toGcj02(TRUTH), TRUTH)).toBeGreaterThan(300);
  });
});

/** Page pixel at the centre of the basemap's magenta mark, with our layers and markers hidden. */
async function markCentre(driver: MapDriver): Promise<{ x: number; y: number }> {
  const undo = await driver.page.evaluate(() => {
    const map = (window as unknown as MapWindow).__sansan.map;
    const hidden = map
      .getStyle()
      .layers.filter((l) => !l.id.startsWith('basemap-') && l.id !== 'background' && map.getLayoutProperty(l.id, 'visibility') !== 'none')
      .map((l) => l.id);
    for (const id of hidden) map.setLayoutProperty(id, 'visibility', 'none');
    document.body.classList.add('hide-markers');
    const style = document.createElement('style');
    style.id = 'hide-markers';
    style.textContent = '.maplibregl-marker{display:none!important}';
    document.head.append(style);
    return hidden;
  });
  await driver.waitForMapIdle();
  const png = PNG.sync.read(await driver.page.screenshot());
  await driver.page.evaluate((ids) => {
    const map = (window as unknown as MapWindow).__sansan.map;
    for (const id of ids) map.setLayoutProperty(id, 'visibility', 'visible');
    document.getElementById('hide-markers')?.remove();
  }, undo);
  let sumX = 0;
  let sumY = 0;
  let n = 0;
  for (let y = 0; y < png.height; y++)
    for (let x = 0; x < png.width; x++) {
      const at = (y * png.width + x) * 4;
      if (
        Math.abs(png.data[at]! - MARK_COLOR[0]) < 40 &&
        Math.abs(png.data[at + 1]! - MARK_COLOR[1]) < 40 &&
        Math.abs(png.data[at + 2]! - MARK_COLOR[2]) < 40
      ) {
        sumX += x + 0.5;
        sumY += y + 0.5;
        n++;
      }
    }
  expect(n, 'magenta mark pixels on screen').toBeGreaterThan(10);
  return { x: sumX / n, y: sumY / n };
}

/** Distance in metres between two lon/lat positions (haversine). */
function metres(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}
