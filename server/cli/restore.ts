// `npm run restore -- BACKUP`: puts a backup folder (from npm run backup) in place of the database
// (SANSAN_DB, default data/sansan.db). Refuses while the server runs; checks the backup's file
// against its manifest, its integrity, schema version and audit chain first; keeps the replaced file.
import { resolve } from 'node:path';
import { restoreBackup } from '../ops/backup.ts';
import { errorText, readArgs, runCli, UsageError } from './cli.ts';
import { databasePath } from './database-path.ts';

const usage = `usage: npm run restore -- BACKUP_FOLDER
  BACKUP_FOLDER: a folder written by npm run backup (it holds manifest.json)
  The database is SANSAN_DB (default data/sansan.db); stop the server first.`;

function main() {
  const { positionals } = readArgs({ allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `give one backup folder, not ${positionals.length}` : 'name the backup folder');
  const dbPath = databasePath();
  const { manifest, replaced } = restoreBackup(resolve(process.cwd(), positionals[0]!), dbPath);
  console.log(
    `restored ${dbPath} from the backup of ${manifest.createdAt}: schema ${manifest.schemaVersion}, ${manifest.counts.sites} sites, ${manifest.audit.records} audit records (chain verified)`,
  );
  if (replaced) console.log(`the replaced database is kept as ${replaced}`);
}

runCli(usage, main, (error) => `restore refused: ${errorText(error)}`);
