// Test support: run the console store's tests against both dialects. SQLite always (a file in a temp data dir,
// as in production); PostgreSQL when the run provides a server (vitest.postgres.config.ts starts ONE embedded
// server for the whole run, lib/testing/postgres-global-setup.ts). Each useStore() gets a fresh database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { getDb, migrate, type DB } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';

export type StoreDialect = 'sqlite' | 'postgres';

export function postgresUrl(): string | undefined {
  try {
    return inject('afcPostgresUrl') || undefined;
  } catch {
    return undefined;
  }
}

export function storeDialects(): StoreDialect[] {
  return postgresUrl() ? ['sqlite', 'postgres'] : ['sqlite'];
}

export const TEST_AUDIT_KEY = 'store-test-audit-key-0123456789abcdefghij';

/** A new database on the shared test server; returns its URL. */
export async function createPostgresDatabase(prefix = 't'): Promise<string> {
  const base = postgresUrl();
  if (!base) throw new Error('no PostgreSQL server in this run (use vitest.postgres.config.ts)');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  return base.replace(/\/[^/]*$/, `/${name}`);
}

const g = globalThis as unknown as { __afcDb?: { db: DB } };

export interface TestStore {
  dialect: StoreDialect;
  db: DB;
  dataDir: string;
  url?: string;
  close(): Promise<void>;
}

/** Point the console's configuration at a fresh, migrated store of `dialect` (process.env is its only source). */
export async function useStore(dialect: StoreDialect): Promise<TestStore> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'afc-store-'));
  const url = dialect === 'postgres' ? await createPostgresDatabase() : undefined;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, AFC_DATA_DIR: process.env.AFC_DATA_DIR, AFC_AUDIT_KEY: process.env.AFC_AUDIT_KEY, NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET };
  if (url) process.env.DATABASE_URL = url;
  else delete process.env.DATABASE_URL;
  process.env.AFC_DATA_DIR = dataDir;
  process.env.AFC_AUDIT_KEY = TEST_AUDIT_KEY;
  process.env.NEXTAUTH_SECRET ??= 'store-test-session-secret-0123456789abcdef';
  resetEnvCache();
  const old = g.__afcDb?.db;
  g.__afcDb = undefined;
  await old?.destroy().catch(() => undefined);
  const db = getDb();
  await migrate(db);
  return {
    dialect,
    db,
    dataDir,
    url,
    async close() {
      if (g.__afcDb?.db === db) g.__afcDb = undefined;
      await db.destroy().catch(() => undefined);
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      resetEnvCache();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
