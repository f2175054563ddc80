// The one error the analyses throw for a bad option: it names the parameter (in the API's spelling),
// says why in English, and carries the reason and values (domain/error-codes.ts) the page words it
// from; the routes answer it with a 400. The options themselves are zod schemas (siege-, relapse- and
// route-options.ts) whose checks refuse through `refuse`; `parseOptions` turns the first refusal into
// the analysis' OptionError.
import { z } from 'zod';
import type { FieldProblem } from '../../domain/error-codes.ts';

export class OptionError extends Error {
  readonly parameter: string;
  readonly problem: FieldProblem;

  constructor(parameter: string, message: string, problem: FieldProblem) {
    super(`${parameter}: ${message}`);
    this.name = new.target.name;
    this.parameter = parameter;
    this.problem = problem;
  }
}

/** Inside a zod check or transform: refuse `parameter` with the analysis' words; returns z.NEVER. */
export function refuse(ctx: z.RefinementCtx, parameter: string, message: string, problem: FieldProblem): never {
  ctx.addIssue({ code: 'custom', message, params: { parameter, problem } });
  return z.NEVER;
}

export const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * One option that is a number: its default when left out, refused unless finite and `ok`; the
 * message and problem are the analysis' own.
 */
export function numberOption(
  parameter: string,
  fallback: number,
  ok: (n: number) => boolean,
  why: (value: unknown) => [message: string, problem: FieldProblem],
) {
  return z.unknown().transform((value, ctx): number => {
    const number = value ?? fallback;
    if (!isFiniteNumber(number) || !ok(number)) return refuse(ctx, parameter, ...why(number));
    return number;
  });
}

/**
 * Parses `options` with `schema`; the first refusal is thrown as `Refusal` (the analysis' OptionError).
 * Every key of an object schema is handed over, present or not, so each option's own default applies.
 */
export function parseOptions<T>(
  schema: z.ZodType<T>,
  options: unknown,
  Refusal: new (parameter: string, message: string, problem: FieldProblem) => OptionError,
): T {
  const input =
    schema instanceof z.ZodObject && options && typeof options === 'object'
      ? Object.fromEntries(Object.keys(schema.shape).map((key) => [key, (options as Record<string, unknown>)[key]]))
      : options;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const carried = issue.code === 'custom' ? (issue.params as { parameter?: string; problem?: FieldProblem } | undefined) : undefined;
  if (carried?.parameter && carried.problem) throw new Refusal(carried.parameter, issue.message, carried.problem);
  // A zod refusal of its own (not expected: every option is read as unknown and checked by `refuse`).
  throw new Refusal(issue.path.join('.') || 'options', issue.message, { reason: 'invalid' });
}
