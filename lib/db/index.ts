import 'server-only';
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { getEnv } from '@/lib/env';
import { openPostgres, dialectOf, isDbUnavailable } from './postgres';
import { migrations, type ConsoleMigration } from './migrations';
import type { ConsoleDatabase } from './schema';

export type { ConsoleDatabase } from './schema';
export { dialectOf, isDbUnavailable, DbUnavailableError } from './postgres';
export type DB = Kysely<ConsoleDatabase>;

/**
 * Kysely over better-sqlite3 (WAL) at <dataDir>/console.db, or over a `pg` pool when DATABASE_URL names a
 * PostgreSQL server (lib/db/postgres.ts). One instance per process (kept on globalThis so Next's dev reloads and
 * its several bundles share one file handle / one pool).
 */
const g = globalThis as unknown as { __afcDb?: { file: string; db: DB; ready?: Promise<void> }; __afcDbFiles?: WeakMap<object, string> };

// On globalThis too: Next bundles this module more than once per process (routes, actions, instrumentation), and
// every copy must know which file the shared handle came from (the audit key lives next to it).
const files = (g.__afcDbFiles ??= new WeakMap<object, string>());

/** The file a database was opened from (undefined for in-memory databases). Its directory is the data dir. */
export function dbFileOf(db: object): string | undefined {
  return files.get(db);
}

/** Owner-only: the database file and its -wal/-shm (SQLite gives those the database file's mode). */
function restrictFiles(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // No reading or writing for group and others; a pass-through bit the local endpoint set for its PostgreSQL
    // OS user stays.
    const dir = path.dirname(file);
    chmodSync(dir, statSync(dir).mode & 0o711);
  } catch {
    /* a directory we do not own (e.g. a shared mount): leave its mode */
  }
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      chmodSync(f, 0o600);
    } catch {
      /* not there yet */
    }
  }
}

/** A Kysely handle over a better-sqlite3 file (created with its directory), or ':memory:'. */
export function openSqlite(file: string): DB {
  if (file !== ':memory:') restrictFiles(file);
  const sqlite = new Database(file, { timeout: 10_000 });
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<ConsoleDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  if (file !== ':memory:') {
    files.set(db, path.resolve(file));
    for (const f of [`${file}-wal`, `${file}-shm`]) {
      try {
        chmodSync(f, 0o600);
      } catch {
        /* created on first write, with the database file's mode */
      }
    }
  }
  return db;
}

export function getDb(): DB {
  const env = getEnv();
  const where = env.database.dialect === 'postgres' ? env.database.url : path.join(env.dataDir, 'console.db');
  if (!g.__afcDb || g.__afcDb.file !== where) {
    const db = env.database.dialect === 'postgres' ? openPostgres<ConsoleDatabase>(env.database) : openSqlite(where);
    g.__afcDb = { file: where, db };
  }
  return g.__afcDb.db;
}

/** Which store a handle talks to (the audit chain serialises appends differently on each). */
export function isPostgres(db: object): boolean {
  return dialectOf(db) === 'postgres';
}

/** Apply every pending migration in order. Throws with the failing migration's name. */
export async function migrate(db: Kysely<any> = getDb(), list: ConsoleMigration[] = migrations): Promise<{ applied: string[] }> {
  const byName: Record<string, Migration> = {};
  for (const m of list) byName[m.name] = { up: (d) => m.up(d) };
  const migrator = new Migrator({ db, provider: { getMigrations: async () => byName } });
  let { error, results } = await migrator.migrateToLatest();
  // Two instances starting together on one PostgreSQL can race creating Kysely's own migration tables (CREATE TABLE
  // IF NOT EXISTS is not atomic there); the loser simply tries again, then waits on the migration lock.
  for (let i = 0; i < 3 && error && isPostgres(db) && /already exists|duplicate key/i.test(String((error as Error).message)); i++) {
    await new Promise((r) => setTimeout(r, 200 + Math.random() * 300));
    ({ error, results } = await migrator.migrateToLatest());
  }
  if (error) {
    if (isDbUnavailable(error)) throw error;
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Migrate the process's database once; later calls wait for the same promise. */
export function ensureMigrated(): Promise<void> {
  const db = getDb();
  const holder = g.__afcDb!;
  if (!holder.ready) {
    holder.ready = migrate(db).then(() => undefined);
    holder.ready.catch(() => {
      holder.ready = undefined;
    });
  }
  return holder.ready;
}
