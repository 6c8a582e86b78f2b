// The real synthetic workload (`/_emulator/workload` on a cluster with real engines): real statements through the
// writer and reader endpoints into its own database, which the writer's CommitThroughput shows through the real
// @aws-sdk/client-cloudwatch; 'idle' stops it; the user's databases are left alone.
import net from 'node:net';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDBClusterCommand, CreateDBInstanceCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningEmulator } from '@/lib/emulator';
import { clusterAvailable, startRealEndpoint, until } from '@/lib/testing/real-engines';

const PASSWORD = 'Workload-Passw0rd';
let emu: RunningEmulator;
let rds: RDSClient;
let cw: CloudWatchClient;
let endpoint: Awaited<ReturnType<typeof startRealEndpoint>> | undefined;

beforeAll(async () => {
  endpoint = await startRealEndpoint('afc-wl-');
  ({ emu, rds, cw } = endpoint);
}, 60_000);

afterAll(() => endpoint?.close(), 60_000);

const workload = async (w: string) =>
  (await fetch(`${emu.url}/_emulator/workload`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ region: 'us-east-1', cluster: 'wl-pg', workload: w }),
  }).then((r) => r.json())) as { ok: boolean; real: boolean };

it('steady drives real commits on the writer, visible in CloudWatch; idle stops it; user databases untouched', async () => {
  // Another process holding the cluster's port on its reader address: every endpoint moves to one free port.
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.once('error', () => resolve()).listen(5432, '127.0.1.2', () => resolve()));
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'wl-pg', Engine: 'aurora-postgresql', MasterUsername: 'admin', MasterUserPassword: PASSWORD }));
  for (const n of [1, 2]) {
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `wl-pg-${n}`, DBClusterIdentifier: 'wl-pg', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large' }));
  }
  await until('wl-pg available', async () => {
    const inst = (await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['wl-pg'] }] }))).DBInstances!;
    return inst.length === 2 && inst.every((i) => i.DBInstanceStatus === 'available');
  }, 90_000);
  const c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'wl-pg' }))).DBClusters![0];
  const ports = (await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['wl-pg'] }] }))).DBInstances!.map((i) => i.Endpoint!.Port);
  expect(ports).toEqual([c.Port, c.Port]);

  // Nothing runs until asked.
  expect(emu.engines!.workloadDone('us-east-1', 'wl-pg')).toEqual({ writes: 0, reads: 0 });
  const t0 = Date.now();
  await emu.engines!.sample();
  expect(await workload('steady')).toMatchObject({ ok: true, real: true });
  const done = await until('writes and reads', async () => {
    const d = emu.engines!.workloadDone('us-east-1', 'wl-pg')!;
    return d.writes >= 4 && d.reads >= 4 && d;
  });
  expect(done.writes).toBeGreaterThan(0);
  blocker.close();
  await emu.engines!.sample();

  const commits = await until('CommitThroughput > 0 on the writer', async () => {
    await emu.engines!.sample();
    const r = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(t0 - 120_000),
        EndTime: new Date(Date.now() + 60_000),
        MetricDataQueries: [
          { Id: 'c', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'CommitThroughput', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'wl-pg-1' }] }, Period: 60, Stat: 'Average' } },
        ],
      }),
    );
    const max = Math.max(0, ...(r.MetricDataResults![0].Values ?? []));
    return max > 0 && max;
  });
  expect(commits).toBeGreaterThan(0);

  // Its own database and table; the user's databases have nothing new.
  const admin = new pg.Client({ host: c.Endpoint!, port: c.Port!, user: 'admin', password: PASSWORD, database: 'afc_workload' });
  await admin.connect();
  expect(Number((await admin.query('SELECT count(*) AS n FROM scratch')).rows[0].n)).toBeGreaterThan(0);
  expect((await admin.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0].n).toBe(1);
  await admin.end();
  const postgres = new pg.Client({ host: c.Endpoint!, port: c.Port!, user: 'admin', password: PASSWORD, database: 'postgres' });
  await postgres.connect();
  expect((await postgres.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0].n).toBe(0);
  await postgres.end();

  expect(await workload('idle')).toMatchObject({ ok: true, real: true });
  await new Promise((r) => setTimeout(r, 400)); // a statement already in flight may still finish
  const after = { ...emu.engines!.workloadDone('us-east-1', 'wl-pg')! };
  await new Promise((r) => setTimeout(r, 1500));
  expect(emu.engines!.workloadDone('us-east-1', 'wl-pg')).toEqual(after);
}, 150_000);

it('the demo fleet (seed demo, real engines) has one real cluster, tutorial-pg, with a steady real workload', async () => {
  const demo = await startRealEndpoint('afc-demo-', { seed: 'demo', regions: ['us-east-1', 'eu-west-1'] });
  const client = demo.rds;
  try {
    const ids = (await client.send(new DescribeDBClustersCommand({}))).DBClusters!.map((c) => c.DBClusterIdentifier);
    expect(ids).toEqual(expect.arrayContaining(['orders-prod', 'analytics-pg', 'billing', 'tutorial-pg']));
    const c = await until('tutorial-pg available', async () => {
      const t = (await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'tutorial-pg' }))).DBClusters![0];
      return (await clusterAvailable(client, 'tutorial-pg')) && t.DBClusterMembers!.length === 2 && t;
    }, 90_000);
    expect(c.TagList).toContainEqual({ Key: 'afc:engine', Value: expect.stringMatching(/^real PostgreSQL/) });
    await until('the workload writing', async () => demo.emu.engines!.workloadDone('us-east-1', 'tutorial-pg')!.writes > 0);
    const db = new pg.Client({ host: c.Endpoint!, port: c.Port!, user: 'admin', password: 'Tutorial-Passw0rd', database: 'afc_workload' });
    await db.connect();
    expect(Number((await db.query('SELECT count(*) AS n FROM scratch')).rows[0].n)).toBeGreaterThan(0);
    await db.end();
  } finally {
    await demo.close();
  }
}, 150_000);
