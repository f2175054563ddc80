import { defineConfig } from 'vite';

// The web app lives in web/ and builds to dist/web, which the server serves.
export default defineConfig({
  root: 'web',
  base: '/',
  publicDir: false,
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
