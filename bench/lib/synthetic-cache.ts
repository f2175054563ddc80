// A synthetic database kept between runs (10^6 sites take minutes to write): with BENCH_CACHE set to
// a folder, the file for `size` is written there once (same generator, same seed) and each run copies
// it into its own folder, migrates the copy and adopts it as the fixture, so every figure of the run
// uses it and no run writes into the cached file.
import { copyFileSync, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { auditAnchorPath, auditKeyPath } from '../../server/auth/audit-seal.ts';
import { bootDatabase } from '../../server/bootstrap.ts';
import { generateSites, loadSites, SYNTHETIC_SEED, type LoadResult } from '../synthetic.ts';
import type { BenchContext } from './context.ts';

/** A database file and the audit seal's files beside it (key, anchors), from one path to another; the database last. */
const companions = (from: string, to: string): [string, string][] => [
  [auditKeyPath(from), auditKeyPath(to)],
  [auditAnchorPath(from, {}), auditAnchorPath(to, {})],
  [from, to],
];

/** The cached file for `size` (written when absent), or null when BENCH_CACHE is not set. */
export function cachedSyntheticFile(context: Pick<BenchContext, 'fixtures' | 'log'>, size: number): { path: string; load: LoadResult } | null {
  const folder = process.env.BENCH_CACHE;
  if (!folder) return null;
  const path = join(folder, `synthetic-${size}-seed${SYNTHETIC_SEED}.sqlite`);
  const load = { sites: size, events: 0 };
  if (existsSync(path)) return { path, load };
  const writing = `${path}.${process.pid}.part`;
  context.log(`writing ${path} with ${size} synthetic sites (once; BENCH_CACHE)`);
  const { db } = bootDatabase(writing, { demo: false });
  try {
    Object.assign(load, loadSites(db, generateSites(context.fixtures.geography(), size)));
    db.raw.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  for (const [from, to] of companions(writing, path)) if (existsSync(from)) renameSync(from, to);
  return { path, load };
}

/** The synthetic database of `size` for this run: a migrated copy of the cached file, else the run's own fixture. */
export function syntheticDatabase(context: BenchContext, size: number): string {
  const cached = cachedSyntheticFile(context, size);
  if (!cached) return context.fixtures.syntheticDatabase(size);
  const copy = join(context.resources.dir, `cached-synthetic-${size}.sqlite`);
  if (!existsSync(copy)) {
    for (const [from, to] of companions(cached.path, copy)) if (existsSync(from)) copyFileSync(from, to);
    bootDatabase(copy, { demo: false }).db.close();
    context.fixtures.adoptSynthetic(size, copy, cached.load);
  }
  return context.fixtures.syntheticDatabase(size);
}
