// The whole HTTP surface: the API under /api, map glyphs and the built web app.
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { createApp } from './app.ts';
import type { AppContext } from './context.ts';
import { GEODATA_DIR } from './geodata/geodata-dir.ts';
import { requestLog } from './ops/log.ts';
import { webFiles } from './routes/static.ts';

export interface ServerOptions {
  /** Folder of the built web app (index.html and assets). */
  webRoot: string;
}

export function createServer(ctx: AppContext, options: ServerOptions) {
  const app = new Hono();
  app.use('*', requestLog(ctx.log));
  app.route('/', createApp(ctx, { requestLog: false }));
  const root = resolve(import.meta.dirname, '..');
  // Glyph PBFs for the offline basemap's Latin letters and digits.
  app.use(
    '/glyphs/*',
    serveStatic({
      root: relative(process.cwd(), resolve(GEODATA_DIR, 'glyphs')) || '.',
      rewriteRequestPath: (path) => decodeURIComponent(path.replace(/^\/glyphs/, '')),
      onFound: (_path, c) => {
        c.header('Content-Type', 'application/x-protobuf');
        c.header('Cache-Control', 'public, max-age=86400');
      },
    }),
  );
  app.get('/glyphs/*', (c) => c.body(null, 404));
  app.use('*', webFiles(options.webRoot));
  // Any other page path is the single-page app (the URL holds the view state).
  app.get('*', (c) => {
    const index = resolve(options.webRoot, 'index.html');
    if (!existsSync(index)) return c.text(`web app not built: run npm run build (looked in ${relative(root, index)})`, 503);
    return c.html(readFileSync(index, 'utf8'));
  });
  return app;
}
