// Snapshots, point-in-time restores and clones on a real PostgreSQL behind the local endpoint: the real
// @aws-sdk/client-rds asks for them, a stock pg client reads what the new clusters hold.
import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBClusterToPointInTimeCommand,
  type DBClusterSnapshot,
  type RDSClient,
} from '@aws-sdk/client-rds';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterAvailable, startRealEndpoint, until } from '@/lib/testing/real-engines';

const PASSWORD = 'Backup-Passw0rd';
const ENGINE = 'aurora-postgresql';
let rds: RDSClient;
let endpoint: Awaited<ReturnType<typeof startRealEndpoint>> | undefined;
const figures: Record<string, number> = {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  endpoint = await startRealEndpoint('afc-backups-');
  ({ rds } = endpoint);
}, 60_000);

afterAll(async () => {
  console.log('backup figures (ms / bytes):', JSON.stringify(figures));
  await endpoint?.close();
}, 60_000);

async function sql(clusterId: string, text: string): Promise<number[]> {
  const c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }))).DBClusters![0];
  const client = new pg.Client({ host: c.Endpoint, port: c.Port, user: 'master', password: PASSWORD, database: 'shop', connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<{ n: number }>(text)).rows.map((r) => r.n);
  } finally {
    await client.end();
  }
}
const rows = (clusterId: string) => sql(clusterId, 'SELECT n FROM orders ORDER BY n');

/** Adds the writer instance to a cluster (new or restored) and waits until everything is available. */
async function withWriter(clusterId: string): Promise<number> {
  const t = Date.now();
  await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `${clusterId}-1`, DBClusterIdentifier: clusterId, Engine: ENGINE, DBInstanceClass: 'db.r6g.large' }));
  await until(`${clusterId} available`, () => clusterAvailable(rds, clusterId), 60_000);
  return Date.now() - t;
}

async function snapshotAvailable(id: string): Promise<DBClusterSnapshot> {
  return until(`snapshot ${id} available`, async () => {
    const s = (await rds.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: id }))).DBClusterSnapshots![0];
    return s.Status === 'available' ? s : undefined;
  }, 60_000, 100);
}

describe('backups on a real PostgreSQL', () => {
  let t1 = 0;
  let t2 = 0;

  beforeAll(async () => {
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'bk', Engine: ENGINE, MasterUsername: 'master', MasterUserPassword: PASSWORD, DatabaseName: 'shop' }));
    figures.createWriter = await withWriter('bk');
    await sql('bk', 'CREATE TABLE orders (n int PRIMARY KEY)');
    // The restorable window starts at the writer's first base backup.
    await until('a restorable window', async () => (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'bk' }))).DBClusters![0].EarliestRestorableTime, 30_000);
    await sql('bk', 'INSERT INTO orders VALUES (1)');
    t1 = Date.now();
    await sleep(1500);
    await sql('bk', 'INSERT INTO orders VALUES (2)');
    t2 = Date.now();
    await sleep(1500);
    await sql('bk', 'INSERT INTO orders VALUES (3)');
  }, 120_000);

  it('restores to a point in time between two writes: the new cluster holds what was committed then', async () => {
    const c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'bk' }))).DBClusters![0];
    expect(c.EarliestRestorableTime!.getTime()).toBeLessThan(t1);
    expect(c.LatestRestorableTime!.getTime()).toBeGreaterThan(t2);
    const at = new Date(Math.round((t1 + t2) / 2));
    let t = Date.now();
    const out = await rds.send(new RestoreDBClusterToPointInTimeCommand({ DBClusterIdentifier: 'bk-pitr', SourceDBClusterIdentifier: 'bk', RestoreToTime: at }));
    expect(out.DBCluster!.Status).toBe('creating');
    await until('bk-pitr available', async () => (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'bk-pitr' }))).DBClusters![0].Status === 'available', 60_000, 100);
    figures.pitrExport = Date.now() - t;
    t = Date.now();
    figures.pitrWriter = await withWriter('bk-pitr');
    expect(await rows('bk-pitr')).toEqual([1]);
    const restored = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'bk-pitr' }))).DBClusters![0];
    expect(restored.TagList).toContainEqual({ Key: 'afc:engine', Value: expect.stringMatching(/^real PostgreSQL/) });
  }, 120_000);

  it('restores a snapshot with the data at snapshot time, not what came after', async () => {
    const t = Date.now();
    await rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'bk', DBClusterSnapshotIdentifier: 'bk-snap' }));
    const snap = await snapshotAvailable('bk-snap');
    figures.snapshot = Date.now() - t;
    expect(snap.PercentProgress).toBe(100);
    await sql('bk', 'INSERT INTO orders VALUES (4)');
    await rds.send(new RestoreDBClusterFromSnapshotCommand({ DBClusterIdentifier: 'bk-snap-r', SnapshotIdentifier: 'bk-snap', Engine: ENGINE }));
    figures.snapshotRestoreWriter = await withWriter('bk-snap-r');
    expect(await rows('bk-snap-r')).toEqual([1, 2, 3]);
  }, 120_000);

  it('clones a cluster that is independent of its source afterwards', async () => {
    await rds.send(new RestoreDBClusterToPointInTimeCommand({ DBClusterIdentifier: 'bk-clone', SourceDBClusterIdentifier: 'bk', RestoreType: 'copy-on-write', UseLatestRestorableTime: true }));
    figures.cloneWriter = await withWriter('bk-clone');
    expect(await rows('bk-clone')).toEqual([1, 2, 3, 4]);
    await sql('bk-clone', 'INSERT INTO orders VALUES (100)');
    await sql('bk', 'INSERT INTO orders VALUES (5)');
    expect(await rows('bk-clone')).toEqual([1, 2, 3, 4, 100]);
    expect(await rows('bk')).toEqual([1, 2, 3, 4, 5]);
    const both = await rds.send(new DescribeDBClustersCommand({ Filters: [{ Name: 'clone-group-id', Values: [(await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'bk' }))).DBClusters![0].CloneGroupId!] }] }));
    expect(both.DBClusters!.map((c) => c.DBClusterIdentifier)).toEqual(['bk', 'bk-clone']);
  }, 120_000);

  it("keeps DeleteDBCluster's final snapshot restorable after the cluster is gone", async () => {
    await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'bk-clone-1' }));
    await rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'bk-clone', FinalDBSnapshotIdentifier: 'bk-clone-final' }));
    await until('bk-clone gone', async () => {
      try {
        await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'bk-clone' }));
        return false;
      } catch (e) {
        return (e as Error).name === 'DBClusterNotFoundFault';
      }
    }, 60_000);
    const final = await snapshotAvailable('bk-clone-final');
    figures.finalSnapshotGiB = final.AllocatedStorage!;
    await rds.send(new RestoreDBClusterFromSnapshotCommand({ DBClusterIdentifier: 'bk-final', SnapshotIdentifier: 'bk-clone-final', Engine: ENGINE }));
    await withWriter('bk-final');
    expect(await rows('bk-final')).toEqual([1, 2, 3, 4, 100]);
  }, 120_000);
});
