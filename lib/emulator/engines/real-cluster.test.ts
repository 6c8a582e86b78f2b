// Real engines behind the local endpoint, end to end: the real @aws-sdk/client-rds creates the cluster and its
// instances; stock clients (pg, mysql2) connect to the Address/Port that Describe* returns.
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeEventsCommand,
  FailoverDBClusterCommand,
  RDSClient,
  type DBCluster,
} from '@aws-sdk/client-rds';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '@/lib/emulator';
import { clusterAvailable, startRealEndpoint, until } from '@/lib/testing/real-engines';
import { detectMysqlServer } from './mysql';

const PASSWORD = 'Tutorial-Passw0rd';
let emu: RunningEmulator;
let rds: RDSClient;
let cw: CloudWatchClient;
let endpoint: Awaited<ReturnType<typeof startRealEndpoint>> | undefined;

beforeAll(async () => {
  endpoint = await startRealEndpoint('afc-real-', { durations: { failover: 1500 } });
  ({ emu, rds, cw } = endpoint);
}, 60_000);

afterAll(() => endpoint?.close(), 60_000);

async function cluster(id: string): Promise<DBCluster> {
  return (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0];
}

const allAvailable = (id: string) => clusterAvailable(rds, id);

async function createLab(id: string, engine: 'aurora-postgresql' | 'aurora-mysql', readers: number): Promise<DBCluster> {
  await rds.send(
    new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: engine, MasterUsername: 'admin', MasterUserPassword: PASSWORD }),
  );
  for (let n = 1; n <= readers + 1; n++) {
    await rds.send(
      new CreateDBInstanceCommand({ DBInstanceIdentifier: `${id}-${n}`, DBClusterIdentifier: id, Engine: engine, DBInstanceClass: 'db.r6g.large' }),
    );
  }
  await until(`${id} available`, () => allAvailable(id), 90_000);
  return cluster(id);
}

describe('aurora-postgresql on a real PostgreSQL', () => {
  let c: DBCluster;
  beforeAll(async () => {
    c = await createLab('lab-pg', 'aurora-postgresql', 1);
  }, 120_000);

  const connect = (host: string, database = 'postgres', password = PASSWORD) =>
    new pg.Client({ host, port: c.Port, user: 'admin', password, database, connectionTimeoutMillis: 5000 });

  it('says the engine is real, and hands out loopback endpoints', () => {
    expect(c.TagList).toContainEqual({ Key: 'afc:engine', Value: expect.stringMatching(/^real PostgreSQL 16/) });
    expect(c.Endpoint).toMatch(/^127\.0\.\d+\.1$/);
    expect(c.ReaderEndpoint).toMatch(/^127\.0\.\d+\.2$/);
  });

  it("runs the tutorial's SQL through the writer endpoint, and refuses a wrong password with PostgreSQL's error", async () => {
    const admin = connect(c.Endpoint!);
    await admin.connect();
    await admin.query('CREATE DATABASE myapp');
    await admin.end();
    const db = connect(c.Endpoint!, 'myapp');
    await db.connect();
    await db.query('CREATE TABLE users (id SERIAL PRIMARY KEY, name VARCHAR(100), email VARCHAR(100))');
    await db.query("INSERT INTO users (name, email) VALUES ('John Doe', 'john@example.com')");
    const rows = (await db.query('SELECT name, email FROM users')).rows;
    expect(rows).toEqual([{ name: 'John Doe', email: 'john@example.com' }]);
    await db.end();
    const bad = connect(c.Endpoint!, 'postgres', 'wrong-password');
    await expect(bad.connect()).rejects.toThrow('password authentication failed for user "admin"');
  });

  it('the reader endpoint sees the row within 1 s and refuses writes with the read-only error', async () => {
    const w = connect(c.Endpoint!, 'myapp');
    await w.connect();
    await w.query("INSERT INTO users (name, email) VALUES ('Jane Roe', 'jane@example.com')");
    await w.end();
    const t0 = Date.now();
    // The database itself was created a moment ago: the reader may not have replayed it yet either.
    const r = await until('the row on the reader', async () => {
      const client = connect(c.ReaderEndpoint!, 'myapp');
      try {
        await client.connect();
        if ((await client.query("SELECT 1 FROM users WHERE name = 'Jane Roe'")).rowCount === 1) return client;
      } catch {
        /* not replayed yet */
      }
      await client.end().catch(() => undefined);
      return undefined;
    }, 1000);
    expect(Date.now() - t0).toBeLessThan(1000);
    await expect(r.query("INSERT INTO users (name) VALUES ('x')")).rejects.toThrow('cannot execute INSERT in a read-only transaction');
    await r.end();
  });

  it('failover drops the old connection; a reconnect through the writer endpoint writes to the new writer; no row lost', async () => {
    const before = connect(c.Endpoint!, 'myapp');
    await before.connect();
    const count = Number((await before.query('SELECT count(*) AS n FROM users')).rows[0].n);
    const dropped = new Promise<void>((resolve) => before.on('error', () => resolve()));
    await rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'lab-pg' }));
    await dropped;
    await until('lab-pg-2 is the writer', async () => (await cluster('lab-pg')).DBClusterMembers!.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier === 'lab-pg-2');
    await until('lab-pg available', () => allAvailable('lab-pg'));
    const after = connect(c.Endpoint!, 'myapp');
    await after.connect();
    await after.query("INSERT INTO users (name) VALUES ('after failover')");
    expect(Number((await after.query('SELECT count(*) AS n FROM users')).rows[0].n)).toBe(count + 1);
    expect((await after.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(false);
    await after.end();
    // The old writer is a reader now.
    const old = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'lab-pg-1' }))).DBInstances![0];
    const o = new pg.Client({ host: old.Endpoint!.Address, port: old.Endpoint!.Port, user: 'admin', password: PASSWORD, database: 'myapp' });
    await o.connect();
    await expect(o.query("INSERT INTO users (name) VALUES ('x')")).rejects.toThrow('read-only transaction');
    await o.end();
  }, 60_000);

  it('kill -9 of the writer engine: an automatic failover, with events', async () => {
    const writer = (await cluster('lab-pg')).DBClusterMembers!.find((m) => m.IsClusterWriter)!.DBInstanceIdentifier!;
    const pid = engineInfo(writer)!.pid!;
    const since = new Date();
    process.kill(pid, 'SIGKILL');
    await until('a new writer', async () => {
      const w = (await cluster('lab-pg')).DBClusterMembers!.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
      return w && w !== writer;
    }, 30_000);
    await until('lab-pg available', () => allAvailable('lab-pg'), 60_000);
    const events = (await rds.send(new DescribeEventsCommand({ SourceType: 'db-cluster', SourceIdentifier: 'lab-pg', StartTime: since }))).Events!;
    expect(events.map((e) => e.Message)).toEqual(expect.arrayContaining([expect.stringMatching(/failover/i)]));
    const db = connect((await cluster('lab-pg')).Endpoint!, 'myapp');
    await db.connect();
    expect(Number((await db.query('SELECT count(*) AS n FROM users')).rows[0].n)).toBeGreaterThanOrEqual(3);
    await db.end();
  }, 90_000);
});

function engineInfo(instanceId: string) {
  return emu.engines!.engineInstance('us-east-1', instanceId.replace(/-\d+$/, ''), instanceId);
}

describe.skipIf(!detectMysqlServer())('aurora-mysql on a real MariaDB', () => {
  let c: DBCluster;
  beforeAll(async () => {
    c = await createLab('lab-my', 'aurora-mysql', 1);
  }, 120_000);

  const connect = (host: string, password = PASSWORD) =>
    mysql.createConnection({ host, port: c.Port, user: 'admin', password, connectTimeout: 5000 });

  it("runs the tutorial's SQL, refuses writes on the reader with MySQL's --read-only error, and fails over without loss", async () => {
    expect(c.TagList).toContainEqual({ Key: 'afc:engine', Value: expect.stringMatching(/^real MariaDB/) });
    const w = await connect(c.Endpoint!);
    await w.query('CREATE DATABASE myapp');
    await w.query('USE myapp');
    await w.query('CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100), email VARCHAR(100))');
    await w.query("INSERT INTO users (name, email) VALUES ('John Doe', 'john@example.com')");
    const [rows] = await w.query('SELECT name, email FROM users');
    expect(rows).toEqual([{ name: 'John Doe', email: 'john@example.com' }]);
    await expect(connect(c.Endpoint!, 'wrong-password')).rejects.toThrow(/Access denied for user 'admin'/);

    const r = await connect(c.ReaderEndpoint!);
    await until('the row on the reader', async () => ((await r.query('SELECT 1 FROM myapp.users')) as unknown[][])[0].length === 1, 1000);
    await expect(r.query("INSERT INTO myapp.users (name) VALUES ('x')")).rejects.toThrow(/--read-only option/);
    await r.end();

    const dropped = new Promise<void>((resolve) => w.on('error', () => resolve()));
    await rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'lab-my' }));
    await dropped;
    await until('lab-my-2 is the writer', async () => (await cluster('lab-my')).DBClusterMembers!.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier === 'lab-my-2');
    await until('lab-my available', () => allAvailable('lab-my'));
    const after = await connect(c.Endpoint!);
    await after.query("INSERT INTO myapp.users (name) VALUES ('after failover')");
    const [n] = (await after.query('SELECT count(*) AS n FROM myapp.users')) as unknown as [{ n: number }[]];
    expect(Number(n[0].n)).toBe(2);
    await after.end();
  }, 90_000);

  it('kill -9 of the writer engine: an automatic failover, with events; no committed row lost', async () => {
    const writer = (await cluster('lab-my')).DBClusterMembers!.find((m) => m.IsClusterWriter)!.DBInstanceIdentifier!;
    const since = new Date();
    process.kill(engineInfo(writer)!.pid!, 'SIGKILL');
    await until('a new writer', async () => {
      const w = (await cluster('lab-my')).DBClusterMembers!.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
      return w && w !== writer;
    }, 30_000);
    await until('lab-my available', () => allAvailable('lab-my'), 60_000);
    const events = (await rds.send(new DescribeEventsCommand({ SourceType: 'db-cluster', SourceIdentifier: 'lab-my', StartTime: since }))).Events!;
    expect(events.map((e) => e.Message)).toEqual(expect.arrayContaining([expect.stringMatching(/failover/i)]));
    const db = await until('the new writer takes writes', async () => {
      const conn = await connect((await cluster('lab-my')).Endpoint!);
      await conn.query("INSERT INTO myapp.users (name) VALUES ('after the crash')");
      return conn;
    });
    const [n] = (await db.query('SELECT count(*) AS n FROM myapp.users')) as unknown as [{ n: number }[]];
    expect(Number(n[0].n)).toBe(3);
    await db.end();
  }, 90_000);

  it('1,000 inserts through the writer endpoint show up in its CommitThroughput', async () => {
    const c2 = await cluster('lab-my');
    const writer = c2.DBClusterMembers!.find((m) => m.IsClusterWriter)!.DBInstanceIdentifier!;
    const commits = async () => {
      await emu.engines!.sample();
      const now = Date.now();
      const out = await cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(now - 10 * 60_000),
          EndTime: new Date(now + 60_000),
          MetricDataQueries: [
            {
              Id: 'commit',
              MetricStat: {
                Metric: { Namespace: 'AWS/RDS', MetricName: 'CommitThroughput', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: writer }] },
                Period: 60,
                Stat: 'Average',
              },
            },
          ],
        }),
      );
      // Each point is a per-second average over its minute.
      return out.MetricDataResults![0].Values!.reduce((sum, v) => sum + v * 60, 0);
    };
    const before = await commits();
    const db = await connect(c2.Endpoint!);
    for (let i = 0; i < 1000; i++) await db.query('INSERT INTO myapp.users (name) VALUES (?)', [`user ${i}`]);
    await db.end();
    await until('1,000 more commits in CommitThroughput', async () => (await commits()) - before >= 1000, 30_000);
  }, 90_000);
});
