// Each worker pool's threads have a heap cap (server/db/threads.ts, issue 20): a job that needs more
// ends its thread, not the server, and is answered 503 `memory_limit` with Retry-After, said in
// Chinese on the page. `npm start`'s command in a child process on a database file of 20,000 synthetic
// sites, with the analysis thread capped at 32 MB, the least the configuration takes (the relapse state of
// 20,000 sites does not fit; since the thread stopped loading turf and exceljs before its first job, that
// of 10,000 sites fits in 36 MB):
// the relapse analysis is refused, the server goes on answering (health, an export on its own thread),
// and the analysis thread is replaced — the next analysis is refused the same way, not hung.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSites, loadSites, readGeography } from '../bench/synthetic.ts';
import { parseConfig } from '../server/config.ts';
import { BACKGROUND_NICE } from '../server/db/threads.ts';
import { describeError } from '../web/i18n/error-text.ts';
import { bootTestApp, type Harness } from './helpers/app.ts';
import { startServerChild, type ServerChild } from './helpers/server-child.ts';

const dir = mkdtempSync(join(tmpdir(), 'sansan-thread-memory-'));
let h: Harness;
let server: ServerChild;

beforeAll(async () => {
  h = bootTestApp({ path: join(dir, 'sansan.db') });
  loadSites(h.db, generateSites(readGeography(h.db), 20_000));
  server = await startServerChild(join(dir, 'sansan.db'), { SANSAN_ANALYSIS_HEAP_MB: '32' });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  h?.db.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string) => fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${h.token}` } });

interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

describe('a thread past its heap cap', () => {
  it('answers 503 memory_limit with Retry-After, and the server goes on answering', async () => {
    for (const path of ['/api/analysis/relapse?limit=5', '/api/analysis/relapse?cellKm=2&limit=5']) {
      const refused = await get(path);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      const { error } = (await refused.json()) as ErrorBody;
      expect(error.code).toBe('memory_limit');
      expect(error.details).toMatchObject({ thread: 'analysis', limitMb: 32, retryAfterSeconds: 5 });
      // What the page shows: Chinese, with the cap and the wait.
      const zh = describeError({ code: error.code, details: error.details, status: 503 }, 'zh');
      expect(zh).toContain('内存');
      expect(zh).toContain('32 MB');
      expect(zh).toContain('5 秒后重试');
      expect(zh).not.toMatch(/[A-Za-z]{3,}/);
      const health = await get('/api/health');
      expect(health.status).toBe(200);
    }
    // Exports run on their own threads, under their own cap: unaffected.
    const csv = await get('/api/export?format=csv');
    expect(csv.status).toBe(200);
    expect((await csv.text()).split('\n').length).toBeGreaterThan(10_000);
  }, 120_000);
});

describe('background threads', () => {
  // A thread's nice value: field 19 of /proc/PID/task/TID/stat (the 17th after the command's closing bracket).
  const niceOf = (tid: string) => Number(readFileSync(`/proc/${server.pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
  it.skipIf(process.platform !== 'linux')(
    'the export and analysis threads run at BACKGROUND_NICE; the request thread keeps its priority',
    async () => {
      await (await get('/api/export?format=csv')).arrayBuffer();
      await (await get('/api/counties/411102/scorecard?asOf=2022-03-31')).arrayBuffer();
      let niced: string[] = [];
      for (let tries = 0; tries < 50 && niced.length < 2; tries++) {
        niced = readdirSync(`/proc/${server.pid}/task`).filter((tid) => niceOf(tid) === BACKGROUND_NICE);
        await new Promise((done) => setTimeout(done, 200));
      }
      expect(BACKGROUND_NICE).toBeGreaterThan(0);
      // The export thread and the analysis thread (the import and map threads keep the server's priority).
      expect(niced.length).toBe(2);
      expect(niceOf(String(server.pid))).toBe(0);
    },
    60_000,
  );
});

describe('the caps in the configuration', () => {
  it('reads SANSAN_ANALYSIS_HEAP_MB, SANSAN_EXPORT_HEAP_MB and SANSAN_IMPORT_HEAP_MB (0: no cap) and refuses a bad value by name', () => {
    expect(parseConfig({}, '/srv').threadHeapMb).toEqual({});
    expect(parseConfig({ SANSAN_ANALYSIS_HEAP_MB: '800', SANSAN_EXPORT_HEAP_MB: '0', SANSAN_IMPORT_HEAP_MB: '512' }, '/srv').threadHeapMb).toEqual({
      analysis: 800,
      export: null,
      import: 512,
    });
    expect(() => parseConfig({ SANSAN_EXPORT_HEAP_MB: '16' }, '/srv')).toThrow(
      /SANSAN_EXPORT_HEAP_MB must be a whole number of MB, 0 \(no cap\) or from 32, not "16"/,
    );
    expect(() => parseConfig({ SANSAN_ANALYSIS_HEAP_MB: 'lots' }, '/srv')).toThrow(/SANSAN_ANALYSIS_HEAP_MB/);
  });
});
