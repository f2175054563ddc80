// Bulk loading synthetic sites into a migrated SQLite file: one transaction, prepared statements,
// the schema's triggers running (status from the last event, R*Tree entry). Rows/s = sites/s.
import { rmSync } from 'node:fs';
import { bootDatabase } from '../../server/bootstrap.ts';
import type { BenchContext } from '../lib/context.ts';
import { formatCount, formatMs, median, NO_TARGET, type Row } from '../lib/measure.ts';
import { generateSites, loadSites, type SyntheticSite } from '../synthetic.ts';

export async function load(context: BenchContext): Promise<Row[]> {
  const { fixtures, log } = context;
  const geography = fixtures.geography();
  const sizes = context.big ? [100_000, 1_000_000] : [100_000];
  const rows: Row[] = [];
  for (const size of sizes) {
    const runs = size >= 1_000_000 ? 1 : 3;
    const generateMs: number[] = [];
    const rates: number[] = [];
    const cpuShare: number[] = [];
    let events = 0;
    for (let run = 0; run < runs; run++) {
      let started = performance.now();
      const sites: SyntheticSite[] = [...generateSites(geography, size)];
      generateMs.push(performance.now() - started);
      const path = fixtures.freshPath(`load-${size}`);
      const { db } = bootDatabase(path, { demo: false });
      let keep = false;
      try {
        const cpu = process.cpuUsage();
        started = performance.now();
        const result = loadSites(db, sites);
        const ms = performance.now() - started;
        const used = process.cpuUsage(cpu);
        cpuShare.push((used.user + used.system) / 1000 / ms);
        rates.push(result.sites / (ms / 1000));
        events = result.events;
        // The file is exactly what the other benchmarks need at this size: keep one instead of loading again.
        keep = fixtures.adoptSynthetic(size, path, result);
        log(`load ${size}, run ${run + 1}/${runs}: ${formatCount(result.sites / (ms / 1000))} sites/s (${formatMs(ms)})`);
      } finally {
        db.close();
        if (!keep) for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
      }
    }
    const rate = median(rates);
    rows.push({
      figure: 'load synthetic sites into SQLite',
      size: `10^${Math.log10(size)} sites`,
      median: `${formatCount(rate)} sites/s`,
      runs: String(runs),
      target: NO_TARGET,
      met: '—',
      notes:
        `one transaction into a migrated WAL file; each site row + ${(events / size).toFixed(2)} site_events rows on average ` +
        `(${formatCount((rate * events) / size)} event rows/s), the triggers setting sites.status and filling the R*Tree; ` +
        `${formatMs(median(rates.map((r) => (size / r) * 1000)))} per load, CPU ${(median(cpuShare) * 100).toFixed(0)}% of wall; ` +
        `generating the sites (not counted) ${formatMs(median(generateMs))}`,
    });
  }
  return rows;
}
