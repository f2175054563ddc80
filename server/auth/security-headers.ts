// Content-Security-Policy and the usual security headers on every response (Hono's secureHeaders).
// MapLibre needs: its worker from a same-origin URL or blob:, images from blob:/data:, inline style
// attributes on markers. Optional online basemaps (SANSAN_BASEMAPS) add their tile origins.
import { secureHeaders } from 'hono/secure-headers';
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

export function securityHeaders(ctx: AppContext) {
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
