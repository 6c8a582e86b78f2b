// BacktrackDBCluster on a real aurora-mysql (MariaDB) cluster through the real @aws-sdk/client-rds: rows written at
// t1, t2 and t3 (two seconds apart); a backtrack to a moment between t2 and t3 removes the t3 row in place, on the
// writer and on the reader, and the cluster stays `backtracking` until that is done.
import {
  BacktrackDBClusterCommand,
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DescribeDBClusterBacktracksCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeEventsCommand,
  type DBCluster,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterAvailable, startRealEndpoint, until } from '@/lib/testing/real-engines';
import { detectMysqlServer } from './mysql';

const PASSWORD = 'Tutorial-Passw0rd';
const ID = 'bt-lab';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(detectMysqlServer()?.flavour !== 'mariadb')('BacktrackDBCluster on a real aurora-mysql cluster', () => {
  let endpoint: Awaited<ReturnType<typeof startRealEndpoint>> | undefined;
  let rds: RDSClient;
  let c: DBCluster;
  let readerAddress: string;
  const t: { before: number; after: number }[] = [];
  const figures: Record<string, number> = {};

  const describeCluster = async () => (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: ID }))).DBClusters![0];
  async function names(host: string): Promise<string[]> {
    const conn = await mysql.createConnection({ host, port: c.Port, user: 'admin', password: PASSWORD, connectTimeout: 5000 });
    try {
      return (await conn.query<RowDataPacket[]>('SELECT name FROM shop.orders ORDER BY id'))[0].map((r) => String(r.name));
    } finally {
      await conn.end();
    }
  }

  beforeAll(async () => {
    // A model duration far shorter than the engine's work: the status must follow the engine, not the clock.
    endpoint = await startRealEndpoint('afc-backtrack-', { durations: { backtrack: 50 } });
    rds = endpoint.rds;
    await rds.send(
      new CreateDBClusterCommand({ DBClusterIdentifier: ID, Engine: 'aurora-mysql', MasterUsername: 'admin', MasterUserPassword: PASSWORD, BacktrackWindow: 3600 }),
    );
    for (const n of [1, 2]) {
      await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `${ID}-${n}`, DBClusterIdentifier: ID, Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large' }));
    }
    await until(`${ID} available`, () => clusterAvailable(rds, ID), 90_000);
    c = await describeCluster();
    const instances = (await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [ID] }] }))).DBInstances!;
    readerAddress = instances.find((i) => i.DBInstanceIdentifier !== c.DBClusterMembers!.find((m) => m.IsClusterWriter)!.DBInstanceIdentifier)!.Endpoint!.Address!;

    const conn = await mysql.createConnection({ host: c.Endpoint!, port: c.Port, user: 'admin', password: PASSWORD });
    await conn.query('CREATE DATABASE shop');
    await conn.query('CREATE TABLE shop.orders (id INT PRIMARY KEY, name VARCHAR(20))');
    for (const [n, name] of ['t1', 't2', 't3'].entries()) {
      if (n > 0) await sleep(2100);
      const before = Date.now();
      await conn.query('INSERT INTO shop.orders VALUES (?, ?)', [n + 1, name]);
      t.push({ before, after: Date.now() });
    }
    await conn.end();
  }, 120_000);

  afterAll(async () => {
    await endpoint?.close();
    console.info('backtrack figures', figures);
  }, 60_000);

  it('says how far back the engine’s change records reach, and refuses a time before that with AWS’s fault', async () => {
    const earliest = (await describeCluster()).EarliestBacktrackTime!;
    // The engine's history starts when the writer's database exists, after the cluster was created.
    expect(earliest.getTime()).toBeGreaterThan(c.ClusterCreateTime!.getTime());
    expect(earliest.getTime()).toBeLessThan(t[0].before);
    await expect(
      rds.send(new BacktrackDBClusterCommand({ DBClusterIdentifier: ID, BacktrackTo: new Date(earliest.getTime() - 500) })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue', message: expect.stringMatching(/earliest backtrack time/) });
  });

  it('backtracks to between t2 and t3: the t3 row is gone on the writer and on the reader, t1 and t2 stay', async () => {
    expect(await names(c.Endpoint!)).toEqual(['t1', 't2', 't3']);
    const to = new Date(Math.round((t[1].after + t[2].before) / 2));
    const started = Date.now();
    const { BacktrackIdentifier } = await rds.send(new BacktrackDBClusterCommand({ DBClusterIdentifier: ID, BacktrackTo: to }));
    expect((await describeCluster()).Status).toBe('backtracking');
    await until('backtrack completed', async () => {
      const b = (await rds.send(new DescribeDBClusterBacktracksCommand({ DBClusterIdentifier: ID, BacktrackIdentifier }))).DBClusterBacktracks![0];
      return b.Status === 'completed' && (await describeCluster()).Status === 'available';
    }, 30_000, 100);
    figures.backtrackMs = Date.now() - started;
    // Right when the cluster is available again, both instances hold the data as of `to`.
    expect(await names(c.Endpoint!)).toEqual(['t1', 't2']);
    expect(await names(readerAddress)).toEqual(['t1', 't2']);
    const events = (await rds.send(new DescribeEventsCommand({ SourceIdentifier: ID, SourceType: 'db-cluster', Duration: 60 }))).Events!;
    expect(events.map((e) => e.Message)).toContain(`Completed backtrack to ${to.toISOString()}`);
    expect(events.map((e) => e.Message).join('\n')).not.toMatch(/could not carry out the backtrack/);

    // The cluster takes writes again, and they replicate.
    const conn = await mysql.createConnection({ host: c.Endpoint!, port: c.Port, user: 'admin', password: PASSWORD });
    await conn.query("INSERT INTO shop.orders VALUES (4, 'after')");
    await conn.end();
    await until('the reader has the new row', async () => (await names(readerAddress)).includes('after'), 5_000, 50);
  }, 60_000);

  it('publishes what the binary log retains: change records stored and created, and the actual window', async () => {
    await endpoint!.emu.engines!.sample(); // what the 5-second sampler does
    const now = Date.now();
    const writer = c.DBClusterMembers!.find((m) => m.IsClusterWriter)!.DBInstanceIdentifier!;
    const query = (Id: string, MetricName: string, Name: string, Value: string) => ({
      Id,
      MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName, Dimensions: [{ Name, Value }] }, Period: 60, Stat: 'Maximum' },
    });
    const res = await endpoint!.cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 5 * 60_000),
        EndTime: new Date(now + 60_000),
        MetricDataQueries: [
          query('stored', 'BacktrackChangeRecordsStored', 'DBClusterIdentifier', ID),
          query('created', 'BacktrackChangeRecordsCreationRate', 'DBClusterIdentifier', ID),
          query('window', 'BacktrackWindowActual', 'DBInstanceIdentifier', writer),
        ],
      }),
    );
    const latest = (id: string) => res.MetricDataResults!.find((r) => r.Id === id)!.Values![0];
    // Three INSERTs, the backtrack's one undo (a delete) and the INSERT after it: five row changes in the log.
    expect(latest('stored')).toBe(5);
    expect(latest('created')).toBeGreaterThanOrEqual(0);
    expect(latest('window')).toBe(Math.floor((now - (await describeCluster()).EarliestBacktrackTime!.getTime()) / 60_000));
  });
});
