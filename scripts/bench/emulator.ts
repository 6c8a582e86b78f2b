// `npm run bench:emulator`: DescribeDBClusters/s (one cluster; a page of 100) and the time of one
// GetMetricData with 500 queries × 1,440 points, all through the real AWS SDK clients over HTTP,
// printed side by side. Targets (2-core machine): ≥ 2,000 single-cluster describes/s; GetMetricData < 50 ms.
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_CREDENTIALS } from '@/lib/emulator';

const REGION = 'us-east-1';

async function rate(label: string, seconds: number, concurrency: number, call: () => Promise<unknown>) {
  // warm-up
  for (let i = 0; i < 50; i++) await call();
  let done = 0;
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      await call();
      latencies.push(performance.now() - t);
      done++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    label,
    perSecond: done / elapsed,
    p50: latencies[Math.floor(latencies.length * 0.5)],
    p95: latencies[Math.floor(latencies.length * 0.95)],
    calls: done,
  };
}

/** Captures the fully signed HTTP request the SDK would send (to replay it without client overhead). */
async function captureSigned(client: { middlewareStack: any; send(c: any): Promise<unknown> }, command: unknown) {
  let captured: { path: string; headers: Record<string, string>; body: string } | undefined;
  client.middlewareStack.addRelativeTo(
    (next: any) => async (args: any) => {
      captured = { path: args.request.path, headers: { ...args.request.headers }, body: String(args.request.body) };
      return next(args);
    },
    { relation: 'after', toMiddleware: 'awsAuthMiddleware', name: 'captureSigned' },
  );
  await client.send(command);
  client.middlewareStack.remove('captureSigned');
  if (!captured) throw new Error('could not capture the signed request');
  return captured;
}

/** Raw HTTP replays of one signed request (keep-alive): what the endpoint itself sustains. */
async function rawRate(label: string, url: string, req: { path: string; headers: Record<string, string>; body: string }, seconds: number, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const u = new URL(url);
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const r = http.request(
        { host: u.hostname, port: u.port, method: 'POST', path: req.path || '/', headers: req.headers, agent },
        (res) => {
          if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
          res.on('data', () => {});
          res.on('end', () => resolve());
        },
      );
      r.on('error', reject);
      r.end(req.body);
    });
  const out = await rate(label, seconds, concurrency, once);
  agent.destroy();
  return out;
}

/** The endpoint runs in its own process (as `npm run emulator` does), so client and server each get a core. */
async function spawnEmulator(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const cli = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'lib', 'emulator', 'cli.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--data-dir', dataDir, '--no-seed', '--profile', 'test'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, AFC_EMULATOR_ACCESS_KEY_ID: DEFAULT_CREDENTIALS.accessKeyId, AFC_EMULATOR_SECRET_ACCESS_KEY: DEFAULT_CREDENTIALS.secretAccessKey },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(buf);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`emulator exited (${code})`)));
  });
  return { url, child };
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 4);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'afc-bench-'));
  const { url, child } = await spawnEmulator(dataDir);
  const emu = { url, credentials: DEFAULT_CREDENTIALS };
  const seed = await fetch(`${url}/_emulator/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ profile: 'large', clusters: 200, maxInstances: 16, regions: [REGION] }),
  });
  if (!seed.ok) throw new Error(`seed failed: ${seed.status} ${await seed.text()}`);
  const now = Date.now();

  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const requestHandler = new NodeHttpHandler({ httpAgent: agent });
  const rds = new RDSClient({ endpoint: emu.url, region: REGION, credentials: emu.credentials, requestHandler, maxAttempts: 1 });
  const cw = new CloudWatchClient({ endpoint: emu.url, region: REGION, credentials: emu.credentials, requestHandler, maxAttempts: 1 });

  const single = await rate('DescribeDBClusters (one cluster)', seconds, 16, () =>
    rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'bench-0007' })),
  );
  const page = await rate('DescribeDBClusters (page of 100)', seconds, 8, async () => {
    const out = await rds.send(new DescribeDBClustersCommand({ MaxRecords: 100 }));
    if (out.DBClusters?.length !== 100) throw new Error('expected a page of 100 clusters');
  });
  const capClient = new RDSClient({ endpoint: emu.url, region: REGION, credentials: emu.credentials, maxAttempts: 1 });
  const signedSingle = await captureSigned(capClient, new DescribeDBClustersCommand({ DBClusterIdentifier: 'bench-0007' }));
  const signedPage = await captureSigned(capClient, new DescribeDBClustersCommand({ MaxRecords: 100 }));
  capClient.destroy();
  const rawSingle = await rawRate('  same, raw signed HTTP (no SDK)', emu.url, signedSingle, seconds, 16);
  const rawPage = await rawRate('  same, raw signed HTTP (no SDK)', emu.url, signedPage, seconds, 8);

  // GetMetricData: 500 queries × 1,440 one-minute points (the last 24 h) over the seeded fleet.
  const fleet: string[] = [];
  const instances: string[] = [];
  let marker: string | undefined;
  do {
    const out = await rds.send(new DescribeDBClustersCommand({ Marker: marker }));
    for (const c of out.DBClusters ?? []) {
      fleet.push(c.DBClusterIdentifier!);
      for (const m of c.DBClusterMembers ?? []) instances.push(m.DBInstanceIdentifier!);
    }
    marker = out.Marker;
  } while (marker);
  const metrics = ['CPUUtilization', 'DatabaseConnections', 'CommitThroughput', 'SelectThroughput', 'DMLThroughput'];
  const queries: MetricDataQuery[] = Array.from({ length: 500 }, (_, i) => ({
    Id: `m${i}`,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/RDS',
        MetricName: metrics[i % metrics.length],
        Dimensions: [{ Name: 'DBInstanceIdentifier', Value: instances[i % instances.length] }],
      },
      Period: 60,
      Stat: 'Average',
    },
  }));
  const endTime = new Date(Math.floor(now / 60_000) * 60_000);
  const startTime = new Date(endTime.getTime() - 1440 * 60_000);
  const gmd = (NextToken?: string) =>
    cw.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: startTime, EndTime: endTime, NextToken }));
  const first = await gmd();
  let points = 0;
  for (const r of first.MetricDataResults ?? []) points += r.Values?.length ?? 0;
  // All pages (NextToken) of the same request: 500 × 1,440 = 720,000 points exceed the 100,800 page cap.
  let allPoints = 0;
  let pages = 0;
  const tAll = performance.now();
  let token: string | undefined;
  do {
    const out = await gmd(token);
    pages++;
    for (const r of out.MetricDataResults ?? []) allPoints += r.Values?.length ?? 0;
    token = out.NextToken;
  } while (token);
  const allMs = performance.now() - tAll;
  // The same GetMetricData as a raw signed HTTP replay: the endpoint's time without the SDK's JSON parsing.
  const capCw = new CloudWatchClient({ endpoint: url, region: REGION, credentials: emu.credentials, maxAttempts: 1 });
  const signedGmd = await captureSigned(
    capCw,
    new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: startTime, EndTime: endTime }),
  );
  capCw.destroy();
  const rawTimes: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t = performance.now();
    const res = await fetch(url, { method: 'POST', headers: signedGmd.headers, body: signedGmd.body });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`raw GetMetricData: ${res.status}`);
    rawTimes.push(performance.now() - t);
  }
  rawTimes.sort((a, b) => a - b);

  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t = performance.now();
    await gmd();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);

  // The SDK's own cost per DescribeDBClusters (XML deserialization etc.), with a canned response and no network.
  const cannedXml = await (async () => {
    const res = await fetch(url, { method: 'POST', headers: signedSingle.headers, body: signedSingle.body });
    return Buffer.from(await res.arrayBuffer());
  })();
  const { Readable } = await import('node:stream');
  const canned = new RDSClient({
    endpoint: url,
    region: REGION,
    credentials: emu.credentials,
    maxAttempts: 1,
    requestHandler: {
      handle: async () => ({ response: { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: Readable.from([cannedXml]) } }),
    } as never,
  });
  for (let i = 0; i < 50; i++) await canned.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'bench-0007' }));
  const tSdk = performance.now();
  for (let i = 0; i < 300; i++) await canned.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'bench-0007' }));
  const sdkMs = (performance.now() - tSdk) / 300;
  canned.destroy();

  const f = (n: number) => n.toFixed(1).padStart(8);
  console.log('');
  console.log(`Local endpoint benchmark (endpoint in its own process; real AWS SDK clients over HTTP; fleet: ${fleet.length} clusters / ${instances.length} instances, ${REGION})`);
  console.log('┌──────────────────────────────────────┬──────────┬──────────┬──────────┬──────────────┐');
  console.log('│ measure                              │  calls/s │  p50 ms  │  p95 ms  │ target       │');
  console.log('├──────────────────────────────────────┼──────────┼──────────┼──────────┼──────────────┤');
  console.log(`│ ${single.label.padEnd(36)} │${f(single.perSecond)}  │${f(single.p50)}  │${f(single.p95)}  │ ≥ 2,000/s ${single.perSecond >= 2000 ? '✓' : '✗'}  │`);
  console.log(`│ ${rawSingle.label.padEnd(36)} │${f(rawSingle.perSecond)}  │${f(rawSingle.p50)}  │${f(rawSingle.p95)}  │ ≥ 2,000/s ${rawSingle.perSecond >= 2000 ? '✓' : '✗'}  │`);
  console.log(`│ ${page.label.padEnd(36)} │${f(page.perSecond)}  │${f(page.p50)}  │${f(page.p95)}  │ —            │`);
  console.log(`│ ${rawPage.label.padEnd(36)} │${f(rawPage.perSecond)}  │${f(rawPage.p50)}  │${f(rawPage.p95)}  │ —            │`);
  console.log(
    `│ ${'GetMetricData 500 q × 1,440 pts'.padEnd(36)} │${f(1000 / times[4])}  │${f(times[4])}  │${f(times[times.length - 1])}  │ < 50 ms ${times[4] < 50 ? '✓' : '✗'}    │`,
  );
  console.log(
    `│ ${'  same, raw signed HTTP (no SDK)'.padEnd(36)} │${f(1000 / rawTimes[4])}  │${f(rawTimes[4])}  │${f(rawTimes[rawTimes.length - 1])}  │ < 50 ms ${rawTimes[4] < 50 ? '✓' : '✗'}    │`,
  );
  console.log('└──────────────────────────────────────┴──────────┴──────────┴──────────┴──────────────┘');
  console.log(
    `GetMetricData: one call returns ${points.toLocaleString('en-US')} points (page cap 100,800); best ${times[0].toFixed(1)} ms, median ${times[4].toFixed(1)} ms of 9 runs.`,
  );
  console.log(
    `The SDK client alone spends ${sdkMs.toFixed(2)} ms per DescribeDBClusters (canned ${cannedXml.length}-byte response, no network): ` +
      `one Node client process tops out near ${Math.round(1000 / sdkMs)} calls/s whatever the endpoint does; the raw-HTTP row is the endpoint's own rate.`,
  );
  console.log(`GetMetricData, all ${pages} pages via NextToken: ${allPoints.toLocaleString('en-US')} points in ${allMs.toFixed(1)} ms.`);
  rds.destroy();
  cw.destroy();
  agent.destroy();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error((e as Error)?.stack ?? String(e));
  process.exit(1);
});
