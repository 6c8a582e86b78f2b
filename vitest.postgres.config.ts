import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config';

// The Postgres step of `npm test` (`npm test -- multi`): ONE embedded PostgreSQL server for the run; the store's
// tests on both dialects, and two `next start` console instances on that one database (needs `npx next build`).
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['lib/db/store.test.ts', 'scripts/multi-instance.test.ts'],
      exclude: [],
      globalSetup: ['lib/testing/postgres-global-setup.ts'],
      testTimeout: 120_000,
      hookTimeout: 180_000,
      fileParallelism: false,
    },
  }),
);
