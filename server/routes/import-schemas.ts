// The contract of /api/imports (ledger import): upload options, the preview, commit and undo.
import { z } from '@hono/zod-openapi';
import { LEDGER_FIELDS } from '../../domain/ledger-columns.ts';
import { DUPLICATE_HANDLING, OUTCOMES } from '../import/judge-rows.ts';
import { CRS_CODES } from '../../domain/coordinates.ts';
import { IMPORT_FORMATS } from '../import/read-table.ts';

const LedgerField = z.enum(LEDGER_FIELDS).openapi('LedgerField');
const Handling = z.enum(DUPLICATE_HANDLING).openapi('DuplicateHandling', {
  description: 'skip: leave the row out; update: bring the existing site in line with the row (database matches only); keep: import it as another site.',
});
const Mapping = z
  .record(z.string(), LedgerField.nullable())
  .openapi('ColumnMapping', { description: 'The file’s header → a ledger field, or null to ignore the column. Overrides the recognised headers.' });

export const ImportOptions = z
  .object({
    crs: z.enum(CRS_CODES).optional().openapi({
      description: 'The coordinate system of the file’s positions: wgs84 (GPS), gcj02 (Amap, Tencent) or bd09 (Baidu). Required when the file has coordinates.',
    }),
    sheet: z.string().optional().openapi({ description: 'XLSX: the sheet to read (default: the first with data).' }),
    mapping: Mapping.optional(),
    mappingName: z.string().optional().openapi({ description: 'A saved mapping to start from (options.mapping overrides it).' }),
    duplicates: Handling.optional().openapi({ description: 'How flagged duplicates will be handled (default skip); the commit may change it.' }),
    fixSwapped: z.boolean().optional().openapi({ description: 'Swap longitude and latitude where they are evidently swapped.' }),
  })
  .strict()
  .openapi('ImportOptions');

export const ImportUpload = z
  .object({
    file: z.any().openapi({
      type: 'string',
      format: 'binary',
      description: 'The ledger: .csv (UTF-8 or GB18030/GBK), .xlsx, .geojson/.json, .kml or .kmz; at most 50 MB and 200,000 rows.',
    }),
    options: z.string().optional().openapi({ description: 'ImportOptions as JSON text.', example: '{"crs":"gcj02"}' }),
  })
  .openapi('ImportUpload');

const Issue = z
  .object({
    column: z.string().nullable().openapi({ description: 'The file’s header of the column at fault; null for the row as a whole.' }),
    code: z.string().openapi({ example: 'bad_date' }),
    message: z.string(),
    value: z.string().optional(),
  })
  .openapi('ImportIssue');

const DuplicateOf = z
  .object({
    siteId: z.number().int().optional(),
    row: z.number().int().optional(),
    name: z.string(),
    reason: z.enum(['near', 'same_address']),
    distanceM: z.number().optional(),
  })
  .openapi('ImportDuplicateOf');

const Counts = z
  .object({
    rows: z.number().int(),
    new: z.number().int(),
    update: z.number().int(),
    duplicate: z.number().int(),
    error: z.number().int(),
    warnings: z.number().int(),
  })
  .openapi('ImportCounts');

export const ImportPreview = z
  .object({
    id: z.number().int(),
    fileName: z.string(),
    format: z.enum(IMPORT_FORMATS),
    encoding: z.string().nullable(),
    sheets: z.array(z.string()),
    sheet: z.string().nullable(),
    columns: z.array(z.object({ index: z.number().int(), header: z.string(), field: LedgerField.nullable() })),
    counts: Counts,
    suggestions: z.object({ fixSwapped: z.boolean() }),
    expiresAt: z.string(),
    rows: z
      .array(
        z.object({
          row: z.number().int(),
          outcome: z.enum(OUTCOMES),
          name: z.string().nullable(),
          errors: z.array(Issue),
          warnings: z.array(Issue),
          duplicateOf: DuplicateOf.nullable(),
        }),
      )
      .openapi({
        description:
          'The file’s first 500 rows and its first 500 rows needing a look (errors, duplicates, updates, warnings), in file order; counts cover every row.',
      }),
    problemRows: z.number().int().openapi({ description: 'Rows needing a look in the whole file.' }),
  })
  .openapi('ImportPreview');

export const CommitBody = z
  .object({
    duplicates: Handling.optional(),
    rows: z
      .record(z.string().regex(/^\d+$/, 'is not a row number'), Handling)
      .optional()
      .openapi({ description: 'Per flagged row (the file’s row number): overrides `duplicates`.' }),
  })
  .strict()
  .openapi('ImportCommit');

export const CommitResult = z
  .object({ id: z.number().int(), created: z.number().int(), updated: z.number().int(), skipped: z.number().int(), errors: z.number().int() })
  .openapi('ImportCommitResult');

export const UndoBody = z.object({}).strict().openapi('ImportUndo', { description: 'Empty: the signed-in user undoes.' });
export const UndoResult = z
  .object({ id: z.number().int(), state: z.enum(['undone', 'discarded']), removed: z.number().int(), restored: z.number().int() })
  .openapi('ImportUndoResult');

export const ImportBatch = z
  .object({
    id: z.number().int(),
    fileName: z.string(),
    format: z.enum(IMPORT_FORMATS),
    state: z.enum(['preview', 'committed', 'undoing', 'undone', 'discarded']),
    counts: z.record(z.string(), z.number()),
    createdBy: z.string(),
    createdAt: z.string(),
    committedBy: z.string().nullable(),
    committedAt: z.string().nullable(),
    undoneBy: z.string().nullable(),
    undoneAt: z.string().nullable(),
    undoable: z.boolean(),
  })
  .openapi('ImportBatch');

export const SavedMapping = z
  .object({ id: z.number().int(), name: z.string(), mapping: Mapping, createdBy: z.string(), createdAt: z.string() })
  .openapi('SavedColumnMapping');
export const NewMappingBody = z
  .object({ name: z.string().trim().min(1).max(100), mapping: Mapping })
  .strict()
  .openapi('NewColumnMapping');
export const ImportIdParam = z.object({
  id: z
    .string()
    .regex(/^\d+$/, 'is not an import id')
    .openapi({ param: { name: 'id', in: 'path' }, example: '3' }),
});
