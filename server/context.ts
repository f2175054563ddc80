// What every route needs: the database and the county polygons held in memory for lookups.
import { campaignDay } from '../domain/days.ts';
import type { Db } from './db/database.ts';
import { CountyLocator } from '../domain/locate-county.ts';
import { countyPolygons } from './store/county-store.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BasemapSource } from './basemaps/basemap-source.ts';
import { DEFAULT_SESSION_SETTINGS, type SessionSettings } from './auth/sessions.ts';
import { createLogger, type Logger } from './ops/log.ts';
import { ArchivePool } from './basemaps/archive-pool.ts';

export interface AppContext {
  db: Db;
  locator: CountyLocator;
  countyCodes: ReadonlySet<string>;
  version: string;
  /** Today's date for "not in the future" checks; tests fix it. */
  today: () => string;
  /** Optional online basemaps (SANSAN_BASEMAPS); empty means offline only. */
  basemaps: BasemapSource[];
  /** Where inspection photos are kept (next to the database file). */
  photoDir: string;
  /** Session lifetimes and the clock they are measured on (tests move it). */
  sessions: SessionSettings;
  /** Structured logs (server/ops/log.ts): requests at info, unanticipated errors at error. */
  log: Logger;
  /** Registered basemap archives (data/basemaps/ beside the database), opened on first use. */
  archives: ArchivePool;
}

export function createContext(
  db: Db,
  version: string,
  today: () => string = () => campaignDay(),
  basemaps: BasemapSource[] = [],
  photoDir: string = join(tmpdir(), 'sansan-photos'),
  sessions: SessionSettings = { ...DEFAULT_SESSION_SETTINGS },
  log: Logger = createLogger('warn'),
  basemapDir: string = join(tmpdir(), 'sansan-basemaps'),
): AppContext {
  const counties = countyPolygons(db);
  return {
    db,
    locator: new CountyLocator(counties),
    countyCodes: new Set(counties.map((c) => c.code)),
    version,
    today,
    basemaps,
    photoDir,
    sessions,
    log,
    archives: new ArchivePool(basemapDir),
  };
}
