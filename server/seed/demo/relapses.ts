// 死灰复燃 relapses and 改头换面转移 likely moves (with decoys) planted into the planned campaign.
import type { CategoryCode } from '../../../domain/categories.ts';
import { LIFE, STANDARD_LIFE } from './lives.ts';
import type { Located, LonLat, Plan } from './plan.ts';
import type { DemoWorld } from './world.ts';
import { MOVE_FIND_NOTES } from './words.ts';

// --- relapses, moves, decoys -------------------------------------------------------------------

/** 死灰复燃: about 10% of the sites ever closed or upgraded, after 2020-07. */
export function relapses(w: DemoWorld): void {
  const resolved = w.plans.filter((p) => p.track.has('closed') || p.track.has('upgraded'));
  const target = Math.round(resolved.length * 0.1);
  const candidates = w.plans
    .filter((p) => p.resolvedDay !== undefined && Math.max(p.resolvedDay + 45, w.verifyFrom) + 30 <= w.T)
    .map((p) => {
      const weight = ['fuel_point', 'coal_point', 'sand_yard', 'scattered_firm'].includes(p.category)
        ? 1.5
        : p.category === 'construction_site'
          ? 0.7
          : p.track.has('relocated')
            ? 0.3
            : 1;
      return { p, key: w.rng.next() / weight };
    })
    .sort((a, b) => a.key - b.key)
    .slice(0, target);
  for (const { p } of candidates) {
    const lo = Math.max(p.resolvedDay! + 45, w.verifyFrom);
    const day = w.rng.int(lo, Math.min(w.T, lo + 600));
    p.track.truncateFrom(day);
    const byInspection = w.rng.chance(0.75);
    const note =
      p.category === 'coal_point'
        ? '复查发现复烧、复售散煤'
        : p.category === 'fuel_point'
          ? '复查发现恢复经营加油'
          : byInspection
            ? '回头看发现死灰复燃,擅自恢复生产'
            : '群众举报,核实已恢复生产';
    const inspector = byInspection ? w.inspector(p) : undefined;
    p.track.go('relapsed', day, inspector?.split(' ')[0] ?? w.epb(p), note, inspector);
    const next = w.rng.next();
    if (next < 0.55) {
      if (p.track.go('closed', day + w.rng.int(3, 45), w.gov(p), '再次取缔,两断三清到位')) w.verify(p, 0.5);
    } else if (next < 0.75) {
      if (w.rectify(p, day + w.rng.int(3, 30)) && w.rng.chance(0.5)) w.resolve(p, w.rng.chance(0.5) ? 'closed' : 'upgraded', p.track.last + w.rng.int(20, 150));
    }
  }
}

/** 改头换面转移: a closed site's operator reopens nearby under a similar name. */
export function movesAndDecoys(w: DemoWorld): void {
  const quota: [CategoryCode, number][] = [
    ['sand_yard', 9],
    ['wood_processing', 5],
    ['cement_prefab', 2],
    ['carton_maker', 2],
    ['brick_kiln', 1],
    ['concrete_plant', 1],
  ];
  const used = new Set<Plan>();
  const origins = (category: CategoryCode, minDays: number) =>
    w.rng.shuffle(
      w.plans.filter(
        (p) =>
          p.category === category &&
          !used.has(p) &&
          p.group !== 'move' &&
          p.group !== 'decoy' &&
          p.track.has('closed') &&
          !p.track.has('relapsed') &&
          p.track.firstDay('closed')! + minDays <= w.T,
      ),
    );
  const spawn = (origin: Plan, at: Located, discovered: number, group: 'move' | 'decoy', similar: boolean): Plan => {
    const plan = w.addPlan({
      group,
      category: origin.category,
      at,
      discovered,
      note: w.rng.pick(MOVE_FIND_NOTES),
      stem: similar ? w.similarStem(origin.stem) : undefined,
    });
    plan.pinned = true;
    origin.pinned = true;
    used.add(origin);
    w.life(plan, { ...(LIFE[origin.category] ?? STANDARD_LIFE), openChance: 0.1 });
    return plan;
  };
  for (const [category, count] of quota)
    for (const origin of origins(category, 25).slice(0, count)) {
      const closed = origin.track.firstDay('closed')!;
      const at = w.ring([origin.lon!, origin.lat!], 0.6, 2.8);
      const day = closed + w.rng.int(20, Math.min(170, w.T - closed));
      w.moves.push([origin, spawn(origin, at, day, 'move', true)]);
    }
  // Decoys: same kind nearby but too late, or in time but far away.
  for (let i = 0; i < 6; i++) {
    const late = i < 3;
    const category = w.rng.pick<CategoryCode>(['sand_yard', 'wood_processing', 'cement_prefab']);
    const origin = origins(category, late ? 220 : 25)[0];
    if (!origin) continue;
    const closed = origin.track.firstDay('closed')!;
    const center: LonLat = [origin.lon!, origin.lat!];
    const at = late ? w.ring(center, 0.6, 2.8) : w.ring(center, 6, 12);
    const day = late ? closed + w.rng.int(200, Math.min(420, w.T - closed)) : closed + w.rng.int(20, Math.min(170, w.T - closed));
    w.decoys.push([origin, spawn(origin, at, day, 'decoy', !late)]);
  }
}
