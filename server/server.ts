// The whole HTTP surface: the API under /api, map glyphs and the built web app.
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { relative, resolve } from 'node:path';
import { createApp } from './app.ts';
import type { AppContext } from './context.ts';
import { GEODATA_DIR } from './geodata/geodata-dir.ts';
import { requestLog } from './ops/log.ts';
import { fastLane } from './routes/fast-lane.ts';
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

/**
 * Serves `app` (from createServer) on Node's http server, with the fast lane for cached reads in
 * front of it (server/routes/fast-lane.ts).
 */
export function listen(
  ctx: AppContext,
  app: { fetch: Parameters<typeof serve>[0]['fetch'] },
  options: { port: number; hostname?: string },
  onListening?: (info: { port: number }) => void,
): ServerType {
  return serve(
    {
      fetch: app.fetch,
      port: options.port,
      hostname: options.hostname,
      createServer: ((serverOptions: object, listener: RequestListener) =>
        createHttpServer(serverOptions, fastLane(ctx, listener) as RequestListener)) as typeof createHttpServer,
    },
    onListening,
  );
}
