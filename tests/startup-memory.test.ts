// `npm start`'s server at rest (issue 18: a 50 MB ledger within 300 MB needs a small idle process).
// It runs compiled (server/start.mjs), so neither the request thread nor any worker thread starts
// tsx's loader hooks, which Node 20 runs on a thread of their own per thread: under
// `node --import tsx server/main.ts` the same idle server took ~260 MB with its two map threads,
// compiled ~125–150 MB (bench/README.md, "Memory at rest"). A guard on the child's resident memory,
// not a timing: memory moves little with the machine's load.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerChild, type ServerChild } from './helpers/server-child.ts';

const dir = mkdtempSync(join(tmpdir(), 'sansan-startup-memory-'));
let server: ServerChild | undefined;

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const residentMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

describe('the idle server', () => {
  it.skipIf(process.platform !== 'linux')(
    'stays under 200 MB resident with its two map threads started',
    async () => {
      server = await startServerChild(join(dir, 'sansan.db'));
      // The map threads start at boot (the first view's warm-up); 3 s lets them load.
      await new Promise((done) => setTimeout(done, 3000));
      expect((await fetch(`${server.base}/api/health`)).status).toBe(200);
      expect(residentMb(server.pid)).toBeLessThan(200);
    },
    120_000,
  );
});
