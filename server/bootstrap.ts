// Start-up: open the file, migrate, load geodata and seeds, fill an empty database with demo data.
// Each step is a transaction; a failure stops start-up with one line naming the file or record.
import { campaignDay } from '../domain/days.ts';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { openDatabase, type Db } from './db/database.ts';
import { MIGRATIONS, migrate, type Migration } from './db/migrate.ts';
import { createContext, type AppContext } from './context.ts';
import { boundaryMoves, DEFAULT_GEODATA, loadGeodata, type GeodataFiles } from './geodata/load-geodata.ts';
import { generateDemo } from './seed/demo.ts';
import { seedNamedPlaces, seedPlanTasks } from './seed/seed-plan.ts';
import type { BasemapSource } from './basemaps/basemap-source.ts';
import { createFirstAccounts, type CreatedAccount } from './auth/first-accounts.ts';
import type { SessionSettings } from './auth/sessions.ts';
import { setUpAuditSeal } from './auth/audit-seal.ts';
import type { Logger } from './ops/log.ts';
import { hasDemoData } from './store/demo-store.ts';
import { followCountyBoundary } from './store/site-mutations.ts';

type BasemapConfig = BasemapSource;

export const APP_VERSION: string = (JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8')) as { version: string }).version;

export interface BootOptions {
  /** Fill an empty database with generated demo records (all marked demo). */
  demo?: boolean;
  geodata?: GeodataFiles;
  today?: () => string;
  basemaps?: BasemapConfig[];
  /**
   * Make the first accounts when the database has none (npm start): `admin` with this password (or
   * a random one), and, with `demo`, one demo account per role. Tests and the bench leave it out.
   */
  accounts?: { adminPassword?: string };
  sessions?: SessionSettings;
  /** How long a write waits for another connection's lock (default BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
  /** Where requests and errors are logged (default: errors only, to standard output). */
  log?: Logger;
  /** Told the migrations about to update an existing file's schema (npm start prints them). */
  onSchemaUpdate?: (pending: readonly Migration[]) => void;
}

export class StartupError extends Error {}

/** Where registered basemap archives are kept: data/basemaps/ beside the database file. */
export const basemapFolder = (dbPath: string) => join(dirname(dbPath), 'basemaps');

/**
 * After new county boundaries load, every located site must lie inside some county polygon (else
 * start-up stops naming the first that does not), and a site whose polygon changed follows it.
 */
function checkSitesInCounties(db: Db, ctx: AppContext): void {
  const { moves, outside } = boundaryMoves(db, ctx.locator);
  if (outside)
    throw new StartupError(`site ${outside.id} (${outside.name}) at ${outside.lon},${outside.lat} lies outside every county polygon of the loaded geodata`);
  for (const { id, county } of moves) followCountyBoundary(db, id, county);
}

export function bootDatabase(path: string, options: BootOptions = {}): { db: Db; ctx: AppContext; accounts: CreatedAccount[] } {
  const db = openDatabase(path, { busyTimeoutMs: options.busyTimeoutMs });
  try {
    migrate(db, MIGRATIONS, options.onSchemaUpdate);
    setUpAuditSeal(db, path);
    db.transaction(() => {
      const { boundariesChanged } = loadGeodata(db, options.geodata ?? DEFAULT_GEODATA);
      seedPlanTasks(db);
      seedNamedPlaces(db);
      if (boundariesChanged) checkSitesInCounties(db, createContext(db, APP_VERSION));
      // generateDemo would only count what is there when demo data exists (its seed, or any demo site —
      // e.g. a bench's synthetic file): skip it then, as that count reads every site and event (≈6 s at 10^6).
      // The demo campaign is continued up to "today", so the default as-of-today figures are plausible.
      if ((options.demo ?? true) && !hasDemoData(db)) generateDemo(db, { today: (options.today ?? campaignDay)() });
    });
    // Photos live beside the database file (for ':memory:' databases, in a temporary folder).
    const photoDir = path === ':memory:' ? mkdtempSync(join(tmpdir(), 'sansan-photos-')) : join(dirname(path), 'photos');
    // Registered basemap archives too (npm run basemap; server/basemaps/).
    const basemapDir = path === ':memory:' ? join(photoDir, '..', 'sansan-basemaps') : basemapFolder(path);
    const ctx = createContext(db, APP_VERSION, options.today, options.basemaps, photoDir, options.sessions, options.log, basemapDir);
    const accounts = options.accounts
      ? createFirstAccounts(db, ctx.countyCodes, { adminPassword: options.accounts.adminPassword, demo: options.demo ?? true })
      : [];
    return { db, ctx, accounts };
  } catch (error) {
    db.close();
    throw error;
  }
}
