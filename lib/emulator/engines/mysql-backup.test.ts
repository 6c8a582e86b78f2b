// Point-in-time export and restore on a real MariaDB (engine level; the RDS API side is RestoreDBClusterToPointInTime):
// rows at t1, t2, t3 two seconds apart; an export at a moment between two of them holds exactly the rows committed
// before it, also after a failover (the promoted reader's history), and a snapshot holds everything.
import { cpSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectMysqlServer, MysqlClusterEngine, shutdownAllMysqlEngines } from './mysql';

const server = detectMysqlServer();
const USER = 'admin';
const PASSWORD = 'tutorial-Pass-1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(server?.flavour !== 'mariadb')('aurora-mysql point-in-time export and restore on a real MariaDB', () => {
  let root: string;
  let source: MysqlClusterEngine;
  const figures: Record<string, number> = {};
  /** When each row's INSERT was sent (before) and acknowledged (after). */
  const t: { before: number; after: number }[] = [];

  const engineAt = (name: string) => {
    // A clean install-db data directory is the same for every cluster: reuse the source's (install-db takes seconds).
    const template = path.join(root, 'src', '.template');
    if (existsSync(template)) cpSync(template, path.join(root, name, '.template'), { recursive: true });
    return new MysqlClusterEngine({ clusterId: name, masterUsername: USER, masterPassword: PASSWORD, dataDir: path.join(root, name) });
  };
  const writerPort = (e: MysqlClusterEngine) => e.instances().find((i) => i.role === 'writer')!.backendPort!;
  async function query(e: MysqlClusterEngine, sql: string, password = PASSWORD): Promise<RowDataPacket[]> {
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: writerPort(e), user: USER, password });
    try {
      return (await conn.query<RowDataPacket[]>(sql))[0];
    } finally {
      await conn.end();
    }
  }
  const names = async (e: MysqlClusterEngine) => (await query(e, 'SELECT name FROM shop.orders ORDER BY id')).map((r) => r.name);
  /** A moment between row i's acknowledgement and row i+1's INSERT. */
  const between = (i: number) => Math.round((t[i].after + t[i + 1].before) / 2);

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'mysql-backup-'));
    source = engineAt('src');
    await source.createWriter('src-1');
    await source.addReader('src-2');
    await query(source, 'CREATE DATABASE shop');
    await query(source, 'CREATE TABLE shop.orders (id INT PRIMARY KEY, name VARCHAR(20))');
    for (const [n, name] of ['t1', 't2', 't3'].entries()) {
      if (n > 0) await sleep(2100);
      const before = Date.now();
      await query(source, `INSERT INTO shop.orders VALUES (${n + 1}, '${name}')`);
      t.push({ before, after: Date.now() });
    }
  }, 60_000);

  afterAll(async () => {
    await shutdownAllMysqlEngines(2000);
    if (root) await rm(root, { recursive: true, force: true });
    console.info('mysql backup figures', figures);
  });

  it('restores the data committed between t1 and t2 into a new writer: the t1 row only, with the source’s users', async () => {
    const bundle = path.join(root, 'pitr-1');
    let t0 = Date.now();
    const { bytes } = await source.exportData(between(0), bundle);
    figures.exportMs = Date.now() - t0;
    expect(bytes).toBeGreaterThan(0);

    const restored = engineAt('restored');
    t0 = Date.now();
    await restored.createWriterFrom('restored-1', bundle);
    figures.restoreMs = Date.now() - t0;
    expect(await names(restored)).toEqual(['t1']);
    // The master user and its password came with the data; the new writer takes writes and gets a working replica.
    await query(restored, "INSERT INTO shop.orders VALUES (10, 'after restore')");
    await restored.addReader('restored-2');
    const reader = restored.instances().find((i) => i.instanceId === 'restored-2')!;
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: reader.backendPort!, user: USER, password: PASSWORD });
    const [rows] = await conn.query<RowDataPacket[]>('SELECT name FROM shop.orders ORDER BY id');
    await conn.end();
    expect(rows.map((r) => r.name)).toEqual(['t1', 'after restore']);
    // The source is untouched.
    expect(await names(source)).toEqual(['t1', 't2', 't3']);
    expect(source.restorableWindow()).toEqual({ earliest: expect.any(Number), latest: expect.any(Number) });
    expect(source.restorableWindow()!.earliest).toBeLessThan(t[0].before);
  }, 30_000);

  it('after a failover the promoted reader’s history restores t2 without t3; a snapshot holds every row', async () => {
    await source.failover('src-2');
    const bundle = path.join(root, 'pitr-2');
    await source.exportData(between(1), bundle);
    const restored = engineAt('restored-b');
    await restored.createWriterFrom('restored-b-1', bundle);
    expect(await names(restored)).toEqual(['t1', 't2']);

    const snap = path.join(root, 'snap');
    let t0 = Date.now();
    await source.exportData('now', snap);
    figures.snapshotMs = Date.now() - t0;
    const fromSnap = engineAt('from-snap');
    t0 = Date.now();
    await fromSnap.createWriterFrom('from-snap-1', snap);
    figures.snapshotRestoreMs = Date.now() - t0;
    expect(await names(fromSnap)).toEqual(['t1', 't2', 't3']);
  }, 30_000);

  it('backtracks in place across binlog files: updates, deletes and 2,000 inserts after T are undone, DDL stays', async () => {
    const to = Date.now();
    await sleep(Math.floor(to / 1000) * 1000 + 1100 - Date.now()); // changes from the next whole second on
    const values = Array.from({ length: 2000 }, (_, k) => `(${100 + k}, 'bulk')`).join(',');
    await query(source, `INSERT INTO shop.orders VALUES ${values}`);
    const writerId = source.instances().find((i) => i.role === 'writer')!.instanceId;
    await source.reboot(writerId); // a restart starts a new binlog file
    await query(source, "UPDATE shop.orders SET name = 'changed' WHERE id IN (1, 100)");
    await query(source, 'DELETE FROM shop.orders WHERE id = 2');
    await query(source, 'CREATE TABLE shop.extra (id INT PRIMARY KEY)');
    await query(source, 'INSERT INTO shop.extra VALUES (1)');
    expect((await names(source)).length).toBe(2002);
    const changed = Date.now();
    await sleep(Math.floor(changed / 1000) * 1000 + 1100 - Date.now()); // the backtrack in a later second

    const t0 = Date.now();
    await source.backtrack(to);
    figures.backtrack2000RowsMs = Date.now() - t0;
    expect(await names(source)).toEqual(['t1', 't2', 't3']);
    expect(await query(source, 'SELECT * FROM shop.extra')).toEqual([]); // DDL is not reverted: the table stays, empty
    const reader = source.instances().find((i) => i.role === 'reader')!;
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: reader.backendPort!, user: USER, password: PASSWORD });
    const [rows] = await conn.query<RowDataPacket[]>('SELECT name FROM shop.orders ORDER BY id');
    await conn.end();
    expect(rows.map((r) => r.name)).toEqual(['t1', 't2', 't3']);
    expect(source.backtrackWindow()).toMatchObject({ earliest: source.restorableWindow()!.earliest });
    expect(source.backtrackWindow()!.changeRecords).toBeGreaterThan(8);
    await query(source, "INSERT INTO shop.orders VALUES (5, 'writable')");

    // The undo is logged as new changes at the time of the backtrack: a restore to before it sees the changes.
    const bundle = path.join(root, 'before-backtrack');
    await source.exportData(changed, bundle);
    const restored = engineAt('before-backtrack');
    await restored.createWriterFrom('before-backtrack-1', bundle);
    const before = await names(restored);
    expect(before).toHaveLength(2002);
    expect(before.slice(0, 3)).toEqual(['changed', 't3', 'changed']);
  }, 40_000);

  it('exports an exact point while a client keeps writing: every row acknowledged before the cut, none sent after', async () => {
    const acked: { id: number; before: number; after: number }[] = [];
    let running = true;
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: writerPort(source), user: USER, password: PASSWORD });
    const loop = (async () => {
      for (let id = 10_000; running; id++) {
        const before = Date.now();
        await conn.query("INSERT INTO shop.orders VALUES (?, 'load')", [id]);
        acked.push({ id, before, after: Date.now() });
      }
    })();
    await sleep(1200);
    const at = Date.now();
    const bundle = path.join(root, 'under-load');
    await source.exportData(at, bundle); // waits for the end of at's second while the writes go on
    running = false;
    await loop;
    await conn.end();
    const restored = engineAt('under-load');
    await restored.createWriterFrom('under-load-1', bundle);
    const ids = new Set((await query(restored, 'SELECT id FROM shop.orders WHERE id >= 10000')).map((r) => Number(r.id)));
    const cut = (Math.floor(at / 1000) + 1) * 1000;
    expect(acked.filter((a) => a.before >= cut).length).toBeGreaterThan(0); // writes went on past the cut
    expect(acked.filter((a) => a.after < cut && !ids.has(a.id))).toEqual([]);
    expect(acked.filter((a) => a.before >= cut && ids.has(a.id))).toEqual([]);
  }, 30_000);

  it('refuses a time before the cluster’s history or in the future, in words', async () => {
    const early = source.restorableWindow()!.earliest - 60_000;
    await expect(source.exportData(early, path.join(root, 'early'))).rejects.toThrow(/before the earliest restorable time/);
    await expect(source.exportData(Date.now() + 60_000, path.join(root, 'future'))).rejects.toThrow(/in the future/);
  });
});
