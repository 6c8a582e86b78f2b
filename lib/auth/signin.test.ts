import { beforeEach, describe, expect, it, vi } from 'vitest';

const h = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock('@/lib/db', async (orig) => ({ ...(await orig<typeof import('@/lib/db')>()), getDb: () => h.db }));

import type { DB } from '@/lib/db';
import { memoryDb } from '@/lib/testing/memory-db';
import { listAudit } from '@/lib/audit/log';
import { authorizeCredentials, mapOidcRole, SIGNIN_MESSAGES } from './options';
import { LIMITS, SIGNIN_WINDOW_MS } from './rate-limit';
import { createUser, setUserDisabled } from './users';

beforeEach(async () => {
  h.db = await memoryDb();
  await createUser({ username: 'alice', role: 'operator', password: 'alice-password-1' });
});

const attempt = (password: string, opts: { username?: string; ip?: string; now?: number } = {}) =>
  authorizeCredentials({ username: opts.username ?? 'alice', password, ip: opts.ip ?? '10.0.0.1' }, opts.now);

describe('credentials sign-in', () => {
  it('accepts the right password and audits it', async () => {
    await expect(attempt('alice-password-1', { username: ' Alice ' })).resolves.toMatchObject({ name: 'alice' });
    const [row] = await listAudit({}, h.db as DB);
    expect(row).toMatchObject({ action: 'auth.signin', actor: 'alice', role: 'operator', phase: 'succeeded' });
  });

  it('gives the same message for a wrong password and an unknown user, and audits both', async () => {
    await expect(attempt('nope')).rejects.toThrow(SIGNIN_MESSAGES.wrong);
    await expect(attempt('nope', { username: 'mallory' })).rejects.toThrow(SIGNIN_MESSAGES.wrong);
    const rows = await listAudit({ action: 'auth.signin' }, h.db as DB);
    expect(rows.map((r) => [r.actor, r.phase, r.error])).toEqual([
      ['mallory', 'failed', SIGNIN_MESSAGES.wrong],
      ['alice', 'failed', SIGNIN_MESSAGES.wrong],
    ]);
    expect(JSON.stringify(rows)).not.toContain('nope');
  });

  it('refuses a disabled user (after the password is checked)', async () => {
    await setUserDisabled('alice', true);
    await expect(attempt('wrong')).rejects.toThrow(SIGNIN_MESSAGES.wrong);
    await expect(attempt('alice-password-1')).rejects.toThrow(/This account is disabled/);
    expect((await listAudit({}, h.db as DB))[0]).toMatchObject({ phase: 'refused', error: SIGNIN_MESSAGES.disabled });
  });

  it(`locks a username after ${LIMITS.user} failures in 15 minutes, even for the right password, then unlocks`, async () => {
    const t0 = Date.now();
    for (let i = 0; i < LIMITS.user; i++) await expect(attempt('bad', { now: t0 + i, ip: `10.0.1.${i}` })).rejects.toThrow(SIGNIN_MESSAGES.wrong);
    await expect(attempt('alice-password-1', { now: t0 + 10 })).rejects.toThrow(/Too many failed sign-in attempts.*try again in 15 minutes/);
    expect((await listAudit({}, h.db as DB))[0]).toMatchObject({ phase: 'refused', actor: 'alice' });
    // Other users are not affected.
    await createUser({ username: 'bob', role: 'viewer', password: 'bob-password-1' });
    await expect(attempt('bob-password-1', { username: 'bob', now: t0 + 20, ip: '10.0.9.9' })).resolves.toMatchObject({ name: 'bob' });
    // After the window the right password works again.
    await expect(attempt('alice-password-1', { now: t0 + SIGNIN_WINDOW_MS + 10 })).resolves.toMatchObject({ name: 'alice' });
  });

  it('a success resets the per-user count', async () => {
    const t0 = Date.now();
    for (let i = 0; i < LIMITS.user - 1; i++) await expect(attempt('bad', { now: t0 + i })).rejects.toThrow();
    await attempt('alice-password-1', { now: t0 + 10 });
    for (let i = 0; i < LIMITS.user - 1; i++) await expect(attempt('bad', { now: t0 + 20 + i })).rejects.toThrow(SIGNIN_MESSAGES.wrong);
    await expect(attempt('alice-password-1', { now: t0 + 40 })).resolves.toBeTruthy();
  });

  it(`locks an address after ${LIMITS.ip} failures across usernames`, async () => {
    const t0 = Date.now();
    for (let i = 0; i < LIMITS.ip; i++) await expect(attempt('bad', { username: `guess${i}`, now: t0 + i, ip: '192.0.2.7' })).rejects.toThrow(SIGNIN_MESSAGES.wrong);
    await expect(attempt('alice-password-1', { now: t0 + 100, ip: '192.0.2.7' })).rejects.toThrow(/Too many failed/);
    await expect(attempt('alice-password-1', { now: t0 + 100, ip: '192.0.2.8' })).resolves.toBeTruthy();
  }, 60_000);
});

describe('OIDC role map', () => {
  const rules = [
    { kind: 'group' as const, value: 'dba', role: 'admin' as const },
    { kind: 'email' as const, value: 'oncall@example.com', role: 'operator' as const },
  ];
  it('maps groups before emails and refuses unmapped people without a * rule', () => {
    expect(mapOidcRole(rules, { email: 'oncall@example.com', groups: ['dba'] })).toBe('admin');
    expect(mapOidcRole(rules, { email: 'OnCall@example.com' })).toBe('operator');
    expect(mapOidcRole(rules, { email: 'x@example.com' })).toBeUndefined();
    expect(mapOidcRole([...rules, { kind: 'any', value: '', role: 'viewer' }], { email: 'x@example.com' })).toBe('viewer');
  });
});
