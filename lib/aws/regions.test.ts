// Region scope: the configured regions (AFC_REGIONS) are the console's whole world. 2,000 crafted region names
// go through every layer that keeps per-region state (client factory, call counters, read cache, metric
// cache and counters): each is refused with a 404 AppError, and not one entry is created.
import { describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';

vi.mock('@/lib/env', () => ({
  getEnv: () => ({
    backend: 'local',
    regions: ['us-east-1', 'eu-west-1'],
    emulator: { url: 'http://127.0.0.1:9', accessKeyId: 'local', secretAccessKey: 'localsecret', profile: 'test' },
  }),
}));

import { awsClientCount, cloudWatchClient, countAwsCalls, getAwsCallCounters, rdsClient, rdsDataClient, secretsManagerClient } from './clients';
import { getMetricBatch, getMetricCounters, planWindow } from './metrics';
import { metricCache } from './metric-cache';
import { readCacheSize } from './read-cache';
import { getCluster, listClusters, listFleet } from './rds/clusters';
import { listEvents } from './rds/events';
import { assertConfiguredRegion, isConfiguredRegion } from './regions';

const crafted = Array.from({ length: 2_000 }, (_, i) =>
  i % 4 === 0 ? `zz-crafted-${i}` : i % 4 === 1 ? `us-east-${i + 100}` : i % 4 === 2 ? `x${'-a'.repeat(i % 50)}-${i}` : `US-EAST-1\u0000${i}`,
);

function state() {
  return {
    clients: awsClientCount(),
    counters: getAwsCallCounters().length,
    calls: countAwsCalls(),
    reads: readCacheSize(),
    metricCache: metricCache().getStats().size,
    metricRegions: Object.keys(getMetricCounters().byRegion).length,
  };
}

async function refused(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('accepted an unconfigured region');
}

describe('region scope (AFC_REGIONS)', () => {
  it('the client factory refuses a region outside AFC_REGIONS with a 404 that names the list', () => {
    expect(isConfiguredRegion('us-east-1')).toBe(true);
    expect(() => rdsClient('ap-south-1')).toThrow('Region ap-south-1 is not configured for this console (AFC_REGIONS = us-east-1, eu-west-1).');
    try {
      cloudWatchClient('ap-south-1');
    } catch (e) {
      expect(e).toMatchObject({ status: 404, code: 'INVALID_REGION' });
    }
    expect(() => assertConfiguredRegion('eu-west-1')).not.toThrow();
  });

  it('2,000 crafted region names create no client, counter, cache or metric entry and make no AWS call', async () => {
    rdsClient('us-east-1'); // a configured region gets its client, once
    const before = state();
    const sender = { send: vi.fn(async () => ({ MetricDataResults: [], $metadata: {} })) };
    const w = planWindow(Date.now() - 3_600_000, Date.now());
    for (const region of crafted) {
      expect(() => rdsClient(region)).toThrow(AppError);
      expect(() => cloudWatchClient(region)).toThrow(AppError);
      expect(() => rdsDataClient(region)).toThrow(AppError);
      expect(() => secretsManagerClient(region)).toThrow(AppError);
      expect((await refused(listClusters(region))).status).toBe(404);
      expect((await refused(getCluster(region, 'orders-prod'))).status).toBe(404);
      expect((await refused(listEvents(region, 'orders-prod', ['orders-prod-1']))).status).toBe(404);
      expect((await refused(getMetricBatch(region, [], w, sender))).status).toBe(404);
      expect((await refused(getMetricBatch(region, [], w))).status).toBe(404);
    }
    const fleet = await listFleet(crafted.slice(0, 50));
    expect(fleet.every((r) => !r.ok && r.code === 'INVALID_REGION')).toBe(true);
    expect(sender.send).not.toHaveBeenCalled();
    expect(state()).toEqual(before);
    expect(before.clients).toBe(1);
  });
});
