import 'server-only';
import { sql, type Kysely } from 'kysely';
import { getDb } from '@/lib/db';
import type { ConsoleDatabase } from '@/lib/db/schema';

/**
 * Sign-in rate limiting, stored in the database (so every console process and restarts share it).
 * Each key ('user:<name>', 'ip:<address>') has one fixed-window counter row. An attempt is COUNTED FIRST, in one
 * atomic upsert, and only an attempt whose count stays within the limit may check a password: 20 parallel guesses
 * for one user check at most LIMITS.user passwords. While a key is over its limit even the right password is
 * refused, until the window (started by the first counted attempt) ends. A success resets the user's counter.
 */
export const SIGNIN_WINDOW_MS = 15 * 60_000;
export const LIMITS = { user: 5, ip: 20 } as const;

export type LimitKind = keyof typeof LIMITS;
export const limitKey = (kind: LimitKind, value: string) => `${kind}:${value}`.slice(0, 300);

type Db = Kysely<ConsoleDatabase>;

export interface Counted {
  /** Attempts in the current window, this one included. */
  attempts: number;
  windowStart: number;
  /** The window before (set when this attempt started a new window), for summaries. */
  prevAttempts: number;
  prevWindow: number | null;
}

/**
 * Count one attempt for `key` in a fixed window of `windowMs`, atomically (INSERT … ON CONFLICT DO UPDATE …
 * RETURNING: one statement, row-locked in Postgres, serialized in SQLite).
 */
export async function countAttempt(key: string, windowMs: number, now = Date.now(), db: Db = getDb()): Promise<Counted> {
  const expired = now - windowMs;
  const r = await sql<{ attempts: number; window_start: number; prev_attempts: number; prev_window: number | null }>`
    INSERT INTO signin_limits (key, window_start, attempts, prev_window, prev_attempts, updated_at)
    VALUES (${key}, ${now}, 1, NULL, 0, ${now})
    ON CONFLICT (key) DO UPDATE SET
      prev_attempts = CASE WHEN signin_limits.window_start <= ${expired} THEN signin_limits.attempts ELSE signin_limits.prev_attempts END,
      prev_window = CASE WHEN signin_limits.window_start <= ${expired} THEN signin_limits.window_start ELSE signin_limits.prev_window END,
      attempts = CASE WHEN signin_limits.window_start <= ${expired} THEN 1 ELSE signin_limits.attempts + 1 END,
      window_start = CASE WHEN signin_limits.window_start <= ${expired} THEN ${now} ELSE signin_limits.window_start END,
      updated_at = ${now}
    RETURNING attempts, window_start, prev_attempts, prev_window`.execute(db);
  const row = r.rows[0];
  return {
    attempts: Number(row.attempts),
    windowStart: Number(row.window_start),
    prevAttempts: Number(row.prev_attempts),
    prevWindow: row.prev_window === null ? null : Number(row.prev_window),
  };
}

export type Reservation = { ok: true } | { ok: false; retryAt: number };

/**
 * Reserve one password check for (username, address) BEFORE the password is looked at. The address is counted
 * first; a refused address does not count against the user.
 */
export async function reserveSignin(username: string, ip: string, now = Date.now(), db: Db = getDb()): Promise<Reservation> {
  const byIp = await countAttempt(limitKey('ip', ip), SIGNIN_WINDOW_MS, now, db);
  if (byIp.attempts > LIMITS.ip) return { ok: false, retryAt: byIp.windowStart + SIGNIN_WINDOW_MS };
  const byUser = await countAttempt(limitKey('user', username), SIGNIN_WINDOW_MS, now, db);
  if (byUser.attempts > LIMITS.user) return { ok: false, retryAt: byUser.windowStart + SIGNIN_WINDOW_MS };
  return { ok: true };
}

/** After a right password: the user's counter starts again, and the address gets its reserved attempt back. */
export async function signinSucceeded(username: string, ip: string, now = Date.now(), db: Db = getDb()): Promise<void> {
  await db.deleteFrom('signin_limits').where('key', '=', limitKey('user', username)).execute();
  await db
    .updateTable('signin_limits')
    .set({ attempts: sql<number>`CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END`, updated_at: now })
    .where('key', '=', limitKey('ip', ip))
    .execute();
}

/** Drop counters untouched for a day (called opportunistically). */
export async function pruneAttempts(now = Date.now(), db: Db = getDb()): Promise<void> {
  await db.deleteFrom('signin_limits').where('updated_at', '<', now - 24 * 3600_000).execute();
}

export function lockMessage(retryAt: number | undefined, now = Date.now()): string {
  const mins = retryAt ? Math.max(1, Math.ceil((retryAt - now) / 60_000)) : Math.ceil(SIGNIN_WINDOW_MS / 60_000);
  return `Too many failed sign-in attempts. This sign-in is locked; try again in ${mins} minute${mins === 1 ? '' : 's'}.`;
}
