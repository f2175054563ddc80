// What every figure gets: the repository root, the cleanup registry and the shared fixtures
// (web build, synthetic database files), each made once per run.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
  /** --big-only: a figure that has them gives its 10^6-site rows alone (export). */
  bigOnly: boolean;
  log(message: string): void;
}

/** A database file's own files: the audit trail's key and anchors beside it (server/auth/audit.ts), then the file. */
const SIDECARS = ['.audit-key', '.audit-anchors', ''];

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

  /**
   * A database file holding `size` synthetic sites (and the plan's seeds, no demo data). With
   * SANSAN_BENCH_CACHE set (e.g. /work/bench-cache) the file is made once per generator and schema
   * (its name carries a hash of bench/synthetic.ts, domain/random.ts and the migration files) and
   * copied into the run's folder, so a 10^6 run need not spend minutes loading.
   */
  syntheticDatabase(size: number): string {
    const cached = this.databases.get(size);
    if (cached) return cached.path;
    const path = join(this.dir, `synthetic-${size}.sqlite`);
    const cacheDir = process.env.SANSAN_BENCH_CACHE;
    const kept = cacheDir ? join(cacheDir, `synthetic-${size}-${this.syntheticKey()}.sqlite`) : null;
    if (kept && existsSync(kept)) {
      this.log(`copying the cached ${kept}`);
      for (const suffix of SIDECARS) if (existsSync(kept + suffix)) copyFileSync(kept + suffix, path + suffix);
      this.databases.set(size, { path, load: { sites: size, events: 0 } });
      return path;
    }
    this.log(`preparing ${path} with ${size} synthetic sites`);
    const { db } = bootDatabase(path, { demo: false });
    try {
      const load = loadSites(db, generateSites(this.geography(), size));
      db.raw.pragma('wal_checkpoint(TRUNCATE)');
      this.databases.set(size, { path, load });
    } finally {
      db.close();
    }
    if (kept && cacheDir) {
      mkdirSync(cacheDir, { recursive: true });
      // The database last: its presence says the sidecars (audit key and anchors) are there too.
      for (const suffix of SIDECARS.filter(Boolean)) if (existsSync(path + suffix)) copyFileSync(path + suffix, kept + suffix);
      const part = `${kept}.part-${process.pid}`;
      copyFileSync(path, part);
      renameSync(part, kept);
      this.log(`kept ${kept} for later runs`);
    }
    return path;
  }

  private syntheticKey(): string {
    const hash = createHash('sha256');
    const migrations = resolve(this.root, 'server/db/migrations');
    for (const name of readdirSync(migrations).sort()) hash.update(name).update(readFileSync(join(migrations, name)));
    for (const file of ['bench/synthetic.ts', 'domain/random.ts']) hash.update(readFileSync(resolve(this.root, file)));
    return hash.digest('hex').slice(0, 12);
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
