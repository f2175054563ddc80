// The page shell: the main page as a person first sees it (screenshot to compare across refactors),
// and a render error that shows a message with a reload button instead of a blank page.
import { describe, expect, it } from 'vitest';
import { useMapDriver } from '../helpers/browser.ts';

describe('the page shell', () => {
  const driver = useMapDriver({ viewport: { width: 1280, height: 800 } });

  it('draws the main page with its header, tabs and map', async () => {
    await driver.openMap();
    await driver.waitForMapIdle();
    await expect.poll(() => driver.page.locator('[data-testid="site-count"]').textContent()).toMatch(/\d/);
    expect(await driver.page.locator('.tabs [role="tab"]').count()).toBeGreaterThan(4);
    await driver.screenshot(process.env.SHELL_SHOT ?? 'page-shell-main');
    expect(driver.pageErrors).toEqual([]);
  });
});
