import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  RebootDBInstanceCommand,
  StartDBClusterCommand,
  StopDBClusterCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fault, startHarness, type Harness } from '@/lib/testing/emulator-rds';

let h: Harness;
let rds: RDSClient;

const mysql = (id: string, extra: Record<string, unknown> = {}) =>
  new CreateDBClusterCommand({
    DBClusterIdentifier: id,
    Engine: 'aurora-mysql',
    MasterUsername: 'admin',
    MasterUserPassword: 'Sup3rSecret!',
    ...extra,
  });
const instance = (id: string, cluster: string, extra: Record<string, unknown> = {}) =>
  new CreateDBInstanceCommand({
    DBInstanceIdentifier: id,
    DBClusterIdentifier: cluster,
    Engine: 'aurora-mysql',
    DBInstanceClass: 'db.r6g.large',
    ...extra,
  });

beforeAll(async () => {
  h = await startHarness();
  rds = h.client();
});
afterAll(async () => h.close());

describe('CreateDBCluster / DescribeDBClusters', () => {
  it('creates an empty cluster that goes creating → available, with AWS-format endpoints', async () => {
    const out = await rds.send(mysql('Orders-A', { BacktrackWindow: 3600, Tags: [{ Key: 'team', Value: 'orders' }] }));
    const c = out.DBCluster!;
    expect(c.DBClusterIdentifier).toBe('orders-a');
    expect(c.Status).toBe('creating');
    expect(c.Engine).toBe('aurora-mysql');
    expect(c.EngineVersion).toBe('8.0.mysql_aurora.3.05.2');
    expect(c.Port).toBe(3306);
    expect(c.Endpoint).toMatch(/^orders-a\.cluster-[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$/);
    const token = /cluster-([a-z0-9]{12})\./.exec(c.Endpoint!)![1];
    expect(c.ReaderEndpoint).toBe(`orders-a.cluster-ro-${token}.us-east-1.rds.amazonaws.com`);
    expect(c.DBClusterArn).toMatch(/^arn:aws:rds:us-east-1:\d{12}:cluster:orders-a$/);
    expect(c.DbClusterResourceId).toMatch(/^cluster-[A-Z0-9]{26}$/);
    expect(c.BacktrackWindow).toBe(3600);
    expect(c.BackupRetentionPeriod).toBe(1);
    expect(c.DBClusterMembers).toEqual([]);
    expect(c.TagList).toEqual([{ Key: 'team', Value: 'orders' }]);
    expect(c.AvailabilityZones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(c.ClusterCreateTime?.getTime()).toBe(h.clock.now);

    h.advance(999);
    let d = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'ORDERS-A' }));
    expect(d.DBClusters![0].Status).toBe('creating');
    h.advance(1);
    d = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'orders-a' }));
    expect(d.DBClusters![0].Status).toBe('available');
    // by ARN, too
    d = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: c.DBClusterArn }));
    expect(d.DBClusters).toHaveLength(1);
  });

  it('defaults aurora-postgresql to port 5432 and returns a managed secret, never the password', async () => {
    const out = await rds.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: 'pg-a',
        Engine: 'aurora-postgresql',
        EngineVersion: '15',
        MasterUsername: 'postgres',
        ManageMasterUserPassword: true,
      }),
    );
    expect(out.DBCluster!.Port).toBe(5432);
    expect(out.DBCluster!.EngineVersion).toBe('15.7');
    expect(out.DBCluster!.MasterUserSecret?.SecretArn).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:rds!cluster-/);
    const rows = h.emu.state.db.prepare("SELECT doc FROM rds_docs WHERE doc LIKE '%Sup3rSecret%'").all();
    expect(rows).toHaveLength(0);
  });

  it.each([
    ['identifier starting with a digit', { DBClusterIdentifier: '1abc' }, 'InvalidParameterValue'],
    ['identifier with --', { DBClusterIdentifier: 'a--b' }, 'InvalidParameterValue'],
    ['identifier with a trailing hyphen', { DBClusterIdentifier: 'abc-' }, 'InvalidParameterValue'],
    ['identifier of 64 characters', { DBClusterIdentifier: 'a'.repeat(64) }, 'InvalidParameterValue'],
    ['short password', { MasterUserPassword: 'short' }, 'InvalidParameterValue'],
    ['password with @', { MasterUserPassword: 'abcdefgh@1' }, 'InvalidParameterValue'],
    ['password with a space', { MasterUserPassword: 'abcd efgh1' }, 'InvalidParameterValue'],
    ['password of 42 characters', { MasterUserPassword: 'a'.repeat(42) }, 'InvalidParameterValue'],
    ['password and managed password', { ManageMasterUserPassword: true }, 'InvalidParameterCombination'],
    ['missing master username', { MasterUsername: undefined }, 'InvalidParameterValue'],
    ['reserved master username', { MasterUsername: 'rdsadmin' }, 'InvalidParameterValue'],
    ['username starting with a digit', { MasterUsername: '1admin' }, 'InvalidParameterValue'],
    ['port below 1150', { Port: 80 }, 'InvalidParameterValue'],
    ['backtrack window above 72 h', { BacktrackWindow: 259201 }, 'InvalidParameterValue'],
    ['backup retention 0', { BackupRetentionPeriod: 0 }, 'InvalidParameterValue'],
    ['backup retention 36', { BackupRetentionPeriod: 36 }, 'InvalidParameterValue'],
    ['unknown engine version', { EngineVersion: '8.0.mysql_aurora.9.99.9' }, 'InvalidParameterCombination'],
    ['unknown engine', { Engine: 'oracle-ee' }, 'InvalidParameterValue'],
    ['log export of the other engine', { EnableCloudwatchLogsExports: ['postgresql'] }, 'InvalidParameterValue'],
  ])('refuses %s', async (_label, extra, code) => {
    const e = await fault(() => rds.send(mysql('bad-one', extra)));
    expect(e.name).toBe(code);
    expect(e.status).toBe(400);
    await expect(rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'bad-one' }))).rejects.toThrow();
  });

  it('refuses backtrack on aurora-postgresql with the AWS message', async () => {
    const e = await fault(() =>
      rds.send(
        new CreateDBClusterCommand({
          DBClusterIdentifier: 'pg-bt',
          Engine: 'aurora-postgresql',
          MasterUsername: 'postgres',
          MasterUserPassword: 'Sup3rSecret!',
          BacktrackWindow: 3600,
        }),
      ),
    );
    expect(e.name).toBe('InvalidParameterValue');
    expect(e.message).toBe('Backtrack is not enabled for the aurora-postgresql engine.');
  });

  it('maps faults to the SDK exception classes and HTTP statuses', async () => {
    let e = await fault(() => rds.send(mysql('orders-a')));
    expect([e.name, e.status]).toEqual(['DBClusterAlreadyExistsFault', 400]);
    e = await fault(() => rds.send(mysql('sub-a', { DBSubnetGroupName: 'nope' })));
    expect([e.name, e.status]).toEqual(['DBSubnetGroupNotFoundFault', 404]);
    e = await fault(() => rds.send(mysql('pg-a2', { DBClusterParameterGroupName: 'custom-params' })));
    expect([e.name, e.status]).toEqual(['DBClusterParameterGroupNotFoundFault', 404]);
    e = await fault(() => rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'missing' })));
    expect([e.name, e.status, e.message]).toEqual(['DBClusterNotFoundFault', 404, 'DBCluster missing not found.']);
    e = await fault(() => rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'missing' })));
    expect([e.name, e.status, e.message]).toEqual(['DBInstanceNotFoundFault', 404, 'DBInstance missing not found.']);
  });

  it('pages with Marker/MaxRecords (20–100) and filters by engine', async () => {
    for (let i = 0; i < 45; i++) await rds.send(mysql(`page-${String(i).padStart(2, '0')}`));
    const ids: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const out = await rds.send(
        new DescribeDBClustersCommand({ MaxRecords: 20, Marker: marker, Filters: [{ Name: 'engine', Values: ['aurora-mysql'] }] }),
      );
      ids.push(...out.DBClusters!.map((c) => c.DBClusterIdentifier!));
      marker = out.Marker;
      pages++;
    } while (marker);
    expect(ids.filter((i) => i.startsWith('page-'))).toHaveLength(45);
    expect(ids).not.toContain('pg-a');
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(ids.length);
    const pg = await rds.send(new DescribeDBClustersCommand({ Filters: [{ Name: 'engine', Values: ['aurora-postgresql'] }] }));
    expect(pg.DBClusters!.map((c) => c.DBClusterIdentifier)).toEqual(['pg-a']);
    const byId = await rds.send(new DescribeDBClustersCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['page-01', 'PAGE-02'] }] }));
    expect(byId.DBClusters!.map((c) => c.DBClusterIdentifier)).toEqual(['page-01', 'page-02']);
    let e = await fault(() => rds.send(new DescribeDBClustersCommand({ MaxRecords: 10 })));
    expect([e.name, e.status]).toEqual(['InvalidParameterValue', 400]);
    e = await fault(() => rds.send(new DescribeDBClustersCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })));
    expect(e.name).toBe('InvalidParameterValue');
    e = await fault(() => rds.send(new DescribeDBClustersCommand({ Marker: 'garbage!' })));
    expect(e.name).toBe('InvalidParameterValue');
  });
});

describe('CreateDBInstance / DescribeDBInstances', () => {
  it('joins a cluster; the first instance is the writer; creating → available', async () => {
    await rds.send(mysql('inst-a'));
    const w = await rds.send(instance('Inst-A-1', 'INST-A', { PromotionTier: 0 }));
    expect(w.DBInstance!.DBInstanceIdentifier).toBe('inst-a-1');
    expect(w.DBInstance!.DBInstanceStatus).toBe('creating');
    expect(w.DBInstance!.Endpoint).toBeUndefined();
    expect(w.DBInstance!.PromotionTier).toBe(0);
    const r = await rds.send(instance('inst-a-2', 'inst-a'));
    expect(r.DBInstance!.PromotionTier).toBe(1);
    expect(r.DBInstance!.AvailabilityZone).not.toBe(w.DBInstance!.AvailabilityZone);
    let c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'inst-a' }))).DBClusters![0];
    expect(c.DBClusterMembers).toEqual([
      { DBInstanceIdentifier: 'inst-a-1', IsClusterWriter: true, DBClusterParameterGroupStatus: 'in-sync', PromotionTier: 0 },
      { DBInstanceIdentifier: 'inst-a-2', IsClusterWriter: false, DBClusterParameterGroupStatus: 'in-sync', PromotionTier: 1 },
    ]);
    h.advance(1500);
    c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'inst-a' }))).DBClusters![0];
    expect(c.Status).toBe('available');
    const d = await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['inst-a'] }] }));
    expect(d.DBInstances!.map((i) => [i.DBInstanceIdentifier, i.DBInstanceStatus])).toEqual([
      ['inst-a-1', 'available'],
      ['inst-a-2', 'available'],
    ]);
    const inst = d.DBInstances![0];
    const token = /cluster-([a-z0-9]{12})\./.exec(c.Endpoint!)![1];
    expect(inst.Endpoint).toEqual({ Address: `inst-a-1.${token}.us-east-1.rds.amazonaws.com`, Port: 3306, HostedZoneId: c.HostedZoneId });
    expect(inst.DBClusterIdentifier).toBe('inst-a');
    expect(inst.DBInstanceArn).toMatch(/:db:inst-a-1$/);
    expect(inst.DbiResourceId).toMatch(/^db-[A-Z0-9]{26}$/);
  });

  it('refuses bad instance requests with the AWS faults', async () => {
    let e = await fault(() => rds.send(instance('x-1', 'nope')));
    expect([e.name, e.status]).toEqual(['DBClusterNotFoundFault', 404]);
    e = await fault(() => rds.send(instance('x-1', 'pg-a')));
    expect(e.name).toBe('InvalidParameterCombination');
    expect(e.message).toBe(
      "The engine name requested for your DB instance (aurora-mysql) doesn't match the engine name of your DB cluster (aurora-postgresql).",
    );
    e = await fault(() => rds.send(instance('x-1', 'inst-a', { DeletionProtection: true })));
    expect([e.name, e.message]).toEqual([
      'InvalidParameterCombination',
      'Deletion Protection can only be applied on the Cluster level, not for individual instances',
    ]);
    e = await fault(() => rds.send(instance('x-1', 'inst-a', { PromotionTier: 16 })));
    expect(e.name).toBe('InvalidParameterValue');
    e = await fault(() => rds.send(instance('x-1', 'inst-a', { DBInstanceClass: 'db.m1.small' })));
    expect(e.name).toBe('InvalidParameterCombination');
    e = await fault(() => rds.send(instance('x-1', 'inst-a', { AvailabilityZone: 'eu-west-1a' })));
    expect(e.name).toBe('InvalidParameterCombination');
    e = await fault(() => rds.send(instance('inst-a-1', 'inst-a')));
    expect([e.name, e.status]).toEqual(['DBInstanceAlreadyExistsFault', 400]);
    e = await fault(() => rds.send(instance('x-1', 'inst-a', { DBInstanceClass: 'db.serverless' })));
    expect(e.name).toBe('InvalidParameterCombination');
  });

  it('allows 1 writer + 15 readers and refuses the 17th instance', async () => {
    await rds.send(mysql('big'));
    for (let i = 1; i <= 16; i++) await rds.send(instance(`big-${i}`, 'big'));
    const e = await fault(() => rds.send(instance('big-17', 'big')));
    expect([e.name, e.status]).toEqual(['InstanceQuotaExceededFault', 400]);
    const d = await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['big'] }], MaxRecords: 20 }));
    expect(d.DBInstances).toHaveLength(16);
  });
});

describe('Modify / Reboot / Delete / Stop / Start', () => {
  it('ModifyDBInstance changes class (modifying) and promotion tier; RebootDBInstance goes rebooting', async () => {
    h.advance(2000);
    const m = await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'inst-a-2', DBInstanceClass: 'db.r6g.xlarge', PromotionTier: 5, ApplyImmediately: true }));
    expect(m.DBInstance!.DBInstanceStatus).toBe('modifying');
    expect(m.DBInstance!.PendingModifiedValues?.DBInstanceClass).toBe('db.r6g.xlarge');
    expect(m.DBInstance!.PromotionTier).toBe(5);
    let e = await fault(() => rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'inst-a-2' })));
    expect([e.name, e.status]).toEqual(['InvalidDBInstanceStateFault', 400]);
    h.advance(1000);
    const d = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'inst-a-2' }))).DBInstances![0];
    expect([d.DBInstanceStatus, d.DBInstanceClass]).toEqual(['available', 'db.r6g.xlarge']);
    const r = await rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'inst-a-2' }));
    expect(r.DBInstance!.DBInstanceStatus).toBe('rebooting');
    h.advance(1000);
    const after = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'inst-a-2' }))).DBInstances![0];
    expect(after.DBInstanceStatus).toBe('available');
    e = await fault(() => rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'inst-a-2', PromotionTier: 99 })));
    expect(e.name).toBe('InvalidParameterValue');
  });

  it('ModifyDBCluster: retention range, deletion protection, backtrack window rules, modifying status', async () => {
    let e = await fault(() => rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'inst-a', BackupRetentionPeriod: 36 })));
    expect(e.name).toBe('InvalidParameterValue');
    e = await fault(() => rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'inst-a', BacktrackWindow: 3600, ApplyImmediately: true })));
    expect(e.name).toBe('InvalidParameterCombination');
    const m = await rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'inst-a', BackupRetentionPeriod: 7, ApplyImmediately: true }));
    expect(m.DBCluster!.Status).toBe('modifying');
    expect(m.DBCluster!.BackupRetentionPeriod).toBe(7);
    e = await fault(() => rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'inst-a', BackupRetentionPeriod: 8, ApplyImmediately: true })));
    expect([e.name, e.status]).toEqual(['InvalidDBClusterStateFault', 400]);
    h.advance(1000);
    const deferred = await rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'inst-a', BackupRetentionPeriod: 9 }));
    expect(deferred.DBCluster!.Status).toBe('available');
    expect(deferred.DBCluster!.BackupRetentionPeriod).toBe(7);
    expect(deferred.DBCluster!.PendingModifiedValues?.BackupRetentionPeriod).toBe(9);

    // orders-a was created with a window: change it, then disable it permanently.
    const w = await rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'orders-a', BacktrackWindow: 7200, ApplyImmediately: true }));
    expect(w.DBCluster!.BacktrackWindow).toBe(7200);
    h.advance(1000);
    await rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'orders-a', BacktrackWindow: 0, ApplyImmediately: true }));
    h.advance(1000);
    e = await fault(() => rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'orders-a', BacktrackWindow: 3600, ApplyImmediately: true })));
    expect(e.name).toBe('InvalidParameterCombination');
    const p = await rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'inst-a', DeletionProtection: true }));
    expect(p.DBCluster!.DeletionProtection).toBe(true);
  });

  it('DeleteDBCluster: protection, instances first, final snapshot rules; deleting → gone', async () => {
    let e = await fault(() => rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'inst-a', SkipFinalSnapshot: true })));
    expect([e.name, e.message]).toEqual([
      'InvalidParameterCombination',
      'Cannot delete protected Cluster, please disable deletion protection and try again.',
    ]);
    await rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'inst-a', DeletionProtection: false }));
    e = await fault(() => rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'inst-a', SkipFinalSnapshot: true })));
    expect([e.name, e.status, e.message]).toEqual([
      'InvalidDBClusterStateFault',
      400,
      'Cluster cannot be deleted, it still contains DB instances in non-deleting state.',
    ]);
    e = await fault(() => rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'inst-a' })));
    expect(e.name).toBe('InvalidParameterCombination');
    e = await fault(() =>
      rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'inst-a', SkipFinalSnapshot: true, FinalDBSnapshotIdentifier: 'snap' })),
    );
    expect(e.name).toBe('InvalidParameterCombination');

    const del = await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'inst-a-2' }));
    expect(del.DBInstance!.DBInstanceStatus).toBe('deleting');
    e = await fault(() => rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'inst-a-2' })));
    expect(e.name).toBe('InvalidDBInstanceStateFault');
    await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'inst-a-1' }));
    const dc = await rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'inst-a', FinalDBSnapshotIdentifier: 'inst-a-final' }));
    expect(dc.DBCluster!.Status).toBe('deleting');
    h.advance(1000);
    e = await fault(() => rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'inst-a-1' })));
    expect(e.name).toBe('DBInstanceNotFoundFault');
    e = await fault(() => rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'inst-a' })));
    expect([e.name, e.status]).toEqual(['DBClusterNotFoundFault', 404]);
    // the identifier can be reused
    const again = await rds.send(mysql('inst-a'));
    expect(again.DBCluster!.Status).toBe('creating');
  });

  it('Stop/Start: stopping → stopped (AutomaticRestartTime +7 d) → starting → available; auto-restart', async () => {
    await rds.send(mysql('sleepy'));
    await rds.send(instance('sleepy-1', 'sleepy'));
    let e = await fault(() => rds.send(new StopDBClusterCommand({ DBClusterIdentifier: 'sleepy' })));
    expect(e.name).toBe('InvalidDBClusterStateFault');
    h.advance(1500);
    e = await fault(() => rds.send(new StartDBClusterCommand({ DBClusterIdentifier: 'sleepy' })));
    expect([e.name, e.status]).toEqual(['InvalidDBClusterStateFault', 400]);
    const s = await rds.send(new StopDBClusterCommand({ DBClusterIdentifier: 'sleepy' }));
    expect(s.DBCluster!.Status).toBe('stopping');
    const stoppedAt = h.clock.now + 1000;
    h.advance(1000);
    let c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'sleepy' }))).DBClusters![0];
    expect(c.Status).toBe('stopped');
    expect(c.AutomaticRestartTime?.getTime()).toBe(stoppedAt + 7 * 86400_000);
    const i = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'sleepy-1' }))).DBInstances![0];
    expect(i.DBInstanceStatus).toBe('stopped');
    e = await fault(() => rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'sleepy-1' })));
    expect(e.name).toBe('InvalidDBInstanceStateFault');
    const st = await rds.send(new StartDBClusterCommand({ DBClusterIdentifier: 'sleepy' }));
    expect(st.DBCluster!.Status).toBe('starting');
    h.advance(1000);
    c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'sleepy' }))).DBClusters![0];
    expect(c.Status).toBe('available');
    expect(c.AutomaticRestartTime).toBeUndefined();
    // stop again and let 7 days pass
    await rds.send(new StopDBClusterCommand({ DBClusterIdentifier: 'sleepy' }));
    h.advance(7 * 86400_000 + 1000 + 1000);
    c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'sleepy' }))).DBClusters![0];
    expect(c.Status).toBe('available');
  });
});

describe('writer lifecycle', () => {
  it('a cluster can be available while its first instance is still creating (demo-like durations)', async () => {
    await h.control('POST', '/_emulator/config/durations', { createCluster: 5000, createInstance: 8000 });
    await rds.send(mysql('slowwriter'));
    await rds.send(instance('slowwriter-1', 'slowwriter'));
    h.advance(5000);
    const c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'slowwriter' }))).DBClusters![0];
    expect(c.Status).toBe('available');
    expect(c.DBClusterMembers).toEqual([
      { DBInstanceIdentifier: 'slowwriter-1', IsClusterWriter: true, DBClusterParameterGroupStatus: 'in-sync', PromotionTier: 1 },
    ]);
    const i = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'slowwriter-1' }))).DBInstances![0];
    expect(i.DBInstanceStatus).toBe('creating');
    h.advance(3000);
    const j = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'slowwriter-1' }))).DBInstances![0];
    expect(j.DBInstanceStatus).toBe('available');
    await h.control('POST', '/_emulator/config/durations', { createCluster: 1000, createInstance: 1500 });
  });

  it('deleting the writer promotes the best remaining reader and records the deletion event', async () => {
    await rds.send(mysql('promo'));
    await rds.send(instance('promo-w', 'promo', { PromotionTier: 0 }));
    await rds.send(instance('promo-a', 'promo', { PromotionTier: 2 }));
    await rds.send(instance('promo-b', 'promo', { PromotionTier: 1 }));
    h.advance(1500);
    await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'promo-w' }));
    let c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'promo' }))).DBClusters![0];
    expect(c.DBClusterMembers!.find((m) => m.IsClusterWriter)!.DBInstanceIdentifier).toBe('promo-w');
    h.advance(1000);
    c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'promo' }))).DBClusters![0];
    expect(c.DBClusterMembers!.map((m) => [m.DBInstanceIdentifier, m.IsClusterWriter])).toEqual([
      ['promo-a', false],
      ['promo-b', true],
    ]);
    const { DescribeEventsCommand } = await import('@aws-sdk/client-rds');
    const ev = await rds.send(new DescribeEventsCommand({ SourceType: 'db-instance', SourceIdentifier: 'promo-w' }));
    expect(ev.Events!.map((e) => e.Message)).toEqual(['DB instance created', 'DB instance deleted']);
    const dp = h.emu.model.clusters('us-east-1', h.clock.now).find((x) => x.id === 'promo')!;
    expect(dp.instances.find((x) => x.id === 'promo-w')!.deletedAt).toBe(h.clock.now);
    expect(dp.writerHistory.map((w) => w.instanceId)).toEqual(['promo-w', 'promo-b']);
  });
});

describe('Serverless v2 and windows', () => {
  it('creates a Serverless v2 cluster, accepts db.serverless, and modifies capacity', async () => {
    const out = await rds.send(
      mysql('sv2', { EngineVersion: '8.0.mysql_aurora.3.08.0', ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 16 } }),
    );
    expect(out.DBCluster!.ServerlessV2ScalingConfiguration).toEqual({ MinCapacity: 0.5, MaxCapacity: 16 });
    await rds.send(instance('sv2-1', 'sv2', { DBInstanceClass: 'db.serverless' }));
    h.advance(1500);
    const m = await rds.send(
      new ModifyDBClusterCommand({ DBClusterIdentifier: 'sv2', ServerlessV2ScalingConfiguration: { MinCapacity: 1, MaxCapacity: 64 } }),
    );
    expect(m.DBCluster!.ServerlessV2ScalingConfiguration).toEqual({ MinCapacity: 1, MaxCapacity: 64 });
    let e = await fault(() =>
      rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'sv2', ServerlessV2ScalingConfiguration: { MinCapacity: 0.75, MaxCapacity: 64 } })),
    );
    expect(e.name).toBe('InvalidParameterValue');
    e = await fault(() => rds.send(mysql('sv2-bad', { ServerlessV2ScalingConfiguration: { MinCapacity: 8, MaxCapacity: 4 } })));
    expect(e.name).toBe('InvalidParameterValue');
  });

  it('validates backup and maintenance windows', async () => {
    let e = await fault(() => rds.send(mysql('win-a', { PreferredBackupWindow: '03:00-03:10' })));
    expect(e.name).toBe('InvalidParameterValue');
    e = await fault(() => rds.send(mysql('win-a', { PreferredMaintenanceWindow: 'funday:03:00-sun:04:00' })));
    expect(e.name).toBe('InvalidParameterValue');
    const ok = await rds.send(mysql('win-a', { PreferredBackupWindow: '23:45-00:30', PreferredMaintenanceWindow: 'sun:05:00-sun:06:00' }));
    expect([ok.DBCluster!.PreferredBackupWindow, ok.DBCluster!.PreferredMaintenanceWindow]).toEqual(['23:45-00:30', 'sun:05:00-sun:06:00']);
  });
});
