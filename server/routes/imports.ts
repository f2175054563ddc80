// /api/imports: ledgers (台账) in. Upload a file → a preview of every row's outcome (nothing written)
// → commit it as one batch → undo the batch as a whole while its sites are unchanged. Saved column
// mappings under /api/imports/mappings.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import { AppError, badRequest } from '../errors.ts';
import { MAX_IMPORT_BYTES } from '../import/read-table.ts';
import { listImports, listMappings } from '../store/import-store.ts';
import { commitImportBatch, previewImport, saveColumnMapping, undoImportBatch, warmImportThread } from '../services/imports.ts';
import { actorOf } from './actor.ts';
import { streamedUpload, uploadedPath } from './import-upload.ts';
import {
  CommitBody,
  CommitResult,
  ImportBatch,
  ImportIdParam,
  ImportOptions,
  ImportPreview,
  ImportUpload,
  NewMappingBody,
  SavedMapping,
  UndoBody,
  UndoResult,
} from './import-schemas.ts';
import { errorResponses, jsonContent as json } from './schemas.ts';
import { describeIssues, validationHook } from './validation.ts';

export const fileTooLarge = () =>
  new AppError(413, 'body_too_large', `a file may be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split larger ledgers into several files`, {
    field: 'file',
    limit: MAX_IMPORT_BYTES,
  });

function parseOptions(text: unknown): z.infer<typeof ImportOptions> {
  if (text === undefined || text === '') return {};
  if (typeof text !== 'string')
    throw badRequest('bad_field', 'options: send the options as JSON text in the form field "options"', {
      field: 'options',
      reason: 'wrong_type',
      expected: 'JSON',
    });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badRequest('bad_field', 'options: is not valid JSON', { field: 'options', reason: 'not_json' });
  }
  const result = ImportOptions.safeParse(json);
  if (!result.success) {
    const issues = describeIssues(result.error, 'options').map((issue) => ({ ...issue, field: `options.${issue.field}` }));
    throw badRequest('bad_field', `${issues[0]!.field}: ${issues[0]!.message}`, { ...issues[0]!, issues });
  }
  return result.data;
}

export function importRoutes(ctx: AppContext) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'post',
        path: '/imports',
        operationId: 'uploadImport',
        // The import thread starts while the file arrives (warmImportThread), not after it.
        middleware: [
          async (_c, next) => {
            warmImportThread(ctx.db);
            await next();
          },
          streamedUpload(fileTooLarge),
        ] as const,
        tags: ['imports'],
        summary: 'Upload a ledger and preview every row’s outcome (nothing is written)',
        description:
          'Multipart form: `file` (CSV in UTF-8 or GB18030/GBK, XLSX, GeoJSON, KML, KMZ; ≤ 50 MB, ≤ 200,000 rows, else 413) and `options` (ImportOptions as JSON). Each row comes out new, update, duplicate (same normalised name within 200 m, or same name and address, in the database or earlier in the file) or error (column and why). The preview is kept 24 hours for POST /imports/{id}/commit.',
        request: { body: { required: true, content: { 'multipart/form-data': { schema: ImportUpload } } } },
        responses: { 201: json(ImportPreview, 'The preview.'), ...errorResponses(400, 413) },
      }),
      async (c) => {
        const form = c.req.valid('form') as { file?: unknown; options?: unknown };
        const file = form.file;
        if (!(file instanceof File))
          throw badRequest('bad_field', 'file: send the ledger as the multipart form field "file"', { field: 'file', reason: 'required' });
        if (file.size > MAX_IMPORT_BYTES) throw fileTooLarge();
        const options = parseOptions(form.options);
        const path = uploadedPath(file);
        const upload = path ? { name: file.name, path } : { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
        const preview = await previewImport(ctx, actorOf(c), upload, options);
        return c.json(preview, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/imports/{id}/commit',
        operationId: 'commitImport',
        tags: ['imports'],
        summary: 'Write a previewed import as one batch',
        description:
          'All accepted rows in one transaction: new sites (source real; exact with coordinates, unlocated without), the ledger’s status recorded as stated (not as a checked move), updates for duplicates chosen so. Rows with errors are left out. Any failure writes nothing.',
        request: { params: ImportIdParam, body: { required: false, content: { 'application/json': { schema: CommitBody } } } },
        responses: { 200: json(CommitResult, 'What was written.'), ...errorResponses(400, 404, 409, 413, 415, 500) },
      }),
      async (c) => {
        const id = Number(c.req.valid('param').id);
        const body = c.req.valid('json') ?? {};
        const counts = await commitImportBatch(ctx, actorOf(c), id, { duplicates: body.duplicates, rows: body.rows });
        return c.json({ id, ...counts }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/imports/{id}',
        operationId: 'discardImport',
        tags: ['imports'],
        summary: 'Undo a committed import as a whole, or discard a preview',
        description:
          'Deletes the sites the batch created and the history it wrote, restores the sites it updated — refused (409, listing them) when any of them changed since the commit.',
        request: { params: ImportIdParam, body: { required: false, content: { 'application/json': { schema: UndoBody } } } },
        responses: { 200: json(UndoResult, 'Undone or discarded.'), ...errorResponses(400, 404, 409, 415) },
      }),
      async (c) => {
        const id = Number(c.req.valid('param').id);
        const result = await undoImportBatch(ctx, actorOf(c), id);
        return c.json({ id, ...result }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/imports',
        operationId: 'listImports',
        tags: ['imports'],
        summary: 'Import batches, newest first (who, when, file, counts, whether undo is possible)',
        responses: { 200: json(z.array(ImportBatch), 'The batches.') },
      }),
      (c) => c.json(listImports(ctx.db), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/imports/mappings',
        operationId: 'listImportMappings',
        tags: ['imports'],
        summary: 'Saved column mappings',
        responses: { 200: json(z.array(SavedMapping), 'The mappings, by name.') },
      }),
      (c) => c.json(listMappings(ctx.db), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/imports/mappings',
        operationId: 'saveImportMapping',
        tags: ['imports'],
        summary: 'Save a column mapping under a name (replaces one of the same name)',
        request: { body: { required: true, content: { 'application/json': { schema: NewMappingBody } } } },
        responses: { 201: json(SavedMapping, 'The saved mapping.'), ...errorResponses(400, 413, 415) },
      }),
      (c) => {
        const body = c.req.valid('json');
        const saved = saveColumnMapping(ctx, actorOf(c), body.name, body.mapping);
        return c.json(saved, 201);
      },
    );
}
