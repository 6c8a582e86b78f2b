// The console's global database layer against the REAL local endpoint through the real SDK clients: create from a
// demo cluster, add a secondary region, refusals that never reach SwitchoverGlobalCluster, a switchover observed to
// completion with a measured duration, then a regional outage: the listing falls back to the other region, the
// failed region is reported in place, and a failover with data loss promotes the secondary.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { RDSClient } from '@aws-sdk/client-rds';
import { startEmulator, type RunningEmulator } from '@/lib/emulator';
import { memoryDb } from '@/lib/approvals/test-support';

const h = vi.hoisted(() => ({ db: undefined as unknown, url: '', clients: new Map<string, unknown>() }));
vi.mock('@/lib/db', () => ({ getDb: () => h.db }));
vi.mock('@/lib/audit/log', () => ({ appendAudit: vi.fn(async () => undefined) }));
vi.mock('@/lib/env', () => ({
  getEnv: () => ({ twoPersonRule: { backtrack: true, clusterDelete: true, failover: false, globalFailover: true }, regions: ['us-east-1', 'eu-west-1'] }),
}));
vi.mock('@/lib/aws/clients', () => {
  const make = <T,>(kind: string, region: string, f: () => T): T => {
    const k = `${kind}:${region}`;
    if (!h.clients.has(k)) h.clients.set(k, f());
    return h.clients.get(k) as T;
  };
  const opts = (region: string) => ({ region, endpoint: h.url, credentials: { accessKeyId: 'local', secretAccessKey: 'localsecret' }, maxAttempts: 1 });
  return {
    rdsClient: (region: string) => make('rds', region, () => new RDSClient(opts(region))),
    cloudWatchClient: (region: string) => make('cw', region, () => new CloudWatchClient(opts(region))),
  };
});

import { addSecondaryRegion, createGlobalDatabase, deleteGlobalDatabase, detachSecondary, listGlobalDatabases } from '@/lib/aws/rds/global-clusters';
import { clearReadCache } from '@/lib/aws/read-cache';
import { executeGlobalSwitch } from './global-execute';
import { getGlobalStatus } from './global-status';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, dataDir: ':memory:', profile: 'test', seed: 'demo', regions: ['us-east-1', 'eu-west-1'] });
  h.url = emu.url;
  h.db = await memoryDb();
});
afterAll(async () => emu?.close());
beforeEach(() => clearReadCache());

const G = 'pg-global';
const calls = (op: string) => emu.counters.get('rds', op);
const outage = (region: string, unreachable: boolean) =>
  fetch(`${emu.url}/_emulator/regions/${region}/outage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ unreachable }) });

async function until<T>(f: () => Promise<T>, ok: (t: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last value ${JSON.stringify(v).slice(0, 600)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
const req = (targetRegion: string, targetClusterId: string, extra: Record<string, unknown> = {}) => ({ globalId: G, targetRegion, targetClusterId, confirm: G, requestedBy: 'op', ...extra });
const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

describe('global database against the local endpoint', () => {
  it('create, add a secondary, refuse bad switchovers without calling AWS, switch over, then fail over through a regional outage', { timeout: 90_000 }, async () => {
    const created = await createGlobalDatabase({ globalId: G, region: 'us-east-1', clusterId: 'analytics-pg' });
    expect(created.data.primary).toMatchObject({ region: 'us-east-1', clusterId: 'analytics-pg', role: 'primary' });
    expect(await code(createGlobalDatabase({ globalId: 'other', region: 'us-east-1', clusterId: 'analytics-pg' }))).toBe('ALREADY_GLOBAL');

    const added = await addSecondaryRegion({ globalId: G, region: 'eu-west-1', clusterId: 'analytics-eu', instanceClass: 'db.r6g.large', instanceCount: 2 });
    expect(added.data.steps.map((s) => `${s.kind}:${s.id}:${s.ok}`)).toEqual(['cluster:analytics-eu:true', 'reader:analytics-eu-instance-1:true', 'reader:analytics-eu-instance-2:true']);
    expect(await code(addSecondaryRegion({ globalId: G, region: 'eu-west-1', clusterId: 'again', instanceClass: 'db.r6g.large', instanceCount: 1 }))).toBe('REGION_ALREADY_MEMBER');
    const ready = await until(
      () => getGlobalStatus(G),
      (s) => s.members.length === 2 && s.members.every((m) => m.ok && m.status === 'available') && s.db.members.every((m) => m.syncStatus === 'connected'),
    );
    expect(ready.db.members.map((m) => `${m.role}:${m.region}`)).toEqual(['primary:us-east-1', 'secondary:eu-west-1']);
    expect(await code(deleteGlobalDatabase(G))).toBe('GLOBAL_HAS_MEMBERS');

    // Refused by the console's own checks: no SwitchoverGlobalCluster reaches the endpoint.
    const before = calls('SwitchoverGlobalCluster');
    expect(await code(executeGlobalSwitch('switchover', req('eu-west-1', 'analytics-eu', { confirm: 'pg' })))).toBe('CONFIRMATION_MISMATCH');
    expect(await code(executeGlobalSwitch('switchover', req('us-east-1', 'analytics-pg')))).toBe('TARGET_IS_PRIMARY');
    expect(await code(executeGlobalSwitch('switchover', req('eu-west-1', 'orders-eu')))).toBe('TARGET_NOT_MEMBER');
    expect(await code(executeGlobalSwitch('failover', req('eu-west-1', 'analytics-eu')))).toBe('DATA_LOSS_NOT_ACCEPTED');
    expect(calls('SwitchoverGlobalCluster')).toBe(before);

    // A switchover, observed to completion; a second one while it runs is refused by the on-call lock.
    const sw = await executeGlobalSwitch('switchover', req('eu-west-1', 'analytics-eu'));
    expect(sw.oldPrimary).toBe('us-east-1 / analytics-pg');
    expect(await code(executeGlobalSwitch('switchover', req('eu-west-1', 'analytics-eu')))).toBe('GLOBAL_OPERATION_IN_PROGRESS');
    const done = await until(() => getGlobalStatus(G), (s) => !!s.operation?.timeline.done);
    expect(done.operation).toMatchObject({ mode: 'switchover', timeline: { oldWriter: 'us-east-1 / analytics-pg', newWriter: 'eu-west-1 / analytics-eu' } });
    expect(done.operation!.timeline.durationMs).toBeGreaterThan(0);
    expect(done.db.primary?.region).toBe('eu-west-1');

    // Regional outage of the (new) primary's region: the listing answers from us-east-1, eu-west-1's row says why.
    await until(() => getGlobalStatus(G), (s) => s.db.members.every((m) => m.syncStatus === 'connected'));
    expect((await outage('eu-west-1', true)).ok).toBe(true);
    try {
      clearReadCache();
      const listing = await listGlobalDatabases({ maxAgeMs: 0 });
      expect(listing.databases.map((d) => d.id)).toContain(G);
      const s = await getGlobalStatus(G);
      const euRow = s.members.find((m) => m.region === 'eu-west-1')!;
      expect(euRow.ok).toBe(false);
      expect(!euRow.ok && euRow.code).toBe('AWS_UNAVAILABLE');
      expect(s.members.find((m) => m.region === 'us-east-1')).toMatchObject({ ok: true, status: 'available' });
      expect(await code(executeGlobalSwitch('switchover', req('us-east-1', 'analytics-pg')))).not.toBe('ok');

      const fo = await executeGlobalSwitch('failover', req('us-east-1', 'analytics-pg', { acceptDataLoss: true }));
      expect(fo.target).toBe('us-east-1 / analytics-pg');
      const after = await until(() => getGlobalStatus(G), (x) => x.operation?.mode === 'failover' && !!x.operation.timeline.done);
      expect(after.db.primary).toMatchObject({ region: 'us-east-1', clusterId: 'analytics-pg' });
    } finally {
      await outage('eu-west-1', false);
    }

    // Detach the old primary once it is back as a secondary: it becomes standalone.
    await until(() => getGlobalStatus(G), (s) => s.db.members.some((m) => m.region === 'eu-west-1' && m.role === 'secondary' && m.syncStatus === 'connected'), 30_000);
    await detachSecondary({ globalId: G, region: 'eu-west-1', clusterId: 'analytics-eu' });
    const left = await until(() => getGlobalStatus(G), (s) => s.db.members.length === 1);
    expect(left.db.members[0]).toMatchObject({ region: 'us-east-1', role: 'primary' });
  });
});
