// Heavy work passes a per-user and a global limit (server/ops/limits.ts): uploads are held in flight
// by a request body that is still arriving, and the next heavy request gets 429 too_busy with Retry-After.
import { describe, expect, it } from 'vitest';
import { bootTestApp, expectError, type Caller } from './helpers/app.ts';
import { DEFAULT_HEAVY_LIMITS } from '../server/ops/limits.ts';

const BOUNDARY = 'sansan-limit-test';
const LEDGER = '名称,经度,纬度,类别\n某砂石场,113.95,33.55,砂石料场\n';

/** An upload whose body stops halfway until `finish` is called; `reading` resolves once the server has begun to read it. */
function heldUpload(caller: Caller) {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let reading!: () => void;
  const started = new Promise<void>((resolve) => (reading = resolve));
  const parts = [
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="held.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    `${LEDGER}\r\n--${BOUNDARY}--\r\n`,
  ];
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent === 1) {
        reading();
        await finished;
      }
      if (sent === parts.length) return controller.close();
      controller.enqueue(new TextEncoder().encode(parts[sent++]!));
    },
  });
  // With its length declared (as browsers send it) the body limit checks the header and leaves the body unread.
  const length = String(parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0));
  const response = caller.request('/api/imports', {
    method: 'POST',
    body,
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': length },
    duplex: 'half',
  } as RequestInit);
  return { started, finish, response };
}

async function smallUpload(caller: Caller) {
  const form = new FormData();
  form.append('file', new File([LEDGER], 'small.csv'));
  const response = await caller.request('/api/imports', { method: 'POST', body: form });
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    text,
    body: JSON.parse(text) as never,
    contentType: response.headers.get('content-type'),
  };
}

describe('heavy work limits', () => {
  it('a user’s third heavy request waits out with 429; another user still gets in; the slot comes back', async () => {
    const h = bootTestApp();
    const { perUser, retryAfterSeconds } = DEFAULT_HEAVY_LIMITS;
    const held = Array.from({ length: perUser }, () => heldUpload(h));
    await Promise.all(held.map((upload) => upload.started));
    const refused = await smallUpload(h);
    const error = expectError(refused, 429, 'too_busy');
    expect(refused.retryAfter).toBe(String(retryAfterSeconds));
    expect(error.details).toMatchObject({ scope: 'user', limit: perUser, retryAfterSeconds });
    // Exports count too.
    expect((await h.get('/api/export?format=csv')).status).toBe(429);
    // Another user is not held up by the first one's work.
    expect((await smallUpload(h.as('county', ['411102']))).status).toBe(201);
    for (const upload of held) upload.finish();
    // The slot is held until the answer has been read.
    for (const upload of held) expect((await upload.response).status).toBe(201);
    for (const upload of held) await (await upload.response).text();
    expect((await smallUpload(h)).status).toBe(201);
  });

  it('beyond the global limit every user waits, with 429 naming the server', async () => {
    const h = bootTestApp();
    const { perUser, global } = DEFAULT_HEAVY_LIMITS;
    const users = Array.from({ length: Math.ceil(global / perUser) }, (_, i) => h.as('county', [['411102', '411103', '411104', '411121', '411122'][i]!]));
    const held = users.flatMap((user) => Array.from({ length: perUser }, () => heldUpload(user))).slice(0, global);
    await Promise.all(held.map((upload) => upload.started));
    const refused = await smallUpload(h);
    const error = expectError(refused, 429, 'too_busy');
    expect(error.details).toMatchObject({ scope: 'server', limit: global });
    expect(refused.retryAfter).not.toBeNull();
    // Light reads are not limited.
    expect((await h.get('/api/health')).status).toBe(200);
    for (const upload of held) upload.finish();
    await Promise.all(held.map(async (upload) => (await upload.response).text()));
    expect((await smallUpload(h)).status).toBe(201);
  });
});
