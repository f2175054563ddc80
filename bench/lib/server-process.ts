// Starts the real server (`npm start`'s command: `node --max-semi-space-size=4 server/start.mjs`) on a
// given database file and a free port, waits until GET /api/health answers, and stops it. Traffic goes
// to 127.0.0.1 only.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { request, type Agent } from 'node:http';
import { createServer } from 'node:net';
import { constants } from 'node:os';
import type { Resources } from './resources.ts';
import { sleep } from './measure.ts';

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface HttpResult {
  status: number;
  body: Buffer;
  ms: number;
}

/**
 * GET on 127.0.0.1, whole body read; no Accept-Encoding, so no compression. A new connection per
 * request unless an agent is given (a kept-alive socket can race the server's idle timeout).
 */
export function httpGet(
  port: number,
  path: string,
  options: { agent?: Agent | false; timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'GET', headers: options.headers, agent: options.agent ?? false, timeout: options.timeoutMs ?? 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ms: performance.now() - started }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

export interface RunningServer {
  port: number;
  /** The server's process id (for /proc figures such as peak memory). */
  pid: number;
  /** Wall time from spawn until /api/health answered 200. */
  startMs: number;
  /** The server's own "ready in N ms" (boot + app), when it printed one. */
  reportedReadyMs: number | null;
  /** True when the server rebuilt the web app on start (the timing then includes a build). */
  rebuiltWeb: boolean;
  health: { sites: number };
  /** What the server printed so far, and its exit code once it has exited. */
  output(): string;
  exitCode(): number | null;
  /** Resolves when the process has exited, or after `timeoutMs`. */
  exited(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  root: string;
  database: string;
  /** false sets SANSAN_DEMO=0; default leaves demo generation on, as `npm start` does. */
  demo?: boolean;
  timeoutMs?: number;
  /**
   * Standard output (the request log) goes to this file instead of a pipe to the bench process, so
   * that a figure whose client runs in the bench process does not also pay for reading the log.
   */
  outputFile?: string;
}

/** Spawns the server the way `npm start` does and resolves once it answers. */
export async function startServer(resources: Resources, options: ServerOptions): Promise<RunningServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('SANSAN_')) env[key] = value;
  Object.assign(env, { PORT: String(port), SANSAN_DB: options.database, ...(options.demo === false ? { SANSAN_DEMO: '0' } : {}) });

  const started = performance.now();
  const file = options.outputFile === undefined ? undefined : openSync(options.outputFile, 'w');
  const child = spawn(process.execPath, ['--max-semi-space-size=4', 'server/start.mjs'], { cwd: options.root, env, stdio: ['ignore', file ?? 'pipe', 'pipe'] });
  if (file !== undefined) closeSync(file);
  children.add(child);
  let piped = '';
  child.stdout?.on('data', (chunk: Buffer) => (piped += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (piped += chunk.toString()));
  const output = () => (options.outputFile === undefined ? piped : readFileSync(options.outputFile, 'utf8') + piped);
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      // Killed by a signal: 128 + its number, as a shell reports it (SIGTERM 143, SIGKILL 137).
      exited = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      children.delete(child);
      resolve();
    }),
  );
  const stop = resources.hold(async () => {
    if (exited !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(timer);
  });

  try {
    const deadline = started + (options.timeoutMs ?? 180_000);
    for (;;) {
      if (exited !== null) throw new Error(`server exited with ${exited} before answering: ${output().trim().split('\n').slice(-3).join(' / ')}`);
      if (performance.now() > deadline) throw new Error(`server did not answer /api/health within ${options.timeoutMs ?? 180_000} ms`);
      try {
        const health = await httpGet(port, '/api/health', { timeoutMs: 2000 });
        if (health.status === 200) {
          const startMs = performance.now() - started;
          const ready = /ready in (\d+) ms/.exec(output());
          return {
            port,
            pid: child.pid!,
            startMs,
            reportedReadyMs: ready ? Number(ready[1]) : null,
            rebuiltWeb: output().includes('building the web app'),
            health: JSON.parse(health.body.toString()) as { sites: number },
            output,
            exitCode: () => exited,
            exited: (timeoutMs: number) => Promise.race([exit, sleep(timeoutMs)]),
            stop,
          };
        }
      } catch {
        // not listening yet
      }
      await sleep(5);
    }
  } catch (error) {
    await stop();
    throw error;
  }
}
