// `npm run users -- add|list|passwd|role|disable|enable ...`: accounts, from the server's machine.
// Passwords are read from standard input when it is not a terminal (one line), else asked for twice
// without echo. Every change is an audit record by "cli:<system user>". The database is SANSAN_DB
// (default data/sansan.db); the server may keep running.
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { CLI_RETRY_BUSY_MS, openDatabase } from '../db/database.ts';
import { databasePath } from './database-path.ts';
import { migrate } from '../db/migrate.ts';
import { setUpAuditSeal } from '../auth/audit-seal.ts';
import { AppError } from '../errors.ts';
import { ROLES, type Role } from '../auth/roles.ts';
import { createUser, updateUser } from '../auth/accounts.ts';
import { findUser, listUsers } from '../store/user-store.ts';
import { appendAudit } from '../auth/audit.ts';

const usage = `usage: npm run users -- COMMAND
  add NAME --role ROLE [--county CODE]...   new account (password from stdin, or asked)
  list                                       every account
  passwd NAME                                new password (ends the user's sessions)
  role NAME ROLE [--county CODE]...          new role and counties
  disable NAME | enable NAME                 (disabling ends the user's sessions)
  unlock NAME                                lift a sign-in lock (failed sign-ins so far stop counting)
  ROLE: ${ROLES.join(' | ')}; county and inspector need --county (411102 411103 411104 411121 411122)
  The database is SANSAN_DB (default data/sansan.db).`;

class UsageError extends Error {}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    throw new UsageError('no password on standard input');
  }
  const ask = (prompt: string) =>
    new Promise<string>((done) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      const output = rl as unknown as { _writeToOutput: (text: string) => void };
      rl.question(prompt, (answer) => {
        rl.close();
        process.stdout.write('\n');
        done(answer);
      });
      // Echo nothing while the password is typed.
      output._writeToOutput = (text: string) => void (text.startsWith(prompt) ? process.stdout.write(prompt) : undefined);
    });
  const first = await ask('password: ');
  if ((await ask('again: ')) !== first) throw new UsageError('the two passwords differ');
  return first;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { role: { type: 'string' }, county: { type: 'string', multiple: true } },
  });
  const [command, name, roleArgument] = positionals;
  if (!command) throw new UsageError('name a command');
  const dbPath = databasePath();
  if (!existsSync(dbPath)) throw new UsageError(`no database at ${dbPath}: start the server once (npm start) or set SANSAN_DB`);
  const db = openDatabase(dbPath, { retryBusyForMs: CLI_RETRY_BUSY_MS });
  try {
    migrate(db);
    setUpAuditSeal(db, dbPath);
    const countyCodes = new Set(db.all<{ code: string }>('SELECT code FROM counties').map((row) => row.code));
    const by = { actor: `cli:${userInfo().username}`, role: null, address: 'local' };
    const needName = () => {
      if (!name) throw new UsageError(`${command}: name the user`);
      return name;
    };
    const role = (value: string | undefined): Role => {
      if (!value || !(ROLES as readonly string[]).includes(value)) throw new UsageError(`role: "${value ?? ''}" must be one of ${ROLES.join(', ')}`);
      return value as Role;
    };
    switch (command) {
      case 'list':
        for (const user of listUsers(db))
          console.log(`${user.username.padEnd(20)} ${user.role.padEnd(10)} ${(user.counties.join(',') || '-').padEnd(14)} ${user.disabled ? 'disabled' : 'active'}`);
        return;
      case 'add': {
        const username = needName();
        const user = createUser(db, countyCodes, { username, role: role(values.role), counties: values.county ?? [], password: await readPassword() }, by);
        console.log(`added ${user.username} (${user.role}${user.counties.length ? ` ${user.counties.join(',')}` : ''})`);
        return;
      }
      case 'passwd': {
        const username = needName();
        updateUser(db, countyCodes, username, { password: await readPassword() }, by);
        console.log(`new password for ${username}; their sessions have ended`);
        return;
      }
      case 'role': {
        const user = updateUser(db, countyCodes, needName(), { role: role(roleArgument ?? values.role), counties: values.county }, by);
        console.log(`${user.username} is now ${user.role}${user.counties.length ? ` ${user.counties.join(',')}` : ''}`);
        return;
      }
      case 'unlock': {
        const user = findUser(db, needName());
        if (!user) throw new AppError(404, 'not_found', `no user ${name}`);
        db.transaction(() => appendAudit(db, { ...by, action: 'sign_in.unlock', target: `user:${user.username.toLowerCase()}`, before: null, after: null }));
        console.log(`unlocked ${user.username}: failed sign-ins before now no longer count`);
        return;
      }
      case 'disable':
      case 'enable': {
        const user = updateUser(db, countyCodes, needName(), { disabled: command === 'disable' }, by);
        console.log(`${user.username} ${user.disabled ? 'disabled; their sessions have ended' : 'enabled'}`);
        return;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    db.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) console.error(`${error.message}\n${usage}`);
  else if (error instanceof AppError) console.error(`refused: ${error.message}`);
  else console.error(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
