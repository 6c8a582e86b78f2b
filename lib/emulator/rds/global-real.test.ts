// A global database on real PostgreSQL engines: the secondary region's cluster is a real read-only copy of the
// primary (streaming replication across clusters), a switchover moves the writable engine, and a failover with data
// loss during an outage of the primary's region promotes the target with what it had; the old primary rejoins as a
// copy of the new one. Driven through the real RDS SDK and stock pg clients on the endpoints Describe* returns.
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  CreateGlobalClusterCommand,
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  FailoverDBClusterCommand,
  FailoverGlobalClusterCommand,
  RDSClient,
  RemoveFromGlobalClusterCommand,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clusterAvailable, startRealEndpoint, until } from '@/lib/testing/real-engines';

const PASSWORD = 'Tutorial-Passw0rd';
const EAST = 'arn:aws:rds:us-east-1:123456789012:cluster:gr-east';
const WEST = 'arn:aws:rds:eu-west-1:123456789012:cluster:gr-west';
let endpoint: Awaited<ReturnType<typeof startRealEndpoint>> | undefined;
const clients: pg.Client[] = [];

beforeAll(async () => {
  endpoint = await startRealEndpoint('afc-global-');
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await endpoint?.close();
}, 60_000);

const addresses = new Map<string, { host: string; port: number }>();

/** A connection to a cluster's (writer) endpoint as DescribeDBClusters returned it (kept: a region may go away). */
async function connect(rds: RDSClient, id: string): Promise<pg.Client> {
  if (!addresses.has(id)) {
    const c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0];
    addresses.set(id, { host: c.Endpoint!, port: c.Port! });
  }
  const client = new pg.Client({ ...addresses.get(id)!, user: 'app', password: PASSWORD, database: 'shop', connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  await client.connect();
  clients.push(client);
  return client;
}

/** A fresh connection each try (a role change drops the old ones): resolves with the query's rows. */
const rows = async (rds: RDSClient, id: string, sql: string) => {
  const c = await connect(rds, id);
  try {
    return (await c.query<{ note: string }>(sql)).rows.map((r) => r.note);
  } finally {
    await c.end().catch(() => undefined);
  }
};

async function writerOf(rds: RDSClient): Promise<string | undefined> {
  const g = (await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'gr' }))).GlobalClusters![0];
  return g.FailoverState ? undefined : g.GlobalClusterMembers!.find((m) => m.IsWriter)?.DBClusterArn;
}

it('replicates real rows across regions, refuses writes on the secondary, switches over and fails over with data loss', async () => {
  const { rds, cfg, emu } = endpoint!;
  const west = new RDSClient({ ...cfg, region: 'eu-west-1' });
  const outage = (unreachable: boolean) =>
    fetch(`${emu.url}/_emulator/regions/eu-west-1/outage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ unreachable }) });
  try {
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'gr-east', Engine: 'aurora-postgresql', MasterUsername: 'app', MasterUserPassword: PASSWORD, DatabaseName: 'shop' }));
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'gr-east-1', DBClusterIdentifier: 'gr-east', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large' }));
    await until('primary available', () => clusterAvailable(rds, 'gr-east'), 60_000);
    const east = await connect(rds, 'gr-east');
    await east.query('CREATE TABLE notes (id serial PRIMARY KEY, note text NOT NULL)');
    await east.query("INSERT INTO notes (note) VALUES ('before the secondary')");

    await rds.send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: 'gr', SourceDBClusterIdentifier: EAST }));
    await west.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'gr-west', Engine: 'aurora-postgresql', GlobalClusterIdentifier: 'gr' }));
    await west.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'gr-west-1', DBClusterIdentifier: 'gr-west', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large' }));
    await until('secondary writer available', () => clusterAvailable(west, 'gr-west'), 30_000);
    await west.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'gr-west-2', DBClusterIdentifier: 'gr-west', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large' }));
    await until('secondary available', () => clusterAvailable(west, 'gr-west'), 30_000);
    const tag = (await west.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'gr-west' }))).DBClusters![0].TagList!.find((t) => t.Key === 'afc:engine')?.Value;
    expect(tag).toMatch(/^real PostgreSQL 16/);

    // The secondary holds the primary's data (master user included) and every new row within a second.
    const w = await until('secondary accepts connections', () => connect(west, 'gr-west'), 10_000);
    expect((await w.query<{ note: string }>('SELECT note FROM notes')).rows.map((r) => r.note)).toEqual(['before the secondary']);
    const lags: number[] = [];
    for (let n = 0; n < 20; n++) {
      await east.query('INSERT INTO notes (note) VALUES ($1)', [`row ${n}`]);
      const t0 = Date.now();
      await until(`row ${n} in eu-west-1`, async () => (await w.query('SELECT 1 FROM notes WHERE note = $1', [`row ${n}`])).rowCount === 1, 1_000, 5);
      lags.push(Date.now() - t0);
    }
    lags.sort((a, b) => a - b);
    console.log(`cross-region replication lag over ${lags.length} writes: median ${lags[lags.length >> 1]} ms, max ${lags[lags.length - 1]} ms`);
    await expect(w.query("INSERT INTO notes (note) VALUES ('on the secondary')")).rejects.toThrow('cannot execute INSERT in a read-only transaction');
    // The secondary's second instance cascades from its first: its reader endpoint has the rows too.
    const readerEp = (await west.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'gr-west' }))).DBClusters![0].ReaderEndpoint!;
    addresses.set('gr-west-reader', { host: readerEp, port: addresses.get('gr-west')!.port });
    expect(await rows(west, 'gr-west-reader', 'SELECT note FROM notes')).toHaveLength(21);
    // AuroraGlobalDBReplicationLag is the measured lag (the model's idle figure right after joining is ≥ 135 ms).
    const cw = new CloudWatchClient({ ...cfg, region: 'eu-west-1' });
    const now = Date.now();
    const stats = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 300_000),
        EndTime: new Date(now + 60_000),
        MetricDataQueries: [{ Id: 'lag', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'AuroraGlobalDBReplicationLag', Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'gr-west' }] }, Period: 60, Stat: 'Maximum' } }],
      }),
    );
    cw.destroy();
    const measured = stats.MetricDataResults![0].Values!;
    console.log(`AuroraGlobalDBReplicationLag (Maximum per minute): ${measured.join(', ')} ms`);
    expect(measured.length).toBeGreaterThan(0);
    expect(Math.max(...measured)).toBeLessThan(lags[lags.length - 1] + 100);

    // A failover inside the secondary moves its internal writer to the other standby: still a read-only copy.
    await west.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'gr-west', TargetDBInstanceIdentifier: 'gr-west-2' }));
    await until('gr-west-2 is the internal writer', async () => (await west.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'gr-west' }))).DBClusters![0].Status === 'available' && (await clusterAvailable(west, 'gr-west')), 30_000);
    await east.query("INSERT INTO notes (note) VALUES ('after the local failover')");
    await until('gr-west has the row', async () => (await rows(west, 'gr-west', "SELECT note FROM notes WHERE note = 'after the local failover'")).length === 1, 10_000, 50);
    await expect(rows(west, 'gr-west', "INSERT INTO notes (note) VALUES ('x')")).rejects.toThrow('cannot execute INSERT in a read-only transaction');

    // Planned switchover: the former secondary takes writes, the old primary refuses them and receives the new rows.
    await west.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'gr', TargetDbClusterIdentifier: WEST }));
    expect(await until('switchover done', () => writerOf(rds), 20_000)).toBe(WEST);
    const t1 = Date.now();
    await until('gr-west takes writes', async () => (await rows(west, 'gr-west', "INSERT INTO notes (note) VALUES ('after the switchover') RETURNING note")).length === 1, 20_000, 50);
    console.log(`engine switchover after FailoverState completed: ${Date.now() - t1} ms`);
    await until('gr-east has the new row', async () => (await rows(rds, 'gr-east', "SELECT note FROM notes WHERE note = 'after the switchover'")).length === 1, 20_000);
    await expect(rows(rds, 'gr-east', "INSERT INTO notes (note) VALUES ('on the old primary')")).rejects.toThrow('cannot execute INSERT in a read-only transaction');
    expect(await rows(rds, 'gr-east', 'SELECT note FROM notes ORDER BY id')).toHaveLength(23);

    // The primary's region (eu-west-1) goes away; a row written there now never reaches us-east-1.
    expect((await outage(true)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_500));
    await rows(west, 'gr-west', "INSERT INTO notes (note) VALUES ('lost in the outage') RETURNING note");
    await rds.send(new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: 'gr', TargetDbClusterIdentifier: EAST, AllowDataLoss: true }));
    expect(await until('failover done', () => writerOf(rds), 20_000)).toBe(EAST);
    await until('gr-east takes writes', async () => (await rows(rds, 'gr-east', "INSERT INTO notes (note) VALUES ('after the failover') RETURNING note")).length === 1, 20_000, 50);
    expect(await rows(rds, 'gr-east', "SELECT note FROM notes WHERE note = 'lost in the outage'")).toEqual([]);

    // The region comes back: the old primary is rebuilt as a copy of the new one; its unreplicated row is gone.
    expect((await outage(false)).status).toBe(200);
    await until('gr-west follows gr-east', async () => (await rows(west, 'gr-west', "SELECT note FROM notes WHERE note = 'after the failover'")).length === 1, 30_000);
    expect(await rows(west, 'gr-west', "SELECT note FROM notes WHERE note = 'lost in the outage'")).toEqual([]);
    await expect(rows(west, 'gr-west', "INSERT INTO notes (note) VALUES ('x')")).rejects.toThrow('cannot execute INSERT in a read-only transaction');

    // RemoveFromGlobalCluster: the detached secondary is a standalone writable cluster.
    await rds.send(new RemoveFromGlobalClusterCommand({ GlobalClusterIdentifier: 'gr', DbClusterIdentifier: WEST }));
    await until('gr-west takes writes on its own', async () => (await rows(west, 'gr-west', "INSERT INTO notes (note) VALUES ('standalone') RETURNING note")).length === 1, 20_000, 100);
    await new Promise((r) => setTimeout(r, 300));
    expect(await rows(rds, 'gr-east', "SELECT note FROM notes WHERE note = 'standalone'")).toEqual([]);
  } finally {
    west.destroy();
  }
}, 120_000);
