// `npm run bench`: one command that measures the console's performance promises, side by side, in one run.
//
// It starts the console and its local endpoint itself (`npm start` on its own ports and data dir, building
// first if the build is stale), seeds a large fleet (200 clusters, up to 16 instances each, two regions),
// injects a fixed latency on every AWS call (default 50 ms, --latency) and measures:
//   - fleet page (/), fleet health (/health) and cluster page: server response time (median, p95 over
//     --loads repeated loads) and the AWS calls each load makes (the endpoint's own counters), cold and warm,
//     and with --viewers concurrent viewers; against naive per-cluster / per-series fetches run in this process;
//   - chart data fetch (GET /api/metrics/cluster/…?range=1d) with 1 and with --viewers concurrent viewers
//     on a cold cache: AWS calls made (target: the same);
//   - failover request → the cluster API shows the new writer, minus the endpoint's failover duration;
//   - recharts render of a 3-instance (1 d) and a 16-instance (1 w) cluster's charts in Chromium, hover (scripts/bench/charts.ts);
//   - first-load JS per route (gzip);
//   - local endpoint throughput (scripts/bench/emulator.ts).
//   - real engines: create → connect, idle RSS, demo fleet memory, writes during a failover (scripts/bench/engines.ts).
// Prints a table, writes .bench/latest.json and compares with the previous run. Stops everything it started.
//
//   npm run bench -- [--latency 50] [--loads 15] [--viewers 20] [--port 3200] [--emulator-port 4600] [--no-engines]
//                    [--clusters 200] [--max-instances 16] [--render-runs 5] [--no-browser] [--no-endpoint]
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { startApp, type AppHandle } from './bench/app';
import { firstLoadJs } from './bench/bundle';
import { runEndpointBench } from './bench/endpoint';
import { Control, opsSummary, Session, stats } from './bench/http';
import { met, printComparison, printTable, writeLatest, type Figure } from './bench/report';

const root = path.resolve(__dirname, '..');
const benchDir = path.join(root, '.bench');
const REGIONS = ['us-east-1', 'eu-west-1'];

function args() {
  const a = process.argv.slice(2);
  const num = (name: string, def: number) => {
    const i = a.findIndex((x) => x === `--${name}` || x.startsWith(`--${name}=`));
    if (i < 0) return def;
    const raw = a[i].includes('=') ? a[i].split('=')[1] : a[i + 1];
    const v = Number(raw);
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} needs a number (got ${raw}).`);
    return v;
  };
  return {
    latency: num('latency', 50),
    loads: Math.max(3, num('loads', 15)),
    viewers: Math.max(2, num('viewers', 20)),
    port: num('port', 3200),
    emulatorPort: num('emulator-port', 4600),
    clusters: num('clusters', 200),
    maxInstances: num('max-instances', 16),
    renderRuns: Math.max(1, num('render-runs', 5)),
    browser: !a.includes('--no-browser'),
    endpoint: !a.includes('--no-endpoint'),
    engines: !a.includes('--no-engines'),
  };
}

interface InvCluster {
  id: string;
  region: string;
  engine: string;
  backtrackWindow?: number;
  instances: string[];
  writer?: string;
}

const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const ceil100 = (n: number) => Math.ceil(n / 100);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const o = args();
  const figures: Record<string, Figure> = {};
  const add = (key: string, f: Figure) => {
    figures[key] = f;
  };
  const startedAt = Date.now();
  const adminPassword = `Bench-${randomBytes(12).toString('base64url')}-9a`;
  const dataDir = path.join(benchDir, 'data');

  // This process also talks to the endpoint through the app's own lib/aws (naive baselines, failover):
  // its configuration must point there before lib/env is first read.
  const emulatorUrl = `http://127.0.0.1:${o.emulatorPort}`;
  Object.assign(process.env, {
    AFC_BACKEND: 'local',
    AFC_REGIONS: REGIONS.join(','),
    AFC_DATA_DIR: dataDir,
    AFC_EMULATOR_URL: emulatorUrl,
    AFC_EMULATOR_PROFILE: 'test',
    AFC_EMULATOR_ACCESS_KEY_ID: 'local',
    AFC_EMULATOR_SECRET_ACCESS_KEY: 'localsecret',
  });
  const credentials = { accessKeyId: 'local', secretAccessKey: 'localsecret' };

  let app: AppHandle | undefined;
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    await app?.stop();
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      void stopAll().then(() => process.exit(130));
    });
  }

  try {
    log(`starting the console on :${o.port} with its local endpoint on :${o.emulatorPort} (data ${path.relative(root, dataDir)}; builds first if stale)…`);
    const t0 = performance.now();
    app = await startApp({
      root,
      port: o.port,
      emulatorPort: o.emulatorPort,
      dataDir,
      adminPassword,
      regions: REGIONS,
      logDir: benchDir,
      onProgress: (l) => log(`  npm start: ${l}`),
    });
    log(`console up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const control = new Control(app.emulatorUrl);

    // ---- the fleet
    await control.reset();
    const seeded = await control.seedLarge(o.clusters, o.maxInstances, REGIONS);
    const { DescribeDBClustersCommand, RDSClient } = await import('@aws-sdk/client-rds');
    const inventory: InvCluster[] = [];
    for (const region of REGIONS) {
      const rds = new RDSClient({ region, endpoint: app.emulatorUrl, credentials, maxAttempts: 1 });
      let marker: string | undefined;
      do {
        const page = await rds.send(new DescribeDBClustersCommand({ MaxRecords: 100, Marker: marker }));
        for (const c of page.DBClusters ?? []) {
          const members = c.DBClusterMembers ?? [];
          inventory.push({
            id: c.DBClusterIdentifier!,
            region,
            engine: c.Engine ?? 'aurora-mysql',
            backtrackWindow: c.BacktrackWindow,
            instances: members.map((m) => m.DBInstanceIdentifier!),
            writer: members.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier,
          });
        }
        marker = page.Marker;
      } while (marker);
      rds.destroy();
    }
    const perRegion = REGIONS.map((region) => {
      const cs = inventory.filter((c) => c.region === region);
      const instances = cs.reduce((n, c) => n + c.instances.length, 0);
      return { region, clusters: cs.length, instances, series: cs.length * 2 };
    });
    const totalInstances = perRegion.reduce((n, r) => n + r.instances, 0);
    log(`seeded ${seeded.clusters} clusters: ${perRegion.map((r) => `${r.region} ${r.clusters} clusters / ${r.instances} instances`).join('; ')}`);
    // Target per refresh, summed over regions: ⌈clusters/100⌉ + ⌈instances/100⌉ + ⌈series/500⌉.
    const fleetTarget = perRegion.reduce((n, r) => n + ceil100(r.clusters) + ceil100(r.instances) + Math.ceil(r.series / 500), 0);
    const listTarget = perRegion.reduce((n, r) => n + ceil100(r.clusters) + ceil100(r.instances), 0);

    const biggest = inventory.find((c) => c.instances.length === Math.max(...inventory.map((x) => x.instances.length)))!;
    const used = new Set([biggest.id]);
    const pick = (pred: (c: InvCluster) => boolean) => {
      const c = inventory.find((x) => !used.has(x.id) && pred(x));
      if (!c) throw new Error('no suitable cluster in the seeded fleet');
      used.add(c.id);
      return c;
    };
    // Chart viewers: two unviewed clusters of the same size and region, so 1 vs N viewers is like for like.
    const chartA = pick((c) => c.instances.length >= 4 && c.instances.length <= 8);
    const chartB = pick((c) => c.region === chartA.region && c.instances.length === chartA.instances.length);
    const foCluster = pick((c) => c.region === 'us-east-1' && c.instances.length >= 2 && c.instances.length <= 4);
    const clusterPath = `/clusters/${biggest.region}/${biggest.id}`;

    await control.latency(o.latency);
    log(`injected ${o.latency} ms latency on every AWS call`);

    const session = new Session(app.baseUrl);
    await session.signIn('admin', adminPassword);

    // ---- pages: cold load, N sequential loads, V concurrent viewers
    const measurePage = async (key: string, label: string, url: string, opts: { concurrentFirst: boolean; target: number; targetNote: string }) => {
      const burst = async () => {
        await control.resetCounters();
        const t = performance.now();
        const res = await Promise.all(Array.from({ length: o.viewers }, () => session.timedGet(url)));
        const wall = performance.now() - t;
        const c = await control.counters();
        return { wall, slowest: Math.max(...res.map((r) => r.ms)), calls: c.total, ops: c.ops };
      };
      let concurrent: Awaited<ReturnType<typeof burst>> | undefined;
      if (opts.concurrentFirst) concurrent = await burst();
      await control.resetCounters();
      const cold = await session.timedGet(url);
      const coldCalls = await control.counters();
      await control.resetCounters();
      const times: number[] = [];
      for (let i = 0; i < o.loads; i++) times.push((await session.timedGet(url)).ms);
      const warm = await control.counters();
      if (!opts.concurrentFirst) concurrent = await burst();
      const s = stats(times);
      add(`${key}.median_ms`, { label: `${label}: server response, median of ${o.loads}`, value: s.median, unit: 'ms' });
      add(`${key}.p95_ms`, { label: `${label}: server response, p95 of ${o.loads}`, value: s.p95, unit: 'ms' });
      add(`${key}.aws_calls_per_load`, {
        label: `${label}: AWS calls per load (mean of ${o.loads})`,
        value: warm.total / o.loads,
        unit: 'calls',
        target: { op: '<=', value: opts.target },
        note: `${opsSummary(warm.ops) || 'none (cached)'}; ${opts.targetNote}`,
      });
      add(`${key}.aws_calls_first_load`, {
        label: `${label}: AWS calls, ${opts.concurrentFirst ? 'second' : 'first'} load`,
        value: coldCalls.total,
        unit: 'calls',
        target: { op: '<=', value: opts.target },
        note: `${opsSummary(coldCalls.ops)}; ${cold.ms.toFixed(0)} ms`,
      });
      add(`${key}.aws_calls_${o.viewers}_viewers`, {
        label: `${label}: AWS calls, ${o.viewers} concurrent viewers${opts.concurrentFirst ? ' (cold cache)' : ''}`,
        value: concurrent!.calls,
        unit: 'calls',
        target: { op: '<=', value: opts.target },
        note: `${opsSummary(concurrent!.ops)}; slowest ${concurrent!.slowest.toFixed(0)} ms`,
      });
      log(`${label}: median ${s.median.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms; ${warm.total / o.loads} calls/load; ${concurrent!.calls} calls for ${o.viewers} viewers`);
    };

    let naiveClusterCalls = NaN;
    log('naive baseline: cluster charts with one GetMetricData per series…');
    {
      const { clusterQueries } = await import('@/lib/aws/metrics-views');
      const { rdsClient, cloudWatchClient } = await import('@/lib/aws/clients');
      const { DescribeDBInstancesCommand, DescribeEventsCommand } = await import('@aws-sdk/client-rds');
      const { GetMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
      const region = biggest.region;
      const queries = clusterQueries({
        id: biggest.id,
        engine: biggest.engine,
        backtrackWindowSeconds: biggest.backtrackWindow,
        instances: biggest.instances.map((id) => ({ id })),
      });
      const end = Math.floor(Date.now() / 60_000) * 60_000;
      const start = end - 3 * 3_600_000;
      await control.resetCounters();
      const t = performance.now();
      await Promise.all([
        rdsClient(region).send(new DescribeDBClustersCommand({ DBClusterIdentifier: biggest.id })),
        rdsClient(region).send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [biggest.id] }] })),
        rdsClient(region).send(new DescribeEventsCommand({ SourceType: 'db-cluster', SourceIdentifier: biggest.id, StartTime: new Date(start) })),
        ...queries.map((q, i) =>
          cloudWatchClient(region).send(
            new GetMetricDataCommand({
              StartTime: new Date(start),
              EndTime: new Date(end),
              MetricDataQueries: [
                {
                  Id: `q${i}`,
                  MetricStat: {
                    Metric: { Namespace: 'AWS/RDS', MetricName: q.metricName, Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })) },
                    Period: 60,
                    Stat: q.stat,
                  },
                },
              ],
            }),
          ),
        ),
      ]);
      const ms = performance.now() - t;
      const c = await control.counters();
      naiveClusterCalls = c.total;
      add('naive.cluster_aws_calls', {
        label: `Naive cluster charts (one GetMetricData per series, ${queries.length} series): AWS calls`,
        value: c.total,
        unit: 'calls',
        note: opsSummary(c.ops),
      });
      add('naive.cluster_ms', { label: 'Naive cluster charts: time (all calls in parallel)', value: ms, unit: 'ms', note: 'SDK retries/backoff as the app configures them' });
    }

    log(`fleet health (/health): ${o.viewers} concurrent cold viewers, then ${o.loads} loads…`);
    await measurePage('health', 'Fleet health /health', '/health', {
      concurrentFirst: true,
      target: fleetTarget,
      targetNote: `target Σ regions ⌈clusters/100⌉+⌈instances/100⌉+⌈series/500⌉ = ${fleetTarget}`,
    });
    log(`fleet page (/): ${o.loads} loads, then ${o.viewers} concurrent viewers…`);
    await measurePage('fleet', 'Fleet page /', '/', {
      concurrentFirst: false,
      target: fleetTarget,
      targetNote: `target ${fleetTarget} (describe part alone: ${listTarget})`,
    });
    log(`cluster page (${clusterPath}, ${biggest.instances.length} instances)…`);
    await measurePage('cluster_page', `Cluster page (${biggest.instances.length} instances)`, clusterPath, {
      concurrentFirst: false,
      // Against the naive per-series fetch of the same cluster, measured above in this run.
      target: naiveClusterCalls,
      targetNote: `target: at most the naive per-series fetch (${naiveClusterCalls} calls)`,
    });

    // ---- naive baselines, in this process, against the same endpoint and latency
    log('naive baseline: fleet health per cluster (scripts/bench/fleet-metrics.ts), both regions…');
    const { benchFleetMetrics } = await import('./bench/fleet-metrics');
    let naiveCalls = 0;
    let naiveMs = 0;
    let oursCalls = 0;
    let oursMs = 0;
    let maxFleetPoints = 0;
    for (const r of REGIONS) {
      const rep = await benchFleetMetrics({ emulatorUrl: app.emulatorUrl, region: r, viewers: 1, credentials });
      naiveCalls += rep.naive.totalCalls;
      naiveMs += rep.naive.ms;
      oursCalls += rep.ours.totalCalls;
      oursMs = Math.max(oursMs, rep.ours.ms);
      maxFleetPoints = Math.max(maxFleetPoints, rep.maxPointsPerSeries);
    }
    add('naive.fleet_aws_calls', {
      label: 'Naive fleet fetch (per cluster: describe + instances + GetMetricData): AWS calls',
      value: naiveCalls,
      unit: 'calls',
      note: `ours in-process, same data: ${oursCalls} calls`,
    });
    add('naive.fleet_ms', { label: 'Naive fleet fetch: time (one viewer, sequential)', value: naiveMs, unit: 'ms', note: `ours in-process: ${oursMs} ms (regions in parallel)` });
    add('fleet.points_per_series', { label: 'Fleet sparklines: points per series', value: maxFleetPoints, unit: 'points', target: { op: '<=', value: 1000 } });

    // ---- chart data, 1 vs N viewers, cold cache (clusters nobody has looked at yet)
    log(`chart fetch: 1 viewer (${chartA.id}) vs ${o.viewers} viewers (${chartB.id}), ${chartA.instances.length} instances each, range=1d…`);
    const chartFetch = async (c: InvCluster, viewers: number) => {
      await control.resetCounters();
      const t = performance.now();
      const res = await Promise.all(
        Array.from({ length: viewers }, async () => {
          const r = await session.timedGet(`/api/metrics/cluster/${c.region}/${c.id}?range=1d`);
          const body = JSON.parse(r.body) as { ok: boolean; pointsPerSeries?: number; error?: string };
          if (!body.ok) throw new Error(`metrics for ${c.id}: ${body.error}`);
          return r.ms;
        }),
      );
      const wall = performance.now() - t;
      return { ...(await control.counters()), wall, slowest: Math.max(...res) };
    };
    const one = await chartFetch(chartA, 1);
    const many = await chartFetch(chartB, o.viewers);
    add('chart.aws_calls_1_viewer', { label: 'Chart fetch, 1 viewer (cold): AWS calls', value: one.total, unit: 'calls', note: `${opsSummary(one.ops)}; ${one.wall.toFixed(0)} ms` });
    add(`chart.aws_calls_${o.viewers}_viewers`, {
      label: `Chart fetch, ${o.viewers} concurrent viewers (cold): AWS calls`,
      value: many.total,
      unit: 'calls',
      target: { op: '<=', value: one.total },
      note: `${opsSummary(many.ops)}; slowest ${many.slowest.toFixed(0)} ms; target = the 1-viewer figure`,
    });

    // ---- failover → the app shows the new writer
    log(`failover of ${foCluster.id} through lib/aws/failover.ts; polling GET /api/clusters/… every 100 ms…`);
    {
      const durations = await control.durations();
      const { failoverCluster } = await import('@/lib/aws/failover');
      const apiPath = `/api/clusters/${foCluster.region}/${foCluster.id}`;
      const before = JSON.parse((await session.timedGet(apiPath)).body) as { cluster: { writerId?: string; status: string } };
      if (before.cluster.status !== 'available') throw new Error(`${foCluster.id} is ${before.cluster.status}, not available`);
      const t = performance.now();
      const r = await failoverCluster(foCluster.region, foCluster.id);
      const requestMs = performance.now() - t;
      let shownAt = NaN;
      let polls = 0;
      let newWriter: string | undefined;
      while (performance.now() - t < durations.failover + 30_000) {
        polls++;
        const now = JSON.parse((await session.timedGet(apiPath)).body) as { cluster: { writerId?: string; status: string } };
        if (now.cluster.writerId && now.cluster.writerId !== before.cluster.writerId) {
          shownAt = performance.now() - t;
          newWriter = now.cluster.writerId;
          break;
        }
        await sleep(100);
      }
      add('failover.new_writer_lag_ms', {
        label: 'Failover: request → app shows the new writer, minus failover duration',
        value: shownAt - durations.failover,
        unit: 'ms',
        target: { op: '<=', value: 2000 },
        note: `${foCluster.id}: ${before.cluster.writerId} → ${newWriter ?? '?'} after ${shownAt.toFixed(0)} ms (endpoint duration ${durations.failover} ms, request ${requestMs.toFixed(0)} ms, status ${r.status}, ${polls} polls)`,
      });
    }

    // ---- first-load JS per route
    log('first-load JS per route…');
    const routes: [string, string, boolean][] = [
      ['login', '/login', true],
      ['fleet', '/', false],
      ['health', '/health', false],
      ['cluster', clusterPath, false],
      ['oncall', '/oncall', false],
      ['new_cluster', '/clusters/new', false],
      ['audit', '/audit', false],
    ];
    for (const [key, route, anon] of routes) {
      try {
        const r = await firstLoadJs(session, route, anon);
        add(`first_load_js.${key}`, {
          label: `First-load JS ${key === 'cluster' ? '/clusters/[region]/[id]' : route} (gzip)`,
          value: r.gzipBytes / 1024,
          unit: 'KB',
          target: { op: '<=', value: 200 },
          note: `${r.chunks} chunks, ${(r.rawBytes / 1024).toFixed(0)} KB raw; inline RSC payload ${(r.inlineGzipBytes / 1024).toFixed(1)} KB gzip`,
        });
      } catch (e) {
        add(`first_load_js.${key}`, { label: `First-load JS ${route} (gzip)`, value: NaN, unit: 'KB', target: { op: '<=', value: 200 }, note: (e as Error).message.slice(0, 100) });
      }
    }

    // ---- recharts render, hover and the cluster pages in Chromium (scripts/bench/charts.ts)
    if (o.browser) {
      const { benchCharts } = await import('./bench/charts');
      Object.assign(figures, await benchCharts({ session, inventory, root, runs: o.renderRuns, log }));
    }
  } finally {
    log('stopping the console and its endpoint…');
    await stopAll();
  }

  Object.assign(figures, await (await import('./bench/budget')).runBudgetSection(root, o.port + 10, o.emulatorPort + 10, o.viewers, log)); // cost, RDS budget, 1,000 clusters
  // ---- local endpoint throughput (after the console is stopped: the endpoint gets the cores)
  if (o.endpoint) {
    log('local endpoint throughput (scripts/bench/emulator.ts, endpoint in its own process)…');
    const e = await runEndpointBench(root, 3);
    add('endpoint.describe_per_s', {
      label: 'Endpoint: DescribeDBClusters (one cluster)/s, raw signed HTTP',
      value: e.describeRawPerSec,
      unit: '/s',
      target: { op: '>=', value: 2000 },
      note: `through the SDK client: ${e.describeSdkPerSec.toFixed(0)}/s (client-bound); page of 100: ${e.describePagePerSec.toFixed(0)}/s`,
    });
    add('endpoint.get_metric_data_500_ms', {
      label: 'Endpoint: GetMetricData 500 queries × 1,440 points, median',
      value: e.gmdRawMedianMs,
      unit: 'ms',
      target: { op: '<', value: 50 },
      note: `raw signed HTTP; through the SDK client ${e.gmdSdkMedianMs.toFixed(1)} ms`,
    });
  }

  // ---- real engines (scripts/bench/engines.ts; after the console is stopped)
  if (o.engines) {
    const { benchEngines } = await import('./bench/engines');
    const e = await benchEngines(log);
    for (const [engine, ms] of Object.entries(e.createToConnectMs)) {
      add(`engines.${engine}.create_to_connect_ms`, { label: `Real ${engine}: create → writer accepts a connection`, value: ms, unit: 'ms', note: 'simulated create durations 0: the engine’s own time' });
    }
    for (const [engine, mb] of Object.entries(e.idleRssMb)) add(`engines.${engine}.idle_rss_mb`, { label: `Real ${engine}: idle RSS per instance`, value: mb, unit: 'MB' });
    add('engines.demo_fleet_mb', { label: 'Demo fleet: total engine memory (tutorial-pg, writer + reader, steady workload)', value: e.demoFleetMb, unit: 'MB' });
    for (const [engine, f] of Object.entries(e.failover)) {
      const note = `insert every 50 ms through the writer endpoint, ${f.rowsAcked} acknowledged; failover duration 1 s`;
      add(`engines.${engine}.failover_gap_ms`, { label: `Real ${engine}: failover, longest time without a successful write`, value: f.gapMs, unit: 'ms', note });
      add(`engines.${engine}.failover_rows_lost`, { label: `Real ${engine}: failover, acknowledged rows lost`, value: f.rowsLost, unit: 'rows', target: { op: '=', value: 0 } });
    }
    if (!e.mysqlAvailable) log('engines: no MySQL-compatible server here: aurora-mysql figures skipped (apt-get install -y mariadb-server)');
  }

  console.log('');
  console.log(
    `Aurora Fleet Console benchmark — ${o.clusters} clusters / ${o.maxInstances} max instances over ${REGIONS.join(' + ')}, ${o.latency} ms per AWS call, ${o.loads} loads, ${o.viewers} viewers`,
  );
  console.log(`(machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} — other work on the machine inflates times)`);
  printTable(figures);
  const missed = Object.values(figures).filter((f) => f.target && !met(f));
  const previous = writeLatest(
    benchDir,
    { at: new Date().toISOString(), durationS: Math.round((Date.now() - startedAt) / 1000), options: o, node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    figures,
  );
  console.log(`\n${missed.length ? `${missed.length} figure(s) missed their target: ${missed.map((f) => f.label).join('; ')}` : 'Every figure with a target met it.'}`);
  console.log(`Wrote ${path.relative(root, path.join(benchDir, 'latest.json'))} (${Math.round((Date.now() - startedAt) / 1000)} s).`);
  if (previous) {
    console.log('\nCompared with the previous run:');
    printComparison(previous, figures);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
