// After the planned campaign: continued day by day up to `today`.
import type { CategoryCode } from '../../../domain/categories.ts';
import { dayIso, toDay } from '../../../domain/days.ts';
import { OPEN_STATUSES, type StatusCode } from '../../../domain/statuses.ts';
import { CITY_SEAT } from './constants.ts';
import { LIFE, STANDARD_LIFE } from './lives.ts';
import type { Located, Plan } from './plan.ts';
import type { DemoWorld } from './world.ts';
import { TODAY_FIND_NOTES } from './words.ts';

// --- after the planned campaign: continued day by day up to today ----------------------------

/**
 * Continues the campaign from 2023 to `today`: open sites are dealt with (a few stay open),
 * new sites are found at the 2021–2022 pace (动态清零), dealt-with sites relapse at about 4.5% a
 * year (fuel, coal, sand and scattered firms more, relocated ones less) and are closed again.
 */
export function continueCampaign(w: DemoWorld): void {
  if (w.today <= w.campaignEnd) return;
  const start = w.campaignEnd + 1;
  w.T = w.today;
  for (const p of w.plans) p.track.end = w.today;
  for (const p of w.plans) carryOn(w, p, start);
  const years = (w.today - start + 1) / 365.25;
  const finds: [CategoryCode, number][] = [
    ['scattered_firm', 18],
    ['construction_site', 6],
    ['dump_site', 4],
    ['fuel_point', 3],
    ['sand_yard', 3],
    ['wood_processing', 2],
  ];
  for (const [category, perYear] of finds) {
    const count = Math.round(perYear * years);
    for (let i = 0; i < count; i++) {
      const discovered = w.rng.int(start, w.today);
      const plan = w.addPlan({
        group: 'after',
        category,
        sector: category === 'scattered_firm' ? w.sector2020() : null,
        at: findPosition(w, category),
        discovered,
        note: w.rng.pick(TODAY_FIND_NOTES),
      });
      carryOn(w, plan, discovered);
    }
  }
  // 晨查夜查: breakfast shops burning loose coal, found each winter.
  for (let year = Number(dayIso(start).slice(0, 4)); ; year++) {
    const from = Math.max(start, toDay(`${year - 1}-11-15`));
    const to = Math.min(w.today, toDay(`${year}-02-28`));
    if (from > w.today) break;
    for (let i = 0; from <= to && i < 6; i++) {
      const at = w.rng.chance(0.6) ? w.ring(CITY_SEAT, 1.5, 8) : w.aroundCountySeat(0.5, 4);
      const plan = w.addPlan({ group: 'after', category: 'coal_point', at, discovered: w.rng.int(from, to), note: '晨查夜查发现早餐店违规使用散煤' });
      w.nameBreakfastShop(plan);
      carryOn(w, plan, plan.track.discovered);
    }
  }
}

function findPosition(w: DemoWorld, category: CategoryCode): Located {
  if (category === 'scattered_firm') return w.firmPosition();
  if (category === 'construction_site') return w.ring(CITY_SEAT, 0.8, 7);
  if (category === 'sand_yard' || category === 'wood_processing') return w.ring(CITY_SEAT, 2, 12);
  return w.rng.chance(0.5) ? w.ring(CITY_SEAT, 2, 15) : w.inCounty(w.rng.pick([...w.counties.keys()]), 5);
}

/** One site's life from `from` to today: dealt with when open, re-verified, relapsing and closed again. */
function carryOn(w: DemoWorld, p: Plan, from: number): void {
  const life = LIFE[p.category] ?? STANDARD_LIFE;
  const weight = ['fuel_point', 'coal_point', 'sand_yard', 'scattered_firm'].includes(p.category) ? 1.5 : p.category === 'construction_site' ? 0.7 : 1;
  for (let round = 0; round < 20 && p.track.last <= w.today; round++) {
    const status = p.track.status;
    if ((OPEN_STATUSES as readonly StatusCode[]).includes(status)) {
      // Most open sites are dealt with within a year; some drag on past their deadline.
      if (p.openDeadline ? !w.rng.chance(0.6) : w.rng.chance(0.1)) return;
      const base = Math.max(from, p.track.last, p.openDeadline ? toDay(p.openDeadline) : 0);
      if (status !== 'rectifying' && w.rng.chance(status === 'relapsed' ? 0.4 : 0.6)) {
        if (!w.rectify(p, base + w.rng.int(1, 30))) return;
      }
      const outcome = status === 'relapsed' && p.track.status === 'relapsed' ? 'closed' : w.weighted(life.outcomes);
      const day = p.track.last + w.int(outcome === 'relocated' && life.relocateAfter ? life.relocateAfter : life.resolveAfter);
      if (!w.resolve(p, outcome, day)) return;
      p.openDeadline = undefined;
      w.verify(p, life.verifyChance);
      continue;
    }
    // Dealt with: the next relapse comes after an exponential wait (4.5% a year, weighted).
    const rate = (0.045 * (p.track.has('relocated') ? 0.3 : weight)) / 365.25;
    const day = Math.max(from, p.track.last) + 45 + Math.round(-Math.log(1 - w.rng.next()) / rate);
    if (day > w.today) return;
    const byInspection = w.rng.chance(0.75);
    const inspector = byInspection ? w.inspector(p) : undefined;
    const note = byInspection ? '回头看发现死灰复燃,擅自恢复生产' : '群众举报,核实已恢复生产';
    if (!p.track.go('relapsed', day, inspector?.split(' ')[0] ?? w.epb(p), note, inspector)) return;
  }
}
