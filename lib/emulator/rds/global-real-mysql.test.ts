// A global database on real MariaDB engines: the secondary region's cluster is a read-only GTID replica of the
// primary's writer, a switchover moves the writable engine (old writer read-only, MASTER_GTID_WAIT, promote, old
// primary re-pointed), a failover with data loss during an outage promotes the target at once and rebuilds the old
// primary from it when its region is back; detaching promotes. Driven through the real RDS SDK and mysql2 on the
// endpoints Describe* returns.
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  CreateGlobalClusterCommand,
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  RDSClient,
  RemoveFromGlobalClusterCommand,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterAvailable, startRealEndpoint, until } from '@/lib/testing/real-engines';
import { detectMysqlServer } from '../engines/mysql';

const PASSWORD = 'Tutorial-Passw0rd';
const EAST = 'arn:aws:rds:us-east-1:123456789012:cluster:gm-east';
const WEST = 'arn:aws:rds:eu-west-1:123456789012:cluster:gm-west';
const READ_ONLY = 'The MariaDB server is running with the --read-only option';

describe.skipIf(detectMysqlServer()?.flavour !== 'mariadb')('a global database on real MariaDB', () => {
  let endpoint: Awaited<ReturnType<typeof startRealEndpoint>> | undefined;
  beforeAll(async () => {
    endpoint = await startRealEndpoint('afc-global-my-');
  }, 60_000);
  afterAll(async () => {
    await endpoint?.close();
  }, 60_000);

  const addresses = new Map<string, { host: string; port: number }>();
  async function connect(rds: RDSClient, id: string): Promise<mysql.Connection> {
    if (!addresses.has(id)) {
      const c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0];
      addresses.set(id, { host: c.Endpoint!, port: c.Port! });
    }
    const conn = await mysql.createConnection({ ...addresses.get(id)!, user: 'app', password: PASSWORD, database: 'shop', connectTimeout: 3000 });
    conn.on('error', () => undefined);
    return conn;
  }
  /** A fresh connection each time (a role change drops the old ones): the notes the query returns. */
  const notes = async (rds: RDSClient, id: string, sql: string, values: unknown[] = []) => {
    const c = await connect(rds, id);
    try {
      const [r] = await c.query<RowDataPacket[]>(sql, values);
      return Array.isArray(r) ? r.map((x) => String(x.note)) : [];
    } finally {
      await c.end().catch(() => undefined);
    }
  };
  async function writerOf(rds: RDSClient): Promise<string | undefined> {
    const g = (await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'gm' }))).GlobalClusters![0];
    return g.FailoverState ? undefined : g.GlobalClusterMembers!.find((m) => m.IsWriter)?.DBClusterArn;
  }

  it('replicates rows across regions, refuses writes on the secondary, switches over, fails over with data loss and detaches', async () => {
    const { rds, cfg, emu } = endpoint!;
    const west = new RDSClient({ ...cfg, region: 'eu-west-1' });
    const outage = (unreachable: boolean) =>
      fetch(`${emu.url}/_emulator/regions/eu-west-1/outage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ unreachable }) });
    try {
      await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'gm-east', Engine: 'aurora-mysql', MasterUsername: 'app', MasterUserPassword: PASSWORD, DatabaseName: 'shop' }));
      await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'gm-east-1', DBClusterIdentifier: 'gm-east', Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large' }));
      await until('primary available', () => clusterAvailable(rds, 'gm-east'), 60_000);
      await notes(rds, 'gm-east', 'CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(100) NOT NULL)');
      await notes(rds, 'gm-east', "INSERT INTO notes (note) VALUES ('before the secondary')");

      await rds.send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: 'gm', SourceDBClusterIdentifier: EAST }));
      await west.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'gm-west', Engine: 'aurora-mysql', GlobalClusterIdentifier: 'gm' }));
      await west.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'gm-west-1', DBClusterIdentifier: 'gm-west', Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large' }));
      await until('secondary available', () => clusterAvailable(west, 'gm-west'), 60_000);
      const tag = (await west.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'gm-west' }))).DBClusters![0].TagList!.find((t) => t.Key === 'afc:engine')?.Value;
      expect(tag).toMatch(/^real MariaDB/);

      // The secondary holds the primary's data (master user included) and every new row within a second.
      const east = await connect(rds, 'gm-east');
      const w = await until('secondary accepts connections', () => connect(west, 'gm-west'), 10_000);
      try {
        const [before] = await w.query<RowDataPacket[]>('SELECT note FROM notes');
        expect(before.map((r) => r.note)).toEqual(['before the secondary']);
        const lags: number[] = [];
        for (let n = 0; n < 20; n++) {
          await east.query('INSERT INTO notes (note) VALUES (?)', [`row ${n}`]);
          const t0 = Date.now();
          await until(`row ${n} in eu-west-1`, async () => (await w.query<RowDataPacket[]>('SELECT 1 FROM notes WHERE note = ?', [`row ${n}`]))[0].length === 1, 1_000, 5);
          lags.push(Date.now() - t0);
        }
        lags.sort((a, b) => a - b);
        console.log(`cross-region replication lag over ${lags.length} writes: median ${lags[lags.length >> 1]} ms, max ${lags[lags.length - 1]} ms`);
        await expect(w.query("INSERT INTO notes (note) VALUES ('on the secondary')")).rejects.toThrow(READ_ONLY);
      } finally {
        await Promise.all([east.end(), w.end()]).catch(() => undefined);
      }
      // AuroraGlobalDBReplicationLag is the measured lag of the secondary's engine.
      const cw = new CloudWatchClient({ ...cfg, region: 'eu-west-1' });
      const now = Date.now();
      const stats = await cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(now - 300_000),
          EndTime: new Date(now + 60_000),
          MetricDataQueries: [{ Id: 'lag', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'AuroraGlobalDBReplicationLag', Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'gm-west' }] }, Period: 60, Stat: 'Maximum' } }],
        }),
      );
      cw.destroy();
      const measured = stats.MetricDataResults![0].Values!;
      console.log(`AuroraGlobalDBReplicationLag (Maximum per minute): ${measured.join(', ')} ms`);
      expect(measured.length).toBeGreaterThan(0);
      expect(Math.max(...measured)).toBeLessThan(1_000);

      // Planned switchover: the former secondary takes writes, the old primary refuses them and receives the new rows.
      await west.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'gm', TargetDbClusterIdentifier: WEST }));
      expect(await until('switchover done', () => writerOf(rds), 20_000)).toBe(WEST);
      const t1 = Date.now();
      await until('gm-west takes writes', async () => (await notes(west, 'gm-west', "INSERT INTO notes (note) VALUES ('after the switchover')"), true), 20_000, 50);
      console.log(`engine switchover after FailoverState completed: ${Date.now() - t1} ms`);
      await until('gm-east has the new row', async () => (await notes(rds, 'gm-east', "SELECT note FROM notes WHERE note = 'after the switchover'")).length === 1, 20_000, 50);
      await expect(notes(rds, 'gm-east', "INSERT INTO notes (note) VALUES ('on the old primary')")).rejects.toThrow(READ_ONLY);
      expect(await notes(rds, 'gm-east', 'SELECT note FROM notes ORDER BY id')).toHaveLength(22);

      // The primary's region (eu-west-1) goes away; a row written there now never reaches us-east-1.
      expect((await outage(true)).status).toBe(200);
      // (a supervisor pass cuts the secondary's replication; one pass may be busy measuring lag for up to a second)
      await new Promise((r) => setTimeout(r, 3_000));
      await notes(west, 'gm-west', "INSERT INTO notes (note) VALUES ('lost in the outage')");
      await rds.send(new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: 'gm', TargetDbClusterIdentifier: EAST, AllowDataLoss: true }));
      expect(await until('failover done', () => writerOf(rds), 20_000)).toBe(EAST);
      await until('gm-east takes writes', async () => (await notes(rds, 'gm-east', "INSERT INTO notes (note) VALUES ('after the failover')"), true), 20_000, 50);
      expect(await notes(rds, 'gm-east', "SELECT note FROM notes WHERE note = 'lost in the outage'")).toEqual([]);

      // The region comes back: the old primary is rebuilt as a copy of the new one; its unreplicated row is gone.
      expect((await outage(false)).status).toBe(200);
      await until('gm-west follows gm-east', async () => (await notes(west, 'gm-west', "SELECT note FROM notes WHERE note = 'after the failover'")).length === 1, 30_000, 100);
      expect(await notes(west, 'gm-west', "SELECT note FROM notes WHERE note = 'lost in the outage'")).toEqual([]);
      await expect(notes(west, 'gm-west', "INSERT INTO notes (note) VALUES ('x')")).rejects.toThrow(READ_ONLY);

      // RemoveFromGlobalCluster: the detached secondary is a standalone writable cluster.
      await rds.send(new RemoveFromGlobalClusterCommand({ GlobalClusterIdentifier: 'gm', DbClusterIdentifier: WEST }));
      await until('gm-west takes writes on its own', async () => (await notes(west, 'gm-west', "INSERT INTO notes (note) VALUES ('standalone')"), true), 20_000, 100);
      await new Promise((r) => setTimeout(r, 300));
      expect(await notes(rds, 'gm-east', "SELECT note FROM notes WHERE note = 'standalone'")).toEqual([]);
    } finally {
      west.destroy();
    }
  }, 120_000);
});
