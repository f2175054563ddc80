// Use cases of the ledger import: preview a file (server/services/import-preview.ts), commit a
// preview as one batch, undo a batch (or discard a preview), save a column mapping. Each write and
// its audit record are one transaction; a commit or undo first checks every county the batch
// writes against the actor's.
import { appendAudit } from '../auth/audit.ts';
import { databaseFile } from '../db/threads.ts';
import { saveMapping, type CommitCounts, type SavedMapping } from '../store/import-store.ts';
import type { CommitChoices } from '../store/import-commit.ts';
import type { UndoCounts } from './import-batches.ts';
import { previewNow, type ImportPreviewResult, type ImportRequest, type UploadedFile } from './import-preview.ts';
import { runBatch } from './import-pool.ts';

export { warmImportThread } from './import-pool.ts';
import { auditBy, type Actor, type ServiceContext } from './service-context.ts';

export { PREVIEW_ROWS, type ImportPreviewResult, type ImportRequest } from './import-preview.ts';

/**
 * Reads a ledger, judges every row and stages them as a preview (kept 24 h); nothing is written to
 * sites. An upload kept in a temporary file is read on the import thread (the request thread never
 * holds the file, its rows or the duplicate index); bytes, or an in-memory database, here.
 */
export async function previewImport(ctx: ServiceContext, actor: Actor, file: UploadedFile, options: ImportRequest): Promise<ImportPreviewResult> {
  if ('path' in file && databaseFile(ctx.db))
    return (await runBatch(ctx.db, { kind: 'preview', file, actor, options, today: ctx.today() })) as ImportPreviewResult;
  return previewNow(ctx, actor, file, options);
}

/**
 * Writes a previewed import as one batch (rows with errors left out; any failure writes nothing), on
 * the import thread: the request waits for its answer while the server answers others.
 */
export async function commitImportBatch(ctx: ServiceContext, actor: Actor, id: number, choices: CommitChoices): Promise<CommitCounts> {
  return (await runBatch(ctx.db, { kind: 'commit', id, actor, choices, today: ctx.today() })) as CommitCounts;
}

/** Undoes a committed batch as a whole while its sites are unchanged, or discards a preview (on the import thread). */
export async function undoImportBatch(ctx: ServiceContext, actor: Actor, id: number): Promise<UndoCounts> {
  return (await runBatch(ctx.db, { kind: 'undo', id, actor, today: ctx.today() })) as UndoCounts;
}

/** Saves a column mapping under a name (replacing one of the same name). */
export function saveColumnMapping(ctx: ServiceContext, actor: Actor, name: string, mapping: SavedMapping['mapping']): SavedMapping {
  return ctx.db.transaction(() => {
    const saved = saveMapping(ctx.db, name, mapping, actor.username);
    appendAudit(ctx.db, { ...auditBy(actor), action: 'import.mapping', target: `import-mapping:${saved.id}`, counties: [], before: null, after: saved });
    return saved;
  });
}
