// Size of the JS the page loads up front: the scripts and module preloads index.html names, each
// gzipped with node:zlib at level 9.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchContext } from '../lib/context.ts';
import { formatBytes, NO_TARGET, type Row } from '../lib/measure.ts';

const gzipSize = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

export async function bundle(context: BenchContext): Promise<Row[]> {
  await context.fixtures.webBuild();
  const web = resolve(context.root, 'dist/web');
  const html = readFileSync(join(web, 'index.html'), 'utf8');
  const initial = new Set<string>();
  for (const match of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) initial.add(match[1]!);
  for (const match of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)) initial.add(match[1]!);
  const scripts = [...initial].filter((src) => src.endsWith('.js') || src.endsWith('.mjs'));
  if (scripts.length === 0) throw new Error('dist/web/index.html names no script');
  let raw = 0;
  let gzip = 0;
  for (const src of scripts) {
    const file = join(web, src.replace(/^\//, ''));
    raw += readFileSync(file).length;
    gzip += gzipSize(file);
  }
  const assets = join(web, 'assets');
  const later = readdirSync(assets)
    .filter((name) => /\.(m?js)$/.test(name) && !scripts.some((src) => src.endsWith(`/${name}`)))
    .map((name) => `${name.replace(/-[\w-]{8}\.(m?js)$/, '.$1')} ${formatBytes(gzipSize(join(assets, name)))}`);
  const css = readdirSync(assets)
    .filter((name) => name.endsWith('.css'))
    .reduce((sum, name) => sum + gzipSize(join(assets, name)), 0);
  return [
    {
      figure: 'initial JS bundle, gzip -9',
      size: `${scripts.length} file(s)`,
      median: `${(gzip / 1024).toFixed(1)} KB`,
      runs: '1',
      target: NO_TARGET,
      met: '—',
      notes:
        `${scripts.map((src) => src.split('/').pop()).join(', ')}: ${formatBytes(raw)} raw; ` +
        `not counted — worker chunks started with the map: ${later.join(', ') || 'none'}; CSS ${formatBytes(css)} gzip`,
    },
  ];
}
