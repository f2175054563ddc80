// Builds the web app once for the whole test run (only when web/ or domain/ is newer than
// dist/web), so every browser test file serves the same bundle.
import { resolve } from 'node:path';
import { ensureWebBuild, webBuildIsStale } from '../server/web-build.ts';

export default async function setup(): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  await ensureWebBuild(root);
  // Someone may have saved a file in web/ during the build; the tests then run the build just made.
  if (webBuildIsStale(root)) console.warn('web/ changed during the build; the browser tests use the bundle built just now');
}
