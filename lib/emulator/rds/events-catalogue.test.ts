import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DescribeDBEngineVersionsCommand,
  DescribeDBSubnetGroupsCommand,
  DescribeEventsCommand,
  DescribeOrderableDBInstanceOptionsCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fault, startHarness, type Harness } from '@/lib/testing/emulator-rds';

let h: Harness;
let rds: RDSClient;

beforeAll(async () => {
  h = await startHarness();
  rds = h.client();
});
afterAll(async () => h.close());

describe('DescribeEvents', () => {
  it('records lifecycle events at completion time; default window 60 min; filters; oldest first; 14-day retention', async () => {
    const t0 = h.clock.now;
    await rds.send(
      new CreateDBClusterCommand({ DBClusterIdentifier: 'ev', Engine: 'aurora-mysql', MasterUsername: 'admin', MasterUserPassword: 'Sup3rSecret!' }),
    );
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'ev-1', DBClusterIdentifier: 'ev', Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large' }));
    h.advance(30 * 60_000); // read long after completion: still stamped at completion time
    let out = await rds.send(new DescribeEventsCommand({}));
    const auto = `rds:ev-2026-03-01-12-00`;
    expect(out.Events!.map((e) => [e.SourceType, e.SourceIdentifier, e.Message, e.EventCategories, e.Date!.getTime()])).toEqual([
      ['db-cluster', 'ev', 'DB cluster created', ['creation'], t0 + 1000],
      // the automated snapshot taken when the cluster became available
      ['db-cluster-snapshot', auto, 'Creating automated cluster snapshot', ['backup'], t0 + 1000],
      ['db-instance', 'ev-1', 'DB instance created', ['creation'], t0 + 1500],
      ['db-cluster-snapshot', auto, 'Automated cluster snapshot created', ['backup'], t0 + 2000],
    ]);
    out = await rds.send(new DescribeEventsCommand({ SourceType: 'db-instance' }));
    expect(out.Events!.map((e) => e.SourceIdentifier)).toEqual(['ev-1']);
    out = await rds.send(new DescribeEventsCommand({ SourceType: 'db-cluster', SourceIdentifier: 'EV' }));
    expect(out.Events!.map((e) => e.Message)).toEqual(['DB cluster created']);
    out = await rds.send(new DescribeEventsCommand({ EventCategories: ['deletion'] }));
    expect(out.Events).toEqual([]);
    out = await rds.send(new DescribeEventsCommand({ StartTime: new Date(t0 + 1200), EndTime: new Date(t0 + 1999) }));
    expect(out.Events!.map((e) => e.SourceIdentifier)).toEqual(['ev-1']);

    h.advance(31 * 60_000); // now > 60 minutes after the events
    out = await rds.send(new DescribeEventsCommand({}));
    expect(out.Events).toEqual([]);
    out = await rds.send(new DescribeEventsCommand({ Duration: 120 }));
    expect(out.Events).toHaveLength(4);
    h.advance(14 * 86400_000);
    // (the cluster's daily automated snapshots keep adding db-cluster-snapshot events)
    out = await rds.send(new DescribeEventsCommand({ SourceType: 'db-cluster', StartTime: new Date(t0 - 1000) }));
    expect(out.Events).toEqual([]);

    const e = await fault(() => rds.send(new DescribeEventsCommand({ SourceIdentifier: 'ev' })));
    expect([e.name, e.status]).toEqual(['InvalidParameterCombination', 400]);
    const e2 = await fault(() => rds.send(new DescribeEventsCommand({ SourceType: 'db-banana' as never })));
    expect(e2.name).toBe('InvalidParameterValue');
  });

  it('pages events with Marker', async () => {
    for (let i = 0; i < 25; i++) {
      await rds.send(
        new CreateDBClusterCommand({ DBClusterIdentifier: `evp-${i}`, Engine: 'aurora-mysql', MasterUsername: 'admin', MasterUserPassword: 'Sup3rSecret!' }),
      );
    }
    h.advance(2000);
    const first = await rds.send(new DescribeEventsCommand({ SourceType: 'db-cluster', MaxRecords: 20 }));
    expect(first.Events).toHaveLength(20);
    expect(first.Marker).toBeTruthy();
    const second = await rds.send(new DescribeEventsCommand({ SourceType: 'db-cluster', MaxRecords: 20, Marker: first.Marker }));
    expect(second.Events).toHaveLength(5);
    expect(second.Marker).toBeUndefined();
  });
});

describe('catalogue', () => {
  it('DescribeDBEngineVersions lists both engines, default versions and families', async () => {
    const all = await rds.send(new DescribeDBEngineVersionsCommand({ Engine: 'aurora-mysql' }));
    const versions = all.DBEngineVersions!.map((v) => v.EngineVersion);
    expect(versions).toContain('8.0.mysql_aurora.3.05.2');
    expect(versions).not.toContain('5.7.mysql_aurora.2.11.5'); // deprecated only with IncludeAll
    const withAll = await rds.send(new DescribeDBEngineVersionsCommand({ Engine: 'aurora-mysql', IncludeAll: true }));
    expect(withAll.DBEngineVersions!.find((v) => v.EngineVersion === '5.7.mysql_aurora.2.11.5')?.Status).toBe('deprecated');
    const def = await rds.send(new DescribeDBEngineVersionsCommand({ Engine: 'aurora-postgresql', DefaultOnly: true }));
    expect(def.DBEngineVersions!.map((v) => [v.EngineVersion, v.DBParameterGroupFamily])).toEqual([['16.3', 'aurora-postgresql16']]);
    const v = all.DBEngineVersions!.find((x) => x.EngineVersion === '8.0.mysql_aurora.3.05.2')!;
    expect(v.DBParameterGroupFamily).toBe('aurora-mysql8.0');
    expect(v.ValidUpgradeTarget!.map((u) => u.EngineVersion)).toContain('8.0.mysql_aurora.3.08.0');
    expect(v.SupportedEngineModes).toEqual(['provisioned']);
  });

  it('DescribeOrderableDBInstanceOptions lists classes with AZs, filtered by version and class', async () => {
    const out = await rds.send(
      new DescribeOrderableDBInstanceOptionsCommand({ Engine: 'aurora-mysql', EngineVersion: '8.0.mysql_aurora.3.05.2', MaxRecords: 1000 }),
    );
    const classes = out.OrderableDBInstanceOptions!.map((o) => o.DBInstanceClass);
    expect(classes).toEqual(expect.arrayContaining(['db.r6g.large', 'db.r7g.4xlarge', 'db.t4g.medium', 'db.t3.medium', 'db.serverless', 'db.r5.2xlarge']));
    expect(out.OrderableDBInstanceOptions![0].AvailabilityZones!.map((a) => a.Name)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    const one = await rds.send(new DescribeOrderableDBInstanceOptionsCommand({ Engine: 'aurora-postgresql', DBInstanceClass: 'db.r7g.large' }));
    expect(new Set(one.OrderableDBInstanceOptions!.map((o) => o.DBInstanceClass))).toEqual(new Set(['db.r7g.large']));
    const e = await fault(() => rds.send(new DescribeOrderableDBInstanceOptionsCommand({ Engine: '' })));
    expect(e.name).toBe('MissingParameter');
  });

  it('DescribeDBSubnetGroups has a default group with three AZs in the request region', async () => {
    const eu = h.client('eu-west-1');
    const out = await eu.send(new DescribeDBSubnetGroupsCommand({}));
    expect(out.DBSubnetGroups!.map((g) => g.DBSubnetGroupName)).toEqual(['default']);
    expect(out.DBSubnetGroups![0].Subnets!.map((s) => s.SubnetAvailabilityZone?.Name)).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    const e = await fault(() => eu.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: 'private' })));
    expect([e.name, e.status]).toEqual(['DBSubnetGroupNotFoundFault', 404]);
  });
});
