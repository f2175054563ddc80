// `npm run backup -- [DIR]`: an online, consistent backup of the database (SANSAN_DB, default
// data/sansan.db) and its photos into a new folder under DIR (default SANSAN_BACKUP_DIR, else
// data/backups), checked after writing; the server may keep running. Prints the manifest.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { setUpAuditSeal } from '../auth/audit-seal.ts';
import { APP_VERSION } from '../bootstrap.ts';
import { CLI_RETRY_BUSY_MS, openDatabase } from '../db/database.ts';
import { backupDatabase } from '../ops/backup.ts';
import { databasePath } from './database-path.ts';

const dbPath = databasePath();
const into = resolve(process.cwd(), process.argv[2] ?? process.env.SANSAN_BACKUP_DIR ?? resolve(import.meta.dirname, '../../data/backups'));

async function main() {
  if (!existsSync(dbPath)) throw new Error(`no database at ${dbPath}: set SANSAN_DB`);
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

main().catch((error: unknown) => {
  console.error(`backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
