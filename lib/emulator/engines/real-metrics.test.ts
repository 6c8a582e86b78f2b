// Metrics from a real engine: 1,000 inserts by a client show up in the writer's CommitThroughput, read with the
// real @aws-sdk/client-cloudwatch from the local endpoint.
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDBClusterCommand, CreateDBInstanceCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '@/lib/emulator';
import { startRealEndpoint, until } from '@/lib/testing/real-engines';

let emu: RunningEmulator;
let rds: RDSClient;
let cw: CloudWatchClient;
let endpoint: Awaited<ReturnType<typeof startRealEndpoint>> | undefined;

beforeAll(async () => {
  endpoint = await startRealEndpoint('afc-metrics-');
  ({ emu, rds, cw } = endpoint);
}, 60_000);

afterAll(() => endpoint?.close(), 60_000);

async function commitSeries(instanceId: string, start: Date, end: Date) {
  const out = await cw.send(
    new GetMetricDataCommand({
      StartTime: start,
      EndTime: end,
      MetricDataQueries: [
        {
          Id: 'commit',
          MetricStat: {
            Metric: { Namespace: 'AWS/RDS', MetricName: 'CommitThroughput', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: instanceId }] },
            Period: 60,
            Stat: 'Average',
          },
        },
        {
          Id: 'conn',
          MetricStat: {
            Metric: { Namespace: 'AWS/RDS', MetricName: 'DatabaseConnections', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: instanceId }] },
            Period: 60,
            Stat: 'Average',
          },
        },
      ],
    }),
  );
  return Object.fromEntries(out.MetricDataResults!.map((r) => [r.Id, { t: r.Timestamps!, v: r.Values! }])) as Record<string, { t: Date[]; v: number[] }>;
}

describe('CloudWatch metrics from a real PostgreSQL', () => {
  it('1,000 inserts show up in the writer’s CommitThroughput; a held connection in DatabaseConnections', async () => {
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'metrics-pg', Engine: 'aurora-postgresql', MasterUsername: 'admin', MasterUserPassword: 'Metrics-Passw0rd' }));
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'metrics-pg-1', DBClusterIdentifier: 'metrics-pg', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large' }));
    await until('metrics-pg-1 available', async () => (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'metrics-pg-1' }))).DBInstances![0].DBInstanceStatus === 'available');
    const c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'metrics-pg' }))).DBClusters![0];

    const client = new pg.Client({ host: c.Endpoint, port: c.Port, user: 'admin', password: 'Metrics-Passw0rd', database: 'postgres' });
    await client.connect();
    // Ended even when an assertion fails: left open, the endpoint's shutdown would drop it as an unhandled error.
    try {
      await client.query('CREATE TABLE hits (id serial PRIMARY KEY, at timestamptz DEFAULT now())');
      // Commits per minute, as the chart's points say: each point is a per-second average over its minute.
      const committed = async () => {
        await emu.engines!.sample();
        const now = Date.now();
        const s = await commitSeries('metrics-pg-1', new Date(now - 10 * 60_000), new Date(now + 60_000));
        return { commits: s.commit.v.reduce((sum, v) => sum + v * 60, 0), connections: s.conn.v[0] };
      };
      const before = (await committed()).commits;
      expect(before).toBeLessThan(500);
      for (let n = 0; n < 1000; n++) await client.query('INSERT INTO hits DEFAULT VALUES');
      // PostgreSQL publishes a busy backend's statistics about once a second: the next samples see them.
      await until('1,000 more commits in CommitThroughput', async () => (await committed()).commits - before >= 1000, 30_000);
      expect((await committed()).connections).toBeGreaterThanOrEqual(1);
    } finally {
      await client.end().catch(() => undefined);
    }
  }, 120_000);
});
