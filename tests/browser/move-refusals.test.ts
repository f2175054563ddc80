// A status move refused by the server (the record moved meanwhile) is said in the page's language from
// the error catalogue (describeError), in the site's move form and in the banner for a road.
import { campaignDay } from '../../domain/days.ts';
import { describe, expect, it } from 'vitest';
import { statusLabel } from '../../web/i18n/code-labels.ts';
import { en } from '../../web/i18n/en.ts';
import { zh } from '../../web/i18n/zh.ts';
import { useMapDriver } from '../helpers/browser.ts';
import { ASCII_SENTENCE } from '../helpers/text.ts';
import type { RoadFeature, SiteCollection } from '../helpers/app.ts';

const WHOLE_CITY = '?v=113.88000,33.70000,8.90';
/** Today on the server (the page's date inputs default to it). */
const today = () => campaignDay();

describe('refused status moves', () => {
  const driver = useMapDriver({ viewport: { width: 1280, height: 900 } });

  it('site: a move the site can no longer make is refused in Chinese beside the form, and in English in the English page', async () => {
    const sites = await driver.api<SiteCollection>('/api/sites?source=demo&located=true&status=discovered');
    for (const [index, lang] of (['zh', 'en'] as const).entries()) {
      const site = sites.features[index]!;
      await driver.openMap(`${WHOLE_CITY}&site=${site.id}${lang === 'en' ? '&lang=en' : ''}`, { waitForClusters: false });
      const panel = driver.page.getByTestId('site-detail');
      await expect.poll(() => panel.locator('h2').textContent(), { timeout: 10_000 }).toBe(site.properties.name);
      // Someone else moves it to 整改中 after the page loaded; the page still offers 整改中.
      await driver.send('POST', `/api/sites/${site.id}/events`, { to: 'rectifying', date: today() });
      const label = lang === 'zh' ? zh.moveTo.replace('{status}', '整改中') : en.moveTo.replace('{status}', statusLabel('rectifying', 'en'));
      await panel.getByRole('button', { name: label }).click();
      await panel
        .locator('.event-form')
        .getByRole('button', { name: lang === 'zh' ? zh.confirm : en.confirm })
        .click();
      const alert = panel.locator('.site-moves [role=alert]');
      await expect.poll(() => alert.count(), { timeout: 10_000 }).toBe(1);
      const text = (await alert.textContent())!;
      if (lang === 'zh') {
        expect(text).toMatch(/^不能从“整改中”改为“整改中”；可改为：/);
        expect(text).not.toMatch(ASCII_SENTENCE);
        await driver.screenshot('refusal-site-move-zh');
      } else {
        expect(text).toContain(statusLabel('rectifying', 'en'));
        expect(text).not.toMatch(/[\u4e00-\u9fff]/);
        await driver.screenshot('refusal-site-move-en');
      }
    }
  });

  it('road: a move the segment can no longer make is refused in Chinese in the banner', async () => {
    const roads = await driver.api<{ features: RoadFeature[] }>('/api/roads?status=reported');
    const road = roads.features[0]!;
    await driver.openMap(`${WHOLE_CITY}&road=${road.id}`, { waitForClusters: false });
    const panel = driver.page.getByTestId('road-detail');
    await expect.poll(() => panel.locator('h2').textContent(), { timeout: 10_000 }).toBe(road.properties.roadName);
    await driver.send('POST', `/api/roads/${road.id}/events`, { to: 'scheduled', date: today() });
    await panel.getByRole('button', { name: zh.roadMoveTo.replace('{status}', '已排期') }).click();
    await panel.locator('.event-form').getByRole('button', { name: zh.confirm }).click();
    const banner = driver.page.getByTestId('error-banner');
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(1);
    const text = (await banner.locator('span').first().textContent())!;
    expect(text).toMatch(/^不能从“已排期”改为“已排期”/);
    expect(text).not.toMatch(ASCII_SENTENCE);
    await driver.screenshot('refusal-road-move');
  });
});
