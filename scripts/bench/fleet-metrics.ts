// Bench: AWS calls for the fleet health page at fleet scale, against a naive per-cluster fetch measured
// in the same run, counted on the local endpoint's own counters. Prints figures; asserts nothing.
//   npx tsx --conditions=react-server scripts/bench/fleet-metrics.ts [clusters=200] [maxInstances=16] [viewers=10]
// scripts/bench.ts imports benchFleetMetrics() (it needs AFC_* env pointing at `emulatorUrl` before lib/env is
// first read).
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';

export interface FleetBenchReport {
  clusters: number;
  instances: number;
  seriesPerRefresh: number;
  viewers: number;
  ours: { describeCalls: number; getMetricDataCalls: number; metricsRequested: number; totalCalls: number; target: number; ms: number };
  naive: { describeCalls: number; getMetricDataCalls: number; metricsRequested: number; totalCalls: number; ms: number; perViewersCalls: number };
  maxPointsPerSeries: number;
  periodSec: number;
}

async function counters(url: string) {
  const r = await fetch(`${url}/_emulator/counters`);
  const b = (await r.json()) as { counters: Record<string, Record<string, number>>; metricsRequested: number };
  const all: Record<string, number> = {};
  for (const ops of Object.values(b.counters)) for (const [op, n] of Object.entries(ops)) all[op] = (all[op] ?? 0) + n;
  return { ops: all, metricsRequested: b.metricsRequested };
}
const resetCounters = (url: string) => fetch(`${url}/_emulator/counters/reset`, { method: 'POST' });

export async function benchFleetMetrics(opts: { emulatorUrl: string; region: string; viewers?: number; credentials: { accessKeyId: string; secretAccessKey: string } }): Promise<FleetBenchReport> {
  const { emulatorUrl: url, region } = opts;
  const viewers = opts.viewers ?? 10;
  const { getFleetHealth, resetMetricCounters } = await import('@/lib/aws/metrics');
  const now = Date.now();
  const range = { start: now - 3 * 3_600_000, end: now };

  // Ours: `viewers` concurrent fleet pages.
  resetMetricCounters();
  await resetCounters(url);
  let t = performance.now();
  const results = await Promise.all(Array.from({ length: viewers }, () => getFleetHealth([region], range, now)));
  const oursMs = performance.now() - t;
  const c1 = await counters(url);
  const fleet = results[0][0];
  if (!fleet.ok) throw new Error(`fleet fetch failed: ${fleet.error}`);
  const clusters = fleet.clusters.length;
  const instances = fleet.clusters.reduce((n, c) => n + c.instances.length, 0);
  const series = clusters * 2;
  let maxPoints = 0;
  for (const c of fleet.clusters) maxPoints = Math.max(maxPoints, c.metrics.lag.length, c.metrics.commit.length);

  // Naive: one viewer, per cluster describe + its instances + one GetMetricData per cluster, no cache.
  await resetCounters(url);
  const cfg = { region, endpoint: url, credentials: opts.credentials };
  const rds = new RDSClient(cfg);
  const cw = new CloudWatchClient(cfg);
  t = performance.now();
  for (const c of fleet.clusters) {
    await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: c.id }));
    await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [c.id] }] }));
    await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(fleet.window.start),
        EndTime: new Date(fleet.window.end),
        MetricDataQueries: c.instances.flatMap((i, k) => [
          { Id: `l${k}`, MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'AuroraReplicaLag', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: i.id }] }, Period: fleet.window.periodSec, Stat: 'Maximum' } },
          { Id: `c${k}`, MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'CommitThroughput', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: i.id }] }, Period: fleet.window.periodSec, Stat: 'Average' } },
        ]),
      }),
    );
  }
  const naiveMs = performance.now() - t;
  const c2 = await counters(url);
  rds.destroy();
  cw.destroy();
  const describe = (o: Record<string, number>) => (o.DescribeDBClusters ?? 0) + (o.DescribeDBInstances ?? 0);
  const naiveTotal = describe(c2.ops) + (c2.ops.GetMetricData ?? 0);
  return {
    clusters,
    instances,
    seriesPerRefresh: series,
    viewers,
    ours: {
      describeCalls: describe(c1.ops),
      getMetricDataCalls: c1.ops.GetMetricData ?? 0,
      metricsRequested: c1.metricsRequested,
      totalCalls: describe(c1.ops) + (c1.ops.GetMetricData ?? 0),
      target: Math.ceil(clusters / 100) + Math.ceil(instances / 100) + Math.ceil(series / 500),
      ms: Math.round(oursMs),
    },
    naive: {
      describeCalls: describe(c2.ops),
      getMetricDataCalls: c2.ops.GetMetricData ?? 0,
      metricsRequested: c2.metricsRequested,
      totalCalls: naiveTotal,
      ms: Math.round(naiveMs),
      perViewersCalls: naiveTotal * viewers,
    },
    maxPointsPerSeries: maxPoints,
    periodSec: fleet.window.periodSec,
  };
}

async function main() {
  const [clusters = 200, maxInstances = 16, viewers = 10] = process.argv.slice(2).map(Number);
  const { startEmulator } = await import('@/lib/emulator');
  const emu = await startEmulator({ port: 0, dataDir: ':memory:', profile: 'test', seed: 'none', regions: ['us-east-1'] });
  try {
    process.env.AFC_BACKEND = 'local';
    process.env.AFC_EMULATOR_URL = emu.url;
    process.env.AFC_REGIONS = 'us-east-1';
    process.env.AFC_EMULATOR_ACCESS_KEY_ID = emu.credentials.accessKeyId;
    process.env.AFC_EMULATOR_SECRET_ACCESS_KEY = emu.credentials.secretAccessKey;
    process.env.AFC_DATA_DIR ??= '/tmp/afc-metrics-bench';
    const seeded = await fetch(`${emu.url}/_emulator/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ profile: 'large', clusters, maxInstances, regions: ['us-east-1'] }),
    });
    if (!seeded.ok) throw new Error(`seed failed: ${await seeded.text()}`);
    const r = await benchFleetMetrics({ emulatorUrl: emu.url, region: 'us-east-1', viewers, credentials: emu.credentials });
    console.log(`fleet health page: ${r.clusters} clusters, ${r.instances} instances, ${r.seriesPerRefresh} series, period ${r.periodSec} s`);
    console.log(
      `  ours  (${r.viewers} concurrent viewers): ${r.ours.totalCalls} AWS calls (${r.ours.describeCalls} describe + ${r.ours.getMetricDataCalls} GetMetricData), ` +
        `${r.ours.metricsRequested} metrics requested, ${r.ours.ms} ms; target ≤ ${r.ours.target}`,
    );
    console.log(
      `  naive (1 viewer, per-cluster fetch): ${r.naive.totalCalls} AWS calls (${r.naive.describeCalls} describe + ${r.naive.getMetricDataCalls} GetMetricData), ` +
        `${r.naive.metricsRequested} metrics requested, ${r.naive.ms} ms; ×${r.viewers} viewers without a shared cache = ${r.naive.perViewersCalls} calls`,
    );
    console.log(`  points per series: ≤ ${r.maxPointsPerSeries} (limit 1,000)`);
  } finally {
    await emu.close();
  }
}

if (process.argv[1] && /fleet-metrics\.ts$/.test(process.argv[1])) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
