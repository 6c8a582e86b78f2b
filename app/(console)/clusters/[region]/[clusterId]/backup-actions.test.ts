// The backups actions through the one wrapper, against the local endpoint with the real SDK: roles, audit rows,
// the two-person rule for snapshot deletion, and refusals that leave nothing behind.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/lib/emulator';
import { memoryDb } from '@/lib/approvals/test-support';

type U = { id: string; username: string; role: 'viewer' | 'operator' | 'admin' };
const h = vi.hoisted(() => ({ url: '', db: undefined as unknown, user: null as null | U, audit: [] as { phase: string; action: string; actor: string; error?: string; params?: Record<string, unknown> }[] }));
vi.mock('@/lib/env', () => ({
  getEnv: () => ({
    backend: 'local',
    regions: ['us-east-1'],
    emulator: { url: h.url, accessKeyId: 'local', secretAccessKey: 'localsecret', profile: 'test' },
    twoPersonRule: { backtrack: true, clusterDelete: true, failover: false, snapshotDelete: true },
  }),
}));
vi.mock('@/lib/auth/session', () => ({ getSession: async () => h.user }));
vi.mock('@/lib/db', async (orig) => ({ ...(await orig<typeof import('@/lib/db')>()), getDb: () => h.db }));
vi.mock('@/lib/audit/log', () => ({ appendAudit: vi.fn(async (e: (typeof h.audit)[number]) => void h.audit.push(e)) }));

import { runAction } from '@/lib/actions/define-action';
import { approveRequest } from '@/lib/approvals/decide';
import { countAwsCalls, resetAwsCallCounters, resetAwsClients } from '@/lib/aws/clients';
import { clearReadCache } from '@/lib/aws/read-cache';
import { findCluster, getCluster } from '@/lib/aws/rds/clusters';
import { createCluster } from '@/lib/aws/rds/create';
import { getClusterSnapshot, listClusterSnapshots } from '@/lib/aws/rds/snapshots';
import { createSnapshotAction, deleteSnapshotAction, restoreToTimeAction } from './backup-actions';

const R = 'us-east-1';
const alice: U = { id: 'u-alice', username: 'alice', role: 'admin' };
const bob: U = { id: 'u-bob', username: 'bob', role: 'admin' };
const oscar: U = { id: 'u-oscar', username: 'oscar', role: 'operator' };
let emu: RunningEmulator;

async function until<T>(fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    clearReadCache();
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 150));
  }
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, dataDir: ':memory:', profile: 'test' });
  h.url = emu.url;
  resetAwsClients();
  h.db = await memoryDb();
  await createCluster({
    region: R, engine: 'aurora-postgresql', identifier: 'act-src', masterUsername: 'admin', masterPassword: 'Sup3r-secret!', manageMasterPassword: false,
    instanceClass: 'db.r6g.large', multiAZ: false, backupRetention: 1, backtrackHours: 0, encrypted: false, deletionProtection: false, tags: [],
  });
  await until(async () => {
    const c = await getCluster(R, 'act-src', { maxAgeMs: 0 });
    return c.status === 'available' && !c.anyTransitional;
  });
});
afterAll(async () => {
  resetAwsClients();
  await emu?.close();
});
beforeEach(() => {
  h.audit = [];
  clearReadCache();
  resetAwsCallCounters();
});

describe('backup actions', () => {
  it('an operator takes a snapshot (audited requested → succeeded) but may not restore or delete', async () => {
    h.user = oscar;
    const r = await runAction(createSnapshotAction, { region: R, clusterId: 'act-src', snapshotId: 'act-src-op' });
    expect(r).toMatchObject({ ok: true, message: 'Snapshot act-src-op of act-src is being created.' });
    expect(h.audit.map((a) => `${a.action}:${a.phase}`)).toEqual(['snapshot.create:requested', 'snapshot.create:succeeded']);
    h.audit = [];
    const restore = await runAction(restoreToTimeAction, { region: R, clusterId: 'act-src', identifier: 'act-op-pitr', instanceClass: 'db.r6g.large', readers: '0', useLatest: 'on' });
    expect(restore).toMatchObject({ ok: false, code: 'FORBIDDEN', error: expect.stringContaining('You need the admin role to restore a cluster to a point in time') });
    const del = await runAction(deleteSnapshotAction, { region: R, clusterId: 'act-src', snapshotId: 'act-src-op', confirm: 'act-src-op' });
    expect(del).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(h.audit.map((a) => `${a.action}:${a.phase}`)).toEqual(['cluster.restore-to-time:refused', 'snapshot.delete:refused']);
    expect(countAwsCalls({ operation: 'RestoreDBClusterToPointInTime' }) + countAwsCalls({ operation: 'DeleteDBClusterSnapshot' })).toBe(0);
  });

  it('deleting a snapshot under the two-person rule waits for a second admin; an automated one is refused beside the field', async () => {
    h.user = alice;
    await runAction(createSnapshotAction, { region: R, clusterId: 'act-src', snapshotId: 'act-src-del' });
    await until(async () => (await getClusterSnapshot(R, 'act-src-del')).status === 'available');
    h.audit = [];
    const r = await runAction(deleteSnapshotAction, { region: R, clusterId: 'act-src', snapshotId: 'act-src-del', confirm: 'act-src-del' });
    expect(r.ok && r.data).toMatchObject({ pending: true });
    expect(h.audit.map((a) => `${a.action}:${a.phase}`)).toEqual(['snapshot.delete:requested', 'snapshot.delete:pending-approval']);
    expect(countAwsCalls({ operation: 'DeleteDBClusterSnapshot' })).toBe(0);
    expect((await getClusterSnapshot(R, 'act-src-del')).status).toBe('available');
    const approvalId = r.ok && r.data.pending ? r.data.approvalId : '';
    await approveRequest(approvalId, bob);
    expect(countAwsCalls({ operation: 'DeleteDBClusterSnapshot' })).toBe(1);
    await until(async () => !(await listClusterSnapshots(R, 'act-src', { maxAgeMs: 0 })).snapshots.some((s) => s.id === 'act-src-del'));

    const automated = (await listClusterSnapshots(R, 'act-src', { maxAgeMs: 0, type: 'automated' })).snapshots[0];
    expect(automated).toBeDefined();
    h.audit = [];
    const bad = await runAction(deleteSnapshotAction, { region: R, clusterId: 'act-src', snapshotId: automated.id, confirm: automated.id });
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_SNAPSHOT_STATE' });
    expect(!bad.ok && bad.fieldErrors?.snapshotId?.[0]).toMatch(/automated backup.*Only manual snapshots can be deleted/);
    expect(h.audit.map((a) => `${a.action}:${a.phase}`)).toEqual(['snapshot.delete:requested', 'snapshot.delete:failed']);
  });

  it('a point-in-time restore before the earliest restorable time is refused beside the time field and creates nothing', async () => {
    h.user = alice;
    const src = await getCluster(R, 'act-src', { maxAgeMs: 0 });
    const at = new Date(Date.parse(src.earliestRestorableTime!) - 60_000).toISOString();
    const r = await runAction(restoreToTimeAction, { region: R, clusterId: 'act-src', identifier: 'act-pitr', instanceClass: 'db.r6g.large', readers: '0', restoreTo: at, restoreType: 'full-copy' });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_RESTORE' });
    expect(!r.ok && r.fieldErrors?.restoreTo?.[0]).toMatch(/before the earliest restorable time of act-src/);
    expect(countAwsCalls({ operation: 'RestoreDBClusterToPointInTime' })).toBe(0);
    expect(await findCluster(R, 'act-pitr', { maxAgeMs: 0 })).toBeNull();
    expect(h.audit.at(-1)).toMatchObject({ action: 'cluster.restore-to-time', phase: 'failed' });

    const ok = await runAction(restoreToTimeAction, { region: R, clusterId: 'act-src', identifier: 'act-pitr', instanceClass: 'db.r6g.large', readers: '1', useLatest: 'on' });
    expect(ok.ok && ok.data.steps.map((s) => `${s.kind}:${s.ok}`)).toEqual(['cluster:true', 'writer:true', 'reader:true']);
    expect(h.audit.at(-1)).toMatchObject({ action: 'cluster.restore-to-time', phase: 'succeeded', params: expect.objectContaining({ sourceCluster: 'act-src' }) });
  });
});
