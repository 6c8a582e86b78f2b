// The RDS API budget and the CloudWatch bill, driven through the real SDK against the local endpoint: N
// concurrent readers cost one AWS call, a failure is not served from the cache, regions are isolated, the
// poll schedule tightens while something moves, and the endpoint's per-region counters agree with the
// console's own count of metrics requested.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/lib/emulator';

const h = vi.hoisted(() => ({ url: '' }));
vi.mock('@/lib/env', () => ({
  getEnv: () => ({
    backend: 'local',
    regions: ['us-east-1', 'eu-west-1', 'us-west-2', 'eu-central-1', 'ap-southeast-1'],
    emulator: { url: h.url, accessKeyId: 'local', secretAccessKey: 'localsecret', profile: 'test' },
  }),
}));

import { countAwsCalls, resetAwsCallCounters, resetAwsClients } from './clients';
import { getMetricCounters, getFleetHealth, resetMetricCounters } from './metrics';
import { isRegionBusy, markRegionBusy, readMaxAge, READ_SCHEDULE, resetPollSchedule } from './poll-schedule';
import { cachedRead, clearReadCache, invalidateRegionReads } from './read-cache';
import { getCluster, listClusters } from './rds/clusters';

const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'eu-central-1', 'ap-southeast-1'];
const SEEDED = ['us-east-1', 'eu-west-1'];
let emu: RunningEmulator;

async function control(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') {
  const res = await fetch(`${emu.url}/_emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, dataDir: ':memory:', profile: 'test', regions: REGIONS });
  h.url = emu.url;
  resetAwsClients();
  // 400 clusters over 2 regions through the control API's size option (200 each: two DescribeDBClusters pages).
  await control('seed', { size: 400, maxInstances: 3, regions: SEEDED });
}, 120_000);
afterAll(async () => {
  resetAwsClients();
  await emu?.close();
});
beforeEach(async () => {
  clearReadCache();
  resetPollSchedule();
  resetAwsCallCounters();
  resetMetricCounters();
  await control('faults', undefined, 'DELETE');
  await control('counters/reset', {});
});

describe('shared RDS reads', () => {
  it('20 concurrent viewers of a region cost one paged listing: ⌈clusters/100⌉ + ⌈instances/100⌉ calls', async () => {
    const all = await Promise.all(Array.from({ length: 20 }, () => listClusters('us-east-1')));
    expect(new Set(all.map((a) => a.length))).toEqual(new Set([200]));
    const instances = all[0].reduce((n, c) => n + c.instances.length, 0);
    const c = await control('counters');
    expect(c.byRegion['us-east-1'].rds).toEqual({ DescribeDBClusters: 2, DescribeDBInstances: Math.ceil(instances / 100) });
    expect(c.byRegion['eu-west-1']).toBeUndefined();
    // The next viewer within the idle schedule is served from the cache.
    await listClusters('us-east-1');
    expect(countAwsCalls({ service: 'rds', region: 'us-east-1' })).toBe(2 + Math.ceil(instances / 100));
  });

  it('a failed read is not served to the next caller; concurrent callers of a failing read share its one failure', async () => {
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new Error('Throttling: Rate exceeded'));
    };
    const all = await Promise.allSettled(Array.from({ length: 5 }, () => cachedRead('eu-west-1', 'probe', 60_000, failing)));
    expect(all.every((r) => r.status === 'rejected')).toBe(true);
    expect(calls).toBe(1);
    expect(await cachedRead('eu-west-1', 'probe', 60_000, async () => 'ok')).toBe('ok');
  });

  it('a region outside the configured list is refused before any entry or call', async () => {
    await expect(cachedRead('ap-south-1', 'probe', 60_000, async () => 'x')).rejects.toMatchObject({ status: 404 });
  });

  it('regions are isolated: a write in one region drops only its reads and makes only it busy', async () => {
    await Promise.all([listClusters('us-east-1'), listClusters('eu-west-1')]);
    const before = countAwsCalls({ service: 'rds' });
    invalidateRegionReads('us-east-1');
    expect(isRegionBusy('us-east-1')).toBe(true);
    expect(isRegionBusy('eu-west-1')).toBe(false);
    expect(readMaxAge('us-east-1', 'cluster')).toBe(READ_SCHEDULE.cluster.busy);
    expect(readMaxAge('eu-west-1', 'cluster')).toBe(READ_SCHEDULE.cluster.idle);
    await Promise.all([listClusters('us-east-1'), listClusters('eu-west-1')]);
    expect(countAwsCalls({ service: 'rds', region: 'eu-west-1' })).toBe(before / 2);
    expect(countAwsCalls({ service: 'rds', region: 'us-east-1' })).toBe(before);
  });

  it('the busy schedule ends BUSY_HOLD_MS after the last sign of change', () => {
    markRegionBusy('us-west-2', 1_000);
    expect(isRegionBusy('us-west-2', 30_999)).toBe(true);
    expect(isRegionBusy('us-west-2', 31_000)).toBe(false);
  });
});

describe('metrics requested', () => {
  it('fleet health: one GetMetricData per 500 series per region, and the console counts what the endpoint bills', async () => {
    const now = Date.now();
    const fleet = await getFleetHealth(SEEDED, { start: now - 3 * 3_600_000, end: now }, now, { minPeriodSec: 300 });
    expect(fleet.every((r) => r.ok)).toBe(true);
    expect(fleet.map((r) => r.metricsPerRefresh)).toEqual([400, 400]);
    const c = await control('counters');
    for (const r of SEEDED) {
      expect(c.metricsRequestedByRegion[r]).toBe(400);
      expect(c.byRegion[r].monitoring.GetMetricData).toBe(1);
    }
    expect(c.byRegion['us-west-2']).toBeUndefined(); // an empty region lists, but requests no metrics
    expect(getMetricCounters().metricsRequested).toBe(800);
    // 20 more viewers of the same refresh: nothing more requested.
    await Promise.all(Array.from({ length: 20 }, () => getFleetHealth(SEEDED, { start: now - 3 * 3_600_000, end: now }, now, { minPeriodSec: 300 })));
    expect((await control('counters')).metricsRequested).toBe(800);
    // A reset of the counters resets the metrics too.
    await control('counters/reset', {});
    expect((await control('counters')).metricsRequested).toBe(0);
  });
});
