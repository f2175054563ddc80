// Generated passwords (first admin, demo accounts): 16 characters from a 55-letter alphabet without
// look-alikes, each letter equally likely. `byte % 55` would make the first 36 letters 25% likelier
// (256 = 4·55 + 36); crypto.randomInt does not.
import { describe, expect, it } from 'vitest';
import { randomPassword, verifyPassword, hashPassword } from '../../server/auth/passwords.ts';

const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

describe('randomPassword', () => {
  it('draws 16 letters of the alphabet, each about equally often', () => {
    const passwords = Array.from({ length: 40_000 }, randomPassword);
    expect(passwords.filter((password) => !/^[a-hjkmnp-zA-HJ-NP-Z2-9]{16}$/.test(password))).toEqual([]);
    const counts = new Map<string, number>();
    for (const password of passwords) for (const letter of password) counts.set(letter, (counts.get(letter) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...ALPHABET].sort());
    // 640,000 letters: 11,636 each on average, standard deviation ≈ 107; a modulo bias gives 12,500 against 10,000.
    const values = [...counts.values()];
    expect(Math.max(...values) / Math.min(...values)).toBeLessThan(1.12);
  });
});

describe('verifyPassword', () => {
  it('resolves true for the password and false for another or a foreign hash', async () => {
    const stored = hashPassword('correct horse battery');
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery!', stored)).resolves.toBe(false);
    await expect(verifyPassword('correct horse battery', 'bcrypt$whatever')).resolves.toBe(false);
  });
});
