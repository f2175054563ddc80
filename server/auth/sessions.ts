// Sessions: a random 32-byte token handed to the client (cookie and/or bearer), of which only the
// SHA-256 is stored, with a per-session CSRF token. A session ends after `idleMinutes` without a
// request or `maxHours` after sign-in, whichever comes first.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { Principal } from './roles.ts';
import { getUserById } from './user-store.ts';

export interface SessionSettings {
  idleMinutes: number;
  maxHours: number;
  /** The clock, in ms; tests move it. */
  now: () => number;
}

export function sessionSettingsFromEnv(env: NodeJS.ProcessEnv): SessionSettings {
  const number = (name: string, fallback: number) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const parsed = Number(value);
    if (!(parsed > 0)) throw new Error(`${name}: "${value}" is not a positive number`);
    return parsed;
  };
  return { idleMinutes: number('SANSAN_SESSION_IDLE_MINUTES', 12 * 60), maxHours: number('SANSAN_SESSION_MAX_HOURS', 7 * 24), now: () => Date.now() };
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = { idleMinutes: 12 * 60, maxHours: 7 * 24, now: () => Date.now() };

/** A request refreshes last_seen_at at most this often, so reads do not write on every request. */
const TOUCH_EVERY_MS = 60_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface Session {
  user: Principal;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export function createSession(db: Db, userId: number, settings: SessionSettings): { token: string; csrfToken: string } {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const now = new Date(settings.now()).toISOString();
  db.run('INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)', [hashToken(token), userId, csrfToken, now, now]);
  return { token, csrfToken };
}

/** The live session of a token (and refreshes it), or null when unknown, expired or its user disabled. */
export function findSession(db: Db, token: string, settings: SessionSettings): Session | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const tokenHash = hashToken(token);
  const row = db.get<{ user_id: number; csrf_token: string; created_at: string; last_seen_at: string }>(
    'SELECT user_id, csrf_token, created_at, last_seen_at FROM sessions WHERE token_hash = ?',
    [tokenHash],
  );
  if (!row) return null;
  const now = settings.now();
  const idleEnd = Date.parse(row.last_seen_at) + settings.idleMinutes * 60_000;
  const absoluteEnd = Date.parse(row.created_at) + settings.maxHours * 3_600_000;
  const user = getUserById(db, row.user_id);
  if (now >= idleEnd || now >= absoluteEnd || !user || user.disabled) {
    db.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash]);
    return null;
  }
  let lastSeen = Date.parse(row.last_seen_at);
  if (now - lastSeen >= TOUCH_EVERY_MS) {
    db.run('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?', [new Date(now).toISOString(), tokenHash]);
    lastSeen = now;
  }
  return {
    user: { id: user.id, username: user.username, role: user.role, counties: user.counties },
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    expiresAt: new Date(Math.min(lastSeen + settings.idleMinutes * 60_000, absoluteEnd)).toISOString(),
  };
}

export function deleteSession(db: Db, token: string): void {
  db.run('DELETE FROM sessions WHERE token_hash = ?', [hashToken(token)]);
}
