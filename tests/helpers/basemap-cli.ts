// Runs `npm run basemap -- …` (server/cli/basemap.ts) on a database file, as an operator would.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function basemapCli(dbPath: string, ...args: string[]): CliResult {
  const run = spawnSync(process.execPath, ['--import', 'tsx', resolve(ROOT, 'server/cli/basemap.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, SANSAN_DB: dbPath },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Adds a basemap and fails loudly (with the CLI's words) when it is refused. */
export function addBasemap(dbPath: string, file: string, ...options: string[]): string {
  const result = basemapCli(dbPath, 'add', file, ...options);
  if (result.status !== 0) throw new Error(`npm run basemap -- add ${file} ${options.join(' ')}: exit ${result.status}\n${result.stderr}${result.stdout}`);
  return result.stdout;
}
