// /api/audit: the audit trail, newest first, with filters; /api/audit/verify recomputes the hash
// chain. Admins see every record; county officials those touching their counties.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import { AppError, badRequest } from '../errors.ts';
import { countyName } from '../store/county-names.ts';
import { verifyAuditChain } from '../auth/audit.ts';
import { listAudit } from '../store/audit-store.ts';
import { AuditPage, AuditQuery, AuditVerification } from './auth-schemas.ts';
import { parseCounties, parseDate, parseNumber } from './query-params.ts';
import { errorResponses, jsonContent as json } from './schemas.ts';
import { validationHook } from './validation.ts';
import { addDays } from '../../domain/days.ts';

const nextDay = (date: string) => addDays(date, 1);

export function auditRoutes(ctx: AppContext) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'get',
        path: '/audit',
        operationId: 'listAudit',
        tags: ['audit'],
        summary: 'The audit trail, newest first (admins: all; county officials: their counties)',
        request: { query: AuditQuery },
        responses: { 200: json(AuditPage, 'One page of records.'), ...errorResponses(400, 401, 403) },
      }),
      (c) => {
        const query = c.req.valid('query');
        const principal = c.get('principal');
        const limit = parseNumber('limit', query.limit, true) ?? 100;
        if (limit < 1 || limit > 500)
          throw badRequest('bad_parameter', `limit: ${limit} must be from 1 to 500`, {
            parameter: 'limit',
            reason: 'out_of_range',
            value: limit,
            minimum: 1,
            maximum: 500,
          });
        const before = parseNumber('before', query.before, true);
        const from = parseDate('from', query.from);
        const to = parseDate('to', query.to);
        let counties = parseCounties(query.county, ctx.countyCodes);
        if (principal.role !== 'admin') {
          const outside = counties?.find((county) => !principal.counties.includes(county));
          if (outside)
            throw new AppError(403, 'forbidden_county', `county: ${outside} is not among your counties (${principal.counties.join(', ')})`, {
              parameter: 'county',
              county: outside,
              countyName: countyName(ctx.db, outside),
              yourCounties: principal.counties,
              yourCountyNames: principal.counties.map((code) => countyName(ctx.db, code)),
            });
          counties ??= principal.counties;
        }
        const page = listAudit(ctx.db, {
          action: query.action || undefined,
          actor: query.actor || undefined,
          target: query.target || undefined,
          counties,
          from,
          to: to && nextDay(to),
          beforeId: before,
          limit,
        });
        return c.json({ records: page.records, nextBefore: page.nextBeforeId }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/audit/verify',
        operationId: 'verifyAudit',
        tags: ['audit'],
        summary: 'Recompute the audit trail’s hash chain; names the first record that does not match',
        responses: { 200: json(AuditVerification, 'The result.'), ...errorResponses(401, 403) },
      }),
      (c) => c.json(verifyAuditChain(ctx.db), 200),
    );
}
