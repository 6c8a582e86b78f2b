// AuroraGlobalDB* metrics of a secondary through the real @aws-sdk/client-cloudwatch: they follow the primary's
// write workload, move with a switchover, and show a regional outage (replication stops; RPO lag stays).
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDBClusterCommand, CreateDBInstanceCommand, CreateGlobalClusterCommand, DescribeGlobalClustersCommand, SwitchoverGlobalClusterCommand } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '@/lib/testing/emulator-rds';

const E = 'us-east-1';
const W = 'eu-west-1';
const MIN = 60_000;
let h: Harness;
const cw: Record<string, CloudWatchClient> = {};

beforeAll(async () => {
  h = await startHarness();
  for (const r of [E, W]) cw[r] = new CloudWatchClient({ endpoint: h.emu.url, region: r, credentials: h.emu.credentials, maxAttempts: 1 });
});
afterAll(async () => {
  for (const c of Object.values(cw)) c.destroy();
  await h.close();
});

/** One value per minute in [from, to), oldest first (NaN where none). */
async function series(region: string, cluster: string, metric: string, from: number, to: number): Promise<number[]> {
  const r = await cw[region].send(
    new GetMetricDataCommand({
      StartTime: new Date(from),
      EndTime: new Date(to),
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: metric, Dimensions: [{ Name: 'DBClusterIdentifier', Value: cluster }] }, Period: 60, Stat: 'Average' } }],
    }),
  );
  const res = r.MetricDataResults![0];
  const byTime = new Map(res.Timestamps!.map((t, i) => [t.getTime(), res.Values![i]]));
  const out: number[] = [];
  for (let t = from; t < to; t += MIN) out.push(byTime.get(t) ?? NaN);
  return out;
}

const minuteAt = (t: number) => Math.floor(t / MIN) * MIN;
const defined = (xs: number[]) => xs.filter((x) => !Number.isNaN(x));

describe('AuroraGlobalDB* metrics', () => {
  let joined = 0;
  let heavyFrom = 0;
  let switched = 0;

  it('appear on the secondary only, in its region, and follow the primary write workload', async () => {
    const east = h.client(E);
    const west = h.client(W);
    await east.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'm-east', Engine: 'aurora-mysql', MasterUsername: 'admin', MasterUserPassword: 'Sup3rSecret!' }));
    await east.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'm-east-1', DBClusterIdentifier: 'm-east', Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large' }));
    h.advance(2000);
    await east.send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: 'mg', SourceDBClusterIdentifier: 'arn:aws:rds:us-east-1:123456789012:cluster:m-east' }));
    await west.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'm-west', Engine: 'aurora-mysql', GlobalClusterIdentifier: 'mg' }));
    await west.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'm-west-1', DBClusterIdentifier: 'm-west', Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large' }));
    joined = h.clock.now;
    h.advance(10 * MIN);
    heavyFrom = minuteAt(h.clock.now) + MIN;
    h.clock.now = heavyFrom;
    expect((await h.control('POST', '/_emulator/workload', { region: E, cluster: 'm-east', workload: 'write-heavy' })).status).toBe(200);
    h.advance(10 * MIN);

    const steadyFrom = minuteAt(joined) + 3 * MIN;
    const lagSteady = defined(await series(W, 'm-west', 'AuroraGlobalDBReplicationLag', steadyFrom, heavyFrom));
    const lagHeavy = defined(await series(W, 'm-west', 'AuroraGlobalDBReplicationLag', heavyFrom, heavyFrom + 10 * MIN));
    expect(lagSteady.length).toBeGreaterThanOrEqual(6);
    expect(lagHeavy.length).toBe(10);
    expect(Math.min(...lagHeavy)).toBeGreaterThan(Math.max(...lagSteady));
    const rpoHeavy = defined(await series(W, 'm-west', 'AuroraGlobalDBRPOLag', heavyFrom, heavyFrom + 10 * MIN));
    rpoHeavy.forEach((v, i) => expect(v).toBeGreaterThan(lagHeavy[i]));
    const ioSteady = defined(await series(W, 'm-west', 'AuroraGlobalDBReplicatedWriteIO', steadyFrom, heavyFrom));
    const ioHeavy = defined(await series(W, 'm-west', 'AuroraGlobalDBReplicatedWriteIO', heavyFrom, heavyFrom + 10 * MIN));
    expect(Math.min(...ioHeavy)).toBeGreaterThan(2 * Math.max(...ioSteady));
    expect(defined(await series(W, 'm-west', 'AuroraGlobalDBDataTransferBytes', heavyFrom, heavyFrom + 10 * MIN)).length).toBe(10);
    // The primary publishes none; the secondary's region lists them, the primary's does not.
    expect(defined(await series(E, 'm-east', 'AuroraGlobalDBReplicationLag', steadyFrom, heavyFrom + 10 * MIN))).toEqual([]);
    const listed = await cw[W].send(new ListMetricsCommand({ Namespace: 'AWS/RDS', Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'm-west' }] }));
    const names = listed.Metrics!.filter((m) => m.Dimensions!.length === 1).map((m) => m.MetricName!);
    expect(names).toEqual(expect.arrayContaining(['AuroraGlobalDBReplicationLag', 'AuroraGlobalDBRPOLag', 'AuroraGlobalDBReplicatedWriteIO', 'AuroraGlobalDBDataTransferBytes']));
    const listedEast = await cw[E].send(new ListMetricsCommand({ Namespace: 'AWS/RDS', MetricName: 'AuroraGlobalDBReplicationLag' }));
    expect(listedEast.Metrics).toEqual([]);
  });

  it('move to the former primary after a switchover', async () => {
    await h.client(W).send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'mg', TargetDbClusterIdentifier: 'arn:aws:rds:eu-west-1:123456789012:cluster:m-west' }));
    h.advance(5000);
    const g = (await h.client(E).send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'mg' }))).GlobalClusters![0];
    expect(g.FailoverState).toBeUndefined();
    switched = minuteAt(h.clock.now) + MIN;
    h.clock.now = switched + 10 * MIN;
    const westAfter = defined(await series(W, 'm-west', 'AuroraGlobalDBReplicationLag', switched, switched + 10 * MIN));
    const eastAfter = await series(E, 'm-east', 'AuroraGlobalDBReplicationLag', switched, switched + 10 * MIN);
    expect(westAfter).toEqual([]);
    expect(defined(eastAfter).length).toBe(10);
    // The first minutes after the role change replicate a backlog: higher than the rest.
    expect(Math.min(eastAfter[0], eastAfter[1])).toBeGreaterThan(Math.max(...eastAfter.slice(3)));
  });

  it('show a primary-region outage: replication lag grows, the RPO lag (writes at risk) stays, no write I/O arrives', async () => {
    const from = minuteAt(h.clock.now) + MIN;
    h.clock.now = from;
    await h.control('POST', `/_emulator/regions/${W}/outage`, { unreachable: true });
    h.advance(6 * MIN);
    const lag = await series(E, 'm-east', 'AuroraGlobalDBReplicationLag', from, from + 6 * MIN);
    const rpo = await series(E, 'm-east', 'AuroraGlobalDBRPOLag', from, from + 6 * MIN);
    const io = await series(E, 'm-east', 'AuroraGlobalDBReplicatedWriteIO', from, from + 6 * MIN);
    for (let i = 1; i < lag.length; i++) expect(lag[i] - lag[i - 1]).toBe(MIN);
    expect(new Set(rpo).size).toBe(1);
    expect(rpo[0]).toBeLessThan(1000);
    expect(io).toEqual([0, 0, 0, 0, 0, 0]);
    const down = await cw[W].send(new ListMetricsCommand({})).catch((e: { name: string }) => e.name);
    expect(down).toBe('ServiceUnavailable');
    await h.control('POST', `/_emulator/regions/${W}/outage`, { unreachable: false });
  });
});
