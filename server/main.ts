// `npm start`: builds the web app when its sources are newer than the build, opens the database
// (SANSAN_DB, default data/sansan.db) and serves the map and the API on PORT (default 8080).
import { serve } from '@hono/node-server';
import { resolve } from 'node:path';
import { bootDatabase, StartupError } from './bootstrap.ts';
import { GeodataError } from './geodata/validate-counties.ts';
import { createServer } from './server.ts';
import { ensureWebBuild } from './web-build.ts';
import { basemapsFromEnv } from './routes/config.ts';
import { SeedError } from './seed/seed-plan.ts';

const root = resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 8080);
const dbPath = resolve(root, process.env.SANSAN_DB ?? 'data/sansan.db');
const demo = process.env.SANSAN_DEMO !== '0';

async function main() {
  await ensureWebBuild(root);
  const started = performance.now();
  const { ctx } = bootDatabase(dbPath, { demo, basemaps: basemapsFromEnv(process.env.SANSAN_BASEMAPS) });
  const app = createServer(ctx, { webRoot: resolve(root, 'dist/web') });
  serve({ fetch: app.fetch, port }, (info) => {
    const sites = ctx.db.get<{ n: number }>('SELECT count(*) AS n FROM sites')!.n;
    console.log(`三散污染源地图 Sansan Map: http://localhost:${info.port}  (${sites} sites, ${dbPath}, ready in ${Math.round(performance.now() - started)} ms)`);
  });
}

main().catch((error: unknown) => {
  // One line that names the file or record; the stack only for errors nobody anticipated.
  const known = error instanceof StartupError || error instanceof GeodataError || error instanceof SeedError;
  const message = error instanceof Error ? error.message : String(error);
  console.error(`start-up failed: ${message}`);
  if (!known && process.env.SANSAN_DEBUG) console.error(error);
  process.exit(1);
});
