import { defineConfig } from 'vitest/config';
import path from 'node:path';

// The Postgres step of `npm test` (`npm test -- multi`): ONE embedded PostgreSQL server for the run; the store's
// tests on both dialects, and two `next start` console instances on that one database (needs `npx next build`).
// Standalone (not merged with vitest.config.ts: merging would concatenate the include lists).
export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(__dirname),
      'server-only': path.resolve(__dirname, 'lib/testing/server-only-stub.ts'),
    },
  },
  test: {
    include: ['lib/db/store.test.ts', 'scripts/multi-instance.test.ts'],
    globalSetup: ['lib/testing/postgres-global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
