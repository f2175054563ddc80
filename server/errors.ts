// One error type for everything a caller did wrong. Routes turn it into
// `{ error: { code, message, details } }` with its HTTP status; start-up prints its message.

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

export class AppError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError(400, code, message, details);
export const notFound = (message: string, details: Record<string, unknown> = {}) =>
  new AppError(404, 'not_found', message, details);
export const conflict = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError(409, code, message, details);
export const unprocessable = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError(422, code, message, details);

/** Seconds a client should wait before retrying a write refused because the database was busy. */
export const BUSY_RETRY_AFTER_SECONDS = 2;

/** Another connection held the write lock past the busy timeout: retry shortly (503, never 500). */
export const databaseBusy = () =>
  new AppError(503, 'database_busy', `the database is busy with another write; nothing was saved, try again in ${BUSY_RETRY_AFTER_SECONDS} s`, { retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS }, { 'Retry-After': String(BUSY_RETRY_AFTER_SECONDS) });
