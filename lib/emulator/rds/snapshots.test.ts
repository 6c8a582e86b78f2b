import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  DeleteDBClusterCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeEventsCommand,
  ModifyDBClusterCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBClusterToPointInTimeCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fault, startHarness, type Harness } from '@/lib/testing/emulator-rds';

let h: Harness;
let rds: RDSClient;
const DAY = 86_400_000;

const cluster = (id: string, engine = 'aurora-postgresql', extra: Record<string, unknown> = {}) =>
  rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: engine, MasterUsername: 'master', MasterUserPassword: 'Sup3rSecret!', ...extra }));
const snapshots = async (q: Record<string, unknown> = {}) => (await rds.send(new DescribeDBClusterSnapshotsCommand(q))).DBClusterSnapshots!;
const describe1 = async (id: string) => (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0];

beforeAll(async () => {
  h = await startHarness();
  rds = h.client();
});
afterAll(async () => h.close());

describe('CreateDBClusterSnapshot / DescribeDBClusterSnapshots / DeleteDBClusterSnapshot', () => {
  it('takes a manual snapshot that goes creating → available, with progress and events', async () => {
    await cluster('snap-a', 'aurora-postgresql', { DatabaseName: 'app', Tags: [{ Key: 'team', Value: 'db' }], CopyTagsToSnapshot: true });
    let e = await fault(() => rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'snap-a', DBClusterSnapshotIdentifier: 'early' })));
    expect([e.name, e.status]).toEqual(['InvalidDBClusterStateFault', 400]);
    h.advance(1000);
    const t0 = h.clock.now;
    const out = (await rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'SNAP-A', DBClusterSnapshotIdentifier: 'Snap-A-1' }))).DBClusterSnapshot!;
    expect(out).toMatchObject({
      DBClusterSnapshotIdentifier: 'snap-a-1',
      DBClusterIdentifier: 'snap-a',
      Status: 'creating',
      SnapshotType: 'manual',
      Engine: 'aurora-postgresql',
      EngineVersion: (await describe1('snap-a')).EngineVersion,
      PercentProgress: 0,
      Port: 5432,
      MasterUsername: 'master',
      TagList: [{ Key: 'team', Value: 'db' }],
    });
    expect(out.DBClusterSnapshotArn).toMatch(/^arn:aws:rds:us-east-1:\d{12}:cluster-snapshot:snap-a-1$/);
    expect(out.SnapshotCreateTime!.getTime()).toBe(t0);
    h.advance(500);
    expect((await snapshots({ DBClusterSnapshotIdentifier: 'snap-a-1' }))[0]).toMatchObject({ Status: 'creating', PercentProgress: 50 });
    h.advance(500);
    expect((await snapshots({ DBClusterSnapshotIdentifier: out.DBClusterSnapshotArn }))[0]).toMatchObject({ Status: 'available', PercentProgress: 100 });
    const ev = await rds.send(new DescribeEventsCommand({ SourceType: 'db-cluster-snapshot', SourceIdentifier: 'snap-a-1' }));
    expect(ev.Events!.map((x) => [x.Message, x.Date!.getTime(), x.SourceArn])).toEqual([
      ['Creating manual cluster snapshot', t0, out.DBClusterSnapshotArn],
      ['Manual cluster snapshot created', t0 + 1000, out.DBClusterSnapshotArn],
    ]);
    e = await fault(() => rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'snap-a', DBClusterSnapshotIdentifier: 'snap-a-1' })));
    expect([e.name, e.status]).toEqual(['DBClusterSnapshotAlreadyExistsFault', 400]);
    e = await fault(() => rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'nope', DBClusterSnapshotIdentifier: 'x1' })));
    expect([e.name, e.status]).toEqual(['DBClusterNotFoundFault', 404]);
    e = await fault(() => rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'snap-a', DBClusterSnapshotIdentifier: 'bad--id' })));
    expect(e.name).toBe('InvalidParameterValue');
  });

  it('lists by cluster, by identifier, by type and filters, and pages with MaxRecords and Marker', async () => {
    const byCluster = await snapshots({ DBClusterIdentifier: 'snap-a' });
    // the automated snapshot taken when the cluster became available, then the manual one
    expect(byCluster.map((s) => [s.DBClusterSnapshotIdentifier, s.SnapshotType])).toEqual([
      [expect.stringMatching(/^rds:snap-a-\d{4}-\d\d-\d\d-\d\d-\d\d$/), 'automated'],
      ['snap-a-1', 'manual'],
    ]);
    expect((await snapshots({ DBClusterIdentifier: 'snap-a', SnapshotType: 'manual' })).map((s) => s.DBClusterSnapshotIdentifier)).toEqual(['snap-a-1']);
    expect(await snapshots({ SnapshotType: 'shared' })).toEqual([]);
    expect((await snapshots({ Filters: [{ Name: 'snapshot-type', Values: ['automated'] }, { Name: 'db-cluster-id', Values: ['snap-a'] }] })).length).toBe(1);
    expect(await snapshots({ Filters: [{ Name: 'engine', Values: ['aurora-mysql'] }] })).toEqual([]);
    expect((await snapshots({ Filters: [{ Name: 'db-cluster-snapshot-id', Values: ['snap-a-1'] }] })).length).toBe(1);
    let e = await fault(() => snapshots({ Filters: [{ Name: 'colour', Values: ['x'] }] }));
    expect(e.name).toBe('InvalidParameterValue');
    e = await fault(() => snapshots({ DBClusterSnapshotIdentifier: 'missing' }));
    expect([e.name, e.status]).toEqual(['DBClusterSnapshotNotFoundFault', 404]);
    e = await fault(() => snapshots({ SnapshotType: 'weekly' }));
    expect(e.name).toBe('InvalidParameterValue');
    e = await fault(() => snapshots({ MaxRecords: 19 }));
    expect(e.name).toBe('InvalidParameterValue');
    e = await fault(() => snapshots({ DBClusterIdentifier: 'snap-a', DBClusterSnapshotIdentifier: 'snap-a-1' }));
    expect(e.name).toBe('InvalidParameterCombination');

    for (let n = 0; n < 21; n++) await rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'snap-a', DBClusterSnapshotIdentifier: `page-${n}` }));
    const first = await rds.send(new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: 'snap-a', MaxRecords: 20 }));
    expect(first.DBClusterSnapshots).toHaveLength(20);
    const second = await rds.send(new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: 'snap-a', MaxRecords: 20, Marker: first.Marker }));
    expect(second.DBClusterSnapshots).toHaveLength(3);
    expect(second.Marker).toBeUndefined();
    const ids = [...first.DBClusterSnapshots!, ...second.DBClusterSnapshots!].map((s) => s.DBClusterSnapshotIdentifier);
    expect(new Set(ids).size).toBe(23);
  });

  it('deletes manual snapshots only, and only once they are available', async () => {
    const e1 = await fault(() => rds.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: 'page-0' })));
    expect([e1.name, e1.status]).toEqual(['InvalidDBClusterSnapshotStateFault', 400]);
    h.advance(1000);
    const auto = (await snapshots({ DBClusterIdentifier: 'snap-a', SnapshotType: 'automated' }))[0];
    const e2 = await fault(() => rds.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: auto.DBClusterSnapshotIdentifier })));
    expect([e2.name, e2.status]).toEqual(['InvalidDBClusterSnapshotStateFault', 400]);
    for (let n = 0; n < 21; n++) {
      const out = await rds.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: `page-${n}` }));
      expect(out.DBClusterSnapshot!.Status).toBe('deleted');
    }
    expect((await snapshots({ DBClusterIdentifier: 'snap-a' })).length).toBe(2);
    const e3 = await fault(() => rds.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: 'page-0' })));
    expect([e3.name, e3.status]).toEqual(['DBClusterSnapshotNotFoundFault', 404]);
  });

  it('takes automated snapshots daily in the backup window, keeps them for the retention period, drops them with the cluster', async () => {
    const t0 = h.clock.now;
    await cluster('auto-a', 'aurora-mysql', { PreferredBackupWindow: '04:00-04:30', BackupRetentionPeriod: 2 });
    h.advance(3 * DAY);
    const times = (await snapshots({ DBClusterIdentifier: 'auto-a', SnapshotType: 'automated' })).map((s) => s.SnapshotCreateTime!.toISOString());
    // created 2026-03-01 12:00 (+1 s to become available): the first snapshot aged out after two days
    expect(times).toEqual(['2026-03-03T04:00:00.000Z', '2026-03-04T04:00:00.000Z']);
    expect(h.clock.now - t0).toBe(3 * DAY);
    await rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'auto-a', BackupRetentionPeriod: 1, ApplyImmediately: true }));
    h.advance(1000);
    expect((await snapshots({ DBClusterIdentifier: 'auto-a' })).map((s) => s.SnapshotCreateTime!.toISOString())).toEqual(['2026-03-04T04:00:00.000Z']);
    await rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'auto-a', DBClusterSnapshotIdentifier: 'auto-keep' }));
    h.advance(1000);
    await rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'auto-a', SkipFinalSnapshot: true }));
    h.advance(1000);
    expect((await snapshots({ DBClusterIdentifier: 'auto-a' })).map((s) => [s.DBClusterSnapshotIdentifier, s.SnapshotType])).toEqual([['auto-keep', 'manual']]);
  });
});

describe('RestoreDBClusterFromSnapshot', () => {
  it('restores a new cluster with no instances, configured like the snapshot', async () => {
    await cluster('src-b', 'aurora-postgresql', { DatabaseName: 'shop', Port: 6543, StorageEncrypted: true });
    h.advance(1000);
    await rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'src-b', DBClusterSnapshotIdentifier: 'b-1' }));
    let e = await fault(() => rds.send(new RestoreDBClusterFromSnapshotCommand({ DBClusterIdentifier: 'rest-b', SnapshotIdentifier: 'b-1', Engine: 'aurora-postgresql' })));
    expect([e.name, e.status]).toEqual(['InvalidDBClusterSnapshotStateFault', 400]);
    h.advance(1000);
    e = await fault(() => rds.send(new RestoreDBClusterFromSnapshotCommand({ DBClusterIdentifier: 'rest-b', SnapshotIdentifier: 'b-1', Engine: 'aurora-mysql' })));
    expect([e.name, e.status]).toEqual(['InvalidRestoreFault', 400]);
    e = await fault(() => rds.send(new RestoreDBClusterFromSnapshotCommand({ DBClusterIdentifier: 'src-b', SnapshotIdentifier: 'b-1', Engine: 'aurora-postgresql' })));
    expect([e.name, e.status]).toEqual(['DBClusterAlreadyExistsFault', 400]);
    e = await fault(() => rds.send(new RestoreDBClusterFromSnapshotCommand({ DBClusterIdentifier: 'rest-b', SnapshotIdentifier: 'none', Engine: 'aurora-postgresql' })));
    expect([e.name, e.status]).toEqual(['DBClusterSnapshotNotFoundFault', 404]);
    e = await fault(() => rds.send(new RestoreDBClusterFromSnapshotCommand({ DBClusterIdentifier: 'rest-b', SnapshotIdentifier: 'b-1' } as never)));
    expect(e.name).toBe('MissingParameter');
    expect((await rds.send(new DescribeDBClustersCommand({}))).DBClusters!.map((c) => c.DBClusterIdentifier)).not.toContain('rest-b');

    const arn = (await snapshots({ DBClusterSnapshotIdentifier: 'b-1' }))[0].DBClusterSnapshotArn;
    const c = (await rds.send(new RestoreDBClusterFromSnapshotCommand({ DBClusterIdentifier: 'rest-b', SnapshotIdentifier: arn, Engine: 'aurora-postgresql', Tags: [{ Key: 'k', Value: 'v' }] }))).DBCluster!;
    expect(c).toMatchObject({ DBClusterIdentifier: 'rest-b', Status: 'creating', DatabaseName: 'shop', Port: 6543, StorageEncrypted: true, MasterUsername: 'master', DBClusterMembers: [] });
    expect(c.TagList).toEqual([{ Key: 'k', Value: 'v' }]);
    h.advance(1000);
    expect((await describe1('rest-b')).Status).toBe('available');
    const ev = await rds.send(new DescribeEventsCommand({ SourceType: 'db-cluster', SourceIdentifier: 'rest-b' }));
    expect(ev.Events!.map((x) => x.Message)).toEqual(['Restoring DB cluster from snapshot b-1', 'DB cluster created']);
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'rest-b-1', DBClusterIdentifier: 'rest-b', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large' }));
    h.advance(1500);
    expect((await describe1('rest-b')).DBClusterMembers).toEqual([expect.objectContaining({ DBInstanceIdentifier: 'rest-b-1', IsClusterWriter: true })]);
  });

  it('DeleteDBCluster with a final snapshot leaves a manual snapshot that restores after the cluster is gone', async () => {
    await cluster('fin-c', 'aurora-mysql');
    h.advance(1000);
    await rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'fin-c', DBClusterSnapshotIdentifier: 'fin-taken' }));
    let e = await fault(() => rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'fin-c', FinalDBSnapshotIdentifier: 'fin-taken' })));
    expect([e.name, e.status]).toEqual(['DBClusterSnapshotAlreadyExistsFault', 400]);
    expect((await describe1('fin-c')).Status).toBe('available');
    e = await fault(() => rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'fin-c' })));
    expect(e.name).toBe('InvalidParameterCombination');
    await rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'fin-c', FinalDBSnapshotIdentifier: 'fin-c-final' }));
    h.advance(1000);
    await expect(describe1('fin-c')).rejects.toThrow();
    const final = (await snapshots({ DBClusterSnapshotIdentifier: 'fin-c-final' }))[0];
    expect(final).toMatchObject({ SnapshotType: 'manual', Status: 'available', DBClusterIdentifier: 'fin-c', Engine: 'aurora-mysql' });
    expect((await snapshots({ DBClusterIdentifier: 'fin-c', SnapshotType: 'automated' }))).toEqual([]);
    const c = (await rds.send(new RestoreDBClusterFromSnapshotCommand({ DBClusterIdentifier: 'fin-c', SnapshotIdentifier: 'fin-c-final', Engine: 'aurora-mysql' }))).DBCluster!;
    expect(c.Status).toBe('creating');
  });
});

describe('RestoreDBClusterToPointInTime', () => {
  it('shows a restorable window that follows the retention period', async () => {
    await cluster('pit-d', 'aurora-postgresql', { BackupRetentionPeriod: 1 });
    const created = h.clock.now;
    expect((await describe1('pit-d')).EarliestRestorableTime).toBeUndefined();
    h.advance(10 * 60_000);
    let c = await describe1('pit-d');
    expect(c.EarliestRestorableTime!.getTime()).toBe(created);
    expect(c.LatestRestorableTime!.getTime()).toBe(h.clock.now - 5 * 60_000);
    h.advance(2 * DAY);
    c = await describe1('pit-d');
    expect(c.EarliestRestorableTime!.getTime()).toBe(h.clock.now - DAY);
  });

  it('restores to a time inside the window and refuses times outside it and bad combinations', async () => {
    const c = await describe1('pit-d');
    const earliest = c.EarliestRestorableTime!;
    const latest = c.LatestRestorableTime!;
    const pitr = (extra: Record<string, unknown>) =>
      rds.send(new RestoreDBClusterToPointInTimeCommand({ DBClusterIdentifier: 'pit-new', SourceDBClusterIdentifier: 'pit-d', ...extra }));
    let e = await fault(() => pitr({ RestoreToTime: new Date(earliest.getTime() - 1000) }));
    expect([e.name, e.status]).toEqual(['InvalidRestoreFault', 400]);
    expect(e.message).toContain('is not within the restorable window of DB cluster pit-d');
    e = await fault(() => pitr({ RestoreToTime: new Date(latest.getTime() + 1000) }));
    expect(e.name).toBe('InvalidRestoreFault');
    e = await fault(() => pitr({ RestoreToTime: latest, UseLatestRestorableTime: true }));
    expect([e.name, e.status]).toEqual(['InvalidParameterCombination', 400]);
    e = await fault(() => pitr({}));
    expect(e.name).toBe('InvalidParameterCombination');
    e = await fault(() => pitr({ RestoreType: 'copy-on-write', RestoreToTime: latest }));
    expect(e.name).toBe('InvalidParameterCombination');
    e = await fault(() => pitr({ RestoreType: 'snapshot', UseLatestRestorableTime: true }));
    expect(e.name).toBe('InvalidParameterValue');
    e = await fault(() => rds.send(new RestoreDBClusterToPointInTimeCommand({ DBClusterIdentifier: 'pit-new', SourceDBClusterIdentifier: 'ghost', UseLatestRestorableTime: true })));
    expect([e.name, e.status]).toEqual(['DBClusterNotFoundFault', 404]);
    e = await fault(() => pitr({ DBClusterIdentifier: 'pit-d', UseLatestRestorableTime: true }));
    expect(e.name).toBe('DBClusterAlreadyExistsFault');
    expect((await rds.send(new DescribeDBClustersCommand({}))).DBClusters!.map((x) => x.DBClusterIdentifier)).not.toContain('pit-new');

    const at = new Date(earliest.getTime() + 3600_000);
    const out = (await pitr({ RestoreToTime: at })).DBCluster!;
    expect(out).toMatchObject({ DBClusterIdentifier: 'pit-new', Status: 'creating', Engine: 'aurora-postgresql', DBClusterMembers: [] });
    expect(out.CloneGroupId).toBeUndefined();
    h.advance(1000);
    expect((await describe1('pit-new')).Status).toBe('available');
    const ev = await rds.send(new DescribeEventsCommand({ SourceType: 'db-cluster', SourceIdentifier: 'pit-new' }));
    expect(ev.Events![0].Message).toBe(`Restoring DB cluster from pit-d to the point in time ${at.toISOString()}`);
    const latestOut = (await pitr({ DBClusterIdentifier: 'pit-latest', UseLatestRestorableTime: true })).DBCluster!;
    expect(latestOut.Status).toBe('creating');
  });

  it('clones with copy-on-write: both clusters carry the same CloneGroupId', async () => {
    const out = (await rds.send(new RestoreDBClusterToPointInTimeCommand({ DBClusterIdentifier: 'pit-clone', SourceDBClusterIdentifier: 'pit-d', RestoreType: 'copy-on-write', UseLatestRestorableTime: true }))).DBCluster!;
    expect(out.CloneGroupId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await describe1('pit-d')).CloneGroupId).toBe(out.CloneGroupId);
    const group = await rds.send(new DescribeDBClustersCommand({ Filters: [{ Name: 'clone-group-id', Values: [out.CloneGroupId!] }] }));
    expect(group.DBClusters!.map((c) => c.DBClusterIdentifier)).toEqual(['pit-clone', 'pit-d']);
  });

  it('refuses a source that is still being created', async () => {
    await cluster('pit-young', 'aurora-mysql');
    const e = await fault(() => rds.send(new RestoreDBClusterToPointInTimeCommand({ DBClusterIdentifier: 'pit-x', SourceDBClusterIdentifier: 'pit-young', UseLatestRestorableTime: true })));
    expect(e.name).toBe('InvalidDBClusterStateFault');
    h.advance(1000);
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'pit-young-1', DBClusterIdentifier: 'pit-young', Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large' }));
    h.advance(1500);
    await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'pit-young-1' }));
  });
});
