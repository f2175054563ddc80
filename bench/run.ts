// `npm run bench [-- names…] [--big]`: runs the benchmarks and prints one markdown table.
// Names: load, startup, api, cluster, bundle, browser, analysis, export, scorecards, auth, imports, tiles, loadtest, peers, throughput, routes (default: all). --big adds 10^6-site rows;
// --big-only: only the 10^6-site rows of `export` (its 10^5 rows take ~10 min on a loaded machine) and of `browser` (its 10^6 page loads with their pan/zoom jumps).
// Progress goes to stderr; the table to stdout. Never part of `npm test`.
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Fixtures, type BenchContext, type Figure } from './lib/context.ts';
import { failedRow, markdownTable, type Row } from './lib/measure.ts';
import { Resources } from './lib/resources.ts';
import { analysis } from './figures/analysis.ts';
import { auth } from './figures/auth.ts';
import { api } from './figures/api.ts';
import { browser } from './figures/browser.ts';
import { bundle } from './figures/bundle.ts';
import { cluster } from './figures/cluster.ts';
import { exportFigure } from './figures/export.ts';
import { imports } from './figures/imports.ts';
import { load } from './figures/load.ts';
import { loadtest } from './figures/loadtest.ts';
import { peerTiles } from './figures/peer-tiles.ts';
import { routePlans } from './figures/route-plans.ts';
import { scorecardFigures as scorecards } from './figures/scorecards.ts';
import { startup } from './figures/startup.ts';
import { tiles } from './figures/tiles.ts';
import { throughput } from './figures/throughput.ts';

// Load first: its 10^5-site file is reused by start-up, API and browser figures.
const FIGURES: Record<string, Figure> = {
  load,
  startup,
  api,
  cluster,
  bundle,
  browser,
  analysis,
  export: exportFigure,
  scorecards,
  auth,
  imports,
  tiles,
  loadtest,
  peers: peerTiles,
  throughput,
  routes: routePlans,
};

function parseArguments(argv: readonly string[]): { names: string[]; big: boolean; bigOnly: boolean } {
  const flags = argv.filter((arg) => arg.startsWith('--'));
  const names = argv.filter((arg) => !arg.startsWith('--'));
  for (const flag of flags)
    if (flag !== '--big' && flag !== '--big-only')
      throw new Error(`unknown option ${flag}; usage: npm run bench -- [${Object.keys(FIGURES).join('|')} …] [--big | --big-only]`);
  for (const name of names) if (!(name in FIGURES)) throw new Error(`unknown benchmark "${name}"; known: ${Object.keys(FIGURES).join(', ')}`);
  const bigOnly = flags.includes('--big-only');
  return { names: names.length ? names : Object.keys(FIGURES), big: bigOnly || flags.includes('--big'), bigOnly };
}

function machineLine(): string {
  const cpu = cpus();
  const sqlite = (new Database(':memory:').prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  const load = loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
  return (
    `Machine: ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 1024 ** 3).toFixed(1)} GB RAM, ` +
    `Node ${process.version}, SQLite ${sqlite}, ${process.platform}/${process.arch}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ` +
    `load average at start ${load}`
  );
}

function elapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`;
}

async function main() {
  const { names, big, bigOnly } = parseArguments(process.argv.slice(2));
  const started = performance.now();
  const header = machineLine();
  const resources = new Resources();
  const log = (message: string) => console.error(`[bench ${elapsed(performance.now() - started).padStart(8)}] ${message}`);
  const context: BenchContext = {
    root: resolve(import.meta.dirname, '..'),
    resources,
    fixtures: new Fixtures(resolve(import.meta.dirname, '..'), resources.dir, log),
    big,
    bigOnly,
    log,
  };

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping servers and browsers, removing ${resources.dir}`);
    void resources.closeAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const rows: Row[] = [];
  try {
    for (const name of names) {
      log(`— ${name}`);
      try {
        rows.push(...(await FIGURES[name]!(context)));
      } catch (error) {
        log(`${name} failed: ${(error as Error).stack ?? String(error)}`);
        rows.push(failedRow(name, '—', error));
      }
    }
  } finally {
    await resources.closeAll();
  }
  const took = performance.now() - started;
  console.log(header);
  console.log(
    `Medians of the number of runs shown; wall times unless noted. Benchmarks run: ${names.join(', ')}${bigOnly ? ' (--big-only)' : big ? ' (--big)' : ''}; took ${elapsed(took)}; load average at end ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}.`,
  );
  console.log('');
  console.log(markdownTable(rows));
}

main().catch((error: unknown) => {
  console.error(`bench: ${(error as Error).message}`);
  process.exit(1);
});
