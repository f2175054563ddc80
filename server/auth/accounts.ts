// Accounts: the rules for users and their counties (names, roles, the counties a role needs, password
// strength, the last admin). Every change appends an audit record in the same transaction; the
// password hash never goes into a record. The tables' SQL is server/store/user-store.ts.
import type { Db } from '../db/database.ts';
import { AppError, badRequest, conflict, notFound } from '../errors.ts';
import { deleteUserSessions } from '../store/session-store.ts';
import { activeAdminCount, findUser, getUserById, insertUser, setUserCounties, updateUserRow, type UserRecord } from '../store/user-store.ts';
import { appendAudit, type AuditActor } from './audit.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { forgetSessions } from './sessions.ts';
import { COUNTY_SCOPED_ROLES, ROLES, type Role } from './roles.ts';

/** What an audit record shows of a user (no password hash). */
const auditView = (user: UserRecord) => ({ username: user.username, role: user.role, counties: user.counties, disabled: user.disabled });

export function checkUsername(username: string): void {
  if (!/^[\p{L}\p{N}_.@-]{2,50}$/u.test(username))
    throw badRequest('bad_field', `username: "${username}" must be 2–50 letters, digits, _ . @ or -`, {
      field: 'username',
      reason: 'bad_format',
      value: username,
    });
}

export function checkRoleCounties(role: string, counties: readonly string[], countyCodes: ReadonlySet<string>): void {
  if (!(ROLES as readonly string[]).includes(role))
    throw badRequest('bad_field', `role: "${role}" must be one of ${ROLES.join(', ')}`, { field: 'role', reason: 'not_one_of', value: role, allowed: ROLES });
  for (const county of counties)
    if (!countyCodes.has(county))
      throw badRequest('bad_field', `counties: unknown county code "${county}"`, { field: 'counties', reason: 'unknown_county', value: county });
  if (COUNTY_SCOPED_ROLES.has(role as Role) && counties.length === 0)
    throw badRequest('bad_field', `counties: a ${role} user needs at least one county`, { field: 'counties', reason: 'needs_county', role });
  if (!COUNTY_SCOPED_ROLES.has(role as Role) && counties.length > 0)
    throw badRequest('bad_field', `counties: only county and inspector users have counties (not ${role})`, {
      field: 'counties',
      reason: 'no_county_scope',
      role,
    });
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
    const id = insertUser(db, { username: input.username, role: input.role, passwordHash: hash, counties, now: new Date().toISOString() });
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
  // Remembered sessions carry the user's role and counties: forget them after the change (or its failure).
  try {
    return changeUser(db, countyCodes, username, change, hash, by);
  } finally {
    forgetSessions(db);
  }
}

function changeUser(db: Db, countyCodes: ReadonlySet<string>, username: string, change: UserChange, hash: string | null, by: AuditActor): UserRecord {
  return db.transaction(() => {
    const before = findUser(db, username);
    if (!before) throw notFound(`no user "${username}"`, { kind: 'user', id: username, username });
    const role = change.role ?? before.role;
    const counties = change.counties ? [...new Set(change.counties)].sort() : change.role && !COUNTY_SCOPED_ROLES.has(change.role) ? [] : before.counties;
    checkRoleCounties(role, counties, countyCodes);
    if (before.role === 'admin' && (role !== 'admin' || change.disabled) && activeAdminCount(db) <= 1)
      throw new AppError(409, 'last_admin', 'the last active admin cannot be demoted or disabled; make another admin first');
    updateUserRow(db, before.id, { role, disabled: change.disabled ?? before.disabled, passwordHash: hash, now: new Date().toISOString() });
    setUserCounties(db, before.id, counties);
    if (change.disabled || hash || role !== before.role) deleteUserSessions(db, before.id);
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
