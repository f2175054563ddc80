// The fast lane (issue #17, throughput on a cached answer): a signed-in GET that `cachedJson`
// (server/routes/wire.ts) answered is remembered per session token and URL; the same GET again is
// answered straight from Node's request listener, without Hono, while everything that decided the
// first answer still holds:
// - the same token still gives the same principal (findSession, the in-memory session check:
//   sign-out, expiry, an account change or a disabled user end it; their answer comes from Hono);
// - the cache's data version still gives the same ETag (a write to its topics sends the request
//   through Hono, which builds the new answer and remembers it in turn);
// - the body is still held by the cache (else Hono reads or builds it again).
// The permission rule, the query's validation and the handler were passed by the same token on the
// same URL; heavy work (the limiter's routes) is never remembered. The answer's status and headers
// are made once by the same function as Hono's (`wholeAnswer`: 304 on If-None-Match, the preferred
// encoding) and kept per encoding asked; each answer gets a new X-Request-Id and logs its one line
// with the text requestLog's would have. Anything else — another method, no
// token, a miss, an answer whose compression is not made yet, an error — goes to Hono unchanged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../context.ts';
import type { Compression, EncodedBody, ResponseCache } from '../store/response-cache.ts';
import { sentToken } from '../auth/guard.ts';
import { findSession } from '../auth/sessions.ts';
import { answerLineWriter, logAnswer, requestIdFor } from '../ops/log.ts';
import { etagMatches, preferredEncoding, reusableAnswer, wholeAnswer, type ReusableAnswer } from './wire.ts';

type Listener = (incoming: IncomingMessage, outgoing: ServerResponse) => unknown;

/** Remembered answers kept at most (the oldest go first); each holds its body only weakly. */
const MAX_REMEMBERED = 1024;

const one = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * The caches' data versions, read once per turn of the event loop (the `PRAGMA data_version` and
 * `total_changes()` reads were ~14% of a fast answer). The requests answered in one turn were read
 * from their sockets in the same poll, so they were sent before any answer of that turn went out;
 * a write's answer and any request Hono answers end the turn's reading (`forgetVersions`), and
 * timers (the scheduled jobs) run in another phase of the loop, after the turn's reading is gone.
 */
class TurnVersions {
  private versions: Map<ResponseCache, number> | null = null;
  readonly forget = () => {
    this.versions = null;
  };

  of(cache: ResponseCache): number {
    if (!this.versions) {
      this.versions = new Map();
      setImmediate(this.forget);
    }
    let version = this.versions.get(cache);
    if (version === undefined) this.versions.set(cache, (version = cache.version()));
    return version;
  }
}

/**
 * An answer's status line and headers as made once by `wholeAnswer` (the same function Hono's
 * answer went through), as the flat list `writeHead` takes, with X-Request-Id's value at `idAt`.
 * Node writes a flat list without walking an object's keys; the lane copies it and sets the id.
 */
interface Shape {
  status: 200 | 304;
  headers: string[];
  idAt: number;
  /** The body's encoding and length the headers name (none for a 304). */
  encoding: Compression | 'identity' | null;
  length: number;
}

/** A remembered answer, with what the lane has made from it so far. */
interface Entry {
  answer: ReusableAnswer;
  /** By the encoding asked for ('304' for a matching If-None-Match). */
  shapes: Map<Compression | 'identity' | '304', Shape>;
  /** Writes the answer's log line; null: through `logAnswer` (a logger of another kind). */
  logLine: ((req: string, status: number, started: number, bytes: number) => void) | null | undefined;
}

/** The shape of `entry`'s answer to a request asking for `asked`, or null when it cannot be answered now. */
function shapeOf(entry: Entry, asked: Compression | 'identity' | '304', held: EncodedBody | undefined): Shape | null {
  const made = entry.shapes.get(asked);
  if (made) return made;
  const { answer } = entry;
  const headers = { ...answer.preset, 'X-Request-Id': '' };
  const request = asked === '304' ? { ifNoneMatch: answer.etag, acceptEncoding: undefined } : { ifNoneMatch: undefined, acceptEncoding: asked };
  const out = wholeAnswer(headers, answer.etag, request, () => held!, answer.options);
  // A compression still being made: Hono waits for it (this lane never waits).
  if (out instanceof Promise) return null;
  if (out.bytes) out.headers['Content-Length'] = String(out.bytes.length);
  const names = Object.keys(out.headers);
  const shape: Shape = {
    status: out.status,
    headers: names.flatMap((name) => [name, out.headers[name]!]),
    idAt: 2 * names.indexOf('X-Request-Id') + 1,
    encoding: out.bytes ? ((out.headers['Content-Encoding'] as Compression | undefined) ?? 'identity') : null,
    length: out.bytes?.length ?? 0,
  };
  entry.shapes.set(asked, shape);
  return shape;
}

/** Node's request listener with the fast lane in front; `answered` counts the requests it answered. */
export type FastLane = Listener & { answered: number };

/** Wraps Node's request listener of the Hono app (`listener`) with the fast lane. */
export function fastLane(ctx: AppContext, listener: Listener): FastLane {
  const remembered = new Map<string, Entry>();
  const versions = new TurnVersions();

  const answer = (incoming: IncomingMessage, outgoing: ServerResponse, token: string, entry: Entry): boolean => {
    const started = performance.now();
    const { answer: reusable } = entry;
    const session = findSession(ctx.db, token, ctx.sessions);
    if (!session || session.user !== reusable.principal) return false;
    // Same data version, same ETag (`ResponseCache.etag` is a function of the key and the version).
    if (versions.of(reusable.cache) !== reusable.version) return false;
    const headers = incoming.headers;
    const notModified = etagMatches(headers['if-none-match'], reusable.etag);
    const held = notModified ? undefined : reusable.body?.deref();
    // A 200 needs the body: when the cache has let it go, Hono reads or builds it again.
    if (!notModified && !held) return false;
    const shape = shapeOf(entry, notModified ? '304' : preferredEncoding(one(headers['accept-encoding'])), held);
    if (!shape) return false;
    let bytes: Buffer | undefined;
    if (shape.encoding) {
      const out = held!.encoded(shape.encoding);
      if (out instanceof Promise || out.bytes.length !== shape.length) return false;
      bytes = out.bytes;
    }
    const id = requestIdFor(one(headers['x-request-id']));
    const list = shape.headers.slice();
    list[shape.idAt] = id;
    outgoing.writeHead(shape.status, list);
    outgoing.end(bytes);
    if (entry.logLine === undefined)
      entry.logLine = answerLineWriter(ctx.log, { user: reusable.principal.username, method: 'GET', route: reusable.route, path: reusable.path });
    if (entry.logLine) entry.logLine(id, shape.status, started, shape.length);
    else
      logAnswer(ctx.log, {
        req: id,
        user: reusable.principal.username,
        method: 'GET',
        route: reusable.route,
        path: reusable.path,
        status: shape.status,
        started,
        bytes: shape.length,
      });
    return true;
  };

  /** A request for Hono: what it writes, and its answer, end this turn's reading of the versions. */
  const toHono = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    versions.forget();
    outgoing.once('finish', versions.forget);
    return listener(incoming, outgoing);
  };

  const lane: FastLane = Object.assign(
    (incoming: IncomingMessage, outgoing: ServerResponse) => {
      const url = incoming.url;
      if (incoming.method !== 'GET' || !url?.startsWith('/api/')) return toHono(incoming, outgoing);
      const sent = sentToken(incoming.headers.authorization, one(incoming.headers.cookie));
      const token = sent?.token;
      if (!token) return toHono(incoming, outgoing);
      const key = `${token} ${url}`;
      const entry = remembered.get(key);
      if (entry) {
        try {
          if (answer(incoming, outgoing, token, entry)) {
            lane.answered++;
            return undefined;
          }
        } catch (error) {
          // Hono answers it (and logs a failure of its own, if it fails there too).
          ctx.log.warn({ event: 'fast_lane_error', err: error instanceof Error ? error.message : String(error) });
          if (outgoing.headersSent) return undefined;
        }
        remembered.delete(key);
      }
      const done = toHono(incoming, outgoing);
      const remember = () => {
        const reusable = reusableAnswer(incoming);
        if (!reusable) return;
        if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
        remembered.set(key, { answer: reusable, shapes: new Map(), logLine: undefined });
      };
      return done instanceof Promise ? done.then(remember) : remember();
    },
    { answered: 0 },
  );
  return lane;
}
