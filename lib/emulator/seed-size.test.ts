// The control API's big-fleet seed (size, regions, prefix), its removal, and the per-region counters the
// budget figures are read from, driven through the real RDS SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { startEmulator, type RunningEmulator } from './index';

const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'eu-central-1', 'ap-southeast-1'];
let emu: RunningEmulator;

async function control(path: string, body?: unknown) {
  const res = await fetch(`${emu.url}/_emulator/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function count(region: string, prefix: string): Promise<number> {
  const rds = new RDSClient({ region, endpoint: emu.url, credentials: emu.credentials, maxAttempts: 1 });
  let n = 0;
  let marker: string | undefined;
  do {
    const page = await rds.send(new DescribeDBClustersCommand({ MaxRecords: 100, Marker: marker }));
    n += (page.DBClusters ?? []).filter((c) => c.DBClusterIdentifier!.startsWith(`${prefix}-`)).length;
    marker = page.Marker;
  } while (marker);
  rds.destroy();
  return n;
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, dataDir: ':memory:', profile: 'test', regions: REGIONS });
});
afterAll(async () => emu?.close());

describe('seed by size', () => {
  it('1,000 simulated clusters over 5 regions in one call, counted per region, and removed again by prefix', async () => {
    const t = performance.now();
    const r = await control('seed', { size: 1000, maxInstances: 1, prefix: 'big', regions: REGIONS });
    expect(r).toEqual({ status: 200, body: { ok: true, clusters: 1000 } });
    expect(performance.now() - t).toBeLessThan(20_000);
    await control('counters/reset', {});
    expect(await count('us-west-2', 'big')).toBe(200);
    const c = (await control('counters')).body;
    // 200 clusters = two DescribeDBClusters pages of 100, all in us-west-2.
    expect(c.byRegion).toEqual({ 'us-west-2': { rds: { DescribeDBClusters: 2 } } });
    expect(c.metricsRequestedByRegion).toEqual({});
    const removed = await control('seed/remove', { prefix: 'big' });
    expect(removed.body).toEqual({ ok: true, removed: 1000 });
    expect(await count('us-west-2', 'big')).toBe(0);
  });

  it('refuses a bad prefix or size with a message', async () => {
    expect(await control('seed', { size: 10, prefix: '../x' })).toMatchObject({ status: 400, body: { error: expect.stringContaining('prefix must be') } });
    expect(await control('seed', { size: 100_000 })).toMatchObject({ status: 400, body: { error: 'size must be a number in [0, 5000].' } });
  });
});
