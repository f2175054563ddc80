// The house drawn from the server's imports: every file of server/ and domain/ belongs to one layer
// (LAYERS, the one place they are defined), and a file may import only files of its own layer or of
// layers below it. A new folder or top-level file without a layer fails here, naming it, and so does
// an arrow running upward (e.g. server/import/ importing server/routes/). `import type` counts too:
// a type from a higher layer is still an arrow up. docs/architecture.md describes the layers.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

/**
 * Lowest first. A path prefix (folder with a trailing slash, or a file) names the files of a layer;
 * the longest prefix that matches a file wins.
 */
export const LAYERS: readonly { layer: string; paths: readonly string[] }[] = [
  // Codes and rules the server and the page share; the error type every layer throws.
  { layer: 'domain', paths: ['domain/', 'server/errors.ts'] },
  // The one owner of the connection and the migrations.
  { layer: 'db', paths: ['server/db/'] },
  // Pure-ish libraries: geometry and analyses, reading ledgers, tile archives, boundary files.
  { layer: 'library', paths: ['server/geo/', 'server/import/', 'server/basemaps/', 'server/geodata/'] },
  // All SQL: queries and row writes per table group.
  { layer: 'store', paths: ['server/store/'] },
  // Built on the store: the audit chain, accounts and sessions, downloads, operations (backups, logs),
  // loading the geodata files into the database.
  { layer: 'support', paths: ['server/auth/', 'server/export/', 'server/ops/', 'server/geodata/load-geodata.ts'] },
  // One function per use case: check, write through the store, audit, in one transaction.
  { layer: 'services', paths: ['server/services/'] },
  // HTTP: routes, the request gate (sign-in, CSRF, permission rules, headers) and the context they get.
  { layer: 'http', paths: ['server/routes/', 'server/auth/guard.ts', 'server/auth/rules.ts', 'server/auth/security-headers.ts', 'server/context.ts'] },
  // Composition: the app, the server, start-up, seeding, command-line tools.
  {
    layer: 'app',
    paths: [
      'server/app.ts',
      'server/server.ts',
      'server/main.ts',
      'server/config.ts',
      'server/bootstrap.ts',
      'server/web-build.ts',
      'server/seed/',
      'server/cli/',
    ],
  },
];

const RANK = new Map(LAYERS.map((entry, index) => [entry.layer, index]));

export function layerOf(file: string): string | null {
  let best: { layer: string; length: number } | null = null;
  for (const { layer, paths } of LAYERS)
    for (const path of paths) {
      const matches = path.endsWith('/') ? file.startsWith(path) : file === path;
      if (matches && (!best || path.length > best.length)) best = { layer, length: path.length };
    }
  return best?.layer ?? null;
}

/** The relative imports of a source text: static `import … from`, `export … from`, side-effect and dynamic imports. */
export function relativeImports(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/gm,
    /^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm,
    /\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

/** Every arrow from a lower layer up to a higher one, as "from (layer) → to (layer)". */
export function upwardImports(files: readonly { file: string; source: string }[]): string[] {
  const violations: string[] = [];
  for (const { file, source } of files) {
    const from = layerOf(file)!;
    for (const specifier of relativeImports(source)) {
      const target = normalize(join(dirname(file), specifier))
        .split('\\')
        .join('/');
      const to = layerOf(target);
      if (to === null) continue; // outside server/ and domain/ (package.json, geodata files…)
      if (RANK.get(to)! > RANK.get(from)!) violations.push(`${file} (${from}) → ${target} (${to})`);
    }
  }
  return violations;
}

const files = [...sourceFiles('server'), ...sourceFiles('domain')].map((file) => ({ file, source: readFileSync(join(ROOT, file), 'utf8') }));

describe('layers', () => {
  it('puts every file of server/ and domain/ in a layer', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter(({ file }) => layerOf(file) === null).map(({ file }) => file)).toEqual([]);
  });

  it('reads the imports of a file, including type-only, re-exports and dynamic ones', () => {
    const source =
      "import type { A } from '../routes/a.ts';\nimport {\n  b,\n} from './b.ts';\nexport { c } from '../c.ts';\nimport './d.ts';\nconst e = await import('../e.ts');\nimport { z } from 'zod';";
    expect(relativeImports(source).sort()).toEqual(['../c.ts', '../e.ts', '../routes/a.ts', './b.ts', './d.ts']);
  });

  it('finds an arrow from a lower layer up to a higher one', () => {
    const planted = [{ file: 'server/import/parse-values.ts', source: "import { isIsoDate } from '../routes/query-params.ts';" }];
    expect(upwardImports(planted)).toEqual(['server/import/parse-values.ts (library) → server/routes/query-params.ts (http)']);
  });

  it('has no arrow from a lower layer up to a higher one', () => {
    expect(upwardImports(files)).toEqual([]);
  });
});
