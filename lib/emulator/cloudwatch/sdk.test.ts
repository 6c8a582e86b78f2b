// Drives the real @aws-sdk/client-cloudwatch (AWS JSON 1.0, query-compatible) against the service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
  InvalidParameterValueException,
  InvalidParameterCombinationException,
  InvalidNextToken,
  MissingRequiredParameterException,
} from '@aws-sdk/client-cloudwatch';
import { demoCluster, MIN, startTestServer, staticSource, type TestServer } from '@/lib/testing/cloudwatch-fixtures';

const now = Date.now();
const cluster = demoCluster(now, { ageMin: 240, failoverAtMin: 160 });
let srv: TestServer;
let cw: CloudWatchClient;

beforeAll(async () => {
  srv = await startTestServer(staticSource([cluster]));
  cw = new CloudWatchClient({
    region: 'us-east-1',
    endpoint: srv.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'localsecret' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  cw.destroy();
  await srv.close();
});

const inst = (id: string) => [{ Name: 'DBInstanceIdentifier', Value: id }];

describe('GetMetricData through the real SDK', () => {
  it('returns newest-first minute points aligned to the period, with metric-name labels', async () => {
    const end = new Date(Math.floor(now / MIN) * MIN);
    const start = new Date(end.getTime() - 30 * MIN);
    const r = await cw.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [
          { Id: 'cpu', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'CPUUtilization', Dimensions: inst('orders-1') }, Period: 60, Stat: 'Average' } },
          { Id: 'lag5', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'AuroraReplicaLag', Dimensions: inst('orders-1') }, Period: 300, Stat: 'Maximum' } },
        ],
      }),
    );
    const [cpu, lag] = r.MetricDataResults!;
    expect(cpu.Id).toBe('cpu');
    expect(cpu.Label).toBe('CPUUtilization');
    expect(cpu.StatusCode).toBe('Complete');
    expect(cpu.Timestamps).toHaveLength(30);
    expect(cpu.Timestamps![0]).toBeInstanceOf(Date);
    expect(cpu.Timestamps![0].getTime()).toBe(end.getTime() - MIN);
    expect(cpu.Timestamps![29].getTime()).toBe(start.getTime());
    for (const v of cpu.Values!) expect(v).toBeGreaterThan(0);
    // orders-1 became a reader after the failover at minute 160, 80 minutes ago: it reports lag now.
    expect(lag.Timestamps!.length).toBe(6);
    for (const t of lag.Timestamps!) expect((t.getTime() - start.getTime()) % (5 * MIN)).toBe(0);
  });

  it('pages with MaxDatapoints + NextToken and reports PartialData', async () => {
    const end = new Date(Math.floor(now / MIN) * MIN);
    const start = new Date(end.getTime() - 20 * MIN);
    const base = {
      StartTime: start,
      EndTime: end,
      ScanBy: 'TimestampAscending' as const,
      MaxDatapoints: 15,
      MetricDataQueries: [
        { Id: 'a', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'CommitThroughput', Dimensions: inst('orders-2') }, Period: 60, Stat: 'Sum' } },
        { Id: 'b', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'DatabaseConnections', Dimensions: inst('orders-2') }, Period: 60, Stat: 'Average' } },
      ],
    };
    const p1 = await cw.send(new GetMetricDataCommand(base));
    expect(p1.MetricDataResults![0].Values).toHaveLength(15);
    expect(p1.MetricDataResults![0].StatusCode).toBe('PartialData');
    expect(p1.NextToken).toBeTruthy();
    const p2 = await cw.send(new GetMetricDataCommand({ ...base, NextToken: p1.NextToken }));
    expect(p2.MetricDataResults![0].Values).toHaveLength(5);
    expect(p2.MetricDataResults![0].StatusCode).toBe('Complete');
    expect(p2.MetricDataResults![1].Values).toHaveLength(10);
    expect(p2.MetricDataResults![1].StatusCode).toBe('PartialData');
    const p3 = await cw.send(new GetMetricDataCommand({ ...base, NextToken: p2.NextToken }));
    expect(p3.MetricDataResults![1].Values).toHaveLength(10);
    expect(p3.NextToken).toBeUndefined();
    const ascending = [...p1.MetricDataResults![0].Timestamps!, ...p2.MetricDataResults![0].Timestamps!].map((d) => d.getTime());
    expect(ascending).toEqual([...ascending].sort((x, y) => x - y));
    expect(new Set(ascending).size).toBe(20);
    await expect(cw.send(new GetMetricDataCommand({ ...base, NextToken: 'garbage' }))).rejects.toBeInstanceOf(InvalidNextToken);
  });

  it('evaluates metric math and hides ReturnData=false', async () => {
    const end = new Date(Math.floor(now / MIN) * MIN);
    const start = new Date(end.getTime() - 10 * MIN);
    const r = await cw.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [
          { Id: 'm1', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'SelectThroughput', Dimensions: inst('orders-1') }, Period: 60, Stat: 'Average' } },
          { Id: 'm2', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'SelectThroughput', Dimensions: inst('orders-2') }, Period: 60, Stat: 'Average' } },
          { Id: 'total', Expression: 'm1+m2', Label: 'Selects' },
          { Id: 'peak', Expression: 'MAX(METRICS())' },
          { Id: 'pct', Expression: 'm1*100/(m1+m2)' },
        ],
      }),
    );
    expect(r.MetricDataResults!.map((x) => x.Id)).toEqual(['total', 'peak', 'pct']);
    const [total, peak, pct] = r.MetricDataResults!;
    expect(total.Label).toBe('Selects');
    expect(total.Values).toHaveLength(10);
    for (let i = 0; i < 10; i++) {
      expect(peak.Values![i]).toBeLessThanOrEqual(total.Values![i]);
      expect(pct.Values![i]).toBeGreaterThan(0);
      expect(pct.Values![i]).toBeLessThan(100);
    }
  });

  it('raises the named exceptions with query-compatible codes and statuses', async () => {
    const end = new Date(now);
    const start = new Date(now - 10 * MIN);
    const bad = (q: object) => cw.send(new GetMetricDataCommand({ StartTime: start, EndTime: end, MetricDataQueries: [q as never] }));
    const e1 = await bad({ Id: 'Bad', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'CPUUtilization' }, Period: 60, Stat: 'Average' } }).catch((e) => e);
    expect(e1).toBeInstanceOf(InvalidParameterValueException);
    expect(e1.name).toBe('InvalidParameterValueException');
    expect(e1.Code).toBe('InvalidParameterValue');
    expect(e1.Type).toBe('Sender');
    expect(e1.$metadata.httpStatusCode).toBe(400);
    const e2 = await bad({ Id: 'x', Expression: 'm1', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'CPUUtilization' }, Period: 60, Stat: 'Average' } }).catch((e) => e);
    expect(e2).toBeInstanceOf(InvalidParameterCombinationException);
    expect(e2.Code).toBe('InvalidParameterCombination');
    const e3 = await bad({ Id: 'x', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'CPUUtilization' }, Period: 45, Stat: 'Average' } }).catch((e) => e);
    expect(e3).toBeInstanceOf(InvalidParameterValueException);
    const e4 = await bad({ Id: 'x', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'CPUUtilization' }, Period: 60, Stat: 'Median' } }).catch((e) => e);
    expect(e4).toBeInstanceOf(InvalidParameterValueException);
    const many = Array.from({ length: 501 }, (_, i) => ({ Id: `q${i}`, MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'CPUUtilization' }, Period: 60, Stat: 'Average' } }));
    const e5 = await cw.send(new GetMetricDataCommand({ StartTime: start, EndTime: end, MetricDataQueries: many })).catch((e) => e);
    expect(e5).toBeInstanceOf(InvalidParameterValueException);
    const e6 = await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'x' }] })).catch((e) => e);
    expect(e6).toBeInstanceOf(MissingRequiredParameterException);
    expect(e6.Code).toBe('MissingParameter');
  });
});

describe('PutMetricData, GetMetricStatistics, ListMetrics through the real SDK', () => {
  it('stores custom points and reads them back with statistics and percentiles', async () => {
    const t = Math.floor(now / MIN) * MIN - 5 * MIN;
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Shop/Checkout',
        MetricData: [
          { MetricName: 'Latency', Dimensions: [{ Name: 'Stage', Value: 'prod' }], Timestamp: new Date(t + 5_000), Values: [10, 20, 30, 40], Counts: [1, 1, 1, 1], Unit: 'Milliseconds' },
          { MetricName: 'Latency', Dimensions: [{ Name: 'Stage', Value: 'prod' }], Timestamp: new Date(t + 65_000), Value: 100, Unit: 'Milliseconds' },
        ],
      }),
    );
    const r = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Shop/Checkout',
        MetricName: 'Latency',
        Dimensions: [{ Name: 'Stage', Value: 'prod' }],
        StartTime: new Date(t),
        EndTime: new Date(t + 2 * MIN),
        Period: 60,
        Statistics: ['Average', 'SampleCount', 'Maximum'],
      }),
    );
    const dps = [...r.Datapoints!].sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
    expect(r.Label).toBe('Latency');
    expect(dps).toHaveLength(2);
    expect(dps[0]).toMatchObject({ Average: 25, SampleCount: 4, Maximum: 40, Unit: 'Milliseconds' });
    expect(dps[1]).toMatchObject({ Average: 100, SampleCount: 1 });
    const p = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Shop/Checkout', MetricName: 'Latency', Dimensions: [{ Name: 'Stage', Value: 'prod' }],
        StartTime: new Date(t), EndTime: new Date(t + MIN), Period: 60, ExtendedStatistics: ['p50', 'p99'],
      }),
    );
    expect(p.Datapoints![0].ExtendedStatistics).toEqual({ p50: 20, p99: 40 });
    // Exact dimension matching: no dimensions → a different metric.
    const none = await cw.send(
      new GetMetricStatisticsCommand({ Namespace: 'Shop/Checkout', MetricName: 'Latency', StartTime: new Date(t), EndTime: new Date(t + MIN), Period: 60, Statistics: ['Sum'] }),
    );
    expect(none.Datapoints).toEqual([]);
    const reserved = await cw.send(new PutMetricDataCommand({ Namespace: 'AWS/RDS', MetricData: [{ MetricName: 'x', Value: 1 }] })).catch((e) => e);
    expect(reserved).toBeInstanceOf(InvalidParameterValueException);
  });

  it('keeps high-resolution custom points at 1-second precision', async () => {
    const t = Math.floor(now / MIN) * MIN - 50_000; // deliberately not minute-aligned
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Shop/HighRes',
        MetricData: [0, 3, 12, 14, 25].map((s) => ({ MetricName: 'Orders', Timestamp: new Date(t + s * 1000), Value: s, StorageResolution: 1 })),
      }),
    );
    const r = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(t), EndTime: new Date(t + 30_000), ScanBy: 'TimestampAscending',
        MetricDataQueries: [{ Id: 'o', MetricStat: { Metric: { Namespace: 'Shop/HighRes', MetricName: 'Orders' }, Period: 10, Stat: 'Sum' } }],
      }),
    );
    expect(r.MetricDataResults![0].Timestamps!.map((d) => d.getTime() - t)).toEqual([0, 10_000, 20_000]);
    expect(r.MetricDataResults![0].Values).toEqual([3, 26, 25]);
  });

  it('answers long windows at coarse periods quickly and consistently with fine ones', async () => {
    const end = new Date(Math.floor(now / 3_600_000) * 3_600_000);
    const q = (period: number, stat: string) => ({
      Id: `p${period}${stat.toLowerCase()}`,
      MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'DatabaseConnections', Dimensions: inst('orders-2') }, Period: period, Stat: stat },
    });
    const r = await cw.send(
      new GetMetricDataCommand({ StartTime: new Date(end.getTime() - 2 * 3_600_000), EndTime: end, ScanBy: 'TimestampAscending', MetricDataQueries: [q(60, 'Average'), q(3600, 'Average'), q(3600, 'SampleCount')] }),
    );
    const [fine, coarse, count] = r.MetricDataResults!;
    // The cluster is 4 h old: both hours are fully covered whatever the minute of the hour.
    expect(count.Values).toEqual([60, 60]);
    const firstHour = fine.Values!.slice(0, 60);
    const exact = firstHour.reduce((a, b) => a + b, 0) / 60;
    expect(Math.abs(coarse.Values![0] - exact) / exact).toBeLessThan(0.15);
    // A year at one point per day: only the cluster's lifetime has data, no error, fast.
    const t = performance.now();
    const year = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(end.getTime() - 365 * 86_400_000), EndTime: end,
        MetricDataQueries: Array.from({ length: 50 }, (_, i) => ({ ...q(86_400, 'Maximum'), Id: `y${i}` })),
      }),
    );
    expect(performance.now() - t).toBeLessThan(2_000);
    expect(year.MetricDataResults![0].Values!.length).toBeGreaterThanOrEqual(1);
    expect(year.MetricDataResults![0].Values!.length).toBeLessThanOrEqual(2);
  });

  it('caps GetMetricStatistics at 1,440 datapoints with the AWS error', async () => {
    const e = await cw
      .send(new GetMetricStatisticsCommand({ Namespace: 'AWS/RDS', MetricName: 'CPUUtilization', Dimensions: inst('orders-1'), StartTime: new Date(now - 2 * 86_400_000), EndTime: new Date(now), Period: 60, Statistics: ['Average'] }))
      .catch((x) => x);
    expect(e).toBeInstanceOf(InvalidParameterCombinationException);
    expect(e.message).toMatch(/exceeds the limit of 1,440/);
  });

  it('lists data-plane and custom metrics with filters', async () => {
    const all = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/RDS', MetricName: 'AuroraReplicaLag' }));
    const sets = all.Metrics!.map((m) => m.Dimensions!.map((d) => `${d.Name}=${d.Value}`).sort().join(','));
    expect(sets).toEqual(
      expect.arrayContaining(['DBInstanceIdentifier=orders-1', 'DBInstanceIdentifier=orders-2', 'DBClusterIdentifier=orders', 'DBClusterIdentifier=orders,Role=READER']),
    );
    const byInstance = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/RDS', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-2' }] }));
    const names = byInstance.Metrics!.map((m) => m.MetricName).sort();
    expect(names).toEqual(expect.arrayContaining(['CPUUtilization', 'CommitThroughput', 'DMLThroughput', 'AuroraReplicaLag', 'AuroraReplicaLagMaximum', 'BacktrackWindowActual']));
    const custom = await cw.send(new ListMetricsCommand({ Namespace: 'Shop/Checkout' }));
    expect(custom.Metrics).toEqual([{ Namespace: 'Shop/Checkout', MetricName: 'Latency', Dimensions: [{ Name: 'Stage', Value: 'prod' }] }]);
  });
});
