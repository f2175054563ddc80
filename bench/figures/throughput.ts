// Throughput on one cached answer (issue #17): autocannon, 50 connections for 10 s, against the real
// server (`npm start` on the demo database, signed in with a bearer token, brotli accepted) and against
// bare `node:http` serving the very bytes and headers the server sent, in the same run, alternating.
// A third run asks with If-None-Match (the 304 a returning page gets). Beside requests per second
// (which on a shared machine move with everyone's load), the CPU time each server process spent per
// answer (/proc/PID/stat) — the ratio of those is what the req/s ratio tends to on a quiet machine.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from '../lib/context.ts';
import { formatBytes, formatCount, median, NO_TARGET, verdict, type Row } from '../lib/measure.ts';
import { httpGet, startServer } from '../lib/server-process.ts';
import { benchSession } from '../lib/session.ts';

const CONNECTIONS = 50;
const SECONDS = 10;
const RUNS = 3;
const TARGET = 0.6;
const PATH = '/api/sites?county=411102';

interface Measured {
  rps: number;
  /** CPU time (user + system) of the server process per answered request, in µs. */
  cpuUs: number;
  p99: number;
  /** Requests answered. */
  total: number;
  non2xx: number;
  errors: number;
}

/** user + system CPU of a process in ms (Linux clock ticks are 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function cannon(port: number, pid: number, headers: Record<string, string>): Promise<Measured> {
  const before = cpuMs(pid);
  const result = await autocannon({ url: `http://127.0.0.1:${port}${PATH}`, connections: CONNECTIONS, duration: SECONDS, headers });
  const cpuUs = ((cpuMs(pid) - before) * 1000) / Math.max(1, result.requests.total);
  return { rps: result.requests.average, cpuUs, p99: result.latency.p99, total: result.requests.total, non2xx: result.non2xx, errors: result.errors };
}

/** Starts bench/lib/bare-server.ts with the body and headers; resolves its port and a stop function. */
async function bareServer(context: BenchContext, body: Buffer, headers: Record<string, string>) {
  const file = join(context.resources.dir, 'throughput-body.bin');
  writeFileSync(file, body);
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/bare-server.ts', file, JSON.stringify(headers)], {
    cwd: context.root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = context.resources.hold(async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /port (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return { port, pid: child.pid!, stop };
}

export async function throughput(context: BenchContext): Promise<Row[]> {
  await context.fixtures.webBuild();
  const database = context.fixtures.demoDatabase();
  const token = benchSession(database);
  // The request log goes to a file: read by the bench process (autocannon's), it would slow the client.
  const logFile = join(context.resources.dir, 'throughput-server.log');
  const server = await startServer(context.resources, { root: context.root, database, outputFile: logFile });
  try {
    const ask = { Authorization: `Bearer ${token}`, 'Accept-Encoding': 'gzip, deflate, br' };
    const first = await httpGet(server.port, PATH, { headers: ask });
    if (first.status !== 200) throw new Error(`GET ${PATH} answered ${first.status}`);
    // Every header the server sent (security headers, request id, ETag…), so both send the same bytes;
    // Node's http adds date, connection and keep-alive itself.
    const probe = await fetch(`http://127.0.0.1:${server.port}${PATH}`, { headers: ask });
    await probe.arrayBuffer();
    const copied: Record<string, string> = {};
    for (const [name, value] of probe.headers)
      if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name)) copied[name] = value;
    const bare = await bareServer(context, first.body, copied);
    try {
      const real: Measured[] = [];
      const yardstick: Measured[] = [];
      const revalidate: Measured[] = [];
      for (let run = 0; run < RUNS; run++) {
        context.log(`throughput run ${run + 1}/${RUNS}: bare node:http, then the server (${SECONDS} s each, ${CONNECTIONS} connections)`);
        yardstick.push(await cannon(bare.port, bare.pid, ask));
        real.push(await cannon(server.port, server.pid, ask));
      }
      revalidate.push(await cannon(server.port, server.pid, { ...ask, 'If-None-Match': copied.etag ?? '' }));
      const rps = (list: Measured[]) => median(list.map((m) => m.rps));
      const ratio = rps(real) / rps(yardstick);
      const pairs = real.map((m, i) => (m.rps / yardstick[i]!.rps).toFixed(2)).join(', ');
      // One log line per answer: the lines of the route against the answers autocannon counted.
      const answered = [...real, ...revalidate].reduce((sum, m) => sum + m.total, 0);
      const logged = readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => line.includes('"route":"/api/sites"')).length;
      const cpu = (list: Measured[]) => median(list.map((m) => m.cpuUs));
      const cpuRatio = cpu(yardstick) / cpu(real);
      const failures = [...real, ...yardstick, ...revalidate].reduce((sum, m) => sum + m.errors, 0);
      const non2xx = [...real, ...yardstick].reduce((sum, m) => sum + m.non2xx, 0);
      const size = `${formatBytes(first.body.length)} ${copied['content-encoding'] ?? 'plain'}`;
      const row = (figure: string, list: Measured[], target: string, met: string, notes: string): Row => ({
        figure,
        size,
        median: `${formatCount(rps(list))} req/s`,
        runs: String(list.length),
        target,
        met,
        notes: `server CPU ${Math.round(cpu(list))} µs per answer; p99 latency ${median(list.map((m) => m.p99))} ms; ${notes}`,
      });
      return [
        row('throughput: bare node:http, the same bytes and headers', yardstick, NO_TARGET, '—', 'the yardstick'),
        row(
          `throughput: GET ${PATH} through the server (cached, signed in)`,
          real,
          `≥ ${TARGET}× bare`,
          verdict(ratio >= TARGET && failures === 0 && non2xx === 0),
          `${ratio.toFixed(2)}× bare in req/s (pairs: ${pairs}), ${cpuRatio.toFixed(2)}× in CPU per answer (bare's CPU / the server's); ${formatCount(logged)} log lines for ${formatCount(answered)} answers; autocannon -c ${CONNECTIONS} -d ${SECONDS}, runs alternating with the bare server; ${failures} errors, ${non2xx} non-2xx; demo database (${formatCount(server.health.sites)} sites)`,
        ),
        row(
          `throughput: the same GET with If-None-Match (304)`,
          revalidate,
          NO_TARGET,
          '—',
          `${(rps(revalidate) / rps(yardstick)).toFixed(2)}× bare (which sends the whole body)`,
        ),
      ];
    } finally {
      await bare.stop();
    }
  } finally {
    await server.stop();
  }
}
