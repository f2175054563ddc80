// Accounts: signing in (one scrypt hash, on purpose slow), what the permission check adds to a
// request, and verifying the audit trail's hash chain. In-process on a fresh in-memory database.
import { createApp } from '../../server/app.ts';
import { appendAudit, verifyAuditChain } from '../../server/auth/audit.ts';
import { createSession, DEFAULT_SESSION_SETTINGS } from '../../server/auth/sessions.ts';
import { createUser } from '../../server/auth/accounts.ts';
import { bootDatabase } from '../../server/bootstrap.ts';
import type { BenchContext } from '../lib/context.ts';
import { formatCount, timeAsync, timeSync, timingRow, type Row } from '../lib/measure.ts';

const PASSWORD = 'bench-password-2022';

export async function auth(context: BenchContext): Promise<Row[]> {
  const { db, ctx } = bootDatabase(':memory:', { demo: false });
  const release = context.resources.hold(() => db.close());
  try {
    const app = createApp(ctx);
    const by = { actor: 'bench', role: null, address: 'local' };
    const user = createUser(db, ctx.countyCodes, { username: 'county-bench', role: 'county', counties: ['411102'], password: PASSWORD }, by);
    const token = createSession(db, user.id, DEFAULT_SESSION_SETTINGS).token;
    const signIn = async () =>
      app.request('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user.username, password: PASSWORD }),
      });
    const health = async () => app.request('/api/health');
    const config = async () => app.request('/api/config', { headers: { Authorization: `Bearer ${token}` } });
    const signInMs: number[] = [];
    for (let i = 0; i < 12; i++) {
      const { ms, value } = await timeAsync(signIn);
      if (value.status !== 200) throw new Error(`sign-in answered ${value.status}`);
      if (i >= 2) signInMs.push(ms);
    }
    // The same tiny handler cost with and without the guard's session lookup and rule match.
    const open: number[] = [];
    const guarded: number[] = [];
    for (let i = 0; i < 220; i++) {
      const a = await timeAsync(health);
      const b = await timeAsync(config);
      if (b.value.status !== 200) throw new Error(`GET /api/config answered ${b.value.status}`);
      if (i >= 20) {
        open.push(a.ms);
        guarded.push(b.ms);
      }
    }
    const records = 10_000;
    db.transaction(() => {
      for (let i = 0; i < records; i++)
        appendAudit(db, { ...by, action: 'site.edit', target: `site:${i}`, counties: ['411102'], before: { note: null }, after: { note: `第${i}次` } });
    });
    const verify: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { ms, value } = timeSync(() => verifyAuditChain(db));
      if (!value.ok) throw new Error('the chain does not verify');
      verify.push(ms);
    }
    return [
      timingRow({
        figure: 'sign-in (POST /api/session: scrypt N=16384, session, audit record)',
        size: '—',
        samples: signInMs,
        notes: 'scrypt is slow on purpose; 5 failures per user lock the user for 15 min',
      }),
      timingRow({ figure: 'GET /api/health (no sign-in) in-process', size: '—', samples: open }),
      timingRow({
        figure: 'GET /api/config signed in (session lookup + rule) in-process',
        size: '—',
        samples: guarded,
        notes: 'the difference to the row above is roughly what the guard adds per request',
      }),
      timingRow({ figure: 'GET /api/audit/verify (recompute the chain)', size: `${formatCount(records + 2)} records`, samples: verify }),
    ];
  } finally {
    await release();
  }
}
