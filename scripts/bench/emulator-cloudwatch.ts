// GetMetricData timing: 500 queries × 1,440 one-minute points over a simulated fleet, measured on the
// service's handle() (decode → data plane → aggregate → JSON encode), without HTTP:
// `npx tsx scripts/bench/emulator-cloudwatch.ts` (`npm run bench:emulator` measures the same call over HTTP).
import Database from 'better-sqlite3';
import { createCloudWatchService } from '@/lib/emulator/cloudwatch/service';
import type { DataplaneCluster } from '@/lib/emulator/dataplane/types';

const MIN = 60_000;

export interface GetMetricDataBenchResult {
  queries: number;
  pointsPerQuery: number;
  totalPoints: number;
  /** Milliseconds per call, after warm-up. */
  medianMs: number;
  bestMs: number;
  /** CPU time of the median call (user + system), a steadier figure on a shared machine. */
  medianCpuMs: number;
  responseBytes: number;
  /** All pages (MaxDatapoints 100,800 → 8 calls for 720,000 points): total ms and calls. */
  allPagesMs: number;
  pages: number;
}

export function benchFleet(now: number, clusters = 10): DataplaneCluster[] {
  return Array.from({ length: clusters }, (_, i) => {
    const id = `bench-${i}`;
    const created = Math.floor((now - 3 * 86_400_000) / MIN) * MIN;
    const fo = now - 20 * 3_600_000;
    return {
      region: 'us-east-1',
      id,
      engine: i % 2 ? 'aurora-postgresql' : 'aurora-mysql',
      createdAt: created,
      backtrackWindow: i % 2 ? 0 : 3600,
      workload: i % 3 === 0 ? 'write-heavy' : 'steady',
      instances: [0, 1, 2].map((k) => ({ id: `${id}-${k}`, instanceClass: 'db.r6g.large', createdAt: created, availableAt: created + 5 * MIN })),
      writerHistory: [
        { instanceId: `${id}-0`, from: created + 5 * MIN },
        { instanceId: `${id}-1`, from: fo + 30_000 },
      ],
      failovers: [{ startedAt: fo, completedAt: fo + 30_000, from: `${id}-0`, to: `${id}-1` }],
      backtracks: [],
      reboots: [],
      stopped: [],
    } satisfies DataplaneCluster;
  });
}

export async function benchGetMetricData(opts: { queries?: number; points?: number; runs?: number } = {}): Promise<GetMetricDataBenchResult> {
  const queries = opts.queries ?? 500;
  const points = opts.points ?? 1440;
  const runs = opts.runs ?? 7;
  const now = Date.now();
  const fleet = benchFleet(now);
  const db = new Database(':memory:');
  const svc = createCloudWatchService({ db, source: { clusters: (region) => fleet.filter((c) => c.region === region) } });
  // Metrics every instance publishes every minute, so each query really returns 1,440 points.
  const metrics = ['CPUUtilization', 'DatabaseConnections', 'CommitThroughput', 'NetworkThroughput', 'FreeableMemory'];
  const qs = Array.from({ length: queries }, (_, i) => ({
    Id: `q${i}`,
    MetricStat: {
      Metric: { Namespace: 'AWS/RDS', MetricName: metrics[i % metrics.length], Dimensions: [{ Name: 'DBInstanceIdentifier', Value: `bench-${Math.floor(i / 50) % 10}-${i % 3}` }] },
      Period: 60,
      Stat: 'Average',
    },
  }));
  const end = Math.floor(now / MIN) * MIN;
  const body = Buffer.from(JSON.stringify({ StartTime: (end - points * MIN) / 1000, EndTime: end / 1000, MetricDataQueries: qs }));
  const headers = { 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData', 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-mode': 'true' };
  const times: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  let total = 0;
  for (let k = 0; k < runs + 2; k++) {
    const t = performance.now();
    const c0 = process.cpuUsage();
    const r = await svc.handle({ method: 'POST', path: '/', headers, body, region: 'us-east-1', service: 'monitoring', requestId: 'bench', now });
    const dt = performance.now() - t;
    const c1 = process.cpuUsage(c0);
    if (k >= 2) cpu.push((c1.user + c1.system) / 1000);
    if (r.status !== 200) throw new Error(`GetMetricData failed: ${String(r.body).slice(0, 200)}`);
    if (k >= 2) times.push(dt);
    bytes = Buffer.byteLength(r.body);
    if (k === 0) {
      const parsed = JSON.parse(String(r.body)) as { MetricDataResults: { Values: number[] }[] };
      total = parsed.MetricDataResults.reduce((a, x) => a + x.Values.length, 0);
    }
  }
  // Every page, following NextToken.
  let pages = 0;
  const t0 = performance.now();
  let token: string | undefined;
  do {
    const pageBody = Buffer.from(JSON.stringify({ ...(JSON.parse(body.toString()) as object), NextToken: token }));
    const r = await svc.handle({ method: 'POST', path: '/', headers, body: pageBody, region: 'us-east-1', service: 'monitoring', requestId: 'bench', now });
    token = (JSON.parse(String(r.body)) as { NextToken?: string }).NextToken;
    pages++;
  } while (token && pages < 100);
  const allPagesMs = performance.now() - t0;
  db.close();
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { queries, pointsPerQuery: points, totalPoints: total, medianMs: times[Math.floor(times.length / 2)], bestMs: times[0], medianCpuMs: cpu[Math.floor(cpu.length / 2)], responseBytes: bytes, allPagesMs, pages };
}

if (process.argv[1] && /emulator-cloudwatch\.ts$/.test(process.argv[1])) {
  benchGetMetricData().then((r) => {
    console.log(
      `GetMetricData ${r.queries} queries × ${r.pointsPerQuery} points (${r.totalPoints} points returned): ` +
        `median ${r.medianMs.toFixed(1)} ms (CPU ${r.medianCpuMs.toFixed(1)} ms), best ${r.bestMs.toFixed(1)} ms, response ${(r.responseBytes / 1e6).toFixed(1)} MB; ` +
        `all ${r.pages} pages (${r.queries * r.pointsPerQuery} points): ${r.allPagesMs.toFixed(0)} ms`,
    );
  });
}
