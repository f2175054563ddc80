// Seeing what the server does and stopping it cleanly: one JSON log line per request (time, id, user,
// method, route, status, ms, bytes), X-Request-Id on every response, a 500 logged with its id, route,
// user and stack; `npm start` binds HOST, and SIGTERM lets a request in flight finish, anchors the
// audit head, checkpoints the WAL, removes its pid file and exits 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app.ts';
import { bootDatabase } from '../server/bootstrap.ts';
import { createLogger } from '../server/ops/log.ts';
import { signInUser } from './helpers/app.ts';

const ROOT = resolve(import.meta.dirname, '..');
let dir: string | undefined;
let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

type Line = Record<string, unknown>;

function memoryLog() {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Line);
      done();
    },
  });
  return { lines, log: createLogger('info', stream) };
}

describe('request logs (in-process)', () => {
  it('one line per request with its id; the id is on the response; a caller’s own id is kept', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sansan-log-'));
    const { lines, log } = memoryLog();
    const { db, ctx } = bootDatabase(join(dir, 'sansan.db'), { demo: false, log });
    try {
      const app = createApp(ctx);
      const token = signInUser(db, ctx.countyCodes, 'admin', 'admin');
      const res = await app.request('/api/sites?county=411102', { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const id = res.headers.get('x-request-id')!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const line = lines.find((entry) => entry.req === id)!;
      expect(line).toMatchObject({ user: 'admin', method: 'GET', route: '/api/sites', path: '/api/sites', status: 200 });
      expect(line.time).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
      expect(line.ms).toBeTypeOf('number');
      expect(line.bytes === null || typeof line.bytes === 'number').toBe(true);

      const own = await app.request('/api/health', { headers: { 'X-Request-Id': 'office-42' } });
      expect(own.headers.get('x-request-id')).toBe('office-42');
      const refused = await app.request('/api/sites');
      expect(refused.status).toBe(401);
      expect(refused.headers.get('x-request-id')).toBeTruthy();
      expect(lines.find((entry) => entry.req === refused.headers.get('x-request-id'))).toMatchObject({ status: 401, user: null });
    } finally {
      db.close();
    }
  });

  it('a 500 is logged with the request id, route, user and stack; the caller gets the id, not the stack', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sansan-log-'));
    const path = join(dir, 'sansan.db');
    const { lines, log } = memoryLog();
    const { db, ctx } = bootDatabase(path, { demo: false, log });
    try {
      const app = createApp(ctx);
      const token = signInUser(db, ctx.countyCodes, 'admin', 'admin');
      // The file damaged behind the server's back: a table it reads is gone.
      const other = new Database(path);
      other.exec('DROP TABLE task_notes');
      other.close();
      const res = await app.request('/api/tasks/1', { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(500);
      const id = res.headers.get('x-request-id')!;
      const body = (await res.json()) as { error: { code: string; message: string; details: { requestId?: string } } };
      expect(body.error).toMatchObject({ code: 'internal', details: { requestId: id } });
      expect(JSON.stringify(body)).not.toMatch(/SqliteError|\.ts:\d+/);
      const logged = lines.find((entry) => entry.req === id && entry.level === 50)!;
      expect(logged).toMatchObject({ user: 'admin', method: 'GET', route: '/api/tasks/:number' });
      expect((logged.err as { stack: string }).stack).toMatch(/task_notes/);
    } finally {
      db.close();
    }
  });
});

describe('npm start', () => {
  it('binds HOST, logs JSON lines, and on SIGTERM finishes the request in flight, checkpoints and exits 0', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sansan-start-'));
    const dbPath = join(dir, 'sansan.db');
    const server = spawn(process.execPath, ['--max-semi-space-size=4', 'server/start.mjs'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SANSAN_DB: dbPath, SANSAN_DEMO: '0', SANSAN_ADMIN_PASSWORD: 'admin-password-1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = server;
    const lines: Line[] = [];
    let stderr = '';
    server.stderr!.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((done) => server.on('exit', (code) => done(code)));
    const port = await new Promise<number>((resolvePort, reject) => {
      let buffer = '';
      server.stdout!.on('data', (chunk: Buffer) => {
        buffer += String(chunk);
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const text = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (!text.startsWith('{')) continue;
          const line = JSON.parse(text) as Line;
          lines.push(line);
          if (line.event === 'listening') resolvePort(line.port as number);
        }
      });
      void exited.then((code) => reject(new Error(`the server exited (${code}): ${stderr}`)));
    });
    expect(lines.find((line) => line.event === 'listening')).toMatchObject({ host: '127.0.0.1' });
    expect(readFileSync(`${dbPath}.pid`, 'utf8')).toBe(String(server.pid));

    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    const id = health.headers.get('x-request-id');
    expect(id).toBeTruthy();
    const signIn = await fetch(`http://127.0.0.1:${port}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'admin-password-1' }),
    });
    const { token } = (await signIn.json()) as { token: string };

    // A write in flight: its headers and half its body are sent, then SIGTERM, then the rest.
    const body = JSON.stringify({ name: '停机前料场', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2022-01-01' });
    const inFlight = new Promise<{ status: number; text: string }>((done, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/sites',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += String(chunk)));
          res.on('end', () => done({ status: res.statusCode!, text }));
        },
      );
      req.on('error', fail);
      req.write(body.slice(0, 20));
      setTimeout(() => {
        server.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(20)), 300);
      }, 300);
    });
    const answer = await inFlight;
    expect(answer.status, answer.text).toBe(201);
    expect(await exited).toBe(0);

    expect(lines.find((line) => line.req === id)).toMatchObject({ method: 'GET', route: '/api/health', status: 200 });
    expect(lines.map((line) => line.event).filter(Boolean)).toEqual(expect.arrayContaining(['listening', 'shutdown', 'stopped']));
    expect(existsSync(`${dbPath}.pid`)).toBe(false);
    expect(!existsSync(`${dbPath}-wal`) || statSync(`${dbPath}-wal`).size === 0).toBe(true);
    const anchors = readFileSync(`${dbPath}.audit-anchors`, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { reason: string });
    expect(anchors.at(-1)!.reason).toBe('shutdown');
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM sites WHERE name = '停机前料场'").pluck().get()).toBe(1);
    db.close();
  });
});
