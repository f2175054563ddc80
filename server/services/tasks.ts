// Use cases on the plan's tasks: a progress note, the sites linked by hand. Each writes and appends
// its audit record in one transaction.
import { appendAudit } from '../auth/audit.ts';
import { addTaskNote, setTaskSites, taskSiteIds } from '../store/task-store.ts';
import { auditBy, type Actor, type ServiceContext } from './service-context.ts';

/** Adds a progress note (who, when, text) to task `number`. */
export function addProgressNote(ctx: ServiceContext, actor: Actor, number: number, text: string): void {
  ctx.db.transaction(() => {
    const note = addTaskNote(ctx.db, number, actor.username, text);
    appendAudit(ctx.db, { ...auditBy(actor), action: 'task.note', target: `task:${number}`, before: null, after: note });
  });
}

/** Sets the sites linked to task `number` by hand (links by category stay). */
export function linkTaskSites(ctx: ServiceContext, actor: Actor, number: number, siteIds: readonly number[]): void {
  ctx.db.transaction(() => {
    const before = taskSiteIds(ctx.db, number);
    setTaskSites(ctx.db, number, siteIds, actor.username);
    appendAudit(ctx.db, {
      ...auditBy(actor),
      action: 'task.sites',
      target: `task:${number}`,
      before: { siteIds: before },
      after: { siteIds: taskSiteIds(ctx.db, number) },
    });
  });
}
