// The analyses run on the analysis thread (server/services/analysis-pool.ts), not on the request
// thread (issue 20). On a database file of 30,000 synthetic sites served by `npm start`'s command in a
// child process (its own event loop, apart from the test's): while a cold
// relapse analysis and a scorecard for a past date are being computed, /api/health and a small
// /api/sites?county= are answered — before the analyses finish (on the request thread they could not
// be: the thread was held until the analysis ended). The thread's answers are byte for byte what the
// same job computes on this thread; a refusal raised there reaches the client with its status, code
// and details; and a write made through the server shows in the thread's next answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSites, loadSites, readGeography } from '../bench/synthetic.ts';
import type { AnalysisJob } from '../server/services/analysis-jobs.ts';
import { runAnalysisJob } from '../server/services/analysis-jobs.ts';
import { analysisOnThread, closeAnalysisPool, runAnalysis } from '../server/services/analysis-pool.ts';
import { bootTestApp, TODAY, type Harness } from './helpers/app.ts';
import { startServerChild, type ServerChild } from './helpers/server-child.ts';

const SITES = 30_000;
const COUNTY = '411102';

const dir = mkdtempSync(join(tmpdir(), 'sansan-analysis-thread-'));
let h: Harness;
let server: ServerChild;
let base: string;

beforeAll(async () => {
  h = bootTestApp({ path: join(dir, 'sansan.db') });
  loadSites(h.db, generateSites(readGeography(h.db), SITES));
  server = await startServerChild(join(dir, 'sansan.db'));
  base = server.base;
}, 600_000);

afterAll(async () => {
  await server?.stop();
  await closeAnalysisPool();
  h?.db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** GET on a connection of its own (no kept-alive socket racing the server's idle timeout); resolves when the status and headers arrive. */
const open = (path: string, headers: Record<string, string> = { authorization: `Bearer ${h.token}` }) =>
  new Promise<IncomingMessage>((resolve, reject) => request(`${base}${path}`, { agent: false, headers }, resolve).on('error', reject).end());
const text = async (message: IncomingMessage) => {
  let body = '';
  for await (const chunk of message) body += String(chunk);
  return body;
};
const get = async (path: string) => {
  const message = await open(path);
  const body = await text(message);
  return { status: message.statusCode, json: () => JSON.parse(body) as unknown, text: () => body };
};

/** Records `name` in `order` when the answer's status and headers arrive (before its body is read). */
function track(order: string[], name: string, answer: Promise<IncomingMessage>) {
  return answer.then((message) => {
    order.push(name);
    return message;
  });
}

describe('analyses on the analysis thread (a database file)', () => {
  it('answers /api/health and a small site list while a cold relapse analysis and a past scorecard run', async () => {
    expect(analysisOnThread(h.db)).toBe(true);
    const order: string[] = [];
    // A move search wider than the default's (whose candidates a file keeps) is searched whole. The default
    // cold analysis of 30,000 sites came to take ~1.2 s for both answers, about the second this test waited
    // before asking, and once both answered first (2026-12-05); this one takes ~1.8 s, asked after 0.2 s.
    const relapse = track(order, 'relapse', open('/api/analysis/relapse?limit=20&radiusKm=8&withinDays=540'));
    const scorecard = track(order, 'scorecard', open(`/api/counties/${COUNTY}/scorecard?asOf=2021-06-30`));
    // Asked once the analyses are under way.
    await new Promise((wait) => setTimeout(wait, 200));
    const health = await track(order, 'health', open('/api/health', {}));
    const sites = await track(order, 'sites', open(`/api/sites?county=${COUNTY}&limit=20`));
    expect(health.statusCode).toBe(200);
    expect(sites.statusCode).toBe(200);
    expect((JSON.parse(await text(sites)) as { features: unknown[] }).features.length).toBe(20);
    const [relapseAnswer, scorecardAnswer] = await Promise.all([relapse, scorecard]);
    // Both small answers came while neither analysis had answered.
    expect(order.slice(0, 2)).toEqual(['health', 'sites']);
    expect(relapseAnswer.statusCode).toBe(200);
    expect((JSON.parse(await text(relapseAnswer)) as { summary: { relapses: number } }).summary.relapses).toBeGreaterThan(0);
    expect(scorecardAnswer.statusCode).toBe(200);
    expect(JSON.parse(await text(scorecardAnswer))).toMatchObject({ county: COUNTY, asOf: '2021-06-30' });
  }, 300_000);

  it('answers byte for byte what the same job computes on the request thread', async () => {
    const options = { asOf: '2022-06-30', staleDays: 90, source: null };
    const jobs: AnalysisJob[] = [
      { kind: 'relapse', options: { radiusKm: 2, cellKm: 4 }, page: { limit: 5, cursor: null } },
      { kind: 'siege', core: 'default', options: { sectors: 8 }, compareTo: '2021-01-01', format: 'json', today: TODAY },
      { kind: 'siege', core: 'default', options: {}, format: 'csv', today: TODAY },
      { kind: 'scorecards', counties: [COUNTY, '411103'], options, one: false },
      { kind: 'scorecardFigure', county: COUNTY, figure: 'overdue', options },
      { kind: 'routePlan', body: { rule: { kind: 'sample', perCounty: 5, seed: 7 }, start: { lon: 114.02, lat: 33.58 } }, today: TODAY },
    ];
    for (const job of jobs) {
      const there = await runAnalysis(h.db, job);
      const here = await runAnalysisJob(h.db, job);
      expect(there.headers, job.kind).toEqual(here.headers);
      expect(Buffer.from(there.body).equals(Buffer.from(here.body)), `${job.kind}: ${there.body.length} and ${here.body.length} bytes`).toBe(true);
    }
  }, 300_000);

  it('gives a refusal raised on the thread to the client with its status, code and details', async () => {
    const core = await get('/api/analysis/siege?core=99999');
    expect(core.status).toBe(404);
    expect((core.json() as { error: unknown }).error).toMatchObject({ code: 'not_found', details: { kind: 'core', id: '99999' } });
    const cursor = await get('/api/analysis/relapse?cursor=nonsense');
    expect(cursor.status).toBe(400);
    expect((cursor.json() as { error: unknown }).error).toMatchObject({ code: 'bad_parameter', details: { parameter: 'cursor', reason: 'bad_format' } });
    const plan = await fetch(`${base}/api/routes/plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rule: { kind: 'relapsed', counties: [COUNTY], categories: ['fungus_farm'] }, start: { lon: 114.02, lat: 33.58 }, within: WATER }),
    });
    expect(plan.status, await plan.clone().text()).toBe(422);
    expect((await plan.json()).error).toMatchObject({ code: 'no_stops', details: { field: 'rule' } });
  }, 120_000);

  it('refuses a whole county’s re-checks as one route at once, saying how many and how to narrow; a drawn area plans', async () => {
    const send = (body: unknown) =>
      fetch(`${base}/api/routes/plan`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ start: { lon: 114.02, lat: 33.58 }, ...(body as object) }),
      });
    const county = await send({ rule: { kind: 'recheck', olderThanDays: 90, counties: [COUNTY] } });
    expect(county.status).toBe(422);
    const { error } = (await county.json()) as { error: { code: string; details: { field: string; count: number; maximum: number; workdays: number } } };
    expect(error).toMatchObject({ code: 'too_many_stops', details: { field: 'rule', maximum: 1000 } });
    expect(error.details.count).toBeGreaterThan(1000);
    expect(error.details.workdays).toBe(Math.ceil((error.details.count * 20) / 60 / 8));
    const area = await send({ rule: { kind: 'recheck', olderThanDays: 90, counties: [COUNTY] }, within: AROUND_SEAT });
    expect(area.status, await area.clone().text()).toBe(200);
    const plan = (await area.json()) as { stops: { county: string }[] };
    expect(plan.stops.length).toBeGreaterThan(0);
    expect(plan.stops.length).toBeLessThanOrEqual(1000);
    expect(new Set(plan.stops.map((stop) => stop.county))).toEqual(new Set([COUNTY]));
  }, 120_000);

  it('sees a write made through the server in its next answer', async () => {
    const path = `/api/counties/${COUNTY}/scorecard`;
    const before = (await get(path)).json() as { sites: number };
    const [lon, lat] = ((await get(`/api/sites?county=${COUNTY}&located=true&limit=1`)).json() as { features: { geometry: { coordinates: number[] } }[] })
      .features[0]!.geometry.coordinates;
    const created = await fetch(`${base}/api/sites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '线程测试砂石料场', category: 'sand_yard', lon, lat, discoveredOn: TODAY }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const after = (await get(path)).json() as { sites: number };
    expect(after.sites).toBe(before.sites + 1);
  }, 120_000);
});

/** A small square far from any site (in the Yellow Sea): no stop lies inside. */
const WATER = {
  type: 'Polygon',
  coordinates: [
    [
      [122, 34],
      [122.1, 34],
      [122.1, 34.1],
      [122, 34.1],
      [122, 34],
    ],
  ],
};

/** About 1 km round the city seat (源汇区): a day's area. */
const AROUND_SEAT = {
  type: 'Polygon',
  coordinates: [
    [
      [114.0, 33.56],
      [114.02, 33.56],
      [114.02, 33.575],
      [114.0, 33.575],
      [114.0, 33.56],
    ],
  ],
};
