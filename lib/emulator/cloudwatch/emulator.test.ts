// End to end: startEmulator() (SigV4, RDS model, CloudWatch service) driven by the real
// @aws-sdk/client-rds and @aws-sdk/client-cloudwatch, with a controllable clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RDSClient, CreateDBClusterCommand, CreateDBInstanceCommand, DescribeDBClustersCommand, FailoverDBClusterCommand } from '@aws-sdk/client-rds';
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, InvalidParameterValueException, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { startEmulator, type RunningEmulator } from '../index';

const MIN = 60_000;
const clock = { now: Date.parse('2026-03-01T12:00:00.000Z') };
let emu: RunningEmulator;
let rds: RDSClient;
let cw: CloudWatchClient;
const creds = { accessKeyId: 'local', secretAccessKey: 'localsecret' };

async function settle(ms: number) {
  clock.now += ms;
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, dataDir: ':memory:', profile: 'test', now: () => clock.now, credentials: creds });
  rds = new RDSClient({ endpoint: emu.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  cw = new CloudWatchClient({ endpoint: emu.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
});
afterAll(async () => {
  rds?.destroy();
  cw?.destroy();
  await emu?.close();
});

const inst = (id: string) => [{ Name: 'DBInstanceIdentifier', Value: id }];
const lagQuery = (id: string, instance: string, metric = 'AuroraReplicaLag') => ({
  Id: id,
  MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: metric, Dimensions: inst(instance) }, Period: 60, Stat: 'Maximum' },
});

describe('CloudWatch against startEmulator()', () => {
  it('serves metrics for a cluster created through RDS, and follows a failover', async () => {
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'shop', Engine: 'aurora-mysql', MasterUsername: 'admin', MasterUserPassword: 'Sup3rSecret!', BacktrackWindow: 3600 }));
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'shop-a', DBClusterIdentifier: 'shop', Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large' }));
    await settle(5 * MIN);
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'shop-b', DBClusterIdentifier: 'shop', Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large', PromotionTier: 1 }));
    await settle(10 * MIN);
    const before = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'shop' }));
    expect(before.DBClusters![0].Status).toBe('available');
    const writer0 = before.DBClusters![0].DBClusterMembers!.find((m) => m.IsClusterWriter)!.DBInstanceIdentifier!;
    const reader0 = writer0 === 'shop-a' ? 'shop-b' : 'shop-a';

    // ListMetrics shows the data plane's series for the new instances.
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/RDS', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: reader0 }] }));
    expect(listed.Metrics!.map((m) => m.MetricName)).toEqual(expect.arrayContaining(['AuroraReplicaLag', 'CPUUtilization', 'CommitThroughput']));

    await rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'shop', TargetDBInstanceIdentifier: reader0 }));
    await settle(5 * MIN);
    const after = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'shop' }));
    expect(after.DBClusters![0].DBClusterMembers!.find((m) => m.IsClusterWriter)!.DBInstanceIdentifier).toBe(reader0);

    const end = Math.floor(clock.now / MIN) * MIN + MIN;
    const start = end - 30 * MIN;
    const r = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(start),
        EndTime: new Date(end),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          lagQuery('lagold', writer0),
          lagQuery('lagnew', reader0),
          lagQuery('maxold', writer0, 'AuroraReplicaLagMaximum'),
          lagQuery('maxnew', reader0, 'AuroraReplicaLagMaximum'),
          { Id: 'conn', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'DatabaseConnections', Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'shop' }] }, Period: 60, Stat: 'Sum' } },
        ],
      }),
    );
    const res: Record<string, MetricDataResult> = Object.fromEntries(r.MetricDataResults!.map((x) => [x.Id!, x]));
    // No data before the cluster existed (created 20 minutes before `end`, window is 30 minutes).
    const firstConn = res.conn.Timestamps![0].getTime();
    expect(firstConn).toBeGreaterThanOrEqual(Date.parse('2026-03-01T12:00:00.000Z'));
    // Before the failover the new writer was the reader (lag); after it, the old writer is.
    const failoverAt = end - 6 * MIN;
    const lagNewBefore = res.lagnew.Timestamps!.filter((t) => t.getTime() < failoverAt - MIN);
    const lagOldAfter = res.lagold.Timestamps!.filter((t) => t.getTime() > failoverAt + MIN);
    expect(lagNewBefore.length).toBeGreaterThan(0);
    expect(lagOldAfter.length).toBeGreaterThan(0);
    expect(res.lagnew.Timestamps!.some((t) => t.getTime() > failoverAt + MIN)).toBe(false);
    expect(res.maxnew.Timestamps!.some((t) => t.getTime() > failoverAt + MIN)).toBe(true);
    expect(res.maxold.Timestamps!.some((t) => t.getTime() > failoverAt + MIN)).toBe(false);
    // The failover spike: several seconds of lag on the old writer right after it became a reader.
    expect(Math.max(...res.lagold.Values!)).toBeGreaterThan(5_000);
    // Same answer on every read.
    const again = await cw.send(new GetMetricDataCommand({ StartTime: new Date(start), EndTime: new Date(end), ScanBy: 'TimestampAscending', MetricDataQueries: [lagQuery('lagold', writer0)] }));
    expect(again.MetricDataResults![0].Values).toEqual(res.lagold.Values);
  });

  it('serves the Query and CBOR protocols through the real server (SigV4 included)', async () => {
    for (const protocol of [AwsQueryProtocol, AwsSmithyRpcV2CborProtocol]) {
      const c = new CloudWatchClient({ endpoint: emu.url, region: 'us-east-1', credentials: creds, maxAttempts: 1, protocol });
      const l = await c.send(new ListMetricsCommand({ Namespace: 'AWS/RDS', MetricName: 'VolumeBytesUsed' }));
      expect(l.Metrics!.map((m) => m.Dimensions!.map((d) => d.Value).join('/'))).toContain('shop');
      const bad = new CloudWatchClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'wrong' }, maxAttempts: 1, protocol });
      const e = await bad.send(new ListMetricsCommand({})).catch((x) => x);
      expect(e.name).toBe('SignatureDoesNotMatch');
      expect(e.$metadata.httpStatusCode).toBe(403);
      c.destroy();
      bad.destroy();
    }
  });

  it('reports SDK-named errors through the real server', async () => {
    const e = await cw
      .send(new GetMetricDataCommand({ StartTime: new Date(clock.now - MIN), EndTime: new Date(clock.now), MetricDataQueries: [{ Id: '1bad', Expression: 'm1' }] }))
      .catch((x) => x);
    expect(e).toBeInstanceOf(InvalidParameterValueException);
    expect(e.$metadata.httpStatusCode).toBe(400);
  });
});
