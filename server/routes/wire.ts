// The wire (issue #17): every JSON and GeoJSON answer of /api is compressed (brotli or gzip, as the
// request's Accept-Encoding prefers; bodies under 1 KB go plain) with `Vary: Accept-Encoding`, and a
// read's answer carries an ETag and gets 304 when If-None-Match names it. Routes whose answer is a
// function of the query and some data topics use `cachedJson` over a `ResponseCache`: the ETag comes
// from the data versions, so a 304 is decided before any body is built, and the cache keeps the bytes
// with each compression made once. Everything else passes the `wire()` middleware, which hashes the
// body for a weak ETag. Writes and answers that set cookies get `Cache-Control: no-store` and no ETag;
// downloads (Content-Disposition) and bodies already encoded pass untouched, streams keep streaming.
import type { Context, MiddlewareHandler } from 'hono';
import { EncodedBody, hashEtag, type Compression, type ResponseCache } from '../store/response-cache.ts';
import { builtWhole, presetHeaders } from '../ops/preset-headers.ts';
import { isHeavyWork } from '../ops/limits.ts';
import type { Principal } from '../auth/roles.ts';

/** What a signed-in read is cached as: the browser keeps it but asks each time (ETag → 304). */
export const REVALIDATE = 'private, no-cache';

/**
 * For answers whose URL names the data version they show (the view's clusters, tiles): the browser
 * keeps them for a year without asking again. `private` because every /api answer needs a sign-in:
 * a shared proxy on a government network must not hand them to someone who has none.
 */
export const IMMUTABLE = 'private, max-age=31536000, immutable';

/** Marks the answer of `c` as cacheable forever (`IMMUTABLE`): use it when the URL holds the data version. */
export function cacheImmutable(c: Context): void {
  c.header('Cache-Control', IMMUTABLE);
}

const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\b/i;

const encodingChoices = new Map<string, Compression | 'identity'>();

/**
 * The encoding to send for an Accept-Encoding header: brotli before gzip at equal weight, none when
 * neither is acceptable (`q=0`, or an `identity`-only header). Answers are memoised per header text
 * (browsers send one of a few).
 */
export function preferredEncoding(header: string | undefined): Compression | 'identity' {
  if (!header) return 'identity';
  let choice = encodingChoices.get(header);
  if (choice !== undefined) return choice;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    weights.set(name, q ? Number(q[1]) : 1);
  }
  const weight = (name: Compression) => weights.get(name) ?? weights.get('*') ?? 0;
  const br = weight('br');
  const gz = weight('gzip');
  choice = br > 0 && br >= gz ? 'br' : gz > 0 ? 'gzip' : 'identity';
  if (encodingChoices.size >= 64) encodingChoices.clear();
  encodingChoices.set(header, choice);
  return choice;
}

/** Whether If-None-Match names `etag` (weak comparison, as RFC 9110 asks for If-None-Match). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}

/** An answer built whole: status, every header, and the body's bytes (none for a 304). */
export interface WholeAnswer {
  status: 200 | 304;
  headers: Record<string, string>;
  bytes: Buffer | null;
}

export interface WholeOptions {
  contentType?: string;
  cacheControl?: string;
}

/** What a whole answer depends on in the request: two of its headers. */
export interface ReadRequest {
  ifNoneMatch: string | undefined;
  acceptEncoding: string | undefined;
}

/**
 * The answer to a read of a body whose ETag is `etag`: 304 when If-None-Match names it (the body is
 * not asked for), else the body in the encoding the request prefers. `headers` (every answer's own,
 * server/ops/preset-headers.ts) is completed in place: copying it was ~1% of a cached answer. The
 * Hono path (`cachedJson`, `sendEncoded`) and the fast lane (server/routes/fast-lane.ts) both answer
 * through here.
 */
export function wholeAnswer(
  headers: Record<string, string>,
  etag: string,
  request: ReadRequest,
  body: () => EncodedBody,
  options: WholeOptions = {},
): WholeAnswer | Promise<WholeAnswer> {
  headers.ETag = etag;
  headers['Cache-Control'] = options.cacheControl ?? REVALIDATE;
  headers.Vary = 'Accept-Encoding';
  if (etagMatches(request.ifNoneMatch, etag)) return { status: 304, headers, bytes: null };
  headers['Content-Type'] = options.contentType ?? 'application/json; charset=utf-8';
  const out = body().encoded(preferredEncoding(request.acceptEncoding));
  return out instanceof Promise ? out.then((ready) => encodedAnswer(headers, ready)) : encodedAnswer(headers, out);
}

function encodedAnswer(headers: Record<string, string>, out: { encoding: Compression | 'identity'; bytes: Buffer }): WholeAnswer {
  if (out.encoding !== 'identity') headers['Content-Encoding'] = out.encoding;
  return { status: 200, headers, bytes: out.bytes };
}

const readRequest = (c: Context): ReadRequest => ({ ifNoneMatch: c.req.header('if-none-match'), acceptEncoding: c.req.header('accept-encoding') });

function respondWhole(c: Context, answer: WholeAnswer): Response {
  c.set('builtWhole', { bytes: answer.bytes?.length ?? 0 });
  return new Response(answer.bytes as unknown as BodyInit, { status: answer.status, headers: answer.headers });
}

const respond = (c: Context, answer: WholeAnswer | Promise<WholeAnswer>): Response | Promise<Response> =>
  answer instanceof Promise ? answer.then((ready) => respondWhole(c, ready)) : respondWhole(c, answer);

/** Answers with `body`'s bytes in the encoding the request prefers, with its ETag. */
export function sendEncoded(c: Context, body: EncodedBody, options: WholeOptions = {}): Response | Promise<Response> {
  return respond(
    c,
    wholeAnswer(presetHeaders(c), body.etag, { ifNoneMatch: undefined, acceptEncoding: c.req.header('accept-encoding') }, () => body, options),
  );
}

/**
 * A read answered from `cache`: 304 when the client holds this data version's answer (nothing is
 * built), else the cached bytes (built by `build` — JSON text — on a miss). The fast lane may answer
 * the same request again without Hono while the data version holds (`rememberAnswer`).
 */
export function cachedJson(
  c: Context,
  cache: ResponseCache,
  key: string,
  build: () => string,
  options: { cacheControl?: string } = {},
): Response | Promise<Response> {
  const version = cache.version();
  const etag = cache.etag(key, version);
  const preset = presetHeaders(c);
  const reusable = rememberAnswer(c, cache, key, version, etag, preset, options);
  const body = () => {
    const built = cache.get(key, build, version);
    if (reusable) reusable.body = new WeakRef(built);
    return built;
  };
  return respond(c, wholeAnswer(preset, etag, readRequest(c), body, options));
}

/**
 * What the fast lane (server/routes/fast-lane.ts) needs to answer the same GET again without Hono:
 * the cache entry and the ETag it was answered at, the headers every answer got (X-Request-Id is
 * made anew), who asked (the session must still give the same principal) and the log line's route.
 */
export interface ReusableAnswer {
  cache: ResponseCache;
  key: string;
  /** The cache's data version the answer was made at (its ETag is `cache.etag(key, version)`). */
  version: number;
  etag: string;
  preset: Readonly<Record<string, string>>;
  options: WholeOptions;
  principal: Principal;
  route: string;
  path: string;
  /** The body, once built or read from the cache (weak: the cache decides how long it is kept). */
  body?: WeakRef<EncodedBody>;
}

const reusable = new WeakMap<object, ReusableAnswer>();

/** The answer `cachedJson` gave to a Node request (its IncomingMessage), for the fast lane. */
export const reusableAnswer = (incoming: object): ReusableAnswer | undefined => reusable.get(incoming);

/** Notes a signed-in GET that is not heavy work (server/ops/limits.ts) as one the fast lane may answer again. */
function rememberAnswer(
  c: Context,
  cache: ResponseCache,
  key: string,
  version: number,
  etag: string,
  preset: Record<string, string>,
  options: WholeOptions,
): ReusableAnswer | undefined {
  const incoming = (c.env as { incoming?: object } | undefined)?.incoming;
  const principal = c.get('principal');
  if (!incoming || !principal || c.req.method !== 'GET' || isHeavyWork(c.req.method, c.req.path)) return undefined;
  const answer: ReusableAnswer = { cache, key, version, etag, preset: { ...preset }, options, principal, route: c.req.routePath, path: c.req.path };
  reusable.set(incoming, answer);
  return answer;
}

function replaceResponse(c: Context, response: Response): void {
  // Hono merges the old answer's headers into a new one (Content-Length included); start afresh.
  c.res = undefined;
  c.res = response;
}

/** The middleware of every /api answer a route did not encode itself (see the file's head). */
export function wire(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (builtWhole(c)) return;
    const res = c.res;
    const type = res.headers.get('content-type');
    if (!type || !JSON_TYPE.test(type) || !res.body || res.headers.has('content-encoding') || res.headers.has('content-disposition')) return;
    const method = c.req.method;
    const read = (method === 'GET' || method === 'HEAD') && res.status === 200 && !res.headers.has('set-cookie');
    const bytes = Buffer.from(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    headers.append('Vary', 'Accept-Encoding');
    if (read) {
      const etag = headers.get('etag') ?? hashEtag(bytes);
      headers.set('ETag', etag);
      if (!headers.has('cache-control')) headers.set('Cache-Control', REVALIDATE);
      if (etagMatches(c.req.header('if-none-match'), etag)) {
        headers.delete('content-type');
        return replaceResponse(c, new Response(null, { status: 304, headers }));
      }
    } else if (!headers.has('cache-control')) headers.set('Cache-Control', 'no-store');
    const out = await new EncodedBody(bytes, '').encoded(preferredEncoding(c.req.header('accept-encoding')));
    if (out.encoding !== 'identity') headers.set('Content-Encoding', out.encoding);
    replaceResponse(c, new Response(out.bytes as unknown as BodyInit, { status: res.status, statusText: res.statusText, headers }));
  };
}
