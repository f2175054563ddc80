// Request validation failures become `{ error: { code, message, details } }` 400s naming the field,
// with a `reason` from domain/error-codes.ts and the limits, so the page can say it in words. This is
// the one place a zod issue becomes the product's error: a query parameter's own check
// (routes/query-params.ts `param`) carries the AppError it refused with, answered unchanged.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ZodError, ZodType } from 'zod';
import type { FieldProblem } from '../../domain/error-codes.ts';

interface HookResult {
  success: boolean;
  error?: ZodError;
  target?: string;
}

type Issue = ZodError['issues'][number];

const limit = (value: unknown) => (typeof value === 'bigint' ? Number(value) : value);

/** A zod issue as a field problem: its reason and the values a sentence needs. */
export function issueProblem(issue: Issue): FieldProblem {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return { reason: 'required' };
      if (issue.expected === 'number' || issue.expected === 'int') return { reason: 'not_a_number' };
      return { reason: 'wrong_type', expected: issue.expected };
    case 'too_small': {
      const exclusive = issue.inclusive === false;
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? { reason: 'required' } : { reason: 'too_short', minimum: limit(issue.minimum) };
      if (issue.origin === 'array' || issue.origin === 'set')
        return Number(issue.minimum) <= 1 ? { reason: 'required' } : { reason: 'too_few', minimum: limit(issue.minimum) };
      return { reason: 'too_small', minimum: limit(issue.minimum), exclusive };
    }
    case 'too_big': {
      const exclusive = issue.inclusive === false;
      if (issue.origin === 'string') return { reason: 'too_long', maximum: limit(issue.maximum) };
      if (issue.origin === 'array' || issue.origin === 'set') return { reason: 'too_many', maximum: limit(issue.maximum) };
      return { reason: 'too_big', maximum: limit(issue.maximum), exclusive };
    }
    case 'invalid_value':
      return { reason: 'not_one_of', allowed: issue.values.map(String) };
    case 'unrecognized_keys':
      return { reason: 'unknown_keys', keys: issue.keys };
    case 'invalid_format':
      return issue.format === 'regex' || issue.format === 'date' ? { reason: 'bad_format' } : { reason: 'bad_format', format: issue.format };
    case 'not_multiple_of':
      return { reason: 'not_whole_number' };
    default:
      return { reason: 'invalid' };
  }
}

export function describeIssues(error: ZodError, target: string) {
  return error.issues.map((issue) => {
    const path = issue.path.join('.') || '(body)';
    return { field: path, message: issue.message, in: target, ...issueProblem(issue) };
  });
}

/** The AppError a parameter's check refused with (query-params.ts), carried in its custom issue. */
function carriedError(issue: Issue | undefined): { status: number; code: string; details: Record<string, unknown> } | undefined {
  if (issue?.code !== 'custom') return undefined;
  return (issue.params as { appError?: { status: number; code: string; details: Record<string, unknown> } } | undefined)?.appError;
}

export function validationHook(result: HookResult, c: Context) {
  if (result.success || !result.error) return;
  const first = result.error.issues[0];
  const carried = carriedError(first);
  if (carried) return c.json({ error: { code: carried.code, message: first!.message, details: carried.details } }, carried.status as 400);
  const issues = describeIssues(result.error, result.target ?? 'request');
  const { field, message, in: _target, ...problem } = issues[0]!;
  const where = result.target === 'query' ? 'parameter' : 'field';
  return c.json(
    {
      error: {
        code: where === 'parameter' ? 'bad_parameter' : 'bad_field',
        message: `${field}: ${message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
        details: { [where]: field, ...problem, issues },
      },
    },
    400,
  );
}

const remembering = new WeakSet<ZodType>();

/** Query strings a schema remembers as valid (the page asks for the same few again and again). */
const REMEMBERED_QUERIES = 512;
/** Longer ones (a map query's list of 2,000 ids) are parsed each time rather than kept. */
const REMEMBERED_QUERY_CHARS = 2048;

/**
 * A fast path for query strings already seen (issue #17: zod's parse was ~2% of a cached answer):
 * each route's query schema remembers the values it accepted, keyed by the parameters as the
 * validator hands them over, and answers them again without parsing. The parameters' checks are
 * pure functions of their text (query-params.ts), so the answer is the same; a refused query is
 * parsed every time and answered exactly as before. Each caller gets its own copy of the value.
 */
export function rememberValidQueries(app: OpenAPIHono): void {
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== 'route') continue;
    const schema = definition.route.request?.query as ZodType | undefined;
    // The schemas are module constants shared by every app made in this process: each is wrapped once.
    if (!schema || remembering.has(schema)) continue;
    remembering.add(schema);
    const parse = schema.safeParseAsync.bind(schema);
    const valid = new Map<string, Record<string, unknown>>();
    schema.safeParseAsync = async (input, params) => {
      const key = JSON.stringify(input);
      const known = valid.get(key);
      if (known) return { success: true, data: { ...known } };
      const result = await parse(input, params);
      if (!result.success || key.length > REMEMBERED_QUERY_CHARS || typeof result.data !== 'object' || result.data === null || Array.isArray(result.data))
        return result;
      if (valid.size >= REMEMBERED_QUERIES) valid.clear();
      valid.set(key, result.data as Record<string, unknown>);
      return { success: true, data: { ...(result.data as Record<string, unknown>) } };
    };
  }
}
