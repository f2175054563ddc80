// Users and their counties. Every change appends an audit record in the same transaction; the
// password hash never goes into a record.
import type { Db } from '../db/database.ts';
import { AppError, badRequest, conflict, notFound } from '../errors.ts';
import { appendAudit, type AuditActor } from './audit.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { COUNTY_SCOPED_ROLES, ROLES, type Principal, type Role } from './roles.ts';

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

/** What an audit record shows of a user (no password hash). */
const auditView = (user: UserRecord) => ({ username: user.username, role: user.role, counties: user.counties, disabled: user.disabled });

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

export function checkUsername(username: string): void {
  if (!/^[\p{L}\p{N}_.@-]{2,50}$/u.test(username))
    throw badRequest('bad_field', `username: "${username}" must be 2–50 letters, digits, _ . @ or -`, { field: 'username', reason: 'bad_format', value: username });
}

export function checkRoleCounties(role: string, counties: readonly string[], countyCodes: ReadonlySet<string>): void {
  if (!(ROLES as readonly string[]).includes(role)) throw badRequest('bad_field', `role: "${role}" must be one of ${ROLES.join(', ')}`, { field: 'role', reason: 'not_one_of', value: role, allowed: ROLES });
  for (const county of counties)
    if (!countyCodes.has(county)) throw badRequest('bad_field', `counties: unknown county code "${county}"`, { field: 'counties', reason: 'unknown_county', value: county });
  if (COUNTY_SCOPED_ROLES.has(role as Role) && counties.length === 0)
    throw badRequest('bad_field', `counties: a ${role} user needs at least one county`, { field: 'counties', reason: 'needs_county', role });
  if (!COUNTY_SCOPED_ROLES.has(role as Role) && counties.length > 0)
    throw badRequest('bad_field', `counties: only county and inspector users have counties (not ${role})`, { field: 'counties', reason: 'no_county_scope', role });
}

function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw badRequest('weak_password', problem, { field: 'password' });
}

export interface NewUser {
  username: string;
  role: Role;
  counties?: readonly string[];
  password: string;
}

export function createUser(db: Db, countyCodes: ReadonlySet<string>, input: NewUser, by: AuditActor, options: { passwordHash?: string } = {}): UserRecord {
  checkUsername(input.username);
  const counties = [...new Set(input.counties ?? [])].sort();
  checkRoleCounties(input.role, counties, countyCodes);
  if (!options.passwordHash) checkPassword(input.password);
  const hash = options.passwordHash ?? hashPassword(input.password);
  return db.transaction(() => {
    if (findUser(db, input.username)) throw conflict('user_exists', `username: "${input.username}" is taken`, { field: 'username' });
    const now = new Date().toISOString();
    const id = Number(
      db.run('INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [input.username, input.role, hash, now, now]).lastInsertRowid,
    );
    for (const county of counties) db.run('INSERT INTO user_counties (user_id, county_code) VALUES (?, ?)', [id, county]);
    const user = getUserById(db, id)!;
    appendAudit(db, { ...by, action: 'user.create', target: `user:${user.username.toLowerCase()}`, counties, before: null, after: auditView(user) });
    return user;
  });
}

export interface UserChange {
  role?: Role;
  counties?: readonly string[];
  disabled?: boolean;
  password?: string;
}

/** Changes role, counties, disabled or password; a disabled user or a new password ends the user's sessions. */
export function updateUser(db: Db, countyCodes: ReadonlySet<string>, username: string, change: UserChange, by: AuditActor): UserRecord {
  if (change.password !== undefined) checkPassword(change.password);
  const hash = change.password !== undefined ? hashPassword(change.password) : null;
  return db.transaction(() => {
    const before = findUser(db, username);
    if (!before) throw notFound(`no user "${username}"`, { kind: 'user', id: username, username });
    const role = change.role ?? before.role;
    const counties = change.counties ? [...new Set(change.counties)].sort() : change.role && !COUNTY_SCOPED_ROLES.has(change.role) ? [] : before.counties;
    checkRoleCounties(role, counties, countyCodes);
    if (before.role === 'admin' && (role !== 'admin' || change.disabled) && db.get<{ n: number }>("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0")!.n <= 1)
      throw new AppError(409, 'last_admin', 'the last active admin cannot be demoted or disabled; make another admin first');
    const now = new Date().toISOString();
    db.run('UPDATE users SET role = ?, disabled = ?, updated_at = ? WHERE id = ?', [role, (change.disabled ?? before.disabled) ? 1 : 0, now, before.id]);
    if (hash) db.run('UPDATE users SET password_hash = ? WHERE id = ?', [hash, before.id]);
    db.run('DELETE FROM user_counties WHERE user_id = ?', [before.id]);
    for (const county of counties) db.run('INSERT INTO user_counties (user_id, county_code) VALUES (?, ?)', [before.id, county]);
    if (change.disabled || hash || role !== before.role) db.run('DELETE FROM sessions WHERE user_id = ?', [before.id]);
    const after = getUserById(db, before.id)!;
    const action = hash && Object.keys(change).length === 1 ? 'user.password' : 'user.edit';
    appendAudit(db, {
      ...by,
      action,
      target: `user:${after.username.toLowerCase()}`,
      counties: [...new Set([...before.counties, ...after.counties])],
      before: auditView(before),
      after: { ...auditView(after), ...(hash ? { passwordChanged: true } : {}) },
    });
    return after;
  });
}
