// Passwords: scrypt (node:crypto) with a random 16-byte salt per user, kept as
// `scrypt$N$r$p$salt$hash` (base64url) so the cost can be raised later without breaking old hashes.
// Sign-in verifies with the asynchronous scrypt (libuv's thread pool), so a sign-in does not hold
// up every other request for the ~50 ms a hash takes.
import { randomBytes, randomInt, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify<string, Buffer, number, ScryptOptions, Buffer>(scrypt);

/** The shortest password accepted (sign-in, the users command, the users API). */
export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 200;

const COST = { N: 16384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

export class PasswordError extends Error {}

/** Why a new password is not acceptable, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `password: at least ${MIN_PASSWORD_LENGTH} characters (this one has ${password.length})`;
  if (password.length > MAX_PASSWORD_LENGTH) return `password: at most ${MAX_PASSWORD_LENGTH} characters`;
  return null;
}

export function hashPassword(password: string): string {
  const problem = passwordProblem(password);
  if (problem) throw new PasswordError(problem);
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), salt, KEY_BYTES, { ...COST, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` matches a stored `scrypt$…` hash (resolves false for any other text). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key || password.length > MAX_PASSWORD_LENGTH) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password.normalize('NFC'), Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(actual, expected);
}

const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A random password for the first admin and the demo accounts: 16 characters, no look-alikes, each
 * drawn uniformly (crypto.randomInt rejects the values a plain `byte % 55` would favour).
 */
export function randomPassword(): string {
  return Array.from({ length: 16 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join('');
}
