// One error type for everything a caller did wrong. Routes turn it into
// `{ error: { code, message, details } }` with its HTTP status; start-up prints its message.
// Codes come from the one catalogue (domain/error-codes.ts) that the page's message files cover.
import type { ErrorCode, FieldProblem } from '../domain/error-codes.ts';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

export class AppError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The codes that refuse one field or parameter (or the body): their details always say the reason. */
type FieldCode = 'bad_field' | 'bad_parameter' | 'bad_body';

export function badRequest(code: FieldCode, message: string, details: FieldProblem & Record<string, unknown>): AppError;
export function badRequest(code: Exclude<ErrorCode, FieldCode>, message: string, details?: Record<string, unknown>): AppError;
export function badRequest(code: ErrorCode, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError(400, code, message, details);
}
/** 404 naming what was looked for: `kind` (site, road, task, route, import, user, core, photo, county, move) and its id. */
export const notFound = (message: string, details: { kind: string; id: string | number } & Record<string, unknown>) =>
  new AppError(404, 'not_found', message, details);
export const conflict = (code: ErrorCode, message: string, details: Record<string, unknown> = {}) => new AppError(409, code, message, details);
export const unprocessable = (code: ErrorCode, message: string, details: Record<string, unknown> = {}) => new AppError(422, code, message, details);

/** Seconds a client should wait before retrying a write refused because the database was busy. */
export const BUSY_RETRY_AFTER_SECONDS = 2;

/** Another connection held the write lock past the busy timeout: retry shortly (503, never 500). */
export const databaseBusy = () =>
  new AppError(
    503,
    'database_busy',
    `the database is busy with another write; nothing was saved, try again in ${BUSY_RETRY_AFTER_SECONDS} s`,
    { retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS },
    { 'Retry-After': String(BUSY_RETRY_AFTER_SECONDS) },
  );

/** 400 `bad_field`: a body field refused, `message` prefixed with the field's path. */
export const fieldError = (field: string, problem: FieldProblem, message: string, extra: Record<string, unknown> = {}) =>
  new AppError(400, 'bad_field', `${field}: ${message}`, { field, ...problem, ...extra });

/** 400 `bad_parameter`: a query or path parameter refused, `message` prefixed with its name. */
export const parameterError = (parameter: string, problem: FieldProblem, message: string) =>
  new AppError(400, 'bad_parameter', `${parameter}: ${message}`, { parameter, ...problem });
