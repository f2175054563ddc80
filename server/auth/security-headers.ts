// Content-Security-Policy and the usual security headers on every response (Hono's secureHeaders).
// MapLibre needs: its worker from a same-origin URL or blob:, images from blob:/data:, inline style
// attributes on markers. Optional online basemaps (SANSAN_BASEMAPS) add their tile origins.
import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { builtWhole, presetHeaders } from '../ops/preset-headers.ts';
import type { AppContext } from '../context.ts';

function basemapOrigins(ctx: AppContext): string[] {
  const origins = new Set<string>();
  for (const basemap of ctx.basemaps)
    for (const tile of basemap.tiles) {
      try {
        origins.add(new URL(tile.replace(/[{}]/g, '')).origin);
      } catch {
        // a template that is no URL cannot be fetched either
      }
    }
  return [...origins];
}

function honoSecureHeaders(ctx: AppContext): MiddlewareHandler {
  const tiles = basemapOrigins(ctx);
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:', ...tiles],
      connectSrc: ["'self'", ...tiles],
      workerSrc: ["'self'", 'blob:'],
      childSrc: ["'self'", 'blob:'],
      fontSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    permissionsPolicy: { camera: ['self'], geolocation: ['self'], microphone: [], payment: [] },
  });
}

/** The headers Hono's secureHeaders sets (it sets the same ones on every answer), read once. */
async function headerList(middleware: MiddlewareHandler): Promise<[string, string][]> {
  const headers = new Headers();
  await middleware({ res: { headers } } as unknown as Context, async () => {});
  const list: [string, string][] = [];
  headers.forEach((value, name) => list.push([name, value]));
  return list;
}

/**
 * Hono's secureHeaders, its headers computed once: preset for answers built whole
 * (server/ops/preset-headers.ts), set on every other answer after the handler.
 */
export function securityHeaders(ctx: AppContext): MiddlewareHandler {
  const computed = headerList(honoSecureHeaders(ctx));
  let list: [string, string][] | null = null;
  return async (c, next) => {
    list ??= await computed;
    const preset = presetHeaders(c);
    for (const [name, value] of list) preset[name] = value;
    await next();
    if (builtWhole(c)) return;
    for (const [name, value] of list) c.res.headers.set(name, value);
    c.res.headers.delete('X-Powered-By');
  };
}
