// Structured logs: one JSON line per event on standard output (pino), one per request with its id.
// Every response carries X-Request-Id (the caller's own, when it sent a sane one, else a new UUID);
// a 500 is logged with that id, the route, the user and the stack.
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { pino, type DestinationStream, type Level } from 'pino';
import { builtWhole, presetHeaders } from './preset-headers.ts';

export type Logger = pino.Logger;

/** A logger writing JSON lines (time as ISO text) to `destination` (default standard output). */
export function createLogger(level: Level | 'silent' = 'info', destination?: DestinationStream): Logger {
  const options = { level, base: undefined, timestamp: isoTime };
  const logger = pino(options, destination ?? standardOutput());
  plainLoggers.add(logger);
  return logger;
}

/** Loggers made by `createLogger` (no hooks, mixins or formatters: their lines can be written by hand). */
const plainLoggers = new WeakSet<Logger>();

let lastMs = NaN;
let lastTime = '';
/** pino's isoTime, the text made once per millisecond (many lines share one under load). */
function isoTime(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}

let stdout: DestinationStream | undefined;

/** Info lines wait at most this long before they are written (errors and warnings go at once). */
const BATCH_MS = 10;
/** …or until this much text is waiting. */
const BATCH_CHARS = 64 * 1024;

/**
 * Standard output, written in batches: the lines logged while requests are answered are joined and
 * written in one call at most BATCH_MS later (a write per line, then per turn of the event loop,
 * was 5–15% of a cached answer's CPU, issue #17). A warning or error line is written at once with
 * whatever waits before it. Through pino's own destination (sonic-boom), which retries when a pipe
 * is full; `flush` and the process's exit (also after an uncaught exception) write what is pending, so
 * no line is lost on shutdown or crash (a SIGKILL loses at most BATCH_MS of lines).
 */
function standardOutput(): DestinationStream {
  if (stdout) return stdout;
  const out = pino.destination({ dest: 1, sync: true });
  let pending: string[] = [];
  let chars = 0;
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const text = pending.length === 1 ? pending[0]! : pending.join('');
    pending = [];
    chars = 0;
    out.write(text);
  };
  process.on('exit', flush);
  const destination = {
    write(line: string) {
      pending.push(line);
      chars += line.length;
      // pino's lines begin {"level":NN — 40 and up are warnings, errors and fatal ones.
      if (line.charCodeAt(9) >= 52 || chars >= BATCH_CHARS) flush();
      else if (!timer) timer = setTimeout(flush, BATCH_MS).unref();
    },
    /** Called by `logger.flush()`: writes now. */
    flush(done?: (error?: Error) => void) {
      flush();
      done?.();
    },
  };
  return (stdout = destination);
}

const requestIds = new WeakMap<Request, string>();

/** The id of the request being answered (the one in its X-Request-Id). */
export const requestIdOf = (c: Context): string | null => requestIds.get(c.req.raw) ?? null;

const userOf = (c: Context): string | null => (c.get('principal') as { username?: string } | undefined)?.username ?? null;

/** The id of a request: the caller's own X-Request-Id when it is sane, else a new UUID. */
export const requestIdFor = (sent: string | undefined): string => (sent && /^[\w.:-]{1,100}$/.test(sent) ? sent : randomUUID());

/** What the one line per answered request says. */
export interface AnswerLine {
  req: string;
  user: string | null;
  method: string;
  route: string;
  path: string;
  status: number;
  /** When the request began (performance.now()). */
  started: number;
  bytes: number | null;
}

/** Logs the one line of an answered request (also used by the fast lane, server/routes/fast-lane.ts). */
export function logAnswer(log: Logger, line: AnswerLine): void {
  const ms = Math.round((performance.now() - line.started) * 10) / 10;
  log.info({ req: line.req, user: line.user, method: line.method, route: line.route, path: line.path, status: line.status, ms, bytes: line.bytes });
}

/**
 * The fast lane's log line (server/routes/fast-lane.ts) for answers of one route, path and user:
 * the text pino would write for `logAnswer`, with the parts that do not change made once. Returns
 * null for a logger not made by `createLogger` (it may format lines its own way: use `logAnswer`).
 */
export function answerLineWriter(
  log: Logger,
  line: Pick<AnswerLine, 'user' | 'method' | 'route' | 'path'>,
): ((req: string, status: number, started: number, bytes: number) => void) | null {
  if (!plainLoggers.has(log)) return null;
  const stream = (log as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym]!;
  const bindings = (log as unknown as Record<symbol, string>)[pino.symbols.chindingsSym] ?? '';
  const middle = `","user":${JSON.stringify(line.user)},"method":${JSON.stringify(line.method)},"route":${JSON.stringify(line.route)},"path":${JSON.stringify(line.path)},"status":`;
  return (req, status, started, bytes) => {
    if (!log.isLevelEnabled('info')) return;
    const ms = Math.round((performance.now() - started) * 10) / 10;
    // `req` is a UUID or a caller's id matching requestIdFor's pattern: nothing in it needs escaping.
    stream.write(`{"level":30${isoTime()}${bindings},"req":"${req}${middle}${status},"ms":${ms},"bytes":${bytes}}\n`);
  };
}

/** Gives every request an id and logs one line when it has been answered. */
export function requestLog(log: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const id = requestIdFor(c.req.header('x-request-id'));
    requestIds.set(c.req.raw, id);
    presetHeaders(c)['X-Request-Id'] = id;
    await next();
    const whole = builtWhole(c);
    if (!whole) c.res.headers.set('X-Request-Id', id);
    const length = whole ? String(whole.bytes) : c.res.headers.get('content-length');
    logAnswer(log, {
      req: id,
      user: userOf(c),
      method: c.req.method,
      route: c.req.routePath,
      path: c.req.path,
      status: c.res.status,
      started,
      bytes: length === null ? null : Number(length),
    });
  };
}

/** Logs an unanticipated error (the 500 the caller sees names only the request id). */
export function logServerError(log: Logger, c: Context, error: unknown): void {
  log.error(
    {
      req: requestIdOf(c),
      user: userOf(c),
      method: c.req.method,
      route: c.req.routePath,
      path: c.req.path,
      err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
    },
    'internal error',
  );
}
