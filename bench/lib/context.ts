// What every figure gets: the repository root, the cleanup registry and the shared fixtures
// (web build, synthetic database files), each made once per run.
import { join } from 'node:path';
import { bootDatabase } from '../../server/bootstrap.ts';
import { ensureWebBuild } from '../../server/web-build.ts';
import { generateSites, loadSites, readGeography, type Geography, type LoadResult } from '../synthetic.ts';
import type { Resources } from './resources.ts';
import type { Row } from './measure.ts';

export interface BenchContext {
  root: string;
  resources: Resources;
  fixtures: Fixtures;
  /** --big: add 10^6-site rows. */
  big: boolean;
  log(message: string): void;
}

export type Figure = (context: BenchContext) => Promise<Row[]>;

export class Fixtures {
  private web: Promise<void> | null = null;
  private geographyCache: Geography | null = null;
  private readonly databases = new Map<number, { path: string; load: LoadResult }>();
  private demo: string | null = null;
  private files = 0;

  constructor(
    private readonly root: string,
    private readonly dir: string,
    private readonly log: (message: string) => void,
  ) {}

  /** dist/web built (not timed), so start-up figures do not include a Vite build. */
  webBuild(): Promise<void> {
    this.web ??= (async () => {
      this.log('checking the web build (vite build when stale; not timed)');
      await ensureWebBuild(this.root);
    })();
    return this.web;
  }

  /** Counties, townships and villages of a freshly migrated database. */
  geography(): Geography {
    if (!this.geographyCache) {
      const { db } = bootDatabase(':memory:', { demo: false });
      try {
        this.geographyCache = readGeography(db);
      } finally {
        db.close();
      }
    }
    return this.geographyCache;
  }

  /** A database file holding `size` synthetic sites (and the plan's seeds, no demo data). */
  syntheticDatabase(size: number): string {
    const cached = this.databases.get(size);
    if (cached) return cached.path;
    const path = join(this.dir, `synthetic-${size}.sqlite`);
    this.log(`preparing ${path} with ${size} synthetic sites`);
    const { db } = bootDatabase(path, { demo: false });
    try {
      const load = loadSites(db, generateSites(this.geography(), size));
      this.databases.set(size, { path, load });
    } finally {
      db.close();
    }
    return path;
  }

  /** Keeps a file the load benchmark filled (same generator, same seed) as the fixture for `size`. */
  adoptSynthetic(size: number, path: string, load: LoadResult): boolean {
    if (this.databases.has(size)) return false;
    this.databases.set(size, { path, load });
    return true;
  }

  /** A database file as `npm start` leaves it on first start: plan seeds and the demo data. */
  demoDatabase(): string {
    if (!this.demo) {
      const path = join(this.dir, 'demo.sqlite');
      bootDatabase(path, { demo: true }).db.close();
      this.demo = path;
    }
    return this.demo;
  }

  /** A path for a new database file. */
  freshPath(name: string): string {
    return join(this.dir, `${name}-${++this.files}.sqlite`);
  }
}
