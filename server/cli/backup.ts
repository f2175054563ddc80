// `npm run backup -- [DIR]`: an online, consistent backup of the database (SANSAN_DB, default
// data/sansan.db) and its photos into a new folder under DIR (default SANSAN_BACKUP_DIR, else
// data/backups), checked after writing; the server may keep running. Prints the manifest.
import { resolve } from 'node:path';
import { setUpAuditSeal } from '../auth/audit-seal.ts';
import { APP_VERSION } from '../bootstrap.ts';
import { CLI_RETRY_BUSY_MS, openDatabase } from '../db/database.ts';
import { backupDatabase } from '../ops/backup.ts';
import { errorText, existingDatabase, readArgs, runCli, UsageError } from './cli.ts';

const usage = `usage: npm run backup -- [DIR]
  DIR: the folder the new backup folder goes into (default SANSAN_BACKUP_DIR, else data/backups)
  The database is SANSAN_DB (default data/sansan.db); the server may keep running.`;

async function main() {
  const { positionals } = readArgs({ allowPositionals: true, options: {} });
  if (positionals.length > 1) throw new UsageError(`give one folder, not ${positionals.length}`);
  const into = resolve(process.cwd(), positionals[0] ?? process.env.SANSAN_BACKUP_DIR ?? resolve(import.meta.dirname, '../../data/backups'));
  const dbPath = existingDatabase();
  const db = openDatabase(dbPath, { retryBusyForMs: CLI_RETRY_BUSY_MS });
  try {
    setUpAuditSeal(db, dbPath);
    const { dir, manifest } = await backupDatabase(db, dbPath, into, APP_VERSION);
    console.log(`backup written and checked: ${dir}`);
    console.log(JSON.stringify(manifest, null, 2));
  } finally {
    db.close();
  }
}

runCli(usage, main, (error) => `backup failed: ${errorText(error)}`);
