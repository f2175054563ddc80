// The 台账导入 wizard: upload a small CSV, see the bad row highlighted with its reason, write the
// good rows, see them counted on the map, and undo the batch from the list.
import { describe, expect, it } from 'vitest';
import { zh } from '../../web/i18n/zh.ts';
import { useMapDriver } from '../helpers/browser.ts';

const CSV =
  '企业名称,经度,纬度,行业,整治状态,排查时间\n' +
  '浏览器导入砂石场,113.95,33.55,砂石料场,整改中,2022-05-01\n' +
  '浏览器导入砖窑,113.66,33.56,砖窑,已取缔,2022-05-02\n' +
  '浏览器导入坏日期,113.94,33.85,商混站,,2022-02-30\n';

describe('the 台账导入 wizard', () => {
  const driver = useMapDriver();

  it('previews with the bad row highlighted, writes the good rows onto the map, and undoes the batch', async () => {
    await driver.openMap('?panel=imports', { waitForClusters: true });
    const count = async () => Number(/\d+/.exec((await driver.page.getByTestId('site-count').textContent()) ?? '')?.[0]);
    // The count as first shown (a second read could fall while the header refreshes and holds no number).
    let before = Number.NaN;
    await expect.poll(async () => (before = await count())).toBeGreaterThan(0);

    const wizard = driver.page.getByTestId('import-wizard');
    await wizard.getByTestId('import-file').setInputFiles({ name: '浏览器台账.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await wizard.getByTestId('import-crs').selectOption('wgs84');
    await wizard.getByTestId('import-preview').click();
    await expect.poll(() => wizard.getByTestId('import-counts').textContent()).toBe('共 3 行：新增 2，更新 0，重复 0，错误 1');
    const bad = wizard.locator('.import-rows li.outcome-error');
    await expect.poll(() => bad.count()).toBe(1);
    expect(await bad.textContent()).toContain('第 4 行');
    expect(await bad.locator('.issue.error').textContent()).toBe('排查时间：“2022-02-30”不是有效日期（如 2022-03-05 或 2022年3月5日）');
    // Highlighted: the error row has its own background.
    expect(await bad.evaluate((li) => getComputedStyle(li).backgroundColor)).toBe('rgb(255, 240, 240)');
    await driver.screenshot('import-preview');

    await wizard.getByTestId('import-commit').click();
    await expect.poll(() => wizard.getByTestId('import-done').textContent()).toBe('已写入：新增 2，更新 0，跳过 0，错误行 1 未导入');
    await expect.poll(count, { timeout: 10_000 }).toBe(before + 2);
    const batch = wizard.getByTestId('import-batches').locator('li').first();
    expect(await batch.textContent()).toContain('浏览器台账.csv');
    await driver.screenshot('import-committed');

    await batch.getByRole('button', { name: zh.importUndo }).click();
    await expect.poll(count, { timeout: 10_000 }).toBe(before);
    await expect.poll(() => batch.textContent()).toContain(zh.importState_undone);
    // The note above no longer says 已写入 (in green) for the batch just undone.
    const id = /#(\d+)/.exec((await batch.textContent())!)![1];
    await expect.poll(() => wizard.getByTestId('import-done').textContent()).toBe(`已撤销第 ${id} 批（浏览器台账.csv），该批的写入已全部还原`);
    expect(driver.pageErrors).toEqual([]);
  });

  it('a file longer than the list: 500 rows listed, the rest counted from the preview totals', async () => {
    await driver.openMap('?panel=imports');
    // 1,200 rows, each with an impossible date: every row needs a look.
    const lines = ['企业名称,经度,纬度,行业,排查时间'];
    for (let i = 0; i < 1_200; i++) lines.push(`长台账砂石场${i},113.95,33.55,砂石料场,2022-02-30`);
    const wizard = driver.page.getByTestId('import-wizard');
    await wizard.getByTestId('import-file').setInputFiles({ name: '长台账.csv', mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\n')}\n`) });
    await wizard.getByTestId('import-crs').selectOption('wgs84');
    await wizard.getByTestId('import-preview').click();
    await expect.poll(() => wizard.getByTestId('import-counts').textContent()).toBe('共 1200 行：新增 0，更新 0，重复 0，错误 1200');
    expect(await wizard.locator('.import-rows li').count()).toBe(500);
    expect(await wizard.getByTestId('import-more-rows').textContent()).toBe('另有 700 行未列出');
    await wizard.getByTestId('import-more-rows').scrollIntoViewIfNeeded();
    await driver.screenshot('import-preview-long');
    expect(driver.pageErrors).toEqual([]);
  });

  it('a preview made again replaces the earlier one, and a preview can be discarded from the list', async () => {
    await driver.openMap('?panel=imports');
    const wizard = driver.page.getByTestId('import-wizard');
    const pending = wizard.getByTestId('import-batches').locator('li', { hasText: '重复预览.csv' });
    await wizard.getByTestId('import-file').setInputFiles({ name: '重复预览.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await wizard.getByTestId('import-crs').selectOption('wgs84');
    await wizard.getByTestId('import-preview').click();
    await expect.poll(() => pending.count()).toBe(1);
    const first = /#(\d+)/.exec((await pending.textContent())!)![1];
    // Previewed again (another coordinate system): one batch waits, the new one; the first was discarded.
    await wizard.getByTestId('import-crs').selectOption('gcj02');
    await wizard.getByTestId('import-preview').click();
    await expect.poll(async () => (await pending.allTextContents()).map((text) => /#(\d+)/.exec(text)![1])).toEqual([String(Number(first) + 1)]);
    // It says what the preview found (nothing is written yet), not 新增 0.
    expect(await pending.textContent()).toContain(`${zh.importState_preview} · `);
    expect(await pending.textContent()).toContain('共 3 行：新增 2，更新 0，重复 0，错误 1');
    await pending.scrollIntoViewIfNeeded();
    await driver.screenshot('import-preview-pending');
    await pending.getByRole('button', { name: zh.importDiscard }).click();
    await expect.poll(() => pending.count()).toBe(0);
    await expect.poll(() => wizard.getByTestId('import-done').textContent()).toBe(`已放弃第 ${Number(first) + 1} 批（重复预览.csv）的预览，未写入任何点位`);
    await driver.screenshot('import-preview-discarded');
    // The wizard's own preview is gone with it: nothing left to commit.
    expect(await wizard.getByTestId('import-commit').count()).toBe(0);
    expect(driver.pageErrors).toEqual([]);
  });
});
