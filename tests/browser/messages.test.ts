// Refusals in the Chinese page are Chinese sentences: beside the field they name, or in a banner
// that goes when the next write succeeds or the user dismisses it; no stale result under an error.
import { describe, expect, it } from 'vitest';
import { zh } from '../../web/i18n/zh.ts';
import { signInUser } from '../helpers/app.ts';
import { useMapDriver, type MapDriver } from '../helpers/browser.ts';

/** An ASCII sentence: three or more Latin words in a row (a code or a field name alone is not one). */
const ASCII_SENTENCE = /[A-Za-z]+(?:[\s,;:'"-]+[A-Za-z]+){2,}/;

/** The texts of every [role=alert] on the page, each checked to be Chinese with no English sentence in it. */
async function alertsAreChinese(driver: MapDriver): Promise<string[]> {
  const texts = (await driver.page.locator('[role=alert]').allTextContents()).map((text) => text.trim()).filter(Boolean);
  for (const text of texts) {
    expect(text).not.toMatch(ASCII_SENTENCE);
    expect(text).toMatch(/[\u4e00-\u9fff]/);
  }
  return texts;
}

describe('refusals in the Chinese page', () => {
  const driver = useMapDriver();

  it('siege: a refused band shows beside its input in Chinese, the old figures go, and come back when fixed', async () => {
    await driver.openMap('?panel=siege', { waitForClusters: false });
    const panel = driver.page.getByTestId('siege-panel');
    // The first analysis of a new server starts its analysis thread (tsx loads the modules there): seconds on a loaded CI machine.
    await expect.poll(() => panel.getByTestId('siege-occupancy').count(), { timeout: 30_000 }).toBe(1);
    const bands = panel.locator('.siege-params input').first();
    await bands.fill('0,abc,5');
    const fieldError = panel.getByTestId('field-error');
    await expect.poll(() => fieldError.textContent(), { timeout: 10_000 }).toBe('距离带：“abc”不是数字');
    expect(await bands.getAttribute('aria-invalid')).toBe('true');
    // No stale result under the error, and the refusal is said once, by its field.
    expect(await panel.getByTestId('siege-occupancy').count()).toBe(0);
    expect(await alertsAreChinese(driver)).toEqual(['距离带：“abc”不是数字']);
    await driver.screenshot('refusal-siege-bands');
    await bands.fill('0,5,2');
    await expect.poll(() => fieldError.textContent(), { timeout: 10_000 }).toBe('距离带：须逐个增大（2 排在 5 之后）');
    await alertsAreChinese(driver);
    await bands.fill('0,2,5,10,20');
    await expect.poll(() => panel.getByTestId('siege-occupancy').count(), { timeout: 10_000 }).toBe(1);
    expect(await fieldError.count()).toBe(0);
  });

  it('routes: a refused number of days shows beside its input in Chinese', async () => {
    await driver.openMap('?panel=routes', { waitForClusters: false });
    const panel = driver.page.getByTestId('route-panel');
    await panel.getByText(zh.routeRuleRecheck).click();
    await panel.getByLabel(zh.routeDays).fill('-1');
    await panel.getByRole('button', { name: zh.routePlan }).click();
    await expect.poll(() => panel.getByTestId('field-error').textContent(), { timeout: 10_000 }).toBe('多少天未检查：不能小于 0');
    expect(await driver.page.getByTestId('error-banner').count()).toBe(0);
    await alertsAreChinese(driver);
    await driver.screenshot('refusal-route-days');
  });

  it('import: an empty file and binary data named .csv are refused beside the file input in Chinese', async () => {
    await driver.openMap('?panel=imports', { waitForClusters: false });
    const wizard = driver.page.getByTestId('import-wizard');
    await wizard.getByTestId('import-crs').selectOption('wgs84');
    const file = wizard.getByTestId('import-file');
    const preview = wizard.getByRole('button', { name: zh.importPreview });
    await file.setInputFiles({ name: '空文件.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
    await preview.click();
    await expect.poll(() => wizard.getByTestId('field-error').textContent(), { timeout: 10_000 }).toBe('空文件.csv 是空文件，或没有表头和数据');
    await alertsAreChinese(driver);
    await file.setInputFiles({ name: '台账.csv', mimeType: 'text/csv', buffer: Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 0, 9]) });
    await preview.click();
    await expect
      .poll(() => wizard.getByTestId('field-error').textContent(), { timeout: 10_000 })
      .toBe('台账.csv 按文件名应为文本文件，但其内容是二进制数据，不是文本');
    await alertsAreChinese(driver);
    await file.setInputFiles({ name: '台账.csv', mimeType: 'text/csv', buffer: Buffer.from('编号,地点\n1,叶岗村\n') });
    await preview.click();
    await expect.poll(() => wizard.getByTestId('field-error').textContent(), { timeout: 10_000 }).toBe('没有哪一列是名称、类别，请在下方“列对应”中指定');
    await alertsAreChinese(driver);
    await driver.screenshot('refusal-import-columns');
  });

  it('a refusal with no field on screen is a Chinese banner that goes on the next accepted write, or when dismissed', async () => {
    // The real server's refusal of a 源汇区 official writing in 召陵区, replayed for the route plan.
    const site = driver.database.get<{ id: number }>("SELECT id FROM sites WHERE county_code = '411104' AND lon IS NOT NULL ORDER BY id LIMIT 1")!;
    const token = signInUser(driver.database, new Set(['411102', '411103', '411104', '411121', '411122']), 'county-411102', 'county', ['411102']);
    const refused = await fetch(`${driver.baseUrl}/api/sites/${site.id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json', 'If-Match': '1' },
      body: JSON.stringify({ version: 1, note: '越权' }),
    });
    expect(refused.status).toBe(403);
    const body = await refused.text();
    expect(JSON.parse(body).error.code).toBe('forbidden_county');

    await driver.openMap('?panel=routes', { waitForClusters: false });
    const panel = driver.page.getByTestId('route-panel');
    await panel.getByText(zh.routeRuleSample).click();
    await panel.locator('input[inputmode=numeric]').fill('7');
    let replay = true;
    await driver.page.route('**/api/routes/plan', (route) =>
      replay ? route.fulfill({ status: 403, contentType: 'application/json', body }) : route.continue(),
    );
    const plan = panel.getByRole('button', { name: zh.routePlan });
    await plan.click();
    const banner = driver.page.getByTestId('error-banner');
    await expect.poll(() => banner.textContent(), { timeout: 10_000 }).toContain('您只能在源汇区操作，此操作涉及召陵区（411104）');
    await alertsAreChinese(driver);
    await driver.screenshot('refusal-banner');
    // The next accepted write clears it.
    replay = false;
    await plan.click();
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(0);
    // Dismissed by hand.
    replay = true;
    await plan.click();
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(1);
    await banner.getByRole('button', { name: zh.errorDismiss }).click();
    expect(await banner.count()).toBe(0);
  });

  it('audit: actions and targets in words, a site target links to the site, changes as a table', async () => {
    const created = await driver.send<{ id: number }>('POST', '/api/sites', {
      name: '审计用木材加工厂',
      category: 'wood_processing',
      lon: 113.95,
      lat: 33.55,
      discoveredOn: '2022-01-01',
    });
    await driver.send('POST', `/api/sites/${created.id}/events`, { to: 'rectifying', date: '2022-02-01' });
    await driver.openMap('?panel=audit', { waitForClusters: false });
    const panel = driver.page.getByTestId('audit-panel');
    await expect.poll(() => panel.getByTestId('audit-action').count(), { timeout: 10_000 }).toBeGreaterThan(1);
    const options = await panel.locator('select').first().locator('option').allTextContents();
    expect(options).toContain('登录');
    expect(options).toContain('导入写入');
    expect(options.filter((text) => /^[a-z_.]+$/.test(text))).toEqual([]);
    const actions = await panel.getByTestId('audit-action').allTextContents();
    expect(actions).toContain('变更点位状态');
    expect(actions.filter((text) => /^[a-z_.]+$/.test(text))).toEqual([]);
    // Who, in words: the role's name and the counties' names, not their codes ('admin (admin) · 411102').
    const who = await panel.getByTestId('audit-who').allTextContents();
    expect(who.length).toBeGreaterThan(1);
    expect(who.filter((text) => /\((admin|county|inspector|planner|viewer)\)|\b411\d{3}\b|system|start-up/.test(text))).toEqual([]);
    expect(who).toContain(`${zh.auditActor}: admin（${zh.roleAdmin}） · ${zh.auditAddress}: 127.0.0.1 · 源汇区`);
    const target = panel.getByTestId('audit-target').filter({ hasText: '点位：审计用木材加工厂' }).first();
    await target.click();
    await expect.poll(() => driver.page.getByTestId('site-detail').locator('h2').textContent(), { timeout: 10_000 }).toBe('审计用木材加工厂');
    await driver.openMap('?panel=audit', { waitForClusters: false });
    const table = panel.getByTestId('audit-changes').first();
    await panel
      .locator('details')
      .first()
      .evaluate((el) => ((el as HTMLDetailsElement).open = true));
    expect(await table.locator('thead th').allTextContents()).toEqual([zh.auditField, zh.auditBefore, zh.auditAfter]);
    expect(await panel.locator('pre').count()).toBe(0);
    await driver.screenshot('audit-in-words');
  });
});
