import { beforeEach, describe, expect, it, vi } from 'vitest';

const h = vi.hoisted(() => ({ db: undefined as unknown, user: null as null | { id: string; username: string; role: 'viewer' | 'operator' | 'admin' } }));
vi.mock('@/lib/db', async (orig) => ({ ...(await orig<typeof import('@/lib/db')>()), getDb: () => h.db }));
vi.mock('@/lib/auth/session', async () => {
  const { AppError } = await import('@/lib/errors');
  return {
    getSession: async () => h.user,
    requireUser: async () => {
      if (!h.user) throw new AppError('UNAUTHENTICATED', 'Sign in again.', { status: 401 });
      return h.user;
    },
  };
});

import { memoryDb } from '@/lib/testing/memory-db';
import { appendAudit } from '@/lib/audit/log';
import { GET } from './route';

beforeEach(async () => {
  h.db = await memoryDb();
  h.user = null;
  for (let i = 0; i < 1205; i++) await appendAudit({ actor: i % 2 ? 'alice' : 'bob', role: 'operator', action: 'cluster.failover', phase: 'requested', target: `c-${i}` });
});

describe('GET /api/audit/export', () => {
  it('is 401 without a session and writes nothing', async () => {
    const res = await GET(new Request('http://x/api/audit/export'));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });

  it('streams every filtered row (across batches) for any signed-in role', async () => {
    h.user = { id: 'v', username: 'viewer1', role: 'viewer' };
    const res = await GET(new Request('http://x/api/audit/export?actor=alice'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="aurora-console-audit-.*\.csv"/);
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^seq,time,actor/);
    expect(lines).toHaveLength(1 + 602);
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'alice')).toBe(true);
    const all = (await (await GET(new Request('http://x/api/audit/export'))).text()).trim().split('\r\n');
    expect(all).toHaveLength(1 + 1205);
  });
});
