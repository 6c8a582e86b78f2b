// Vitest globalSetup (vitest.postgres.config.ts): ONE embedded PostgreSQL server for the whole run; test files get
// its URL through inject('afcPostgresUrl') and create their own database on it (lib/testing/store-dialects.ts).
import type { TestProject } from 'vitest/node';
import { startTestPostgres } from './postgres-server';

declare module 'vitest' {
  export interface ProvidedContext {
    afcPostgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const t0 = Date.now();
  const server = await startTestPostgres();
  console.log(`embedded PostgreSQL started in ${Date.now() - t0} ms`);
  project.provide('afcPostgresUrl', server.url());
  return async () => server.stop();
}
