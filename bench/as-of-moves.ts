// The cluster bench's as-of moves (bench/figures/cluster.ts, asOfChanges) against a server on a copy
// of a given database file, e.g. the 10^6 synthetic file of a bench cache, without generating and
// clustering 10^6 sites in-process first as `cluster --big` does. Prints both phases and the
// server's RSS (VmRSS of its process: every thread) before the first move and after the last.
//   npx tsx bench/as-of-moves.ts <file.sqlite>   (copied into a temp folder; the file is only read)
// AS_OF_WARM_MS: the wait after start before the first move (default 15 s: the start-up warm-up);
// AS_OF_SETTLE_MS: between the two phases (default the cluster bench's 20 s).
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent } from 'node:http';
import { Resources } from './lib/resources.ts';
import { startServer } from './lib/server-process.ts';
import { benchSession } from './lib/session.ts';
import { formatMs, median } from './lib/measure.ts';
import { AS_OF_SETTLE_MS, asOfChanges, type AsOfMoves } from './figures/cluster.ts';

const source = process.argv[2];
if (!source) throw new Error('usage: bench/as-of-moves.ts <database file>');
const resources = new Resources();
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
try {
  const database = join(resources.dir, 'as-of.sqlite');
  for (const suffix of ['', '.audit-key', '.audit-anchors']) if (existsSync(source + suffix)) copyFileSync(source + suffix, database + suffix);
  const headers = { Authorization: `Bearer ${benchSession(database)}` };
  const server = await startServer(resources, {
    root: resolve(import.meta.dirname, '..'),
    database,
    demo: false,
    outputFile: process.env.AS_OF_LOG ?? join(resources.dir, 'server.log'),
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 6 });
  // The start-up warm-up (the default view's counts and index) first, as a user's first view would.
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.AS_OF_WARM_MS ?? 15_000)));
  const before = rssMb(server.pid);
  console.log(`${server.health.sites} sites; server RSS before the first move ${before.toFixed(0)} MB; load ${load()}`);
  const settleMs = Number(process.env.AS_OF_SETTLE_MS ?? AS_OF_SETTLE_MS);
  const { first, kept } = await asOfChanges(server.port, agent, headers, settleMs);
  const after = rssMb(server.pid);
  const show = (name: string, moves: AsOfMoves) =>
    console.log(
      `${name}: /api/counties?asOf median ${formatMs(median(moves.counties))} (max ${formatMs(Math.max(...moves.counties))}), /api/map/sites?asOf median ${formatMs(median(moves.summary))} (max ${formatMs(Math.max(...moves.summary))}), /api/health waited median ${formatMs(median(moves.health))} (max ${formatMs(Math.max(...moves.health))})`,
    );
  show('first 7 moves', first);
  show('7 moves later', kept);
  console.log(`server RSS after ${after.toFixed(0)} MB (+${(after - before).toFixed(0)} MB); load ${load()}`);
  agent.destroy();
} finally {
  await resources.closeAll();
}
