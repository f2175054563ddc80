// Which accounts are locked out of signing in, and lifting a lock. The sign-in throttle
// (server/routes/session.ts) counts failed sign-ins per (account, address) pair in the audit trail,
// from the account's last `sign_in.unlock`; an admin lifts a lock with POST /api/users/{name}/unlock
// or `npm run users -- unlock NAME`, recorded in the audit trail like every write.
import { z } from '@hono/zod-openapi';
import { appendAudit, type AuditActor } from '../auth/audit.ts';
import { findUser } from '../store/user-store.ts';
import type { Db } from '../db/database.ts';
import { notFound } from '../errors.ts';
import { MAX_FAILURES_PER_USER, SIGN_IN_WINDOW_MINUTES } from '../auth/sign-in-limits.ts';
import { repeatedSignInFailures } from '../store/audit-store.ts';

export const SignInLock = z
  .object({
    username: z.string(),
    address: z.string().nullable().openapi({ description: 'The address the failed sign-ins came from (the lock is per account and address).' }),
    failures: z.number().int().openapi({ description: 'Failed sign-ins counted now.' }),
    until: z.string().openapi({ description: 'When the lock ends by itself (ISO time).' }),
    known: z.boolean().openapi({ description: 'Whether an account of that name exists (guessing at unknown names is throttled too).' }),
  })
  .openapi('SignInLock');

export const Unlocked = z
  .object({ username: z.string(), at: z.string(), lifted: z.number().int().openapi({ description: 'Locks (addresses) lifted.' }) })
  .openapi('Unlocked');

const targetOf = (username: string) => `user:${username.toLowerCase()}`;

/** The (account, address) pairs whose failed sign-ins reach the limit now. */
export function signInLocks(db: Db, now: number): z.infer<typeof SignInLock>[] {
  const since = new Date(now - SIGN_IN_WINDOW_MINUTES * 60_000).toISOString();
  const rows = repeatedSignInFailures(db, since, MAX_FAILURES_PER_USER);
  return rows.map((row) => {
    const username = row.target.replace(/^user:/, '');
    return {
      username,
      address: row.address,
      failures: row.failures,
      until: new Date(Date.parse(row.oldest) + SIGN_IN_WINDOW_MINUTES * 60_000).toISOString(),
      known: findUser(db, username) !== null,
    };
  });
}

/** Lifts every sign-in lock of `username` (failed sign-ins before now stop counting); 404 for an unknown account. */
export function unlockUser(db: Db, username: string, by: AuditActor, now: number): z.infer<typeof Unlocked> {
  const user = findUser(db, username);
  if (!user) throw notFound(`no user ${username}`, { kind: 'user', id: username });
  const target = targetOf(user.username);
  const at = new Date(now).toISOString();
  const lifted = signInLocks(db, now).filter((lock) => targetOf(lock.username) === target).length;
  db.transaction(() => appendAudit(db, { ...by, action: 'sign_in.unlock', target, before: null, after: { lifted }, at }));
  return { username: user.username, at, lifted };
}
