// `npm start`'s command (node --max-semi-space-size=4 server/start.mjs) as a child process on a
// database file, listening on a free port of 127.0.0.1: for tests that need the server's event loop
// apart from the test's own (a test in the same process is frozen whenever the server's thread is).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

export interface ServerChild {
  base: string;
  /** The server's process id (its threads are under /proc/PID/task). */
  pid: number;
  stop(): Promise<void>;
}

/** The child server on `database`, once it listens: the process, its port and its exit. */
export async function spawnServer(
  database: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; port: number; exited: Promise<unknown> }> {
  const child: ChildProcess = spawn(process.execPath, ['--max-semi-space-size=4', 'server/start.mjs'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SANSAN_DB: database, SANSAN_DEMO: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const exited = new Promise((done) => child.on('exit', done));
  const port = await new Promise<number>((resolvePort, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += String(chunk);
      for (const line of buffer.split('\n').slice(0, -1))
        if (line.startsWith('{') && line.includes('"listening"')) resolvePort(JSON.parse(line).port as number);
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    });
    void exited.then((code) => reject(new Error(`the server exited (${String(code)}): ${stderr}`)));
  });
  return { child, port, exited };
}

export async function startServerChild(database: string, env: Record<string, string> = {}): Promise<ServerChild> {
  const { child, port, exited } = await spawnServer(database, env);
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
