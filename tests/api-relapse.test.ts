// /api/analysis/relapse through the API, on sites made by hand: a relapse with its days since
// closure, a likely move found (and a far one not), a decision kept, and bad parameters refused.
import { beforeEach, describe, expect, it } from 'vitest';
import { bootTestApp, expectError, FULL_CHECKLIST, type Harness } from './helpers/app.ts';

interface Relapse {
  relapses: { siteId: number; date: string; closedOn: string | null; daysSinceClosure: number | null }[];
  moves: { key: string; fromId: number; toId: number; distanceKm: number; days: number; nameSimilarity: number; score: number; decision: string | null }[];
  summary: { relapses: number; moveCandidates: number; movesCounted: number };
  rates: { counties: { county: string; closures: number; relapses: number; rate: number | null }[] };
  cells: { features: { properties: { count: number } }[] };
}

let h: Harness;
const ids: Record<string, number> = {};

async function site(key: string, name: string, category: string, lon: number, lat: number, discoveredOn: string, moves: [string, string][] = []) {
  const res = await h.send<{ id: number }>('POST', '/api/sites', { name, category, lon, lat, discoveredOn });
  expect(res.status).toBe(201);
  for (const [to, date] of moves)
    expect((await h.send('POST', `/api/sites/${res.body.id}/events`, { to, date, checklist: to === 'closed' ? FULL_CHECKLIST : undefined })).status).toBe(201);
  ids[key] = res.body.id;
}

beforeEach(async () => {
  h = bootTestApp();
  // 源汇区: a sand yard closed on 2021-03-01 that relapsed on 2021-09-07 (190 days).
  await site('relapsed', '源汇区问十乡宏达砂石料场', 'sand_yard', 113.95, 33.55, '2021-01-05', [
    ['closed', '2021-03-01'],
    ['relapsed', '2021-09-07'],
  ]);
  // A yard closed on 2022-01-10; 30 days later a similarly named one opens about 1 km away: a likely move.
  await site('old', '源汇区问十乡鑫源砂石料场', 'sand_yard', 113.96, 33.56, '2021-01-06', [['closed', '2022-01-10']]);
  await site('new', '问十乡新鑫源砂石厂', 'sand_yard', 113.9705, 33.5645, '2022-02-09');
  // Same category but 20 km away: not a move.
  await site('far', '鑫源砂石料场', 'sand_yard', 114.16, 33.57, '2022-02-09');
});

describe('GET /api/analysis/relapse', () => {
  it('lists the relapse with its days since closure, and the likely move with its score', async () => {
    const res = await h.get<Relapse>('/api/analysis/relapse');
    expect(res.status).toBe(200);
    expect(res.body.relapses).toEqual([expect.objectContaining({ siteId: ids.relapsed, date: '2021-09-07', closedOn: '2021-03-01', daysSinceClosure: 190 })]);
    expect(res.body.moves.map((m) => [m.fromId, m.toId])).toEqual([[ids.old, ids.new]]);
    const move = res.body.moves[0]!;
    expect(move.days).toBe(30);
    expect(move.distanceKm).toBeGreaterThan(0.9);
    expect(move.distanceKm).toBeLessThan(1.2);
    expect(move.nameSimilarity).toBeCloseTo(2 / 3, 6);
    expect(res.body.summary).toMatchObject({ relapses: 1, moveCandidates: 1, movesCounted: 1 });
    expect(res.body.cells.features.reduce((sum, cell) => sum + cell.properties.count, 0)).toBe(2);
    expect(res.body.rates.counties.find((r) => r.county === '411102')).toMatchObject({ closures: 2, relapses: 1, rate: 0.5 });
  });

  it('keeps a decision: a dismissed move stays listed but no longer counts', async () => {
    const key = `${ids.old}-${ids.new}`;
    const decided = await h.send<{ decision: string; decidedBy: string }>('POST', `/api/analysis/relapse/moves/${key}`, {
      decision: 'dismissed',
      note: '经核实为不同业主',
    });
    expect(decided.status).toBe(201);
    expect(decided.body).toMatchObject({ decision: 'dismissed', decidedBy: 'admin' });
    const res = (await h.get<Relapse>('/api/analysis/relapse')).body;
    expect(res.moves.map((m) => m.decision)).toEqual(['dismissed']);
    expect(res.summary.movesCounted).toBe(0);
    expect(res.cells.features.reduce((sum, cell) => sum + cell.properties.count, 0)).toBe(1);
  });

  it('grids the counties (not the sites’ bbox), corrects with FDR by default and says the neighbourhood', async () => {
    const res = (
      await h.get<Relapse & { grid: { extent: string; cells: number; neighbourhood: { kind: string; most: number } }; summary: { correction: string } }>(
        '/api/analysis/relapse?county=411102&cellKm=1',
      )
    ).body;
    expect(res.grid).toMatchObject({ extent: 'counties', neighbourhood: { kind: 'hexagon-edge', most: 7 } });
    // 源汇区 is about 220 km²: hundreds of 1 km cells, not the few round the four sites.
    expect(res.grid.cells).toBeGreaterThan(150);
    expect(res.cells.features).toHaveLength(res.grid.cells);
    expect(res.summary.correction).toBe('fdr');
    expect((await h.get<{ summary: { correction: string } }>('/api/analysis/relapse?correction=none')).body.summary.correction).toBe('none');
    expect((await h.get('/api/analysis/relapse?correction=bonferroni')).status).toBe(400);
  });

  it('narrows by window and radius', async () => {
    expect((await h.get<Relapse>('/api/analysis/relapse?from=2022-01-01')).body.relapses).toEqual([]);
    expect((await h.get<Relapse>('/api/analysis/relapse?radiusKm=0.5')).body.moves).toEqual([]);
    expect((await h.get<Relapse>('/api/analysis/relapse?withinDays=20')).body.moves).toEqual([]);
  });

  it.each([
    ['cellKm=0', 'cellKm'],
    ['radiusKm=-1', 'radiusKm'],
    ['withinDays=1.5', 'withinDays'],
    ['from=2022-01-01&to=2021-01-01', 'from'],
    ['from=2021-02-30', 'from'],
    ['categories=nope', 'category'],
    ['county=999999', 'county'],
  ])('refuses %s with a 400 naming %s', async (query, parameter) => {
    expect(expectError(await h.get(`/api/analysis/relapse?${query}`), 400, 'bad_parameter').details.parameter).toBe(parameter);
  });

  it('refuses a decision on a pair that is no move', async () => {
    expectError(await h.send('POST', '/api/analysis/relapse/moves/abc', { decision: 'confirmed' }), 400);
    expectError(await h.send('POST', `/api/analysis/relapse/moves/${ids.old}-99999`, { decision: 'confirmed' }), 404);
    expectError(await h.send('POST', `/api/analysis/relapse/moves/${ids.old}-${ids.new}`, { decision: 'maybe' }), 400);
  });
});
