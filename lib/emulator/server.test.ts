import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  FailoverDBClusterCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from './index';
import { fault, startHarness, type Harness } from '@/lib/testing/emulator-rds';

let h: Harness;
let rds: RDSClient;

beforeAll(async () => {
  h = await startHarness();
  rds = h.client();
});
afterAll(async () => h.close());

const createCluster = (id: string) =>
  new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: 'aurora-mysql', MasterUsername: 'admin', MasterUserPassword: 'Sup3rSecret!' });

describe('SigV4 and protocol errors', () => {
  it('rejects a wrong secret (SignatureDoesNotMatch) and an unknown key (InvalidClientTokenId) with 403', async () => {
    const bad = h.client('us-east-1', { accessKeyId: 'local', secretAccessKey: 'nope' });
    let e = await fault(() => bad.send(new DescribeDBClustersCommand({})));
    expect([e.name, e.status]).toEqual(['SignatureDoesNotMatch', 403]);
    const stranger = h.client('us-east-1', { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'localsecret' });
    e = await fault(() => stranger.send(new DescribeDBClustersCommand({})));
    expect([e.name, e.status]).toEqual(['InvalidClientTokenId', 403]);
  });

  it('answers an unsigned request with MissingAuthenticationToken as RDS XML', async () => {
    const res = await fetch(h.emu.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeDBClusters&Version=2014-10-31',
    });
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toContain('<Code>MissingAuthenticationToken</Code>');
    expect(text).toMatch(/^<ErrorResponse xmlns="http:\/\/rds.amazonaws.com\/doc\/2014-10-31\/">/);
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers CloudWatch auth failures in the request protocol (JSON 1.0)', async () => {
    const cw = new CloudWatchClient({ endpoint: h.emu.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'bad' }, maxAttempts: 1 });
    const e = await fault(() => cw.send(new ListMetricsCommand({ Namespace: 'AWS/RDS' })));
    expect([e.name, e.status]).toEqual(['SignatureDoesNotMatch', 403]);
    cw.destroy();
  });

  it('rejects an unknown Action (InvalidAction) and a missing parameter (MissingParameter)', async () => {
    // A signed request with a raw body: reuse the SDK's signer through a middleware that swaps the body.
    const raw = h.client();
    raw.middlewareStack.add(
      (next) => async (args: any) => {
        args.request.body = 'Action=DescribeUnicorns&Version=2014-10-31';
        delete args.request.headers['content-length'];
        return next(args);
      },
      { step: 'build', name: 'swapBody', priority: 'low' },
    );
    let e = await fault(() => raw.send(new DescribeDBClustersCommand({})));
    expect([e.name, e.status]).toEqual(['InvalidAction', 400]);
    e = await fault(() => rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: '' })));
    expect([e.name, e.status]).toEqual(['MissingParameter', 400]);
  });

  it('accepts a gzip-compressed, signed body (Content-Encoding: gzip)', async () => {
    const gz = h.client();
    gz.middlewareStack.add(
      (next) => async (args: any) => {
        args.request.body = gzipSync(Buffer.from(args.request.body as string));
        args.request.headers['content-encoding'] = 'gzip';
        delete args.request.headers['content-length'];
        return next(args);
      },
      { step: 'build', name: 'gzipBody', priority: 'low' },
    );
    const out = await gz.send(createCluster('gzipped'));
    expect(out.DBCluster!.DBClusterIdentifier).toBe('gzipped');
    const d = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'gzipped' }));
    expect(d.DBClusters).toHaveLength(1);
  });

  it('partitions state by the region of the credential scope', async () => {
    const eu = h.client('eu-west-1');
    await eu.send(createCluster('only-in-eu'));
    const e = await fault(() => rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'only-in-eu' })));
    expect(e.name).toBe('DBClusterNotFoundFault');
    const out = await eu.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'only-in-eu' }));
    expect(out.DBClusters![0].DBClusterArn).toMatch(/^arn:aws:rds:eu-west-1:/);
  });
});

describe('control API', () => {
  it('health, seed demo, counters', async () => {
    expect((await h.control('GET', '/_emulator/health')).body.ok).toBe(true);
    await h.control('POST', '/_emulator/reset');
    const seeded = await h.control('POST', '/_emulator/seed', { profile: 'demo' });
    expect(seeded.status).toBe(200);
    expect(seeded.body.clusters).toEqual([
      'us-east-1/orders-prod',
      'us-east-1/analytics-pg',
      'us-east-1/billing',
      'eu-west-1/orders-eu',
      'eu-west-1/catalog-pg',
    ]);
    await h.control('POST', '/_emulator/counters/reset');
    const us = await rds.send(new DescribeDBClustersCommand({}));
    expect(us.DBClusters!.map((c) => [c.DBClusterIdentifier, c.Status, c.DBClusterMembers!.length])).toEqual([
      ['analytics-pg', 'available', 2],
      ['billing', 'available', 1],
      ['orders-prod', 'available', 3],
    ]);
    const op = us.DBClusters!.find((c) => c.DBClusterIdentifier === 'orders-prod')!;
    expect(op.BacktrackWindow).toBe(86400);
    expect(op.DBClusterMembers!.find((m) => m.IsClusterWriter)!.DBInstanceIdentifier).toBe('orders-prod-2');
    await rds.send(new DescribeDBInstancesCommand({}));
    await rds.send(new DescribeDBInstancesCommand({}));
    const counters = await h.control('GET', '/_emulator/counters');
    expect(counters.body.counters.rds).toEqual({ DescribeDBClusters: 1, DescribeDBInstances: 2 });
    expect((await h.control('POST', '/_emulator/seed', { profile: 'demo' })).status).toBe(409);
    const dp = h.emu.model.clusters('us-east-1', h.clock.now).find((c) => c.id === 'orders-prod')!;
    expect(dp.failovers).toHaveLength(1);
    expect(dp.writerHistory.map((w) => w.instanceId)).toEqual(['orders-prod-1', 'orders-prod-2']);
    expect(dp.backtracks).toHaveLength(1);
  });

  it('injects throttling by count and 5xx errors, then clears them', async () => {
    let r = await h.control('POST', '/_emulator/faults', { operation: 'DescribeDBClusters', throttleCount: 1 });
    expect(r.status).toBe(200);
    let e = await fault(() => rds.send(new DescribeDBClustersCommand({})));
    expect([e.name, e.status, e.message]).toEqual(['Throttling', 400, 'Rate exceeded']);
    await rds.send(new DescribeDBClustersCommand({})); // count used up
    await h.control('POST', '/_emulator/faults', { operation: '*', service: 'rds', errorRate: 1, errorStatus: 503 });
    e = await fault(() => rds.send(new DescribeDBInstancesCommand({})));
    expect([e.name, e.status]).toEqual(['ServiceUnavailable', 503]);
    await h.control('DELETE', '/_emulator/faults');
    await rds.send(new DescribeDBInstancesCommand({}));
    await h.control('POST', '/_emulator/faults', { operation: 'DescribeDBInstances', errorCount: 1 });
    e = await fault(() => rds.send(new DescribeDBInstancesCommand({})));
    expect([e.name, e.status]).toEqual(['InternalFailure', 500]);
    r = await h.control('POST', '/_emulator/faults', { operation: 'X', throttleRate: 2 });
    expect(r.status).toBe(400);
    await h.control('DELETE', '/_emulator/faults');
  });

  it('adds latency', async () => {
    await h.control('POST', '/_emulator/faults', { operation: 'DescribeDBSubnetGroups', latencyMs: 150 });
    const t = Date.now();
    await rds.send(new (await import('@aws-sdk/client-rds')).DescribeDBSubnetGroupsCommand({}));
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    await h.control('DELETE', '/_emulator/faults');
  });

  it('sets a workload and durations', async () => {
    const w = await h.control('POST', '/_emulator/workload', { region: 'us-east-1', cluster: 'billing', workload: 'write-heavy' });
    expect(w.status).toBe(200);
    const dp = h.emu.model.clusters('us-east-1', h.clock.now).find((c) => c.id === 'billing')!;
    expect(dp.workloadHistory).toEqual([{ workload: 'write-heavy', from: h.clock.now }]);
    expect((await h.control('POST', '/_emulator/workload', { region: 'us-east-1', cluster: 'nope', workload: 'idle' })).status).toBe(404);
    expect((await h.control('POST', '/_emulator/workload', { region: 'us-east-1', cluster: 'billing', workload: 'turbo' })).status).toBe(400);
    const d = await h.control('POST', '/_emulator/config/durations', { failover: 5000 });
    expect(d.body.durations.failover).toBe(5000);
    expect((await h.control('GET', '/_emulator/config/durations')).body.durations.failover).toBe(5000);
    expect((await h.control('POST', '/_emulator/config/durations', { warp: 1 })).status).toBe(400);
  });
});

describe('persistence', () => {
  it('keeps clusters, instances, events and in-flight operations across a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afc-emu-'));
    let now = Date.parse('2026-03-01T00:00:00Z');
    const opts = { port: 0, dataDir: dir, profile: 'test' as const, now: () => now };
    let emu = await startEmulator(opts);
    let client = new RDSClient({ endpoint: emu.url, region: 'us-east-1', credentials: emu.credentials, maxAttempts: 1 });
    await client.send(createCluster('durable'));
    await client.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'durable-1', DBClusterIdentifier: 'durable', Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large' }));
    client.destroy();
    await emu.close();
    expect(fs.existsSync(path.join(dir, 'emulator.db'))).toBe(true);

    now += 500;
    emu = await startEmulator(opts);
    client = new RDSClient({ endpoint: emu.url, region: 'us-east-1', credentials: emu.credentials, maxAttempts: 1 });
    let c = (await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'durable' }))).DBClusters![0];
    expect(c.Status).toBe('creating');
    now += 5000;
    c = (await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'durable' }))).DBClusters![0];
    expect(c.Status).toBe('available');
    expect(c.DBClusterMembers).toEqual([
      { DBInstanceIdentifier: 'durable-1', IsClusterWriter: true, DBClusterParameterGroupStatus: 'in-sync', PromotionTier: 1 },
    ]);
    const { DescribeEventsCommand } = await import('@aws-sdk/client-rds');
    const ev = await client.send(new DescribeEventsCommand({}));
    // The automated snapshot taken when the cluster became available has its own events.
    expect(ev.Events!.map((x) => x.Message)).toEqual(['DB cluster created', 'Creating automated cluster snapshot', 'DB instance created', 'Automated cluster snapshot created']);
    client.destroy();
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('unexpected failures', () => {
  it('answers InternalFailure 500 in RDS XML, without a stack trace', async () => {
    const model = h.emu.model;
    const original = model.listClusters.bind(model);
    model.listClusters = () => {
      throw new Error('boom: simulated bug');
    };
    const errors: unknown[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => void errors.push(a);
    try {
      const e = await fault(() => rds.send(new DescribeDBClustersCommand({})));
      expect([e.name, e.status]).toEqual(['InternalFailure', 500]);
      expect(e.message).not.toContain('boom');
      expect(errors).toHaveLength(1);
    } finally {
      model.listClusters = original;
      console.error = orig;
    }
    const ok = await rds.send(new DescribeDBClustersCommand({}));
    expect(ok.DBClusters).toBeDefined();
  });
});
