// Writing the planned demo through the same store functions the API writes with (insertSite,
// addSiteEvent with its move and checklist rules, recordInspection, insertRoad, addRoadEvent), so the
// demo cannot drift from the real write path. Every row is written in date order.
import type { Db } from '../../db/database.ts';
import { CLOSURE_CHECKLIST } from '../../../domain/statuses.ts';
import { dayIso as toIso } from '../../../domain/days.ts';
import { insertMeta } from '../../store/meta-store.ts';
import { taskExists } from '../../store/demo-store.ts';
import { addRoadEvent, insertRoad } from '../../store/road-store.ts';
import { insertInspection, recordInspection } from '../../store/route-store.ts';
import { addSiteEvent, insertSite, type Checklist } from '../../store/site-mutations.ts';
import type { DemoMoves } from '../demo.ts';
import type { PlanEvent, PlanInspection, RoadPlan } from './plan.ts';
import type { DemoWorld } from './world.ts';

const CHECKLIST: Checklist = Object.fromEntries(CLOSURE_CHECKLIST.map((item) => [item, true]));
const FUEL_CHECKLIST: Checklist = { ...CHECKLIST, tanksSealed: true };

/** A fixed timestamp for a day: office hours in Beijing, varied by a counter so rows differ. */
const stamp = (day: number, n: number): string => `${toIso(day)}T${String(1 + (n % 8)).padStart(2, '0')}:${String((n * 7) % 60).padStart(2, '0')}:00.000Z`;

type Action =
  | { day: number; plan: number; order: number; kind: 'site' }
  | { day: number; plan: number; order: number; kind: 'event'; event: PlanEvent }
  | { day: number; plan: number; order: number; kind: 'inspection'; inspection: PlanInspection };

export function writeDemo(db: Db, builder: DemoWorld, roads: RoadPlan[], seed: number, today: string): void {
  const plans = builder.plans;
  // Sites get ids in discovery order; every row is written in date order.
  const order = plans.map((_, i) => i).sort((a, b) => plans[a]!.track.discovered - plans[b]!.track.discovered || a - b);
  order.forEach((planIndex, rank) => (plans[planIndex]!.key = `demo:${String(rank + 1).padStart(4, '0')}`));
  const actions: Action[] = [];
  plans.forEach((p, i) => {
    actions.push({ day: p.track.discovered, plan: i, order: -1, kind: 'site' });
    p.track.events.forEach((event, k) => actions.push({ day: event.day, plan: i, order: k, kind: 'event', event }));
    p.inspections.forEach((inspection, k) => actions.push({ day: inspection.day, plan: i, order: 1000 + k, kind: 'inspection', inspection }));
  });
  const rank = new Map(order.map((planIndex, r) => [planIndex, r]));
  actions.sort((a, b) => a.day - b.day || rank.get(a.plan)! - rank.get(b.plan)! || a.order - b.order);

  const ids = new Map<number, number>();
  actions.forEach((action, n) => {
    const p = plans[action.plan]!;
    const now = stamp(action.day, n);
    if (action.kind === 'site') {
      ids.set(
        action.plan,
        insertSite(
          db,
          {
            name: p.name,
            category: p.category,
            sector: p.sector,
            address: p.address,
            countyCode: p.county.code,
            townshipCode: p.township.code,
            villageCode: p.village.code,
            managingZone: p.township.adminCode === '411171' ? '经济技术开发区' : null,
            lon: p.lon,
            lat: p.lat,
            precision: p.precision,
            source: 'demo',
            discoveredOn: toIso(p.track.discovered),
            deadline: p.deadline,
            responsibleUnit: p.responsibleUnit,
            note: p.note,
            seedKey: p.key,
            actor: p.discoveredBy,
          },
          now,
        ),
      );
    } else if (action.kind === 'event') {
      const e = action.event;
      addSiteEvent(
        db,
        ids.get(action.plan)!,
        {
          to: e.to,
          date: toIso(e.day),
          actor: e.actor,
          note: e.note,
          checklist: e.to === 'closed' ? (p.category === 'fuel_point' ? FUEL_CHECKLIST : CHECKLIST) : null,
        },
        { now, today },
      );
    } else {
      const i = action.inspection;
      const inspection = { siteId: ids.get(action.plan)!, date: toIso(i.day), inspector: i.inspector, result: i.result, note: i.note };
      // A relapse found on a re-check: its event was written from the plan just before (same day).
      if (i.result === 'relapsed') insertInspection(db, inspection, now);
      else recordInspection(db, inspection, { now, today });
    }
  });

  const task = taskExists(db, 19) ? 19 : null;
  roads.forEach((r, i) => {
    const id = insertRoad(
      db,
      {
        roadName: r.roadName,
        fromDesc: r.fromDesc,
        toDesc: r.toDesc,
        severity: r.severity,
        responsibleUnit: r.responsibleUnit,
        deadline: r.deadline,
        countyCode: r.county,
        geometry: { type: 'LineString', coordinates: r.line },
        reportedOn: toIso(r.reported),
        task,
        note: r.note,
        reportNote: '巡查上报道路破损',
        source: 'demo',
        seedKey: `demo:road:${i + 1}`,
        actor: '市城市管理局',
      },
      { now: stamp(r.reported, i) },
    );
    r.events.forEach((e, k) => {
      addRoadEvent(db, id, { to: e.to, date: toIso(e.day), actor: e.actor, note: e.note }, { now: stamp(e.day, i + k + 1), today });
    });
  });

  const moves: DemoMoves = {
    moves: builder.moves.map(([a, b]) => [a.key, b.key]),
    decoys: builder.decoys.map(([a, b]) => [a.key, b.key]),
  };
  insertMeta(db, 'demo_seed', String(seed));
  insertMeta(db, 'demo_moves', JSON.stringify(moves));
}
