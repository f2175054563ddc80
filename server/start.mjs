// `npm start`: runs the server (server/main.ts) compiled to plain JavaScript, not through tsx. Under
// `node --import tsx` Node 20 runs tsx's loader hooks on a thread of their own, in every thread that
// registers them: the request thread and each worker thread were two V8 isolates, and the idle server
// took ~250 MB where the compiled one takes ~150 MB (bench/README.md, "Memory at rest").
//
// The compiler is esbuild, the one tsx itself runs (tsx's own dependency: nothing added). server/main.ts
// and the worker threads' modules are bundled with our own modules inlined and packages left to
// node_modules, into dist/server/, when a file is missing or a source it was built from changed (their
// sizes and times, and the files built, are kept in dist/server/manifest.json): about a second, once. Our modules find their
// files (geodata, seeds, package.json) through import.meta, so each keeps its own path in the bundle.
// Should the build fail, the server runs through tsx as before (`node --import tsx server/main.ts`,
// which the tests and tools still use).
//
// `npm start` also gives the request thread a young generation of 4 MB semi-spaces
// (`--max-semi-space-size=4`; V8's default grows them to 16 MB): start-up's garbage (migrations,
// geodata) grew them to 16 MB and they stayed committed, ~25 MB of the idle server; each thread's pool
// sets its own (THREAD_YOUNG_MB, server/db/threads.ts), so the flag reaches the request thread only.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'dist/server');

/** The entry points: the server, and the modules its worker threads run (server/db/threads.ts). */
const ENTRIES = [
  'server/main.ts',
  'server/store/map-index-worker.ts',
  'server/services/import-worker.ts',
  'server/export/export-worker.ts',
  'server/services/analysis-worker.ts',
];

/** dist/server/<name>.mjs of an entry. */
const outputOf = (entry) => join(out, `${entry.split('/').at(-1).replace(/\.ts$/, '')}.mjs`);

/**
 * Modules the analysis thread loads only when a job first needs them (server/services/analysis-jobs.ts
 * imports them dynamically). The build splits them into chunks of their own (esbuild `splitting`: code
 * the entries share goes to shared chunks, so a module still exists once per thread): bundled inline,
 * the packages they import (all of turf, csv-stringify, fflate…) were static imports of the thread's
 * file, loaded with the thread before its first relapse job. Their `require` (tsx on a worker thread
 * only) is left out of the build.
 */
const LAZY = ['server/services/analysis-siege-job.ts', 'server/services/route-planning.ts', 'server/export/scorecard-xlsx.ts'];

/** A require of a LAZY module is left to run time (never reached in the build: analysis-jobs.ts imports there). */
const lazyRequires = {
  name: 'lazy-requires',
  setup(build) {
    build.onResolve({ filter: /\.ts$/ }, ({ path, importer, kind }) => {
      if (kind !== 'require-call' || !importer.startsWith(root + '/')) return undefined;
      return LAZY.includes(resolve(dirname(importer), path).slice(root.length + 1)) ? { path, external: true } : undefined;
    });
  },
};

/** `size:mtime` of a file, or null when it is gone. */
function stamp(path) {
  try {
    const info = statSync(path);
    return `${info.size}:${info.mtimeMs}`;
  } catch {
    return null;
  }
}

/** Whether dist/server holds every entry, built here by this esbuild from sources unchanged since. */
function fresh(version) {
  const manifestPath = join(out, 'manifest.json');
  if (!existsSync(manifestPath) || ENTRIES.some((entry) => !existsSync(outputOf(entry)))) return false;
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.root !== root || manifest.esbuild !== version) return false;
    // Every file of the build (the entries and their chunks) still there.
    if (!Array.isArray(manifest.outputs) || manifest.outputs.some((name) => !existsSync(join(out, name)))) return false;
    return Object.entries(manifest.inputs).every(([path, was]) => stamp(resolve(root, path)) === was);
  } catch {
    return false;
  }
}

/** Writes each of our files' own place where it says import.meta (in a bundle it would be the bundle's). */
const ownPaths = {
  name: 'own-paths',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, ({ path }) => {
      if (!path.startsWith(root + '/') || path.includes('/node_modules/')) return undefined;
      const contents = readFileSync(path, 'utf8')
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(path)))
        .replaceAll('import.meta.filename', JSON.stringify(path))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href));
      return { contents, loader: 'ts' };
    });
  },
};

async function build(esbuild) {
  // Built beside, then moved in: a second server starting meanwhile finds the old files or the new.
  const part = `${out}.part-${process.pid}`;
  try {
    const result = await esbuild.build({
      entryPoints: ENTRIES.map((entry) => resolve(root, entry)),
      outdir: part,
      entryNames: '[name]',
      chunkNames: 'chunk-[hash]',
      splitting: true,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: root,
      plugins: [ownPaths, lazyRequires],
      // analysis-jobs.ts then imports the LAZY modules (the require branch is for tsx's worker threads).
      define: { 'process.env.SANSAN_BUNDLED': '"1"' },
    });
    const inputs = {};
    for (const path of Object.keys(result.metafile.inputs)) inputs[path] = stamp(resolve(root, path));
    const outputs = Object.keys(result.metafile.outputs).map((path) => path.split('/').at(-1));
    writeFileSync(join(part, 'manifest.json'), JSON.stringify({ root, esbuild: esbuild.version, inputs, outputs }));
    mkdirSync(out, { recursive: true });
    // The manifest last: it says the files beside it are complete.
    for (const name of [...readdirSync(part).filter((name) => name !== 'manifest.json'), 'manifest.json']) renameSync(join(part, name), join(out, name));
  } finally {
    rmSync(part, { recursive: true, force: true });
  }
}

let compiled = false;
try {
  const esbuild = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'))('esbuild');
  if (!fresh(esbuild.version)) {
    console.log('compiling the server (esbuild)…');
    await build(esbuild);
  }
  compiled = true;
} catch (error) {
  console.warn(`start: the server could not be compiled, it runs through tsx (${error instanceof Error ? error.message : String(error)})`);
}

if (compiled) {
  // Which compiled file each worker module's threads run (read by threadPool, server/db/threads.ts).
  globalThis[Symbol.for('sansan.compiledThreads')] = new Map(
    ENTRIES.slice(1).map((entry) => [pathToFileURL(resolve(root, entry)).href, pathToFileURL(outputOf(entry)).href]),
  );
  await import(pathToFileURL(outputOf(ENTRIES[0])).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./main.ts');
}
