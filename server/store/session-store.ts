// The sessions table: the SHA-256 of each session token, its user, CSRF token and times. What a
// session is and when it ends is server/auth/sessions.ts.
import type { Db } from '../db/database.ts';

export interface SessionRow {
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
}

export function insertSession(db: Db, session: { tokenHash: string; userId: number; csrfToken: string; now: string }): void {
  db.run('INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)', [
    session.tokenHash,
    session.userId,
    session.csrfToken,
    session.now,
    session.now,
  ]);
}

export function sessionByTokenHash(db: Db, tokenHash: string): SessionRow | undefined {
  return db.get<SessionRow>('SELECT user_id, csrf_token, created_at, last_seen_at FROM sessions WHERE token_hash = ?', [tokenHash]);
}

export function touchSession(db: Db, tokenHash: string, lastSeenAt: string): void {
  db.run('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?', [lastSeenAt, tokenHash]);
}

export function deleteSessionByTokenHash(db: Db, tokenHash: string): void {
  db.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash]);
}

/** Ends every session of a user (disabled, new password, new role). */
export function deleteUserSessions(db: Db, userId: number): void {
  db.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
}
