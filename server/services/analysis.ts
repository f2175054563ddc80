// Use cases the analyses write: an urban core saved for the siege analysis, and a likely move
// (relapse analysis) confirmed or dismissed. Each writes and appends its audit record in one transaction.
import type { MultiPolygon, Polygon } from 'geojson';
import { badRequest } from '../errors.ts';
import { appendAudit } from '../auth/audit.ts';
import { resolveSiegeOptions, SiegeOptionError } from '../geo/analyze-siege.ts';
import { saveCore, type CoreFeature } from '../store/core-store.ts';
import { decideMove, type DecisionRecord } from '../store/relapse-store.ts';
import { siteCounties } from '../store/site-queries.ts';
import { auditBy, type Actor, type ServiceContext } from './service-context.ts';

/** Saves an urban core after checking its polygon as the siege analysis would (400 naming `geometry`). */
export function saveUrbanCore(ctx: ServiceContext, actor: Actor, core: { name: string; geometry: Polygon | MultiPolygon; note?: string | null }): CoreFeature {
  const feature = { type: 'Feature' as const, properties: {}, geometry: core.geometry };
  try {
    resolveSiegeOptions({ core: feature });
  } catch (error) {
    if (error instanceof SiegeOptionError)
      throw badRequest('bad_field', `geometry: ${error.message.replace(/^core: /, '')}`, { field: 'geometry', ...error.problem });
    throw error;
  }
  return ctx.db.transaction(() => {
    const saved = saveCore(ctx.db, { name: core.name, geometry: feature.geometry, note: core.note, actor: actor.username });
    appendAudit(ctx.db, { ...auditBy(actor), action: 'core.create', target: `core:${saved.id}`, before: null, after: saved });
    return saved;
  });
}

/** Confirms or dismisses the likely move `key` (OLD-NEW site ids), recorded with who and when. */
export function decideRelapseMove(ctx: ServiceContext, actor: Actor, key: string, decision: 'confirmed' | 'dismissed', note: string | null): DecisionRecord {
  return ctx.db.transaction(() => {
    const decided = decideMove(ctx.db, key, decision, actor.username, note);
    appendAudit(ctx.db, {
      ...auditBy(actor),
      action: 'relapse.decision',
      target: `move:${decided.key}`,
      counties: siteCounties(ctx.db, [decided.fromId, decided.toId]),
      before: null,
      after: decided,
    });
    return decided;
  });
}
