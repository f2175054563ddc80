// Signing in through the page, the user in the header, sign-out, a county official's view (own
// county first, other counties' writes disabled with the reason), the admin's audit view, and
// user-supplied text shown as text: a planted <img onerror> runs nothing.
import { describe, expect, it } from 'vitest';
import { en } from '../../web/i18n/en.ts';
import { zh } from '../../web/i18n/zh.ts';
import { useMapDriver } from '../helpers/browser.ts';
import { COUNTY_CODES, REAL_COAL_POINT_ID, REAL_FUEL_POINT_ID, TEST_PASSWORD, signInUser, type SiteFeature } from '../helpers/app.ts';

const WHOLE_CITY = '?v=113.88000,33.70000,8.90';
type FlagWindow = Window & { __pwned?: number };

describe('signing in through the page', () => {
  const driver = useMapDriver({ user: null });

  it('shows the sign-in page (Chinese first, English switch), refuses a wrong password, then opens the map', async () => {
    signInUser(driver.database, new Set(COUNTY_CODES), '王芳', 'county', ['411102']);
    // a link without a view: a county official will start on their county
    await driver.openMap('', { waitForClusters: false });
    const form = driver.page.getByTestId('sign-in');
    await expect.poll(() => form.locator('h2').textContent()).toBe(zh.signInTitle);
    await driver.screenshot('sign-in-zh');
    await form.getByTestId('lang-switch').click();
    await expect.poll(() => form.locator('h2').textContent()).toBe(en.signInTitle);
    expect(driver.urlParams().get('lang')).toBe('en');
    await form.getByTestId('lang-switch').click();
    await expect.poll(() => form.locator('h2').textContent()).toBe(zh.signInTitle);

    await form.locator('input[name=username]').fill('王芳');
    await form.locator('input[name=password]').fill('wrong-password');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.getByRole('alert').textContent()).toBe(zh.signInFailed);

    await form.locator('input[name=password]').fill(TEST_PASSWORD);
    await form.locator('button[type=submit]').click();
    await driver.waitForClusters();
    await expect.poll(() => driver.page.getByTestId('user').textContent()).toBe(`王芳 ${zh.roleCounty}`);
    // a county official starts on their own county
    await expect.poll(() => driver.urlParams().get('county')).toBe('411102');
    await driver.screenshot('signed-in-county-official');
    // the session cookie is HttpOnly: the page's script cannot read it
    expect(await driver.page.evaluate(() => document.cookie)).not.toContain('sansan_session');
  });

  it('disables writes outside the official’s county, with the reason, and hides the audit view from inspectors', async () => {
    await driver.openMap(`${WHOLE_CITY}&county=411102`);
    const list = driver.page.getByTestId('unlocated');
    // the plan's coal point lies in 源汇区 (theirs), the fuel point in 郾城区 (not theirs)
    const coal = (await driver.api<SiteFeature>(`/api/sites/${REAL_COAL_POINT_ID}`)).properties.name;
    const fuel = (await driver.api<SiteFeature>(`/api/sites/${REAL_FUEL_POINT_ID}`)).properties.name;
    const placeButton = (name: string) => list.locator('li', { hasText: name }).getByRole('button', { name: zh.placeOnMap });
    await expect.poll(() => placeButton(coal).isEnabled()).toBe(true);
    await expect.poll(() => placeButton(fuel).isDisabled()).toBe(true);
    expect(await placeButton(fuel).getAttribute('title')).toBe(zh.deniedCounty.replace('{counties}', '源汇区'));
    // county officials read the audit trail of their county
    expect(await driver.page.getByRole('tab', { name: zh.panelAudit }).count()).toBe(1);
  });

  it('signs out back to the sign-in page, and stays signed out after a reload', async () => {
    await driver.openMap(WHOLE_CITY);
    await driver.page.getByTestId('sign-out').click();
    await expect.poll(() => driver.page.getByTestId('sign-in').locator('h2').textContent()).toBe(zh.signInTitle);
    await driver.page.reload();
    await expect.poll(() => driver.page.getByTestId('sign-in').isVisible()).toBe(true);
    expect(driver.pageErrors).toEqual([]);
  });
});

describe('roles and text on the page', () => {
  const driver = useMapDriver();

  it('a planted <img onerror> in a name, a note and an address is shown as text and runs nothing', async () => {
    const name = '<img src=x onerror="window.__pwned=1">砂场';
    const created = await driver.send<SiteFeature>('POST', '/api/sites', {
      name,
      category: 'sand_yard',
      lon: 113.95,
      lat: 33.55,
      discoveredOn: '2022-01-01',
      address: '<script>window.__pwned=2</script>',
      note: '<svg onload="window.__pwned=3">',
    });
    await driver.send('POST', `/api/sites/${created.id}/events`, { to: 'rectifying', date: '2022-02-01', note: '<img src=x onerror="window.__pwned=4">' });
    await driver.openMap(`?v=113.95000,33.55000,16.00&site=${created.id}`);
    const detail = driver.page.getByTestId('site-detail');
    await expect.poll(() => detail.locator('h2').textContent()).toBe(name);
    await expect.poll(() => detail.textContent()).toContain('<script>window.__pwned=2</script>');
    await expect.poll(() => driver.page.getByTestId('site-history').textContent()).toContain('<img src=x onerror="window.__pwned=4">');
    // the admin's audit view shows it inside before/after, as text
    await driver.openMap(`${WHOLE_CITY}&panel=audit`);
    await expect.poll(() => driver.page.getByTestId('audit-panel').locator('.audit-records li').count()).toBeGreaterThan(0);
    await driver.page
      .getByTestId('audit-panel')
      .locator('details')
      .first()
      .evaluate((el) => ((el as HTMLDetailsElement).open = true));
    await driver.screenshot('planted-markup-as-text');
    expect(await driver.page.evaluate(() => (window as FlagWindow).__pwned)).toBeUndefined();
    expect(await driver.page.locator('img[src=x], svg[onload], script:not([src])').count()).toBe(0);
    expect(driver.pageErrors).toEqual([]);
  });

  it('the admin’s audit view verifies the chain, and names a record changed behind the server’s back', async () => {
    await driver.openMap(`${WHOLE_CITY}&panel=audit`);
    const panel = driver.page.getByTestId('audit-panel');
    await panel.getByTestId('audit-verify').click();
    await expect.poll(() => panel.getByTestId('audit-verification').textContent()).toMatch(/^校验通过：\d+ 条记录/);
    const db = driver.database;
    const guard = db.get<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_update'")!.sql;
    const target = db.get<{ id: number }>("SELECT id FROM audit_log WHERE action = 'site.create' ORDER BY id LIMIT 1")!.id;
    db.raw.exec('DROP TRIGGER audit_log_no_update');
    db.run("UPDATE audit_log SET actor = 'someone-else' WHERE id = ?", [target]);
    db.raw.exec(guard);
    await panel.getByTestId('audit-verify').click();
    await expect.poll(() => panel.getByTestId('audit-verification').textContent()).toBe(`校验未通过：第 ${target} 条记录不符（${zh.auditBreakHash}）。`);
    await driver.screenshot('audit-verification-failed');
  });

  it('a viewer sees the map, with the analysis writes disabled and the reason given', async () => {
    await driver.signInAs('viewer');
    await driver.openMap(`${WHOLE_CITY}&panel=siege`);
    await expect.poll(() => driver.page.getByTestId('user').textContent()).toBe(`viewer ${zh.roleViewer}`);
    const draw = driver.page.getByRole('button', { name: zh.siegeDrawCore });
    await expect.poll(() => draw.isDisabled()).toBe(true);
    expect(await draw.getAttribute('title')).toBe(zh.deniedRole.replace('{role}', zh.roleViewer));
    expect(await driver.page.getByRole('tab', { name: zh.panelAudit }).count()).toBe(0);
  });
});
