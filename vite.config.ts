import { constants } from 'node:zlib';
import { defineConfig } from 'vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

// The web app lives in web/ and builds to dist/web, which the server serves (server/routes/static.ts).
// Every text file over 1 KB is also written compressed beside itself (`x.js.br`, `x.js.gz`, at the
// highest levels, once per build), so the server sends those bytes without compressing per request.
export default defineConfig({
  root: 'web',
  base: '/',
  publicDir: false,
  plugins: [
    compression({
      include: [/\.(js|mjs|css|html|svg|json)$/],
      threshold: 1024,
      algorithms: [defineAlgorithm('brotliCompress', { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }), defineAlgorithm('gzip', { level: 9 })],
      logLevel: 'silent',
    }),
  ],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // TanStack Query marks its modules "use client" (for React Server Components); a plain page has none.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  worker: { format: 'es' },
  server: { proxy: { '/api': 'http://localhost:8080', '/glyphs': 'http://localhost:8080' } },
});
