// `npm run basemap -- add|list|remove|default ...`: offline basemaps (PMTiles v3 or MBTiles, raster
// or vector) registered beside the database in data/basemaps/. `add` checks the file first
// (server/basemaps/check-archive.ts) and touches neither the folder nor the database when it is
// refused. Every change is an audit record by "cli:<system user>". The server may keep running.
import { copyFileSync, constants, existsSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { CLI_RETRY_BUSY_MS, openDatabase } from '../db/database.ts';
import { setUpAuditSeal } from '../auth/audit-seal.ts';
import { migrate } from '../db/migrate.ts';
import { basemapFolder } from '../bootstrap.ts';
import { ArchiveError } from '../basemaps/tile-archive.ts';
import { checkArchive } from '../basemaps/check-archive.ts';
import { cityBounds, getBasemap, listBasemaps } from '../store/basemap-store.ts';
import { deleteBasemap, insertBasemap, setDefaultBasemap } from '../services/basemaps.ts';
import { errorText, existingDatabase, readArgs, runCli, UsageError } from './cli.ts';

const usage = `用法 usage: npm run basemap -- COMMAND
  add FILE [--name 名称] [--crs wgs84|gcj02] [--attribution TEXT] [--id ID]
                          登记底图 register a .pmtiles or .mbtiles basemap (raster PNG/JPEG/WebP or vector MVT)
                          --crs: 瓦片坐标系 the tiles' system: wgs84 (default; also 天地图/CGCS2000) or gcj02 (高德/腾讯)
  list                    已登记的底图 the registered basemaps
  remove ID               删除底图及其文件 remove a basemap and its file
  default ID|none         页面默认打开的底图 the basemap the page opens on (none: the plain offline map)
  --help                  本说明 this text
  The database is SANSAN_DB (default data/sansan.db); files are kept in data/basemaps/ beside it.`;

const ID = /^[a-z0-9_-]{1,40}$/;

/** An id from the file name: lower-case letters, digits, - and _ (else "basemap"). */
function idFrom(file: string): string {
  const stem = basename(file, extname(file))
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return stem || 'basemap';
}

async function main(): Promise<void> {
  const { positionals, values } = readArgs({
    allowPositionals: true,
    options: { name: { type: 'string' }, crs: { type: 'string' }, attribution: { type: 'string' }, id: { type: 'string' } },
  });
  const [command, argument] = positionals;
  if (!command) throw new UsageError('请给出命令 name a command');
  if (!['add', 'list', 'remove', 'default'].includes(command)) throw new UsageError(`未知命令 unknown command "${command}"`);
  if (command === 'remove' && !argument) throw new UsageError('remove: 请给出底图 ID name the basemap id');
  if (command === 'default' && !argument) throw new UsageError('default: 请给出底图 ID 或 none name the basemap id, or none');
  const dbPath = existingDatabase();
  const by = { actor: `cli:${userInfo().username}`, role: null, address: 'local' };
  const folder = basemapFolder(dbPath);

  if (command === 'add') {
    if (!argument) throw new UsageError('add: 请给出文件 name the file');
    const file = resolve(process.cwd(), argument);
    if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`add: 没有这个文件 no such file: ${file}`);
    const crs = values.crs ?? 'wgs84';
    if (crs !== 'wgs84' && crs !== 'gcj02') throw new UsageError(`--crs: “${crs}”应为 wgs84 或 gcj02 must be wgs84 or gcj02`);
    const id = values.id ?? idFrom(file);
    if (!ID.test(id)) throw new UsageError(`--id: “${id}”只能含小写字母、数字、- 和 _ may hold only a-z, 0-9, - and _ (at most 40)`);
    // Check everything before the folder or the database is touched.
    const db = openDatabase(dbPath, { retryBusyForMs: CLI_RETRY_BUSY_MS });
    try {
      migrate(db);
      setUpAuditSeal(db, dbPath);
      const checked = await checkArchive(file, cityBounds(db));
      if (getBasemap(db, id)) throw new UsageError(`add: 已有底图 ${id} there is already a basemap ${id} (give another with --id, or remove it first)`);
      const stored = `${id}.${checked.format}`;
      const target = join(folder, stored);
      mkdirSync(folder, { recursive: true });
      copyFileSync(file, target, constants.COPYFILE_EXCL);
      const name = values.name?.trim() || checked.name?.trim() || basename(file);
      const attribution = values.attribution ?? checked.attribution ?? name;
      try {
        insertBasemap(
          db,
          {
            id,
            name,
            file: stored,
            format: checked.format,
            tileFormat: checked.tileFormat,
            schema: checked.schema,
            crs,
            attribution,
            minZoom: checked.minZoom,
            maxZoom: checked.maxZoom,
            bounds: checked.bounds,
            bytes: statSync(target).size,
            addedBy: by.actor,
            addedAt: new Date().toISOString(),
          },
          by,
        );
      } catch (error) {
        unlinkSync(target);
        throw error;
      }
      const what = checked.kind === 'vector' ? `vector ${checked.schema}` : `raster ${checked.tileFormat}`;
      console.log(`已登记 added ${id}「${name}」: ${checked.format} ${what}, zoom ${checked.minZoom}–${checked.maxZoom}, ${crs}, ${target}`);
    } finally {
      db.close();
    }
    return;
  }

  const db = openDatabase(dbPath, { retryBusyForMs: CLI_RETRY_BUSY_MS });
  try {
    migrate(db);
    setUpAuditSeal(db, dbPath);
    switch (command) {
      case 'list': {
        const all = listBasemaps(db);
        if (!all.length) console.log('没有登记底图 no basemaps registered');
        for (const b of all)
          console.log(
            `${b.isDefault ? '*' : ' '} ${b.id.padEnd(20)} ${b.name}  ${b.format} ${b.schema ?? b.tileFormat} z${b.minZoom}-${b.maxZoom} ${b.crs} ${(b.bytes / 1024 / 1024).toFixed(1)} MB`,
          );
        return;
      }
      case 'remove': {
        const removed = deleteBasemap(db, argument!, by);
        if (!removed) throw new UsageError(`remove: 没有底图 no basemap ${argument}`);
        const file = join(folder, removed.file);
        if (existsSync(file)) unlinkSync(file);
        console.log(`已删除 removed ${argument}`);
        return;
      }
      case 'default': {
        const chosen = argument!;
        if (chosen !== 'none' && !getBasemap(db, chosen)) throw new UsageError(`default: 没有底图 no basemap ${argument}`);
        setDefaultBasemap(db, chosen === 'none' ? null : chosen, by);
        console.log(argument === 'none' ? '页面默认打开离线地图 the page opens on the plain offline map' : `页面默认打开 the page opens on ${argument}`);
        return;
      }
    }
  } finally {
    db.close();
  }
}

runCli(usage, main, (error) => (error instanceof ArchiveError ? `拒绝登记 refused: ${error.message}` : `失败 failed: ${errorText(error)}`));
