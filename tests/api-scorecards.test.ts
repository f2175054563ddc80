// County scorecards: every figure checked against /api/sites under the same filters, overdue items
// that stop being overdue when closed, roads awaiting repair, sites not inspected, the monthly trend.
import { campaignDay } from '../domain/days.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FIGURE_KEYS } from '../domain/scorecard-figures.ts';
import type { FigureList } from '../server/store/scorecard-store.ts';
import type { Scorecard } from '../server/store/scorecard-store.ts';
import { bootTestApp, expectError, FULL_CHECKLIST, type Harness } from './helpers/app.ts';

type Card = Scorecard;

let h: Harness;
const ids: Record<string, number> = {};

async function site(key: string, category: string, discoveredOn: string, deadline: string | null, moves: [string, string][] = []) {
  const res = await h.send<{ id: number }>('POST', '/api/sites', {
    name: `评分${key}`,
    category,
    lon: 113.95 + Object.keys(ids).length * 0.002,
    lat: 33.55,
    discoveredOn,
    deadline,
  });
  expect(res.status).toBe(201);
  for (const [to, date] of moves)
    expect((await h.send('POST', `/api/sites/${res.body.id}/events`, { to, date, checklist: to === 'closed' ? FULL_CHECKLIST : undefined })).status).toBe(201);
  ids[key] = res.body.id;
}

beforeEach(async () => {
  h = bootTestApp();
  for (const key of Object.keys(ids)) delete ids[key];
  await site('late', 'sand_yard', '2021-01-10', '2021-06-30'); // still discovered: overdue after 2021-06-30
  await site('closed', 'sand_yard', '2021-01-12', '2021-06-30', [['closed', '2021-03-05']]);
  await site('relapsed', 'wood_processing', '2021-02-01', null, [
    ['closed', '2021-03-01'],
    ['relapsed', '2021-09-07'],
  ]);
  await site('verified', 'coal_point', '2021-02-03', null, [
    ['closed', '2021-02-20'],
    ['verified', '2021-04-01'],
  ]);
});

const card = async (query = '') => (await h.get<Card>(`/api/counties/411102/scorecard${query}`)).body;

describe('GET /api/counties/:code/scorecard', () => {
  it('counts sites by status and category exactly as /api/sites does for the same county and date', async () => {
    for (const asOf of ['2021-02-15', '2021-06-01', '2022-12-31']) {
      const scorecard = await card(`?asOf=${asOf}`);
      const listed = (await h.get<{ features: { properties: { status: string; category: string } }[] }>(`/api/sites?county=411102&asOf=${asOf}`)).body.features;
      const tally = (key: 'status' | 'category') =>
        listed.reduce<Record<string, number>>((acc, f) => ({ ...acc, [f.properties[key]]: (acc[f.properties[key]] ?? 0) + 1 }), {});
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

const figure = async (name: string, query = '&asOf=2022-12-31') =>
  (await h.get<FigureList>(`/api/counties/411102/scorecard/sites?figure=${name}${query}`)).body;

describe('GET /api/counties/:code/scorecard/sites — the sites behind a figure', () => {
  it('lists exactly the sites each figure counts, named by hand', async () => {
    await h.send('POST', '/api/roads', { roadName: '待修路', severity: 'minor', reportedOn: '2021-05-01', county: '411102' });
    const now = await card('?asOf=2022-12-31');
    // By hand: late (discovered, deadline 2021-06-30), closed, relapsed, verified, plus the real unlocated coal point.
    const ids_ = async (name: string) => (await figure(name)).sites.map((s) => s.id).sort((a, b) => a - b);
    expect(await ids_('open')).toEqual([2, ids.late!, ids.relapsed!].sort((a, b) => a - b));
    expect(await ids_('dealtWith')).toEqual([ids.closed!, ids.verified!]);
    expect(await ids_('verified')).toEqual([ids.verified!]);
    expect(await ids_('relapsed')).toEqual([ids.relapsed!]);
    expect(await ids_('overdue')).toEqual([ids.late!]);
    expect(await ids_('unlocated')).toEqual([2]);
    expect(await ids_('notInspected')).toEqual([ids.closed!, ids.verified!]);
    expect(await ids_('status:relapsed')).toEqual([ids.relapsed!]);
    expect(await ids_('category:sand_yard')).toEqual([ids.late!, ids.closed!]);
    expect((await figure('roadsAwaitingRepair')).roads.map((r) => r.roadName)).toEqual(['待修路']);
    // And every figure's list is as long as the figure on the card.
    const counted: Record<string, number> = {
      sites: now.sites,
      open: now.zeroing.open,
      dealtWith: now.zeroing.dealtWith,
      verified: now.zeroing.verified,
      relapsed: now.relapsedSites,
      likelyMoves: now.likelyMoves,
      overdue: now.overdue.length,
      notInspected: now.notInspected,
      unlocated: now.unlocated,
    };
    for (const key of FIGURE_KEYS.filter((k) => k !== 'roadsAwaitingRepair')) expect((await figure(key)).sites.length, key).toBe(counted[key]);
    for (const [status, n] of Object.entries(now.byStatus)) expect((await figure(`status:${status}`)).sites.length, status).toBe(n);
  });

  it('counts a likely move into the county: a closed sand yard and a new one nearby soon after', async () => {
    expect((await card('?asOf=2022-12-31')).likelyMoves).toBe(0);
    const moved = await h.send<{ id: number }>('POST', '/api/sites', {
      name: '评分closed',
      category: 'sand_yard',
      lon: 113.9505,
      lat: 33.5505,
      discoveredOn: '2021-04-01',
    });
    expect(moved.status).toBe(201);
    expect((await card('?asOf=2022-12-31')).likelyMoves).toBe(1);
    expect((await figure('likelyMoves')).sites.map((s) => s.id)).toEqual([moved.body.id]);
    expect((await h.send('POST', `/api/analysis/relapse/moves/${ids.closed}-${moved.body.id}`, { decision: 'dismissed' })).status).toBe(201);
    expect((await card('?asOf=2022-12-31')).likelyMoves).toBe(0);
  });

  it('counts only real or only demo records when asked', async () => {
    const demo = await h.send<{ id: number }>('POST', '/api/sites', {
      name: '演示点',
      category: 'sand_yard',
      lon: 113.96,
      lat: 33.55,
      discoveredOn: '2021-01-01',
      source: 'demo',
    });
    expect(demo.status).toBe(201);
    const both = await card('?asOf=2022-12-31');
    expect(both.sites).toBe(6);
    expect((await card('?asOf=2022-12-31&source=demo')).sites).toBe(1);
    expect((await card('?asOf=2022-12-31&source=real')).sites).toBe(5);
    expect((await figure('sites', '&asOf=2022-12-31&source=demo')).sites.map((s) => s.id)).toEqual([demo.body.id]);
  });

  it('refuses unknown figures, naming the parameter', async () => {
    expect(expectError(await h.get('/api/counties/411102/scorecard/sites?figure=everything'), 400).details.parameter).toBe('figure');
    expect(expectError(await h.get('/api/counties/411102/scorecard/sites?figure=status:gone'), 400).details.parameter).toBe('figure');
    expect(expectError(await h.get('/api/scorecards?source=fake'), 400).details.parameter).toBe('source');
  });
});

describe('GET /api/scorecards/xlsx', () => {
  it('is a workbook GDAL reads, with Chinese sheet names, headers and the figures of the JSON scorecards', async () => {
    const res = await h.request('/api/scorecards/xlsx?asOf=2022-12-31');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('县区考核_全市_2022-12-31.xlsx')}`);
    const file = join(mkdtempSync(join(tmpdir(), 'sansan-xlsx-')), 'scorecard.xlsx');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const read = (sheet: string) =>
      execFileSync('ogr2ogr', ['-f', 'CSV', '/vsistdout/', file, sheet, '-oo', 'HEADERS=DISABLE', '-oo', 'FIELD_TYPES=STRING'], { encoding: 'utf8' });
    expect(execFileSync('ogrinfo', ['-q', file], { encoding: 'utf8' })).toMatch(/县区考核[\s\S]*逾期清单[\s\S]*月度趋势[\s\S]*指标说明/);
    const all = (await h.get<Card[]>('/api/scorecards?asOf=2022-12-31')).body;
    const rows = read('县区考核')
      .trim()
      .split('\n')
      .map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')));
    expect(rows.find((r) => r[0] === '指标')).toEqual(['指标', ...all.map((c) => c.countyName), '全市合计']);
    const row = (label: string) =>
      rows
        .find((r) => r[0] === label)!
        .slice(1)
        .map(Number);
    expect(row('排查发现')).toEqual([...all.map((c) => c.sites), all.reduce((n, c) => n + c.sites, 0)]);
    expect(row('逾期未完成')).toEqual([...all.map((c) => c.overdue.length), all.reduce((n, c) => n + c.overdue.length, 0)]);
    expect(read('逾期清单').replace(/"/g, '')).toContain(`源汇区,${ids.late},评分late,2021-06-30,已发现`);
    // When it was made, as Beijing's clock read it (not UTC's ISO text).
    expect(read('指标说明')).toMatch(new RegExp(`生成时间：${campaignDay()} \\d{2}:\\d{2}:\\d{2}（北京时间）`));
  });

  it('gives one county alone, and 404 for an unknown one', async () => {
    const res = await h.request('/api/scorecards/xlsx?county=411102');
    expect(res.status).toBe(200);
    expectError(await h.get('/api/scorecards/xlsx?county=999999'), 404);
  });
});
