import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: Playwright (playwright-core) driving Debian's Chromium against the real
// browser host and worker thread, built into dist/ first by `npm test`.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
