import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds dist/web once (when stale) before any browser test serves it.
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 60_000,
    // Browser tests poll the page; on a loaded 2-core CI machine a panel can take seconds to fill.
    expect: { poll: { timeout: 10_000, interval: 100 } },
    hookTimeout: 180_000,
    // Browser tests share one built bundle and one Chromium; keep files in one worker pool of 2 cores.
    maxWorkers: 2,
  },
});
