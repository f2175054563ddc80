// Sessions: a random 32-byte token handed to the client (cookie and/or bearer), of which only the
// SHA-256 is stored, with a per-session CSRF token. A session ends after `idleMinutes` without a
// request or `maxHours` after sign-in, whichever comes first. The table's SQL is server/store/session-store.ts.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { deleteSessionByTokenHash, insertSession, sessionByTokenHash, touchSession } from '../store/session-store.ts';
import { getUserById } from '../store/user-store.ts';
import type { Principal } from './roles.ts';

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
  insertSession(db, { tokenHash: hashToken(token), userId, csrfToken, now });
  return { token, csrfToken };
}

/** The live session of a token (and refreshes it), or null when unknown, expired or its user disabled. */
export function findSession(db: Db, token: string, settings: SessionSettings): Session | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const tokenHash = hashToken(token);
  const row = sessionByTokenHash(db, tokenHash);
  if (!row) return null;
  const now = settings.now();
  const idleEnd = Date.parse(row.last_seen_at) + settings.idleMinutes * 60_000;
  const absoluteEnd = Date.parse(row.created_at) + settings.maxHours * 3_600_000;
  const user = getUserById(db, row.user_id);
  if (now >= idleEnd || now >= absoluteEnd || !user || user.disabled) {
    deleteSessionByTokenHash(db, tokenHash);
    return null;
  }
  let lastSeen = Date.parse(row.last_seen_at);
  if (now - lastSeen >= TOUCH_EVERY_MS) {
    touchSession(db, tokenHash, new Date(now).toISOString());
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
  deleteSessionByTokenHash(db, hashToken(token));
}
