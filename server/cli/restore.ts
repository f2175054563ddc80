// `npm run restore -- BACKUP`: puts a backup folder (from npm run backup) in place of the database
// (SANSAN_DB, default data/sansan.db). Refuses while the server runs; checks the backup's file
// against its manifest, its integrity, schema version and audit chain first; keeps the replaced file.
import { resolve } from 'node:path';
import { restoreBackup } from '../ops/backup.ts';
import { databasePath } from './database-path.ts';

const from = process.argv[2];
if (!from) {
  console.error('usage: npm run restore -- BACKUP_FOLDER   (the database is SANSAN_DB, default data/sansan.db)');
  process.exit(2);
}
const dbPath = databasePath();
try {
  const { manifest, replaced } = restoreBackup(resolve(process.cwd(), from), dbPath);
  console.log(`restored ${dbPath} from the backup of ${manifest.createdAt}: schema ${manifest.schemaVersion}, ${manifest.counts.sites} sites, ${manifest.audit.records} audit records (chain verified)`);
  if (replaced) console.log(`the replaced database is kept as ${replaced}`);
} catch (error) {
  console.error(`restore refused: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
