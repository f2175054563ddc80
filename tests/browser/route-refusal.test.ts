// The 巡查路线 panel refuses a whole county's re-checks as one route (issue 18): a database with
// thousands of closed sites, the 回头看 rule over every county, and the banner says in Chinese how many
// sites the rule chose, about how many working days they are, and how to narrow the choice.
import { describe, expect, it } from 'vitest';
import { generateSites, loadSites, readGeography } from '../../bench/synthetic.ts';
import { zh } from '../../web/i18n/zh.ts';
import { useMapDriver } from '../helpers/browser.ts';

describe('the 巡查路线 panel and a rule choosing too many stops', () => {
  const driver = useMapDriver();

  it('shows the refusal in Chinese with the count and how to narrow it', async () => {
    loadSites(driver.database, generateSites(readGeography(driver.database), 6000));
    await driver.openMap('?panel=routes', { waitForClusters: true });
    const panel = driver.page.getByTestId('route-panel');
    await panel.getByText(zh.routeRuleRecheck).click();
    await panel.getByRole('button', { name: zh.routePlan }).click();
    const banner = driver.page.getByTestId('error-banner');
    await expect
      .poll(() => banner.textContent(), { timeout: 30_000 })
      .toMatch(/按此规则选出 [\d,]+ 个点位（约需 [\d,]+ 个工作日），一条路线最多 1,000 个。请缩小范围：在地图上圈出/);
    expect(await banner.textContent()).not.toMatch(/[a-z]{4,}/);
    await driver.screenshot('route-too-many-stops');
  });
});
