// Test support (not a test file): a static DataplaneSource and a tiny node:http wrapper around the CloudWatch service
// (no SigV4; the region comes from the Authorization header's credential scope when present).
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { createCloudWatchService, protocolOf, type CloudWatchService, type CwProtocol } from '@/lib/emulator/cloudwatch/service';
import type { DataplaneCluster, DataplaneSource } from '@/lib/emulator/dataplane/types';

export const MIN = 60_000;

export function staticSource(clusters: DataplaneCluster[] | (() => DataplaneCluster[])): DataplaneSource {
  return { clusters: (region) => (typeof clusters === 'function' ? clusters() : clusters).filter((c) => c.region === region) };
}

/** A two-instance aurora-mysql cluster created `ageMin` minutes before `now`, with an optional failover. */
export function demoCluster(now: number, opts: { ageMin?: number; id?: string; region?: string; failoverAtMin?: number; workload?: DataplaneCluster['workload'] } = {}): DataplaneCluster {
  const created = Math.floor((now - (opts.ageMin ?? 120) * MIN) / MIN) * MIN;
  const id = opts.id ?? 'orders';
  const c: DataplaneCluster = {
    region: opts.region ?? 'us-east-1',
    id,
    engine: 'aurora-mysql',
    createdAt: created,
    backtrackWindow: 3600,
    workload: opts.workload ?? 'steady',
    instances: [
      { id: `${id}-1`, instanceClass: 'db.r6g.large', createdAt: created, availableAt: created + 5 * MIN },
      { id: `${id}-2`, instanceClass: 'db.r6g.large', createdAt: created + 10 * MIN, availableAt: created + 20 * MIN },
    ],
    writerHistory: [{ instanceId: `${id}-1`, from: created + 5 * MIN }],
    failovers: [],
    backtracks: [],
    reboots: [],
    stopped: [],
  };
  if (opts.failoverAtMin !== undefined) {
    const at = created + opts.failoverAtMin * MIN + 10_000;
    c.failovers.push({ startedAt: at, completedAt: at + 20_000, from: `${id}-1`, to: `${id}-2` });
    c.writerHistory.push({ instanceId: `${id}-2`, from: at + 20_000 });
  }
  return c;
}

export interface TestServer {
  url: string;
  service: CloudWatchService;
  db: Database.Database;
  /** Protocol of every request served, in order. */
  seen: CwProtocol[];
  close(): Promise<void>;
}

export async function startTestServer(source: DataplaneSource, clock: () => number = Date.now): Promise<TestServer> {
  const db = new Database(':memory:');
  const service = createCloudWatchService({ db, source });
  const seen: CwProtocol[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
      const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(headers.authorization ?? '');
      const url = new URL(req.url ?? '/', 'http://x');
      const request = {
        method: req.method ?? 'POST',
        path: url.pathname,
        headers,
        body,
        region: scope?.[1] ?? 'us-east-1',
        service: scope?.[2] ?? 'monitoring',
        requestId: randomUUID(),
        now: clock(),
      };
      seen.push(protocolOf(request));
      const out = await service.handle(request);
      res.writeHead(out.status, out.headers);
      res.end(out.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    service,
    db,
    seen,
    close: () => new Promise<void>((r) => server.close(() => { db.close(); r(); })),
  };
}
