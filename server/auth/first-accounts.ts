// Accounts made when a database has none: the first admin (password from SANSAN_ADMIN_PASSWORD, or
// random), and in demo mode one demo account per role. Start-up prints the passwords once.
import type { Db } from '../db/database.ts';
import { hasUsers } from '../store/user-store.ts';
import { randomPassword } from './passwords.ts';
import type { Role } from './roles.ts';
import { createUser } from './accounts.ts';

export interface CreatedAccount {
  username: string;
  role: Role;
  counties: string[];
  /** null when it came from SANSAN_ADMIN_PASSWORD (not printed). */
  password: string | null;
}

export const DEMO_ACCOUNTS: readonly { username: string; role: Role; counties: string[] }[] = [
  { username: 'demo-county', role: 'county', counties: ['411102'] },
  { username: 'demo-inspector', role: 'inspector', counties: ['411102'] },
  { username: 'demo-planner', role: 'planner', counties: [] },
  { username: 'demo-viewer', role: 'viewer', counties: [] },
];

const SYSTEM = { actor: 'system', role: null, address: 'start-up' };

export function createFirstAccounts(db: Db, countyCodes: ReadonlySet<string>, options: { adminPassword?: string; demo: boolean }): CreatedAccount[] {
  if (hasUsers(db)) return [];
  return db.transaction(() => {
    const password = options.adminPassword || randomPassword();
    createUser(db, countyCodes, { username: 'admin', role: 'admin', password }, SYSTEM);
    const created: CreatedAccount[] = [{ username: 'admin', role: 'admin', counties: [], password: options.adminPassword ? null : password }];
    if (options.demo)
      for (const account of DEMO_ACCOUNTS) {
        const demoPassword = randomPassword();
        createUser(db, countyCodes, { ...account, password: demoPassword }, SYSTEM);
        created.push({ ...account, password: demoPassword });
      }
    return created;
  });
}
