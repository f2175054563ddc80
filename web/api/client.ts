// The typed API client. Only types come from the server (import type): no server code in the bundle.
// Requests carry the session cookie; writes also carry the session's CSRF token (X-CSRF-Token).
// A 401 from any request tells the page that the session has ended.
import { DetailedError, hc, parseResponse, type ClientResponse } from 'hono/client';
import type { AppType } from '../../server/app.ts';

let csrfToken: string | null = null;
const sessionEndedListeners = new Set<() => void>();

/** Set on sign-in and when the page finds its session (GET /api/session); null on sign-out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Calls `listener` whenever the server answers 401 (the session ended); returns the unsubscribe. */
export function onSessionEnded(listener: () => void): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

const writeSucceededListeners = new Set<() => void>();

/** Calls `listener` after every write the server accepted (the page clears its error banner then). */
export function onWriteSucceeded(listener: () => void): () => void {
  writeSucceededListeners.add(listener);
  return () => writeSucceededListeners.delete(listener);
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A GET answered outside apiFetch (the map's tile worker): a 401 there ends the session too. */
export function noteReadStatus(status: number): void {
  if (status === 401) for (const listener of sessionEndedListeners) listener();
}

/** fetch with the CSRF token on writes; any caller outside the typed client (uploads) uses it too. */
export async function apiFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
  if (!SAFE.has(method) && csrfToken) headers.set('X-CSRF-Token', csrfToken);
  const response = await fetch(input, { ...init, headers, credentials: 'same-origin' });
  const url = String(input instanceof Request ? input.url : input);
  if (!url.endsWith('/api/session')) noteReadStatus(response.status);
  if (response.ok && !SAFE.has(method)) for (const listener of writeSucceededListeners) listener();
  return response;
}

export const api = hc<AppType>(window.location.origin, { fetch: apiFetch });

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error's details (the field, the columns a mapping lacks, the sheets…). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The API's error from an answer's status and JSON body (`{ error: { code, message, details } }`), `fallback` when the body has none. */
export function apiErrorOf(status: number, body: unknown, fallback: string): ApiError {
  const error = (body as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null | undefined)?.error;
  return new ApiError(status, error?.code ?? 'http_error', error?.message ?? fallback, error?.details ?? {});
}

/** Resolves a client call to its typed JSON body, or throws the API's own error message. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the constraint parseResponse itself declares
export async function unwrap<T extends ClientResponse<any>>(request: Promise<T>) {
  try {
    return await parseResponse(request);
  } catch (error) {
    if (error instanceof DetailedError) {
      throw apiErrorOf(Number(error.statusCode), (error.detail as { data?: unknown } | undefined)?.data, error.message);
    }
    throw error;
  }
}
