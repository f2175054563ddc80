// County scorecards (issue 10): one county, or every county side by side, as of a date.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { scorecard } from '../store/scorecard-store.ts';
import { parseDate, parseNumber } from './query-params.ts';
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
      .object({ found: z.number().int(), open: z.number().int(), dealtWith: z.number().int(), verified: z.number().int(), shareDealtWith: z.number().nullable() })
      .openapi({ description: '动态清零: found; still open (discovered/rectifying/relapsed); dealt with (closed/upgraded/relocated/verified); verified.' }),
    relapses: z.number().int().openapi({ description: 'Moves to relapsed on or before asOf.' }),
    overdue: z.array(z.object({ id: z.number().int(), name: z.string(), deadline: z.string(), status: z.string() })).openapi({ description: 'Open sites whose deadline is before asOf.' }),
    roadsAwaitingRepair: z.number().int(),
    notInspected: z.number().int().openapi({ description: 'Located closed/upgraded/relocated/verified sites not inspected in staleDays days before asOf, or never.' }),
    staleDays: z.number().int(),
    unlocated: z.number().int(),
    trend: z.array(z.object({ month: z.string(), discovered: z.number().int(), closed: z.number().int(), relapsed: z.number().int() })),
  })
  .openapi('Scorecard');

const Query = z.object({
  asOf: z.string().optional().openapi({ description: 'YYYY-MM-DD; default today.' }),
  staleDays: z.string().optional().openapi({ description: 'Days without inspection that count as "not inspected"; default 90.' }),
});

export function scorecardRoutes(ctx: AppContext) {
  const options = (query: z.infer<typeof Query>) => ({
    asOf: parseDate('asOf', query.asOf) ?? ctx.today(),
    staleDays: parseNumber('staleDays', query.staleDays, true) ?? 90,
  });
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'get',
        path: '/counties/{code}/scorecard',
        tags: ['scorecards'],
        summary: 'One county’s scorecard: what its officials answer for',
        request: { params: z.object({ code: z.string().regex(/^\d{6}$/, 'must be a 6-digit county code') }), query: Query },
        responses: { 200: json(Scorecard, 'The scorecard.'), ...errorResponses(400, 404) },
      }),
      (c) => {
        const code = c.req.valid('param').code;
        if (!ctx.countyCodes.has(code)) throw notFound(`no county ${code}; known: ${[...ctx.countyCodes].join(', ')}`, { parameter: 'code' });
        const { asOf, staleDays } = options(c.req.valid('query'));
        return c.json(scorecard(ctx.db, code, asOf, staleDays), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/scorecards',
        tags: ['scorecards'],
        summary: 'Every county’s scorecard, side by side',
        request: { query: Query },
        responses: { 200: json(z.array(Scorecard), 'One per county, in code order.'), ...errorResponses(400) },
      }),
      (c) => {
        const { asOf, staleDays } = options(c.req.valid('query'));
        return c.json([...ctx.countyCodes].sort().map((code) => scorecard(ctx.db, code, asOf, staleDays)), 200);
      },
    );
}
