// Aurora Global Database conformance: the real @aws-sdk/client-rds against the local endpoint (simulated engines).
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  CreateGlobalClusterCommand,
  DeleteDBClusterCommand,
  DeleteGlobalClusterCommand,
  DescribeDBClustersCommand,
  DescribeEventsCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  ModifyGlobalClusterCommand,
  RemoveFromGlobalClusterCommand,
  SwitchoverGlobalClusterCommand,
  type GlobalCluster,
  type RDSClient,
  type SourceType,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fault, startHarness, type Harness } from '@/lib/testing/emulator-rds';

let h: Harness;
let east: RDSClient;
let west: RDSClient;
const E = 'us-east-1';
const W = 'eu-west-1';
// The endpoint's extension: global-cluster events (the SDK's SourceType enum does not list the value).
const GLOBAL_SOURCE = 'global-cluster' as SourceType;
const arn = (region: string, id: string) => `arn:aws:rds:${region}:123456789012:cluster:${id}`;

async function primaryCluster(id: string, rds = east, engine = 'aurora-postgresql', version?: string) {
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: engine, EngineVersion: version, MasterUsername: 'master', MasterUserPassword: 'Sup3rSecret!', DatabaseName: 'app' }));
  await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `${id}-1`, DBClusterIdentifier: id, Engine: engine, DBInstanceClass: 'db.r6g.large' }));
  h.advance(2000);
}

async function secondary(gid: string, id: string, rds = west, engine = 'aurora-postgresql') {
  const r = await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: engine, GlobalClusterIdentifier: gid }));
  await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `${id}-1`, DBClusterIdentifier: id, Engine: engine, DBInstanceClass: 'db.r6g.large' }));
  h.advance(2000);
  return r.DBCluster!;
}

const describeGlobal = async (id: string, rds = east): Promise<GlobalCluster> =>
  (await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: id }))).GlobalClusters![0];
const roles = (g: GlobalCluster) => Object.fromEntries(g.GlobalClusterMembers!.map((m) => [m.DBClusterArn!, m.IsWriter ? 'writer' : m.SynchronizationStatus]));

beforeAll(async () => {
  h = await startHarness();
  east = h.client(E);
  west = h.client(W);
});
afterAll(async () => h.close());

describe('CreateGlobalCluster / DescribeGlobalClusters', () => {
  it('creates from an existing cluster (SourceDBClusterIdentifier ARN) and is visible from every region', async () => {
    await primaryCluster('g1-east', east, 'aurora-postgresql', '15.7');
    const r = await east.send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: 'g1', SourceDBClusterIdentifier: arn(E, 'g1-east') }));
    expect(r.GlobalCluster).toMatchObject({
      GlobalClusterIdentifier: 'g1',
      GlobalClusterArn: 'arn:aws:rds::123456789012:global-cluster:g1',
      Status: 'available',
      Engine: 'aurora-postgresql',
      DatabaseName: 'app',
      GlobalClusterMembers: [{ DBClusterArn: arn(E, 'g1-east'), IsWriter: true, Readers: [], SynchronizationStatus: 'connected' }],
    });
    expect(r.GlobalCluster!.Endpoint).toMatch(/^g1\.global-[a-z0-9]{12}\.global\.rds\.amazonaws\.com$/);
    expect(r.GlobalCluster!.FailoverState).toBeUndefined();
    const fromWest = await describeGlobal('g1', west);
    expect(fromWest.GlobalClusterArn).toBe(r.GlobalCluster!.GlobalClusterArn);
    const c = (await east.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'g1-east' }))).DBClusters![0];
    expect(c.GlobalClusterIdentifier).toBe('g1');
    expect(c.DBClusterMembers![0].IsClusterWriter).toBe(true);
  });

  it('creates an empty one from Engine/EngineVersion, pages, filters, and refuses duplicates and unknown ids', async () => {
    const r = await east.send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: 'empty-g', Engine: 'aurora-mysql', EngineVersion: '8.0' }));
    expect(r.GlobalCluster).toMatchObject({ Engine: 'aurora-mysql', GlobalClusterMembers: [] });
    expect(r.GlobalCluster!.EngineVersion).toMatch(/^8\.0/);
    const dup = await fault(() => west.send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: 'empty-g', Engine: 'aurora-mysql' })));
    expect([dup.name, dup.status]).toEqual(['GlobalClusterAlreadyExistsFault', 400]);
    const nf = await fault(() => east.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'nope' })));
    expect([nf.name, nf.status]).toEqual(['GlobalClusterNotFoundFault', 404]);
    const both = await fault(() => east.send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: 'x', SourceDBClusterIdentifier: arn(E, 'g1-east'), Engine: 'aurora-postgresql' })));
    expect(both.name).toBe('InvalidParameterCombination');
    const again = await fault(() => east.send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: 'x', SourceDBClusterIdentifier: arn(E, 'g1-east') })));
    expect(again.name).toBe('InvalidDBClusterStateFault');
    const missing = await fault(() => east.send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: 'x', SourceDBClusterIdentifier: arn(E, 'ghost') })));
    expect(missing.name).toBe('DBClusterNotFoundFault');
    const filtered = await west.send(new DescribeGlobalClustersCommand({ Filters: [{ Name: 'global-cluster-id', Values: ['empty-g'] }] }));
    expect(filtered.GlobalClusters!.map((g) => g.GlobalClusterIdentifier)).toEqual(['empty-g']);
    const page1 = await east.send(new DescribeGlobalClustersCommand({ MaxRecords: 20 }));
    expect(page1.GlobalClusters!.map((g) => g.GlobalClusterIdentifier)).toEqual(['empty-g', 'g1']);
    expect(page1.Marker).toBeUndefined();
    // Empty → the first CreateDBCluster becomes the primary (with credentials), later ones are secondaries.
    await east.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'eg-east', Engine: 'aurora-mysql', GlobalClusterIdentifier: 'empty-g', MasterUsername: 'admin', MasterUserPassword: 'Sup3rSecret!' }));
    expect(roles(await describeGlobal('empty-g'))).toEqual({ [arn(E, 'eg-east')]: 'writer' });
  });
});

describe('secondary clusters', () => {
  it('joins in another region without credentials; read-only members shown on both sides', async () => {
    const sec = await secondary('g1', 'g1-west');
    expect(sec.GlobalClusterIdentifier).toBe('g1');
    expect(sec.MasterUsername).toBe('master');
    expect(sec.Status).toBe('creating');
    const g = await describeGlobal('g1', west);
    expect(roles(g)).toEqual({ [arn(E, 'g1-east')]: 'writer', [arn(W, 'g1-west')]: 'connected' });
    expect(g.GlobalClusterMembers!.find((m) => m.IsWriter)!.Readers).toEqual([arn(W, 'g1-west')]);
    expect(g.GlobalClusterMembers!.find((m) => !m.IsWriter)!.GlobalWriteForwardingStatus).toBe('disabled');
    const c = (await west.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'g1-west' }))).DBClusters![0];
    expect(c).toMatchObject({ GlobalClusterIdentifier: 'g1', GlobalWriteForwardingStatus: 'disabled', Status: 'available' });
    expect(c.DBClusterMembers!.map((m) => [m.DBInstanceIdentifier, m.IsClusterWriter])).toEqual([['g1-west-1', false]]);
    // Without EngineVersion the secondary runs the global cluster's version, not the catalogue's default.
    expect(c.EngineVersion).toBe(g.EngineVersion);
  });

  it('refuses master credentials, a second member in one region, a wrong engine, and deleting a member', async () => {
    const creds = await fault(() => west.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'bad', Engine: 'aurora-postgresql', GlobalClusterIdentifier: 'g1', MasterUsername: 'x', MasterUserPassword: 'Sup3rSecret!' })));
    expect([creds.name, creds.status]).toEqual(['InvalidParameterCombination', 400]);
    const sameRegion = await fault(() => west.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'bad', Engine: 'aurora-postgresql', GlobalClusterIdentifier: 'g1' })));
    expect(sameRegion.name).toBe('InvalidGlobalClusterStateFault');
    const engine = await fault(() => h.client('ap-south-1').send(new CreateDBClusterCommand({ DBClusterIdentifier: 'bad', Engine: 'aurora-mysql', GlobalClusterIdentifier: 'g1' })));
    expect(engine.name).toBe('InvalidParameterCombination');
    const noGlobal = await fault(() => west.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'bad', Engine: 'aurora-postgresql', GlobalClusterIdentifier: 'nope' })));
    expect(noGlobal.name).toBe('GlobalClusterNotFoundFault');
    const del = await fault(() => west.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'g1-west', SkipFinalSnapshot: true })));
    expect(del.name).toBe('InvalidDBClusterStateFault');
    expect((await west.send(new DescribeDBClustersCommand({}))).DBClusters!.map((c) => c.DBClusterIdentifier)).toEqual(['g1-west']);
  });
});

describe('SwitchoverGlobalCluster', () => {
  it('refuses a non-member, the primary and an unknown global cluster', async () => {
    await primaryCluster('lonely', west);
    const notMember = await fault(() => east.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'g1', TargetDbClusterIdentifier: arn(W, 'lonely') })));
    expect([notMember.name, notMember.status]).toEqual(['InvalidParameterValue', 400]);
    const ghost = await fault(() => east.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'g1', TargetDbClusterIdentifier: arn(W, 'ghost') })));
    expect(ghost.name).toBe('DBClusterNotFoundFault');
    const primary = await fault(() => east.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'g1', TargetDbClusterIdentifier: arn(E, 'g1-east') })));
    expect(primary.name).toBe('InvalidParameterValue');
    const nf = await fault(() => east.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'nope', TargetDbClusterIdentifier: arn(W, 'g1-west') })));
    expect(nf.name).toBe('GlobalClusterNotFoundFault');
    expect((await describeGlobal('g1')).FailoverState).toBeUndefined();
  });

  it('goes pending → switching-over → done; roles swap; a second operation meanwhile is refused', async () => {
    const t0 = h.clock.now;
    const r = await west.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'g1', TargetDbClusterIdentifier: arn(W, 'g1-west') }));
    expect(r.GlobalCluster!.Status).toBe('switching-over');
    expect(r.GlobalCluster!.FailoverState).toEqual({ Status: 'pending', FromDbClusterArn: arn(E, 'g1-east'), ToDbClusterArn: arn(W, 'g1-west'), IsDataLossAllowed: false });
    const second = await fault(() => east.send(new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: 'g1', TargetDbClusterIdentifier: arn(W, 'g1-west'), AllowDataLoss: true })));
    expect(second.name).toBe('InvalidGlobalClusterStateFault');
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      const g = await describeGlobal('g1');
      const s = g.FailoverState?.Status ?? 'done';
      if (seen[seen.length - 1] !== s) seen.push(s);
      if (s === 'done') break;
      h.advance(100);
    }
    expect(seen).toEqual(['pending', 'switching-over', 'done']);
    const took = h.clock.now - t0;
    expect(took).toBeGreaterThanOrEqual(2500); // verify 500 ms + the target's lag + switchover 2 s (test profile)
    const g = await describeGlobal('g1');
    expect(roles(g)).toEqual({ [arn(W, 'g1-west')]: 'writer', [arn(E, 'g1-east')]: 'connected' });
    const west1 = (await west.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'g1-west' }))).DBClusters![0];
    const east1 = (await east.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'g1-east' }))).DBClusters![0];
    expect(west1.DBClusterMembers!.some((m) => m.IsClusterWriter)).toBe(true);
    expect(west1.GlobalWriteForwardingStatus).toBeUndefined();
    expect(east1.DBClusterMembers!.some((m) => m.IsClusterWriter)).toBe(false);
    const ev = await west.send(new DescribeEventsCommand({ SourceType: GLOBAL_SOURCE, SourceIdentifier: 'g1' }));
    expect(ev.Events!.map((e) => e.Message)).toEqual([
      `Global switchover to DB cluster g1-west in Region ${W} started.`,
      `Global switchover to DB cluster g1-west in Region ${W} completed.`,
    ]);
    const cev = await east.send(new DescribeEventsCommand({ SourceType: 'db-cluster', SourceIdentifier: 'g1-east' }));
    expect(cev.Events!.map((e) => e.Message).slice(-3)).toEqual([
      `Global switchover to DB cluster g1-west in Region ${W} started.`,
      `Global switchover to DB cluster g1-west in Region ${W} completed.`,
      'DB cluster is now a secondary cluster of global database g1.',
    ]);
  });

  it('refuses while a member is not in sync (a secondary still being created)', async () => {
    await h.client('ap-south-1').send(new CreateDBClusterCommand({ DBClusterIdentifier: 'g1-south', Engine: 'aurora-postgresql', GlobalClusterIdentifier: 'g1' }));
    const g = await describeGlobal('g1');
    expect(g.GlobalClusterMembers!.find((m) => m.DBClusterArn === arn('ap-south-1', 'g1-south'))!.SynchronizationStatus).toBe('pending-resync');
    const e = await fault(() => west.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'g1', TargetDbClusterIdentifier: arn(E, 'g1-east') })));
    expect(e.name).toBe('InvalidGlobalClusterStateFault');
    expect(e.message).toContain('g1-south');
    const notReady = await fault(() => west.send(new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: 'g1', TargetDbClusterIdentifier: arn('ap-south-1', 'g1-south'), AllowDataLoss: true })));
    expect(notReady.name).toBe('InvalidDBClusterStateFault');
    expect((await describeGlobal('g1')).FailoverState).toBeUndefined();
    h.advance(2000);
    await h.client('ap-south-1').send(new RemoveFromGlobalClusterCommand({ GlobalClusterIdentifier: 'g1', DbClusterIdentifier: arn('ap-south-1', 'g1-south') }));
  });
});

describe('FailoverGlobalCluster with AllowDataLoss and a regional outage', () => {
  it('promotes the secondary while the primary region is unreachable; the old primary rejoins after it comes back', async () => {
    // g1: writer g1-west, secondary g1-east. The writer's region goes away.
    expect((await h.control('POST', `/_emulator/regions/${W}/outage`, { unreachable: true })).status).toBe(200);
    const down = await fault(() => west.send(new DescribeDBClustersCommand({})));
    expect([down.name, down.status]).toEqual(['ServiceUnavailable', 503]);
    const sw = await fault(() => east.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'g1', TargetDbClusterIdentifier: arn(E, 'g1-east') })));
    expect(sw.name).toBe('InvalidGlobalClusterStateFault');
    const both = await fault(() => east.send(new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: 'g1', TargetDbClusterIdentifier: arn(E, 'g1-east'), AllowDataLoss: true, Switchover: true })));
    expect(both.name).toBe('InvalidParameterCombination');
    const t0 = h.clock.now;
    const r = await east.send(new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: 'g1', TargetDbClusterIdentifier: arn(E, 'g1-east'), AllowDataLoss: true }));
    expect(r.GlobalCluster!.FailoverState).toMatchObject({ Status: 'pending', IsDataLossAllowed: true, ToDbClusterArn: arn(E, 'g1-east') });
    h.advance(600);
    expect((await describeGlobal('g1')).FailoverState!.Status).toBe('failing-over');
    h.advance(1500);
    const after = await describeGlobal('g1');
    expect(after.FailoverState).toBeUndefined();
    expect(h.clock.now - t0).toBe(2100);
    expect(roles(after)).toEqual({ [arn(E, 'g1-east')]: 'writer', [arn(W, 'g1-west')]: 'pending-resync' });
    const ev = await east.send(new DescribeEventsCommand({ SourceType: GLOBAL_SOURCE, SourceIdentifier: 'g1' }));
    expect(ev.Events!.at(-2)!.Message).toMatch(/^Global failover to DB cluster g1-east in Region us-east-1 started\. Data loss is allowed: about \d+ ms of writes had not been replicated\.$/);
    h.advance(60_000);
    expect(roles(await describeGlobal('g1'))).toEqual({ [arn(E, 'g1-east')]: 'writer', [arn(W, 'g1-west')]: 'pending-resync' });
    // The region comes back: the old primary resynchronises (2 s in the test profile), then is connected.
    await h.control('POST', `/_emulator/regions/${W}/outage`, { unreachable: false });
    expect((await h.control('GET', '/_emulator/outages')).body.outages).toEqual([{ region: W, unreachable: false }]);
    expect(roles(await describeGlobal('g1', west))).toEqual({ [arn(E, 'g1-east')]: 'writer', [arn(W, 'g1-west')]: 'pending-resync' });
    h.advance(2000);
    expect(roles(await describeGlobal('g1', west))).toEqual({ [arn(E, 'g1-east')]: 'writer', [arn(W, 'g1-west')]: 'connected' });
  });
});

describe('ModifyGlobalCluster / RemoveFromGlobalCluster / DeleteGlobalCluster', () => {
  it('renames and protects; delete needs no members and no protection', async () => {
    const m = await east.send(new ModifyGlobalClusterCommand({ GlobalClusterIdentifier: 'g1', NewGlobalClusterIdentifier: 'g1-renamed', DeletionProtection: true }));
    expect(m.GlobalCluster).toMatchObject({ GlobalClusterIdentifier: 'g1-renamed', DeletionProtection: true });
    expect((await east.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'g1-east' }))).DBClusters![0].GlobalClusterIdentifier).toBe('g1-renamed');
    const taken = await fault(() => east.send(new ModifyGlobalClusterCommand({ GlobalClusterIdentifier: 'g1-renamed', NewGlobalClusterIdentifier: 'empty-g' })));
    expect(taken.name).toBe('GlobalClusterAlreadyExistsFault');
    const withMembers = await fault(() => east.send(new DeleteGlobalClusterCommand({ GlobalClusterIdentifier: 'g1-renamed' })));
    expect(withMembers.name).toBe('InvalidGlobalClusterStateFault');
    const primaryFirst = await fault(() => east.send(new RemoveFromGlobalClusterCommand({ GlobalClusterIdentifier: 'g1-renamed', DbClusterIdentifier: arn(E, 'g1-east') })));
    expect(primaryFirst.name).toBe('InvalidGlobalClusterStateFault');
    const notMember = await fault(() => east.send(new RemoveFromGlobalClusterCommand({ GlobalClusterIdentifier: 'g1-renamed', DbClusterIdentifier: arn(W, 'lonely') })));
    expect(notMember.name).toBe('DBClusterNotFoundFault');
    // Detach the secondary: a standalone cluster with a writer again.
    await west.send(new RemoveFromGlobalClusterCommand({ GlobalClusterIdentifier: 'g1-renamed', DbClusterIdentifier: arn(W, 'g1-west') }));
    const detached = (await west.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'g1-west' }))).DBClusters![0];
    expect(detached.GlobalClusterIdentifier).toBeUndefined();
    expect(detached.DBClusterMembers!.some((x) => x.IsClusterWriter)).toBe(true);
    await east.send(new RemoveFromGlobalClusterCommand({ GlobalClusterIdentifier: 'g1-renamed', DbClusterIdentifier: arn(E, 'g1-east') }));
    expect((await describeGlobal('g1-renamed')).GlobalClusterMembers).toEqual([]);
    const prot = await fault(() => east.send(new DeleteGlobalClusterCommand({ GlobalClusterIdentifier: 'g1-renamed' })));
    expect(prot.name).toBe('InvalidParameterCombination');
    await east.send(new ModifyGlobalClusterCommand({ GlobalClusterIdentifier: 'g1-renamed', DeletionProtection: false }));
    const d = await east.send(new DeleteGlobalClusterCommand({ GlobalClusterIdentifier: 'g1-renamed' }));
    expect(d.GlobalCluster!.GlobalClusterIdentifier).toBe('g1-renamed');
    const gone = await fault(() => west.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'g1-renamed' })));
    expect(gone.name).toBe('GlobalClusterNotFoundFault');
  });
});

describe('persistence', () => {
  it('keeps global clusters, roles and outages across an endpoint restart', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'afc-global-'));
    try {
      let p = await startHarness({ dataDir: dir, engines: 'simulated' });
      const pe = p.client(E);
      await pe.send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: 'kept', Engine: 'aurora-postgresql' }));
      await pe.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'kept-east', Engine: 'aurora-postgresql', GlobalClusterIdentifier: 'kept', MasterUsername: 'master', MasterUserPassword: 'Sup3rSecret!' }));
      await p.control('POST', `/_emulator/regions/${W}/outage`, { unreachable: true });
      const clock = p.clock.now;
      await p.close();
      p = await startHarness({ dataDir: dir, engines: 'simulated' });
      p.clock.now = clock;
      const g = (await p.client('ap-south-1').send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'kept' }))).GlobalClusters![0];
      expect(roles(g)).toEqual({ [arn(E, 'kept-east')]: 'writer' });
      expect((await p.control('GET', '/_emulator/outages')).body.outages).toMatchObject([{ region: W, unreachable: true }]);
      await p.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
