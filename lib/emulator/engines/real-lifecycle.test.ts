// Real engines through the whole RDS lifecycle, end to end with the real @aws-sdk/client-rds and pg: reboot,
// stop/start, deleting a reader, the endpoint restarting over the same data directory, deleting the cluster; and
// bad input (a 10 MB query, a client that never sends a byte, 200 connections at once, a deleted cluster's port).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeEventsCommand,
  RDSClient,
  RebootDBInstanceCommand,
  StartDBClusterCommand,
  StopDBClusterCommand,
  type DBCluster,
  type DBInstance,
} from '@aws-sdk/client-rds';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/lib/emulator';
import { engineDataDir, until } from '@/lib/testing/real-engines';
import { detectMysqlServer } from './mysql';

const PASSWORD = 'Lifecycle-Passw0rd';
const ID = 'life-pg';
let emu: RunningEmulator;
let rds: RDSClient;
let dir: string;

async function boot(): Promise<void> {
  emu = await startEmulator({ port: 0, dataDir: dir, profile: 'test', engines: 'real', durations: { reboot: 1500, stopCluster: 800, startCluster: 800 } });
  rds = new RDSClient({ endpoint: emu.url, region: 'us-east-1', credentials: emu.credentials, maxAttempts: 1 });
}

beforeAll(async () => {
  dir = engineDataDir('afc-life-');
  await boot();
}, 60_000);

afterAll(async () => {
  rds?.destroy();
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

const cluster = async (): Promise<DBCluster> => (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: ID }))).DBClusters![0];
const instance = async (id: string): Promise<DBInstance> => (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances![0];

async function allAvailable(): Promise<boolean> {
  const c = await cluster();
  const inst = (await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [ID] }] }))).DBInstances!;
  return c.Status === 'available' && inst.length === c.DBClusterMembers!.length && inst.every((i) => i.DBInstanceStatus === 'available');
}

const client = (host: string, port: number, o: { user?: string; password?: string; database?: string } = {}) =>
  new pg.Client({ host, port, user: o.user ?? 'admin', password: o.password ?? PASSWORD, database: o.database ?? 'postgres', connectionTimeoutMillis: 3000 });

async function query(host: string, port: number, sql: string, o?: { user?: string; password?: string; database?: string }) {
  const cl = client(host, port, o);
  await cl.connect();
  try {
    return (await cl.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await cl.end().catch(() => undefined);
  }
}

/** A connection that fails: refused by the kernel, or closed by the endpoint before the engine answers. */
async function refuses(host: string, port: number): Promise<boolean> {
  const cl = client(host, port);
  cl.on('error', () => undefined);
  try {
    await cl.connect();
    await cl.end().catch(() => undefined);
    return false;
  } catch {
    return true;
  }
}

/** The kernel refuses a TCP connection (nothing listens there any more). */
function tcpRefused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

describe('a real aurora-postgresql cluster through its lifecycle', () => {
  let c: DBCluster;
  let reader: DBInstance;
  beforeAll(async () => {
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: ID, Engine: 'aurora-postgresql', MasterUsername: 'admin', MasterUserPassword: PASSWORD }));
    for (const n of [1, 2]) {
      await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `${ID}-${n}`, DBClusterIdentifier: ID, Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large' }));
    }
    await until('life-pg available', allAvailable, 90_000);
    c = await cluster();
    reader = await instance(`${ID}-2`);
    await query(c.Endpoint!, c.Port!, 'CREATE DATABASE shop');
    await query(c.Endpoint!, c.Port!, "CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders SELECT g, 'item ' || g FROM generate_series(1, 50) g; CREATE ROLE clerk LOGIN PASSWORD 'clerk-pass'; GRANT SELECT ON orders TO clerk", { database: 'shop' });
  }, 120_000);

  it('RebootDBInstance drops that instance’s connections for its duration; it comes back', async () => {
    const addr = reader.Endpoint!;
    const held = client(addr.Address!, addr.Port!);
    await held.connect();
    const dropped = new Promise<void>((resolve) => held.on('error', () => resolve()));
    await rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: reader.DBInstanceIdentifier }));
    await dropped;
    await until('the reader back', async () => (await instance(reader.DBInstanceIdentifier!)).DBInstanceStatus === 'available', 30_000);
    const rows = await until('a query on the rebooted reader', () => query(addr.Address!, addr.Port!, 'SELECT count(*)::int AS n FROM orders', { database: 'shop' }));
    expect(rows[0].n).toBe(50);
    // The writer was not touched.
    expect((await query(c.Endpoint!, c.Port!, 'SELECT 1 AS one'))[0].one).toBe(1);
  }, 60_000);

  it('a 10 MB query gets the engine’s own answer; a silent client and 200 connections at once hang nothing', async () => {
    const big = `SELECT length('${'x'.repeat(10 * 1024 * 1024)}') AS n`;
    const r = await query(c.Endpoint!, c.Port!, big).then((rows) => rows[0].n, (e: Error) => e.message);
    expect([10 * 1024 * 1024, expect.any(String)]).toContainEqual(r);

    // A client that connects and never sends a byte.
    const silent = net.connect({ host: c.Endpoint!, port: c.Port! });
    await new Promise((resolve) => silent.once('connect', resolve));

    const attempts = await Promise.allSettled(
      Array.from({ length: 200 }, async () => {
        const cl = client(c.Endpoint!, c.Port!);
        cl.on('error', () => undefined);
        await cl.connect();
        await cl.query('SELECT pg_sleep(0.2)');
        await cl.end();
      }),
    );
    const failures = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected').map((a) => String(a.reason?.message));
    // PostgreSQL's own refusal when past max_connections, or a success: nothing else.
    for (const f of failures) expect(f).toMatch(/too many clients|remaining connection slots are reserved|Connection terminated|timeout/i);
    expect(attempts.length - failures.length).toBeGreaterThan(0);
    // Everyone else still works, with the silent client still connected.
    expect((await until('a query after the burst', () => query(c.Endpoint!, c.Port!, 'SELECT 2 AS two')))[0].two).toBe(2);
    silent.destroy();
    expect((await instance(`${ID}-1`)).DBInstanceStatus).toBe('available');
  }, 90_000);

  it('StopDBCluster refuses connections on every endpoint; StartDBCluster brings the data back', async () => {
    await rds.send(new StopDBClusterCommand({ DBClusterIdentifier: ID }));
    await until('stopped', async () => (await cluster()).Status === 'stopped');
    const endpoints = [c.Endpoint!, c.ReaderEndpoint!, (await instance(`${ID}-1`)).Endpoint!.Address!, reader.Endpoint!.Address!];
    for (const host of endpoints) expect(await refuses(host, c.Port!), host).toBe(true);
    await rds.send(new StartDBClusterCommand({ DBClusterIdentifier: ID }));
    await until('available again', allAvailable, 60_000);
    const rows = await until('the rows back', () => query(c.Endpoint!, c.Port!, 'SELECT count(*)::int AS n FROM orders', { database: 'shop' }));
    expect(rows[0].n).toBe(50);
  }, 90_000);

  it('the endpoint restarting over the same data directory keeps rows, roles, Address and Port', async () => {
    rds.destroy();
    await emu.close();
    await boot();
    await until('available after the restart', allAvailable, 60_000);
    const again = await cluster();
    expect([again.Endpoint, again.ReaderEndpoint, again.Port]).toEqual([c.Endpoint, c.ReaderEndpoint, c.Port]);
    expect((await instance(reader.DBInstanceIdentifier!)).Endpoint).toEqual(reader.Endpoint);
    const rows = await until('the rows as the clerk role', () =>
      query(c.Endpoint!, c.Port!, 'SELECT count(*)::int AS n FROM orders', { database: 'shop', user: 'clerk', password: 'clerk-pass' }),
    );
    expect(rows[0].n).toBe(50);
  }, 90_000);

  it('DeleteDBInstance of a reader removes it: its endpoint refuses', async () => {
    await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: reader.DBInstanceIdentifier }));
    await until('the reader gone', async () => {
      const list = (await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [ID] }] }))).DBInstances!;
      return !list.some((i) => i.DBInstanceIdentifier === reader.DBInstanceIdentifier);
    });
    expect(await until('its endpoint refusing', () => tcpRefused(reader.Endpoint!.Address!, reader.Endpoint!.Port!))).toBe(true);
    // The reader endpoint falls back to the writer, as Aurora's does with no reader.
    expect((await query(c.ReaderEndpoint!, c.Port!, 'SELECT pg_is_in_recovery() AS r'))[0].r).toBe(false);
  }, 60_000);

  it('DeleteDBCluster (after its instances) removes the data folder; its ports refuse connections', async () => {
    const folder = path.join(dir, 'engines', 'us-east-1', ID);
    expect(fs.existsSync(folder)).toBe(true);
    await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: `${ID}-1` }));
    await until('no instance left', async () => (await cluster()).DBClusterMembers!.length === 0);
    await rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: ID, SkipFinalSnapshot: true }));
    await until('the cluster gone', async () => {
      try {
        await cluster();
        return false;
      } catch (e) {
        return (e as Error).name === 'DBClusterNotFoundFault';
      }
    });
    await until('the data folder removed', async () => !fs.existsSync(folder));
    for (const host of [c.Endpoint!, c.ReaderEndpoint!]) expect(await until(`${host} refusing`, () => tcpRefused(host, c.Port!))).toBe(true);
  }, 60_000);
});

describe('an engine that fails to start', () => {
  const events = async (id: string) =>
    (await rds.send(new DescribeEventsCommand({ SourceType: 'db-instance', SourceIdentifier: id }))).Events!.map((e) => e.Message!);

  async function create(id: string): Promise<void> {
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: 'aurora-postgresql', MasterUsername: 'admin', MasterUserPassword: PASSWORD }));
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `${id}-1`, DBClusterIdentifier: id, Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large' }));
  }

  it('a data folder that cannot be created: the instance is failed with an event that says why; the cluster is not stuck in creating', async () => {
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'nodir-pg', Engine: 'aurora-postgresql', MasterUsername: 'admin', MasterUserPassword: PASSWORD }));
    // Where the engine's data folder goes, a file.
    fs.writeFileSync(path.join(dir, 'engines', 'us-east-1', 'nodir-pg', 'engine'), 'not a folder');
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'nodir-pg-1', DBClusterIdentifier: 'nodir-pg', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large' }));
    await until('nodir-pg-1 failed', async () => (await instance('nodir-pg-1')).DBInstanceStatus === 'failed');
    expect(await events('nodir-pg-1')).toContainEqual(expect.stringMatching(/failed to start its database engine: .*(EEXIST|ENOTDIR)/));
    const c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'nodir-pg' }))).DBClusters![0];
    expect(c.Status).not.toBe('creating');
  }, 60_000);

  it('a corrupt data directory at the endpoint restart: the instance is failed with the engine’s reason', async () => {
    await create('broken-pg');
    await until('broken-pg-1 available', async () => (await instance('broken-pg-1')).DBInstanceStatus === 'available', 60_000);
    rds.destroy();
    await emu.close();
    const conf = path.join(dir, 'engines', 'us-east-1', 'broken-pg', 'engine', 'broken-pg-1', 'postgresql.conf');
    fs.appendFileSync(conf, '\nthis is not a setting\n');
    await boot();
    await until('broken-pg-1 failed', async () => (await instance('broken-pg-1')).DBInstanceStatus === 'failed');
    expect(await events('broken-pg-1')).toContainEqual(expect.stringMatching(/failed to start its database engine: LOG:  syntax error in file .*postgresql.conf.* FATAL:  configuration file .* contains errors$/));
    const c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'broken-pg' }))).DBClusters![0];
    expect(c.Status).not.toBe('creating');
    // The endpoint itself is fine.
    expect((await rds.send(new DescribeDBClustersCommand({}))).DBClusters!.length).toBeGreaterThan(0);
  }, 90_000);
});

describe.skipIf(!detectMysqlServer())('bad input on a real aurora-mysql', () => {
  it('a 10 MB query, a silent client and 200 connections at once: MariaDB’s own answers, nothing hangs', async () => {
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'bad-my', Engine: 'aurora-mysql', MasterUsername: 'admin', MasterUserPassword: PASSWORD }));
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'bad-my-1', DBClusterIdentifier: 'bad-my', Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large' }));
    await until('bad-my-1 available', async () => (await instance('bad-my-1')).DBInstanceStatus === 'available', 60_000);
    const c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'bad-my' }))).DBClusters![0];
    const my = () => mysql.createConnection({ host: c.Endpoint!, port: c.Port!, user: 'admin', password: PASSWORD, connectTimeout: 5000 });

    const big = await my();
    const r = await big.query(`SELECT LENGTH('${'x'.repeat(10 * 1024 * 1024)}') AS n`).then(
      ([rows]) => Number((rows as { n: number }[])[0].n),
      (e: Error) => e.message,
    );
    expect([10 * 1024 * 1024, expect.stringMatching(/max_allowed_packet|Got a packet bigger/)]).toContainEqual(r);
    await big.end().catch(() => undefined);

    const silent = net.connect({ host: c.Endpoint!, port: c.Port! });
    await new Promise((resolve) => silent.once('connect', resolve));
    const attempts = await Promise.allSettled(
      Array.from({ length: 200 }, async () => {
        const cl = await my();
        cl.on('error', () => undefined);
        await cl.query('SELECT SLEEP(0.2)');
        await cl.end();
      }),
    );
    const failures = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected').map((a) => String(a.reason?.message));
    for (const f of failures) expect(f).toMatch(/Too many connections|connect ETIMEDOUT|Connection lost/i);
    expect(attempts.length - failures.length).toBeGreaterThan(0);
    const after = await until('a query after the burst', async () => {
      const cl = await my();
      const [rows] = await cl.query('SELECT 2 AS two');
      await cl.end();
      return rows as { two: number }[];
    });
    expect(after[0].two).toBe(2);
    silent.destroy();
    expect((await instance('bad-my-1')).DBInstanceStatus).toBe('available');
  }, 90_000);
});
