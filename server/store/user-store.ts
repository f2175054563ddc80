// The users and user_counties tables. The rules for accounts (names, roles and their counties,
// passwords, the last admin) and their audit records are server/auth/accounts.ts.
import type { Db } from '../db/database.ts';
import type { Principal, Role } from '../../domain/roles.ts';

export interface UserRecord extends Principal {
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

interface UserRow {
  id: number;
  username: string;
  role: Role;
  disabled: number;
  created_at: string;
  updated_at: string;
  counties: string | null;
}

const SELECT_USER = `SELECT u.id, u.username, u.role, u.disabled, u.created_at, u.updated_at,
  (SELECT group_concat(county_code) FROM (SELECT county_code FROM user_counties WHERE user_id = u.id ORDER BY county_code)) AS counties
  FROM users u`;

const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  role: row.role,
  counties: row.counties ? row.counties.split(',') : [],
  disabled: row.disabled === 1,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function listUsers(db: Db): UserRecord[] {
  return db.all<UserRow>(`${SELECT_USER} ORDER BY u.username`).map(toRecord);
}

export function findUser(db: Db, username: string): UserRecord | null {
  const row = db.get<UserRow>(`${SELECT_USER} WHERE u.username = ?`, [username]);
  return row ? toRecord(row) : null;
}

export function getUserById(db: Db, id: number): UserRecord | null {
  const row = db.get<UserRow>(`${SELECT_USER} WHERE u.id = ?`, [id]);
  return row ? toRecord(row) : null;
}

export function passwordHashOf(db: Db, id: number): string | null {
  return db.get<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = ?', [id])?.password_hash ?? null;
}

/** Whether the database has any account at all. */
export const hasUsers = (db: Db): boolean => db.get('SELECT 1 FROM users LIMIT 1') !== undefined;

export function activeAdminCount(db: Db): number {
  return db.get<{ n: number }>("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0")!.n;
}

/** Inserts a user with its counties; returns the id. */
export function insertUser(db: Db, user: { username: string; role: Role; passwordHash: string; counties: readonly string[]; now: string }): number {
  const id = Number(
    db.run('INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [
      user.username,
      user.role,
      user.passwordHash,
      user.now,
      user.now,
    ]).lastInsertRowid,
  );
  setUserCounties(db, id, user.counties);
  return id;
}

export function updateUserRow(db: Db, id: number, change: { role: Role; disabled: boolean; passwordHash: string | null; now: string }): void {
  db.run('UPDATE users SET role = ?, disabled = ?, updated_at = ? WHERE id = ?', [change.role, change.disabled ? 1 : 0, change.now, id]);
  if (change.passwordHash) db.run('UPDATE users SET password_hash = ? WHERE id = ?', [change.passwordHash, id]);
}

/** Replaces a user's counties. */
export function setUserCounties(db: Db, id: number, counties: readonly string[]): void {
  db.run('DELETE FROM user_counties WHERE user_id = ?', [id]);
  for (const county of counties) db.run('INSERT INTO user_counties (user_id, county_code) VALUES (?, ?)', [id, county]);
}
