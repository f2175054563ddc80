// The built page (dist/web) over HTTP. The build writes each text file over 1 KB also as `.br` and
// `.gz` (vite.config.ts); a request gets the variant its Accept-Encoding prefers (brotli before gzip,
// as the API's wire does), with `Vary: Accept-Encoding` when there is a choice. Files under /assets/
// have the content hash in their name: cached for a year, `immutable`. Anything else (index.html)
// is asked again each time (`no-cache`) and answers 304 to its ETag.
import { readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Context, MiddlewareHandler } from 'hono';
import { getMimeType } from 'hono/utils/mime';
import type { Compression } from '../store/response-cache.ts';
import { etagMatches, preferredEncoding } from './wire.ts';

/** Cache-Control of a file whose name carries its content hash. */
export const HASHED_ASSET = 'public, max-age=31536000, immutable';

const SUFFIX: Record<Compression, string> = { br: '.br', gzip: '.gz' };

interface Found {
  path: string;
  size: number;
  mtimeMs: number;
}

async function fileAt(path: string): Promise<Found | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size, mtimeMs: info.mtimeMs } : null;
  } catch {
    return null;
  }
}

/** The file of the built page a request path names, inside `root` only; null for anything else. */
function fileOfPath(root: string, requestPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (path.endsWith('/')) path += 'index.html';
  // The compressed copies are variants of their file, not files of their own.
  if (path.endsWith('.br') || path.endsWith('.gz') || path.includes('\0')) return null;
  const file = resolve(root, `.${path}`);
  return file.startsWith(root + sep) ? file : null;
}

/** Serves the files of the built page in `webRoot`; any other request goes on to the next handler. */
export function webFiles(webRoot: string): MiddlewareHandler {
  const root = resolve(webRoot);
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const path = fileOfPath(root, c.req.path);
    const original = path ? await fileAt(path) : null;
    if (!path || !original) return next();
    const wanted = preferredEncoding(c.req.header('accept-encoding'));
    // The variant the request prefers, else the next it accepts, else the file itself.
    const order = (wanted === 'br' ? ['br', 'gzip'] : wanted === 'gzip' ? ['gzip'] : []) as Compression[];
    let chosen: { encoding: Compression | null; file: Found } = { encoding: null, file: original };
    let variants = false;
    for (const encoding of ['br', 'gzip'] as const) {
      const variant = await fileAt(path + SUFFIX[encoding]);
      if (!variant) continue;
      variants = true;
      if (chosen.encoding === null && order.includes(encoding)) chosen = { encoding, file: variant };
    }
    return answer(c, path, original, chosen, variants);
  };
}

async function answer(c: Context, path: string, original: Found, chosen: { encoding: Compression | null; file: Found }, variants: boolean): Promise<Response> {
  const headers: Record<string, string> = {
    'Content-Type': getMimeType(path) ?? 'application/octet-stream',
    'Cache-Control': c.req.path.startsWith('/assets/') ? HASHED_ASSET : 'no-cache',
    ETag: `"${original.size.toString(36)}-${Math.trunc(original.mtimeMs).toString(36)}${chosen.encoding ? `-${chosen.encoding}` : ''}"`,
  };
  if (variants) headers.Vary = 'Accept-Encoding';
  if (chosen.encoding) headers['Content-Encoding'] = chosen.encoding;
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  if (etagMatches(c.req.header('if-none-match'), headers.ETag!)) return c.body(null, 304);
  c.header('Content-Length', String(chosen.file.size));
  if (c.req.method === 'HEAD') return c.body(null, 200);
  return c.body(new Uint8Array(await readFile(chosen.file.path)), 200);
}
