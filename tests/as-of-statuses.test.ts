// The map's kept histories (server/store/as-of-statuses.ts, typed arrays; answers in as-of-walk.ts)
// answer "as of a past date" exactly as the SQL does (siteFilterSql's as-of subquery): per-county
// counts by status and category, the map's per-county located counts, and the located sites the
// cluster index is built from — on the demo data and on 3,000 synthetic sites, under seeded random
// filters, before and after a seeded series of writes (new sites, status moves, a location move,
// voiding), where only the written sites are read again. The build runs in slices between other
// work; until it is done (or after a write of more sites than it reads inline) it says null and the
// map's answers come from SQL — equal either way, also with writes between the build's slices.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsOfStatuses } from '../server/store/as-of-statuses.ts';
import { asOfCountRows, asOfMapCountRows, asOfSites } from '../server/store/as-of-walk.ts';
import { MapIndexes } from '../server/store/map-index.ts';
import { countSitesByCounty, foldCountRows } from '../server/store/site-queries.ts';
import { readMapCounts, readMapSites } from '../server/store/map-sites.ts';
import type { SiteFilters } from '../server/store/site-filters.ts';
import { CATEGORY_CODES, type CategoryCode } from '../domain/categories.ts';
import { STATUS_CODES, STATUS_MOVES, type StatusCode } from '../domain/statuses.ts';
import { Random } from '../domain/random.ts';
import { bootDatabase } from '../server/bootstrap.ts';
import { generateSites, loadSites, readGeography } from '../bench/synthetic.ts';
import { bootTestApp, FULL_CHECKLIST, TODAY, type Harness } from './helpers/app.ts';
import type { Db } from '../server/db/database.ts';

const COUNTIES = ['411102', '411103', '411104', '411121', '411122'];

function randomFilters(random: Random): SiteFilters {
  const pick = <T>(list: readonly T[]) => list.filter(() => random.next() < 0.35);
  const day = new Date(Date.UTC(2019, 6, 1) + Math.floor(random.next() * 1_300) * 86_400_000).toISOString().slice(0, 10);
  const filters: SiteFilters = { asOf: random.next() < 0.1 ? TODAY : day };
  if (random.next() < 0.4) filters.categories = pick(CATEGORY_CODES) as CategoryCode[];
  if (random.next() < 0.4) filters.statuses = pick(STATUS_CODES) as StatusCode[];
  if (random.next() < 0.3) filters.counties = pick(COUNTIES);
  if (random.next() < 0.3) filters.source = random.next() < 0.5 ? 'real' : 'demo';
  if (random.next() < 0.3) filters.located = random.next() < 0.5;
  return filters;
}

/** The kept histories' three answers beside SQL's, for `count` random filter sets. */
function compare(db: Db, kept: AsOfStatuses, random: Random, count: number) {
  let nonEmpty = 0;
  for (let n = 0; n < count; n++) {
    const filters = randomFilters(random);
    const label = JSON.stringify(filters);
    expect(kept.finishNow(), label).toBe(true);
    expect(foldCountRows(asOfCountRows(kept, filters)), label).toEqual(countSitesByCounty(db, filters));
    const mapFilters = { ...filters, located: undefined };
    const sql = readMapCounts(db, mapFilters).rows;
    const mine = asOfMapCountRows(kept, mapFilters);
    expect(
      mine.map(({ county, status, n }) => ({ county, status, n })),
      label,
    ).toEqual(sql.map(({ county, status, n }) => ({ county, status, n })));
    // The positions' sums to the last bit (the county clusters' mean positions are written into the tiles).
    expect(
      mine.map(({ lon, lat }) => [lon, lat]),
      label,
    ).toEqual(sql.map(({ lon, lat }) => [lon, lat]));
    const sites = readMapSites(db, mapFilters).sites.sort((a, b) => a.id - b.id);
    expect(asOfSites(kept, mapFilters), label).toEqual(sites.map((site) => ({ ...site })));
    if (sql.length > 0) nonEmpty++;
  }
  // The filters must find sites often enough for the comparison to mean something.
  expect(nonEmpty).toBeGreaterThan(count / 3);
}

describe('histories kept for the map: as of a date, as SQL answers', () => {
  it('on the demo data', () => {
    const { db } = bootDatabase(':memory:', { demo: true, today: () => TODAY });
    const kept = new AsOfStatuses(db);
    compare(db, kept, new Random(1), 60);
    expect(kept.lastRead).toBe(db.get<{ n: number }>('SELECT count(*) AS n FROM sites')!.n);
    db.close();
  });

  describe('on 3,000 synthetic sites, with writes', () => {
    let h: Harness;
    beforeAll(() => {
      h = bootTestApp();
      loadSites(h.db, generateSites(readGeography(h.db), 3_000));
    }, 60_000);
    afterAll(() => h.db.close());

    it('equals SQL under random filters, and after writes reads only the written sites again', async () => {
      const random = new Random(7);
      const kept = new AsOfStatuses(h.db);
      compare(h.db, kept, random, 40);
      expect(kept.lastRead).toBeGreaterThanOrEqual(3_000);
      const ids = h.db.all<{ id: number; status: StatusCode }>("SELECT id, status FROM sites WHERE status <> 'voided' ORDER BY id");
      for (let round = 0; round < 4; round++) {
        const written = new Set<number>();
        // Status moves on random sites, some dated in the past (between other events).
        for (let n = 0; n < 6; n++) {
          const site = ids[Math.floor(random.next() * ids.length)]!;
          const current = h.db.get<{ status: StatusCode }>('SELECT status FROM sites WHERE id = ?', [site.id])!.status;
          const to = STATUS_MOVES[current].find((status) => status !== 'voided');
          if (!to) continue;
          const res = await h.send('POST', `/api/sites/${site.id}/events`, { to, date: TODAY, ...(to === 'closed' ? { checklist: FULL_CHECKLIST } : {}) });
          expect(res.status, res.text).toBe(201);
          written.add(site.id);
        }
        const created = await h.send<{ id: number }>('POST', '/api/sites', {
          name: `新料场${round}`,
          category: 'sand_yard',
          lon: 113.95 + round * 0.01,
          lat: 33.55,
          discoveredOn: `2021-0${round + 2}-10`,
        });
        expect(created.status, created.text).toBe(201);
        written.add(created.body.id);
        const moved = ids[Math.floor(random.next() * ids.length)]!;
        const relocated = await h.send('PUT', `/api/sites/${moved.id}/location`, { lon: 114.16, lat: 33.57, date: TODAY });
        expect(relocated.status, relocated.text).toBe(200);
        const voided = ids[Math.floor(random.next() * ids.length)]!;
        const voiding = await h.send('POST', `/api/sites/${voided.id}/events`, { to: 'voided', date: TODAY, note: '重复录入' });
        expect([201, 422], voiding.text).toContain(voiding.status); // 422: already voided in an earlier round
        if (voiding.status === 201) written.add(voided.id);
        written.add(moved.id);
        compare(h.db, kept, random, 15);
        // Only the written sites were read again (a location move to another county touches one site).
        expect(kept.lastRead, `round ${round}`).toBe(written.size);
      }
    });

    it('builds in slices between other work, SQL answering meanwhile, and a write between slices is caught up', async () => {
      const random = new Random(11);
      const kept = new AsOfStatuses(h.db);
      expect(kept.current()).toBeNull(); // the build starts; nobody waits for it
      expect(kept.phase).toBe('building');
      await new Promise((resolve) => setImmediate(resolve)); // one slice ran
      expect(kept.phase).toBe('building');
      // A site the first slice read moves on: the build's arrays hold its old history until the catch-up.
      const site = h.db.get<{ id: number; status: StatusCode }>("SELECT id, status FROM sites WHERE status = 'rectifying' ORDER BY id LIMIT 1")!;
      expect(site.id).toBeLessThan(500);
      const moved = await h.send('POST', `/api/sites/${site.id}/events`, { to: 'closed', date: TODAY, checklist: FULL_CHECKLIST });
      expect(moved.status, moved.text).toBe(201);
      const started = Date.now();
      while (kept.phase !== 'ready' && Date.now() - started < 30_000) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(kept.phase).toBe('ready');
      expect(kept.slices).toBeGreaterThan(2);
      // Ready by its own catch-up (not by the next question's): equal to SQL as it stands.
      const filters: SiteFilters = { asOf: TODAY, statuses: ['closed'] };
      expect(foldCountRows(asOfCountRows(kept, filters))).toEqual(countSitesByCounty(h.db, filters));
      compare(h.db, kept, random, 10);
    });

    it('reads many written sites again in slices, not inline (SQL answers until then)', async () => {
      const random = new Random(13);
      const kept = new AsOfStatuses(h.db);
      expect(kept.finishNow()).toBe(true);
      // 2,500 sites change category (above what a question catches up inline).
      h.db.run("UPDATE sites SET category = 'coal_point' WHERE id IN (SELECT id FROM sites WHERE category <> 'coal_point' ORDER BY id LIMIT 2500)");
      expect(kept.current()).toBeNull();
      expect(kept.phase).toBe('catching-up');
      const started = Date.now();
      while (kept.phase !== 'ready' && Date.now() - started < 30_000) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(kept.phase).toBe('ready');
      expect(kept.lastRead).toBeLessThan(2_600); // the written sites (and the few the catch-up's end found), not all 3,000+
      compare(h.db, kept, random, 10);
    });

    it('compares dates as SQLite compares their texts, calendar days or not (the CHECK asks only for digits)', () => {
      const kept = new AsOfStatuses(h.db);
      expect(kept.finishNow()).toBe(true);
      const id = h.db.get<{ id: number }>("SELECT id FROM sites WHERE status <> 'voided' AND lon IS NOT NULL ORDER BY id DESC LIMIT 1")!.id;
      h.db.run("UPDATE sites SET discovered_on = '2021-02-30' WHERE id = ?", [id]);
      for (const asOf of ['2021-02-29', '2021-02-30', '2021-02-31', '2021-03-01']) {
        expect(kept.current(), asOf).not.toBeNull();
        expect(foldCountRows(asOfCountRows(kept, { asOf })), asOf).toEqual(countSitesByCounty(h.db, { asOf }));
      }
      expect(kept.phase).toBe('ready');
    });

    it('gives the map the same answers with the histories as without (counts, county tiles, index tiles)', () => {
      const random = new Random(17);
      const plain = new MapIndexes(h.db);
      const withKept = new MapIndexes(h.db);
      expect(withKept.keepHistories().finishNow()).toBe(true);
      let drawn = 0;
      for (let n = 0; n < 12; n++) {
        const { asOf, categories, statuses, counties, source } = randomFilters(random);
        const filters = {
          asOf,
          ...(categories ? { categories } : {}),
          ...(statuses ? { statuses } : {}),
          ...(counties ? { counties } : {}),
          ...(source ? { source } : {}),
        };
        const label = JSON.stringify(filters);
        expect(withKept.countyCounts(filters), label).toEqual(plain.countyCounts(filters));
        expect(withKept.counts(filters), label).toEqual(plain.counts(filters));
        // Tiles over the city seat (113.99°E 33.58°N) at two county zooms and one of the index.
        for (const [z, x, y] of [
          [7, 104, 51],
          [8, 209, 102],
          [11, 1672, 820],
        ] as const) {
          const body = withKept.tile(filters, z, x, y).body;
          expect(body, `${label} ${z}`).toBe(plain.tile(filters, z, x, y).body);
          if (!body.endsWith('"features":[]}')) drawn++;
        }
      }
      expect(drawn).toBeGreaterThan(12);
    });
  });
});
