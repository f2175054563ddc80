// The fast lane (issue #17, server/routes/fast-lane.ts) over a real SQLite file and a real HTTP server:
// a repeated signed-in GET of a cached list is answered without Hono with the same status, bytes and
// headers (a new X-Request-Id, the caller's own when sane) and one log line like Hono's; a write, a
// sign-out or an account change sends the next request through Hono again.
import { getRequestListener } from '@hono/node-server';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootDatabase } from '../server/bootstrap.ts';
import type { AppContext } from '../server/context.ts';
import { createLogger } from '../server/ops/log.ts';
import { forgetSessions } from '../server/auth/sessions.ts';
import { fastLane, type FastLane } from '../server/routes/fast-lane.ts';
import { createServer as createSansanServer } from '../server/server.ts';
import { POINTS, signInUser, TODAY, type SiteCollection } from './helpers/app.ts';

let dir: string;
let ctx: AppContext;
let server: Server;
let lane: FastLane;
let base: string;
let admin: string;
let viewer: string;
let inspector: string;
const lines: Record<string, unknown>[] = [];
/** The log lines as written (the fast lane writes its line's text itself). */
const texts: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sansan-fast-lane-'));
  const log = createLogger('info', {
    write: (line: string) => {
      texts.push(line);
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  ctx = bootDatabase(join(dir, 'sansan.db'), { demo: false, today: () => TODAY, log }).ctx;
  admin = signInUser(ctx.db, ctx.countyCodes, 'admin', 'admin', [], ctx.sessions);
  viewer = signInUser(ctx.db, ctx.countyCodes, 'viewer', 'viewer', [], ctx.sessions);
  inspector = signInUser(ctx.db, ctx.countyCodes, 'inspector', 'inspector', ['411102'], ctx.sessions);
  // Sessions are checked against the users' data version at most once a second: start from today's.
  forgetSessions(ctx.db);
  const app = createSansanServer(ctx, { webRoot: join(dir, 'no-web') });
  lane = fastLane(ctx, getRequestListener(app.fetch));
  server = createServer(lane);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A list over 1 KB, so that it is sent compressed.
  for (let i = 0; i < 8; i++) expect((await send('POST', '/api/sites', admin, site(`快车道点位${i}`, i))).status).toBe(201);
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  ctx.db.close();
  rmSync(dir, { recursive: true, force: true });
});

const SITES = '/api/sites?county=411102';
const site = (name: string, i: number) => ({
  name,
  category: 'sand_yard',
  lon: POINTS['411102'][0] + i * 0.001,
  lat: POINTS['411102'][1],
  discoveredOn: '2022-01-01',
});

function send(method: string, path: string, token: string, body?: unknown) {
  return fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** GET of the list with node:http (the raw bytes, still compressed) and whether the fast lane answered. */
async function get(token: string, headers: Record<string, string> = {}) {
  const before = lane.answered;
  const {
    status,
    headers: got,
    bytes,
  } = await new Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) =>
    request(base + SITES, { headers: { Authorization: `Bearer ${token}`, 'Accept-Encoding': 'br', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end(),
  );
  const res = { status, headers: new Headers(Object.entries(got).map(([name, value]): [string, string] => [name, String(value)])) };
  return { res, bytes, fast: lane.answered > before };
}

/** Every header but the ones that differ per answer. */
const stable = (res: { headers: Headers }) =>
  Object.fromEntries([...res.headers].filter(([name]) => !['date', 'x-request-id', 'keep-alive', 'connection'].includes(name)));

describe('the fast lane', () => {
  it('answers a repeated GET with the bytes and headers Hono gave, a new request id and one log line like Hono’s', async () => {
    const first = await get(admin);
    expect(first.res.status).toBe(200);
    expect(first.fast).toBe(false);
    const second = await get(admin, { 'X-Request-Id': 'caller-id-1' });
    expect(second.fast).toBe(true);
    expect(second.res.status).toBe(200);
    expect(second.bytes.equals(first.bytes)).toBe(true);
    expect(stable(second.res)).toEqual(stable(first.res));
    expect(second.res.headers.get('content-encoding')).toBe('br');
    expect((JSON.parse(brotliDecompressSync(second.bytes).toString()) as SiteCollection).features.map((f) => f.properties.name)).toContain('快车道点位7');
    expect(second.res.headers.get('x-request-id')).toBe('caller-id-1');
    const third = await get(admin, { 'X-Request-Id': 'not sane!' });
    expect(third.fast).toBe(true);
    expect(third.res.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);
    expect(third.res.headers.get('x-request-id')).not.toBe(first.res.headers.get('x-request-id'));

    const logged = (id: string | null) => lines.filter((line) => line.req === id);
    const [hono] = logged(first.res.headers.get('x-request-id'));
    const [fast] = logged('caller-id-1');
    expect(logged('caller-id-1')).toHaveLength(1);
    const same = (line: Record<string, unknown> | undefined) => ({ ...line, req: undefined, ms: undefined, time: undefined });
    expect(same(fast)).toEqual(same(hono));
    expect(fast).toMatchObject({ user: 'admin', method: 'GET', route: '/api/sites', path: '/api/sites', status: 200, bytes: first.bytes.length });
    // The very text pino writes for Hono's line (key order included), but for the id, time and ms.
    const text = (id: string | null) => texts.find((line) => line.includes(`"req":"${id}"`))!;
    const masked = (line: string) =>
      line
        .replace(/"req":"[^"]*"/, '"req":""')
        .replace(/"time":"[^"]*"/, '"time":""')
        .replace(/"ms":[\d.]+/, '"ms":0');
    expect(masked(text('caller-id-1'))).toBe(masked(text(first.res.headers.get('x-request-id'))));
    expect(text('caller-id-1')).toMatch(/^\{"level":30,"time":"[^"]+","req":"caller-id-1","user":"admin",.*\}\n$/);
  });

  it('answers 304 to the ETag, and 200 from Hono with the new site after a write', async () => {
    const first = await get(admin);
    const etag = first.res.headers.get('etag')!;
    const unchanged = await get(admin, { 'If-None-Match': etag });
    expect(unchanged.fast).toBe(true);
    expect(unchanged.res.status).toBe(304);
    expect(unchanged.bytes.length).toBe(0);
    expect(unchanged.res.headers.get('etag')).toBe(etag);
    expect(unchanged.res.headers.get('x-frame-options')).toBe('DENY');

    expect((await send('POST', '/api/sites', admin, site('写入后的点位', 20))).status).toBe(201);
    const after = await get(admin, { 'If-None-Match': etag });
    expect(after.fast).toBe(false);
    expect(after.res.status).toBe(200);
    expect(after.res.headers.get('etag')).not.toBe(etag);
    const names = (JSON.parse(brotliDecompressSync(after.bytes).toString()) as SiteCollection).features.map((f) => f.properties.name);
    expect(names).toContain('写入后的点位');
    // The new answer is remembered in turn.
    expect((await get(admin)).fast).toBe(true);
  });

  it('keeps one user’s answer to that user’s session: another token, a sign-out and a disabled account go through Hono', async () => {
    expect((await get(viewer)).fast).toBe(false);
    expect((await get(viewer)).fast).toBe(true);
    expect((await get('x'.repeat(43))).res.status).toBe(401);

    expect((await send('DELETE', '/api/session', viewer)).status).toBeLessThan(300);
    const signedOut = await get(viewer);
    expect(signedOut.fast).toBe(false);
    expect(signedOut.res.status).toBe(401);

    expect((await get(inspector)).fast).toBe(false);
    expect((await get(inspector)).fast).toBe(true);
    expect((await send('PATCH', '/api/users/inspector', admin, { disabled: true })).status).toBe(200);
    const disabled = await get(inspector);
    expect(disabled.fast).toBe(false);
    expect(disabled.res.status).toBe(401);
  });
});
