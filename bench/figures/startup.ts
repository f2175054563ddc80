// Start-up: wall time from spawning `npm start`'s command (`node --max-semi-space-size=4
// server/start.mjs`) until GET /api/health answers, on an empty file (migrate + geodata + seeds + demo
// generation), on the same file started a second time, and on a file of 10^5 synthetic sites. The web
// app is built beforehand.
import type { BenchContext } from '../lib/context.ts';
import { formatMs, median, timingRow, type Row } from '../lib/measure.ts';
import { startServer } from '../lib/server-process.ts';

const RUNS = 5;

export async function startup(context: BenchContext): Promise<Row[]> {
  const { root, resources, fixtures, log } = context;
  await fixtures.webBuild();
  const samples = { empty: [] as number[], second: [] as number[], synthetic: new Map<number, number[]>() };
  const reported = { empty: [] as number[], second: [] as number[], synthetic: new Map<number, number[]>() };
  /** Runs redone because the server rebuilt the web app (a concurrent edit under web/), by case. */
  const rebuilt = new Map<string, number>();
  let demoSites = 0;

  /** `database` is called per attempt: an empty-file case needs a new file when a run is redone. */
  const start = async (database: () => string, label: string) => {
    for (let attempt = 0; ; attempt++) {
      let server;
      try {
        server = await startServer(resources, { root, database: database() });
      } catch (error) {
        // On a shared machine someone may stop every `server/main.ts` while ours starts: redo once or twice.
        if (attempt >= 2 || !/exited with (1[2-9]\d|\d{3})\b/.test((error as Error).message)) throw error;
        log(`start-up: ${(error as Error).message.split(':')[0]}; redoing that start`);
        rebuilt.set(`${label}-killed`, (rebuilt.get(`${label}-killed`) ?? 0) + 1);
        continue;
      }
      await server.stop();
      // A concurrent edit under web/ made the server rebuild the bundle: that run is not a start-up time.
      if (server.rebuiltWeb && attempt < 2) {
        rebuilt.set(label, (rebuilt.get(label) ?? 0) + 1);
        continue;
      }
      return server;
    }
  };

  log('start-up: one warm-up start (not counted; fills the tsx transform cache)');
  await start(() => fixtures.freshPath('warmup'), 'warmup');

  for (let run = 0; run < RUNS; run++) {
    let path = '';
    const first = await start(() => (path = fixtures.freshPath('startup')), 'empty');
    samples.empty.push(first.startMs);
    if (first.reportedReadyMs !== null) reported.empty.push(first.reportedReadyMs);
    demoSites = first.health.sites;
    const second = await start(() => path, 'second');
    samples.second.push(second.startMs);
    if (second.reportedReadyMs !== null) reported.second.push(second.reportedReadyMs);
    log(`start-up run ${run + 1}/${RUNS}: empty ${formatMs(first.startMs)}, second start ${formatMs(second.startMs)}`);
  }

  const sizes = context.big ? [100_000, 1_000_000] : [100_000];
  for (const size of sizes) {
    const path = fixtures.syntheticDatabase(size);
    const list: number[] = [];
    const ready: number[] = [];
    const runs = size >= 1_000_000 ? 3 : RUNS;
    for (let run = 0; run < runs; run++) {
      const server = await start(() => path, `synthetic-${size}`);
      list.push(server.startMs);
      if (server.reportedReadyMs !== null) ready.push(server.reportedReadyMs);
      log(`start-up on ${size} sites, run ${run + 1}/${runs}: ${formatMs(server.startMs)}`);
    }
    samples.synthetic.set(size, list);
    reported.synthetic.set(size, ready);
  }

  const note = (ready: number[], extra: string, label: string) =>
    `${extra}; server's own "ready in" (boot + app) ${formatMs(median(ready))}, the rest is Node loading the modules (compiled, server/start.mjs) and the first /api/health` +
    (rebuilt.get(label) ? `; ${rebuilt.get(label)} run(s) redone after the server rebuilt the web app (a concurrent edit under web/)` : '') +
    (rebuilt.get(`${label}-killed`) ? `; ${rebuilt.get(`${label}-killed`)} run(s) redone after the server was stopped from outside` : '');
  const rows: Row[] = [
    timingRow({
      figure: 'start-up, empty database (spawn → /api/health 200)',
      size: `new file → ${demoSites} sites`,
      samples: samples.empty,
      notes: note(reported.empty, 'migrate + geodata + plan seeds + demo generation; web built beforehand (not counted); a fresh file each run', 'empty'),
    }),
    timingRow({
      figure: 'start-up, full database (second start of the same file)',
      size: `${demoSites} sites`,
      samples: samples.second,
      notes: note(reported.second, 'nothing to generate; geodata hash unchanged', 'second'),
    }),
  ];
  for (const size of sizes)
    rows.push(
      timingRow({
        figure: 'start-up, synthetic database',
        size: `10^${Math.log10(size)} sites`,
        samples: samples.synthetic.get(size)!,
        target: size === 1_000_000 ? { text: '≤ 8 s', met: (ms) => ms <= 8000 } : undefined, // issue 17
        notes: note(reported.synthetic.get(size)!, 'same file started each run (demo generation on, skips: demo rows exist)', `synthetic-${size}`),
      }),
    );
  return rows;
}
