// Request validation failures become `{ error: { code, message, details } }` 400s naming the field.
import type { Context } from 'hono';
import type { ZodError } from 'zod';

interface HookResult {
  success: boolean;
  error?: ZodError;
  target?: string;
}

export function describeIssues(error: ZodError, target: string) {
  return error.issues.map((issue) => {
    const path = issue.path.join('.') || '(body)';
    return { field: path, message: issue.message, in: target };
  });
}

export function validationHook(result: HookResult, c: Context) {
  if (result.success || !result.error) return;
  const issues = describeIssues(result.error, result.target ?? 'request');
  const first = issues[0]!;
  const where = result.target === 'query' ? 'parameter' : 'field';
  return c.json(
    {
      error: {
        code: result.target === 'query' ? 'bad_parameter' : 'bad_field',
        message: `${first.field}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
        details: { [where]: first.field, issues },
      },
    },
    400,
  );
}
