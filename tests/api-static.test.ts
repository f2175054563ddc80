// The built page over a real HTTP server (server/routes/static.ts): a hashed asset answers its
// precompressed variant as Accept-Encoding prefers, with Vary and `immutable`; index.html is asked
// again each time and answers 304 to its ETag; nothing outside the web folder is served.
import { serve, type ServerType } from '@hono/node-server';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootDatabase } from '../server/bootstrap.ts';
import { createServer } from '../server/server.ts';

const SCRIPT = `export const words = ${JSON.stringify('三散污染源地图 '.repeat(400))};\n`;
const INDEX = '<!doctype html><html lang="zh-CN"><head><script type="module" src="/assets/index-AbCd1234.js"></script></head><body></body></html>';

let dir: string;
let server: ServerType;
let port: number;
let close: () => void;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sansan-static-'));
  const web = join(dir, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), INDEX);
  // What the build writes: the file, and its brotli and gzip copies (vite.config.ts).
  writeFileSync(join(web, 'assets/index-AbCd1234.js'), SCRIPT);
  writeFileSync(join(web, 'assets/index-AbCd1234.js.br'), brotliCompressSync(SCRIPT));
  writeFileSync(join(web, 'assets/index-AbCd1234.js.gz'), gzipSync(SCRIPT));
  // Only a gzip copy.
  writeFileSync(join(web, 'assets/only-gzip-9f8e7d6c.css'), `.a{color:red}\n`.repeat(200));
  writeFileSync(join(web, 'assets/only-gzip-9f8e7d6c.css.gz'), gzipSync(`.a{color:red}\n`.repeat(200)));
  writeFileSync(join(dir, 'secret.txt'), 'outside the web folder');
  const { db, ctx } = bootDatabase(':memory:', { demo: false });
  close = () => db.close();
  const app = createServer(ctx, { webRoot: web });
  port = await new Promise<number>((ready) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => ready(info.port));
  });
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw HTTP GET: the bytes as sent (Node's http does not decode), status and headers. */
function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('hashed assets', () => {
  it('answer brotli to a browser, with Vary, immutable caching and the file type', async () => {
    const res = await get('/assets/index-AbCd1234.js', { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(SCRIPT.length / 10);
    expect(brotliDecompressSync(res.body).toString()).toBe(SCRIPT);
    // The security headers of every answer are there too.
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answer gzip when brotli is not accepted, the file itself when nothing is', async () => {
    const gzip = await get('/assets/index-AbCd1234.js', { 'Accept-Encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(SCRIPT);
    const refused = await get('/assets/index-AbCd1234.js', { 'Accept-Encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.toString()).toBe(SCRIPT);
    const plain = await get('/assets/index-AbCd1234.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(plain.body.toString()).toBe(SCRIPT);
    // A file with only a gzip copy gives that copy to a request that prefers brotli.
    const css = await get('/assets/only-gzip-9f8e7d6c.css', { 'Accept-Encoding': 'br, gzip' });
    expect(css.headers['content-encoding']).toBe('gzip');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('each variant has its own ETag; HEAD sends the length and no body', async () => {
    const br = await get('/assets/index-AbCd1234.js', { 'Accept-Encoding': 'br' });
    const gzip = await get('/assets/index-AbCd1234.js', { 'Accept-Encoding': 'gzip' });
    expect(br.headers.etag).not.toBe(gzip.headers.etag);
    const head = await get('/assets/index-AbCd1234.js', { 'Accept-Encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(br.body.length));
    expect(head.body.length).toBe(0);
  });
});

describe('the page and paths outside it', () => {
  it('index.html is asked again each time (no-cache) and answers 304 to its ETag', async () => {
    const first = await get('/', { 'Accept-Encoding': 'br' });
    expect(first.status).toBe(200);
    expect(first.body.toString()).toBe(INDEX);
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    const again = await get('/index.html', { 'If-None-Match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('a compressed copy is no file of its own, and ../ leaves nothing outside the web folder', async () => {
    // Both fall through to the single-page app's index.html.
    const copy = await get('/assets/index-AbCd1234.js.br');
    expect(copy.body.toString()).toBe(INDEX);
    const outside = await get('/assets/..%2F..%2Fsecret.txt');
    expect(outside.body.toString()).not.toContain('outside the web folder');
  });
});
