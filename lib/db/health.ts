import 'server-only';
import { sql } from 'kysely';
import { getEnv } from '@/lib/env';
import { dbFileOf, getDb } from './index';
import { describeDatabase } from './url';
import { isDbUnavailable } from './postgres';

export interface DatabaseHealth {
  dialect: 'sqlite' | 'postgres';
  /** Host/database (Postgres, never the password) or the SQLite file. */
  location: string;
  reachable: boolean;
  latencyMs?: number;
  error?: string;
}

/** What the console's store is, and whether one trivial query answers within `timeoutMs`. */
export async function databaseHealth(timeoutMs = 3_000): Promise<DatabaseHealth> {
  const cfg = getEnv().database;
  const db = getDb();
  const location = cfg.dialect === 'postgres' ? describeDatabase(cfg).replace(/^postgres:\/\//, '') : (dbFileOf(db) ?? 'memory');
  const t0 = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`select 1`.execute(db),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })), timeoutMs);
      }),
    ]);
    return { dialect: cfg.dialect, location, reachable: true, latencyMs: Date.now() - t0 };
  } catch (e) {
    const code = String((e as { code?: unknown }).code ?? '');
    return { dialect: cfg.dialect, location, reachable: false, error: isDbUnavailable(e) ? `unreachable${code ? ` (${code})` : ''}` : 'query failed' };
  } finally {
    clearTimeout(timer);
  }
}

/** The start-up message when the store cannot be reached: names DATABASE_URL, never its password. */
export function unreachableAtStartMessage(e: unknown): string {
  const cfg = getEnv().database;
  const code = String((e as { code?: unknown })?.code ?? '');
  if (cfg.dialect !== 'postgres') return `The console database could not be opened: ${e instanceof Error ? e.message : String(e)}`;
  return `The console database DATABASE_URL=${describeDatabase(cfg)} is unreachable${code ? ` (${code})` : ''}. Start the PostgreSQL server or fix DATABASE_URL (host, port, database, user and password), then start the console again.`;
}
