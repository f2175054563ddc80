// 出处 in the panels: a real record from the plan shows the document, the task and the plan's own
// words (Chinese in both UI languages); its note carries no developer English; a demo record has none.
import { describe, expect, it } from 'vitest';
import { en } from '../../web/i18n/en.ts';
import { zh } from '../../web/i18n/zh.ts';
import { useMapDriver } from '../helpers/browser.ts';
import { ASCII_SENTENCE } from '../helpers/text.ts';
import type { SiteCollection } from '../helpers/app.ts';

const WHOLE_CITY = '?v=113.88000,33.70000,8.90';
interface WithProvenance {
  id: number;
  note?: string | null;
  properties: { name?: string; roadName?: string; note?: string | null };
  provenance: { document: string; task: number | null; quote: string | null } | null;
}

describe('出处 of real records', () => {
  const driver = useMapDriver({ viewport: { width: 1280, height: 900 } });
  const section = (panel: 'site-detail' | 'road-detail') => driver.page.getByTestId(panel).getByTestId('provenance');

  it('a real site shows 出处 with the plan, its task and its words; in English the labels change, the quote stays Chinese', async () => {
    const real = (await driver.api<SiteCollection>('/api/sites?located=false&source=real&q=叶岗村')).features[0]!;
    const site = await driver.api<WithProvenance>(`/api/sites/${real.id}`);
    expect(site.provenance?.quote).toContain('叶岗村');
    await driver.openMap(`${WHOLE_CITY}&site=${real.id}`, { waitForClusters: false });
    await expect.poll(() => section('site-detail').locator('h3').textContent(), { timeout: 10_000 }).toBe(zh.provenance);
    const facts = () => section('site-detail').locator('dt, dd').allTextContents();
    expect(await facts()).toEqual([zh.provenanceDocument, site.provenance!.document, zh.provenanceTask, '任务18', zh.provenanceQuote, site.provenance!.quote]);
    expect(site.provenance!.document).toContain('漯发〔2020〕13号');
    const noteText = await driver.page.getByTestId('site-detail').locator('.facts').first().textContent();
    expect(noteText).toContain('督察发现正在违规销售散煤');
    expect(noteText).not.toMatch(ASCII_SENTENCE);
    await driver.screenshot('provenance-site-zh');

    await driver.page.getByTestId('lang-switch').click();
    await expect.poll(() => section('site-detail').locator('h3').textContent()).toBe(en.provenance);
    expect(await facts()).toEqual([en.provenanceDocument, site.provenance!.document, en.provenanceTask, 'Task 18', en.provenanceQuote, site.provenance!.quote]);
    await driver.screenshot('provenance-site-en');
  });

  it('a real road shows 出处; a demo site shows none', async () => {
    const roads = await driver.api<{ features: WithProvenance[] }>('/api/roads?drawn=false');
    const jinjiang = roads.features.find((f) => f.properties.roadName === '金江路')!;
    const road = await driver.api<WithProvenance>(`/api/roads/${jinjiang.id}`);
    await driver.openMap(`${WHOLE_CITY}&road=${jinjiang.id}`, { waitForClusters: false });
    await expect.poll(() => section('road-detail').locator('blockquote').textContent(), { timeout: 10_000 }).toBe(road.provenance!.quote);
    expect(road.provenance!.quote).toContain('金江路(五一路以东)');
    expect(await section('road-detail').locator('h3').textContent()).toBe(zh.provenance);
    expect(await driver.page.getByTestId('road-detail').locator('.facts').first().textContent()).not.toMatch(ASCII_SENTENCE);
    await driver.screenshot('provenance-road-zh');

    const demo = (await driver.api<SiteCollection>('/api/sites?source=demo&located=true')).features[0]!;
    await driver.openMap(`${WHOLE_CITY}&site=${demo.id}`, { waitForClusters: false });
    await expect.poll(() => driver.page.getByTestId('site-detail').locator('h2').textContent(), { timeout: 10_000 }).toBe(demo.properties.name);
    expect(await section('site-detail').count()).toBe(0);
  });
});
