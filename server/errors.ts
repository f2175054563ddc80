// One error type for everything a caller did wrong. Routes turn it into
// `{ error: { code, message, details } }` with its HTTP status; start-up prints its message.

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500;

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
