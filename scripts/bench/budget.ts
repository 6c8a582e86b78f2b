// The bench's budget section (issue 16): CloudWatch cost as a figure, the RDS API budget with many viewers,
// and a fleet of 1,000 clusters in 5 regions. It starts its own console + local endpoint (5 regions, its own
// ports and data dir, trusted proxy 127.0.0.1 so each simulated viewer signs in from its own address) after the
// main bench has stopped its console, and stops everything it started.
//
// Method, honestly:
//  - Cost: the endpoint's own per-region "metrics requested" counter for one cold refresh of each view, times the
//    refreshes in a 30-day month at the auto-refresh interval. "Before" is the same metrics count at the old
//    defaults (fleet health: 1-minute refresh at a 1-minute period; the on-call panel's lag read once a minute),
//    "after" at the new defaults (fleet health: 15 minutes at a 5-minute period; panel lag every 5 minutes).
//  - RDS rate: V concurrent HTTP clients with real sessions, each with /, /health, /oncall and one cluster page
//    open, polling the routes those pages poll on the schedules the client code uses (cluster poll, on-call
//    status, charts auto-refresh 1 min, health default, fleet refresh while busy); the endpoint's per-region
//    counters over the window. A failover is requested at the endpoint (as another tool would) and lasts the
//    whole failover window.
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FailoverDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { msUntilNextTick } from '@/lib/http/poll-align';
import { monthlyCostUsd } from '@/lib/aws/metrics-cost';
import { REFRESH_DEFAULTS } from '@/components/charts/use-auto-refresh';
import { startApp, type AppHandle } from './app';
import { Control, Session, stats } from './http';
import type { Figure } from './report';

export const BUDGET_REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'eu-central-1', 'ap-southeast-1'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MIN = 60_000;

export interface BudgetOptions {
  root: string;
  port: number;
  emulatorPort: number;
  /** Seconds per rate window (steady, then failover); the issue's figure is 120. */
  durationS: number;
  viewers: number;
  bigClusters: number;
  log: (msg: string) => void;
}

/** A session whose requests come from their own client address through the trusted proxy. */
class ViewerSession extends Session {
  constructor(baseUrl: string, private readonly addr: string) {
    super(baseUrl);
  }
  override async fetch(p: string, init: RequestInit = {}): Promise<Response> {
    const h = new Headers(init.headers);
    h.set('x-forwarded-for', this.addr);
    return super.fetch(p, { ...init, headers: h });
  }
  /** What router.refresh() asks for: the page's RSC payload. */
  async refresh(p: string): Promise<void> {
    const r = await this.fetch(p, { headers: { rsc: '1' } });
    await r.arrayBuffer();
  }
}

type Counts = { rds: Record<string, number>; metrics: Record<string, number>; gmd: Record<string, number> };

class BudgetControl extends Control {
  async regional(): Promise<Counts> {
    const res = await fetch(`${this.url}/_emulator/counters`);
    const b = (await res.json()) as { byRegion: Record<string, Record<string, Record<string, number>>>; metricsRequestedByRegion: Record<string, number> };
    const rds: Record<string, number> = {};
    const gmd: Record<string, number> = {};
    for (const [region, bySvc] of Object.entries(b.byRegion ?? {})) {
      rds[region] = Object.values(bySvc.rds ?? {}).reduce((a, n) => a + n, 0);
      gmd[region] = bySvc.monitoring?.GetMetricData ?? 0;
    }
    return { rds, metrics: b.metricsRequestedByRegion ?? {}, gmd };
  }
  async setDurations(d: Record<string, number>) {
    await fetch(`${this.url}/_emulator/config/durations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(d) });
  }
  async seed(size: number, maxInstances: number, regions: string[]) {
    const r = await fetch(`${this.url}/_emulator/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ size, maxInstances, regions }) });
    if (!r.ok) throw new Error(`seed: HTTP ${r.status} ${await r.text()}`);
  }
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, n) => a + n, 0);
const maxOf = (o: Record<string, number>) => Math.max(0, ...Object.values(o));

interface Inventory {
  region: string;
  id: string;
  instances: number;
  engine: string;
}

async function inventory(emulatorUrl: string, regions: string[]): Promise<Inventory[]> {
  const { DescribeDBClustersCommand } = await import('@aws-sdk/client-rds');
  const out: Inventory[] = [];
  for (const region of regions) {
    const rds = new RDSClient({ region, endpoint: emulatorUrl, credentials: { accessKeyId: 'local', secretAccessKey: 'localsecret' }, maxAttempts: 1 });
    let marker: string | undefined;
    do {
      const page = await rds.send(new DescribeDBClustersCommand({ MaxRecords: 100, Marker: marker }));
      for (const c of page.DBClusters ?? []) out.push({ region, id: c.DBClusterIdentifier!, instances: c.DBClusterMembers?.length ?? 0, engine: c.Engine ?? '' });
      marker = page.Marker;
    } while (marker);
    rds.destroy();
  }
  return out;
}

/** One simulated viewer with the four pages open, polling as the client code does, until `stop()`. */
function runViewer(s: ViewerSession, cluster: Inventory, until: () => boolean, errors: string[]) {
  const api = `/api/clusters/${cluster.region}/${cluster.id}`;
  const oncall = `/api/oncall/${cluster.region}/${cluster.id}`;
  const metrics = `/api/metrics/cluster/${cluster.region}/${cluster.id}?range=3h`;
  const loop = async (name: string, next: (last: unknown) => number, run: () => Promise<unknown>) => {
    let last: unknown;
    while (!until()) {
      await sleep(Math.min(msUntilNextTick(next(last)), 5_000_000));
      if (until()) return;
      try {
        last = await run();
      } catch (e) {
        if (errors.length < 5) errors.push(`${name}: ${(e as Error).message.slice(0, 120)}`);
      }
    }
  };
  const json = async (p: string) => {
    const r = await s.fetch(p);
    return r.json() as Promise<Record<string, unknown>>;
  };
  let clusterDelay = 4_000;
  let clusterBusy = false;
  return Promise.all([
    // use-cluster-poll: 2 s while transitional, else backing off 4 → 8 → 15 s.
    loop('cluster poll', () => clusterDelay, async () => {
      const b = (await json(api)) as { cluster?: { anyTransitional?: boolean } };
      clusterBusy = !!b.cluster?.anyTransitional;
      clusterDelay = clusterBusy ? 2_000 : Math.min(15_000, clusterDelay * 2);
      return b;
    }),
    // use-oncall-status: 2 s while busy, 15 s idle.
    loop('on-call status', (last) => {
      const st = last as { cluster?: { status?: string; instances?: { status: string }[] }; failover?: { timeline?: { done?: boolean; failed?: boolean } } } | undefined;
      const busy = !st || st.cluster?.status !== 'available' || st.cluster.instances?.some((i) => i.status !== 'available') || (!!st.failover?.timeline && !st.failover.timeline.done && !st.failover.timeline.failed);
      return busy ? 2_000 : 15_000;
    }, () => json(oncall)),
    // Cluster charts with auto-refresh on (1 min, the shortest choice).
    loop('charts', () => MIN, () => json(metrics)),
    // /health auto-refresh at its default.
    loop('health', () => REFRESH_DEFAULTS.fleet, () => s.refresh('/health')),
    // The fleet page makes no request while idle; while a row is changing it refreshes every 5 s. Counted as if
    // every viewer's fleet page had seen the change (an upper bound: a page only notices on its next render).
    loop('fleet', () => (clusterBusy ? 5_000 : 1_000), async () => {
      if (clusterBusy) await s.refresh('/');
    }),
  ]);
}

/** The hook in scripts/bench.ts: flags --no-budget, --budget-duration <s> (default 120), --budget-clusters <n>. */
export async function runBudgetSection(root: string, port: number, emulatorPort: number, viewers: number, log: (m: string) => void): Promise<Record<string, Figure>> {
  const a = process.argv.slice(2);
  if (a.includes('--no-budget')) return {};
  const num = (name: string, def: number) => {
    const i = a.indexOf(`--${name}`);
    const v = i >= 0 ? Number(a[i + 1]) : def;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
    return v;
  };
  return benchBudget({ root, port, emulatorPort, durationS: num('budget-duration', 120), viewers, bigClusters: num('budget-clusters', 1000), log });
}

export async function benchBudget(o: BudgetOptions): Promise<Record<string, Figure>> {
  const figures: Record<string, Figure> = {};
  const add = (k: string, f: Figure) => (figures[`budget.${k}`] = f);
  const benchDir = path.join(o.root, '.bench', 'budget');
  const adminPassword = `Budget-${randomBytes(12).toString('base64url')}-9a`;
  let app: AppHandle | undefined;
  try {
    o.log(`budget: starting a console with ${BUDGET_REGIONS.length} regions on :${o.port} (endpoint :${o.emulatorPort})…`);
    app = await startApp({
      root: o.root,
      port: o.port,
      emulatorPort: o.emulatorPort,
      dataDir: path.join(benchDir, 'data'),
      adminPassword,
      regions: BUDGET_REGIONS,
      logDir: benchDir,
      env: { AFC_TRUSTED_PROXIES: '127.0.0.1,::1' },
    });
    const control = new BudgetControl(app.emulatorUrl);
    await control.reset();
    // ---- 200 clusters over 5 regions (the issue's "today" fleet size), up to 4 instances each
    await control.seed(200, 4, BUDGET_REGIONS);
    const inv = await inventory(app.emulatorUrl, BUDGET_REGIONS);
    const three = inv.filter((c) => c.instances === 3 && c.engine === 'aurora-mysql' && c.region === 'us-east-1');
    if (three.length < 4) throw new Error('budget: not enough 3-instance clusters in the seeded fleet');
    const [watched, coldA, coldB, warm] = three;
    const viewers: ViewerSession[] = [];
    for (let i = 0; i < o.viewers; i++) {
      const v = new ViewerSession(app.baseUrl, `10.9.${Math.floor(i / 200)}.${(i % 200) + 1}`);
      await v.signIn('admin', adminPassword);
      viewers.push(v);
    }
    const one = viewers[0];

    // ---- cost: one cold refresh of each view, metrics requested at the endpoint
    await control.resetCounters();
    const healthHtml = (await one.timedGet('/health')).body;
    const healthMetrics = sum((await control.regional()).metrics);
    const shownCost = healthHtml.replace(/<!-- -->/g, '').match(/≈ (\$[\d.,]+|&lt; \$0\.01)\/month left open/)?.[1] ?? '?';
    add('cost.health_before_usd', {
      label: '/health open 24/7, 200 clusters, defaults: GetMetricData $/month BEFORE (1-min refresh)',
      value: monthlyCostUsd(healthMetrics, MIN),
      unit: '$',
      note: `${healthMetrics} metrics per refresh (endpoint counter) × 43,200 refreshes`,
    });
    add('cost.health_after_usd', {
      label: '/health open 24/7, 200 clusters, defaults: GetMetricData $/month AFTER',
      value: monthlyCostUsd(healthMetrics, REFRESH_DEFAULTS.fleet),
      unit: '$',
      target: { op: '<=', value: 15 },
      note: `${healthMetrics} metrics × ${30 * 86_400_000 / REFRESH_DEFAULTS.fleet} refreshes (${REFRESH_DEFAULTS.fleet / MIN}-min default, 5-min period); the page itself says ${shownCost}`,
    });
    await one.timedGet(`/clusters/${warm.region}/${warm.id}`); // warms the catalogue shared by every cluster page
    await control.resetCounters();
    await one.timedGet(`/api/metrics/cluster/${watched.region}/${watched.id}?range=3h`);
    const chartMetrics = sum((await control.regional()).metrics);
    await control.resetCounters();
    await one.timedGet(`/api/oncall/${watched.region}/${watched.id}`);
    const lagMetrics = sum((await control.regional()).metrics);
    add('cost.cluster_before_usd', {
      label: 'One 3-instance cluster page open 24/7, defaults: $/month BEFORE (panel lag every minute; charts 1 min: +)',
      value: monthlyCostUsd(lagMetrics, MIN),
      unit: '$',
      note: `charts off by default; with charts at 1 min +${monthlyCostUsd(chartMetrics, MIN).toFixed(2)} (${chartMetrics} metrics/refresh)`,
    });
    add('cost.cluster_after_usd', {
      label: 'One 3-instance cluster page open 24/7, defaults: $/month AFTER (panel lag every 5 min)',
      value: monthlyCostUsd(lagMetrics, 5 * MIN),
      unit: '$',
      target: { op: '<=', value: 5 },
      note: `${lagMetrics} lag metrics/5 min; with charts at 1 min ${(monthlyCostUsd(lagMetrics, 5 * MIN) + monthlyCostUsd(chartMetrics, MIN)).toFixed(2)}, at 5 min ${(monthlyCostUsd(lagMetrics, 5 * MIN) + monthlyCostUsd(chartMetrics, 5 * MIN)).toFixed(2)}`,
    });

    // ---- cold load: 1 viewer vs V viewers of a cluster page nobody has opened yet
    await control.resetCounters();
    await one.timedGet(`/clusters/${coldA.region}/${coldA.id}`);
    const c1 = await control.regional();
    await control.resetCounters();
    await Promise.all(viewers.map((v) => v.timedGet(`/clusters/${coldB.region}/${coldB.id}`)));
    const cN = await control.regional();
    add('cold.rds_1_viewer', { label: 'Cold load of a cluster page, 1 viewer: RDS calls', value: sum(c1.rds), unit: 'calls', note: `+ ${sum(c1.gmd)} GetMetricData` });
    add(`cold.rds_${o.viewers}_viewers`, {
      label: `Cold load of a cluster page, ${o.viewers} viewers at once: RDS calls`,
      value: sum(cN.rds),
      unit: 'calls',
      target: { op: '<=', value: sum(c1.rds) },
      note: `+ ${sum(cN.gmd)} GetMetricData; target = the 1-viewer figure (before: 40 vs 2, issue 16)`,
    });

    // ---- RDS requests per second per region: V viewers, steady, then during a failover
    for (const v of viewers) {
      for (const p of ['/', '/health', '/oncall', `/clusters/${watched.region}/${watched.id}`]) await v.timedGet(p);
    }
    const window = async (label: string, during?: () => Promise<void>) => {
      const errors: string[] = [];
      let stop = false;
      const runs = viewers.map((v) => runViewer(v, watched, () => stop, errors));
      await sleep(3_000); // let every loop reach its first tick
      await control.resetCounters();
      const t0 = performance.now();
      await during?.();
      await sleep(o.durationS * 1000);
      const c = await control.regional();
      const secs = (performance.now() - t0) / 1000;
      stop = true;
      await Promise.race([Promise.all(runs), sleep(20_000)]);
      const perRegion = Object.fromEntries(BUDGET_REGIONS.map((r) => [r, (c.rds[r] ?? 0) / secs]));
      o.log(`budget: ${label}: ${Object.entries(perRegion).map(([r, v]) => `${r} ${v.toFixed(2)}`).join(', ')} RDS rps${errors.length ? `; errors: ${errors.join(' | ')}` : ''}`);
      return { perRegion, secs, calls: c.rds[watched.region] ?? 0, gmd: sum(c.gmd), errors };
    };
    o.log(`budget: ${o.viewers} viewers × (/, /health, /oncall, ${watched.id}) for ${o.durationS} s, steady…`);
    const steady = await window('steady');
    add('rps.steady', {
      label: `RDS requests/s per region, ${o.viewers} viewers on 4 pages, auto-refresh on, ${o.durationS} s steady (max region)`,
      value: maxOf(steady.perRegion),
      unit: 'rps',
      target: { op: '<=', value: 0.5 },
      note: `${steady.calls} calls in ${watched.region} over ${steady.secs.toFixed(0)} s; ${steady.gmd} GetMetricData in all${steady.errors.length ? `; ${steady.errors.length} viewer errors` : ''}`,
    });
    const durations = await control.durations();
    await control.setDurations({ failover: o.durationS * 1000 + 5_000 });
    o.log(`budget: failover of ${watched.id} (lasting ${o.durationS + 5} s) with the same viewers…`);
    const rds = new RDSClient({ region: watched.region, endpoint: app.emulatorUrl, credentials: { accessKeyId: 'local', secretAccessKey: 'localsecret' }, maxAttempts: 1 });
    const fo = await window('failover', async () => {
      await rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: watched.id }));
    });
    rds.destroy();
    await control.setDurations({ failover: durations.failover });
    add('rps.failover', {
      label: `RDS requests/s per region during a failover, same ${o.viewers} viewers, ${o.durationS} s (max region)`,
      value: maxOf(fo.perRegion),
      unit: 'rps',
      target: { op: '<=', value: 2 },
      note: `${fo.calls} calls in ${watched.region} (incl. the FailoverDBCluster request from outside the console)`,
    });

    // ---- 1,000 clusters in 5 regions
    await control.reset();
    await control.seed(o.bigClusters, 6, BUDGET_REGIONS);
    const big = await inventory(app.emulatorUrl, BUDGET_REGIONS);
    const per = BUDGET_REGIONS.map((r) => {
      const cs = big.filter((c) => c.region === r);
      return { region: r, clusters: cs.length, instances: cs.reduce((n, c) => n + c.instances, 0) };
    });
    o.log(`budget: seeded ${big.length} clusters: ${per.map((p) => `${p.region} ${p.clusters}/${p.instances}`).join(', ')}; waiting 61 s for the console's shared reads to expire…`);
    await sleep(61_000);
    await control.resetCounters();
    await one.timedGet('/health');
    const hc = await control.regional();
    const formula = per.map((p) => Math.ceil(p.clusters / 100) + Math.ceil(p.instances / 100) + Math.ceil((2 * p.clusters) / 500));
    const got = per.map((p) => (hc.rds[p.region] ?? 0) + (hc.gmd[p.region] ?? 0));
    add('big.health_calls_vs_formula', {
      label: `${big.length} clusters / 5 regions: AWS calls per /health refresh, max region minus formula`,
      value: Math.max(...got.map((g, i) => g - formula[i])),
      unit: 'calls',
      target: { op: '<=', value: 0 },
      note: `per region ${got.join('/')} vs ⌈clusters/100⌉+⌈instances/100⌉+⌈series/500⌉ = ${formula.join('/')}`,
    });
    for (const [key, p] of [['fleet', '/'], ['health', '/health'], ['oncall', '/oncall']] as const) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 10; i++) {
        const r = await one.timedGet(p);
        times.push(r.ms);
        bytes = gzipSync(r.body).length;
      }
      const st = stats(times);
      add(`big.${key}_median_ms`, { label: `${big.length} clusters: ${p} server response, median of 10`, value: st.median, unit: 'ms' });
      add(`big.${key}_p95_ms`, { label: `${big.length} clusters: ${p} server response, p95 of 10`, value: st.p95, unit: 'ms' });
      add(`big.${key}_payload_kb`, {
        label: `${big.length} clusters: ${p} HTML + inline payload, gzip`,
        value: bytes / 1024,
        unit: 'KB',
        target: { op: '<=', value: 100 },
      });
    }
  } finally {
    await app?.stop();
  }
  return figures;
}

// Standalone: `npx tsx scripts/bench/budget.ts [--budget-duration 30] [--viewers 20]` prints this section alone.
if (process.argv[1]?.endsWith('budget.ts')) {
  const a = process.argv.slice(2);
  const vi = a.indexOf('--viewers');
  const root = path.resolve(__dirname, '../..');
  const log = (m: string) => console.log(`[budget ${new Date().toISOString().slice(11, 19)}] ${m}`);
  runBudgetSection(root, 3210, 4610, vi >= 0 ? Number(a[vi + 1]) : 20, log).then(
    async (f) => {
      const { printTable } = await import('./report');
      printTable(f);
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
