// The real @aws-sdk/client-cloudwatch switched to each of its three protocols (Query, JSON 1.0,
// Smithy RPC v2 CBOR): same answers, same named exceptions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsJson1_0Protocol, AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
  InvalidParameterValueException,
  InvalidNextToken,
} from '@aws-sdk/client-cloudwatch';
import { demoCluster, MIN, startTestServer, staticSource, type TestServer } from '@/lib/testing/cloudwatch-fixtures';

const now = Date.now();
let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer(staticSource([demoCluster(now, { ageMin: 60 })]));
});
afterAll(async () => {
  await srv.close();
});

const protocols = { query: AwsQueryProtocol, json: AwsJson1_0Protocol, cbor: AwsSmithyRpcV2CborProtocol } as const;

describe.each(Object.entries(protocols))('SDK over %s', (name, protocol) => {
  const client = () =>
    new CloudWatchClient({ region: 'us-east-1', endpoint: srv.url, credentials: { accessKeyId: 'local', secretAccessKey: 'localsecret' }, maxAttempts: 1, protocol });

  it('GetMetricData, GetMetricStatistics, ListMetrics and PutMetricData work', async () => {
    const cw = client();
    srv.seen.length = 0;
    const end = new Date(Math.floor(now / MIN) * MIN);
    const start = new Date(end.getTime() - 10 * MIN);
    const r = await cw.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [
          { Id: 'm1', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'CommitThroughput', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-1' }] }, Period: 60, Stat: 'Average' } },
          { Id: 'e1', Expression: 'm1*2' },
        ],
      }),
    );
    const [m1, e1] = r.MetricDataResults!;
    expect(m1.Timestamps).toHaveLength(10);
    expect(m1.Timestamps![0]).toEqual(new Date(end.getTime() - MIN));
    expect(e1.Values).toEqual(m1.Values!.map((v) => Math.round(v * 2 * 1e6) / 1e6));
    const ns = `Proto/${name}`;
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: 'Hits', Value: 7, Timestamp: new Date(end.getTime() - 2 * MIN), Unit: 'Count' }] }));
    const st = await cw.send(new GetMetricStatisticsCommand({ Namespace: ns, MetricName: 'Hits', StartTime: start, EndTime: end, Period: 600, Statistics: ['Sum'] }));
    expect(st.Datapoints).toEqual([{ Timestamp: start, Sum: 7, Unit: 'Count' }]);
    const l = await cw.send(new ListMetricsCommand({ Namespace: ns }));
    expect(l.Metrics).toEqual([{ Namespace: ns, MetricName: 'Hits', Dimensions: [] }]);
    expect(new Set(srv.seen)).toEqual(new Set([name]));
    cw.destroy();
  });

  it('raises named exceptions with the query-compatible Code', async () => {
    const cw = client();
    const e = await cw.send(new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData: [{ MetricName: 'x', Value: 1 }] })).catch((x) => x);
    expect(e).toBeInstanceOf(InvalidParameterValueException);
    expect(e.$metadata.httpStatusCode).toBe(400);
    const t = await cw
      .send(new GetMetricDataCommand({ StartTime: new Date(now - MIN), EndTime: new Date(now), NextToken: 'nope', MetricDataQueries: [{ Id: 'a', Expression: '1' }] }))
      .catch((x) => x);
    expect(t).toBeInstanceOf(InvalidNextToken);
    cw.destroy();
  });
});
