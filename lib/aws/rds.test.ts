import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/lib/emulator';

const h = vi.hoisted(() => ({ url: '' }));
vi.mock('@/lib/env', () => ({
  getEnv: () => ({
    backend: 'local',
    regions: ['us-east-1', 'eu-west-1'],
    emulator: { url: h.url, accessKeyId: 'local', secretAccessKey: 'localsecret', profile: 'test' },
  }),
}));

import { countAwsCalls, getAwsCallCounters, resetAwsCallCounters, resetAwsClients } from './clients';
import { AppError } from '@/lib/errors';
import { clearReadCache } from './read-cache';
import { listEngineVersions, listOrderableClasses, listSubnetGroups } from './rds/catalogue';
import { getCluster, listClusters, listFleet } from './rds/clusters';
import { createCluster, retryCreateStep, type CreateClusterParams } from './rds/create';
import { deleteCluster } from './rds/delete-cluster';
import { listEvents, mentionsCluster, namedAfterCluster } from './rds/events';
import { addReader, deleteInstance, modifyInstance, rebootInstance } from './rds/instances';

let emu: RunningEmulator;

async function control(path: string, body?: unknown) {
  const res = await fetch(`${emu.url}/_emulator/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.ok).toBe(true);
  return res.json();
}

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await fn();
  while (!ok(v)) {
    if (Date.now() > end) throw new Error(`timed out; last value ${JSON.stringify(v).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 150));
    v = await fn();
  }
  return v;
}

const base = (over: Partial<CreateClusterParams> = {}): CreateClusterParams => ({
  region: 'us-east-1',
  engine: 'aurora-mysql',
  identifier: 'Orders-DB',
  masterUsername: 'admin',
  masterPassword: 'Sup3r-secret!',
  manageMasterPassword: false,
  instanceClass: 'db.r6g.large',
  multiAZ: true,
  backupRetention: 7,
  backtrackHours: 24,
  encrypted: true,
  deletionProtection: false,
  tags: [{ key: 'team', value: 'orders' }],
  ...over,
});

beforeAll(async () => {
  emu = await startEmulator({ port: 0, dataDir: ':memory:', profile: 'test' });
  h.url = emu.url;
  resetAwsClients();
});
afterAll(async () => {
  resetAwsClients();
  await emu?.close();
});
beforeEach(async () => {
  await control('reset', {});
  resetAwsCallCounters();
  // The control API changes state behind the client's back; start every test with no cached reads.
  clearReadCache();
});

describe('rds layer against the local endpoint', () => {
  it('lists the seeded fleet with one paginated describe per kind and region', async () => {
    await control('seed', { profile: 'demo' });
    resetAwsCallCounters();
    const fleet = await listFleet(['us-east-1', 'eu-west-1']);
    expect(fleet.every((r) => r.ok)).toBe(true);
    const all = fleet.flatMap((r) => (r.ok ? r.clusters : []));
    expect(all.length).toBeGreaterThan(1);
    for (const c of all) {
      expect(c.engine).toMatch(/^aurora-(mysql|postgresql)$/);
      if (c.instanceCount > 0) expect(c.writerId).toBeTruthy();
      expect(c.instances.filter((i) => i.role === 'writer').length).toBeLessThanOrEqual(1);
    }
    // Never one call per cluster: per region, DescribeDBClusters + DescribeDBInstances pages only.
    for (const region of ['us-east-1', 'eu-west-1']) {
      expect(countAwsCalls({ operation: 'DescribeDBClusters', region })).toBe(1);
      expect(countAwsCalls({ operation: 'DescribeDBInstances', region })).toBe(1);
    }
    expect(getAwsCallCounters().every((e) => e.service === 'rds')).toBe(true);
  });

  it('one failing region does not blank the others', async () => {
    await control('seed', { profile: 'demo' });
    const fleet = await listFleet(['us-east-1', 'xx-nowhere-1']);
    // The emulator accepts any region name; a region with no clusters is ok and empty.
    expect(fleet[0].ok).toBe(true);
    // Inject a fault for one operation and see the region fail with a readable message.
    await control('faults', { operation: 'DescribeDBClusters', errorCount: 10, errorStatus: 500 });
    clearReadCache(); // otherwise the good answer of a moment ago is served for 2 s
    const bad = await listFleet(['us-east-1']);
    expect(bad[0].ok).toBe(false);
    if (!bad[0].ok) expect(bad[0].error).toMatch(/server error.*us-east-1/i);
    await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' });
  });

  it('creates a Multi-AZ aurora-mysql cluster: cluster, writer and reader in two AZs', async () => {
    const r = await createCluster(base());
    expect(r.data.complete).toBe(true);
    expect(r.data.clusterId).toBe('orders-db');
    expect(r.data.steps.map((s) => `${s.kind}:${s.id}:${s.ok}`)).toEqual([
      'cluster:orders-db:true',
      'writer:orders-db-instance-1:true',
      'reader:orders-db-instance-2:true',
    ]);
    expect(r.awsRequestId).toBeTruthy();
    const c = await waitFor(() => getCluster('us-east-1', 'ORDERS-DB'), (c) => !c.anyTransitional);
    expect(c.status).toBe('available');
    expect(c.writerId).toBe('orders-db-instance-1');
    expect(c.readerCount).toBe(1);
    expect(new Set(c.instances.map((i) => i.az)).size).toBe(2);
    expect(c.endpoint).toMatch(/^orders-db\.cluster-[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$/);
    expect(c.readerEndpoint).toMatch(/^orders-db\.cluster-ro-/);
    expect(c.port).toBe(3306);
    expect(c.backtrackWindowSeconds).toBe(86400);
    expect(c.storageEncrypted).toBe(true);
    expect(c.backupRetentionPeriod).toBe(7);
    expect(c.masterUsername).toBe('admin');
    expect(JSON.stringify(c)).not.toContain('Sup3r-secret!');
    expect(c.tags).toContainEqual({ key: 'team', value: 'orders' });
  });

  it('reports exactly which steps succeeded when the writer fails, and retries it', async () => {
    await control('faults', { operation: 'CreateDBInstance', errorCount: 5, errorStatus: 500 });
    const r = await createCluster(base({ identifier: 'half-built', backtrackHours: 0 }));
    await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' });
    expect(r.data.complete).toBe(false);
    expect(r.data.steps[0]).toMatchObject({ kind: 'cluster', ok: true });
    expect(r.data.steps[1]).toMatchObject({ kind: 'writer', ok: false, code: 'AWS_UNAVAILABLE' });
    expect(r.data.steps[2]).toMatchObject({ kind: 'reader', ok: false, skipped: true });
    // A reader cannot come before the writer.
    await expect(retryCreateStep('us-east-1', 'half-built', { kind: 'reader', instanceId: 'half-built-instance-2', instanceClass: 'db.r6g.large' })).rejects.toMatchObject({ code: 'NO_WRITER' });
    const w = await retryCreateStep('us-east-1', 'half-built', { kind: 'writer', instanceId: 'half-built-instance-1', instanceClass: 'db.r6g.large' });
    expect(w.data.ok).toBe(true);
    const c = await getCluster('us-east-1', 'half-built');
    expect(c.writerId).toBe('half-built-instance-1');
    await expect(retryCreateStep('us-east-1', 'half-built', { kind: 'writer', instanceId: 'half-built-instance-1', instanceClass: 'db.r6g.large' })).rejects.toMatchObject({ code: 'ALREADY_DONE' });
  });

  it('maps a duplicate identifier to a field error and refuses PostgreSQL backtrack at the endpoint', async () => {
    await createCluster(base({ multiAZ: false }));
    const dup = await createCluster(base({ multiAZ: false })).catch((e) => e);
    expect(dup).toBeInstanceOf(AppError);
    expect(dup).toMatchObject({ code: 'CLUSTER_ALREADY_EXISTS', status: 409 });
    expect(dup.fieldErrors?.identifier?.[0]).toMatch(/already exists in us-east-1/);
    const pg = await createCluster(base({ identifier: 'pg-one', engine: 'aurora-postgresql', multiAZ: false, backtrackHours: 0 }));
    expect(pg.data.complete).toBe(true);
    const c = await getCluster('us-east-1', 'pg-one');
    expect(c.port).toBe(5432);
    expect(c.backtrackWindowSeconds ?? 0).toBe(0);
  });

  it('adds readers, changes tier, reboots, removes a reader, and shows the steps as events', async () => {
    await createCluster(base({ identifier: 'life', multiAZ: false }));
    await waitFor(() => getCluster('us-east-1', 'life'), (c) => !c.anyTransitional);
    const r1 = await addReader('us-east-1', 'life', { instanceClass: 'db.r6g.large', promotionTier: 2 });
    expect(r1.data.id).toBe('life-instance-2');
    // Not available while the reader is being created? The cluster itself stays available; add another.
    const r2 = await addReader('us-east-1', 'life', { instanceClass: 'db.r6g.large', promotionTier: 3 });
    expect(r2.data.id).toBe('life-instance-3');
    let c = await waitFor(() => getCluster('us-east-1', 'life'), (c) => !c.anyTransitional);
    expect(c.instances.map((i) => `${i.id}:${i.role}:${i.promotionTier}`)).toEqual([
      'life-instance-1:writer:1',
      'life-instance-2:reader:2',
      'life-instance-3:reader:3',
    ]);
    await modifyInstance('us-east-1', 'life', 'life-instance-3', { promotionTier: 0 });
    c = await waitFor(() => getCluster('us-east-1', 'life'), (c) => !c.anyTransitional);
    expect(c.instances[1].id).toBe('life-instance-3');
    await rebootInstance('us-east-1', 'life', 'life-instance-2');
    await waitFor(() => getCluster('us-east-1', 'life'), (c) => !c.anyTransitional);
    // The writer is not removed while readers exist.
    await expect(deleteInstance('us-east-1', 'life', 'life-instance-1')).rejects.toMatchObject({ code: 'WRITER_DELETE_REFUSED' });
    // An instance of another cluster cannot be reached through this one.
    await createCluster(base({ identifier: 'other', multiAZ: false }));
    await expect(rebootInstance('us-east-1', 'life', 'other-instance-1')).rejects.toMatchObject({ code: 'INSTANCE_NOT_FOUND', status: 404 });
    await deleteInstance('us-east-1', 'life', 'life-instance-2');
    c = await waitFor(() => getCluster('us-east-1', 'life'), (c) => c.instanceCount === 2 && !c.anyTransitional);
    const events = await listEvents('us-east-1', 'life', c.instances.map((i) => i.id));
    const msgs = events.map((e) => `${e.sourceId}: ${e.message}`);
    expect(msgs.some((m) => m.startsWith('life:') && /created/i.test(m))).toBe(true);
    expect(msgs.some((m) => m.startsWith('life-instance-2:') && /deleted/i.test(m))).toBe(true);
    expect(msgs.some((m) => m.startsWith('other'))).toBe(false);
    const dates = events.map((e) => e.date);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('refuses to add a reader unless the cluster is available', async () => {
    await createCluster(base({ identifier: 'busy', multiAZ: false }));
    const e = await addReader('us-east-1', 'busy', { instanceClass: 'db.r6g.large', promotionTier: 1 }).catch((x) => x);
    expect(e).toMatchObject({ code: 'INVALID_CLUSTER_STATE', status: 409 });
    expect(e.message).toMatch(/busy is creating; readers can be added only while it is available/);
  });

  it('deletes a cluster: explains instances and deletion protection, then deletes readers, writer and cluster', async () => {
    await createCluster(base({ identifier: 'doomed', deletionProtection: true }));
    await waitFor(() => getCluster('us-east-1', 'doomed'), (c) => !c.anyTransitional);
    await expect(deleteCluster('us-east-1', 'doomed', { skipFinalSnapshot: true, deleteInstances: true })).rejects.toMatchObject({ code: 'DELETION_PROTECTED' });
    await createCluster(base({ identifier: 'doomed2' }));
    await waitFor(() => getCluster('us-east-1', 'doomed2'), (c) => !c.anyTransitional);
    await expect(deleteCluster('us-east-1', 'doomed2', { skipFinalSnapshot: true, deleteInstances: false })).rejects.toMatchObject({ code: 'CLUSTER_HAS_INSTANCES' });
    const r = await deleteCluster('us-east-1', 'doomed2', { skipFinalSnapshot: false, finalSnapshotId: 'doomed2-final', deleteInstances: true });
    expect(r.data.deletedInstances).toEqual(['doomed2-instance-2', 'doomed2-instance-1']);
    const gone = await waitFor(
      () => getCluster('us-east-1', 'doomed2').then(() => null, (e) => e),
      (e) => e !== null,
    );
    expect(gone).toMatchObject({ code: 'CLUSTER_NOT_FOUND', status: 404 });
  });

  it('reads the create-form catalogue', async () => {
    const mysql = await listEngineVersions('us-east-1', 'aurora-mysql');
    expect(mysql.length).toBeGreaterThan(0);
    expect(mysql.every((v) => v.engine === 'aurora-mysql')).toBe(true);
    const pg = await listEngineVersions('us-east-1', 'aurora-postgresql');
    expect(pg.every((v) => v.engine === 'aurora-postgresql')).toBe(true);
    const classes = await listOrderableClasses('us-east-1', 'aurora-mysql', mysql[0].version);
    expect(classes.map((c) => c.instanceClass)).toContain('db.r6g.large');
    expect(classes[0].availabilityZones.every((az) => az.startsWith('us-east-1'))).toBe(true);
    const groups = await listSubnetGroups('us-east-1');
    expect(groups.map((g) => g.name)).toContain('default');
  });

  it('backs off and succeeds through throttling (adaptive retry)', async () => {
    await control('faults', { operation: 'DescribeDBClusters', throttleCount: 2 });
    resetAwsCallCounters();
    const list = await listClusters('us-east-1');
    expect(Array.isArray(list)).toBe(true);
    const entry = getAwsCallCounters().find((e) => e.operation === 'DescribeDBClusters');
    expect(entry).toMatchObject({ calls: 1, attempts: 3 });
    await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' });
  });

  it('says which region cannot reach the local endpoint when it is down', async () => {
    const saved = h.url;
    h.url = 'http://127.0.0.1:9'; // discard port: nothing listens
    resetAwsClients();
    try {
      const fleet = await listFleet(['eu-west-1']);
      expect(fleet[0].ok).toBe(false);
      if (!fleet[0].ok) {
        expect(fleet[0].code).toBe('UNREACHABLE');
        expect(fleet[0].error).toMatch(/^Cannot reach the local endpoint \(http:\/\/127\.0\.0\.1:9\) in eu-west-1 \(ECONNREFUSED\)/);
      }
    } finally {
      h.url = saved;
      resetAwsClients();
    }
  });
});

describe('shared read cache', () => {
  it('serves concurrent viewers of a cluster with one describe, and a write makes the next read fresh', async () => {
    await control('seed', { profile: 'demo' });
    resetAwsCallCounters();
    const views = await Promise.all(Array.from({ length: 10 }, () => getCluster('us-east-1', 'orders-prod')));
    expect(new Set(views.map((v) => v.instances.length)).size).toBe(1);
    expect(countAwsCalls({ service: 'rds', operation: 'DescribeDBClusters' })).toBe(1);
    const before = views[0].instances.length;
    await addReader('us-east-1', 'orders-prod', { instanceId: 'orders-prod-cache', instanceClass: 'db.r6g.large', promotionTier: 2 });
    const after = await getCluster('us-east-1', 'orders-prod');
    expect(after.instances.length).toBe(before + 1);
    expect(after.instances.find((i) => i.id === 'orders-prod-cache')?.status).toBe('creating');
  });

  it("a read that finds the region down drops the region's other cached reads: the next one says so", async () => {
    await control('seed', { profile: 'demo' });
    expect((await getCluster('us-east-1', 'orders-prod')).status).toBe('available');
    await control('regions/us-east-1/outage', { unreachable: true });
    try {
      const fleet = await listFleet(['us-east-1', 'eu-west-1']);
      expect(fleet.map((r) => r.ok)).toEqual([false, true]);
      // Without the outage the cluster's read of a moment ago would be served from the cache.
      const e = await getCluster('us-east-1', 'orders-prod').then(() => null, (x: unknown) => x);
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).message).toMatch(/us-east-1/);
      // The other region's reads stay cached.
      resetAwsCallCounters();
      await listFleet(['eu-west-1']);
      expect(countAwsCalls({ service: 'rds', operation: 'DescribeDBClusters' })).toBe(0);
    } finally {
      await control('regions/us-east-1/outage', { unreachable: false });
    }
  });
});

describe('which instance events belong to a cluster', () => {
  it("a removed reader's default names count; another cluster's instances that share the prefix do not", () => {
    expect(namedAfterCluster('orders-prod-4', 'orders-prod')).toBe(true);
    expect(namedAfterCluster('orders-prod-instance-1', 'orders-prod')).toBe(true);
    expect(namedAfterCluster('Orders-Prod-Reader', 'orders-prod')).toBe(true);
    expect(namedAfterCluster('orders-prod-1', 'orders')).toBe(false);
    expect(namedAfterCluster('ordersx-1', 'orders')).toBe(false);
  });
  it('a message mentions the cluster only by its whole id', () => {
    expect(mentionsCluster('DB instance restarted (cluster orders-prod).', 'orders-prod')).toBe(true);
    expect(mentionsCluster('Completed failover for orders-prod', 'orders-prod')).toBe(true);
    expect(mentionsCluster('Completed failover for orders-prod', 'orders')).toBe(false);
    expect(mentionsCluster('Cluster my-orders was modified', 'orders')).toBe(false);
  });
});
