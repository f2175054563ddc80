import { defineConfig } from 'vitest/config';

// Three projects, runnable apart (`npm run test:unit|test:api|test:browser`) or together (`npm test`):
// - unit:    pure modules on hand-known fixtures; no database, no server, no browser (seconds).
// - api:     a real SQLite file behind the real HTTP server, the CLIs, GDAL as an outside client.
// - browser: the built page in Debian's Chromium, driven by playwright-core.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Browser tests share one built bundle and one Chromium; keep files in one worker pool of 2 cores.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'api', include: ['tests/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          // Builds dist/web once (when stale) before any browser test serves it.
          globalSetup: ['tests/global-setup.ts'],
          // Browser tests poll the page; on a loaded 2-core CI machine a panel can take seconds to fill.
          expect: { poll: { timeout: 10_000, interval: 100 } },
        },
      },
    ],
  },
});
