// /api/analysis/relapse (死灰复燃与转移热点): relapses, likely moves scored by distance, time and
// name, a hexagon grid with Getis-Ord Gi* hotspots, and relapse rates per county and township.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { CATEGORY_CODES } from '../../domain/categories.ts';
import type { AppContext } from '../context.ts';
import { parameterError } from '../errors.ts';
import { answerAnalysis } from './analysis-answer.ts';
import { decideRelapseMove } from '../services/analysis.ts';
import { actorOf } from './actor.ts';
import { param, parseCategories, parseCounties, parseDate, parseNumber } from './query-params.ts';
import { DEFAULT_MOVES_PAGE, MAX_CELL_KM, MAX_MOVES_PAGE, MAX_RADIUS_KM, MAX_WITHIN_DAYS, MIN_CELL_KM } from '../geo/relapse-options.ts';
import { errorResponses, jsonContent as json } from './schemas.ts';
import { validationHook } from './validation.ts';

const Geometry = z.record(z.string(), z.unknown());
const Relapse = z.object({
  siteId: z.number().int(),
  name: z.string(),
  category: z.enum(CATEGORY_CODES),
  date: z.string(),
  closedOn: z.string().nullable(),
  closedAs: z.string().nullable(),
  daysSinceClosure: z.number().nullable(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  county: z.string(),
  township: z.string().nullable(),
});
const Move = z.object({
  key: z.string().openapi({ description: 'OLD-NEW site ids; the id for POST /analysis/relapse/moves/{id}.' }),
  fromId: z.number().int(),
  toId: z.number().int(),
  fromName: z.string(),
  toName: z.string(),
  category: z.enum(CATEGORY_CODES),
  closedOn: z.string(),
  discoveredOn: z.string(),
  distanceKm: z.number(),
  days: z.number().int(),
  nameSimilarity: z.number(),
  score: z.number(),
  decision: z.enum(['confirmed', 'dismissed']).nullable(),
  county: z.string(),
  township: z.string().nullable(),
  line: Geometry,
});
const Cell = z.object({
  type: z.literal('Feature'),
  geometry: Geometry,
  properties: z.object({
    id: z.number().int(),
    column: z.number().int(),
    row: z.number().int(),
    count: z.number().int(),
    relapses: z.number().int(),
    moves: z.number().int(),
    z: z.number().openapi({ description: 'Getis-Ord Gi* z-score.' }),
    p: z.number().openapi({ description: 'Two-sided p-value of z, before the correction.' }),
    confidence: z.union([z.literal(90), z.literal(95), z.literal(99)]).nullable(),
    kind: z.enum(['hot', 'cold']).nullable(),
  }),
});
const Rate = z.object({
  county: z.string(),
  township: z.string().nullable(),
  closures: z.number().int(),
  relapses: z.number().int(),
  rate: z.number().nullable(),
});
const Confidences = z.object({ 90: z.number().int(), 95: z.number().int(), 99: z.number().int() });
const RelapseAnalysis = z
  .object({
    options: z.object({
      from: z.string().nullable(),
      to: z.string().nullable(),
      asOf: z.string().nullable(),
      categories: z.array(z.string()),
      counties: z.array(z.string()).nullable(),
      radiusKm: z.number(),
      withinDays: z.number().int(),
      cellKm: z.number(),
      correction: z.enum(['fdr', 'none']),
    }),
    relapses: z.array(Relapse),
    moves: z.array(Move).openapi({ description: 'One page of the likely moves, best first (see movesPage).' }),
    movesPage: z
      .object({
        total: z.number().int().openapi({ description: 'Candidates in the whole list (at most 3 per new site).' }),
        limit: z.number().int().nullable(),
        next: z.string().nullable().openapi({ description: 'The cursor of the next page; null after the last.' }),
      })
      .openapi({ description: 'Paging of the move list: pass next as cursor for the following page.' }),
    cells: z.object({ type: z.literal('FeatureCollection'), features: z.array(Cell) }),
    grid: z
      .object({
        centre: z.tuple([z.number(), z.number()]),
        cellKm: z.number(),
        sideKm: z.number(),
        areaKm2: z.number(),
        columns: z.number().int(),
        rows: z.number().int(),
        extent: z
          .enum(['counties', 'bbox'])
          .openapi({ description: 'counties: only cells inside the (chosen) counties; bbox: every cell of the sites’ bbox.' }),
        cells: z.number().int().openapi({ description: 'Cells in the analysis (n of Gi*).' }),
        neighbourhood: z
          .object({
            kind: z.literal('hexagon-edge'),
            distanceKm: z.number(),
            fewest: z.number().int(),
            most: z.number().int(),
            mean: z.number(),
          })
          .openapi({ description: 'Each cell with the cells sharing an edge (centres within distanceKm); cell counts include the cell itself.' }),
      })
      .nullable(),
    rates: z.object({ counties: z.array(Rate), townships: z.array(Rate) }),
    summary: z.object({
      relapses: z.number().int().openapi({ description: 'Moves to relapsed in the window (a site relapsing twice counts twice).' }),
      relapsedSites: z.number().int().openapi({ description: 'Sites with at least one of those relapses.' }),
      unlocatedRelapses: z.number().int(),
      moveCandidates: z.number().int(),
      movesCounted: z.number().int(),
      hotCells: Confidences,
      coldCells: Confidences,
      correction: z.enum(['fdr', 'none']),
      pCutoffs: z.object({ 90: z.number(), 95: z.number(), 99: z.number() }),
    }),
    definitions: z.record(z.string(), z.object({ zh: z.string(), en: z.string() })),
  })
  .openapi('RelapseAnalysis');

const RelapseQuery = z.object({
  from: param.date('from', { description: 'First day of the window, YYYY-MM-DD.' }),
  to: param.date('to', { description: 'Last day of the window, YYYY-MM-DD.' }),
  asOf: param.date('asOf', { description: 'Only what was recorded on or before this day.' }),
  categories: param.listOf(CATEGORY_CODES, { description: 'Comma-separated category codes; default all.' }, parseCategories),
  county: param.counties({ description: 'Comma-separated county codes; default all.' }),
  radiusKm: param.number('radiusKm', { exclusiveMinimum: 0, maximum: MAX_RADIUS_KM }, { description: 'Largest distance of a likely move, km (default 3).' }),
  withinDays: param.integer(
    'withinDays',
    { minimum: 1, maximum: MAX_WITHIN_DAYS },
    { description: 'Largest days from closure to the new discovery (default 180).' },
  ),
  cellKm: param.number(
    'cellKm',
    { minimum: MIN_CELL_KM, maximum: MAX_CELL_KM },
    { description: 'Hexagon width (distance between neighbouring centres), km (default 3).' },
  ),
  correction: z
    .enum(['fdr', 'none'])
    .optional()
    .openapi({ description: 'Multiple-testing correction of the cells: fdr (Benjamini–Hochberg, default) or none.' }),
  limit: param.integer(
    'limit',
    { minimum: 1, maximum: MAX_MOVES_PAGE },
    { description: `Likely moves per page (default ${DEFAULT_MOVES_PAGE}, at most ${MAX_MOVES_PAGE}).` },
  ),
  cursor: z.string().max(80).optional().openapi({ description: 'The movesPage.next of the previous page; default the first page.' }),
});

export function relapseRoutes(ctx: AppContext) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'get',
        path: '/analysis/relapse',
        operationId: 'analyzeRelapse',
        tags: ['analysis'],
        summary: 'Relapses (死灰复燃), likely moves (改头换面转移), Gi* hotspots and relapse rates',
        description:
          'Likely move: a site discovered within radiusKm and withinDays after the closure of a site of the same category, scored 0.35·distance + 0.25·time + 0.4·name similarity. Hotspot count per hexagon: relapses plus new sites of moves not dismissed; Gi* over the cells inside the (chosen) counties, each with its six neighbours; confidence 90/95/99% after the Benjamini–Hochberg FDR correction (correction=none: at |z| ≥ 1.645/1.960/2.576). Rate: relapses per site closed in the window.',
        request: { query: RelapseQuery },
        responses: { 200: json(RelapseAnalysis, 'The analysis.'), ...errorResponses(400) },
      }),
      async (c) => {
        const query = c.req.valid('query');
        const limit = parseNumber('limit', query.limit, true) ?? DEFAULT_MOVES_PAGE;
        if (limit < 1 || limit > MAX_MOVES_PAGE)
          throw parameterError(
            'limit',
            { reason: 'out_of_range', minimum: 1, maximum: MAX_MOVES_PAGE, value: limit },
            `limit must be a whole number from 1 to ${MAX_MOVES_PAGE}, not ${limit}`,
          );
        const options = {
          from: parseDate('from', query.from),
          to: parseDate('to', query.to),
          asOf: parseDate('asOf', query.asOf),
          categories: parseCategories(query.categories),
          counties: parseCounties(query.county, ctx.countyCodes),
          radiusKm: parseNumber('radiusKm', query.radiusKm),
          withinDays: parseNumber('withinDays', query.withinDays, true),
          cellKm: parseNumber('cellKm', query.cellKm),
          correction: query.correction,
        };
        // Computed on the analysis thread, which keeps the sites, the move index and recent answers.
        return answerAnalysis<z.infer<typeof RelapseAnalysis>>(ctx, { kind: 'relapse', options, page: { limit, cursor: query.cursor ?? null } });
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/analysis/relapse/moves/{id}',
        operationId: 'decideRelapseMove',
        tags: ['analysis'],
        summary: 'Confirm or dismiss a likely move (recorded with who and when)',
        request: {
          params: z.object({ id: z.string().openapi({ example: '12-40', description: 'OLD-NEW site ids (the candidate’s key).' }) }),
          body: {
            required: true,
            content: {
              'application/json': {
                schema: z
                  .object({ decision: z.enum(['confirmed', 'dismissed']), note: z.string().max(2000).nullish() })
                  .strict()
                  .openapi('MoveDecision'),
              },
            },
          },
        },
        responses: {
          201: json(
            z
              .object({
                id: z.number().int(),
                key: z.string(),
                fromId: z.number().int(),
                toId: z.number().int(),
                decision: z.enum(['confirmed', 'dismissed']),
                note: z.string().nullable(),
                decidedBy: z.string(),
                decidedAt: z.string(),
              })
              .openapi('MoveDecisionRecord'),
            'The recorded decision.',
          ),
          ...errorResponses(400, 404, 413, 415),
        },
      }),
      (c) => {
        const body = c.req.valid('json');
        const decided = decideRelapseMove(ctx, actorOf(c), c.req.valid('param').id, body.decision, body.note ?? null);
        return c.json(decided, 201);
      },
    );
}
