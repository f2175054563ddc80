// Judging every row of a ledger table: which columns hold which field, what each row becomes (a new
// site, an update of an existing one, a duplicate, or an error naming the column and why), with
// coordinates converted to WGS84 and places checked against the official lists. Nothing is written
// here; the store stages the result and commits it.
import { categoryForWord, fieldForHeader, normaliseWord, statusForWord, type LedgerField } from '../../domain/ledger-columns.ts';
import type { CategoryCode } from '../../domain/categories.ts';
import type { StatusCode } from '../../domain/statuses.ts';
import { badRequest } from '../errors.ts';
import { CRS_NAMES, inChina, looksSwapped, parseCoordinate, toWgs84Many, type Crs } from '../../domain/coordinates.ts';
import type { CountyLookup } from '../geo/county-grid.ts';
import { duplicateKey, NameIndex } from './name-index.ts';
import { ledgerText, memo, parseLedgerDate, storedAsIs } from './parse-values.ts';
import { MANAGING_ZONES, type PlaceMatch, type PlaceNames } from './place-names.ts';
import type { SourceTable, TableRow } from './read-table.ts';

export const DUPLICATE_HANDLING = ['skip', 'update', 'keep'] as const;
export type DuplicateHandling = (typeof DUPLICATE_HANDLING)[number];
export const OUTCOMES = ['new', 'update', 'duplicate', 'error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export { DUPLICATE_DISTANCE_M } from './name-index.ts';

export interface RowIssue {
  /** The file's header of the column at fault, or null when the row as a whole is. */
  column: string | null;
  code: string;
  message: string;
  value?: string;
}

/** A row as it will be written: what insertSite needs, plus the status the ledger states. */
export interface StagedSite {
  name: string;
  category: CategoryCode;
  address: string | null;
  countyCode: string;
  townshipCode: string | null;
  villageCode: string | null;
  managingZone: string | null;
  lon: number | null;
  lat: number | null;
  precision: 'exact' | 'unlocated';
  discoveredOn: string;
  deadline: string | null;
  responsibleUnit: string | null;
  note: string | null;
  status: StatusCode;
  /** The ledger's own word for the status, kept for the history's note. */
  statusWord: string | null;
}

export interface DuplicateOf {
  /** An existing site in the database… */
  siteId?: number;
  /** …or an earlier row of the same file. */
  row?: number;
  name: string;
  reason: 'near' | 'same_address';
  distanceM?: number;
}

export interface JudgedRow {
  row: number;
  outcome: Outcome;
  name: string | null;
  site: StagedSite | null;
  errors: RowIssue[];
  warnings: RowIssue[];
  duplicateOf: DuplicateOf | null;
}

export interface ExistingSite {
  id: number;
  name: string;
  address: string | null;
  lon: number | null;
  lat: number | null;
}

export interface Column {
  index: number;
  header: string;
  field: LedgerField | null;
}

/** Header → field (or null to ignore the column), as the user sets it; it overrides the recognised headers. */
export type ColumnMapping = Record<string, LedgerField | null>;

/**
 * Which column holds which field: recognised headers (domain/ledger-columns.ts), overridden by the
 * user's mapping. 400 when two columns claim one field, a mapping names a header the file lacks,
 * or the name or category column is missing (the wizard then asks the user to map them).
 */
export function mapColumns(headers: readonly string[], mapping: ColumnMapping = {}): Column[] {
  const known = new Set(headers);
  for (const header of Object.keys(mapping))
    if (!known.has(header))
      throw badRequest('unknown_column', `options.mapping: the file has no column "${header}"; its columns are ${headers.join(', ')}`, {
        field: 'options.mapping',
        column: header,
        headers,
      });
  const columns = headers.map((header, index): Column => ({
    index,
    header,
    field: header in mapping ? mapping[header]! : header === '' ? null : fieldForHeader(header),
  }));
  const byField = new Map<LedgerField, Column>();
  for (const column of columns) {
    if (!column.field) continue;
    const other = byField.get(column.field);
    if (other)
      throw badRequest(
        'mapping_conflict',
        `columns "${other.header}" and "${column.header}" both stand for ${column.field}; map one of them to another field or to nothing (null) in options.mapping`,
        {
          field: 'options.mapping',
          columns: [other.header, column.header],
          target: column.field,
          headers,
        },
      );
    byField.set(column.field, column);
  }
  const missing = (['name', 'category'] as const).filter((field) => !byField.has(field));
  if (missing.length)
    throw badRequest('mapping_incomplete', `no column holds ${missing.join(' and ')}; map one in options.mapping (columns: ${headers.join(', ')})`, {
      field: 'options.mapping',
      missing,
      headers,
      columns,
    });
  if (byField.has('lng') !== byField.has('lat')) {
    const present = byField.has('lng') ? 'lng' : 'lat';
    throw badRequest(
      'mapping_incomplete',
      `a column holds ${present === 'lng' ? 'longitude' : 'latitude'} but none holds ${present === 'lng' ? 'latitude' : 'longitude'}; map both in options.mapping`,
      {
        field: 'options.mapping',
        missing: [present === 'lng' ? 'lat' : 'lng'],
        headers,
        columns,
      },
    );
  }
  return columns;
}

/** What a flagged row becomes under a duplicate handling: matches in the file cannot be updated. */
export function outcomeFor(duplicateOf: DuplicateOf | null, handling: DuplicateHandling): Exclude<Outcome, 'error'> {
  if (!duplicateOf || handling === 'keep') return 'new';
  return handling === 'update' && duplicateOf.siteId !== undefined ? 'update' : 'duplicate';
}

export interface JudgeContext {
  places: PlaceNames;
  locator: CountyLookup;
  countyNames: ReadonlyMap<string, string>;
  existing: readonly ExistingSite[];
  today: string;
  /** A county official's counties: rows elsewhere are errors. Null for roles not bound to counties. */
  allowedCounties: ReadonlySet<string> | null;
}

export interface JudgeOptions {
  crs: Crs | null;
  fixSwapped: boolean;
  duplicates: DuplicateHandling;
}

/** Judges every row. `errors` name the column (its header in the file) and why; nothing is guessed. */
export function judgeRows(table: SourceTable, columns: readonly Column[], options: JudgeOptions, context: JudgeContext): JudgedRow[] {
  return rowJudge(columns, options, context)(table.rows);
}

/** How a place match that is not one place reads in a message. */
const describe = (match: PlaceMatch) => (match && 'ambiguous' in match ? ` (it matches ${match.ambiguous.length} places: ${match.ambiguous.join(', ')})` : '');

/**
 * One row being judged: its cells by field and the issues found so far. Methods, not closures made
 * per row (10^5 rows; under tsx each closure was also renamed by a helper call).
 */
class RowReader {
  /** The row's issues: one shared empty list until the first (most rows have none). */
  errors: RowIssue[] = NO_ISSUES;
  warnings: RowIssue[] = NO_ISSUES;
  constructor(
    private readonly source: TableRow,
    /** The cell index of each field's column (absent: no column). */
    private readonly indexOf: Partial<Record<LedgerField, number>>,
    private readonly header: (field: LedgerField) => string | null,
  ) {}

  value(field: LedgerField): string {
    const index = this.indexOf[field];
    return index === undefined ? '' : (this.source.cells[index] ?? '').trim();
  }

  fail(field: LedgerField | null, code: string, message: string, text?: string): void {
    if (this.errors === NO_ISSUES) this.errors = [];
    this.errors.push({ column: field ? this.header(field) : null, code, message, ...(text !== undefined ? { value: text } : {}) });
  }

  warn(field: LedgerField | null, code: string, message: string, text?: string): void {
    if (this.warnings === NO_ISSUES) this.warnings = [];
    this.warnings.push({ column: field ? this.header(field) : null, code, message, ...(text !== undefined ? { value: text } : {}) });
  }

  /** The API's text rules (domain/text-fields.ts): the same limits and characters refused. */
  text(field: 'name' | 'address' | 'responsibleUnit' | 'note'): string {
    const cell = this.value(field);
    if (storedAsIs(field, cell)) return cell;
    const { stored, problem } = ledgerText(field, cell);
    if (problem) this.fail(field, problem.code, `${this.header(field)} ${problem.message}`, stored.length > 60 ? `${stored.slice(0, 60)}…` : stored);
    return stored;
  }

  dateOf(field: 'discoveredOn' | 'deadline'): string | null {
    const text = this.value(field);
    if (text === '') return null;
    const date = parseLedgerDate(text);
    if (!date) this.fail(field, 'bad_date', `"${text}" is not a date (write it as 2022-03-05 or 2022年3月5日)`, text);
    return date;
  }
}

/** The issue list of a row without any: shared, never written (RowReader makes its own list at the first issue). */
const NO_ISSUES: RowIssue[] = Object.freeze([]) as unknown as RowIssue[];

/** A row read up to its position's conversion to WGS84 (done for a whole batch at once). */
interface ReadRow {
  source: TableRow;
  r: RowReader;
  name: string;
  address: string;
  responsibleUnit: string;
  note: string;
  category: CategoryCode | null;
  status: StatusCode | null;
  statusText: string;
  discoveredOn: string | null;
  deadline: string | null;
  lngText: string;
  latText: string;
  /** The position as read (in `crs`), to be converted; null when there is none or it failed a check. */
  point: [number, number] | null;
}

/**
 * A judge of batches of rows, one batch after another (in file order): it remembers the rows it has
 * seen, so a later row is flagged as repeating an earlier one. Each batch's positions are converted
 * to WGS84 in one call (toWgs84Many), between reading its rows and placing them.
 */
export function rowJudge(columns: readonly Column[], options: JudgeOptions, context: JudgeContext): (rows: readonly TableRow[]) => JudgedRow[] {
  const columnOf = new Map<LedgerField, Column>();
  for (const column of columns) if (column.field) columnOf.set(column.field, column);
  const header = (field: LedgerField) => columnOf.get(field)?.header ?? null;
  const indexOf: Partial<Record<LedgerField, number>> = {};
  for (const [field, column] of columnOf) indexOf[field] = column.index;
  const placeColumns = new Set([header('lng'), header('lat'), header('county'), header('township')]);
  // Words of columns with few distinct values, looked up once each.
  const categoryOf = memo(categoryForWord);
  const statusOf = memo(statusForWord);
  const countyOf = memo((text: string) => {
    const zone = MANAGING_ZONES[normaliseWord(text)];
    return zone ? { zone, match: null } : { zone: null, match: context.places.county(text) };
  });

  const existingIndex = new NameIndex();
  for (const site of context.existing)
    existingIndex.add(duplicateKey(site.name), {
      id: site.id,
      name: site.name,
      address: site.address ? duplicateKey(site.address) : '',
      lon: site.lon,
      lat: site.lat,
    });
  const fileIndex = new NameIndex();

  const read = (source: TableRow): ReadRow => {
    const r = new RowReader(source, indexOf, header);

    const name = r.text('name');
    if (name === '') r.fail('name', 'required', 'the name is empty');
    const address = r.text('address');
    const responsibleUnit = r.text('responsibleUnit');
    const note = r.text('note');

    const categoryText = r.value('category');
    const category = categoryText === '' ? null : categoryOf(categoryText);
    if (categoryText === '') r.fail('category', 'required', 'the category is empty');
    else if (!category) r.fail('category', 'unknown_category', `"${categoryText}" is not a category we know (e.g. 散乱污企业, 砂石料场, 商混站)`, categoryText);

    const statusText = r.value('status');
    const status = statusText === '' ? 'discovered' : statusOf(statusText);
    if (!status) r.fail('status', 'unknown_status', `"${statusText}" is not a status we know (e.g. 整改中, 已取缔, 已验收销号)`, statusText);

    let discoveredOn = r.dateOf('discoveredOn');
    if (discoveredOn && discoveredOn > context.today) {
      r.fail('discoveredOn', 'future_date', `${discoveredOn} is in the future (today is ${context.today})`, r.value('discoveredOn'));
      discoveredOn = null;
    }
    if (!discoveredOn && r.value('discoveredOn') === '') {
      r.warn('discoveredOn', 'no_date', `no date found; recorded as found on the import date ${context.today}`);
      discoveredOn = context.today;
    }
    const deadline = r.dateOf('deadline');

    if (source.geometryProblem) r.fail(null, 'not_a_point', source.geometryProblem);

    // Position: parsed, checked for swapped columns; converted to WGS84 with the batch's (place).
    let point: [number, number] | null = null;
    const lngText = r.value('lng');
    const latText = r.value('lat');
    if (lngText !== '' || latText !== '') {
      const lngValue = lngText === '' ? null : parseCoordinate(lngText);
      const latValue = latText === '' ? null : parseCoordinate(latText);
      if (lngText === '') r.fail('lng', 'required', 'latitude is given but longitude is empty');
      else if (lngValue === null) r.fail('lng', 'bad_coordinate', `"${lngText}" is not a longitude (decimal degrees like 114.025 or 114°01′30″)`, lngText);
      if (latText === '') r.fail('lat', 'required', 'longitude is given but latitude is empty');
      else if (latValue === null) r.fail('lat', 'bad_coordinate', `"${latText}" is not a latitude (decimal degrees like 33.575 or 33°34′30″)`, latText);
      if (lngValue !== null && latValue !== null) {
        let [x, y] = [lngValue, latValue];
        let swapped = false;
        if (looksSwapped(x, y)) {
          if (options.fixSwapped) {
            [x, y] = [y, x];
            r.warn('lng', 'swapped_fixed', `longitude ${lngText} and latitude ${latText} were swapped; read as ${x}, ${y}`, `${lngText}, ${latText}`);
          } else {
            swapped = true;
            r.fail(
              'lng',
              'swapped',
              `longitude ${lngText} and latitude ${latText} look swapped; import with "fix swapped coordinates" to swap them`,
              `${lngText}, ${latText}`,
            );
          }
        }
        if (!swapped) {
          if (Math.abs(x) > 180 || Math.abs(y) > 90)
            r.fail('lng', 'bad_coordinate', `${lngText}, ${latText} is not a position on Earth`, `${lngText}, ${latText}`);
          else if (!inChina(x, y)) r.fail('lng', 'outside_china', `${lngText}, ${latText} lies outside China`, `${lngText}, ${latText}`);
          else if (!options.crs) r.fail('lng', 'crs_required', 'state the coordinate system (WGS84, GCJ-02 or BD-09) to import positions');
          else point = [x, y];
        }
      }
    }
    return { source, r, name, address, responsibleUnit, note, category, status, statusText, discoveredOn, deadline, lngText, latText, point };
  };

  /** The rest of a row's judgement, given its position in WGS84 (when it has one). */
  const place = (row: ReadRow, wgs84: readonly [number, number] | null): JudgedRow => {
    const { source, r, name, address, responsibleUnit, note, category, status, statusText, discoveredOn, deadline, lngText, latText } = row;
    // Located in a county.
    let lon: number | null = null;
    let lat: number | null = null;
    let locatedCounty: string | null = null;
    if (wgs84) {
      lon = Math.round(wgs84[0] * 1e7) / 1e7;
      lat = Math.round(wgs84[1] * 1e7) / 1e7;
      locatedCounty = context.locator.locate(lon, lat);
      if (!locatedCounty) {
        r.fail(
          'lng',
          'outside_luohe',
          `${lngText}, ${latText} (${CRS_NAMES[options.crs!]}) lies outside Luohe's counties; check the coordinates and their system`,
          `${lngText}, ${latText}`,
        );
        lon = lat = null;
      }
    }

    // Places: the county from the position when there is one, else from the county column or the township.
    const countyText = r.value('county');
    const townshipText = r.value('township');
    const villageText = r.value('village');
    let managingZone: string | null = null;
    let declaredCounty: string | null = null;
    if (countyText !== '') {
      const { zone, match } = countyOf(countyText);
      if (zone) managingZone = zone;
      else {
        if (match && 'code' in match) declaredCounty = match.code;
        else
          r.fail(
            'county',
            'unknown_county',
            `"${countyText}" is not one of Luohe's counties (源汇区, 郾城区, 召陵区, 舞阳县, 临颍县)${describe(match)}`,
            countyText,
          );
      }
    }
    const located = lon !== null;
    let countyCode = locatedCounty ?? declaredCounty;
    if (locatedCounty && declaredCounty && locatedCounty !== declaredCounty)
      r.warn(
        'county',
        'county_mismatch',
        `the position lies in ${context.countyNames.get(locatedCounty)}, not in ${context.countyNames.get(declaredCounty)} as the ledger says; the site goes to ${context.countyNames.get(locatedCounty)}`,
        countyText,
      );
    let townshipCode: string | null = null;
    if (townshipText !== '') {
      const match = context.places.township(countyCode, townshipText);
      if (match && 'code' in match) {
        townshipCode = match.code;
        countyCode ??= context.places.countyOfTownship(match.code);
      } else {
        const where = countyCode ? ` of ${context.countyNames.get(countyCode)}` : '';
        r.fail('township', 'unknown_township', `"${townshipText}" is not a township${where} in the official list${describe(match)}`, townshipText);
      }
    }
    let villageCode: string | null = null;
    if (villageText !== '' && countyCode) {
      const match = context.places.village(countyCode, townshipCode, villageText);
      if (match && 'code' in match) {
        villageCode = match.code;
        townshipCode ??= context.places.townshipOfVillage(match.code);
      } else {
        const where = townshipCode ? `of this township` : `of ${context.countyNames.get(countyCode)}`;
        r.fail(
          'village',
          match ? 'ambiguous_village' : 'unknown_village',
          match
            ? `"${villageText}" names several villages ${where}; give the township too${describe(match)}`
            : `"${villageText}" is not a village ${where} in the official list`,
          villageText,
        );
      }
    }
    if (!located && !countyCode && !r.errors.some((e) => e.column !== null && placeColumns.has(e.column)))
      r.fail(null, 'no_place', 'the row has neither coordinates nor a county or township we know, so it cannot be placed even as unlocated');

    if (countyCode && context.allowedCounties && !context.allowedCounties.has(countyCode))
      r.fail(
        locatedCounty ? 'lng' : 'county',
        'not_your_county',
        `the row lies in ${context.countyNames.get(countyCode)}, outside the counties you may write in`,
        context.countyNames.get(countyCode),
      );
    if (r.errors.length)
      return { row: source.row, outcome: 'error', name: name || null, site: null, errors: r.errors, warnings: r.warnings, duplicateOf: null };

    const site: StagedSite = {
      name,
      category: category!,
      address: address || null,
      countyCode: countyCode!,
      townshipCode,
      villageCode,
      managingZone,
      lon,
      lat,
      precision: located ? 'exact' : 'unlocated',
      discoveredOn: discoveredOn!,
      deadline,
      responsibleUnit: responsibleUnit || null,
      note: note || null,
      status: status!,
      statusWord: statusText || null,
    };

    const key = duplicateKey(name);
    const me = { id: source.row, name, address: site.address ? duplicateKey(site.address) : '', lon, lat };
    const inDb = existingIndex.match(key, me);
    // The row joins the file's index after it is searched (a row never matches itself).
    const inFile = fileIndex.matchAndAdd(key, me, !inDb);
    const found = inDb ?? inFile;
    const duplicateOf: DuplicateOf | null = found
      ? {
          ...(inDb ? { siteId: found.id } : { row: found.id }),
          name: found.name,
          reason: found.reason,
          ...(found.distanceM !== undefined ? { distanceM: found.distanceM } : {}),
        }
      : null;
    return { row: source.row, outcome: outcomeFor(duplicateOf, options.duplicates), name, site, errors: r.errors, warnings: r.warnings, duplicateOf };
  };

  return (rows) => {
    const read_ = rows.map(read);
    const points = read_.flatMap((row) => (row.point ? [row.point] : []));
    // A point is set only with a coordinate system (else the row failed with crs_required).
    const wgs84 = points.length ? toWgs84Many(options.crs!, points) : [];
    let next = 0;
    return read_.map((row) => place(row, row.point ? wgs84[next++]! : null));
  };
}
