// `npm start`: builds the web app when its sources are newer than the build, opens the database
// (SANSAN_DB, default data/sansan.db) and serves the map and the API on PORT (default 8080).
import { serve } from '@hono/node-server';
import { resolve } from 'node:path';
import { bootDatabase, StartupError } from './bootstrap.ts';
import { AuditKeyError } from './auth/audit-seal.ts';
import { GeodataError } from './geodata/validate-counties.ts';
import { createServer } from './server.ts';
import { ensureWebBuild } from './web-build.ts';
import { basemapsFromEnv } from './routes/config.ts';
import { SeedError } from './seed/seed-plan.ts';
import type { CreatedAccount } from './auth/first-accounts.ts';
import { sessionSettingsFromEnv } from './auth/sessions.ts';

const root = resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 8080);
const dbPath = resolve(root, process.env.SANSAN_DB ?? 'data/sansan.db');
const demo = process.env.SANSAN_DEMO !== '0';

/** The new accounts' passwords, shown this once (only their hashes are stored). */
function printAccounts(accounts: CreatedAccount[]): void {
  if (!accounts.length) return;
  console.log('New database: accounts created (passwords are shown only now; change them with npm run users -- passwd NAME):');
  for (const account of accounts)
    console.log(`  ${account.username.padEnd(16)} ${account.role.padEnd(10)} ${account.counties.join(',').padEnd(7)} ${account.password ?? '(password from SANSAN_ADMIN_PASSWORD)'}`);
}

async function main() {
  await ensureWebBuild(root);
  const started = performance.now();
  const { ctx, accounts } = bootDatabase(dbPath, {
    demo,
    basemaps: basemapsFromEnv(process.env.SANSAN_BASEMAPS),
    accounts: { adminPassword: process.env.SANSAN_ADMIN_PASSWORD },
    sessions: sessionSettingsFromEnv(process.env),
  });
  printAccounts(accounts);
  const app = createServer(ctx, { webRoot: resolve(root, 'dist/web') });
  serve({ fetch: app.fetch, port }, (info) => {
    const sites = ctx.db.get<{ n: number }>('SELECT count(*) AS n FROM sites')!.n;
    console.log(`三散污染源地图 Sansan Map: http://localhost:${info.port}  (${sites} sites, ${dbPath}, ready in ${Math.round(performance.now() - started)} ms)`);
  });
}

main().catch((error: unknown) => {
  // One line that names the file or record; the stack only for errors nobody anticipated.
  const known = error instanceof StartupError || error instanceof AuditKeyError || error instanceof GeodataError || error instanceof SeedError;
  const message = error instanceof Error ? error.message : String(error);
  console.error(`start-up failed: ${message}`);
  if (!known && process.env.SANSAN_DEBUG) console.error(error);
  process.exit(1);
});
