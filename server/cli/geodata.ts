// `npm run geodata -- import FILE.geojson`: replace the county boundaries with an operator's own
// (e.g. official boundaries), after the same validity checks as at start-up.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CLI_RETRY_BUSY_MS, openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { importCountyFile, loadGeodata } from '../geodata/load-geodata.ts';
import { errorText, existingDatabase, readArgs, runCli, UsageError } from './cli.ts';

const usage = `usage: npm run geodata -- import FILE.geojson
  FILE: a GeoJSON FeatureCollection of Polygon/MultiPolygon features in WGS84 longitude/latitude,
        each with a 6-digit county code in "adcode" (or "code") and a "name".
  The database is SANSAN_DB (default data/sansan.db). Stop the server first.`;

function main() {
  const { positionals } = readArgs({ allowPositionals: true, options: {} });
  const [command, file, ...extra] = positionals;
  if (command !== 'import') throw new UsageError(command ? `unknown command "${command}"` : 'name a command');
  if (!file || extra.length) throw new UsageError('import: name one file');
  const path = resolve(process.cwd(), file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`import: no such file: ${path}`);
  const dbPath = existingDatabase();
  const db = openDatabase(dbPath, { retryBusyForMs: CLI_RETRY_BUSY_MS });
  try {
    migrate(db);
    loadGeodata(db);
    const result = importCountyFile(db, path);
    console.log(
      `imported ${result.counties} counties from ${file} into ${dbPath}; ${result.reassigned} sites changed county` +
        (result.removed.length ? `; removed ${result.removed.join(', ')}` : ''),
    );
  } finally {
    db.close();
  }
}

runCli(usage, main, (error) => `geodata import refused: ${errorText(error)}`);
