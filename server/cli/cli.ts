// What every command-line tool does the same way: `--help` (or `-h`, or the command `help`) prints the
// usage and exits 0; a bad argument is a UsageError (its message, then the usage, exit 2) found before
// any password is asked for or any file touched; any other failure is one line and exit 1. The
// database must already exist: a tool never creates one (only `npm start` does).
import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { databasePath } from './database-path.ts';

export class UsageError extends Error {}

/** Prints the usage and exits 0 when the arguments ask for help. */
export function answerHelp(usage: string, args: readonly string[] = process.argv.slice(2)): void {
  if (args[0] === 'help' || args.some((arg) => arg === '--help' || arg === '-h')) {
    console.log(usage);
    process.exit(0);
  }
}

/** node:util parseArgs (strict: unknown options refused), its complaints as UsageError. */
export function readArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>({ args: process.argv.slice(2), ...config });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** SANSAN_DB, which must exist; else a UsageError saying how to make it. */
export function existingDatabase(): string {
  const dbPath = databasePath();
  if (!existsSync(dbPath)) throw new UsageError(`没有数据库 no database at ${dbPath}: start the server once (npm start) or set SANSAN_DB`);
  return dbPath;
}

/**
 * Runs a tool's main: help first, then main; a UsageError prints its message and the usage (exit 2),
 * anything else `failed` words it on one line (exit 1).
 */
export function runCli(usage: string, main: () => void | Promise<void>, failed: (error: unknown) => string): void {
  answerHelp(usage);
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      if (error instanceof UsageError) console.error(`${error.message}\n${usage}`);
      else console.error(failed(error));
      process.exitCode = error instanceof UsageError ? 2 : 1;
    });
}

export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
