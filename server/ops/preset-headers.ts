// Answers built in one piece (a cached body's bytes, server/routes/wire.ts) carry every header in
// one plain object: touching `c.res.headers` afterwards turns @hono/node-server's light response
// into a full WHATWG Response and costs more than building the body (issue #17's profile). So the
// middlewares that add headers to every answer (request id, security headers) put them here before
// the handler runs, and after it add them by hand only to answers that were not built whole.
import type { Context } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** Headers every answer gets, for a handler that builds its whole answer itself. */
    presetHeaders: Record<string, string>;
    /** Set by a handler whose answer already holds `presetHeaders` and needs no further headers or encoding. */
    builtWhole: { bytes: number };
  }
}

/** The preset headers of this request (to add to). */
export function presetHeaders(c: Context): Record<string, string> {
  let headers = c.get('presetHeaders');
  if (!headers) c.set('presetHeaders', (headers = {}));
  return headers;
}

/** The body size of an answer built whole, or undefined for any other answer. */
export const builtWhole = (c: Context): { bytes: number } | undefined => c.get('builtWhole');
