import { beforeEach, describe, expect, it, vi } from 'vitest';
import { demoFleet, memoryDb, type FakeRds } from '@/lib/approvals/test-support';

const h = vi.hoisted(() => ({
  db: undefined as unknown,
  rds: undefined as unknown as FakeRds,
  audit: [] as Record<string, unknown>[],
}));
vi.mock('@/lib/db', () => ({ getDb: () => h.db }));
vi.mock('@/lib/aws/clients', () => ({ rdsClient: () => h.rds }));
vi.mock('@/lib/audit/log', () => ({ appendAudit: vi.fn(async (e: Record<string, unknown>) => void h.audit.push(e)) }));

import { executeBacktrack, executeFailover, executeWindowChange } from './execute';
import { observeFailover, latestOperation } from './operations';

const R = 'us-east-1';
beforeEach(async () => {
  h.db = await memoryDb();
  h.rds = demoFleet();
  h.audit = [];
});

async function refusedWith(p: Promise<unknown>, code: string, msg?: RegExp) {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as { code?: string; message?: string } | undefined;
  expect(err, 'expected a refusal').toBeDefined();
  expect(err!.code).toBe(code);
  if (msg) expect(err!.message).toMatch(msg);
}

describe('failover guards (no FailoverDBCluster call when refused)', () => {
  const fo = (o: { clusterId?: string; target?: string; confirm?: string }) =>
    executeFailover({ region: R, clusterId: o.clusterId ?? 'orders-prod', target: o.target, confirm: o.confirm ?? o.clusterId ?? 'orders-prod', requestedBy: 'alice' });

  it('refuses a reader of another cluster', async () => {
    await refusedWith(fo({ target: 'analytics-pg-2' }), 'TARGET_NOT_IN_CLUSTER', /not an instance of orders-prod/);
    expect(h.rds.mutations()).toEqual([]);
  });
  it('refuses the current writer', async () => {
    await refusedWith(fo({ target: 'orders-prod-1' }), 'TARGET_IS_WRITER', /already the writer/);
    expect(h.rds.mutations()).toEqual([]);
  });
  it('refuses a non-available target', async () => {
    h.rds.clusters.get('orders-prod')!.instances[2].status = 'modifying';
    await refusedWith(fo({ target: 'orders-prod-3' }), 'TARGET_NOT_AVAILABLE', /modifying/);
    expect(h.rds.mutations()).toEqual([]);
  });
  it('refuses a one-instance cluster with the reason', async () => {
    await refusedWith(fo({ clusterId: 'billing' }), 'SINGLE_INSTANCE', /only one instance/);
    expect(h.rds.mutations()).toEqual([]);
  });
  it('refuses a wrong typed identifier', async () => {
    await refusedWith(fo({ confirm: 'orders-pro' }), 'CONFIRMATION_MISMATCH', /Type the cluster identifier "orders-prod"/);
    expect(h.rds.mutations()).toEqual([]);
  });
  it('refuses when AWS already shows the cluster failing-over', async () => {
    h.rds.clusters.get('orders-prod')!.status = 'failing-over';
    await refusedWith(fo({}), 'FAILOVER_IN_PROGRESS');
    expect(h.rds.mutations()).toEqual([]);
  });
  it('refuses a second failover while the first is in progress, naming who started it; one AWS call', async () => {
    const first = await fo({});
    expect(first.oldWriter).toBe('orders-prod-1');
    h.rds.clusters.get('orders-prod')!.status = 'available'; // AWS may still say available right after the call
    await refusedWith(fo({ target: 'orders-prod-3' }), 'FAILOVER_IN_PROGRESS', /already in progress, started by alice at \d{4}-/);
    expect(h.rds.mutations().map((c) => c.name)).toEqual(['FailoverDBCluster']);
  });
  it('two concurrent requests (double click) make exactly one AWS call', async () => {
    const rs = await Promise.allSettled([fo({}), fo({})]);
    expect(rs.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(h.rds.mutations()).toHaveLength(1);
  });
  it('passes an explicit reader through and lets Aurora choose otherwise', async () => {
    await fo({ target: 'orders-prod-3' });
    expect(h.rds.mutations()[0].input).toMatchObject({ DBClusterIdentifier: 'orders-prod', TargetDBInstanceIdentifier: 'orders-prod-3' });
  });
  it('releases the lock once a poll sees the new writer and available, recording the measured duration', async () => {
    const t0 = Date.now();
    await fo({});
    let op = (await latestOperation(R, 'orders-prod', 'failover'))!;
    op = await observeFailover(op, { status: 'failing-over', writer: 'orders-prod-1' }, t0 + 1000);
    expect(op.failingOverSeenAt).toBe(t0 + 1000);
    op = await observeFailover(op, { status: 'available', writer: 'orders-prod-2' }, t0 + 2500);
    expect(op).toMatchObject({ status: 'completed', newWriter: 'orders-prod-2', active: false, completedAt: t0 + 2500 });
    const c = h.rds.clusters.get('orders-prod')!;
    c.status = 'available';
    c.instances[0].writer = false;
    c.instances[1].writer = true;
    await expect(fo({})).resolves.toMatchObject({ oldWriter: 'orders-prod-2' });
  });
});

describe('backtrack guards (no BacktrackDBCluster call when refused)', () => {
  const bt = (o: { clusterId?: string; backtrackTo?: string; useEarliest?: boolean; confirm?: string }) =>
    executeBacktrack({
      region: R,
      clusterId: o.clusterId ?? 'orders-prod',
      backtrackTo: o.backtrackTo,
      useEarliest: o.useEarliest,
      confirm: o.confirm ?? o.clusterId ?? 'orders-prod',
      requestedBy: 'root',
    });
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

  it('refuses a malformed time', async () => {
    await refusedWith(bt({ backtrackTo: '2026-13-45 25:00' }), 'TIME_MALFORMED');
    await refusedWith(bt({ backtrackTo: 'invalid:2026-01-01T10:00' }), 'TIME_MALFORMED');
    expect(h.rds.mutations()).toEqual([]);
  });
  it('refuses a future time', async () => {
    await refusedWith(bt({ backtrackTo: new Date(Date.now() + 3_600_000).toISOString() }), 'TIME_IN_FUTURE', /in the future/);
    expect(h.rds.mutations()).toEqual([]);
  });
  it('refuses a time before the earliest backtrack time unless "use earliest" is chosen', async () => {
    await refusedWith(bt({ backtrackTo: ago(2 * 86_400_000) }), 'TIME_TOO_EARLY', /before the earliest backtrack time/);
    expect(h.rds.mutations()).toEqual([]);
    const out = await bt({ backtrackTo: ago(2 * 86_400_000), useEarliest: true });
    expect(out.status).toBe('pending');
    expect(h.rds.mutations()[0].input).toMatchObject({ UseEarliestTimeOnPointInTimeUnavailable: true });
  });
  it('refuses the wrong typed identifier', async () => {
    await refusedWith(bt({ backtrackTo: ago(60_000), confirm: 'orders' }), 'CONFIRMATION_MISMATCH');
    expect(h.rds.mutations()).toEqual([]);
  });
  it('explains that PostgreSQL has no backtrack and that a window cannot be added later', async () => {
    await refusedWith(bt({ clusterId: 'analytics-pg', backtrackTo: ago(60_000) }), 'BACKTRACK_MYSQL_ONLY', /Aurora MySQL feature/);
    await refusedWith(bt({ clusterId: 'billing', backtrackTo: ago(60_000) }), 'BACKTRACK_NOT_ENABLED', /cannot add a backtrack window to an existing cluster; clone or restore/);
    expect(h.rds.mutations()).toEqual([]);
  });
  it('sends the exact instant for a valid time', async () => {
    const t = ago(3_600_000);
    await bt({ backtrackTo: t });
    expect((h.rds.mutations()[0].input.BacktrackTo as Date).toISOString()).toBe(t);
  });
});

describe('backtrack window changes', () => {
  const win = (hours: number, extra: { disableForGood?: boolean; confirm?: string; clusterId?: string } = {}) =>
    executeWindowChange({ region: R, clusterId: extra.clusterId ?? 'orders-prod', hours, ...extra });
  it('converts hours to seconds', async () => {
    await expect(win(12)).resolves.toMatchObject({ seconds: 43_200 });
    expect(h.rds.mutations()[0]).toMatchObject({ name: 'ModifyDBCluster', input: { BacktrackWindow: 43_200, ApplyImmediately: true } });
  });
  it('needs "disable for good" and the typed identifier for 0', async () => {
    await refusedWith(win(0), 'DISABLE_NEEDS_CONFIRMATION', /for good/);
    await refusedWith(win(0, { disableForGood: true, confirm: 'nope' }), 'DISABLE_NEEDS_CONFIRMATION');
    expect(h.rds.mutations()).toEqual([]);
    await expect(win(0, { disableForGood: true, confirm: 'orders-prod' })).resolves.toMatchObject({ seconds: 0 });
  });
  it('refuses more than 72 h and a cluster created without a window', async () => {
    await refusedWith(win(73), 'WINDOW_RANGE');
    await refusedWith(win(5, { clusterId: 'billing' }), 'BACKTRACK_NOT_ENABLED');
    expect(h.rds.mutations()).toEqual([]);
  });
});
