import 'server-only';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { describeDatabase, type DatabaseConfig } from './url';

/**
 * The PostgreSQL store: Kysely's PostgresDialect over a `pg` pool. BIGINT (int8) columns come back as numbers,
 * like SQLite's (times are ms since epoch, counts are small), so the same row types serve both dialects.
 */
// On globalThis: Next bundles this module more than once per process (routes, actions, instrumentation), and every
// copy must know that the shared handle is a Postgres one (the audit append takes its advisory lock only then).
const g = globalThis as unknown as { __afcPgDialects?: WeakMap<object, 'postgres'>; __afcPgLabels?: WeakMap<object, string> };
const dialects = (g.__afcPgDialects ??= new WeakMap<object, 'postgres'>());
const labels = (g.__afcPgLabels ??= new WeakMap<object, string>());

const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export function openPostgres<T>(c: Extract<DatabaseConfig, { dialect: 'postgres' }>, opts: { max?: number } = {}): Kysely<T> {
  const pool = new pg.Pool({
    connectionString: c.url,
    max: opts.max ?? 10,
    // Also how long a query waits for a free pooled connection: audit appends queue behind one lock, so a burst of
    // hundreds waits its turn rather than failing. A refused or reset connection still fails at once.
    connectionTimeoutMillis: 30_000,
    idleTimeoutMillis: 30_000,
    types,
  });
  // An idle client losing its connection (server restart, network) must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<T>({ dialect: new PostgresDialect({ pool }) });
  dialects.set(db, 'postgres');
  labels.set(db, describeDatabase(c));
  return db;
}

export function dialectOf(db: object): 'sqlite' | 'postgres' {
  return dialects.get(db) ?? 'sqlite';
}

/** "postgres://user@host:5432/db" for a Postgres handle (never the password). */
export function postgresLabelOf(db: object): string | undefined {
  return labels.get(db);
}

/** The console's store cannot be reached (connection refused, reset, timed out, server shutting down). */
export class DbUnavailableError extends Error {
  readonly code = 'DB_UNAVAILABLE';
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', '57P01', '57P02', '57P03', '53300']);

/** Whether an error means "the database is not reachable" rather than a bug or a constraint. */
export function isDbUnavailable(e: unknown): boolean {
  if (e instanceof DbUnavailableError) return true;
  if (!e || typeof e !== 'object') return false;
  const code = String((e as { code?: unknown }).code ?? '');
  if (UNAVAILABLE_CODES.has(code) || code.startsWith('08')) return true;
  const msg = e instanceof Error ? e.message : '';
  if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED|terminating connection/i.test(msg)) return true;
  const nested = (e as { errors?: unknown[]; cause?: unknown }).errors ?? [(e as { cause?: unknown }).cause];
  return Array.isArray(nested) && nested.some((x) => x !== e && x !== undefined && isDbUnavailable(x));
}
