// County scorecards (issue 10): one county, or every county side by side, as of a date; the sites
// behind any figure; and the whole as an XLSX workbook. Each is computed on the analysis thread
// (services/analysis-pool.ts); the route validates and answers.
import { campaignTime } from '../../domain/days.ts';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { FIGURE_KEYS } from '../../domain/scorecard-figures.ts';
import type { AppContext } from '../context.ts';
import { badRequest, notFound } from '../errors.ts';
import { isScorecardFigure, type ScorecardOptions } from '../store/scorecard-store.ts';
import { runAnalysis } from '../services/analysis-pool.ts';
import { answerAnalysis } from './analysis-answer.ts';
import { param, parseDate, parseNumber, parseSource } from './query-params.ts';
import { errorResponses, jsonContent as json } from './schemas.ts';
import { validationHook } from './validation.ts';

const Scorecard = z
  .object({
    county: z.string(),
    countyName: z.string(),
    asOf: z.string(),
    sites: z.number().int().openapi({ description: 'Sites discovered by asOf.' }),
    byStatus: z.record(z.string(), z.number().int()),
    byCategory: z.record(z.string(), z.number().int()),
    zeroing: z
      .object({
        found: z.number().int(),
        open: z.number().int(),
        dealtWith: z.number().int(),
        verified: z.number().int(),
        shareDealtWith: z.number().nullable(),
      })
      .openapi({ description: '动态清零: found; still open (discovered/rectifying/relapsed); dealt with (closed/upgraded/relocated/verified); verified.' }),
    relapses: z.number().int().openapi({ description: 'Moves to relapsed on or before asOf.' }),
    relapsedSites: z.number().int().openapi({ description: 'Sites with at least one move to relapsed on or before asOf.' }),
    likelyMoves: z.number().int().openapi({ description: 'New sites in this county of likely moves (the relapse analysis with its defaults), not dismissed.' }),
    overdue: z
      .array(z.object({ id: z.number().int(), name: z.string(), deadline: z.string(), status: z.string() }))
      .openapi({ description: 'Open sites whose deadline is before asOf.' }),
    roadsAwaitingRepair: z.number().int(),
    notInspected: z
      .number()
      .int()
      .openapi({ description: 'Located closed/upgraded/relocated/verified sites not inspected in staleDays days before asOf, or never.' }),
    staleDays: z.number().int(),
    unlocated: z.number().int(),
    trend: z.array(z.object({ month: z.string(), discovered: z.number().int(), closed: z.number().int(), relapsed: z.number().int() })),
  })
  .openapi('Scorecard');

const FigureList = z
  .object({
    county: z.string(),
    figure: z.string(),
    asOf: z.string(),
    sites: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        category: z.string(),
        status: z.string(),
        deadline: z.string().nullable(),
        lon: z.number().nullable(),
        lat: z.number().nullable(),
        source: z.string(),
      }),
    ),
    roads: z.array(z.object({ id: z.number().int(), roadName: z.string(), status: z.string(), deadline: z.string().nullable(), source: z.string() })),
  })
  .openapi('ScorecardFigureList');

const Query = z.object({
  asOf: param.date('asOf', { description: 'YYYY-MM-DD; default today.' }),
  staleDays: param.integer('staleDays', {}, { description: 'Days without inspection that count as "not inspected"; default 90.' }),
  source: param.source({ description: 'real | demo; default both.' }),
});
const CountyParam = z.object({ code: z.string().regex(/^\d{6}$/, 'must be a 6-digit county code') });

export function scorecardRoutes(ctx: AppContext) {
  const options = (query: z.infer<typeof Query>): ScorecardOptions => {
    const source = parseSource(query.source) ?? null;
    return { asOf: parseDate('asOf', query.asOf) ?? ctx.today(), staleDays: parseNumber('staleDays', query.staleDays, true) ?? 90, source };
  };
  const county = (code: string) => {
    if (!ctx.countyCodes.has(code))
      throw notFound(`no county ${code}; known: ${[...ctx.countyCodes].join(', ')}`, { kind: 'county', id: code, parameter: 'code' });
    return code;
  };
  const allCounties = () => [...ctx.countyCodes].sort();
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'get',
        path: '/counties/{code}/scorecard',
        operationId: 'getCountyScorecard',
        tags: ['scorecards'],
        summary: 'One county’s scorecard: what its officials answer for',
        request: { params: CountyParam, query: Query },
        responses: { 200: json(Scorecard, 'The scorecard.'), ...errorResponses(400, 404) },
      }),
      (c) =>
        answerAnalysis<z.infer<typeof Scorecard>>(ctx, {
          kind: 'scorecards',
          counties: [county(c.req.valid('param').code)],
          options: options(c.req.valid('query')),
          one: true,
        }),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/counties/{code}/scorecard/sites',
        operationId: 'listScorecardSites',
        tags: ['scorecards'],
        summary: 'The sites (or road segments) behind one figure of a county’s scorecard',
        description: `figure: ${FIGURE_KEYS.join(', ')}, status:CODE or category:CODE. The list has exactly as many entries as the figure counts (relapsed: sites, not relapse events).`,
        request: {
          params: CountyParam,
          query: Query.extend({ figure: z.string().openapi({ example: 'overdue', pattern: `^(${FIGURE_KEYS.join('|')}|status:[a-z_]+|category:[a-z_]+)$` }) }),
        },
        responses: { 200: json(FigureList, 'The sites behind the figure.'), ...errorResponses(400, 404) },
      }),
      (c) => {
        const query = c.req.valid('query');
        if (!isScorecardFigure(query.figure))
          throw badRequest('bad_parameter', `figure: "${query.figure}" must be one of ${FIGURE_KEYS.join(', ')}, status:CODE or category:CODE`, {
            parameter: 'figure',
            reason: 'not_one_of',
            value: query.figure,
          });
        return answerAnalysis<z.infer<typeof FigureList>>(ctx, {
          kind: 'scorecardFigure',
          county: county(c.req.valid('param').code),
          figure: query.figure,
          options: options(query),
        });
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/scorecards',
        operationId: 'listScorecards',
        tags: ['scorecards'],
        summary: 'Every county’s scorecard, side by side',
        request: { query: Query },
        responses: { 200: json(z.array(Scorecard), 'One per county, in code order.'), ...errorResponses(400) },
      }),
      (c) =>
        answerAnalysis<z.infer<typeof Scorecard>[]>(ctx, { kind: 'scorecards', counties: allCounties(), options: options(c.req.valid('query')), one: false }),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/scorecards/xlsx',
        operationId: 'downloadScorecards',
        tags: ['scorecards'],
        summary: 'The scorecards as an XLSX workbook (counties side by side, overdue list, trend, definitions)',
        request: {
          query: Query.extend({
            county: z.string().optional().openapi({ description: 'One county’s code; default every county side by side.', pattern: '^\\d{6}$' }),
          }),
        },
        responses: {
          200: {
            description: 'The workbook.',
            content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) } },
          },
          ...errorResponses(400, 404),
        },
      }),
      async (c) => {
        const query = c.req.valid('query');
        const chosen = options(query);
        const counties = query.county ? [county(query.county)] : allCounties();
        const { body } = await runAnalysis(ctx.db, { kind: 'scorecardXlsx', counties, options: chosen, generatedAt: campaignTime(Date.now()) });
        const name = `县区考核_${query.county ?? '全市'}_${chosen.asOf}.xlsx`;
        return c.body(body as Uint8Array<ArrayBuffer>, 200, {
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'content-disposition': `attachment; filename="scorecard_${query.county ?? 'city'}_${chosen.asOf}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
        });
      },
    );
}
