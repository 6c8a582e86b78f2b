import 'server-only';
import { randomUUID } from 'node:crypto';
import { getDb } from '@/lib/db';

/**
 * Sign-in rate limiting, stored in the database (so every console process and restarts share it).
 * A key ('user:<name>' or 'ip:<address>') is locked once it has LIMITS.x failures inside the window,
 * counting only failures after its last success. While locked, even the right password is refused.
 */
export const SIGNIN_WINDOW_MS = 15 * 60_000;
export const LIMITS = { user: 5, ip: 20 } as const;

type LimitKind = keyof typeof LIMITS;
const limitKey = (kind: LimitKind, value: string) => `${kind}:${value}`;

interface LockState {
  locked: boolean;
  failures: number;
  /** When the oldest counted failure leaves the window (ms since epoch). */
  retryAt?: number;
}

export async function lockState(kind: LimitKind, value: string, now = Date.now()): Promise<LockState> {
  const key = limitKey(kind, value);
  const since = now - SIGNIN_WINDOW_MS;
  const db = getDb();
  const lastOk = await db
    .selectFrom('login_attempts')
    .select('ts')
    .where('key', '=', key)
    .where('ok', '=', 1)
    .where('ts', '>', since)
    .orderBy('ts', 'desc')
    .limit(1)
    .executeTakeFirst();
  const from = lastOk ? Math.max(since, Number(lastOk.ts)) : since;
  const fails = await db
    .selectFrom('login_attempts')
    .select('ts')
    .where('key', '=', key)
    .where('ok', '=', 0)
    .where('ts', '>', from)
    .orderBy('ts', 'desc')
    .limit(LIMITS[kind])
    .execute();
  const locked = fails.length >= LIMITS[kind];
  // Unlock when the Nth most recent failure ages out of the window.
  const retryAt = locked ? Number(fails[fails.length - 1].ts) + SIGNIN_WINDOW_MS : undefined;
  return { locked, failures: fails.length, retryAt };
}

export async function recordAttempt(kind: LimitKind, value: string, ok: boolean, now = Date.now()): Promise<void> {
  await getDb().insertInto('login_attempts').values({ id: randomUUID(), key: limitKey(kind, value), ts: now, ok: ok ? 1 : 0 }).execute();
}

/** Drop rows older than a day (called opportunistically). */
export async function pruneAttempts(now = Date.now()): Promise<void> {
  await getDb().deleteFrom('login_attempts').where('ts', '<', now - 24 * 3600_000).execute();
}

export function lockMessage(retryAt: number | undefined, now = Date.now()): string {
  const mins = retryAt ? Math.max(1, Math.ceil((retryAt - now) / 60_000)) : Math.ceil(SIGNIN_WINDOW_MS / 60_000);
  return `Too many failed sign-in attempts. This sign-in is locked; try again in ${mins} minute${mins === 1 ? '' : 's'}.`;
}
