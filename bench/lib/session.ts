// Everything but /api/health needs a signed-in user: the bench signs in as its own admin account,
// made in the database file (with a random password nobody needs) and opened as a session.
import { randomPassword } from '../../server/auth/passwords.ts';
import { createSession, DEFAULT_SESSION_SETTINGS } from '../../server/auth/sessions.ts';
import { createUser } from '../../server/auth/accounts.ts';
import { findUser } from '../../server/store/user-store.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrate.ts';
import { setUpAuditSeal } from '../../server/auth/audit-seal.ts';
import type { Role } from '../../domain/roles.ts';

export const SESSION_COOKIE = 'sansan_session';

/** A session token (bearer or cookie) of the `bench` admin (or another user) in the database at `path`. */
export function benchSession(path: string, username = 'bench', role: Role = 'admin'): string {
  const db = openDatabase(path);
  try {
    migrate(db);
    // Account changes are sealed audit records: the key beside the database, as the server uses it.
    setUpAuditSeal(db, path);
    const codes = new Set(db.all<{ code: string }>('SELECT code FROM counties').map((row) => row.code));
    const user =
      findUser(db, username) ?? createUser(db, codes, { username, role, password: randomPassword() }, { actor: 'bench', role: null, address: 'local' });
    return createSession(db, user.id, DEFAULT_SESSION_SETTINGS).token;
  } finally {
    db.close();
  }
}
