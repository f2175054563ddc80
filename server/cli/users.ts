// `npm run users -- add|list|passwd|role|disable|enable ...`: accounts, from the server's machine.
// Passwords are read from standard input when it is not a terminal (one line), else asked for twice
// without echo. Every change is an audit record by "cli:<system user>". The database is SANSAN_DB
// (default data/sansan.db); the server may keep running.
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { CLI_RETRY_BUSY_MS, openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { setUpAuditSeal } from '../auth/audit-seal.ts';
import { AppError } from '../errors.ts';
import { ROLES, type Role } from '../auth/roles.ts';
import { checkRoleCounties, checkUsername, createUser, updateUser } from '../auth/accounts.ts';
import { findUser, listUsers } from '../store/user-store.ts';
import { countyCodes as readCountyCodes } from '../store/county-store.ts';
import { unlockUser } from '../ops/sign-in-locks.ts';
import { errorText, existingDatabase, readArgs, runCli, UsageError } from './cli.ts';

const usage = `usage: npm run users -- COMMAND
  add NAME --role ROLE [--county CODE]...   new account (password from stdin, or asked)
  list                                       every account
  passwd NAME                                new password (ends the user's sessions)
  role NAME ROLE [--county CODE]...          new role and counties
  disable NAME | enable NAME                 (disabling ends the user's sessions)
  unlock NAME                                lift a sign-in lock (failed sign-ins so far stop counting)
  --help                                     this text
  ROLE: ${ROLES.join(' | ')}; county and inspector need --county (411102 411103 411104 411121 411122)
  The database is SANSAN_DB (default data/sansan.db).`;

const COMMANDS = ['add', 'list', 'passwd', 'role', 'disable', 'enable', 'unlock'] as const;
type Command = (typeof COMMANDS)[number];

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

/** The command, its user and role, checked before the database is opened or a password asked for. */
function readCommand() {
  const { positionals, values } = readArgs({ allowPositionals: true, options: { role: { type: 'string' }, county: { type: 'string', multiple: true } } });
  const [command, name, roleArgument, ...extra] = positionals;
  if (!command) throw new UsageError('name a command');
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command "${command}"`);
  if (command !== 'list' && !name) throw new UsageError(`${command}: name the user`);
  if (extra.length || (roleArgument !== undefined && command !== 'role'))
    throw new UsageError(`${command}: unexpected "${[roleArgument, ...extra].filter(Boolean).join(' ')}"`);
  const roleText = command === 'role' ? (roleArgument ?? values.role) : values.role;
  if ((command === 'add' || command === 'role') && (!roleText || !(ROLES as readonly string[]).includes(roleText)))
    throw new UsageError(`role: "${roleText ?? ''}" must be one of ${ROLES.join(', ')}`);
  if ((values.role !== undefined && command !== 'add' && command !== 'role') || (values.county !== undefined && command !== 'add' && command !== 'role'))
    throw new UsageError(`${command}: takes no --role or --county`);
  return { command: command as Command, name: name ?? '', role: roleText as Role | undefined, counties: values.county };
}

async function main(): Promise<void> {
  const { command, name, role, counties } = readCommand();
  const dbPath = existingDatabase();
  const db = openDatabase(dbPath, { retryBusyForMs: CLI_RETRY_BUSY_MS });
  try {
    migrate(db);
    setUpAuditSeal(db, dbPath);
    const countyCodes = readCountyCodes(db);
    const by = { actor: `cli:${userInfo().username}`, role: null, address: 'local' };
    /** The user named, or a refusal before any password is asked for. */
    const existing = () => {
      const user = findUser(db, name);
      if (!user) throw new AppError(404, 'not_found', `no user "${name}"`);
      return user;
    };
    switch (command) {
      case 'list':
        for (const user of listUsers(db))
          console.log(
            `${user.username.padEnd(20)} ${user.role.padEnd(10)} ${(user.counties.join(',') || '-').padEnd(14)} ${user.disabled ? 'disabled' : 'active'}`,
          );
        return;
      case 'add': {
        // Everything but the password is checked first (the same rules createUser applies).
        checkUsername(name);
        checkRoleCounties(role!, counties ?? [], countyCodes);
        if (findUser(db, name)) throw new AppError(409, 'user_exists', `username: "${name}" is taken`);
        const user = createUser(db, countyCodes, { username: name, role: role!, counties: counties ?? [], password: await readPassword() }, by);
        console.log(`added ${user.username} (${user.role}${user.counties.length ? ` ${user.counties.join(',')}` : ''})`);
        return;
      }
      case 'passwd': {
        const { username } = existing();
        updateUser(db, countyCodes, username, { password: await readPassword() }, by);
        console.log(`new password for ${username}; their sessions have ended`);
        return;
      }
      case 'role': {
        const user = updateUser(db, countyCodes, name, { role, counties }, by);
        console.log(`${user.username} is now ${user.role}${user.counties.length ? ` ${user.counties.join(',')}` : ''}`);
        return;
      }
      case 'unlock': {
        const user = existing();
        const { username, lifted } = unlockUser(db, user.username, by, Date.now());
        console.log(`unlocked ${username} (${lifted} lock(s) lifted): failed sign-ins before now no longer count`);
        return;
      }
      case 'disable':
      case 'enable': {
        const user = updateUser(db, countyCodes, name, { disabled: command === 'disable' }, by);
        console.log(`${user.username} ${user.disabled ? 'disabled; their sessions have ended' : 'enabled'}`);
        return;
      }
    }
  } finally {
    db.close();
  }
}

runCli(usage, main, (error) => (error instanceof AppError ? `refused: ${error.message}` : `failed: ${errorText(error)}`));
