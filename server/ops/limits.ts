// Heavy work (ledger preview and commit, exports, the analyses, route planning, the scorecard
// workbook) passes a per-user and a global limit on how many run at once, so one user cannot take
// every slot of a 2-core server: beyond either limit the request is answered at once with 429
// `too_busy` and Retry-After, before its body is read. A slot is held until the handler has answered
// (for a streamed body, until the stream is finished or cancelled).
import type { Context, MiddlewareHandler, Next } from 'hono';
import { AppError } from '../errors.ts';

/** Routes (method and /api path pattern) that count as heavy work. */
export const HEAVY_ROUTES: readonly { method: string; path: RegExp }[] = [
  { method: 'POST', path: /^\/api\/imports$/ },
  { method: 'POST', path: /^\/api\/imports\/\d+\/commit$/ },
  { method: 'GET', path: /^\/api\/export$/ },
  { method: 'GET', path: /^\/api\/scorecards(\/xlsx)?$/ },
  { method: 'GET', path: /^\/api\/counties\/\d{6}\/scorecard(\/sites)?$/ },
  { method: 'GET', path: /^\/api\/analysis\/(siege|relapse)$/ },
  { method: 'POST', path: /^\/api\/routes\/plan$/ },
];

/** Whether a request (method, /api path) is heavy work. */
export const isHeavyWork = (method: string, path: string): boolean => HEAVY_ROUTES.some((route) => route.method === method && route.path.test(path));

export interface HeavyLimits {
  /** Heavy requests one user may have running at once. */
  perUser: number;
  /** Heavy requests running at once in all (the machine has 2 cores). */
  global: number;
  /** Seconds the 429 asks the caller to wait. */
  retryAfterSeconds: number;
}

export const DEFAULT_HEAVY_LIMITS: HeavyLimits = { perUser: 2, global: 4, retryAfterSeconds: 5 };

export const tooBusy = (scope: 'user' | 'server', limit: number, retryAfterSeconds: number) =>
  new AppError(
    429,
    'too_busy',
    scope === 'user'
      ? `you already have ${limit} heavy requests (imports, exports, analyses) running; try again in ${retryAfterSeconds} s`
      : `the server is running ${limit} heavy requests (imports, exports, analyses); try again in ${retryAfterSeconds} s`,
    { scope, limit, retryAfterSeconds },
    { 'Retry-After': String(retryAfterSeconds) },
  );

/** Counts of heavy requests in flight, in all and by user. */
export class HeavyWork {
  running = 0;
  readonly byUser = new Map<string, number>();
  constructor(readonly limits: HeavyLimits = DEFAULT_HEAVY_LIMITS) {}

  /** Takes a slot for `user` or throws 429; the returned function gives it back (once). */
  acquire(user: string): () => void {
    const mine = this.byUser.get(user) ?? 0;
    if (mine >= this.limits.perUser) throw tooBusy('user', this.limits.perUser, this.limits.retryAfterSeconds);
    if (this.running >= this.limits.global) throw tooBusy('server', this.limits.global, this.limits.retryAfterSeconds);
    this.running++;
    this.byUser.set(user, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const left = (this.byUser.get(user) ?? 1) - 1;
      if (left > 0) this.byUser.set(user, left);
      else this.byUser.delete(user);
    };
  }
}

/** Middleware (after sign-in) holding a slot for each heavy request while it runs. */
export function heavyWorkLimit(work = new HeavyWork()): MiddlewareHandler {
  // Not async: a request that is not heavy work passes without a promise of its own.
  return (c, next) => {
    if (!isHeavyWork(c.req.method, c.req.path)) return next();
    return holdSlot(work, c, next);
  };
}

async function holdSlot(work: HeavyWork, c: Context, next: Next): Promise<void> {
  const principal = c.get('principal') as { username?: string } | undefined;
  const release = work.acquire(principal?.username ?? 'anonymous');
  try {
    await next();
  } catch (error) {
    release();
    throw error;
  }
  const body = c.res.body;
  if (!body || c.res.status >= 400) {
    release();
    return;
  }
  // A streamed answer keeps its slot until the last chunk is read or the reader gives up.
  const reader = body.getReader();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
  c.res = new Response(stream, { status: c.res.status, statusText: c.res.statusText, headers: c.res.headers });
}
