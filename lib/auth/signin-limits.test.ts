// Attacks on sign-in: parallel guessing, spoofed client addresses, and flooding the audit log.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const h = vi.hoisted(() => ({ db: undefined as unknown, checks: 0, trusted: [] as string[] }));
vi.mock('@/lib/db', async (orig) => ({ ...(await orig<typeof import('@/lib/db')>()), getDb: () => h.db }));
vi.mock('./password', async (orig) => {
  const real = await orig<typeof import('./password')>();
  return {
    ...real,
    verifyPassword: async (pw: string, stored: string) => {
      h.checks++;
      return real.verifyPassword(pw, stored);
    },
    burnPasswordCheck: async (pw: string) => {
      h.checks++;
      return real.burnPasswordCheck(pw);
    },
  };
});
vi.mock('@/lib/env', async (orig) => {
  const real = await orig<typeof import('@/lib/env')>();
  return { ...real, getEnv: () => ({ ...real.parseEnv({}, { persistSecret: false }), trustedProxies: h.trusted }) };
});

import http from 'node:http';
import type { DB } from '@/lib/db';
import { memoryDb } from '@/lib/testing/memory-db';
import { ANONYMOUS_ROWS_PER_MINUTE, listAudit } from '@/lib/audit/log';
import { authorizeCredentials, clientIp, SIGNIN_MESSAGES } from './options';
import { LIMITS } from './rate-limit';
import { createUser } from './users';
import { PEER_HEADER, resolveClientAddress, stampPeer, trustedProxyProblems } from './client-address';

beforeEach(async () => {
  h.db = await memoryDb();
  h.checks = 0;
  h.trusted = [];
  await createUser({ username: 'alice', role: 'operator', password: 'alice-password-1' });
});

const attempt = (password: string, opts: { username?: string; ip?: string; now?: number } = {}) =>
  authorizeCredentials({ username: opts.username ?? 'alice', password, ip: opts.ip ?? '10.0.0.1' }, opts.now);

describe('sign-in limits are counted before the password is checked', () => {
  it(`20 parallel wrong passwords for one user check at most ${LIMITS.user} passwords`, async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => attempt(`guess-${i}`, { ip: `10.0.2.${i}` })));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(h.checks).toBeLessThanOrEqual(LIMITS.user);
    const msgs = results.map((r) => (r as PromiseRejectedResult).reason.message as string);
    expect(msgs.filter((m) => m === SIGNIN_MESSAGES.wrong)).toHaveLength(LIMITS.user);
    expect(msgs.filter((m) => /Too many failed/.test(m))).toHaveLength(20 - LIMITS.user);
    // Even the right password is refused now, without a check.
    await expect(attempt('alice-password-1', { ip: '10.0.3.1' })).rejects.toThrow(/Too many failed/);
    expect(h.checks).toBeLessThanOrEqual(LIMITS.user);
  });

  it(`parallel guesses across usernames from one address check at most ${LIMITS.ip} passwords`, async () => {
    await Promise.allSettled(Array.from({ length: 40 }, (_, i) => attempt('x', { username: `u${i}`, ip: '192.0.2.50' })));
    expect(h.checks).toBeLessThanOrEqual(LIMITS.ip);
    const rows = await (h.db as DB).selectFrom('signin_limits').selectAll().where('key', '=', 'ip:192.0.2.50').executeTakeFirstOrThrow();
    expect(rows.attempts).toBe(40);
  }, 60_000);

  it('a huge username or password is refused as wrong and stored truncated', async () => {
    await expect(attempt('p'.repeat(100_000), { username: 'a'.repeat(50_000) })).rejects.toThrow(SIGNIN_MESSAGES.wrong);
    const [row] = await listAudit({}, h.db as DB);
    expect(row.actor.length).toBeLessThanOrEqual(64);
    expect(JSON.stringify(row)).not.toContain('ppppp');
  });
});

describe('the client address', () => {
  it('ignores X-Forwarded-For unless the direct peer is a trusted proxy; then takes the right-most untrusted hop', () => {
    expect(resolveClientAddress('203.0.113.9', '1.2.3.4', [])).toBe('203.0.113.9');
    expect(resolveClientAddress('203.0.113.9', '1.2.3.4', ['10.0.0.0/8'])).toBe('203.0.113.9');
    expect(resolveClientAddress('10.0.0.2', '6.6.6.6, 198.51.100.7', ['10.0.0.0/8'])).toBe('198.51.100.7');
    expect(resolveClientAddress('10.0.0.2', '6.6.6.6, 198.51.100.7, 10.1.1.1', ['10.0.0.0/8'])).toBe('198.51.100.7');
    expect(resolveClientAddress('::ffff:10.0.0.2', '198.51.100.7', ['10.0.0.2'])).toBe('198.51.100.7');
    expect(resolveClientAddress('::1', '2001:db8::5', ['::1/128'])).toBe('2001:db8::5');
    expect(resolveClientAddress('10.0.0.2', 'not-an-ip', ['10.0.0.0/8'])).toBe('10.0.0.2');
    expect(resolveClientAddress(undefined, '1.2.3.4', [])).toBe('unknown');
    expect(trustedProxyProblems(['10.0.0.0/8', '::1', 'nope', '10.0.0.0/33'])).toHaveLength(2);
  });

  it('authorize() keys the address on the stamped socket peer, not on a header the client sent', async () => {
    const req = { headers: { 'x-forwarded-for': '6.6.6.6', [PEER_HEADER]: 'forged 7.7.7.7' }, socket: { remoteAddress: '203.0.113.20' } } as unknown as http.IncomingMessage;
    expect(clientIp(req.headers as never)).toBe('unknown'); // a client-written peer header is not believed
    stampPeer(req);
    expect(clientIp(req.headers as never)).toBe('203.0.113.20');
    h.trusted = ['203.0.113.0/24'];
    expect(clientIp(req.headers as never)).toBe('6.6.6.6');
  });

  it('a spoofed X-Forwarded-For does not escape the per-address limit', async () => {
    const ipOf = (i: number) => clientIp({ 'x-forwarded-for': `198.51.100.${i}`, [PEER_HEADER]: (() => {
      const r = { headers: {}, socket: { remoteAddress: '192.0.2.99' } } as unknown as http.IncomingMessage;
      stampPeer(r);
      return r.headers[PEER_HEADER] as string;
    })() });
    for (let i = 0; i < LIMITS.ip; i++) await expect(attempt('bad', { username: `g${i}`, ip: ipOf(i) })).rejects.toThrow(SIGNIN_MESSAGES.wrong);
    await expect(attempt('alice-password-1', { ip: ipOf(99) })).rejects.toThrow(/Too many failed/);
  }, 60_000);
});

describe('anonymous refusals in the audit log', () => {
  it(`writes at most ${ANONYMOUS_ROWS_PER_MINUTE} rows per address per minute, then one summary`, async () => {
    const t0 = Date.now();
    vi.useFakeTimers({ now: t0, toFake: ['Date'] });
    try {
      await Promise.allSettled(Array.from({ length: 60 }, (_, i) => attempt('bad', { username: `n${i}`, ip: '192.0.2.200' })));
      const rows = await listAudit({ action: 'auth.signin' }, h.db as DB);
      expect(rows).toHaveLength(ANONYMOUS_ROWS_PER_MINUTE);
      vi.setSystemTime(t0 + 61_000);
      await expect(attempt('bad', { username: 'late', ip: '192.0.2.200' })).rejects.toThrow();
      const after = await listAudit({ action: 'auth.signin' }, h.db as DB);
      expect(after).toHaveLength(ANONYMOUS_ROWS_PER_MINUTE + 2);
      expect(after[1]).toMatchObject({ actor: 'anonymous', params: { ip: '192.0.2.200', suppressed: 60 - ANONYMOUS_ROWS_PER_MINUTE } });
      // Other addresses are unaffected.
      await expect(attempt('bad', { username: 'other', ip: '192.0.2.201' })).rejects.toThrow();
      expect(await listAudit({ action: 'auth.signin' }, h.db as DB)).toHaveLength(ANONYMOUS_ROWS_PER_MINUTE + 3);
    } finally {
      vi.useRealTimers();
    }
  }, 60_000);

  it('cuts long strings inside parameters', async () => {
    const { appendAudit } = await import('@/lib/audit/log');
    await appendAudit({ actor: 'x'.repeat(5000), role: 'viewer', action: 'cluster.view', phase: 'succeeded', params: { userAgent: 'A'.repeat(10_000), path: `/${'p'.repeat(9000)}` } }, h.db as DB);
    const [row] = await listAudit({}, h.db as DB);
    expect(row.actor.length).toBeLessThanOrEqual(200);
    expect(String(row.params?.userAgent).length).toBeLessThanOrEqual(512);
    expect(String(row.params?.path).length).toBeLessThanOrEqual(512);
  });
});
