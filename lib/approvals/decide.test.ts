import { beforeEach, describe, expect, it, vi } from 'vitest';
import { demoFleet, memoryDb, type FakeRds } from './test-support';

const h = vi.hoisted(() => ({
  db: undefined as unknown,
  rds: undefined as unknown as FakeRds,
  audit: [] as { phase: string; actor: string; action: string; error?: string; awsRequestId?: string }[],
  twoPerson: { backtrack: true, clusterDelete: true, failover: false },
}));
vi.mock('@/lib/db', () => ({ getDb: () => h.db }));
vi.mock('@/lib/aws/clients', () => ({ rdsClient: () => h.rds }));
vi.mock('@/lib/audit/log', () => ({ appendAudit: vi.fn(async (e: (typeof h.audit)[number]) => void h.audit.push(e)) }));
vi.mock('@/lib/env', () => ({ getEnv: () => ({ twoPersonRule: h.twoPerson, regions: ['us-east-1'] }) }));

import { approveRequest, rejectRequest, sweepExpiredApprovals } from './decide';
import { requireApprovalOr } from './require-approval';
import { getApproval } from './store';
import { registerApprovalExecutor } from './executors';

const alice = { id: 'u-alice', username: 'alice', role: 'admin' as const };
const bob = { id: 'u-bob', username: 'bob', role: 'admin' as const };
const carol = { id: 'u-carol', username: 'carol', role: 'admin' as const };
const oscar = { id: 'u-oscar', username: 'oscar', role: 'operator' as const };
const R = 'us-east-1';

beforeEach(async () => {
  h.db = await memoryDb();
  h.rds = demoFleet();
  h.audit = [];
  h.twoPerson = { backtrack: true, clusterDelete: true, failover: false };
});

async function requestBacktrack(user = alice) {
  const backtrackTo = new Date(Date.now() - 3_600_000).toISOString();
  const r = await requireApprovalOr(
    { action: 'cluster.backtrack', region: R, target: 'orders-prod', params: { backtrackTo, useEarliest: false }, summary: `Backtrack orders-prod to ${backtrackTo}`, user },
    async () => {
      throw new Error('must not run while approval is required');
    },
  );
  if (!r.pending) throw new Error('expected pending');
  return r.approval;
}

const phases = () => h.audit.map((a) => `${a.phase}:${a.actor}`);

describe('two-person rule', () => {
  it('refuses to carry out a request for a region outside AFC_REGIONS: no AWS call, still pending, audited', async () => {
    const r = await requireApprovalOr(
      { action: 'cluster.backtrack', region: 'eu-west-1', target: 'orders-prod', params: { backtrackTo: new Date().toISOString() }, summary: 'Backtrack orders-prod (eu-west-1)', user: alice },
      async () => {
        throw new Error('must not run while approval is required');
      },
    );
    if (!r.pending) throw new Error('expected pending');
    await expect(approveRequest(r.approval.id, bob)).rejects.toMatchObject({ code: 'INVALID_REGION', status: 404, message: expect.stringContaining('Region eu-west-1 is not configured for this console') });
    expect(h.rds.mutations()).toEqual([]);
    expect((await getApproval(r.approval.id))?.status).toBe('pending');
    expect(phases()).toEqual(['pending-approval:alice', 'refused:bob']);
  });

  it('records a pending request and makes no AWS call', async () => {
    const a = await requestBacktrack();
    expect(a.status).toBe('pending');
    expect(h.rds.mutations()).toEqual([]);
    expect(phases()).toEqual(['pending-approval:alice']);
  });

  it('runs the call at once when the rule is off for the action', async () => {
    h.twoPerson.failover = false;
    const r = await requireApprovalOr(
      { action: 'cluster.failover', region: R, target: 'orders-prod', params: {}, summary: 'x', user: oscar },
      async () => 42,
    );
    expect(r).toEqual({ pending: false, result: 42 });
  });

  it('refuses self-approval with an audit row and no AWS call', async () => {
    const a = await requestBacktrack();
    await expect(approveRequest(a.id, alice)).rejects.toMatchObject({ code: 'SELF_APPROVAL' });
    expect((await getApproval(a.id))!.status).toBe('pending');
    expect(h.rds.mutations()).toEqual([]);
    expect(h.audit.at(-1)).toMatchObject({ phase: 'refused', actor: 'alice', action: 'cluster.backtrack' });
  });

  it('refuses an operator deciding', async () => {
    const a = await requestBacktrack();
    await expect(approveRequest(a.id, oscar)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(h.rds.mutations()).toEqual([]);
  });

  it('refuses an expired request, marks it expired once, and makes no AWS call', async () => {
    const a = await requestBacktrack();
    const later = a.expiresAt + 1;
    await expect(approveRequest(a.id, bob, { now: later })).rejects.toMatchObject({ code: 'EXPIRED' });
    expect((await getApproval(a.id))!.status).toBe('expired');
    expect(h.rds.mutations()).toEqual([]);
    expect(phases()).toEqual(['pending-approval:alice', 'expired:system', 'refused:bob']);
    expect(await sweepExpiredApprovals(later + 10)).toEqual([]); // audited exactly once
  });

  it('a second admin approves: the AWS call runs once, audited approved then succeeded with the request id', async () => {
    const a = await requestBacktrack();
    const r = await approveRequest(a.id, bob);
    expect(r.approval.status).toBe('succeeded');
    expect(h.rds.mutations().map((c) => c.name)).toEqual(['BacktrackDBCluster']);
    expect(phases()).toEqual(['pending-approval:alice', 'approved:bob', 'succeeded:bob']);
    expect(h.audit.at(-1)!.awsRequestId).toMatch(/^req-/);
    await expect(approveRequest(a.id, carol)).rejects.toMatchObject({ code: 'ALREADY_DECIDED' });
    expect(h.rds.mutations()).toHaveLength(1);
  });

  it('two admins approving at the same moment still make exactly one AWS call', async () => {
    const a = await requestBacktrack();
    const rs = await Promise.allSettled([approveRequest(a.id, bob), approveRequest(a.id, carol)]);
    expect(rs.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(h.rds.mutations()).toHaveLength(1);
  });

  it('re-checks at approval time: a time that left the window fails with the reason, audited failed', async () => {
    const a = await requestBacktrack();
    h.rds.clusters.get('orders-prod')!.earliestBacktrackTime = new Date(); // window moved past the chosen time
    await expect(approveRequest(a.id, bob)).rejects.toMatchObject({ code: 'TIME_TOO_EARLY' });
    expect((await getApproval(a.id))!.status).toBe('failed');
    expect(h.rds.mutations()).toEqual([]);
    expect(phases()).toEqual(['pending-approval:alice', 'approved:bob', 'failed:bob']);
  });

  it('rejection: no AWS call, audited rejected, cannot be approved afterwards', async () => {
    const a = await requestBacktrack();
    await rejectRequest(a.id, bob);
    await expect(approveRequest(a.id, carol)).rejects.toMatchObject({ code: 'ALREADY_DECIDED' });
    expect(h.rds.mutations()).toEqual([]);
    expect(phases()).toEqual(['pending-approval:alice', 'rejected:bob', 'refused:carol']);
  });

  it('runs executors registered by other areas (e.g. cluster deletion)', async () => {
    const seen: string[] = [];
    registerApprovalExecutor('cluster.delete', async (x) => {
      seen.push(`${x.target} by ${x.approvedBy.username}`);
      return { awsRequestId: 'del-1' };
    });
    const r = await requireApprovalOr({ action: 'cluster.delete', region: R, target: 'billing', params: {}, summary: 'Delete billing', user: alice }, async () => 'now');
    expect(r.pending).toBe(true);
    await approveRequest((r as { approval: { id: string } }).approval.id, bob);
    expect(seen).toEqual(['billing by bob']);
  });
});
