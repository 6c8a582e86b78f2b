// The on-call operations against the REAL local endpoint through the real @aws-sdk/client-rds: Aurora's choice
// of target, the live timeline reaching `available` with a measured duration, backtrack lifecycle, and refusals
// that never reach the endpoint (asserted on the emulator's own call counters).
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/lib/emulator';
import { memoryDb } from '@/lib/approvals/test-support';

const h = vi.hoisted(() => ({ db: undefined as unknown, url: '' }));
vi.mock('@/lib/db', async (orig) => ({ ...(await orig<typeof import('@/lib/db')>()), getDb: () => h.db }));
vi.mock('@/lib/audit/log', () => ({ appendAudit: vi.fn(async () => undefined) }));
// The console's own client factory (lib/aws/clients) pointed at the local endpoint: its writes drop the region's
// cached reads, so a poll after FailoverDBCluster reads the cluster afresh, as it does in the console.
vi.mock('@/lib/env', () => ({
  getEnv: () => ({
    backend: 'local',
    twoPersonRule: { backtrack: true, clusterDelete: true, failover: false },
    regions: ['us-east-1', 'eu-west-1'],
    emulator: { url: h.url, accessKeyId: 'local', secretAccessKey: 'localsecret', profile: 'test' },
  }),
}));

import { executeBacktrack, executeFailover } from './execute';
import { getOncallStatus } from './status';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, dataDir: ':memory:', profile: 'test', seed: 'demo', regions: ['us-east-1', 'eu-west-1'] });
  h.url = emu.url;
});
afterAll(async () => emu?.close());
beforeEach(async () => {
  h.db = await memoryDb();
  emu.counters.reset();
});

const R = 'us-east-1';
const calls = (op: string) => emu.counters.get('rds', op);

async function until<T>(f: () => Promise<T>, ok: (t: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last value ${JSON.stringify(v).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('against the local endpoint', () => {
  it('refusals make no FailoverDBCluster / BacktrackDBCluster call', async () => {
    const s = await getOncallStatus(R, 'orders-prod');
    const writer = s.cluster.writerId!;
    const refusals = [
      executeFailover({ region: R, clusterId: 'orders-prod', target: 'analytics-pg-1', confirm: 'orders-prod', requestedBy: 'o' }),
      executeFailover({ region: R, clusterId: 'orders-prod', target: writer, confirm: 'orders-prod', requestedBy: 'o' }),
      executeFailover({ region: R, clusterId: 'billing', confirm: 'billing', requestedBy: 'o' }),
      executeFailover({ region: R, clusterId: 'orders-prod', confirm: 'ORDERS', requestedBy: 'o' }),
      executeBacktrack({ region: R, clusterId: 'orders-prod', backtrackTo: new Date(Date.now() + 60_000).toISOString(), confirm: 'orders-prod', requestedBy: 'a' }),
      executeBacktrack({ region: R, clusterId: 'orders-prod', backtrackTo: '2020-01-01T00:00:00Z', confirm: 'orders-prod', requestedBy: 'a' }),
      executeBacktrack({ region: R, clusterId: 'analytics-pg', backtrackTo: new Date(Date.now() - 60_000).toISOString(), confirm: 'analytics-pg', requestedBy: 'a' }),
    ];
    const rs = await Promise.allSettled(refusals);
    expect(rs.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'))).toEqual([
      'TARGET_NOT_IN_CLUSTER',
      'TARGET_IS_WRITER',
      'SINGLE_INSTANCE',
      'CONFIRMATION_MISMATCH',
      'TIME_IN_FUTURE',
      'TIME_TOO_EARLY',
      'BACKTRACK_MYSQL_ONLY',
    ]);
    expect(calls('FailoverDBCluster')).toBe(0);
    expect(calls('BacktrackDBCluster')).toBe(0);
    expect(calls('DescribeDBClusters')).toBeGreaterThan(0); // the checks did read the endpoint
  });

  it('Aurora chooses the lowest-tier reader; the timeline completes with a measured duration; a second request is refused meanwhile', async () => {
    const before = await getOncallStatus(R, 'orders-prod');
    const expected = before.predictedTarget!;
    const started = await executeFailover({ region: R, clusterId: 'orders-prod', confirm: 'orders-prod', requestedBy: 'alice' });
    expect(started.oldWriter).toBe(before.cluster.writerId);
    await expect(executeFailover({ region: R, clusterId: 'orders-prod', confirm: 'orders-prod', requestedBy: 'bob' })).rejects.toMatchObject({
      code: 'FAILOVER_IN_PROGRESS',
    });
    expect(calls('FailoverDBCluster')).toBe(1);
    const done = await until(() => getOncallStatus(R, 'orders-prod'), (s) => !!s.failover?.timeline.done);
    const tl = done.failover!.timeline;
    expect(tl.oldWriter).toBe(before.cluster.writerId);
    expect(tl.newWriter).toBe(expected);
    expect(done.cluster.writerId).toBe(expected);
    // Aurora's rule, checked on the endpoint's own answer: no available reader had a lower tier.
    const minTier = Math.min(...before.cluster.instances.filter((i) => i.role !== 'writer').map((i) => i.promotionTier));
    expect(before.cluster.instances.find((i) => i.id === expected)!.promotionTier).toBe(minTier);
    expect(tl.durationMs).toBeGreaterThan(0);
    expect(tl.durationMs).toBeLessThan(15_000);
    expect(done.failover!.events.some((e) => /Completed failover to DB instance: /.test(e.message))).toBe(true);
    console.log(`failover orders-prod ${tl.oldWriter} → ${tl.newWriter}: measured ${tl.durationMs} ms, AWS events ${tl.awsEventDurationMs ?? '?'} ms`);
  });

  it('fails over to a chosen reader', async () => {
    const s = await getOncallStatus('eu-west-1', 'orders-eu');
    const reader = s.cluster.instances.find((i) => i.role !== 'writer' && i.status === 'available')!;
    await executeFailover({ region: 'eu-west-1', clusterId: 'orders-eu', target: reader.id, confirm: 'orders-eu', requestedBy: 'alice' });
    const done = await until(() => getOncallStatus('eu-west-1', 'orders-eu'), (x) => !!x.failover?.timeline.done);
    expect(done.cluster.writerId).toBe(reader.id);
  });

  it('backtrack goes pending → applying → completed and shows in the history', async () => {
    await until(() => getOncallStatus(R, 'orders-prod'), (s) => s.cluster.status === 'available');
    const to = new Date(Date.now() - 10 * 60_000).toISOString();
    const out = await executeBacktrack({ region: R, clusterId: 'orders-prod', backtrackTo: to, confirm: 'orders-prod', requestedBy: 'root' });
    expect(calls('BacktrackDBCluster')).toBe(1);
    const seen = new Set<string>();
    const done = await until(
      () => getOncallStatus(R, 'orders-prod'),
      (s) => {
        const b = s.backtrack!.backtracks.find((x) => x.backtrackId === out.backtrackId);
        if (b) seen.add(b.status);
        if (s.cluster.status === 'backtracking') seen.add('cluster:backtracking');
        return b?.status === 'completed';
      },
      20_000,
    );
    expect(done.backtrack!.backtracks.find((x) => x.backtrackId === out.backtrackId)!.backtrackTo).toBe(to);
    expect(seen.has('completed')).toBe(true);
    console.log(`backtrack statuses seen while polling: ${[...seen].join(', ')}`);
  });
});
