// Sessions: a random 32-byte token handed to the client (cookie and/or bearer), of which only the
// SHA-256 is stored, with a per-session CSRF token. A session ends after `idleMinutes` without a
// request or `maxHours` after sign-in, whichever comes first. The table's SQL is server/store/session-store.ts.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { deleteSessionByTokenHash, insertSession, sessionByTokenHash, touchSession } from '../store/session-store.ts';
import { getUserById } from '../store/user-store.ts';
import { dataVersion } from '../store/data-version.ts';
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

/**
 * What a session check needs, kept in memory per database so that a request's check is a map lookup
 * (issue #17): the session's times and CSRF token and its user as a principal. An entry is dropped on
 * sign-out (`deleteSession`), when it expires, and all of them when a user changes: in this process
 * `forgetSessions` (called by every account change), from another process (`npm run users`) by the
 * `users` data version, read at most once a second. The minute's `last_seen_at` touch writes only the
 * sessions table, so it changes no data version and empties no cache.
 */
interface KnownSession {
  tokenHash: string;
  userId: number;
  user: Principal;
  csrfToken: string;
  createdAt: string;
  createdMs: number;
  lastSeenMs: number;
  /** What findSession answers, rebuilt when the session is touched. */
  answer: Session | null;
}

/** A session cache never holds more than this many sessions (the oldest go first). */
const MAX_KNOWN_SESSIONS = 10_000;
/** How often another process's account changes are looked for (the `users` data version). */
export const USERS_CHECK_EVERY_MS = 1000;

class SessionMemo {
  readonly byToken = new Map<string, KnownSession>();
  usersVersion = -1;
  checkedAt = -Infinity;

  /** Empties the memo when the users' data changed since the last look (at most once a second). */
  freshen(db: Db, now: number): void {
    if (now - this.checkedAt < USERS_CHECK_EVERY_MS && now >= this.checkedAt) return;
    this.checkedAt = now;
    const version = dataVersion(db, ['users']);
    if (version !== this.usersVersion) {
      this.byToken.clear();
      this.usersVersion = version;
    }
  }
}

const memos = new WeakMap<Db, SessionMemo>();
const memoOf = (db: Db) => {
  let memo = memos.get(db);
  if (!memo) memos.set(db, (memo = new SessionMemo()));
  return memo;
};

/** Forgets every remembered session of this database (a user's role, counties, password or state changed). */
export function forgetSessions(db: Db): void {
  const memo = memos.get(db);
  if (!memo) return;
  memo.byToken.clear();
  memo.checkedAt = -Infinity;
}

function loadSession(db: Db, token: string): KnownSession | null {
  const tokenHash = hashToken(token);
  const row = sessionByTokenHash(db, tokenHash);
  if (!row) return null;
  const user = getUserById(db, row.user_id);
  if (!user || user.disabled) {
    deleteSessionByTokenHash(db, tokenHash);
    return null;
  }
  return {
    tokenHash,
    userId: user.id,
    user: { id: user.id, username: user.username, role: user.role, counties: user.counties },
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    createdMs: Date.parse(row.created_at),
    lastSeenMs: Date.parse(row.last_seen_at),
    answer: null,
  };
}

/** The live session of a token (and refreshes it), or null when unknown, expired or its user disabled. */
export function findSession(db: Db, token: string, settings: SessionSettings): Session | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const now = settings.now();
  const memo = memoOf(db);
  memo.freshen(db, now);
  let known = memo.byToken.get(token) ?? null;
  if (!known) {
    known = loadSession(db, token);
    if (!known) return null;
    if (memo.byToken.size >= MAX_KNOWN_SESSIONS) memo.byToken.delete(memo.byToken.keys().next().value!);
    memo.byToken.set(token, known);
  }
  const idleEnd = known.lastSeenMs + settings.idleMinutes * 60_000;
  const absoluteEnd = known.createdMs + settings.maxHours * 3_600_000;
  if (now >= idleEnd || now >= absoluteEnd) {
    memo.byToken.delete(token);
    deleteSessionByTokenHash(db, known.tokenHash);
    return null;
  }
  if (now - known.lastSeenMs >= TOUCH_EVERY_MS) {
    touchSession(db, known.tokenHash, new Date(now).toISOString());
    known.lastSeenMs = now;
    known.answer = null;
  }
  return (known.answer ??= {
    user: known.user,
    csrfToken: known.csrfToken,
    createdAt: known.createdAt,
    expiresAt: new Date(Math.min(known.lastSeenMs + settings.idleMinutes * 60_000, absoluteEnd)).toISOString(),
  });
}

export function deleteSession(db: Db, token: string): void {
  memos.get(db)?.byToken.delete(token);
  deleteSessionByTokenHash(db, hashToken(token));
}
