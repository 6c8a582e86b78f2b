// The metric layer against the local endpoint (real @aws-sdk/client-cloudwatch on an ephemeral port):
// cache + in-flight de-duplication counted on the endpoint's own counters, cluster view shaping, and
// a throttled region reported as an error entry.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeDBClustersCommand, FailoverDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { startEmulator, type RunningEmulator } from '@/lib/emulator';

const h = vi.hoisted(() => ({ emu: undefined as undefined | { url: string; credentials: { accessKeyId: string; secretAccessKey: string } } }));

vi.mock('./clients', () => {
  const cw = new Map<string, CloudWatchClient>();
  const rds = new Map<string, RDSClient>();
  const cfg = (region: string) => ({ region, endpoint: h.emu!.url, credentials: h.emu!.credentials, maxAttempts: 1 });
  return {
    cloudWatchClient: (region: string) => cw.get(region) ?? cw.set(region, new CloudWatchClient(cfg(region))).get(region)!,
    rdsClient: (region: string) => rds.get(region) ?? rds.set(region, new RDSClient(cfg(region))).get(region)!,
    getAwsCallCounters: () => [],
  };
});

import { clusterView, getFleetHealth, getMetricBatch, getMetricCounters, planWindow, resetMetricCounters } from './metrics';
import { clusterQueries } from './metrics-views';
import { getCluster } from './rds/clusters';
import { clearReadCache } from './read-cache';

let emu: RunningEmulator;

async function control(path: string, body?: unknown) {
  const res = await fetch(`${emu.url}/_emulator/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json() as Promise<{ counters: Record<string, Record<string, number>>; metricsRequested: number }>;
}
const gmdCalls = async () => (await control('counters')).counters.monitoring?.GetMetricData ?? (await control('counters')).counters.cloudwatch?.GetMetricData ?? 0;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, dataDir: ':memory:', profile: 'test', seed: 'demo', regions: ['us-east-1', 'eu-west-1'] });
  h.emu = { url: emu.url, credentials: emu.credentials };
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(async () => {
  resetMetricCounters();
  await control('counters/reset', {});
  await fetch(`${emu.url}/_emulator/faults`, { method: 'DELETE' });
});

describe('cache and in-flight de-duplication', () => {
  it('ten concurrent identical requests cost one GetMetricData call on the endpoint', async () => {
    const cluster = await getCluster('us-east-1', 'orders-prod');
    const now = Date.now();
    const w = planWindow(now - 3_600_000, now, now);
    const queries = clusterQueries(cluster);
    const results = await Promise.all(Array.from({ length: 10 }, () => getMetricBatch('us-east-1', queries, w)));
    expect(await gmdCalls()).toBe(1);
    expect((await control('counters')).metricsRequested).toBe(queries.length);
    expect(new Set(results).size).toBe(1);
    // Served from the cache afterwards, still one call; reordered queries share the entry.
    await getMetricBatch('us-east-1', [...queries].reverse(), w);
    expect(await gmdCalls()).toBe(1);
    const c = getMetricCounters();
    expect(c.getMetricDataCalls).toBe(1);
    expect(c.metricsRequested).toBe(queries.length);
    expect(c.inflightJoins).toBe(9);
    expect(c.cacheHits).toBe(1);
    // A different window is a different key.
    await getMetricBatch('us-east-1', queries, planWindow(now - 2 * 3_600_000, now, now));
    expect(await gmdCalls()).toBe(2);
  });
});

describe('refetch after a cluster event', () => {
  it('freshAfter newer than the cached data fetches again; older serves the cache', async () => {
    const cluster = await getCluster('us-east-1', 'analytics-pg');
    const now = Date.now();
    const w = planWindow(now - 3_600_000, now, now);
    const q = clusterQueries(cluster);
    const a = await getMetricBatch('us-east-1', q, w);
    const b = await getMetricBatch('us-east-1', q, w, undefined, { freshAfter: a.fetchedAt - 1000 });
    expect(b).toBe(a);
    expect(await gmdCalls()).toBe(1);
    const c = await getMetricBatch('us-east-1', q, w, undefined, { freshAfter: a.fetchedAt + 1 });
    expect(c).not.toBe(a);
    expect(await gmdCalls()).toBe(2);
  });
});

describe('cluster view', () => {
  it('after a failover: a failover marker, the lag spike, and the roles swapped', async () => {
    const region = 'eu-west-1';
    const before = await getCluster(region, 'catalog-pg');
    const target = before.instances.find((i) => i.id !== before.writerId)!.id;
    const rds = new RDSClient({ region, endpoint: emu.url, credentials: emu.credentials });
    await rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'catalog-pg', TargetDBInstanceIdentifier: target }));
    let writer: string | undefined;
    for (let i = 0; i < 50 && writer !== target; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'catalog-pg' }));
      writer = out.DBClusters?.[0]?.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
    }
    expect(writer).toBe(target);
    // The failover went straight to the endpoint, not through the console: forget the shared reads (describe
    // cache, idle for up to 15 s) as a later poll would, and the metric cache.
    clearReadCache();
    resetMetricCounters();
    const cluster = await getCluster(region, 'catalog-pg');
    const now = Date.now();
    const view = await clusterView(cluster, { start: now - 3_600_000, end: now }, now);
    expect(view.ok).toBe(true);
    if (!view.ok) return;
    expect(view.markers.filter((m) => m.kind === 'failover').map((m) => m.label)).toContain(`Failover → ${target}`);
    const lag = view.panels.find((p) => p.id === 'lag')!;
    const maxes = lag.values['lag:max'].filter((v): v is number => typeof v === 'number');
    const spike = Math.max(...maxes.slice(-3));
    const typical = maxes.slice(0, -10).sort((a, b) => a - b)[Math.floor((maxes.length - 10) / 2)];
    expect(spike).toBeGreaterThan(5 * typical);
    const cpu = view.panels.find((p) => p.id === 'cpu')!;
    expect(cpu.series.find((s) => s.instance === target)!.role).toBe('reader → writer');
    expect(cpu.series.find((s) => s.instance === before.writerId)!.role).toBe('writer → reader');
  });

  it('shapes lag per reader, the cluster maximum and throughput per instance, in one batch', async () => {
    const cluster = await getCluster('us-east-1', 'orders-prod');
    const now = Date.now();
    const view = await clusterView(cluster, { start: now - 3 * 3_600_000, end: now }, now);
    expect(view.ok).toBe(true);
    if (!view.ok) return;
    expect(await gmdCalls()).toBe(1);
    expect(view.window.periodSec).toBe(60);
    const lag = view.panels.find((p) => p.id === 'lag')!;
    const readers = cluster.instances.filter((i) => i.id !== cluster.writerId).map((i) => i.id);
    for (const r of readers) {
      const s = lag.series.find((x) => x.instance === r);
      expect(s, r).toBeDefined();
      expect(s!.points).toBeGreaterThan(100);
      expect(s!.points).toBeLessThanOrEqual(181);
    }
    expect(lag.series.find((s) => s.key === 'lag:max')!.points).toBeGreaterThan(100);
    // Columns: one shared time axis, one value per time for every series.
    for (const s of lag.series) expect(lag.values[s.key]).toHaveLength(lag.t.length);
    const ids = new Set(view.panels.map((p) => p.id));
    for (const id of ['commit', 'select', 'dml', 'cpu', 'connections', 'backtrack'] as const) expect(ids.has(id), id).toBe(true);
    expect(view.backtrackEnabled).toBe(true);
    expect(view.pointsPerSeries).toBeLessThanOrEqual(1000);
  });

  it('one week of the cluster stays under 1,000 points per series', async () => {
    const cluster = await getCluster('us-east-1', 'orders-prod');
    const now = Date.now();
    const view = await clusterView(cluster, { start: now - 7 * 86_400_000, end: now }, now);
    expect(view.ok && view.window.periodSec).toBe(900);
    expect(view.ok && view.pointsPerSeries).toBeGreaterThan(100);
    expect(view.ok && view.pointsPerSeries).toBeLessThanOrEqual(1000);
    // The seeded failover two days ago shows up as a marker, and roles follow it.
    if (!view.ok) return;
    expect(view.markers.some((m) => m.kind === 'failover')).toBe(true);
    const cpu = view.panels.find((p) => p.id === 'cpu')!;
    expect(cpu.series.find((s) => s.instance === 'orders-prod-2')!.role).toBe('reader → writer');
  });
});

describe('fleet view', () => {
  it('one listing + one GetMetricData per region for every cluster; a throttled region is an error entry', async () => {
    const now = Date.now();
    const fleet = await getFleetHealth(['us-east-1', 'eu-west-1'], { start: now - 3_600_000, end: now }, now);
    expect(fleet.every((r) => r.ok)).toBe(true);
    expect(await gmdCalls()).toBe(2);
    const all = fleet.flatMap((r) => (r.ok ? r.clusters : []));
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(all.find((c) => c.id === 'orders-prod')!.metrics.lag.length).toBeGreaterThan(30);

    resetMetricCounters();
    await fetch(`${emu.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'GetMetricData', throttleRate: 1 }),
    });
    const throttled = await getFleetHealth(['us-east-1'], { start: now - 3_600_000, end: now }, now);
    expect(throttled[0].ok).toBe(false);
    if (!throttled[0].ok) {
      expect(throttled[0].error).toMatch(/thrott|rate/i);
      expect(throttled[0].clusters.length).toBeGreaterThan(0);
    }
  });
});
