// The heavy steps of a ledger import: the preview of an uploaded file (read, judged and staged in
// batches) and the two whole-batch writes, commit and undo, each one transaction with its county
// check and audit record. They run where server/services/import-pool.ts puts them: on the import
// worker thread's own connection for a database file, on the request thread for ':memory:'.
import { appendAudit } from '../auth/audit.ts';
import { batchCounties, undoImport, type CommitCounts } from '../store/import-store.ts';
import { commitImport, type CommitChoices } from '../store/import-commit.ts';
import { refuseOtherCounties } from './county-scope.ts';
import { locatorOf, previewNow, warmPreview, type ImportPreviewResult, type ImportRequest } from './import-preview.ts';
import { auditBy, type Actor, type ServiceContext } from './service-context.ts';

export type UndoCounts = ReturnType<typeof undoImport>;
type BatchContext = Pick<ServiceContext, 'db' | 'today'>;

/** Writes a previewed import as one batch (rows with errors left out; any failure writes nothing). */
export function commitBatchNow(ctx: BatchContext, actor: Actor, id: number, choices: CommitChoices): CommitCounts {
  return ctx.db.transaction(() => {
    const counties = batchCounties(ctx.db, id);
    refuseOtherCounties(ctx, actor, counties);
    const written = commitImport(ctx.db, id, { duplicates: choices.duplicates, rows: choices.rows }, actor.username, { today: ctx.today() });
    appendAudit(ctx.db, { ...auditBy(actor), action: 'import.commit', target: `import:${id}`, counties, before: null, after: written });
    return written;
  });
}

/** Undoes a committed batch as a whole while its sites are unchanged, or discards a preview. */
export function undoBatchNow(ctx: BatchContext, actor: Actor, id: number): UndoCounts {
  return ctx.db.transaction(() => {
    const counties = batchCounties(ctx.db, id);
    refuseOtherCounties(ctx, actor, counties);
    const undone = undoImport(ctx.db, id, actor.username);
    appendAudit(ctx.db, {
      ...auditBy(actor),
      action: `import.${undone.state === 'undone' ? 'undo' : 'discard'}`,
      target: `import:${id}`,
      counties,
      before: null,
      after: undone,
    });
    return undone;
  });
}

/** A preview or a whole-batch write as a message a worker thread can take (a preview's file by its path). */
export type BatchJob =
  | { kind: 'preview'; file: { name: string; path: string }; actor: Actor; options: ImportRequest; today: string }
  | { kind: 'commit'; id: number; actor: Actor; choices: CommitChoices; today: string }
  | { kind: 'undo'; id: number; actor: Actor; today: string }
  /** Starts the thread, opens its connection and loads what a preview reads first (sent when an upload begins). */
  | { kind: 'warm' };

export type BatchResult = ImportPreviewResult | CommitCounts | UndoCounts | null;

export async function runBatchJob(ctx: Pick<ServiceContext, 'db'>, job: BatchJob): Promise<BatchResult> {
  if (job.kind === 'warm') {
    warmPreview(ctx.db);
    return null;
  }
  const on = { db: ctx.db, today: () => job.today };
  switch (job.kind) {
    case 'preview':
      return previewNow({ ...on, locator: locatorOf(ctx.db) }, job.actor, job.file, job.options);
    case 'commit':
      return commitBatchNow(on, job.actor, job.id, job.choices);
    case 'undo':
      return undoBatchNow(on, job.actor, job.id);
  }
}
