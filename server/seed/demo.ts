// Deterministic demo dataset for Luohe (source = 'demo'): ~530 sites with 2019–2022 histories
// (continued up to `today` when it is later: new finds, closures, relapses, 回头看 re-checks),
// 回头看 re-checks, likely moves (改头换面转移) with decoys, and drawn road segments. The figures
// follow the 2020 plan (漯发〔2020〕13号): tasks 2/11 (119 found in 2020: 103 closed, 16
// rectifying on 2020-07-23), task 14 (89 found by the inspectors: 68/8/13), task 18 (45 coal points).
//
// The generator lives in server/seed/demo/: a world of seeded random helpers and places (world.ts),
// the phases that plan sites in memory (campaign.ts → relapses.ts → to-today.ts → finishing.ts, and
// roads.ts), the word pools and life tables as data (words.ts, lives.ts), and the writer
// (write.ts), which writes through the API's store functions.
import type { Db } from '../db/database.ts';
import { dayNumber } from '../../domain/days.ts';
import { CATEGORY_CODES, type CategoryCode } from '../../domain/categories.ts';
import { STATUS_CODES, type StatusCode } from '../../domain/statuses.ts';
import { demoCounts, hasDemoData } from '../store/demo-store.ts';
import { getMeta } from '../store/meta-store.ts';
import { agriculture, coal, dust, firms2019, firms2020, firmsLater, fuel, industry, wood } from './demo/campaign.ts';
import { DEMO_DEFAULT_SEED, DEMO_DEFAULT_TODAY } from './demo/constants.ts';
import { deadline, inspections, precision } from './demo/finishing.ts';
import { movesAndDecoys, relapses } from './demo/relapses.ts';
import { roads } from './demo/roads.ts';
import { continueCampaign } from './demo/to-today.ts';
import { DemoWorld } from './demo/world.ts';
import { writeDemo } from './demo/write.ts';

export { CITY_SEAT, DEMO_CAMPAIGN_END, DEMO_DEFAULT_SEED, DEMO_DEFAULT_TODAY, DEMO_PLAN_DATE } from './demo/constants.ts';

export interface DemoOptions {
  seed?: number;
  /** Last day any event may carry (YYYY-MM-DD). */
  today?: string;
}

export interface DemoSummary {
  /** false when demo data already existed and nothing was written. */
  created: boolean;
  seed: number | null;
  sites: number;
  byCategory: Record<CategoryCode, number>;
  byStatus: Record<StatusCode, number>;
  events: number;
  /** Sites with at least one 死灰复燃 event. */
  relapses: number;
  /** Planted likely moves (closed site → similar new site 0.5–3 km away, 20–170 days later). */
  moves: number;
  /** Planted near-misses (too late or too far). */
  decoys: number;
  /** Open sites whose deadline is before `today`. */
  overdue: number;
  roads: number;
  roadEvents: number;
  inspections: number;
}

/** Ground truth of the planted moves, kept in meta 'demo_moves' as seed_key pairs [from, to]. */
export interface DemoMoves {
  moves: [string, string][];
  decoys: [string, string][];
}

/** Plans every site in memory, phase by phase, in the order the random stream is drawn. */
function planDemo(world: DemoWorld): void {
  firms2020(world);
  firms2019(world);
  firmsLater(world);
  coal(world);
  industry(world);
  wood(world);
  fuel(world);
  agriculture(world);
  dust(world);
  relapses(world);
  movesAndDecoys(world);
  continueCampaign(world);
  // With an early `today`, sites not yet found are left out.
  const found = world.plans.filter((p) => p.track.discovered <= world.T);
  world.plans.splice(0, world.plans.length, ...found);
  precision(world);
  for (const p of world.plans) {
    inspections(world, p);
    deadline(world, p);
  }
}

/** Counts of the demo records now in the database. */
export function summarizeDemo(db: Db, today: string = DEMO_DEFAULT_TODAY, created = false): DemoSummary {
  const counts = demoCounts(db, today);
  const byCategory = Object.fromEntries(CATEGORY_CODES.map((c) => [c, 0])) as Record<CategoryCode, number>;
  for (const r of counts.byCategory) byCategory[r.category as CategoryCode] = r.n;
  const byStatus = Object.fromEntries(STATUS_CODES.map((s) => [s, 0])) as Record<StatusCode, number>;
  for (const r of counts.byStatus) byStatus[r.status as StatusCode] = r.n;
  const seed = getMeta(db, 'demo_seed');
  const movesText = getMeta(db, 'demo_moves');
  const moves = movesText ? (JSON.parse(movesText) as DemoMoves) : { moves: [], decoys: [] };
  return {
    created,
    seed: seed === undefined ? null : Number(seed),
    sites: Object.values(byCategory).reduce((a, b) => a + b, 0),
    byCategory,
    byStatus,
    events: counts.events,
    relapses: counts.relapses,
    moves: moves.moves.length,
    decoys: moves.decoys.length,
    overdue: counts.overdue,
    roads: counts.roads,
    roadEvents: counts.roadEvents,
    inspections: counts.inspections,
  };
}

/**
 * Fills a migrated database (with geodata loaded) with the demo dataset, in one transaction.
 * Does nothing when demo data is already there (meta 'demo_seed' or any demo site).
 */
export function generateDemo(db: Db, options: DemoOptions = {}): DemoSummary {
  const seed = options.seed ?? DEMO_DEFAULT_SEED;
  const today = options.today ?? DEMO_DEFAULT_TODAY;
  if (!Number.isInteger(seed)) throw new Error(`generateDemo: seed must be an integer, got ${seed}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || dayNumber(today) === null) throw new Error(`generateDemo: today must be YYYY-MM-DD, got ${today}`);
  if (hasDemoData(db)) return summarizeDemo(db, today, false);
  const world = new DemoWorld(db, seed, today);
  planDemo(world);
  const segments = roads(world);
  db.transaction(() => writeDemo(db, world, segments, seed, today));
  return summarizeDemo(db, today, true);
}
