import { defineConfig } from 'vitest/config';

// Unit and service tests. The browser e2e suite has its own config (test/e2e/vitest.config.ts).
export default defineConfig({
  test: {
    include: ['test/shared/**/*.test.ts', 'test/electron/**/*.test.ts', 'test/renderer/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
