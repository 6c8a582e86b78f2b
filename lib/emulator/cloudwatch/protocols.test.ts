// Wire-level tests: the same service over AWS JSON 1.0, Query and Smithy RPC v2 CBOR.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { EmulatorRequest } from '../http-types';
import { cborDecode, cborEncode } from '../protocols/cbor';
import { cloudWatchError, createCloudWatchService } from './service';
import { demoCluster, MIN, staticSource } from '@/lib/testing/cloudwatch-fixtures';

const now = Date.parse('2026-03-01T12:00:00Z');
const svc = createCloudWatchService({ db: new Database(':memory:'), source: staticSource([demoCluster(now, { ageMin: 120 })]) });

function req(over: Partial<EmulatorRequest>): EmulatorRequest {
  return { method: 'POST', path: '/', headers: {}, body: Buffer.alloc(0), region: 'us-east-1', service: 'monitoring', requestId: 'req-1', now, ...over };
}
const jsonReq = (op: string, body: unknown, queryMode = true) =>
  req({
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `GraniteServiceVersion20100801.${op}`, ...(queryMode ? { 'x-amzn-query-mode': 'true' } : {}) },
    body: Buffer.from(JSON.stringify(body)),
  });
const queryReq = (params: Record<string, string>) =>
  req({ headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: Buffer.from(new URLSearchParams(params).toString()) });
const cborReq = (op: string, body: unknown) =>
  req({
    path: `/service/GraniteServiceVersion20100801/operation/${op}`,
    headers: { 'content-type': 'application/cbor', accept: 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-query-mode': 'true' },
    body: cborEncode(body),
  });

const end = now - (now % MIN);
const start = end - 5 * MIN;

describe('AWS JSON 1.0', () => {
  it('answers with epoch-second timestamps and the request id', async () => {
    const r = await svc.handle(
      jsonReq('GetMetricData', {
        StartTime: start / 1000,
        EndTime: end / 1000,
        MetricDataQueries: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-1' }] }, Period: 60, Stat: 'Maximum' } }],
      }),
    );
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(r.headers['x-amzn-requestid']).toBe('req-1');
    expect(r.operation).toBe('GetMetricData');
    const body = JSON.parse(String(r.body));
    expect(body.MetricDataResults[0].Timestamps).toEqual([4, 3, 2, 1, 0].map((k) => (start + k * MIN) / 1000));
    expect(body.Messages).toEqual([]);
  });

  it('sends query-compatible errors: 400 without x-amzn-query-mode, the modeled status with it', async () => {
    const bad = { StartTime: end / 1000, EndTime: start / 1000, MetricDataQueries: [] };
    const a = await svc.handle(jsonReq('GetMetricData', bad, false));
    expect(a.status).toBe(400);
    expect(a.headers['x-amzn-query-error']).toBe('InvalidParameterValue;Sender');
    expect(JSON.parse(String(a.body))).toEqual({ __type: 'com.amazonaws.cloudwatch.v2010_08_01#InvalidParameterValueException', message: expect.stringContaining('StartTime') });
    const nf = cloudWatchError(jsonReq('GetMetricData', {}, false), 'ResourceNotFound', 'nope', 404);
    expect(nf.status).toBe(400);
    const nf2 = cloudWatchError(jsonReq('GetMetricData', {}, true), 'ResourceNotFound', 'nope', 404);
    expect(nf2.status).toBe(404);
    expect(nf2.headers['x-amzn-query-error']).toBe('ResourceNotFound;Sender');
    const thr = cloudWatchError(jsonReq('GetMetricData', {}, true), 'Throttling', 'Rate exceeded', 400);
    expect(JSON.parse(String(thr.body)).__type).toMatch(/#Throttling$/);
    const internal = cloudWatchError(jsonReq('ListMetrics', {}, false), 'InternalServiceError', 'boom', 500);
    expect(internal.status).toBe(500);
    expect(internal.headers['x-amzn-query-error']).toBe('InternalServiceError;Receiver');
    const unknown = await svc.handle(jsonReq('DescribeAlarms', {}));
    expect(unknown.status).toBe(400);
    const malformed = await svc.handle(req({ headers: { 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics' }, body: Buffer.from('{nope') }));
    expect(malformed.status).toBe(400);
    expect(JSON.parse(String(malformed.body)).__type).toMatch(/SerializationException/);
  });
});

describe('Query protocol', () => {
  it('decodes member lists and answers XML with ISO timestamps', async () => {
    const r = await svc.handle(
      queryReq({
        Action: 'GetMetricData',
        Version: '2010-08-01',
        StartTime: new Date(start).toISOString(),
        EndTime: new Date(end).toISOString(),
        ScanBy: 'TimestampAscending',
        'MetricDataQueries.member.1.Id': 'm1',
        'MetricDataQueries.member.1.MetricStat.Metric.Namespace': 'AWS/RDS',
        'MetricDataQueries.member.1.MetricStat.Metric.MetricName': 'DatabaseConnections',
        'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'DBInstanceIdentifier',
        'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': 'orders-1',
        'MetricDataQueries.member.1.MetricStat.Period': '60',
        'MetricDataQueries.member.1.MetricStat.Stat': 'Average',
      }),
    );
    expect(r.status).toBe(200);
    const xml = String(r.body);
    expect(xml).toMatch(/^<GetMetricDataResponse xmlns="http:\/\/monitoring.amazonaws.com\/doc\/2010-08-01\/"><GetMetricDataResult><MetricDataResults><member><Id>m1<\/Id><Label>DatabaseConnections<\/Label>/);
    expect(xml).toContain(`<Timestamps><member>${new Date(start).toISOString()}</member>`);
    expect(xml.match(/<Values>(.*?)<\/Values>/)![1].match(/<member>/g)).toHaveLength(5);
    expect(xml).toContain('<StatusCode>Complete</StatusCode>');
    expect(xml).toContain('<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>');
  });

  it('answers ErrorResponse with the modeled status', async () => {
    const r = await svc.handle(queryReq({ Action: 'PutMetricData', Version: '2010-08-01', Namespace: 'App' }));
    expect(r.status).toBe(400);
    expect(String(r.body)).toMatch(/<ErrorResponse xmlns="http:\/\/monitoring.amazonaws.com\/doc\/2010-08-01\/"><Error><Type>Sender<\/Type><Code>MissingParameter<\/Code>/);
    const nf = cloudWatchError(queryReq({ Action: 'ListMetrics' }), 'ResourceNotFound', 'x', 404);
    expect(nf.status).toBe(404);
    const act = await svc.handle(queryReq({ Action: 'Nope', Version: '2010-08-01' }));
    expect(String(act.body)).toContain('<Code>InvalidAction</Code>');
    expect(svc.operationOf(queryReq({ Action: 'ListMetrics', Version: '2010-08-01' }))).toBe('ListMetrics');
  });

  it('PutMetricData via Query round-trips into ListMetrics', async () => {
    const put = await svc.handle(
      queryReq({
        Action: 'PutMetricData', Version: '2010-08-01', Namespace: 'Query/Test',
        'MetricData.member.1.MetricName': 'Hits', 'MetricData.member.1.Value': '3', 'MetricData.member.1.Unit': 'Count',
        'MetricData.member.1.Timestamp': new Date(now - MIN).toISOString(),
      }),
    );
    expect(put.status).toBe(200);
    const list = await svc.handle(queryReq({ Action: 'ListMetrics', Version: '2010-08-01', Namespace: 'Query/Test' }));
    expect(String(list.body)).toContain('<Metrics><member><Namespace>Query/Test</Namespace><MetricName>Hits</MetricName><Dimensions></Dimensions></member></Metrics>');
  });
});

describe('Smithy RPC v2 CBOR', () => {
  it('round-trips with tag-1 timestamps and echoes smithy-protocol', async () => {
    const r = await svc.handle(
      cborReq('GetMetricData', {
        StartTime: new Date(start),
        EndTime: new Date(end),
        MetricDataQueries: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-1' }] }, Period: 300, Stat: 'Average' } }],
      }),
    );
    expect(r.status).toBe(200);
    expect(r.headers['smithy-protocol']).toBe('rpc-v2-cbor');
    expect(Buffer.from(r.body as Buffer).includes(Buffer.from([0xc1, 0xfb]))).toBe(true);
    const body = cborDecode(r.body as Buffer) as { MetricDataResults: { Timestamps: Date[]; Values: number[] }[] };
    expect(body.MetricDataResults[0].Timestamps).toEqual([new Date(start)]);
    expect(body.MetricDataResults[0].Values[0]).toBeGreaterThan(0);
    const err = await svc.handle(cborReq('GetMetricData', { StartTime: new Date(end), EndTime: new Date(start), MetricDataQueries: [] }));
    expect(err.status).toBe(400);
    expect(err.headers['x-amzn-query-error']).toBe('InvalidParameterValue;Sender');
    expect((cborDecode(err.body as Buffer) as { __type: string }).__type).toMatch(/InvalidParameterValueException$/);
  });

  it('decodes indefinite-length items and half floats', () => {
    const buf = Buffer.from([0xbf, 0x61, 0x61, 0x9f, 0x01, 0xf9, 0x3c, 0x00, 0xff, 0xff]);
    expect(cborDecode(buf)).toEqual({ a: [1, 1] });
    expect(cborDecode(cborEncode({ x: -5, y: 1.5, s: 'héllo', b: true, n: null }))).toEqual({ x: -5, y: 1.5, s: 'héllo', b: true, n: null });
  });
});
