import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Faults } from './control';
import { startEmulator, type RunningEmulator } from './index';

describe('fault rules', () => {
  it('throttles by count, then by rate; errors 500/503; latency is the max of matching rules', () => {
    let r = 0.5;
    const f = new Faults(() => r);
    f.add({ operation: 'DescribeDBClusters', throttleCount: 2, latencyMs: 10 });
    f.add({ operation: '*', service: 'monitoring', errorRate: 0.6, errorStatus: 503, latencyMs: 30 });
    expect(f.decide('rds', 'DescribeDBClusters').fail?.code).toBe('Throttling');
    expect(f.decide('rds', 'DescribeDBClusters')).toEqual({ latencyMs: 10, fail: { code: 'Throttling', message: 'Rate exceeded', status: 400 } });
    expect(f.decide('rds', 'DescribeDBClusters')).toEqual({ latencyMs: 10, fail: undefined });
    expect(f.decide('rds', 'DescribeDBInstances')).toEqual({ latencyMs: 0, fail: undefined });
    expect(f.decide('monitoring', 'GetMetricData').fail).toMatchObject({ code: 'ServiceUnavailable', status: 503 });
    r = 0.9;
    expect(f.decide('monitoring', 'GetMetricData')).toEqual({ latencyMs: 30, fail: undefined });
    f.add({ operation: 'DescribeDBClusters', errorCount: 1 });
    expect(f.list().filter((x) => x.operation === 'DescribeDBClusters')).toHaveLength(1); // replaced, not stacked
    expect(f.decide('rds', 'DescribeDBClusters').fail).toMatchObject({ code: 'InternalFailure', status: 500 });
    f.clear();
    expect(f.list()).toEqual([]);
  });
});

const external = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe.skipIf(!external)('control API is loopback-only', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ host: '0.0.0.0', port: 0, dataDir: ':memory:', profile: 'test' });
  });
  afterAll(async () => emu.close());

  it('answers loopback clients and refuses others with 403', async () => {
    const local = await fetch(`http://127.0.0.1:${emu.port}/_emulator/health`);
    expect(local.status).toBe(200);
    const remote = await fetch(`http://${external}:${emu.port}/_emulator/reset`, { method: 'POST' });
    expect(remote.status).toBe(403);
    expect(await remote.json()).toEqual({ error: 'The control API only answers loopback clients.' });
  });
});
