// What the page's JavaScript is made of. The first view loads the entry script, the chunks it
// imports statically and the map's worker; everything else (pages, panels, PDF/XLSX code) is a lazy
// chunk. One row for the first view's scripts (as sent: the build's .br and .gz copies), one for the
// lazy chunks, and one per part of the first view's scripts (npm package or folder of web/), its
// bytes found from the build's source maps and each part compressed alone.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js';
import type { Rolldown } from 'vite';
import type { BenchContext } from '../lib/context.ts';
import { formatBytes, NO_TARGET, type Row } from '../lib/measure.ts';

/** A row of one measured size (no runs, no target). */
const sizeRow = (figure: string, size: string, bytes: number, notes: string): Row => ({
  figure,
  size,
  median: formatBytes(bytes),
  runs: '1',
  target: NO_TARGET,
  met: '—',
  notes,
});

const brotli = (bytes: Buffer | string) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const gzip = (bytes: Buffer | string) => gzipSync(bytes, { level: 9 }).length;

/** The part of the bundle a source file belongs to: its npm package, else its folder (web/components, domain). */
export function partOf(source: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (pkg) return pkg[1]!;
  const local = /(?:^|\/)(web|domain|server)\/(.*)$/.exec(source.replace(/\\/g, '/'));
  if (!local) return source.includes('vite') || source.includes('rolldown') ? 'vite runtime' : 'other';
  const [folder, rest] = [local[1]!, local[2]!];
  return rest.includes('/') ? `${folder}/${rest.split('/')[0]}` : folder === 'web' ? 'web (root files)' : folder;
}

/** The generated code of `chunk`, split by the part each piece was made from (source map). */
function codeByPart(chunk: Rolldown.OutputChunk): Map<string, string> {
  const parts = new Map<string, string[]>();
  const lines = chunk.code.split('\n');
  const map = chunk.map;
  // Rolldown's tiny runtime chunk has no source map.
  if (!map) return new Map([['vite runtime', chunk.code]]);
  const consumer = new SourceMapConsumer(map as unknown as RawSourceMap);
  const add = (part: string, text: string) => {
    let list = parts.get(part);
    if (!list) parts.set(part, (list = []));
    list.push(text);
  };
  let previous: { line: number; column: number; part: string } | null = null;
  const flushTo = (line: number, column: number) => {
    if (!previous) return;
    if (previous.line === line) add(previous.part, lines[line - 1]!.slice(previous.column, column));
    else {
      add(previous.part, lines[previous.line - 1]!.slice(previous.column));
      for (let l = previous.line + 1; l < line; l++) add(previous.part, lines[l - 1]!);
      add(previous.part, lines[line - 1]!.slice(0, column));
    }
  };
  consumer.eachMapping(
    (m) => {
      flushTo(m.generatedLine, m.generatedColumn);
      previous = { line: m.generatedLine, column: m.generatedColumn, part: m.source ? partOf(m.source) : 'vite runtime' };
    },
    undefined,
    SourceMapConsumer.GENERATED_ORDER,
  );
  if (previous) flushTo(lines.length, lines[lines.length - 1]!.length);
  return new Map([...parts].map(([part, list]) => [part, list.join('')]));
}

/** The chunks a chunk imports statically, transitively, itself included. */
function staticClosure(entry: Rolldown.OutputChunk, chunks: Map<string, Rolldown.OutputChunk>): Rolldown.OutputChunk[] {
  const seen = new Map<string, Rolldown.OutputChunk>();
  const visit = (chunk: Rolldown.OutputChunk) => {
    if (seen.has(chunk.fileName)) return;
    seen.set(chunk.fileName, chunk);
    for (const name of chunk.imports) {
      const next = chunks.get(name);
      if (next) visit(next);
    }
  };
  visit(entry);
  return [...seen.values()];
}

export async function bundle(context: BenchContext): Promise<Row[]> {
  await context.fixtures.webBuild();
  const web = resolve(context.root, 'dist/web');
  const assets = join(web, 'assets');
  // The built files as sent: the .br copy the build wrote (its .gz for browsers without brotli).
  const sent = (name: string) => {
    const file = join(assets, name);
    const size = (suffix: string) => {
      try {
        return statSync(file + suffix).size;
      } catch {
        return statSync(file).size;
      }
    };
    return { raw: statSync(file).size, br: size('.br'), gz: size('.gz') };
  };
  // The same build again in memory with source maps, to name the parts (the files in dist/web have none).
  context.log('bundle: building the page in memory with source maps (not timed)');
  const { build } = await import('vite');
  const out = await build({ configFile: resolve(context.root, 'vite.config.ts'), logLevel: 'silent', build: { write: false, sourcemap: true } });
  const outputs = (Array.isArray(out) ? out : [out]).flatMap((o) => ('output' in o ? o.output : []));
  const chunks = new Map(outputs.filter((o): o is Rolldown.OutputChunk => o.type === 'chunk').map((c) => [c.fileName, c]));
  const entry = [...chunks.values()].find((c) => c.isEntry);
  if (!entry) throw new Error('the build has no entry chunk');
  const initial = staticClosure(entry, chunks);
  const initialNames = new Set(initial.map((c) => c.fileName.replace(/^assets\//, '')));
  const built = readdirSync(assets).filter((name) => /\.(m?js)$/.test(name));
  const workers = built.filter((name) => name.includes('worker'));
  const lazy = built.filter((name) => !initialNames.has(name) && !workers.includes(name));
  const sum = (names: string[], key: 'raw' | 'br' | 'gz') => names.reduce((total, name) => total + sent(name)[key], 0);
  const firstView = [...initialNames, ...workers].filter((name) => built.includes(name));
  const css = readdirSync(assets).filter((name) => name.endsWith('.css'));

  const rows: Row[] = [
    sizeRow(
      'first view JS as sent (brotli; gzip)',
      `${firstView.length} file(s)`,
      sum(firstView, 'br'),
      `${firstView.map((name) => `${name} ${formatBytes(sent(name).raw)} raw → ${formatBytes(sent(name).br)} br, ${formatBytes(sent(name).gz)} gz`).join('; ')}; ` +
        `gzip total ${formatBytes(sum(firstView, 'gz'))}; CSS ${css.map((name) => `${formatBytes(sent(name).br)} br`).join(', ')}`,
    ),
    sizeRow(
      'lazy JS chunks (not in the first view), brotli',
      `${lazy.length} file(s)`,
      sum(lazy, 'br'),
      lazy
        .map((name) => ({ name, br: sent(name).br }))
        .sort((a, b) => b.br - a.br)
        .map(({ name, br }) => `${name.replace(/-[\w-]{8}\.(m?js)$/, '.$1')} ${formatBytes(br)}`)
        .join(', '),
    ),
  ];
  // The parts of the first view's scripts (the worker is MapLibre's own, one part).
  const parts = new Map<string, string>();
  for (const chunk of initial) for (const [part, code] of codeByPart(chunk)) parts.set(part, (parts.get(part) ?? '') + code);
  const measured = [...parts].map(([part, code]) => ({ part, raw: Buffer.byteLength(code), br: brotli(code), gz: gzip(code) })).sort((a, b) => b.br - a.br);
  for (const { part, raw, br, gz } of measured.filter((p) => p.raw >= 2048)) {
    rows.push(
      sizeRow(
        `first view JS part: ${part}`,
        formatBytes(raw),
        br,
        `brotli 11 of this part's code alone (gzip -9 ${formatBytes(gz)}); the part's share of ${initial.map((c) => c.fileName.replace(/^assets\//, '')).join(', ')} by the source map`,
      ),
    );
  }
  const small = measured.filter((p) => p.raw < 2048);
  if (small.length > 0)
    rows.push(
      sizeRow(
        'first view JS parts under 2 KB',
        formatBytes(small.reduce((total, p) => total + p.raw, 0)),
        small.reduce((total, p) => total + p.br, 0),
        small.map((p) => p.part).join(', '),
      ),
    );
  return rows;
}
