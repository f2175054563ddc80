// Use cases of field work: save a planned inspection route, record an inspection's result (a
// "relapsed" result also moves the site). Each writes and appends its audit record in one transaction.
import { appendAudit } from '../auth/audit.ts';
import { siteCounties } from '../store/site-queries.ts';
import { recordInspection, saveRoute, type NewInspection } from '../store/route-store.ts';
import { auditBy, type Actor, type ServiceContext } from './service-context.ts';
import { refuseOtherCounties } from './county-scope.ts';
import { checkedRoutePlan, type SentPlan } from './saved-route-plan.ts';

/** Saves a planned route (reopened and shared by URL); returns its id. */
export function saveInspectionRoute(ctx: ServiceContext, actor: Actor, route: { name: string; plan: SentPlan }): number {
  return ctx.db.transaction(() => {
    // Stops, legs and navigation links are rebuilt from the database; county officials and
    // inspectors may save only routes whose stops lie in their counties.
    const plan = checkedRoutePlan(ctx.db, route.plan, (counties) => refuseOtherCounties(ctx, actor, counties));
    const id = saveRoute(ctx.db, { name: route.name, plan, actor: actor.username });
    appendAudit(ctx.db, {
      ...auditBy(actor),
      action: 'route.create',
      target: `route:${id}`,
      before: null,
      after: { name: route.name, stops: route.plan.stops.length },
    });
    return id;
  });
}

/** Records an inspection by the actor; returns its id and the relapse event's id (null unless "relapsed"). */
export function recordInspectionResult(
  ctx: ServiceContext,
  actor: Actor,
  inspection: Omit<NewInspection, 'inspector'>,
): { id: number; eventId: number | null } {
  return ctx.db.transaction(() => {
    const recorded = recordInspection(ctx.db, { ...inspection, inspector: actor.username }, { today: ctx.today() });
    appendAudit(ctx.db, {
      ...auditBy(actor),
      action: 'inspection.create',
      target: `site:${inspection.siteId}`,
      counties: siteCounties(ctx.db, [inspection.siteId]),
      before: null,
      after: { ...inspection, ...recorded },
    });
    return recorded;
  });
}
