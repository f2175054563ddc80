// The API contract: zod schemas that validate requests and generate /api/openapi.json.
import { z } from '@hono/zod-openapi';
import { CATEGORY_CODES, MANAGING_ZONES, SECTOR_CODES } from '../../domain/categories.ts';
import { isIsoDate, param, parseCategories, parseRoadStatuses } from './query-params.ts';
import { normaliseText, TEXT_LIMITS, textProblem, type LimitedTextField } from '../../domain/text-fields.ts';
import { PRECISIONS, ROAD_SEVERITIES, ROAD_STATUS_CODES, SOURCES, STATUS_CODES } from '../../domain/statuses.ts';
import { TASK_STATES } from '../../domain/task-states.ts';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'bad_parameter' }),
      message: z.string().openapi({ example: 'bbox: minLon must not exceed maxLon' }),
      details: z.record(z.string(), z.unknown()).openapi({ description: 'What the message is about: the parameter or field, allowed moves, missing items…' }),
    }),
  })
  .openapi('Error');

export const errorResponses = (...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500)[]) =>
  Object.fromEntries(statuses.map((status) => [status, { description: ERROR_DESCRIPTIONS[status], content: { 'application/json': { schema: ErrorSchema } } }]));

const ERROR_DESCRIPTIONS = {
  400: 'A parameter or body field is malformed; the message names it and says why.',
  401: 'Not signed in, or the session has ended.',
  403: 'Signed in, but the role or the assigned counties do not allow this (or the CSRF token is missing).',
  429: 'Too many failed sign-ins; Retry-After says when to try again.',
  404: 'No such record.',
  409: 'Conflict: a stale version, or a status move the lifecycle does not allow.',
  413: 'The request body is too large.',
  415: 'The body is not JSON (send content-type: application/json).',
  422: 'Well-formed but refused: e.g. a closure without the full 两断三清 checklist, a date before the last event.',
  500: 'The server failed; nothing was written (the message says what failed).',
} as const;

/** A JSON response of `schema` (generic, so the typed client keeps the schema's type). */
export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(isIsoDate, 'is not a calendar date');

export const Category = z.enum(CATEGORY_CODES).openapi('Category');
export const Sector = z.enum(SECTOR_CODES).openapi('Sector');
export const Status = z.enum(STATUS_CODES).openapi('Status');
export const RoadStatus = z.enum(ROAD_STATUS_CODES).openapi('RoadStatus');
export const Severity = z.enum(ROAD_SEVERITIES).openapi('RoadSeverity');

const Point = z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) });
/** A WGS84 position: two numbers, longitude −180…180 and latitude −90…90. */
export const Position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
/** A road segment may have at most this many positions. */
export const MAX_LINE_VERTICES = 5000;
const LineString = z
  .object({
    type: z.literal('LineString'),
    coordinates: z.array(Position).min(2).max(MAX_LINE_VERTICES),
  })
  .openapi('LineString', { description: 'WGS84 longitude/latitude positions, at least two.' });

export const SiteProperties = z
  .object({
    id: z.number().int(),
    name: z.string(),
    category: Category,
    sector: Sector.nullable(),
    status: Status.openapi({ description: 'Status now, or on `asOf` when given.' }),
    county: z.string().openapi({ description: 'GB/T 2260 code of the county-level unit whose polygon holds the site.' }),
    countyName: z.string(),
    township: z.string().nullable().openapi({ description: 'NBS 2023 township code.' }),
    townshipName: z.string().nullable(),
    village: z.string().nullable(),
    villageName: z.string().nullable(),
    address: z.string().nullable(),
    managingZone: z.string().nullable(),
    precision: z.enum(PRECISIONS).openapi({ description: 'exact; approximate (known to village level); unlocated (no position yet).' }),
    source: z.enum(SOURCES).openapi({ description: 'real: from the plan or an official ledger; demo: generated demonstration data.' }),
    discoveredOn: isoDate,
    deadline: z.string().nullable(),
    responsibleUnit: z.string().nullable(),
    updatedAt: z.string(),
    version: z.number().int().openapi({ description: 'Send it back with PATCH; a stale version gets 409.' }),
  })
  .openapi('SiteProperties');

export const SiteFeature = z
  .object({ type: z.literal('Feature'), id: z.number().int(), geometry: Point.nullable(), properties: SiteProperties })
  .openapi('SiteFeature');

export const SiteCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(SiteFeature),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  })
  .openapi('SiteCollection');

export const SiteEvent = z
  .object({
    id: z.number().int(),
    kind: z.enum(['status', 'location']),
    from: Status.nullable(),
    to: Status,
    date: isoDate,
    actor: z.string(),
    note: z.string().nullable(),
    checklist: z.record(z.string(), z.boolean()).nullable(),
    evidence: z.unknown(),
    details: z.unknown(),
    createdAt: z.string(),
  })
  .openapi('SiteEvent');

export const Inspection = z
  .object({
    id: z.number().int(),
    date: isoDate,
    inspector: z.string(),
    result: z.string(),
    note: z.string().nullable(),
    photo: z.string().nullable().openapi({ description: 'GET /api/photos/{ref}' }),
  })
  .openapi('Inspection');

export const LinkedTask = z
  .object({ number: z.number().int(), groupNumber: z.number().int(), problem: z.string(), link: z.enum(['category', 'manual']) })
  .openapi('LinkedTask');

export const Provenance = z
  .object({
    document: z.string().openapi({ description: 'The source document, e.g. the plan 漯发〔2020〕13号.' }),
    task: z.number().int().nullable().openapi({ description: 'The task number in that document.' }),
    quote: z.string().nullable().openapi({ description: 'The document’s own words naming the record, verbatim (Chinese).' }),
  })
  .nullable()
  .openapi('Provenance', { description: 'Where a real record comes from; null for demo, imported and user-created records.' });

export const SiteDetail = SiteFeature.extend({
  note: z.string().nullable().openapi({ description: 'The site’s note (editable with PATCH).' }),
  provenance: Provenance,
  events: z.array(SiteEvent),
  inspections: z.array(Inspection),
  tasks: z.array(LinkedTask),
}).openapi('SiteDetail');

/** Comma-separated values: the description and example for a list parameter. */
const list = (what: string, example: string) => ({ description: `Comma-separated ${what}.`, example });

export const SiteQuery = z.object({
  bbox: param.bbox({ description: 'minLon,minLat,maxLon,maxLat (WGS84). Leaves unlocated sites out.', example: '113.4,33.4,114.3,34.0' }),
  county: param.counties(list('county codes', '411102,411103')),
  category: param.listOf(CATEGORY_CODES, list('category codes', 'sand_yard,concrete_plant'), parseCategories),
  // Not checked here: GET /export?layer=roads reads status as road statuses.
  status: param.listOf(STATUS_CODES, list('status codes (status on `asOf` when given)', 'closed,relapsed')),
  q: param.search({ description: 'Substring of name or address (Chinese included).', example: '砂石' }),
  asOf: param.date('asOf', { description: 'YYYY-MM-DD: each site in its status on that date; sites discovered later are left out.', example: '2020-07-23' }),
  source: param.source({ description: 'real | demo' }),
  located: param.boolean('located', { description: 'true: only sites with a position; false: only unlocated ones.' }),
  limit: param.limit({ description: 'Page size; at most 10000 sites per page (a larger value or none gives 10000 and `nextCursor`).' }),
  cursor: param.cursor({ description: 'The `nextCursor` of the previous page.' }),
});

export const CountyQuery = SiteQuery.omit({ limit: true, cursor: true });

export const CountyProperties = z
  .object({
    code: z.string(),
    name: z.string(),
    kind: z.enum(['district', 'county', 'city']),
    areaKm2: z.number(),
    seat: z.tuple([z.number(), z.number()]).nullable(),
    labelPoint: z.tuple([z.number(), z.number()]).nullable(),
    sites: z.number().int().openapi({ description: 'Sites passing the filters.' }),
    byStatus: z.record(z.string(), z.number().int()),
    byCategory: z.record(z.string(), z.number().int()),
  })
  .openapi('CountyProperties');

export const CountyPlaces = z
  .object({
    county: z.string(),
    townships: z.array(z.object({ code: z.string(), name: z.string(), villages: z.array(z.object({ code: z.string(), name: z.string() })) })),
  })
  .openapi('CountyPlaces');

export const CountyCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.object({ type: z.literal('Feature'), id: z.string(), geometry: z.record(z.string(), z.unknown()), properties: CountyProperties })),
  })
  .openapi('CountyCollection');

const lon = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
/**
 * A text field with the rules every way in shares (domain/text-fields.ts): stored trimmed and NFC,
 * no lone surrogates, control characters or invisible-only text, at most TEXT_LIMITS[field].
 */
export const textField = (field: LimitedTextField, required = false) => {
  const base = z.string().overwrite(normaliseText);
  return (required ? base.min(1) : base).max(TEXT_LIMITS[field]).superRefine((value, ctx) => {
    const problem = textProblem(field, value, { length: false });
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message });
  });
};

export const NewSiteBody = z
  .object({
    name: textField('name', true),
    category: Category,
    sector: Sector.nullish(),
    lon,
    lat,
    precision: z.enum(['exact', 'approximate']).optional().openapi({ description: 'Default exact.' }),
    address: textField('address').nullish(),
    township: z.string().max(50).nullish().openapi({ description: 'Township code or name, checked against the official list of the county.' }),
    village: z
      .string()
      .max(50)
      .nullish()
      .openapi({ description: 'Village code or name, checked against the official list of the township (needs `township`).' }),
    managingZone: z.enum(MANAGING_ZONES).nullish(),
    discoveredOn: isoDate,
    deadline: isoDate.nullish(),
    responsibleUnit: textField('responsibleUnit').nullish(),
    note: textField('note').nullish(),
    source: z.enum(SOURCES).optional().openapi({ description: 'Default real.' }),
  })
  .strict()
  .openapi('NewSite');

export const SitePatchBody = z
  .object({
    version: z.number().int().optional().openapi({ description: 'The version read; or send it as If-Match.' }),
    name: textField('name', true).optional(),
    category: Category.optional(),
    sector: Sector.nullish(),
    address: textField('address').nullish(),
    township: z.string().max(50).nullish(),
    village: z.string().max(50).nullish().openapi({ description: 'Village code or name in the township (the one sent, else the site’s).' }),
    managingZone: z.enum(MANAGING_ZONES).nullish(),
    deadline: isoDate.nullish(),
    responsibleUnit: textField('responsibleUnit').nullish(),
    note: textField('note').nullish(),
  })
  .strict()
  .openapi('SitePatch');

export const Checklist = z
  .object({
    cutWater: z.boolean().optional(),
    cutPower: z.boolean().optional(),
    clearMaterials: z.boolean().optional(),
    clearEquipment: z.boolean().optional(),
    clearProducts: z.boolean().optional(),
    tanksSealed: z.boolean().optional(),
  })
  .strict()
  .openapi('ClosureChecklist', { description: '两断三清: 断水 断电 清原料 清设备 清产品; fuel points also 油罐水泥封盖或清除.' });

export const NewEventBody = z
  .object({
    to: Status,
    date: isoDate,
    note: z.string().max(2000).nullish(),
    checklist: Checklist.nullish(),
    evidence: z.array(z.string().max(500)).max(20).nullish().openapi({
      description:
        'References to evidence: photos from POST /api/photos as "photo/REF", or for one checklist item "photo/cutWater/REF" (domain/evidence.ts); other strings (document ids, URLs) are kept as given.',
    }),
  })
  .strict()
  .openapi('NewSiteEvent');

export const LocationBody = z
  .object({
    lon,
    lat,
    precision: z.enum(['exact', 'approximate']).optional(),
    date: isoDate.optional().openapi({ description: 'Default today.' }),
    note: z.string().max(2000).nullish(),
  })
  .strict()
  .openapi('SiteLocation');

export const LocationResult = z
  .object({
    site: SiteFeature,
    countyChanged: z.object({ from: z.string(), to: z.string() }).nullable(),
  })
  .openapi('SiteLocationResult');

export const IdParam = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a whole number')
    .openapi({ example: '1' }),
});

// Roads
export const RoadProperties = z
  .object({
    id: z.number().int(),
    roadName: z.string(),
    fromDesc: z.string().nullable(),
    toDesc: z.string().nullable(),
    severity: Severity,
    responsibleUnit: z.string().nullable(),
    deadline: z.string().nullable(),
    county: z.string().nullable(),
    status: RoadStatus,
    source: z.enum(SOURCES),
    task: z.number().int().nullable(),
    reportedOn: isoDate,
    drawn: z.boolean(),
    note: z.string().nullable(),
    version: z.number().int(),
  })
  .openapi('RoadProperties');
export const RoadFeature = z
  .object({ type: z.literal('Feature'), id: z.number().int(), geometry: LineString.nullable(), properties: RoadProperties })
  .openapi('RoadFeature');
export const RoadCollection = z.object({ type: z.literal('FeatureCollection'), features: z.array(RoadFeature) }).openapi('RoadCollection');
export const RoadEvent = z
  .object({
    id: z.number().int(),
    kind: z.enum(['status', 'geometry', 'assignment']).openapi({
      description: 'status: a status move; geometry: the line (re)drawn; assignment: the responsible county set or changed (fromCounty → toCounty).',
    }),
    from: RoadStatus.nullable(),
    to: RoadStatus.nullable().openapi({ description: 'The status after the event (null for an assignment).' }),
    fromCounty: z.string().nullable(),
    toCounty: z.string().nullable(),
    date: isoDate,
    actor: z.string(),
    note: z.string().nullable(),
    evidence: z.array(z.string()).openapi({ description: 'Photos of a status move as "photo/REF" (GET /api/photos/REF).' }),
  })
  .openapi('RoadEvent');
export const RoadDetail = RoadFeature.extend({ events: z.array(RoadEvent), provenance: Provenance }).openapi('RoadDetail');
export const RoadQuery = z.object({
  status: param.listOf(ROAD_STATUS_CODES, list('road status codes', 'reported,repairing'), parseRoadStatuses),
  county: param.counties(list('county codes', '411102')),
  asOf: param.date('asOf', { description: 'YYYY-MM-DD: each segment in its status on that date.' }),
  drawn: param.boolean('drawn', { description: 'true: only segments drawn on the map; false: only undrawn ones.' }),
});
export const NewRoadBody = z
  .object({
    roadName: textField('roadName', true),
    fromDesc: z.string().max(200).nullish(),
    toDesc: z.string().max(200).nullish(),
    severity: Severity,
    responsibleUnit: z.string().max(200).nullish(),
    deadline: isoDate.nullish(),
    geometry: LineString.nullish(),
    county: z
      .string()
      .regex(/^\d{6}$/)
      .nullish()
      .openapi({ description: 'Needed only when no geometry is given.' }),
    reportedOn: isoDate,
    task: z.number().int().nullish(),
    note: z.string().max(2000).nullish(),
    source: z.enum(SOURCES).optional(),
  })
  .strict()
  .openapi('NewRoad');
const photoEvidence = z
  .array(z.string().regex(/^photo\/[0-9a-f]{32}\.(jpg|png|webp)$/, 'is not "photo/REF" with a REF from POST /api/photos'))
  .max(20)
  .nullish()
  .openapi({ description: 'Photos uploaded through POST /api/photos, each as "photo/REF".' });
export const NewRoadEventBody = z
  .object({ to: RoadStatus, date: isoDate, note: z.string().max(2000).nullish(), evidence: photoEvidence })
  .strict()
  .openapi('NewRoadEvent');
const countyCode = z.string().regex(/^\d{6}$/, 'is not a six-digit county code');
export const RoadGeometryBody = z
  .object({
    geometry: LineString,
    county: countyCode.optional().openapi({
      description: 'The county responsible for the segment; default the county holding the line’s midpoint. A change is recorded as an assignment.',
    }),
    date: isoDate.optional(),
    note: z.string().max(2000).nullish(),
  })
  .strict()
  .openapi('RoadGeometry');
export const RoadPatchBody = z
  .object({
    version: z.number().int().openapi({ description: 'The version read (409 when the segment changed since).' }),
    roadName: textField('roadName', true).optional(),
    fromDesc: z.string().max(200).nullish(),
    toDesc: z.string().max(200).nullish(),
    severity: Severity.optional(),
    responsibleUnit: z.string().max(200).nullish(),
    deadline: isoDate.nullish(),
    task: z.number().int().nullish(),
    note: z.string().max(2000).nullish(),
    county: countyCode.optional().openapi({ description: 'The responsible county; a change is recorded as an assignment.' }),
  })
  .strict()
  .openapi('RoadPatch');

// Tasks
export const TaskProgress = z
  .object({
    sites: z.number().int(),
    open: z.number().int(),
    closed: z.number().int(),
    relapsed: z.number().int(),
    verified: z.number().int(),
    roads: z.number().int(),
    roadsOpen: z.number().int(),
  })
  .openapi('TaskProgress', {
    description:
      'From linked sites: open = discovered/rectifying/relapsed; closed = closed/upgraded/relocated/verified. From linked road segments: roads, roadsOpen = not repaired.',
  });
export const Task = z
  .object({
    number: z.number().int(),
    group: z.number().int(),
    groupTitle: z.string(),
    problem: z.string(),
    target: z.string(),
    measures: z.array(z.string()),
    leaders: z.array(z.object({ name: z.string(), title: z.string() })),
    leadUnits: z.array(z.string()),
    assistingUnits: z.array(z.string()),
    unitsText: z.string(),
    deadline: z.object({
      kind: z.enum(['immediate', 'long_term', 'dated', 'done']),
      date: z.string().nullable(),
      ongoing: z.boolean(),
      text: z.string(),
    }),
    categories: z.array(Category),
    progress: TaskProgress,
    state: z.enum(TASK_STATES).openapi({
      description:
        'done: the plan records it done; cannot_judge: deadline passed and no site or road segment linked (无法判断); overdue: deadline passed with linked sites or roads still open; due_soon: deadline within 30 days; else on_time.',
    }),
  })
  .openapi('Task');
export const TaskDetail = Task.extend({
  sites: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      category: Category,
      status: Status,
      county: z.string(),
      source: z.enum(SOURCES),
      link: z.enum(['category', 'manual']),
    }),
  ),
  roads: z.array(z.object({ id: z.number().int(), roadName: z.string(), status: RoadStatus, source: z.enum(SOURCES) })),
  notes: z.array(z.object({ id: z.number().int(), author: z.string(), text: z.string(), createdAt: z.string() })),
}).openapi('TaskDetail');
export const TaskParam = z.object({
  number: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a task number 1–31')
    .openapi({ example: '15' }),
});

export const Health = z
  .object({
    ok: z.boolean(),
    version: z.string(),
    sites: z.number().int(),
    schemaVersion: z.number().int(),
    lastBackupAt: z
      .string()
      .nullable()
      .openapi({ description: 'When the last backup (npm run backup, or the SANSAN_BACKUP_DIR schedule) was made; null if never.' }),
  })
  .openapi('Health');
