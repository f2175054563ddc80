// Builds the web app (Vite) when dist/web is missing or older than its sources, so `npm start`
// on a fresh clone serves the map without a separate build step.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function webBuildIsStale(root: string): boolean {
  const built = resolve(root, 'dist/web/index.html');
  if (!existsSync(built)) return true;
  const sources = Math.max(newestMtime(resolve(root, 'web')), newestMtime(resolve(root, 'domain')), statSync(resolve(root, 'vite.config.ts')).mtimeMs);
  return sources > statSync(built).mtimeMs;
}

export async function ensureWebBuild(root: string): Promise<void> {
  if (!webBuildIsStale(root)) return;
  console.log('building the web app (vite build)…');
  const { build } = await import('vite');
  // vite.config.ts sets root: 'web'; passing `root` here would override it.
  await build({ configFile: resolve(root, 'vite.config.ts'), logLevel: 'warn' });
}
