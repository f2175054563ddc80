// Sign-in locks in the audit panel: an admin sees the locked account (address, failures, until when)
// and lifts the lock with one button; a county official sees why they cannot.
import { describe, expect, it } from 'vitest';
import { zh } from '../../web/i18n/zh.ts';
import { useMapDriver, type MapDriver } from '../helpers/browser.ts';

async function lockOut(driver: MapDriver, username: string) {
  for (let i = 0; i < 5; i++) {
    const response = await fetch(`${driver.baseUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: `wrong-${i}` }),
    });
    expect(response.status).toBe(401);
  }
}

describe('sign-in locks for admins', () => {
  const driver = useMapDriver();

  it('shows the locked account and lifts the lock', async () => {
    await driver.signInAs('county', ['411102']);
    await driver.signInAs('admin');
    await lockOut(driver, 'county-411102');
    await driver.openMap('?v=113.88000,33.70000,8.90&panel=audit');
    const locks = driver.page.getByTestId('sign-in-locks');
    const row = locks.locator('[data-lock="county-411102"]');
    await expect.poll(() => row.textContent()).toContain(zh.locksLocked);
    expect(await row.textContent()).toMatch(/来源地址 127\.0\.0\.1，失败 5 次，.+自动解除/);
    await row.scrollIntoViewIfNeeded();
    await driver.screenshot('sign-in-lock-shown');
    await row.getByTestId('unlock').click();
    await expect.poll(() => locks.getByTestId('locks-message').textContent()).toBe('已解除 county-411102 的登录锁定。');
    await expect.poll(() => locks.textContent()).toContain(zh.locksNone);
    await driver.screenshot('sign-in-lock-lifted');
    const last = driver.database.get<{ action: string; target: string; actor: string }>('SELECT action, target, actor FROM audit_log ORDER BY id DESC LIMIT 1');
    expect(last).toMatchObject({ action: 'sign_in.unlock', target: 'user:county-411102', actor: 'admin' });
  });
});

describe('sign-in locks for county officials', () => {
  const driver = useMapDriver({ user: { role: 'county', counties: ['411102'] } });

  it('says only admins may see and lift them', async () => {
    await driver.openMap('?v=113.88000,33.70000,8.90&panel=audit');
    const denied = driver.page.getByTestId('sign-in-locks').getByTestId('locks-denied');
    await expect.poll(() => denied.textContent()).toMatch(/无此权限/);
    await denied.scrollIntoViewIfNeeded();
    await driver.screenshot('sign-in-lock-denied');
  });
});
