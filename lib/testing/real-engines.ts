// Helpers for the tests that run real engines behind the local endpoint.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { startEmulator, type StartEmulatorOptions } from '@/lib/emulator';

/** Polls `fn` until it returns something truthy (errors count as not yet); throws after `timeoutMs`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A fresh data directory the PostgreSQL OS user can pass through (0711). */
export function engineDataDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o711);
  return dir;
}

/** The local endpoint with real engines on a fresh data directory, and SDK clients for it; `close()` removes it all. */
export async function startRealEndpoint(prefix: string, opts: StartEmulatorOptions = {}) {
  const dir = engineDataDir(prefix);
  const emu = await startEmulator({ port: 0, dataDir: dir, profile: 'test', engines: 'real', ...opts });
  const cfg = { endpoint: emu.url, region: 'us-east-1', credentials: emu.credentials, maxAttempts: 1 };
  const rds = new RDSClient(cfg);
  const cw = new CloudWatchClient(cfg);
  return {
    emu,
    rds,
    cw,
    cfg,
    async close() {
      rds.destroy();
      cw.destroy();
      await emu.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The cluster and every one of its instances are `available`, as DescribeDBClusters/DescribeDBInstances say. */
export async function clusterAvailable(rds: RDSClient, id: string): Promise<boolean> {
  const c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0];
  const inst = (await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [id] }] }))).DBInstances!;
  return c.Status === 'available' && inst.length === c.DBClusterMembers!.length && inst.every((i) => i.DBInstanceStatus === 'available');
}
