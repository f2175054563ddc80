// `npm start`: checks the configuration first (server/config.ts: a bad variable stops it before any
// side effect), builds the web app when its sources are newer than the build, opens the database
// (SANSAN_DB, default data/sansan.db) and serves the map and the API on HOST:PORT (default all
// addresses, 8080). Logs are JSON lines on standard output. SIGTERM/SIGINT stop it gracefully: no new
// connections, requests in flight finish, the audit head is anchored, the WAL checkpointed, the file closed.
import { rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { anchorAuditHead } from './auth/audit-seal.ts';
import { runningServer, serverPidPath } from './ops/backup.ts';
import { createLogger } from './ops/log.ts';
import { startSchedule } from './ops/schedule.ts';
import { resolve } from 'node:path';
import { bootDatabase, StartupError } from './bootstrap.ts';
import { AuditKeyError } from './auth/audit-seal.ts';
import { GeodataError } from './geodata/validate-counties.ts';
import { createServer, listen } from './server.ts';
import { ensureWebBuild } from './web-build.ts';
import { SeedError } from './seed/seed-plan.ts';
import type { CreatedAccount } from './auth/first-accounts.ts';
import { ConfigError, parseConfig, type ServerConfig } from './config.ts';
import { setThreadHeapMb } from './db/threads.ts';
import { countSites } from './store/site-queries.ts';

const root = resolve(import.meta.dirname, '..');
/** Requests still running this long after SIGTERM are cut off. */
const SHUTDOWN_GRACE_MS = 10_000;

/** The new accounts' passwords, shown this once (only their hashes are stored). */
function printAccounts(accounts: CreatedAccount[]): void {
  if (!accounts.length) return;
  console.log('New database: accounts created (passwords are shown only now; change them with npm run users -- passwd NAME):');
  for (const account of accounts)
    console.log(
      `  ${account.username.padEnd(16)} ${account.role.padEnd(10)} ${account.counties.join(',').padEnd(7)} ${account.password ?? '(password from SANSAN_ADMIN_PASSWORD)'}`,
    );
}

async function main(config: ServerConfig) {
  const { port, host, dbPath } = config;
  const log = createLogger(config.logLevel);
  setThreadHeapMb(config.threadHeapMb);
  await ensureWebBuild(root);
  const pid = runningServer(dbPath);
  if (pid !== null && pid !== process.pid) throw new StartupError(`another server (process ${pid}) is running on ${dbPath}`);
  const started = performance.now();
  const { ctx, accounts } = bootDatabase(dbPath, {
    demo: config.demo,
    basemaps: config.basemaps,
    accounts: { adminPassword: config.adminPassword },
    sessions: config.sessions,
    log,
    onSchemaUpdate: (pending) =>
      console.log(`Updating the database's schema (${pending.map((m) => `${m.version} ${m.name}`).join(', ')}); on a large database this can take a minute.`),
  });
  printAccounts(accounts);
  writeFileSync(serverPidPath(dbPath), String(process.pid));
  anchorAuditHead(ctx.db, 'start');
  const stopSchedule = startSchedule(ctx.db, dbPath, ctx.version, config.backups, log);
  const app = createServer(ctx, { webRoot: resolve(root, 'dist/web') });
  const server = listen(ctx, app, { port, hostname: host }, (info) => {
    const sites = countSites(ctx.db, {});
    console.log(
      `三散污染源地图 Sansan Map: http://${host ?? 'localhost'}:${info.port}  (${sites} sites, ${dbPath}, ready in ${Math.round(performance.now() - started)} ms)`,
    );
    log.info({ event: 'listening', host: host ?? null, port: info.port, sites, db: dbPath });
  }) as Server;

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: 'shutdown', signal });
    stopSchedule();
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    force.unref();
    // No new connections; idle keep-alive ones end now, busy ones after their request.
    server.close(() => {
      clearTimeout(force);
      try {
        anchorAuditHead(ctx.db, 'shutdown');
        ctx.db.checkpoint();
        ctx.db.close();
      } finally {
        rmSync(serverPidPath(dbPath), { force: true });
        log.info({ event: 'stopped' });
        log.flush();
        process.exit(0);
      }
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

// The configuration is checked before anything else: a bad variable builds, creates and prints nothing.
new Promise<ServerConfig>((done) => done(parseConfig(process.env, root))).then(main).catch((error: unknown) => {
  // One line that names the file or record; the stack only for errors nobody anticipated.
  const known =
    error instanceof ConfigError ||
    error instanceof StartupError ||
    error instanceof AuditKeyError ||
    error instanceof GeodataError ||
    error instanceof SeedError;
  const message = error instanceof Error ? error.message : String(error);
  console.error(`start-up failed: ${message}`);
  if (!known && process.env.SANSAN_DEBUG) console.error(error);
  process.exit(1);
});
