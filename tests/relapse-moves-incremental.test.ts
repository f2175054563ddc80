// The kept likely-move index (RelapseState, server/store/relapse-store.ts) after a seeded random series
// of writes — new sites, status moves, moved sites, voided sites, move decisions — equals the index
// and the analysis computed afresh from the database file; and the API's paging of the move list
// returns every candidate exactly once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Random } from '../domain/random.ts';
import { analyzeRelapse, MoveIndex, moveSiteOf, resolveRelapseOptions, MOVE_CANDIDATES_PER_SITE } from '../server/geo/analyze-relapse.ts';
import { decideMove, relapseInputs, RelapseState } from '../server/store/relapse-store.ts';
import { openDatabase } from '../server/db/database.ts';
import { openReadOnlyDatabase } from '../server/db/read-only.ts';
import { dataVersion } from '../server/store/data-version.ts';
import { moveSearchDefinition, readSavedMoves } from '../server/store/relapse-move-pairs.ts';
import { comparePairs } from '../server/geo/relapse-moves.ts';
import type { MoveAnswers } from '../server/geo/relapse-kept-moves.ts';
import { likelyMovesByCounty } from '../server/store/scorecard-store.ts';
import { addSiteEvent, insertSite, setSiteLocation } from '../server/store/site-mutations.ts';
import type { CategoryCode } from '../domain/categories.ts';
import { randomStatusMove } from './helpers/random-status-move.ts';
import { bootTestApp, type Harness } from './helpers/app.ts';

const CATEGORIES: CategoryCode[] = ['sand_yard', 'wood_processing', 'coal_point'];
const NAMES = ['鑫源砂石料场', '新鑫源砂石厂', '宏达木材加工厂', '宏达木业', '顺发煤炭经营部', '永兴达木业', '华豫通达建材', '通达砂石料场'];
const TODAY = '2024-12-31';

let h: Harness;
beforeEach(() => {
  h = bootTestApp({ path: join(mkdtempSync(join(tmpdir(), 'sansan-moves-')), 'moves.sqlite') });
});

/** Everything the move search depends on, computed from the file with nothing kept. */
function fresh() {
  const sites = relapseInputs(h.db);
  return MoveIndex.build(
    sites.flatMap((site) => moveSiteOf(site, null) ?? []),
    resolveRelapseOptions({}),
  );
}

function day(random: Random, from: number, to: number): string {
  const date = new Date(Date.UTC(2024, 0, 1) + random.int(from, to) * 86_400_000);
  return date.toISOString().slice(0, 10);
}

/** A site in a 6 × 6 km box (so pairs are many), discovered on a random day of 2024 before `latest`. */
function newSite(random: Random, latest = 300): number {
  return insertSite(h.db, {
    name: `${random.pick(['', '源汇区', '问十乡'])}${random.pick(NAMES)}`,
    category: random.pick(CATEGORIES),
    countyCode: '411102',
    lon: 114.0 + random.range(0, 0.065),
    lat: 33.55 + random.range(0, 0.054),
    precision: 'exact',
    source: 'demo',
    discoveredOn: day(random, 0, latest),
    actor: 'test',
  });
}

describe('the relapse inputs read', () => {
  it('keep every name, place and event as written, in id and date order', () => {
    h = bootTestApp({ path: join(mkdtempSync(join(tmpdir(), 'sansan-inputs-')), 'inputs.sqlite') });
    const names = ['引号"砂石厂', '反斜杠\\料场', '换行\n木材加工厂', '逗号,分号;厂', '方括号]["厂', '表情😀煤场', '\u001e\u001f分隔符厂'];
    const ids = names.map((name, n) =>
      insertSite(h.db, {
        name,
        category: CATEGORIES[n % CATEGORIES.length]!,
        countyCode: '411102',
        lon: n === 2 ? null : 114.0 + n * 0.1234567890123,
        lat: n === 2 ? null : 33.5 + n / 3,
        precision: n === 2 ? 'unlocated' : 'exact',
        source: 'demo',
        discoveredOn: `2024-0${n + 1}-01`,
        actor: 'test',
      }),
    );
    // Events written out of date order: read back by date.
    const event =
      "INSERT INTO site_events (site_id, kind, from_status, to_status, date, actor, created_at) VALUES (?, 'status', ?, ?, ?, 'test', '2024-10-01')";
    h.db.run(event, [ids[1]!, 'rectifying', 'closed', '2024-09-01']);
    h.db.run(event, [ids[1]!, 'discovered', 'rectifying', '2024-05-01']);
    const rows = h.db.all<{ id: number; name: string; lon: number | null; lat: number | null }>('SELECT id, name, lon, lat FROM sites ORDER BY id');
    const read = relapseInputs(h.db);
    expect(read.map((site) => [site.id, site.name, site.lon, site.lat])).toEqual(rows.map((row) => [row.id, row.name, row.lon, row.lat]));
    const mine = read.filter((site) => ids.includes(site.id));
    expect(mine.map((site) => site.name)).toEqual(names);
    expect(mine[1]!.events.map((event) => [event.to, event.date, event.initial])).toEqual([
      ['discovered', '2024-02-01', true],
      ['rectifying', '2024-05-01', false],
      ['closed', '2024-09-01', false],
    ]);
    h.db.close();
  });
});

describe('the kept likely-move index', () => {
  it('equals a full recomputation after every write of a seeded random series', () => {
    for (const seed of [11, 29]) {
      h = bootTestApp({ path: join(mkdtempSync(join(tmpdir(), 'sansan-moves-')), 'moves.sqlite') });
      const random = new Random(seed);
      const ids: number[] = [];
      for (let n = 0; n < 120; n++) ids.push(newSite(random, 200));
      for (let n = 0; n < 80; n++) randomStatusMove(h.db, random, ids, TODAY);
      const state = new RelapseState(h.db);
      state.moveIndex();
      const kinds = { site: 0, move: 0, located: 0, voided: 0, decision: 0 };
      for (let step = 0; step < 60; step++) {
        const roll = random.next();
        if (roll < 0.25) {
          ids.push(newSite(random));
          kinds.site++;
        } else if (roll < 0.7) {
          randomStatusMove(h.db, random, ids, TODAY);
          kinds.move++;
        } else if (roll < 0.8) {
          setSiteLocation(h.db, random.pick(ids), {
            lon: 114.0 + random.range(0, 0.065),
            lat: 33.55 + random.range(0, 0.054),
            countyCode: '411102',
            precision: 'exact',
            date: TODAY,
            actor: 'test',
          });
          kinds.located++;
        } else if (roll < 0.85) {
          const id = random.pick(ids);
          if (h.db.get<{ status: string }>('SELECT status FROM sites WHERE id = ?', [id])!.status !== 'voided') {
            addSiteEvent(h.db, id, { to: 'voided', date: TODAY, actor: 'test', note: '误录' }, { today: TODAY });
            kinds.voided++;
          }
        } else {
          const pairs = state.moveIndex().pairs();
          if (pairs.length > 0) {
            const pair = random.pick(pairs);
            decideMove(h.db, `${pair.fromId}-${pair.toId}`, random.chance(0.5) ? 'dismissed' : 'confirmed', 'test', null);
            kinds.decision++;
          }
        }
        const kept = state.moveIndex();
        const expected = fresh();
        expect([...kept.pairs()], `seed ${seed}, step ${step}`).toEqual([...expected.pairs()]);
        expect(kept.pairs().length, 'the series makes candidates').toBeGreaterThan(0);
        // What the scorecards and the relapse analysis read from it.
        const decisions = state.moveDecisions();
        const sites = state.sites();
        expect(sites).toEqual(relapseInputs(h.db));
        const withIndex = analyzeRelapse(sites, { decisions }, { moveIndex: kept });
        const searched = analyzeRelapse(sites, { decisions });
        expect(withIndex.moves).toEqual(searched.moves);
        expect(withIndex.summary).toEqual(searched.summary);
      }
      // The scorecards' likely moves from the kept index and from a state that kept nothing.
      const expectedByCounty = new Map<string, Set<number>>();
      const decisions = state.moveDecisions();
      for (const move of analyzeRelapse(relapseInputs(h.db), { asOf: TODAY, decisions }).moves)
        if (move.decision !== 'dismissed') {
          if (!expectedByCounty.has(move.county)) expectedByCounty.set(move.county, new Set());
          expectedByCounty.get(move.county)!.add(move.toId);
        }
      expect(likelyMovesByCounty(h.db, TODAY)).toEqual(expectedByCounty);
      expect(
        Object.values(kinds).every((count) => count > 0),
        JSON.stringify(kinds),
      ).toBe(true);
      h.db.close();
    }
  });

  it('keeps at most MOVE_CANDIDATES_PER_SITE candidates per new site, the best by score', () => {
    const random = new Random(5);
    for (let n = 0; n < 200; n++) newSite(random, 200);
    const ids = h.db.all<{ id: number }>('SELECT id FROM sites').map((row) => row.id);
    for (let n = 0; n < 200; n++) randomStatusMove(h.db, random, ids, TODAY);
    const sites = relapseInputs(h.db).flatMap((site) => moveSiteOf(site, null) ?? []);
    const kept = MoveIndex.build(sites, resolveRelapseOptions({}));
    const all = MoveIndex.build(sites, resolveRelapseOptions({}), undefined, Infinity);
    let cut = 0;
    for (const toId of all.newSites()) {
      const every = all.pairsTo(toId);
      expect(kept.pairsTo(toId)).toEqual(every.slice(0, MOVE_CANDIDATES_PER_SITE));
      if (every.length > MOVE_CANDIDATES_PER_SITE) cut++;
    }
    expect(cut, 'some new site has more candidates than are kept').toBeGreaterThan(0);
  });
});

describe('the likely moves saved in the database (migration 017)', () => {
  /** The saved pairs, in list order (closure dates left out: they are read back from the sites), and the sites version they claim. */
  const saved = (file: string) => {
    const db = openReadOnlyDatabase(file);
    try {
      const found = readSavedMoves(db, moveSearchDefinition(resolveRelapseOptions({})))!;
      return { pairs: found.pairs.sort((a, b) => comparePairs({ ...a, closedOn: '' }, { ...b, closedOn: '' })), version: found.version };
    } finally {
      db.close();
    }
  };
  /** A database file with 150 new sites and 120 random status moves (seeded), booted as `h`. */
  const savedFixture = (seed: number) => {
    const file = join(mkdtempSync(join(tmpdir(), 'sansan-saved-moves-')), 'moves.sqlite');
    h = bootTestApp({ path: file });
    const random = new Random(seed);
    const ids: number[] = [];
    for (let n = 0; n < 150; n++) ids.push(newSite(random, 200));
    for (let n = 0; n < 120; n++) randomStatusMove(h.db, random, ids, TODAY);
    return { file, random, ids };
  };
  const freshSaved = () =>
    fresh()
      .pairs()
      .map(({ closedOn: _closedOn, ...pair }) => pair);

  it('are a fresh search, read back by a new state, and mended after writes made while no state was kept', () => {
    const { file, random, ids } = savedFixture(41);

    const first = new RelapseState(h.db);
    expect(first.moveIndex().pairs().length).toBeGreaterThan(20);
    expect(first.movesFrom).toBe('search');
    expect(saved(file).pairs).toEqual(freshSaved());
    expect(saved(file).version).toBe(dataVersion(h.db, ['sites']));

    // A new state (as after a restart, on the analysis thread's read-only connection) reads them back.
    const readOnly = openReadOnlyDatabase(file);
    const second = new RelapseState(readOnly);
    expect([...second.moveIndex().pairs()]).toEqual([...fresh().pairs()]);
    expect(second.movesFrom).toBe('saved');
    readOnly.close();

    // Writes by another connection while no state is kept (the server down): new sites, status moves, a moved site.
    const other = openDatabase(file);
    const before = saved(file).version;
    for (let n = 0; n < 6; n++) ids.push(insertOn(other, random));
    for (let n = 0; n < 25; n++) randomStatusMove(other, random, ids, TODAY);
    other.close();
    expect(dataVersion(h.db, ['sites'])).toBeGreaterThan(before);
    expect(saved(file).pairs).not.toEqual(freshSaved());

    const thirdDb = openReadOnlyDatabase(file);
    const third = new RelapseState(thirdDb);
    expect([...third.moveIndex().pairs()]).toEqual([...fresh().pairs()]);
    expect(third.movesFrom).toBe('saved');
    // The saved pairs were mended too, to the version now.
    expect(saved(file).pairs).toEqual(freshSaved());
    expect(saved(file).version).toBe(dataVersion(h.db, ['sites']));

    // The only write while down: the old site of the best pair moves 20 km away, out of everyone's reach.
    // The new site that listed it must not keep it, though the place it left is not searched from.
    const moved = fresh().pairs()[0]!;
    const mover = openDatabase(file);
    setSiteLocation(mover, moved.fromId, { lon: 114.2, lat: 33.6, countyCode: '411102', precision: 'exact', date: TODAY, actor: 'test' });
    mover.close();
    const afterMoveDb = openReadOnlyDatabase(file);
    const afterMove = new RelapseState(afterMoveDb);
    expect(
      afterMove
        .moveIndex()
        .pairsTo(moved.toId)
        .some((pair) => pair.fromId === moved.fromId),
    ).toBe(false);
    expect([...afterMove.moveIndex().pairs()]).toEqual([...fresh().pairs()]);
    expect(afterMove.movesFrom).toBe('saved');
    afterMoveDb.close();

    // A write seen by a kept state mends them as well.
    randomStatusMove(h.db, random, ids, TODAY);
    ids.push(newSite(random));
    expect([...third.moveIndex().pairs()]).toEqual([...fresh().pairs()]);
    expect(saved(file).pairs).toEqual(freshSaved());

    // Saved by another search definition (radius, days, k, weights or revision): searched again, not trusted.
    h.db.run(`UPDATE move_pairs_state SET definition = '{"revision":0}'`);
    const fourth = new RelapseState(h.db);
    expect([...fourth.moveIndex().pairs()]).toEqual([...fresh().pairs()]);
    expect(fourth.movesFrom).toBe('search');
    thirdDb.close();
    h.db.close();
  });

  it('read back and not yet listed, are mended after a write voids one of their new sites and moves another', () => {
    const { file } = savedFixture(53);
    new RelapseState(h.db).moveIndex();
    // Read back on another connection; no pair asked for yet (they are made into objects when first asked for).
    const readOnly = openReadOnlyDatabase(file);
    const restored = new RelapseState(readOnly);
    // The list order made from the saved numbers (KeptMoves.list, what a relapse call pages) is the pairs' order.
    const listed = (answers: MoveAnswers) => Array.from({ length: answers.list().length }, (_, at) => answers.list().at(at));
    expect(listed(restored.moveIndex())).toEqual([...fresh().pairs()]);
    expect(restored.movesFrom).toBe('saved');
    const [voided, moved] = [...fresh().newSites()];
    addSiteEvent(h.db, voided!, { to: 'voided', date: TODAY, actor: 'test', note: '误录' }, { today: TODAY });
    setSiteLocation(h.db, moved!, { lon: 114.2, lat: 33.6, countyCode: '411102', precision: 'exact', date: TODAY, actor: 'test' });
    const mended = restored.moveIndex();
    expect(mended.pairsTo(voided!)).toEqual([]);
    expect(listed(mended)).toEqual([...fresh().pairs()]);
    expect([...mended.pairs()]).toEqual([...fresh().pairs()]);
    readOnly.close();
    h.db.close();
  });
});

/** A site written through another connection to the same file. */
function insertOn(db: ReturnType<typeof openDatabase>, random: Random): number {
  return insertSite(db, {
    name: random.pick(NAMES),
    category: random.pick(CATEGORIES),
    countyCode: '411102',
    lon: 114.0 + random.range(0, 0.065),
    lat: 33.55 + random.range(0, 0.054),
    precision: 'exact',
    source: 'demo',
    discoveredOn: day(random, 150, 300),
    actor: 'test',
  });
}

describe('paging the move list over HTTP', () => {
  it('returns every candidate once, in order, with the total on every page', async () => {
    const random = new Random(7);
    for (let n = 0; n < 150; n++) newSite(random, 200);
    const ids = h.db.all<{ id: number }>('SELECT id FROM sites').map((row) => row.id);
    for (let n = 0; n < 150; n++) randomStatusMove(h.db, random, ids, TODAY);
    const whole = analyzeRelapse(relapseInputs(h.db), {}).moves.map((move) => move.key);
    expect(whole.length).toBeGreaterThan(20);
    type Page = { moves: { key: string }[]; movesPage: { total: number; limit: number; next: string | null } };
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const res: { status: number; body: Page } = await h.get<Page>(`/api/analysis/relapse?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.movesPage.total).toBe(whole.length);
      expect(res.body.moves.length).toBeLessThanOrEqual(7);
      seen.push(...res.body.moves.map((move) => move.key));
      cursor = res.body.movesPage.next;
      if (cursor === null) break;
    }
    expect(seen).toEqual(whole);
    expect(new Set(seen).size).toBe(seen.length);
    const bad = await h.get<{ error: { details: { parameter: string } } }>('/api/analysis/relapse?cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('cursor');
    expect((await h.get('/api/analysis/relapse?limit=0')).status).toBe(400);
  });
});
