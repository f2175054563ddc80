// County scorecards: every figure checked against /api/sites under the same filters, overdue items
// that stop being overdue when closed, roads awaiting repair, sites not inspected, the monthly trend.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Scorecard } from '../server/store/scorecard-store.ts';
import { bootTestApp, expectError, FULL_CHECKLIST, type Harness } from './helpers/app.ts';

type Card = Scorecard;

let h: Harness;
const ids: Record<string, number> = {};

async function site(key: string, category: string, discoveredOn: string, deadline: string | null, moves: [string, string][] = []) {
  const res = await h.send<{ id: number }>('POST', '/api/sites', { name: `评分${key}`, category, lon: 113.95 + Object.keys(ids).length * 0.002, lat: 33.55, discoveredOn, deadline });
  expect(res.status).toBe(201);
  for (const [to, date] of moves) expect((await h.send('POST', `/api/sites/${res.body.id}/events`, { to, date, checklist: to === 'closed' ? FULL_CHECKLIST : undefined })).status).toBe(201);
  ids[key] = res.body.id;
}

beforeEach(async () => {
  h = bootTestApp();
  for (const key of Object.keys(ids)) delete ids[key];
  await site('late', 'sand_yard', '2021-01-10', '2021-06-30'); // still discovered: overdue after 2021-06-30
  await site('closed', 'sand_yard', '2021-01-12', '2021-06-30', [['closed', '2021-03-05']]);
  await site('relapsed', 'wood_processing', '2021-02-01', null, [['closed', '2021-03-01'], ['relapsed', '2021-09-07']]);
  await site('verified', 'coal_point', '2021-02-03', null, [['closed', '2021-02-20'], ['verified', '2021-04-01']]);
});

const card = async (query = '') => (await h.get<Card>(`/api/counties/411102/scorecard${query}`)).body;

describe('GET /api/counties/:code/scorecard', () => {
  it('counts sites by status and category exactly as /api/sites does for the same county and date', async () => {
    for (const asOf of ['2021-02-15', '2021-06-01', '2022-12-31']) {
      const scorecard = await card(`?asOf=${asOf}`);
      const listed = (await h.get<{ features: { properties: { status: string; category: string } }[] }>(`/api/sites?county=411102&asOf=${asOf}`)).body.features;
      const tally = (key: 'status' | 'category') => listed.reduce<Record<string, number>>((acc, f) => ({ ...acc, [f.properties[key]]: (acc[f.properties[key]] ?? 0) + 1 }), {});
      expect(scorecard.sites).toBe(listed.length);
      expect(scorecard.byStatus).toEqual(tally('status'));
      expect(scorecard.byCategory).toEqual(tally('category'));
    }
    // 源汇区 also holds the plan's real coal point (unlocated, discovered 2019-12-27).
    const now = await card('?asOf=2022-12-31');
    expect(now.zeroing).toEqual({ found: 5, open: 3, dealtWith: 2, verified: 1, shareDealtWith: 2 / 5 });
    expect(now.unlocated).toBe(1);
    expect(now.relapses).toBe(1);
  });

  it('a site past its deadline is overdue, and stops being overdue when it closes', async () => {
    expect((await card('?asOf=2021-06-30')).overdue).toEqual([]);
    expect((await card('?asOf=2021-07-01')).overdue.map((o) => o.id)).toEqual([ids.late]);
    expect((await h.send('POST', `/api/sites/${ids.late}/events`, { to: 'closed', date: '2021-08-01', checklist: FULL_CHECKLIST })).status).toBe(201);
    expect((await card('?asOf=2021-07-15')).overdue.map((o) => o.id)).toEqual([ids.late]);
    expect((await card('?asOf=2021-08-01')).overdue).toEqual([]);
  });

  it('counts roads awaiting repair and dealt-with sites not inspected lately', async () => {
    const road = await h.send<{ id: number }>('POST', '/api/roads', { roadName: '测试路', severity: 'moderate', reportedOn: '2021-05-01', county: '411102' });
    expect((await card('?asOf=2021-06-01')).roadsAwaitingRepair).toBe(1);
    expect((await h.send('POST', `/api/roads/${road.body.id}/events`, { to: 'repaired', date: '2021-07-01' })).status).toBe(201);
    expect((await card('?asOf=2021-06-30')).roadsAwaitingRepair).toBe(1);
    expect((await card('?asOf=2021-07-01')).roadsAwaitingRepair).toBe(0);
    // closed and verified (located) sites, never inspected:
    expect((await card('?asOf=2021-06-01')).notInspected).toBe(3);
    expect((await h.send('POST', '/api/inspections', { siteId: ids.closed, date: '2021-05-20', result: 'closed_as_recorded' })).status).toBe(201);
    expect((await card('?asOf=2021-06-01&staleDays=30')).notInspected).toBe(2);
    expect((await card('?asOf=2021-08-01&staleDays=30')).notInspected).toBe(3);
  });

  it('gives the monthly trend of discoveries, closures and relapses', async () => {
    const trend = (await card('?asOf=2021-12-31')).trend;
    expect(trend).toEqual([
      { month: '2019-12', discovered: 1, closed: 0, relapsed: 0 },
      { month: '2021-01', discovered: 2, closed: 0, relapsed: 0 },
      { month: '2021-02', discovered: 2, closed: 1, relapsed: 0 },
      { month: '2021-03', discovered: 0, closed: 2, relapsed: 0 },
      { month: '2021-04', discovered: 0, closed: 0, relapsed: 0 },
      { month: '2021-09', discovered: 0, closed: 0, relapsed: 1 },
    ]);
  });

  it('lists every county side by side, and refuses unknown counties and bad dates', async () => {
    const all = (await h.get<Card[]>('/api/scorecards?asOf=2022-12-31')).body;
    expect(all.map((c) => c.county)).toEqual(['411102', '411103', '411104', '411121', '411122']);
    expect(all[0]).toEqual(await card('?asOf=2022-12-31'));
    expectError(await h.get('/api/counties/999999/scorecard'), 404);
    expect(expectError(await h.get('/api/counties/411102/scorecard?asOf=2021-02-30'), 400).details.parameter).toBe('asOf');
    expect(expectError(await h.get('/api/scorecards?staleDays=x'), 400).details.parameter).toBe('staleDays');
  });
});
