// `npm run geodata -- import FILE.geojson`: replace the county boundaries with an operator's own
// (e.g. official boundaries), after the same validity checks as at start-up.
import { resolve } from 'node:path';
import { CLI_RETRY_BUSY_MS, openDatabase } from '../db/database.ts';
import { databasePath } from './database-path.ts';
import { migrate } from '../db/migrate.ts';
import { importCountyFile, loadGeodata } from '../geodata/load-geodata.ts';
import { GeodataError } from '../geodata/validate-counties.ts';

const usage = `usage: npm run geodata -- import FILE.geojson
  FILE: a GeoJSON FeatureCollection of Polygon/MultiPolygon features in WGS84 longitude/latitude,
        each with a 6-digit county code in "adcode" (or "code") and a "name".
  The database is SANSAN_DB (default data/sansan.db). Stop the server first.`;

const [command, file] = process.argv.slice(2);
if (command !== 'import' || !file) {
  console.error(usage);
  process.exit(2);
}

const dbPath = databasePath();
const db = openDatabase(dbPath, { retryBusyForMs: CLI_RETRY_BUSY_MS });
try {
  migrate(db);
  loadGeodata(db);
  const result = importCountyFile(db, resolve(process.cwd(), file));
  console.log(
    `imported ${result.counties} counties from ${file} into ${dbPath}; ${result.reassigned} sites changed county` +
      (result.removed.length ? `; removed ${result.removed.join(', ')}` : ''),
  );
} catch (error) {
  console.error(`geodata import refused: ${error instanceof GeodataError ? error.message : (error as Error).message}`);
  process.exitCode = 1;
} finally {
  db.close();
}
