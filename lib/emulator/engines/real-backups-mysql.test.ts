// Snapshots and point-in-time restores of a real aurora-mysql (MariaDB) cluster through the RDS API: the real
// @aws-sdk/client-rds asks for them, a stock mysql2 client reads what the restored clusters hold. Rows are written
// at t1, t2 and t3, more than two seconds apart (the binary log's timestamps are whole seconds).
import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBClusterToPointInTimeCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterAvailable, startRealEndpoint, until } from '@/lib/testing/real-engines';
import { detectMysqlServer } from './mysql';

const PASSWORD = 'Backup-Passw0rd';
const ENGINE = 'aurora-mysql';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(detectMysqlServer()?.flavour !== 'mariadb')('backups on a real aurora-mysql cluster (MariaDB)', () => {
  let endpoint: Awaited<ReturnType<typeof startRealEndpoint>> | undefined;
  let rds: RDSClient;
  let t1 = 0;

  async function rows(clusterId: string): Promise<number[]> {
    const c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }))).DBClusters![0];
    const conn = await mysql.createConnection({ host: c.Endpoint!, port: c.Port, user: 'admin', password: PASSWORD, connectTimeout: 5000 });
    try {
      return (await conn.query<RowDataPacket[]>('SELECT n FROM shop.orders ORDER BY n'))[0].map((r) => Number(r.n));
    } finally {
      await conn.end();
    }
  }
  async function write(sql: string): Promise<void> {
    const c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'mbk' }))).DBClusters![0];
    const conn = await mysql.createConnection({ host: c.Endpoint!, port: c.Port, user: 'admin', password: PASSWORD, connectTimeout: 5000 });
    try {
      await conn.query(sql);
    } finally {
      await conn.end();
    }
  }
  async function withWriter(clusterId: string): Promise<void> {
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `${clusterId}-1`, DBClusterIdentifier: clusterId, Engine: ENGINE, DBInstanceClass: 'db.r6g.large' }));
    await until(`${clusterId} available`, () => clusterAvailable(rds, clusterId), 90_000);
  }

  beforeAll(async () => {
    endpoint = await startRealEndpoint('afc-backups-mysql-');
    rds = endpoint.rds;
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'mbk', Engine: ENGINE, MasterUsername: 'admin', MasterUserPassword: PASSWORD }));
    await withWriter('mbk');
    await write('CREATE DATABASE shop');
    await write('CREATE TABLE shop.orders (n int PRIMARY KEY)');
    await write('INSERT INTO shop.orders VALUES (1)');
    await sleep(1100);
    t1 = Date.now();
    await sleep(1100);
    await write('INSERT INTO shop.orders VALUES (2)');
    await rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'mbk', DBClusterSnapshotIdentifier: 'mbk-after-2' }));
    await until('snapshot available', async () => {
      const s = (await rds.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: 'mbk-after-2' }))).DBClusterSnapshots![0];
      return s.Status === 'available' ? s : undefined;
    }, 60_000, 100);
    await sleep(1100);
    await write('INSERT INTO shop.orders VALUES (3)');
  }, 180_000);

  afterAll(async () => {
    await endpoint?.close();
  }, 60_000);

  it('a point-in-time restore to between t1 and t2 holds the t1 row only, with the source untouched', async () => {
    await rds.send(
      new RestoreDBClusterToPointInTimeCommand({ DBClusterIdentifier: 'mbk-pitr', SourceDBClusterIdentifier: 'mbk', RestoreToTime: new Date(t1) }),
    );
    await withWriter('mbk-pitr');
    const restored = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'mbk-pitr' }))).DBClusters![0];
    expect(restored.TagList?.find((t) => t.Key === 'afc:engine')?.Value).toMatch(/^real MariaDB/);
    expect(await rows('mbk-pitr')).toEqual([1]);
    expect(await rows('mbk')).toEqual([1, 2, 3]);
  }, 150_000);

  it('a snapshot restore holds the rows committed before the snapshot', async () => {
    await rds.send(new RestoreDBClusterFromSnapshotCommand({ DBClusterIdentifier: 'mbk-snap', SnapshotIdentifier: 'mbk-after-2', Engine: ENGINE }));
    await withWriter('mbk-snap');
    expect(await rows('mbk-snap')).toEqual([1, 2]);
  }, 150_000);
});
