// The typed API client. Only types come from the server (import type): no server code in the bundle.
import { DetailedError, hc, parseResponse, type ClientResponse } from 'hono/client';
import type { AppType } from '../../server/app.ts';

export const api = hc<AppType>(window.location.origin);

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

/** Resolves a client call to its typed JSON body, or throws the API's own error message. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the constraint parseResponse itself declares
export async function unwrap<T extends ClientResponse<any>>(request: Promise<T>) {
  try {
    return await parseResponse(request);
  } catch (error) {
    if (error instanceof DetailedError) {
      const body = (error.detail as { data?: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } } | undefined)?.data;
      throw new ApiError(Number(error.statusCode), body?.error?.code ?? 'http_error', body?.error?.message ?? error.message, body?.error?.details ?? {});
    }
    throw error;
  }
}
