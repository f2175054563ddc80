// A private PostgreSQL 15 + PostGIS cluster for one bench run: initdb in the run's temp folder, a free
// port, its unix socket in that folder (no TCP listener), stopped and removed with the run's other
// resources — also after a failure or Ctrl-C. Root cannot run PostgreSQL, so as root the cluster runs
// as the `postgres` system user (Debian's packages create it). Bench only: `.ci/run` does not install it.
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Resources } from './resources.ts';
import { freePort } from './server-process.ts';

/** Debian's postgresql-15 binaries (postgresql-15-postgis-3 brings PostGIS for them). */
export const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface PostgisCluster {
  /** A connected client (unix socket, trust authentication, database `postgres`, PostGIS created). */
  client: pg.Client;
  /** The folder the server may read files from (server-side COPY). */
  dir: string;
  /** `POSTGIS="3.3.2 …" PGSQL="150" GEOS=…` */
  version: string;
  stop(): Promise<void>;
}

/** Why the cluster cannot be started here, or null when it can. */
export function postgisMissing(): string | null {
  if (!existsSync(join(PG_BIN, 'initdb'))) return `PostgreSQL 15 is not installed (${PG_BIN}/initdb missing; apt-get install postgresql-15-postgis-3)`;
  const share = spawnSync(join(PG_BIN, 'pg_config'), ['--sharedir'], { encoding: 'utf8' });
  const control = join(share.stdout?.trim() || '/usr/share/postgresql/15', 'extension', 'postgis.control');
  if (!existsSync(control)) return `PostGIS is not installed for PostgreSQL 15 (${control} missing; apt-get install postgresql-15-postgis-3)`;
  if (process.getuid?.() === 0 && !systemUser('postgres')) return 'running as root and there is no `postgres` system user to run PostgreSQL as';
  return null;
}

function systemUser(name: string): { uid: number; gid: number } | null {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name) return { uid: Number(uid), gid: Number(gid) };
  }
  return null;
}

/** initdb + pg_ctl start in `resources.dir`/postgis; the cluster is stopped and removed by resources.closeAll. */
export async function startPostgis(resources: Resources, log: (message: string) => void): Promise<PostgisCluster> {
  const missing = postgisMissing();
  if (missing) throw new Error(missing);
  const dir = join(resources.dir, 'postgis');
  const data = join(dir, 'data');
  mkdirSync(dir);
  const owner = process.getuid?.() === 0 ? systemUser('postgres')! : null;
  if (owner) {
    // The run's folder is 0700 root: let the postgres user pass through it to its own folder.
    chmodSync(resources.dir, 0o711);
    chownSync(dir, owner.uid, owner.gid);
  }
  const as: SpawnSyncOptions = { encoding: 'utf8', ...(owner ? { uid: owner.uid, gid: owner.gid } : {}) };
  const run = (tool: string, args: string[]) => {
    const result = spawnSync(join(PG_BIN, tool), args, as);
    if (result.status !== 0)
      throw new Error(`${tool} failed (${result.status ?? result.signal}): ${String(result.stderr).trim().split('\n').slice(-2).join(' / ')}`);
  };
  const started = performance.now();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  // One core per query, as supercluster in Node: no parallel workers. fsync off: a throw-away cluster.
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=''",
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_parallel_workers_per_gather=0',
    '-c max_parallel_maintenance_workers=0',
    '-c maintenance_work_mem=256MB',
    '-c work_mem=64MB',
  ].join(' ');
  // pg_ctl in its own process group, so Ctrl-C reaches the bench (which stops the cluster) and not the postmaster.
  const pgCtl = (args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(join(PG_BIN, 'pg_ctl'), args, { detached: true, stdio: 'ignore', ...(owner ? { uid: owner.uid, gid: owner.gid } : {}) });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl ${args[0]} exited with ${code}; see ${join(dir, 'server.log')}`))));
    });
  let running = false;
  let client: pg.Client | null = null;
  const stopNow = () => {
    if (!running) return;
    running = false;
    spawnSync(join(PG_BIN, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w'], { ...as, stdio: 'ignore' });
  };
  // A bench that dies without its cleanup (an uncaught error) still stops the postmaster.
  process.once('exit', stopNow);
  const release = resources.hold(async () => {
    if (!running) return;
    running = false;
    await client?.end().catch(() => undefined);
    await pgCtl(['stop', '-D', data, '-m', 'fast', '-w']).catch(() => stopNow());
  });
  await pgCtl(['start', '-D', data, '-w', '-l', join(dir, 'server.log'), '-o', options]);
  running = true;
  const connected = new pg.Client({ host: dir, port, user: 'postgres', database: 'postgres' });
  client = connected;
  try {
    await connected.connect();
    await connected.query('CREATE EXTENSION postgis');
    const version = (await connected.query<{ v: string }>('SELECT postgis_full_version() AS v')).rows[0]!.v;
    log(`PostGIS cluster up in ${Math.round(performance.now() - started)} ms (${dir}, port ${port}, unix socket only)`);
    return { client: connected, dir, version, stop: release };
  } catch (error) {
    await release();
    throw error;
  }
}
