// The 死灰复燃 panel: the summary the API computed, hotspot cells and move lines on the map, a move
// confirmed in the list and kept by the server.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { zh } from '../../web/i18n/zh.ts';
import { useMapDriver } from '../helpers/browser.ts';

interface RelapseJson {
  summary: { relapses: number; relapsedSites: number; moveCandidates: number };
  moves: { key: string; decision: string | null }[];
  rates: { townships: { relapses: number }[] };
}

describe('the 死灰复燃 panel', () => {
  const driver = useMapDriver();

  it('shows the analysis, draws hotspots and moves, and keeps a confirmed move', async () => {
    const api = await driver.api<RelapseJson>('/api/analysis/relapse');
    expect(api.summary.relapses).toBeGreaterThan(0);
    await driver.openMap('?panel=relapse', { waitForClusters: true });
    const panel = driver.page.getByTestId('relapse-panel');
    await expect
      .poll(() => panel.getByTestId('relapse-summary').textContent(), { timeout: 15_000 })
      .toContain(`${api.summary.relapses} 次死灰复燃（${api.summary.relapsedSites} 处点位） · ${api.summary.moveCandidates} 对疑似转移`);
    const layers = () =>
      driver.page.evaluate(() => {
        const map = (window as unknown as { __sansan: { map: MapLibreMap } }).__sansan.map;
        const features = map.querySourceFeatures('relapse');
        return {
          cells: features.filter((f) => f.properties.layer === 'cell').length,
          moves: features.filter((f) => f.properties.layer === 'move').length,
          relapses: features.filter((f) => f.properties.layer === 'relapse').length,
        };
      });
    await expect.poll(async () => (await layers()).moves > 0 && (await layers()).relapses > 0 && (await layers()).cells > 0, { timeout: 10_000 }).toBe(true);
    expect(await panel.getByTestId('township-rates').locator('tr').count()).toBe(Math.min(20, api.rates.townships.filter((r) => r.relapses > 0).length));

    const first = api.moves[0]!;
    const row = panel.locator(`[data-move="${first.key}"]`);
    await row.getByRole('button', { name: zh.relapseConfirm }).click();
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain(zh.relapseConfirmed);
    const after = await driver.api<RelapseJson>('/api/analysis/relapse');
    expect(after.moves.find((m) => m.key === first.key)!.decision).toBe('confirmed');
    await driver.screenshot('relapse-panel');
  });

  it('pages the move list: 20 a page, the next page is the API’s next page, back returns', async () => {
    const first = await driver.api<RelapseJson & { movesPage: { total: number; next: string | null } }>('/api/analysis/relapse?limit=20');
    expect(first.movesPage.total, 'the demo data has more than one page of likely moves').toBeGreaterThan(20);
    const second = await driver.api<RelapseJson>(`/api/analysis/relapse?limit=20&cursor=${encodeURIComponent(first.movesPage.next!)}`);
    await driver.openMap('?panel=relapse', { waitForClusters: true });
    const moves = driver.page.getByTestId('relapse-moves');
    const pageText = moves.getByTestId('relapse-moves-page');
    await expect.poll(() => pageText.textContent(), { timeout: 15_000 }).toContain(`第 1–20 对，共 ${first.movesPage.total} 对`);
    expect(await moves.locator('[data-move]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-move')))).toEqual(first.moves.map((m) => m.key));
    await moves.getByRole('button', { name: zh.relapseMovesNext }).click();
    await expect.poll(() => pageText.textContent()).toContain(`第 21–${20 + second.moves.length} 对`);
    expect(await moves.locator('[data-move]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-move')))).toEqual(second.moves.map((m) => m.key));
    await moves.scrollIntoViewIfNeeded();
    await driver.screenshot('relapse-moves-page-2');
    await moves.getByRole('button', { name: zh.relapseMovesPrev }).click();
    await expect.poll(() => pageText.textContent()).toContain('第 1–20 对');
  });
});
