// Previewing a ledger: read the file, map its columns, judge every row and stage them as a preview
// (kept 24 h for its commit); nothing is written to sites. It runs where server/services/import-pool.ts
// puts it: on the import worker thread (its own connection, the upload read from its temporary file)
// for a database file, on the request thread for ':memory:'.
import type { Crs } from '../../domain/coordinates.ts';
import { COUNTY_SCOPED_ROLES } from '../../domain/roles.ts';
import { CountyGrid, type CountyLookup } from '../geo/county-grid.ts';
import { AppError } from '../errors.ts';
import { appendAudit } from '../auth/audit.ts';
import { rowJudge, mapColumns, type Column, type ColumnMapping, type DuplicateHandling, type JudgedRow } from '../import/judge-rows.ts';
import { PlaceNames } from '../import/place-names.ts';
import { yieldToOthers } from '../import/event-loop.ts';
import { openTable, type ImportFormat, type SourceTable } from '../import/read-table.ts';
import { bytesSource, fileSource } from '../import/read-csv.ts';
import type { Db } from '../db/database.ts';
import { countyNames, countyPolygons, placeLists } from '../store/county-store.ts';
import {
  existingSites,
  mappingByName,
  previewCounts,
  previewExpiresAt,
  purgeExpiredPreviews,
  stageRows,
  openStaging,
  publishPreview,
  dropStaging,
  type Counts,
} from '../store/import-store.ts';
import { auditBy, type Actor, type ServiceContext } from './service-context.ts';

/** The options of an upload (ImportOptions in server/routes/import-schemas.ts). */
export interface ImportRequest {
  crs?: Crs;
  sheet?: string;
  mapping?: ColumnMapping;
  mappingName?: string;
  duplicates?: DuplicateHandling;
  fixSwapped?: boolean;
}

export interface ImportPreviewResult {
  id: number;
  fileName: string;
  format: ImportFormat;
  encoding: SourceTable['encoding'];
  sheets: string[];
  sheet: string | null;
  columns: Column[];
  counts: Counts;
  suggestions: { fixSwapped: boolean };
  expiresAt: string;
  /** The file's first PREVIEW_ROWS rows and its first PREVIEW_ROWS rows needing a look, in file order (the counts cover all). */
  rows: PreviewRow[];
  /** Rows needing a look in the whole file: errors, duplicates, updates, warnings. */
  problemRows: number;
}

type PreviewRow = Pick<JudgedRow, 'row' | 'outcome' | 'name' | 'errors' | 'warnings' | 'duplicateOf'>;

/**
 * The preview answer lists at most this many of the file's first rows and as many of its rows needing
 * a look (the page lists 500); the rest stay staged for the commit, so the answer does not grow with the file.
 */
export const PREVIEW_ROWS = 500;

const needsLook = (row: PreviewRow) => row.outcome !== 'new' || row.warnings.length > 0;

// The official place lists change only with `npm run geodata`, which restarts the server.
const lists = new WeakMap<Db, { places: PlaceNames; countyNames: ReadonlyMap<string, string> }>();
function placesOf(db: Db) {
  let held = lists.get(db);
  if (!held) lists.set(db, (held = { places: new PlaceNames(placeLists(db)), countyNames: countyNames(db) }));
  return held;
}

/** An uploaded file: its bytes, or the temporary file the upload was streamed to. */
export type UploadedFile = { name: string; bytes: Uint8Array } | { name: string; path: string };

/** The county lookup of a preview on this connection: CountyLocator's answers, most of them from a grid (server/geo/county-grid.ts). */
const locators = new WeakMap<Db, CountyGrid>();
export function locatorOf(db: Db): CountyGrid {
  let locator = locators.get(db);
  if (!locator) locators.set(db, (locator = new CountyGrid(countyPolygons(db))));
  return locator;
}

/** Loads what every preview on this connection reads first (place lists, county polygons): the import thread's warm-up. */
export function warmPreview(db: Db): void {
  placesOf(db);
  locatorOf(db);
}

/** Reads a ledger, judges every row and stages them as a preview (kept 24 h); nothing is written to sites. */
export async function previewNow(
  ctx: Pick<ServiceContext, 'db' | 'today'> & { locator: CountyLookup },
  actor: Actor,
  file: UploadedFile,
  options: ImportRequest,
): Promise<ImportPreviewResult> {
  // A CSV is read from its file slice by slice; the other formats whole.
  const source = 'bytes' in file ? bytesSource(file.bytes) : fileSource(file.path);
  try {
    const table = await openTable(source, file.name, { sheet: options.sheet });
    const mapping = { ...(options.mappingName ? mappingByName(ctx.db, options.mappingName) : {}), ...options.mapping };
    let columns;
    try {
      columns = mapColumns(table.headers, mapping);
    } catch (error) {
      // The wizard offers the other sheets when the one read holds no ledger.
      if (error instanceof AppError)
        throw new AppError(error.status, error.code, error.message, { ...error.details, sheets: table.sheets, sheet: table.sheet });
      throw error;
    }
    const { places, countyNames } = placesOf(ctx.db);
    const options_ = { crs: options.crs ?? null, fixSwapped: options.fixSwapped ?? false, duplicates: options.duplicates ?? 'skip' } as const;
    const judge = rowJudge(columns, options_, {
      places,
      locator: ctx.locator,
      countyNames,
      existing: existingSites(ctx.db),
      today: ctx.today(),
      allowedCounties: COUNTY_SCOPED_ROLES.has(actor.role) ? new Set(actor.counties) : null,
    });
    const now = new Date().toISOString();
    purgeExpiredPreviews(ctx.db, now);
    const storedOptions = { ...options_, sheet: table.sheet, mapping, encoding: table.encoding };
    // Judged and staged JUDGE_BATCH rows at a time, each batch its own short transaction, the event
    // loop free in between (other requests answer); the batch becomes a preview only at the end.
    const id = openStaging(ctx.db, { fileName: file.name, format: table.format, options: storedOptions }, actor.username, now);
    const first: PreviewRow[] = [];
    const problems: PreviewRow[] = [];
    let problemRows = 0;
    const counts: Counts = previewCounts([]);
    let fixSwapped = false;
    try {
      // Each batch is read, judged and staged in turn: the file's cells do not outlive their rows.
      for await (const read of table.batches) {
        const batch = judge(read);
        stageRows(ctx.db, id, batch);
        for (const [key, value] of Object.entries(previewCounts(batch)) as [keyof Counts, number][]) counts[key] += value;
        for (const r of batch) {
          // The answer's copy of a row is made only for a row it names (not for each of 10^5 rows).
          const inFirst = first.length < PREVIEW_ROWS;
          const look = needsLook(r);
          if (inFirst || (look && problemRows < PREVIEW_ROWS)) {
            const shown = { row: r.row, outcome: r.outcome, name: r.name, errors: r.errors, warnings: r.warnings, duplicateOf: r.duplicateOf };
            if (inFirst) first.push(shown);
            else problems.push(shown);
          }
          if (look) problemRows++;
          if (r.errors.length) fixSwapped ||= r.errors.some((e) => e.code === 'swapped');
        }
        await yieldToOthers();
      }
    } catch (error) {
      dropStaging(ctx.db, id);
      throw error;
    }
    ctx.db.transaction(() => {
      publishPreview(ctx.db, id, counts);
      appendAudit(ctx.db, {
        ...auditBy(actor),
        action: 'import.preview',
        target: `import:${id}`,
        counties: [],
        before: null,
        after: { fileName: file.name, counts },
      });
    });
    return {
      id,
      fileName: file.name,
      format: table.format,
      encoding: table.encoding,
      sheets: table.sheets,
      sheet: table.sheet,
      columns,
      counts,
      suggestions: { fixSwapped },
      expiresAt: previewExpiresAt(ctx.db, id),
      // Both lists are in file order and the second starts past the first where they overlap.
      rows: [...first, ...problems],
      problemRows,
    };
  } finally {
    source.close();
  }
}
