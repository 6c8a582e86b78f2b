// Crafted requests straight to the server actions (no UI): the role check is the action's own.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { demoFleet, type FakeRds } from '@/lib/approvals/test-support';

const h = vi.hoisted(() => ({
  db: undefined as unknown,
  rds: undefined as unknown as FakeRds,
  user: null as null | { id: string; username: string; role: 'viewer' | 'operator' | 'admin' },
  audit: [] as { phase: string; action: string; actor: string }[],
}));
vi.mock('@/lib/auth/session', async () => {
  const { AppError } = await import('@/lib/errors');
  const rank = { viewer: 0, operator: 1, admin: 2 } as const;
  return {
    getSession: async () => h.user,
    requireUser: async () => {
      if (!h.user) throw new AppError('UNAUTHENTICATED', 'Sign in first.', { status: 401 });
      return h.user;
    },
    requireRole: async (min: keyof typeof rank) => {
      if (!h.user) throw new AppError('UNAUTHENTICATED', 'Sign in first.', { status: 401 });
      if (rank[h.user.role] < rank[min]) throw new AppError('FORBIDDEN', 'Not allowed.', { status: 403 });
      return h.user;
    },
  };
});
vi.mock('@/lib/aws/clients', () => ({ rdsClient: () => h.rds }));
// The console's own migrated in-memory database (every migration, including the approvals tables).
vi.mock('@/lib/db', async (orig) => ({ ...((await orig()) as object), getDb: () => h.db }));
vi.mock('@/lib/audit/log', () => ({
  appendAudit: vi.fn(async (e: (typeof h.audit)[number]) => void h.audit.push(e)),
  listAudit: vi.fn(async () => []),
}));
vi.mock('@/lib/env', async (orig) => {
  const real = (await orig()) as { getEnv: () => Record<string, unknown> };
  return {
    ...real,
    getEnv: () => {
      let base: Record<string, unknown> = {};
      try {
        base = real.getEnv();
      } catch {
        base = {};
      }
      return { ...base, twoPersonRule: { backtrack: true, clusterDelete: true, failover: false } };
    },
  };
});

import { backtrackClusterAction, failoverClusterAction, setBacktrackWindowAction } from './actions';
import { approveRequestAction } from '@/lib/approvals/actions';

function form(o: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) f.set(k, v);
  return f;
}
const failoverForm = () => form({ region: 'us-east-1', clusterId: 'orders-prod', target: 'auto', confirm: 'orders-prod' });
const backtrackForm = () =>
  form({ region: 'us-east-1', clusterId: 'orders-prod', backtrackTo: new Date(Date.now() - 600_000).toISOString(), confirm: 'orders-prod' });

beforeEach(async () => {
  h.db = await (await import('@/lib/testing/memory-db')).memoryDb();
  h.rds = demoFleet();
  h.audit = [];
});

describe('roles are enforced by the actions themselves', () => {
  it('a viewer cannot fail over', async () => {
    h.user = { id: 'v', username: 'viewer1', role: 'viewer' };
    const r = await failoverClusterAction(null, failoverForm());
    expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(h.rds.calls).toEqual([]);
    expect(h.audit.some((a) => a.phase === 'refused' && a.action === 'cluster.failover')).toBe(true);
  });

  it('no session cannot fail over', async () => {
    h.user = null;
    const r = await failoverClusterAction(null, failoverForm());
    expect(r).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(h.rds.calls).toEqual([]);
  });

  it('an operator cannot backtrack, change the window or approve', async () => {
    h.user = { id: 'o', username: 'operator1', role: 'operator' };
    expect(await backtrackClusterAction(null, backtrackForm())).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await setBacktrackWindowAction(null, form({ region: 'us-east-1', clusterId: 'orders-prod', hours: '1' }))).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(await approveRequestAction(null, form({ id: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(h.rds.calls).toEqual([]);
  });

  it('an operator can fail over; the refusal of a bad target comes back as a message', async () => {
    h.user = { id: 'o', username: 'operator1', role: 'operator' };
    const bad = await failoverClusterAction(null, form({ region: 'us-east-1', clusterId: 'orders-prod', target: 'orders-prod-1', confirm: 'orders-prod' }));
    expect(bad).toMatchObject({ ok: false });
    expect((bad as { error: string }).error).toMatch(/already the writer/);
    const ok = await failoverClusterAction(null, failoverForm());
    expect(ok).toMatchObject({ ok: true, data: { pending: false, oldWriter: 'orders-prod-1' } });
    expect(h.rds.mutations().map((c) => c.name)).toEqual(['FailoverDBCluster']);
  });

  it('an admin backtrack is recorded as pending (two-person rule) without an AWS call', async () => {
    h.user = { id: 'a', username: 'admin', role: 'admin' };
    const r = await backtrackClusterAction(null, backtrackForm());
    expect(r).toMatchObject({ ok: true, data: { pending: true } });
    expect(h.rds.mutations()).toEqual([]);
    expect(h.audit.map((a) => a.phase)).toContain('pending-approval');
  });
});

describe('one failover request reads the cluster once', () => {
  it('makes exactly one DescribeDBClusters, one DescribeDBInstances, then the FailoverDBCluster', async () => {
    h.user = { id: 'o', username: 'operator1', role: 'operator' };
    const r = await failoverClusterAction(null, failoverForm());
    expect(r).toMatchObject({ ok: true, data: { pending: false } });
    expect(h.rds.calls.map((c) => c.name)).toEqual(['DescribeDBClusters', 'DescribeDBInstances', 'FailoverDBCluster']);
  });
});
