// Relapse analysis and county scorecards on the synthetic 10^5-site database, as the routes run them:
// cold (a fresh connection: the site history and the likely-move index read and built), and after
// one status move (RelapseState reads that one site again and searches only the new sites near it).
// Then the relapse route over HTTP: the first call on a file no server has analyzed, then after a restart (cold, the saved histories and candidates read back), unchanged and after a status move, with the server's peak RSS.
// Each run works on a copy of the database file, since it writes status moves.
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrate.ts';
import { analyzeRelapse } from '../../server/geo/analyze-relapse.ts';
import { DEFAULT_MOVES_PAGE } from '../../server/geo/relapse-options.ts';
import { countyAreas, relapseState } from '../../server/store/relapse-store.ts';
import { scorecardFigure, scorecards } from '../../server/store/scorecard-store.ts';
import { addSiteEvent } from '../../server/store/site-mutations.ts';
import type { BenchContext } from '../lib/context.ts';
import { formatBytes, formatCount, formatMs, formatSize, median, timeSync, timingRow, type Row } from '../lib/measure.ts';
import { httpGet, startServer, type RunningServer } from '../lib/server-process.ts';
import { benchSession } from '../lib/session.ts';

const TODAY = new Date().toISOString().slice(0, 10);

/** One status move of a site that allows it (discovered → rectifying, today), as an inspector's write. */
function oneStatusMove(db: Db, skip: number): number {
  const site = db.get<{ id: number }>("SELECT id FROM sites WHERE status = 'discovered' AND lon IS NOT NULL ORDER BY id LIMIT 1 OFFSET ?", [skip])!;
  addSiteEvent(db, site.id, { to: 'rectifying', date: TODAY, actor: 'bench' });
  return site.id;
}

/** The relapse route's call, in-process: defaults, first page of moves. */
function relapseCall(db: Db) {
  const state = relapseState(db);
  return analyzeRelapse(
    state.sites(),
    { decisions: state.moveDecisions(), studyArea: countyAreas(db) },
    { moveIndex: state.moveIndex(), page: { limit: DEFAULT_MOVES_PAGE } },
  );
}

/** A copy of the database file (and the audit key beside it, which signs the audit records). */
function copyDatabase(source: string, path: string): void {
  copyFileSync(source, path);
  if (existsSync(`${source}.audit-key`)) copyFileSync(`${source}.audit-key`, `${path}.audit-key`);
}

const peakRss = () => process.resourceUsage().maxRSS * 1024;

/** Wall and CPU time of a call: on the shared 2-core machine the CPU time moves far less with the load. */
function timed<T>(cpu: number[], fn: () => T): { ms: number; value: T } {
  const before = process.cpuUsage();
  const result = timeSync(fn);
  const used = process.cpuUsage(before);
  cpu.push((used.user + used.system) / 1000);
  return result;
}

async function inProcessRows(context: BenchContext, size: number): Promise<Row[]> {
  const source = context.fixtures.syntheticDatabase(size); // kept under SANSAN_BENCH_CACHE between runs
  const path = join(context.resources.dir, `scorecards-${size}.sqlite`);
  copyDatabase(source, path);
  const runs = size > 10_000 ? 3 : 5;
  const options = { asOf: TODAY, staleDays: 90, source: null };
  const lists = () => ({
    relapseCold: [] as number[],
    relapseMoved: [] as number[],
    cardsCold: [] as number[],
    cardsWarm: [] as number[],
    cardsMoved: [] as number[],
    pastCards: [] as number[],
  });
  const samples = { ...lists(), past: [] as number[] };
  const cpu = lists();
  const PAST = '2022-12-31';
  // The first start on this file (schema brought up to date): every site searched, the candidates saved (migration 017).
  const firstCpu: number[] = [];
  const first = openDatabase(path);
  let firstMs: number;
  try {
    migrate(first);
    const counties = first.all<{ code: string }>('SELECT code FROM counties ORDER BY code').map((row) => row.code);
    firstMs = timed(firstCpu, () => scorecards(first, counties, options)).ms;
    if (relapseState(first).movesFrom !== 'search') throw new Error('the first start did not search');
  } finally {
    first.close();
  }
  let moves = 0;
  let pairs = 0;
  const rssBefore = peakRss();
  for (let run = 0; run < runs; run++) {
    // A fresh connection: nothing kept from an earlier run.
    const db = openDatabase(path);
    try {
      const counties = db.all<{ code: string }>('SELECT code FROM counties ORDER BY code').map((row) => row.code);
      samples.cardsCold.push(timed(cpu.cardsCold, () => scorecards(db, counties, options)).ms);
      if (relapseState(db).movesFrom !== 'saved') throw new Error('a later start did not read the saved candidates');
      samples.cardsWarm.push(timed(cpu.cardsWarm, () => scorecards(db, counties, options)).ms);
      const cold = timed(cpu.relapseCold, () => relapseCall(db));
      samples.relapseCold.push(cold.ms);
      moves = cold.value.movesPage.total;
      pairs = cold.value.summary.movesCounted;
      oneStatusMove(db, run * 2);
      samples.cardsMoved.push(timed(cpu.cardsMoved, () => scorecards(db, counties, options)).ms);
      oneStatusMove(db, run * 2 + 1);
      samples.relapseMoved.push(timed(cpu.relapseMoved, () => relapseCall(db)).ms);
      samples.pastCards.push(timed(cpu.pastCards, () => scorecards(db, counties, { ...options, asOf: PAST })).ms);
      samples.past.push(timeSync(() => scorecardFigure(db, counties[0]!, 'likelyMoves', { ...options, asOf: PAST })).ms);
    } finally {
      db.close();
    }
  }
  const rss = `bench process peak RSS ${formatBytes(peakRss())} (${formatBytes(rssBefore)} before these runs)`;
  const sizeText = formatSize(size);
  const cpuOf = (list: number[]) => `CPU ${formatMs(median(list))}`;
  context.log(`scorecards ${size}: cold ${formatMs(median(samples.cardsCold))}, after a move ${formatMs(median(samples.cardsMoved))}`);
  return [
    timingRow({
      figure: 'relapse analysis (route call in-process: defaults, first page of moves), cold',
      size: sizeText,
      samples: samples.relapseCold,
      target: { text: '< 1 s', met: (ms) => ms < 1000 },
      notes: `${cpuOf(cpu.relapseCold)}; after the cold scorecards on the same connection (site history and saved candidates read there); ${formatCount(moves)} kept move candidates (≤ 3 per new site), ${formatCount(pairs)} new sites counted; ${rss}`,
    }),
    timingRow({
      figure: 'relapse analysis, after one status move',
      size: sizeText,
      samples: samples.relapseMoved,
      target: { text: '< 1 s', met: (ms) => ms < 1000 },
      notes: `${cpuOf(cpu.relapseMoved)}; one site read again, the new sites within 3 km of it searched again; the rest of the call (hotspots, rates, relapse list) runs whole`,
    }),
    timingRow({
      figure: 'scorecards, 5 counties, first start on the file (every site searched for likely moves, the candidates saved)',
      size: sizeText,
      samples: [firstMs],
      notes: `${cpuOf(firstCpu)}; once per file (and after a change of the search definition); later starts read the saved candidates`,
    }),
    timingRow({
      figure: 'scorecards, 5 counties, cold (fresh connection: site history read, saved move candidates read back)',
      size: sizeText,
      samples: samples.cardsCold,
      target: { text: '< 1 s', met: (ms) => ms < 1000 },
      notes: `${cpuOf(cpu.cardsCold)}; asOf today (the route's default); ${rss}`,
    }),
    timingRow({
      figure: 'scorecards, 5 counties, unchanged data',
      size: sizeText,
      samples: samples.cardsWarm,
      target: { text: '< 100 ms', met: (ms) => ms < 100 },
      notes: `${cpuOf(cpu.cardsWarm)}; the kept book (ScorecardBook) as it is, the likely moves counted from the kept index`,
    }),
    timingRow({
      figure: 'scorecards, 5 counties, after one status move',
      size: sizeText,
      samples: samples.cardsMoved,
      target: { text: '< 100 ms', met: (ms) => ms < 100 },
      notes: `${cpuOf(cpu.cardsMoved)}; the moved site read again (site_changes, migration 015), its contribution taken out and added again, its neighbours searched again; inspections kept (not written)`,
    }),
    timingRow({
      figure: `scorecards, 5 counties, past asOf (${PAST}), first call for that day`,
      size: sizeText,
      samples: samples.pastCards,
      notes: `${cpuOf(cpu.pastCards)}; a book for that day from the kept histories (status on the day: a binary search in each site's events); likely moves from the kept index`,
    }),
    timingRow({
      figure: `scorecard likely-move list for a past asOf (${PAST})`,
      size: sizeText,
      samples: samples.past,
      notes: 'after the scorecards of that day: the kept book and index answer (no search runs unless a history is out of order)',
    }),
  ];
}

/** Peak RSS of a process from /proc (VmHWM), in bytes. */
function vmHwm(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

/** CPU time of each thread of a process so far, from /proc, in ms (utime + stime, in ticks of 1/100 s). */
function threadCpuMs(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`))
    try {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      threads.set(tid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // The thread ended meanwhile.
    }
  return threads;
}

/**
 * The first relapse call on a started server: wall time, the server's CPU meanwhile (all threads, and
 * those the call started: the analysis thread, whose pool starts with its first job), the answer's SHA-1.
 */
async function relapseOverHttp(server: RunningServer, auth: Record<string, string>) {
  const before = threadCpuMs(server.pid);
  const answer = await httpGet(server.port, '/api/analysis/relapse', { headers: auth, timeoutMs: 180_000 });
  let cpuMs = 0;
  let startedCpuMs = 0;
  for (const [tid, ms] of threadCpuMs(server.pid)) {
    cpuMs += ms - (before.get(tid) ?? 0);
    if (!before.has(tid)) startedCpuMs += ms;
  }
  if (answer.status !== 200) throw new Error(`GET /api/analysis/relapse: HTTP ${answer.status} ${answer.body.toString().slice(0, 200)}`);
  return { ms: answer.ms, body: answer.body, cpuMs, startedCpuMs, hash: createHash('sha1').update(answer.body).digest('hex') };
}

/** The CPU figures of relapseOverHttp. */
const cpuNotes = (call: { cpuMs: number; startedCpuMs: number }) =>
  `server CPU ${formatMs(call.cpuMs)} (all threads; the analysis thread ${formatMs(call.startedCpuMs)}, the rest V8's helper threads (garbage collection), the request thread and what the map threads' start-up warm-up did before giving way)`;

async function httpRows(context: BenchContext, size: number): Promise<Row[]> {
  const source = context.fixtures.syntheticDatabase(size); // kept under SANSAN_BENCH_CACHE between runs
  const path = join(context.resources.dir, `relapse-http-${size}.sqlite`);
  copyDatabase(source, path);
  const auth = { Authorization: `Bearer ${benchSession(path)}` };
  // The first start on the file: the histories read, every site searched, both saved (migrations 017, 019).
  const firstServer = await startServer(context.resources, { root: context.root, database: path, demo: false });
  let first: Awaited<ReturnType<typeof relapseOverHttp>>;
  try {
    first = await relapseOverHttp(firstServer, auth);
  } finally {
    await firstServer.stop();
  }
  // A restart: the first call reads back what the first start saved.
  const server = await startServer(context.resources, { root: context.root, database: path, demo: false });
  const db = openDatabase(path);
  try {
    const cold = await relapseOverHttp(server, auth);
    if (cold.hash !== first.hash) throw new Error("the relapse answer after a restart differs from the first start's");
    const body = JSON.parse(cold.body.toString()) as { movesPage: { total: number; next: string | null } };
    const warm: number[] = [];
    const moved: number[] = [];
    for (let run = 0; run < 3; run++) {
      warm.push((await httpGet(server.port, '/api/analysis/relapse', { headers: auth })).ms);
      oneStatusMove(db, 100 + run);
      moved.push((await httpGet(server.port, '/api/analysis/relapse', { headers: auth })).ms);
    }
    const next = await httpGet(server.port, `/api/analysis/relapse?cursor=${encodeURIComponent(body.movesPage.next ?? '')}`, { headers: auth });
    const rss = formatBytes(vmHwm(server.pid));
    const notes = `whole response (relapses, cells, rates, first ${DEFAULT_MOVES_PAGE} of ${formatCount(body.movesPage.total)} moves) ${formatBytes(cold.body.length)}, no compression; second page ${formatMs(next.ms)}; server peak RSS ${rss}`;
    context.log(
      `relapse over HTTP ${size}: first start ${formatMs(first.ms)} (analysis thread CPU ${formatMs(first.startedCpuMs)}), after a restart ${formatMs(cold.ms)} (${formatMs(cold.startedCpuMs)}), after a move ${formatMs(median(moved))}, server ${rss}`,
    );
    return [
      timingRow({
        figure: 'relapse over HTTP, first call on a file no server has analyzed (histories read, every site searched, both saved)',
        size: formatSize(size),
        samples: [first.ms],
        notes: `${cpuNotes(first)}; the same answer as after the restart (SHA-1 equal)`,
      }),
      timingRow({
        figure: 'relapse over HTTP, cold (first call after a restart: saved histories and candidates read back)',
        size: formatSize(size),
        samples: [cold.ms],
        target: { text: '< 1 s', met: (ms) => ms < 1000 },
        notes: `${cpuNotes(cold)}; ${notes}`,
      }),
      timingRow({ figure: 'relapse over HTTP, unchanged data', size: formatSize(size), samples: warm, target: { text: '< 1 s', met: (ms) => ms < 1000 } }),
      timingRow({
        figure: 'relapse over HTTP, after one status move (written by another connection)',
        size: formatSize(size),
        samples: moved,
        target: { text: '< 1 s', met: (ms) => ms < 1000 },
      }),
    ];
  } finally {
    db.close();
    await server.stop();
  }
}

export async function scorecardFigures(context: BenchContext): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of [10_000, 100_000]) rows.push(...(await inProcessRows(context, size)));
  rows.push(...(await httpRows(context, 100_000)));
  return rows;
}
