import 'server-only';
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { getEnv } from '@/lib/env';
import { migrations, type ConsoleMigration } from './migrations';
import type { ConsoleDatabase } from './schema';

export type { ConsoleDatabase } from './schema';
export type DB = Kysely<ConsoleDatabase>;

/**
 * Kysely over better-sqlite3 (WAL) at <dataDir>/console.db. One instance per process
 * (kept on globalThis so Next's dev reloads do not open a new file handle each time).
 */
const g = globalThis as unknown as { __afcDb?: { file: string; db: DB; ready?: Promise<void> } };

const files = new WeakMap<object, string>();

/** The file a database was opened from (undefined for in-memory databases). Its directory is the data dir. */
export function dbFileOf(db: object): string | undefined {
  return files.get(db);
}

/** Owner-only: the database file and its -wal/-shm (SQLite gives those the database file's mode). */
function restrictFiles(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // Owner-only, except that pass-through bits already set are kept: with real engines the local endpoint makes
    // the data dir 0711 so the PostgreSQL OS user can reach its own folder (nobody else may list or read it).
    const dir = path.dirname(file);
    chmodSync(dir, 0o700 | (statSync(dir).mode & 0o011));
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
  const file = path.join(getEnv().dataDir, 'console.db');
  if (!g.__afcDb || g.__afcDb.file !== file) g.__afcDb = { file, db: openSqlite(file) };
  return g.__afcDb.db;
}

/** Apply every pending migration in order. Throws with the failing migration's name. */
export async function migrate(db: Kysely<any> = getDb(), list: ConsoleMigration[] = migrations): Promise<{ applied: string[] }> {
  const byName: Record<string, Migration> = {};
  for (const m of list) byName[m.name] = { up: (d) => m.up(d) };
  const migrator = new Migrator({ db, provider: { getMigrations: async () => byName } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
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
