// Roads worked from the page: open a segment from the map, move its status, redraw its line; a
// county official draws one of the plan's unassigned roads (the assignment in history and audit)
// and cannot draw outside their counties; the drawing tool (core name form after a double-click,
// clusters never taking a click while drawing).
import type { Map as MapLibreMap } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { ROAD_STATUS_LABELS, ROAD_STATUS_MOVES, type RoadStatusCode } from '../../domain/statuses.ts';
import { zh } from '../../web/i18n/zh.ts';
import { useMapDriver, type MapDriver } from '../helpers/browser.ts';
import type { RoadDetail, RoadFeature } from '../helpers/app.ts';

const YUANHUI = '411102';
/** Open ground inside 源汇区 and inside 郾城区 (tests/helpers/app.ts POINTS). */
const IN_YUANHUI: [number, number] = [113.95, 33.55];
const IN_YANCHENG: [number, number] = [113.93, 33.67];

type DebugWindow = Window & { __sansan?: { map: MapLibreMap } };

/** Labels of the road history, top to bottom. */
const historyLabels = (driver: MapDriver) => driver.page.locator('[data-testid=road-history] > li b').allTextContents();

/** The drawing tool has loaded (on the first drawing) and takes clicks. */
async function drawingReady(driver: MapDriver) {
  await expect.poll(() => driver.page.locator('.maplibregl-map').getAttribute('data-drawing')).toBe('ready');
}

/** Clicks `points` on the map and double-clicks the last (what a person does to draw). */
async function drawOnMap(driver: MapDriver, points: [number, number][]) {
  await drawingReady(driver);
  for (const [i, point] of points.entries()) {
    const { x, y } = await driver.pixelOf(point);
    if (i < points.length - 1) await driver.page.mouse.click(x, y);
    else await driver.page.mouse.dblclick(x, y);
  }
}

/** A point of the road's line where the map has drawn the road and nothing else takes the click. */
async function clickableRoadPoint(driver: MapDriver, road: RoadFeature & { geometry: { coordinates: [number, number][] } }) {
  const [a, b] = road.geometry.coordinates;
  for (const t of [0.5, 0.3, 0.7, 0.2, 0.8]) {
    const point: [number, number] = [a![0] + (b![0] - a![0]) * t, a![1] + (b![1] - a![1]) * t];
    const pixel = await driver.pixelOf(point);
    if (!pixel.canvasOnTop) continue;
    const layers = await driver.page.evaluate(
      ([x, y]: [number, number]) => {
        const map = (window as DebugWindow).__sansan!.map;
        const rect = map.getCanvas().getBoundingClientRect();
        return map.queryRenderedFeatures([x - rect.left, y - rect.top]).map((f) => f.layer.id);
      },
      [pixel.x, pixel.y] as [number, number],
    );
    if (layers.includes('roads') && !layers.some((id) => id.startsWith('site'))) return pixel;
  }
  throw new Error(`no clickable point on road ${road.id}`);
}

describe('a road segment from the map (admin)', () => {
  const driver = useMapDriver();
  const panel = () => driver.page.getByTestId('road-detail');

  it('a click on a road opens its panel; a status move with a note shows in its history, on the map and in the legend', async () => {
    // A drawn segment still waiting for repair, and the first move it may make.
    const roads = await driver.api<{ features: (RoadFeature & { geometry: { coordinates: [number, number][] } | null })[] }>(
      '/api/roads?status=reported,scheduled&drawn=true',
    );
    const road = roads.features[0]! as RoadFeature & { geometry: { coordinates: [number, number][] } };
    const from = road.properties.status as RoadStatusCode;
    const to = ROAD_STATUS_MOVES[from][0]!;
    const [a, b] = road.geometry.coordinates;
    await driver.openMap(`?v=${((a![0] + b![0]) / 2).toFixed(5)},${((a![1] + b![1]) / 2).toFixed(5)},15.00`);
    await driver.waitForMapIdle();
    const legendCount = (status: string) => driver.page.locator(`[data-road-status=${status}] .legend-count`).textContent();
    const all = await driver.api<{ features: RoadFeature[] }>('/api/roads?drawn=true');
    const before = all.features.filter((f) => f.properties.status === to).length;
    await expect.poll(() => legendCount(to)).toBe(String(before));

    const pixel = await clickableRoadPoint(driver, road);
    await driver.page.mouse.click(pixel.x, pixel.y);
    await expect.poll(() => driver.urlParams().get('road')).toBe(String(road.id));
    await expect.poll(() => panel().locator('h2').textContent()).toBe(road.properties.roadName);
    await expect.poll(() => panel().getByTestId('road-status').textContent()).toBe(ROAD_STATUS_LABELS[from]);
    await driver.screenshot('road-panel');

    await panel()
      .getByRole('button', { name: zh.roadMoveTo.replace('{status}', ROAD_STATUS_LABELS[to]) })
      .click();
    const form = panel().getByRole('form', { name: zh.roadMoveTo.replace('{status}', ROAD_STATUS_LABELS[to]) });
    await form.getByLabel(zh.note).fill('已列入年度维修计划');
    await driver.screenshot('road-move-form');
    await form.getByRole('button', { name: zh.confirm }).click();
    await expect.poll(() => panel().getByTestId('road-status').textContent()).toBe(ROAD_STATUS_LABELS[to]);
    await expect.poll(() => historyLabels(driver).then((labels) => labels.at(-1))).toBe(ROAD_STATUS_LABELS[to]);
    await expect.poll(() => panel().locator('[data-testid=road-history] > li').last().locator('.note').textContent()).toBe('已列入年度维修计划');
    const stored = await driver.api<RoadDetail>(`/api/roads/${road.id}`);
    expect(stored.events.at(-1)).toMatchObject({ kind: 'status', to, note: '已列入年度维修计划', actor: 'admin' });
    await expect.poll(() => legendCount(to)).toBe(String(before + 1));
    // The map draws it in the new status's colour.
    await expect
      .poll(() =>
        driver.page.evaluate((id) => {
          const map = (window as DebugWindow).__sansan!.map;
          return map.querySourceFeatures('roads').find((f) => f.properties.id === id)?.properties.status;
        }, road.id),
      )
      .toBe(to);
  });

  it('redraws the open road: its line is editable, a dragged vertex is saved', async () => {
    const id = Number(driver.urlParams().get('road'));
    const before = await driver.api<RoadDetail>(`/api/roads/${id}`);
    const line = before.geometry!.coordinates as [number, number][];
    await panel().getByRole('button', { name: zh.roadRedraw }).click();
    await drawingReady(driver);
    const bar = driver.page.getByTestId('draw-bar');
    await expect.poll(() => bar.getByTestId('draw-line-county').textContent()).toMatch(/^所画路段位于：/);
    // The whole line comes into view, so every vertex can be taken.
    await expect.poll(() => driver.page.evaluate(() => (window as DebugWindow).__sansan!.map.isMoving())).toBe(false);
    await driver.waitForMapIdle();
    for (const point of line) expect((await driver.pixelOf(point)).canvasOnTop).toBe(true);
    // Drag the first vertex a little north-east.
    const start = await driver.pixelOf(line[0]!);
    await driver.page.mouse.move(start.x, start.y);
    await driver.page.mouse.down();
    await driver.page.mouse.move(start.x + 20, start.y - 20, { steps: 8 });
    await driver.page.mouse.up();
    await driver.screenshot('road-redraw');
    await bar.getByRole('button', { name: zh.save }).click();
    await expect.poll(() => driver.page.getByTestId('draw-bar').count()).toBe(0);
    const after = await driver.api<RoadDetail>(`/api/roads/${id}`);
    const moved = after.geometry!.coordinates[0]!;
    expect(moved[0]).toBeGreaterThan(line[0]![0]);
    expect(moved[1]).toBeGreaterThan(line[0]![1]);
    expect(after.geometry!.coordinates.slice(1)).toEqual(line.slice(1));
    expect(after.events.at(-1)).toMatchObject({ kind: 'geometry', actor: 'admin' });
    await expect.poll(() => historyLabels(driver).then((labels) => labels.at(-1))).toBe(zh.roadDrawnEvent);
  });
});

describe('the drawing tool', () => {
  const driver = useMapDriver();

  it('the core name form is usable right after the double-click, with the drawn polygon still shown', async () => {
    await driver.openMap('?v=114.02000,33.58000,12.00&panel=siege');
    await driver.page.getByRole('button', { name: zh.siegeDrawCore }).click();
    await drawOnMap(driver, [
      [114.0, 33.57],
      [114.04, 33.57],
      [114.04, 33.6],
      [114.0, 33.6],
    ]);
    const name = driver.page.getByRole('textbox', { name: zh.siegeCoreName });
    await expect.poll(() => name.isVisible()).toBe(true);
    // Nothing covers it: the element at its centre is the input itself.
    const box = (await name.boundingBox())!;
    expect(
      await driver.page.evaluate(([x, y]: [number, number]) => document.elementFromPoint(x, y)?.tagName, [box.x + box.width / 2, box.y + box.height / 2] as [
        number,
        number,
      ]),
    ).toBe('INPUT');
    const polygons = () =>
      driver.page.evaluate(() => (window as DebugWindow).__sansan!.map.querySourceFeatures('draw-polygon').filter((f) => f.geometry.type === 'Polygon').length);
    await expect.poll(polygons).toBeGreaterThan(0);
    await driver.screenshot('core-name-form');
    await name.fill('测试城区');
    await driver.page.getByTestId('draw-bar').getByRole('button', { name: zh.save }).click();
    await expect.poll(() => driver.page.getByTestId('draw-bar').count()).toBe(0);
    const cores = await driver.api<{ features: { properties: { name: string }; geometry: { coordinates: [number, number][][] } }[] }>('/api/analysis/cores');
    const saved = cores.features.find((f) => f.properties.name === '测试城区');
    expect(saved?.geometry.coordinates[0]).toHaveLength(5);
    await expect.poll(polygons).toBe(0);
  });

  it('a click in draw mode over a cluster adds a vertex and does not zoom; so does a click while placing', async () => {
    await driver.openMap('?v=113.88000,33.70000,9.00&panel=siege');
    const clusters = (await driver.clusters()).filter((f) => f.properties.cluster);
    let target: { x: number; y: number } | null = null;
    for (const cluster of clusters) {
      const pixel = await driver.pixelOf(cluster.geometry.coordinates);
      const onMarker = await driver.page.evaluate(([x, y]: [number, number]) => Boolean(document.elementFromPoint(x, y)?.closest('.maplibregl-marker')), [
        pixel.x,
        pixel.y,
      ] as [number, number]);
      if (onMarker && pixel.x > 420 && pixel.y > 120) {
        target = pixel;
        break;
      }
    }
    expect(target, 'a cluster ring on the visible map').not.toBeNull();
    const zoom = await driver.zoom();
    await driver.page.getByRole('button', { name: zh.siegeDrawCore }).click();
    await drawingReady(driver);
    await driver.page.mouse.click(target!.x, target!.y);
    await driver.page.mouse.click(target!.x + 60, target!.y);
    await driver.waitForMapIdle();
    expect(await driver.zoom()).toBe(zoom);
    const vertices = await driver.page.evaluate(() => (window as DebugWindow).__sansan!.map.querySourceFeatures('draw-polygon').length);
    expect(vertices).toBeGreaterThan(0);
    await driver.page.getByTestId('draw-bar').getByRole('button', { name: zh.cancel }).click();
    expect(await driver.zoom()).toBe(zoom);
    // Placing one of the plan's unlocated sites: the click over the cluster is the position asked.
    await driver.page.getByRole('tab', { name: zh.panelLayers }).click();
    await driver.page.getByTestId('unlocated').getByRole('button', { name: zh.placeOnMap }).first().click();
    await driver.page.mouse.click(target!.x, target!.y);
    await expect.poll(() => driver.page.locator('.mode-bar').textContent()).toContain('确认定位到');
    await driver.waitForMapIdle();
    expect(await driver.zoom()).toBe(zoom);
  });
});

describe('a county official draws the plan’s unassigned roads', () => {
  const driver = useMapDriver({ user: { role: 'county', counties: [YUANHUI] } });

  const startDrawing = async (roadName: string) => {
    await driver.openMap('?v=113.94000,33.60000,11.00');
    const item = driver.page
      .getByTestId('unlocated')
      .locator('li')
      .filter({ has: driver.page.getByText(roadName, { exact: true }) });
    await item.getByRole('button', { name: zh.drawRoad }).click();
    await expect.poll(() => driver.page.getByTestId('draw-bar').textContent()).toContain(zh.drawRoadHint.replace('{road}', roadName));
  };

  it('the drawing tool loads on the first drawing; when it cannot load, the page says so in Chinese', async () => {
    await driver.page.route(/\/assets\/draw-tool-[\w-]+\.js$/, (route) => route.abort('connectionreset'));
    await startDrawing('嵩山路');
    await expect.poll(() => driver.page.locator('.toast').textContent()).toBe(zh.drawingUnavailable);
    await driver.screenshot('draw-tool-unavailable');
    expect(driver.pageErrors).toEqual([]);
  });

  it('cannot draw outside their counties: the form says why and saves nothing', async () => {
    await startDrawing('嵩山路');
    await drawOnMap(driver, [
      [IN_YANCHENG[0] - 0.01, IN_YANCHENG[1]],
      [IN_YANCHENG[0] + 0.01, IN_YANCHENG[1]],
    ]);
    const bar = driver.page.getByTestId('draw-bar');
    await expect.poll(() => bar.getByTestId('draw-line-county').textContent()).toBe(zh.drawLineIn.replace('{county}', '郾城区'));
    const save = bar.getByRole('button', { name: zh.save });
    await expect.poll(() => save.isDisabled()).toBe(true);
    expect(await bar.getByRole('alert').textContent()).toBe(zh.deniedCounty.replace('{counties}', '源汇区'));
    await driver.screenshot('road-draw-outside-refused');
    await bar.getByRole('button', { name: zh.cancel }).click();
    const road = await driver.api<{ features: RoadFeature[] }>('/api/roads?drawn=false');
    expect(road.features.map((f) => f.properties.roadName)).toContain('嵩山路');
  });

  it('draws 金江路 in 源汇区: asked the county, the assignment is in its history and in the audit trail', async () => {
    await startDrawing('金江路');
    await drawOnMap(driver, [
      [IN_YUANHUI[0] - 0.01, IN_YUANHUI[1]],
      [IN_YUANHUI[0], IN_YUANHUI[1] + 0.003],
      [IN_YUANHUI[0] + 0.01, IN_YUANHUI[1]],
    ]);
    const bar = driver.page.getByTestId('draw-bar');
    await expect.poll(() => bar.getByTestId('draw-line-county').textContent()).toBe(zh.drawLineIn.replace('{county}', '源汇区'));
    expect(await bar.getByTestId('draw-responsible').inputValue()).toBe(YUANHUI);
    await driver.screenshot('road-draw-assign');
    await bar.getByRole('button', { name: zh.save }).click();
    const panel = driver.page.getByTestId('road-detail');
    await expect.poll(() => panel.locator('h2').textContent()).toBe('金江路');
    await expect.poll(() => panel.getByTestId('road-county').textContent()).toBe('源汇区');
    const assigned = zh.roadAssigned.replace('{from}', zh.roadUnassigned).replace('{to}', '源汇区');
    await expect.poll(() => historyLabels(driver)).toContain(assigned);
    const entry = panel.locator('[data-kind=assignment]');
    expect(await entry.locator('.muted').textContent()).toBe(`${zh.actor}: county-${YUANHUI}`);
    await driver.screenshot('road-assigned-history');
    const id = Number(driver.urlParams().get('road'));
    // The audit trail, as the county official's own audit tab reads it.
    const audit = await driver.api<{ records: { action: string; actor: string; target: string; after: { county: string } }[] }>(`/api/audit?target=road:${id}`);
    expect(audit.records.filter((r) => r.action === 'road.assign').map((r) => [r.actor, r.after.county])).toEqual([[`county-${YUANHUI}`, YUANHUI]]);
  });
});
