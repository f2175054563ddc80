// The demo dataset: the plan's figures, positions inside counties, lawful histories, determinism.
import { beforeAll, describe, expect, it } from 'vitest';
import { along, booleanPointInPolygon, length, lineString } from '@turf/turf';
import type { Feature, LineString, MultiPolygon, Polygon } from 'geojson';
import { openDatabase, type Db } from '../server/db/database.ts';
import { migrate } from '../server/db/migrate.ts';
import { loadGeodata } from '../server/geodata/load-geodata.ts';
import { distanceKm } from '../server/geo/sphere.ts';
import { CITY_SEAT, DEMO_DEFAULT_SEED, generateDemo, type DemoMoves, type DemoSummary } from '../server/seed/demo.ts';
import { OPEN_STATUSES, ROAD_STATUS_MOVES, STATUS_MOVES, type RoadStatusCode, type StatusCode } from '../domain/statuses.ts';
import type { SiteTableRow } from './helpers/app.ts';
import { toDay } from '../domain/days.ts';

const TODAY = '2022-12-31';

function freshDb(): Db {
  const db = openDatabase(':memory:');
  migrate(db);
  loadGeodata(db);
  return db;
}

type SiteRow = SiteTableRow & { status: StatusCode; seed_key: string };
interface EventRow {
  id: number;
  site_id: number;
  from_status: StatusCode | null;
  to_status: StatusCode;
  date: string;
  actor: string;
  checklist: string | null;
  created_at: string;
}

const dayOf = toDay;
const sites = (db: Db) => db.all<SiteRow>('SELECT * FROM sites ORDER BY id');
const events = (db: Db) => db.all<EventRow>('SELECT * FROM site_events ORDER BY site_id, date, id');
const eventsBySite = (db: Db) => {
  const map = new Map<number, EventRow[]>();
  for (const e of events(db)) map.set(e.site_id, [...(map.get(e.site_id) ?? []), e]);
  return map;
};
/** Status of each site on `date`: its last event on or before it. */
const statusOn = (db: Db, date: string, where: string) =>
  db.all<{ id: number; status: StatusCode | null }>(
    `SELECT s.id, (SELECT to_status FROM site_events e WHERE e.site_id = s.id AND e.date <= ? ORDER BY e.date DESC, e.id DESC LIMIT 1) AS status
     FROM sites s WHERE ${where}`,
    [date],
  );
const tally = (values: readonly (string | null)[]) =>
  values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [String(v)]: (acc[String(v)] ?? 0) + 1 }), {});

/** Pairs (closed site, later site) of one category ≤ 3 km apart, found 1–180 days after the closure. */
function candidateMoves(db: Db): [number, number][] {
  const located = sites(db).filter((s) => s.lon !== null);
  const byId = new Map(located.map((s) => [s.id, s]));
  const closures = db.all<{ site_id: number; date: string }>("SELECT site_id, min(date) AS date FROM site_events WHERE to_status = 'closed' GROUP BY site_id");
  const pairs: [number, number][] = [];
  for (const c of closures) {
    const a = byId.get(c.site_id);
    if (!a) continue;
    for (const b of located) {
      if (b.id === a.id || b.category !== a.category) continue;
      const gap = dayOf(b.discovered_on) - dayOf(c.date);
      if (gap > 0 && gap <= 180 && distanceKm([a.lon!, a.lat!], [b.lon!, b.lat!]) <= 3) pairs.push([a.id, b.id]);
    }
  }
  return pairs;
}

describe('demo data (default seed)', () => {
  let db: Db;
  let summary: DemoSummary;

  // How long it takes is measured in `npm run bench` (start-up), not asserted here.
  beforeAll(() => {
    db = freshDb();
    summary = generateDemo(db);
  });

  it('is generated once, and says so', () => {
    expect(summary.created).toBe(true);
    expect(summary.seed).toBe(DEMO_DEFAULT_SEED);
    expect(db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'demo_seed'")?.value).toBe(String(DEMO_DEFAULT_SEED));
  });

  it('summary matches the tables', () => {
    const rows = sites(db);
    expect(summary.sites).toBe(rows.length);
    expect(summary.events).toBe(events(db).length);
    expect(summary.inspections).toBe(db.get<{ n: number }>('SELECT count(*) AS n FROM inspections')!.n);
    expect(summary.roads).toBe(db.get<{ n: number }>('SELECT count(*) AS n FROM road_segments')!.n);
    expect(tally(rows.map((r) => r.category))).toEqual(Object.fromEntries(Object.entries(summary.byCategory).filter(([, n]) => n > 0)));
    expect(tally(rows.map((r) => r.status))).toEqual(Object.fromEntries(Object.entries(summary.byStatus).filter(([, n]) => n > 0)));
  });

  it('tasks 2/11: 119 scattered firms found in 2020; on 2020-07-23, 103 closed and 16 rectifying', () => {
    const where = "category = 'scattered_firm' AND discovered_on BETWEEN '2020-01-01' AND '2020-12-31'";
    const asOf = statusOn(db, '2020-07-23', where);
    expect(asOf).toHaveLength(119);
    expect(tally(asOf.map((r) => r.status))).toEqual({ closed: 103, rectifying: 16 });
  });

  it('task 14: 89 found by the inspectors on 2019-12-12..27, 68 industrial / 8 agricultural / 13 service', () => {
    const rows = db.all<{ sector: string | null }>(
      "SELECT sector FROM sites WHERE category = 'scattered_firm' AND discovered_on BETWEEN '2019-12-12' AND '2019-12-27'",
    );
    expect(rows).toHaveLength(89);
    expect(tally(rows.map((r) => r.sector))).toEqual({ industrial: 68, agricultural: 8, service: 13 });
  });

  it('task 18: 45 coal points closed before mid-2020', () => {
    const n = db.get<{ n: number }>(
      "SELECT count(DISTINCT e.site_id) AS n FROM site_events e JOIN sites s ON s.id = e.site_id WHERE s.category = 'coal_point' AND e.to_status = 'closed' AND e.date < '2020-07-01'",
    )!.n;
    expect(n).toBe(45);
  });

  it('every record is demo, every located site inside its county polygon, places consistent', () => {
    const polygons = new Map(
      db
        .all<{ code: string; geometry: string }>('SELECT code, geometry FROM counties')
        .map((c) => [
          c.code,
          { type: 'Feature', properties: {}, geometry: JSON.parse(c.geometry) as Polygon | MultiPolygon } as Feature<Polygon | MultiPolygon>,
        ]),
    );
    const townships = new Map(db.all<{ code: string; county_code: string }>('SELECT code, county_code FROM townships').map((t) => [t.code, t.county_code]));
    const villages = new Map(db.all<{ code: string; township_code: string }>('SELECT code, township_code FROM villages').map((v) => [v.code, v.township_code]));
    const outside: string[] = [];
    for (const s of sites(db)) {
      expect(s.source).toBe('demo');
      expect(s.township_code && townships.get(s.township_code)).toBe(s.county_code);
      expect(s.village_code && villages.get(s.village_code)).toBe(s.township_code);
      if (s.lon === null) continue;
      if (!booleanPointInPolygon([s.lon, s.lat!], polygons.get(s.county_code)!)) outside.push(`${s.id} ${s.name} ${s.county_code}`);
    }
    expect(outside).toEqual([]);
    expect(db.get<{ n: number }>("SELECT count(*) AS n FROM road_segments WHERE source <> 'demo'")!.n).toBe(0);
  });

  it('about 10% approximate, 5 unlocated with county, township and village', () => {
    const rows = sites(db);
    const approximate = rows.filter((s) => s.precision === 'approximate').length / rows.length;
    expect(approximate).toBeGreaterThan(0.06);
    expect(approximate).toBeLessThan(0.14);
    const unlocated = rows.filter((s) => s.precision === 'unlocated');
    expect(unlocated).toHaveLength(5);
    for (const s of unlocated) expect([s.lon, s.lat, !!s.county_code, !!s.township_code, !!s.village_code]).toEqual([null, null, true, true, true]);
  });

  it('histories follow the allowed moves, never go backwards or past today, closures carry the checklist', () => {
    const bySite = eventsBySite(db);
    const category = new Map(sites(db).map((s) => [s.id, s]));
    const problems: string[] = [];
    for (const [siteId, list] of bySite) {
      const site = category.get(siteId)!;
      if (list[0]!.to_status !== 'discovered' || list[0]!.from_status !== null || list[0]!.date !== site.discovered_on)
        problems.push(`${siteId}: does not start with discovered on ${site.discovered_on}`);
      list.forEach((e, i) => {
        if (e.date > TODAY) problems.push(`${siteId}: ${e.date} after today`);
        if (e.to_status === 'closed') {
          const checklist = JSON.parse(e.checklist ?? '{}') as Record<string, boolean>;
          const needed = [
            'cutWater',
            'cutPower',
            'clearMaterials',
            'clearEquipment',
            'clearProducts',
            ...(site.category === 'fuel_point' ? ['tanksSealed'] : []),
          ];
          if (!needed.every((k) => checklist[k] === true)) problems.push(`${siteId}: closure without the full checklist`);
        }
        if (i === 0) return;
        const prev = list[i - 1]!;
        if (e.date < prev.date) problems.push(`${siteId}: ${e.date} before ${prev.date}`);
        if (e.from_status !== prev.to_status) problems.push(`${siteId}: from ${e.from_status} but was ${prev.to_status}`);
        if (!STATUS_MOVES[prev.to_status].includes(e.to_status)) problems.push(`${siteId}: ${prev.to_status} → ${e.to_status}`);
      });
    }
    expect(problems).toEqual([]);
  });

  it('sites.status equals the last event of every site', () => {
    const mismatched = db.all(
      `SELECT s.id FROM sites s WHERE s.status IS NOT (SELECT to_status FROM site_events e WHERE e.site_id = s.id ORDER BY date DESC, id DESC LIMIT 1)`,
    );
    expect(mismatched).toEqual([]);
  });

  it('8–12% of the closed or upgraded sites relapse, after the plan; re-check relapses have an inspection that day', () => {
    const resolved = db.get<{ n: number }>("SELECT count(DISTINCT site_id) AS n FROM site_events WHERE to_status IN ('closed', 'upgraded')")!.n;
    const relapses = db.all<{ site_id: number; date: string }>("SELECT site_id, date FROM site_events WHERE to_status = 'relapsed'");
    const relapsedSites = new Set(relapses.map((r) => r.site_id)).size;
    expect(relapsedSites).toBe(summary.relapses);
    expect(relapsedSites).toBeGreaterThanOrEqual(30);
    expect(relapsedSites / resolved).toBeGreaterThanOrEqual(0.08);
    expect(relapsedSites / resolved).toBeLessThanOrEqual(0.12);
    expect(relapses.every((r) => r.date > '2020-07-23')).toBe(true);
    // Some relapsed sites were closed again.
    expect(db.get<{ n: number }>("SELECT count(*) AS n FROM site_events WHERE from_status = 'relapsed' AND to_status = 'closed'")!.n).toBeGreaterThan(5);
    const found = db.all<{ site_id: number; date: string }>("SELECT site_id, date FROM inspections WHERE result = 'relapsed'");
    const relapseKeys = new Set(relapses.map((r) => `${r.site_id}@${r.date}`));
    expect(found.filter((i) => !relapseKeys.has(`${i.site_id}@${i.date}`))).toEqual([]);
    expect(found.length).toBeGreaterThanOrEqual(relapses.length / 2);
  });

  it('inspections: re-checks of closed sites, dated within the site history', () => {
    const rows = db.all<{ site_id: number; date: string; result: string; inspector: string }>('SELECT site_id, date, result, inspector FROM inspections');
    const results = tally(rows.map((r) => r.result));
    expect(results.closed_as_recorded!).toBeGreaterThan(rows.length / 2);
    const bySite = eventsBySite(db);
    const bad: string[] = [];
    for (const i of rows) {
      const list = bySite.get(i.site_id)!;
      if (i.date > TODAY || i.date < list[0]!.date) bad.push(`${i.site_id} ${i.date}`);
      if (!/^\S+ \S+$/.test(i.inspector)) bad.push(`inspector ${i.inspector}`);
      if (i.result === 'closed_as_recorded') {
        const state = [...list].reverse().find((e) => e.date <= i.date)!.to_status;
        if (!['closed', 'verified', 'relocated'].includes(state)) bad.push(`${i.site_id} closed_as_recorded while ${state}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('likely moves: at least 15 candidate pairs, every planted move a candidate, every decoy not', () => {
    expect(candidateMoves(db).length).toBeGreaterThanOrEqual(15);
    const moves = JSON.parse(db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'demo_moves'")!.value) as DemoMoves;
    expect(moves.moves.length).toBe(summary.moves);
    expect(moves.moves.length).toBeGreaterThanOrEqual(15);
    expect(moves.decoys.length).toBeGreaterThanOrEqual(4);
    const byKey = new Map(sites(db).map((s) => [s.seed_key, s]));
    const check = ([fromKey, toKey]: [string, string]) => {
      const a = byKey.get(fromKey)!;
      const b = byKey.get(toKey)!;
      const closed = db.get<{ d: string }>("SELECT min(date) AS d FROM site_events WHERE site_id = ? AND to_status = 'closed'", [a.id])!.d;
      const gap = dayOf(b.discovered_on) - dayOf(closed);
      const km = distanceKm([a.lon!, a.lat!], [b.lon!, b.lat!]);
      return {
        same: a.category === b.category,
        candidate: gap >= 20 && gap <= 180 && km >= 0.5 && km <= 3,
        shared: [...a.name].filter((c) => b.name.includes(c)).length,
      };
    };
    for (const pair of moves.moves) expect(check(pair)).toMatchObject({ same: true, candidate: true });
    for (const pair of moves.decoys) expect(check(pair)).toMatchObject({ same: true, candidate: false });
  });

  it('industry crowds the urban fringe; wood clusters in 召陵区 and 临颍县; curing barns rural', () => {
    const km = (s: SiteRow) => distanceKm([s.lon!, s.lat!], CITY_SEAT);
    const rows = sites(db).filter((s) => s.lon !== null);
    const fringe = rows.filter((s) => ['sand_yard', 'cement_prefab', 'concrete_plant'].includes(s.category));
    expect(fringe.filter((s) => km(s) >= 2 && km(s) <= 10).length / fringe.length).toBeGreaterThan(0.6);
    expect(rows.filter((s) => s.category === 'concrete_plant' && km(s) < 6).length).toBeGreaterThanOrEqual(3);
    const wood = tally(rows.filter((s) => s.category === 'wood_processing').map((s) => s.county_code));
    expect(wood['411104']).toBeGreaterThanOrEqual(10);
    expect(wood['411122']).toBeGreaterThanOrEqual(10);
    const barns = rows.filter((s) => s.category === 'curing_barn');
    expect(barns.filter((s) => s.county_code === '411121' || s.county_code === '411122').length / barns.length).toBeGreaterThan(0.7);
    expect(barns.every((s) => km(s) > 8)).toBe(true);
  });

  it('open sites carry a deadline and a responsible unit; some are overdue', () => {
    const open = sites(db).filter((s) => (OPEN_STATUSES as readonly string[]).includes(s.status));
    expect(open.length).toBeGreaterThan(10);
    expect(open.filter((s) => !s.deadline || !s.responsible_unit)).toEqual([]);
    const overdue = open.filter((s) => s.deadline! < TODAY).length;
    expect(overdue).toBeGreaterThan(0);
    expect(overdue).toBe(summary.overdue);
  });

  it('road segments: drawn lines near the seat, county of the midpoint, lawful histories', () => {
    const roads = db.all<{
      id: number;
      geometry: string;
      county_code: string;
      status: RoadStatusCode;
      min_lon: number;
      min_lat: number;
      max_lon: number;
      max_lat: number;
    }>('SELECT * FROM road_segments ORDER BY id');
    expect(roads.length).toBeGreaterThanOrEqual(6);
    const polygons = new Map(
      db.all<{ code: string; geometry: string }>('SELECT code, geometry FROM counties').map((c) => [c.code, JSON.parse(c.geometry) as Polygon | MultiPolygon]),
    );
    for (const r of roads) {
      const line = JSON.parse(r.geometry) as LineString;
      expect(line.type).toBe('LineString');
      expect(line.coordinates.length).toBeGreaterThanOrEqual(2);
      expect(line.coordinates.length).toBeLessThanOrEqual(6);
      const lons = line.coordinates.map((c) => c[0]!);
      const lats = line.coordinates.map((c) => c[1]!);
      expect([r.min_lon, r.min_lat, r.max_lon, r.max_lat]).toEqual([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)]);
      for (const c of line.coordinates) expect(distanceKm([c[0]!, c[1]!], CITY_SEAT)).toBeLessThan(8);
      const half = along(line, length(lineString(line.coordinates)) / 2);
      expect(booleanPointInPolygon(half, { type: 'Feature', properties: {}, geometry: polygons.get(r.county_code)! })).toBe(true);
      const history = db.all<{ from_status: RoadStatusCode | null; to_status: RoadStatusCode; date: string }>(
        'SELECT from_status, to_status, date FROM road_events WHERE road_id = ? ORDER BY date, id',
        [r.id],
      );
      expect(history[0]).toMatchObject({ from_status: null, to_status: 'reported' });
      for (let i = 1; i < history.length; i++) {
        expect(ROAD_STATUS_MOVES[history[i - 1]!.to_status]).toContain(history[i]!.to_status);
        expect(history[i]!.date >= history[i - 1]!.date).toBe(true);
        expect(history[i]!.date <= TODAY).toBe(true);
      }
      expect(history[history.length - 1]!.to_status).toBe(r.status);
    }
    expect(new Set(roads.map((r) => r.status)).size).toBeGreaterThan(1);
  });

  it('a second call writes nothing and returns the same counts', () => {
    const before = { sites: sites(db).length, events: events(db).length };
    const again = generateDemo(db, { seed: 7 });
    expect(again.created).toBe(false);
    expect({ ...again, created: true }).toEqual(summary);
    expect({ sites: sites(db).length, events: events(db).length }).toEqual(before);
  });
});

describe('demo data determinism', () => {
  const dump = (db: Db) => ({
    sites: sites(db),
    events: events(db),
    inspections: db.all('SELECT * FROM inspections ORDER BY id'),
    roads: db.all('SELECT * FROM road_segments ORDER BY id'),
    roadEvents: db.all('SELECT * FROM road_events ORDER BY id'),
    meta: db.all("SELECT * FROM meta WHERE key LIKE 'demo%' ORDER BY key"),
  });

  it('same seed → identical rows; another seed → other positions', () => {
    const a = freshDb();
    const b = freshDb();
    const c = freshDb();
    generateDemo(a, { seed: 42 });
    generateDemo(b, { seed: 42 });
    generateDemo(c, { seed: 43 });
    expect(dump(b)).toEqual(dump(a));
    const positions = (db: Db) => sites(db).map((s) => `${s.lon},${s.lat}`);
    const shared = new Set(positions(a));
    expect(positions(c).filter((p) => p !== 'null,null' && shared.has(p)).length).toBeLessThan(5);
  });

  it('an earlier today cuts every history there', () => {
    const db = freshDb();
    const today = '2021-06-30';
    const summary = generateDemo(db, { today });
    expect(summary.sites).toBeGreaterThan(400);
    const latest = (sql: string) => db.get<{ d: string | null }>(sql)!.d;
    expect(latest('SELECT max(discovered_on) AS d FROM sites')! <= today).toBe(true);
    expect(latest('SELECT max(date) AS d FROM site_events')! <= today).toBe(true);
    expect(latest('SELECT max(date) AS d FROM inspections')! <= today).toBe(true);
    expect(latest('SELECT max(date) AS d FROM road_events')! <= today).toBe(true);
    expect(latest('SELECT max(reported_on) AS d FROM road_segments')! <= today).toBe(true);
  });

  it('refuses to add to existing demo sites even without the meta row', () => {
    const db = freshDb();
    generateDemo(db, { seed: 5 });
    db.run("DELETE FROM meta WHERE key = 'demo_seed'");
    const count = sites(db).length;
    expect(generateDemo(db, { seed: 6 }).created).toBe(false);
    expect(sites(db).length).toBe(count);
  });
});

describe('demo data continued to a later today', () => {
  // A fixed "today" well after the planned campaign (2019–2022): the generator carries it on.
  const LATER = '2026-12-03';
  let db: Db;
  beforeAll(() => {
    db = freshDb();
    generateDemo(db, { today: LATER });
  });
  const value = (sql: string, params: unknown[] = []) => db.get<{ v: string | number | null }>(sql, params)!.v;

  it('reaches the given day: events and re-checks up to it, none after', () => {
    expect(value('SELECT max(date) AS v FROM site_events')).toBe(LATER);
    expect(value('SELECT max(date) AS v FROM inspections')! >= '2026-11-01').toBe(true);
    expect(value('SELECT max(date) AS v FROM inspections')! <= LATER).toBe(true);
    expect(value('SELECT max(discovered_on) AS v FROM sites')! >= '2026-09-01').toBe(true);
    expect(value('SELECT max(discovered_on) AS v FROM sites')! <= LATER).toBe(true);
  });

  it('keeps the plan figures for 2019–2020', () => {
    const asOf = statusOn(db, '2020-07-23', "category = 'scattered_firm' AND discovered_on BETWEEN '2020-01-01' AND '2020-12-31'");
    expect(tally(asOf.map((r) => r.status))).toEqual({ closed: 103, rectifying: 16 });
    expect(value("SELECT count(*) AS v FROM sites WHERE category = 'scattered_firm' AND discovered_on BETWEEN '2019-12-12' AND '2019-12-27'")).toBe(89);
  });

  it('goes on at a plausible pace every year: new finds, closures, relapses, re-checks', () => {
    for (const year of ['2023', '2024', '2025', '2026']) {
      const count = (sql: string) => Number(value(sql, [`${year}-01-01`, `${year}-12-31`]));
      expect(count('SELECT count(*) AS v FROM sites WHERE discovered_on BETWEEN ? AND ?'), year).toBeGreaterThanOrEqual(20);
      expect(count("SELECT count(*) AS v FROM site_events WHERE to_status = 'closed' AND date BETWEEN ? AND ?"), year).toBeGreaterThanOrEqual(10);
      expect(count("SELECT count(*) AS v FROM site_events WHERE to_status = 'relapsed' AND date BETWEEN ? AND ?"), year).toBeGreaterThanOrEqual(5);
      expect(count('SELECT count(*) AS v FROM inspections WHERE date BETWEEN ? AND ?'), year).toBeGreaterThanOrEqual(300);
    }
  });

  it('most dealt-with sites were re-checked within 90 days of today; every history lawful', () => {
    const dealt = db.all<{ id: number; last: string | null }>(
      `SELECT s.id, (SELECT max(date) FROM inspections i WHERE i.site_id = s.id) AS last FROM sites s
       WHERE s.lon IS NOT NULL AND s.status IN ('closed', 'upgraded', 'relocated', 'verified')`,
    );
    const stale = dealt.filter((s) => s.last === null || dayOf(s.last) < dayOf(LATER) - 90).length;
    expect(stale / dealt.length).toBeGreaterThan(0.15);
    expect(stale / dealt.length).toBeLessThan(0.6);
    const problems: string[] = [];
    for (const [siteId, list] of eventsBySite(db))
      list.forEach((e, i) => {
        if (e.date > LATER) problems.push(`${siteId}: ${e.date} after today`);
        if (i > 0 && (e.date < list[i - 1]!.date || !STATUS_MOVES[list[i - 1]!.to_status].includes(e.to_status)))
          problems.push(`${siteId}: ${list[i - 1]!.to_status} → ${e.to_status}`);
      });
    expect(problems).toEqual([]);
    expect(
      db.all('SELECT s.id FROM sites s WHERE s.status IS NOT (SELECT to_status FROM site_events e WHERE e.site_id = s.id ORDER BY date DESC, id DESC LIMIT 1)'),
    ).toEqual([]);
  });

  it('is the same for the same seed and day', () => {
    const again = freshDb();
    generateDemo(again, { today: LATER });
    expect(sites(again)).toEqual(sites(db));
    expect(events(again)).toEqual(events(db));
    expect(again.all('SELECT * FROM inspections ORDER BY id')).toEqual(db.all('SELECT * FROM inspections ORDER BY id'));
  });
});
