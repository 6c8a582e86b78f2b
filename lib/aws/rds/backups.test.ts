// Snapshots and restores through the console's AWS layer, with the real @aws-sdk/client-rds against the local
// endpoint (simulated engines): the DTO mapping, the checks made before any AWS call (nothing is created when
// they refuse), and AWS's faults placed beside the form's field.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RestoreDBClusterToPointInTimeCommand } from '@aws-sdk/client-rds';
import { startEmulator, type RunningEmulator } from '@/lib/emulator';

const h = vi.hoisted(() => ({ url: '' }));
vi.mock('@/lib/env', () => ({
  getEnv: () => ({
    backend: 'local',
    regions: ['us-east-1', 'eu-west-1'],
    emulator: { url: h.url, accessKeyId: 'local', secretAccessKey: 'localsecret', profile: 'test' },
  }),
}));

import { AppError } from '@/lib/errors';
import { countAwsCalls, rdsClient, resetAwsCallCounters, resetAwsClients } from '../clients';
import { toAppError } from '../errors';
import { clearReadCache } from '../read-cache';
import { findCluster, getCluster, listClusters } from './clusters';
import { createCluster } from './create';
import { restoreFromSnapshot, restoreToPointInTime } from './restore';
import { checkDeleteSnapshot, createClusterSnapshot, deleteClusterSnapshot, getClusterSnapshot, listClusterSnapshots } from './snapshots';

const R = 'us-east-1';
let emu: RunningEmulator;
let durations: Record<string, number> = {};
const setDurations = (d: Record<string, number>) =>
  fetch(`${emu.url}/_emulator/config/durations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(d) });

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    clearReadCache();
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function newCluster(id: string, engine: 'aurora-mysql' | 'aurora-postgresql' = 'aurora-postgresql') {
  await createCluster({
    region: R, engine, identifier: id, masterUsername: 'admin', masterPassword: 'Sup3r-secret!', manageMasterPassword: false, instanceClass: 'db.r6g.large',
    multiAZ: false, backupRetention: 1, backtrackHours: 0, encrypted: false, deletionProtection: false, tags: [],
  });
  return until(`${id} available`, async () => {
    const c = await getCluster(R, id, { maxAgeMs: 0 });
    return c.status === 'available' && c.instances.length === 1 && !c.anyTransitional && c;
  });
}

async function availableSnapshot(clusterId: string, snapshotId: string) {
  await createClusterSnapshot(R, clusterId, snapshotId);
  return until(`${snapshotId} available`, async () => {
    const s = await getClusterSnapshot(R, snapshotId);
    return s.status === 'available' && s;
  });
}

/** The AppError a call threw (fails the test when it resolved). */
async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const clusterIds = async () => (await listClusters(R, { maxAgeMs: 0 })).map((c) => c.id).sort();

beforeAll(async () => {
  emu = await startEmulator({ port: 0, dataDir: ':memory:', profile: 'test' });
  h.url = emu.url;
  resetAwsClients();
  durations = ((await (await fetch(`${emu.url}/_emulator/config/durations`)).json()) as { durations: Record<string, number> }).durations;
});
afterAll(async () => {
  resetAwsClients();
  await emu?.close();
});
beforeEach(async () => {
  await fetch(`${emu.url}/_emulator/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  await setDurations(durations);
  clearReadCache();
  resetAwsCallCounters();
});

describe('snapshots', () => {
  it('takes a manual snapshot: creating, then available, listed with its type, engine and size; the cluster shows its restorable window', async () => {
    const c = await newCluster('snap-src');
    expect(c.backupRetentionPeriod).toBe(1);
    expect(c.preferredBackupWindow).toMatch(/^\d{2}:\d{2}-\d{2}:\d{2}$/);
    expect(Date.parse(c.earliestRestorableTime!)).toBeLessThanOrEqual(Date.parse(c.latestRestorableTime!));
    const made = await createClusterSnapshot(R, 'snap-src', 'snap-src-one');
    expect(made.data).toMatchObject({ id: 'snap-src-one', clusterId: 'snap-src', type: 'manual', status: 'creating', engine: 'aurora-postgresql' });
    expect(made.awsRequestId).toBeTruthy();
    const s = await availableSnapshot('snap-src', 'snap-src-two');
    expect(s.createdAt && Date.parse(s.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    const page = await listClusterSnapshots(R, 'snap-src', { maxAgeMs: 0 });
    expect(page.snapshots.map((x) => x.id)).toEqual(expect.arrayContaining(['snap-src-one', 'snap-src-two']));
    expect(page.snapshots.every((x) => x.clusterId === 'snap-src' && typeof x.allocatedStorageGiB === 'number')).toBe(true);
  });

  it('pages with Marker: 25 snapshots come as 20 + 5', async () => {
    await newCluster('snap-many');
    for (let n = 0; n < 25; n++) await createClusterSnapshot(R, 'snap-many', `snap-many-${String(n).padStart(2, '0')}`);
    const manual = (p: { snapshots: { type: string }[] }) => p.snapshots.filter((s) => s.type === 'manual').length;
    const first = await listClusterSnapshots(R, 'snap-many', { maxAgeMs: 0, type: 'manual' });
    expect(manual(first)).toBe(20);
    expect(first.nextMarker).toBeTruthy();
    const second = await listClusterSnapshots(R, 'snap-many', { maxAgeMs: 0, type: 'manual', marker: first.nextMarker });
    expect(manual(second)).toBe(5);
    expect(second.nextMarker).toBeUndefined();
    expect(new Set([...first.snapshots, ...second.snapshots].map((s) => s.id)).size).toBe(25);
  });

  it('an existing snapshot name is refused beside the snapshot field with a message that says what to do', async () => {
    await availableSnapshot((await newCluster('snap-dup')).id, 'snap-dup-a');
    const e = await refusal(createClusterSnapshot(R, 'snap-dup', 'snap-dup-a'));
    expect(e.code).toBe('SNAPSHOT_ALREADY_EXISTS');
    expect(e.fieldErrors?.snapshotId?.[0]).toMatch(/already exists.*Choose another/);
  });

  it('deletes a manual snapshot; refuses one still creating, an automated one and another cluster\'s, before any DeleteDBClusterSnapshot', async () => {
    await newCluster('snap-del');
    await newCluster('snap-other');
    await availableSnapshot('snap-other', 'snap-other-a');
    // Creating: made slow, so it is still creating when the delete is asked for.
    await setDurations({ createSnapshot: 60_000 });
    await createClusterSnapshot(R, 'snap-del', 'snap-del-slow');
    resetAwsCallCounters();
    const creating = await refusal(checkDeleteSnapshot(R, 'snap-del', 'snap-del-slow'));
    expect(creating.fieldErrors?.snapshotId?.[0]).toMatch(/still being created/);
    const other = await refusal(deleteClusterSnapshot(R, 'snap-del', 'snap-other-a'));
    expect(other.fieldErrors?.snapshotId?.[0]).toMatch(/belongs to cluster snap-other/);
    expect(countAwsCalls({ operation: 'DeleteDBClusterSnapshot' })).toBe(0);

    const automated = (await listClusterSnapshots(R, 'snap-del', { maxAgeMs: 0, type: 'automated' })).snapshots[0];
    expect(automated?.type).toBe('automated');
    const e = await refusal(deleteClusterSnapshot(R, 'snap-del', automated.id));
    expect(e.fieldErrors?.snapshotId?.[0]).toMatch(/automated backup.*Only manual snapshots can be deleted/);
    expect(countAwsCalls({ operation: 'DeleteDBClusterSnapshot' })).toBe(0);

    await setDurations(durations);
    await availableSnapshot('snap-del', 'snap-del-fast');
    await deleteClusterSnapshot(R, 'snap-del', 'snap-del-fast');
    const gone = await refusal(until('snap-del-fast gone', async () => !(await getClusterSnapshot(R, 'snap-del-fast'))));
    expect(gone.code).toBe('SNAPSHOT_NOT_FOUND');
    expect(gone.fieldErrors?.snapshotId?.[0]).toMatch(/not found|does not exist/i);
  });
});

describe('restores', () => {
  it('restores a snapshot to a new cluster, then adds its writer and readers with CreateDBInstance', async () => {
    await newCluster('rs-src');
    await availableSnapshot('rs-src', 'rs-src-a');
    const r = await restoreFromSnapshot(R, { snapshotId: 'rs-src-a', engine: 'aurora-postgresql', identifier: 'rs-new', instanceClass: 'db.r6g.large', readers: 1 });
    expect(r.data).toMatchObject({ clusterId: 'rs-new', complete: true });
    expect(r.data.steps.map((s) => `${s.kind}:${s.id}`)).toEqual(['cluster:rs-new', 'writer:rs-new-instance-1', 'reader:rs-new-instance-2']);
    const c = await until('rs-new available with 2 instances', async () => {
      const x = await getCluster(R, 'rs-new', { maxAgeMs: 0 });
      return x.status === 'available' && x.instances.length === 2 && !x.anyTransitional && x;
    });
    expect(c.engine).toBe('aurora-postgresql');
    expect(c.instances.map((i) => i.role)).toEqual(['writer', 'reader']);
  });

  it('bad input to a snapshot restore: an existing identifier, a snapshot still creating, the other engine family — refused beside the field, nothing created', async () => {
    await newCluster('rs-bad');
    await availableSnapshot('rs-bad', 'rs-bad-a');
    const before = await clusterIds();
    resetAwsCallCounters();
    const exists = await refusal(restoreFromSnapshot(R, { snapshotId: 'rs-bad-a', engine: 'aurora-postgresql', identifier: 'rs-bad', instanceClass: 'db.r6g.large', readers: 0 }));
    expect(exists.code).toBe('CLUSTER_ALREADY_EXISTS');
    expect(exists.fieldErrors?.identifier?.[0]).toMatch(/already exists.*choose another/);
    const family = await refusal(restoreFromSnapshot(R, { snapshotId: 'rs-bad-a', engine: 'aurora-mysql', identifier: 'rs-bad-my', instanceClass: 'db.r6g.large', readers: 0 }));
    expect(family.fieldErrors?.engine?.[0]).toMatch(/aurora-postgresql database; it can be restored only as Aurora PostgreSQL, not as aurora-mysql/);
    await setDurations({ createSnapshot: 60_000 });
    await createClusterSnapshot(R, 'rs-bad', 'rs-bad-slow');
    const creating = await refusal(restoreFromSnapshot(R, { snapshotId: 'rs-bad-slow', engine: 'aurora-postgresql', identifier: 'rs-bad-b', instanceClass: 'db.r6g.large', readers: 0 }));
    expect(creating.fieldErrors?.snapshotId?.[0]).toMatch(/still being created.*restore it once it is available/);
    const cls = await refusal(restoreFromSnapshot(R, { snapshotId: 'rs-bad-a', engine: 'aurora-postgresql', identifier: 'rs-bad-c', instanceClass: 'db.x9.huge', readers: 0 }));
    expect(cls.fieldErrors?.instanceClass?.[0]).toMatch(/not offered/);
    expect(countAwsCalls({ operation: 'RestoreDBClusterFromSnapshot' }) + countAwsCalls({ operation: 'CreateDBInstance' })).toBe(0);
    expect(await clusterIds()).toEqual(before);
  });

  it('restores to a point in time (and clones) as a new cluster with its writer', async () => {
    const src = await newCluster('pitr-src');
    const at = new Date(src.latestRestorableTime!);
    const r = await restoreToPointInTime(R, { sourceClusterId: 'pitr-src', at, restoreType: 'full-copy', identifier: 'pitr-new', instanceClass: 'db.r6g.large', readers: 0 });
    expect(r.data).toMatchObject({ clusterId: 'pitr-new', complete: true, restoredTo: at.toISOString() });
    const clone = await restoreToPointInTime(R, { sourceClusterId: 'pitr-src', restoreType: 'copy-on-write', identifier: 'pitr-clone', instanceClass: 'db.r6g.large', readers: 0 });
    expect(clone.data.complete).toBe(true);
    for (const id of ['pitr-new', 'pitr-clone']) {
      await until(`${id} available`, async () => {
        const x = await getCluster(R, id, { maxAgeMs: 0 });
        return x.status === 'available' && x.instances.length === 1 && x.instances[0].role === 'writer' && !x.anyTransitional;
      });
    }
  });

  it('bad input to a point-in-time restore: before the earliest or after the latest restorable time, an existing identifier — refused beside the field, nothing created', async () => {
    const src = await newCluster('pitr-bad');
    const before = await clusterIds();
    resetAwsCallCounters();
    const early = await refusal(restoreToPointInTime(R, { sourceClusterId: 'pitr-bad', at: new Date(Date.parse(src.earliestRestorableTime!) - 3_600_000), restoreType: 'full-copy', identifier: 'pitr-bad-1', instanceClass: 'db.r6g.large', readers: 0 }));
    expect(early.code).toBe('INVALID_RESTORE');
    expect(early.fieldErrors?.restoreTo?.[0]).toMatch(/before the earliest restorable time of pitr-bad.*Pick a later moment/);
    const late = await refusal(restoreToPointInTime(R, { sourceClusterId: 'pitr-bad', at: new Date(Date.now() + 3_600_000), restoreType: 'full-copy', identifier: 'pitr-bad-2', instanceClass: 'db.r6g.large', readers: 0 }));
    expect(late.fieldErrors?.restoreTo?.[0]).toMatch(/after the latest restorable time of pitr-bad.*latest restorable time/);
    const exists = await refusal(restoreToPointInTime(R, { sourceClusterId: 'pitr-bad', restoreType: 'full-copy', identifier: 'pitr-bad', instanceClass: 'db.r6g.large', readers: 0 }));
    expect(exists.fieldErrors?.identifier?.[0]).toMatch(/already exists/);
    expect(countAwsCalls({ operation: 'RestoreDBClusterToPointInTime' }) + countAwsCalls({ operation: 'CreateDBInstance' })).toBe(0);
    expect(await clusterIds()).toEqual(before);
    expect(await findCluster(R, 'pitr-bad-1', { maxAgeMs: 0 })).toBeNull();
  });

  it("AWS's own InvalidRestoreFault (a time the console did not check) is mapped beside the time field", async () => {
    await newCluster('pitr-fault');
    const e = await rdsClient(R)
      .send(new RestoreDBClusterToPointInTimeCommand({ DBClusterIdentifier: 'pitr-fault-x', SourceDBClusterIdentifier: 'pitr-fault', RestoreToTime: new Date(Date.now() + 86_400_000) }))
      .then(() => undefined, (x: unknown) => x);
    expect((e as { name?: string }).name).toBe('InvalidRestoreFault');
    const app = toAppError(e, { INVALID_RESTORE: 'restoreTo' });
    expect(app.code).toBe('INVALID_RESTORE');
    expect(app.fieldErrors?.restoreTo?.[0]).toMatch(/restorable window.*Check the restorable window/);
    const both = await rdsClient(R)
      .send(new RestoreDBClusterToPointInTimeCommand({ DBClusterIdentifier: 'pitr-fault-y', SourceDBClusterIdentifier: 'pitr-fault', RestoreToTime: new Date(), UseLatestRestorableTime: true }))
      .then(() => undefined, (x: unknown) => x);
    expect((both as { name?: string }).name).toBe('InvalidParameterCombination');
    expect(toAppError(both, { INVALID_PARAMETER: 'restoreTo' }).fieldErrors?.restoreTo?.[0]).toMatch(/UseLatestRestorableTime/);
  });
});
