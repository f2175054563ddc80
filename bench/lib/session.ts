// Everything but /api/health needs a signed-in user: the bench signs in as its own admin account,
// made in the database file (with a random password nobody needs) and opened as a session.
import { randomPassword } from '../../server/auth/passwords.ts';
import { createSession, DEFAULT_SESSION_SETTINGS } from '../../server/auth/sessions.ts';
import { createUser } from '../../server/auth/accounts.ts';
import { findUser } from '../../server/store/user-store.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrate.ts';

export const SESSION_COOKIE = 'sansan_session';

/** A session token (bearer or cookie) of the `bench` admin in the database at `path`. */
export function benchSession(path: string): string {
  const db = openDatabase(path);
  try {
    migrate(db);
    const codes = new Set(db.all<{ code: string }>('SELECT code FROM counties').map((row) => row.code));
    const user = findUser(db, 'bench') ?? createUser(db, codes, { username: 'bench', role: 'admin', password: randomPassword() }, { actor: 'bench', role: null, address: 'local' });
    return createSession(db, user.id, DEFAULT_SESSION_SETTINGS).token;
  } finally {
    db.close();
  }
}
