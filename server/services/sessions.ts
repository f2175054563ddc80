// Signing in and out as the audit trail records them: a failed attempt (the sign-in throttle counts
// these), a session started, a session ended. Each write and its audit record are one transaction.
// The password check and the throttle stay in the route (server/routes/session.ts).
import type { Db } from '../db/database.ts';
import { appendAudit } from '../auth/audit.ts';
import type { Principal } from '../auth/roles.ts';
import { createSession, deleteSession, type SessionSettings } from '../auth/sessions.ts';

const target = (username: string) => `user:${username.toLowerCase()}`;

/** Records a refused sign-in (who was tried, from where, why) at `now` (ms). */
export function recordFailedSignIn(db: Db, attempt: { username: string; address: string; now: number; reason: string }): void {
  appendAudit(db, {
    actor: null,
    role: null,
    address: attempt.address,
    action: 'sign_in.failed',
    target: target(attempt.username),
    after: { reason: attempt.reason },
    at: new Date(attempt.now).toISOString(),
  });
}

/** Starts a session for a user whose password was checked; returns its bearer and CSRF tokens. */
export function startSession(
  db: Db,
  settings: SessionSettings,
  user: Pick<Principal, 'id' | 'username' | 'role'>,
  address: string,
  now: number,
): { token: string; csrfToken: string } {
  return db.transaction(() => {
    const created = createSession(db, user.id, settings);
    appendAudit(db, { actor: user.username, role: user.role, address, action: 'sign_in', target: target(user.username), at: new Date(now).toISOString() });
    return created;
  });
}

/** Ends the session of `token` (sign-out). */
export function endSession(db: Db, token: string, user: Pick<Principal, 'username' | 'role'>, address: string): void {
  db.transaction(() => {
    deleteSession(db, token);
    appendAudit(db, { actor: user.username, role: user.role, address, action: 'sign_out', target: target(user.username) });
  });
}
