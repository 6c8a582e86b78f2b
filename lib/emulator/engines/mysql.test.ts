import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectMysqlServer, MysqlClusterEngine, shutdownAllMysqlEngines } from './mysql';
import { instancePaths } from './mysql-server';
import { countersFromStatus, gtidDiverged } from './mysql-sql';

const server = detectMysqlServer();
const USER = 'admin';
const PASSWORD = 'tutorial-Pass-1';

async function waitFor(what: string, ok: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function rssMb(pid: number | undefined): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(m?.[1] ?? 0) / 1024);
}

/** Proportional set size: RSS with shared pages (the server binary and libraries) split between processes. */
function pssMb(pid: number | undefined): number {
  const m = /Pss:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  return Math.round(Number(m?.[1] ?? 0) / 1024);
}

describe.skipIf(!server)(`MysqlClusterEngine on ${server ? `${server.flavour} ${server.version}` : 'no MySQL-compatible server (apt-get install -y mariadb-server)'}`, () => {
  let dataRoot: string;
  let engine: MysqlClusterEngine;
  const figures: Record<string, number> = {};
  const exits: { id: string; signal: string | null }[] = [];

  const port = (id: string, e = engine) => e.instances().find((i) => i.instanceId === id)!.backendPort!;
  const writer = (e = engine) => e.instances().find((i) => i.role === 'writer')!;
  const connect = (id: string, e = engine) =>
    mysql.createConnection({ host: '127.0.0.1', port: port(id, e), user: USER, password: PASSWORD, database: 'myapp' });
  async function query(id: string, sql: string, values?: unknown[], e = engine): Promise<RowDataPacket[]> {
    const conn = await connect(id, e);
    try {
      const [rows] = await conn.query<RowDataPacket[]>(sql, values);
      return rows;
    } finally {
      await conn.end();
    }
  }
  const manifest = () =>
    JSON.parse(readFileSync(path.join(dataRoot, 'demo', 'engine.json'), 'utf8')) as {
      adminPassword: string;
      instances: Record<string, { serverId: number }>;
    };
  const count = async (id: string, e = engine) => Number((await query(id, 'SELECT COUNT(*) AS n FROM users', [], e))[0].n);

  beforeAll(async () => {
    dataRoot = await mkdtemp(path.join(os.tmpdir(), 'mysql-engine-'));
    engine = new MysqlClusterEngine({ clusterId: 'demo', masterUsername: USER, masterPassword: PASSWORD, databaseName: 'appdb', dataDir: path.join(dataRoot, 'demo') });
    engine.onUnexpectedExit((id, _code, signal) => exits.push({ id, signal }));
  });

  afterAll(async () => {
    await shutdownAllMysqlEngines(2000);
    if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
    console.info('mysql engine figures', figures);
  });

  it('creates the writer; the master user runs the tutorial SQL; a wrong password gets the server’s own error', async () => {
    const t0 = Date.now();
    await engine.createWriter('demo-1');
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: port('demo-1'), user: USER, password: PASSWORD });
    figures.createWriterMs = Date.now() - t0;
    const [dbs] = await conn.query<RowDataPacket[]>("SHOW DATABASES LIKE 'appdb'");
    expect(dbs).toHaveLength(1); // DatabaseName from CreateDBCluster
    await conn.query('CREATE DATABASE myapp');
    await conn.query('USE myapp');
    await conn.query('CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100), email VARCHAR(100))');
    await conn.query("INSERT INTO users (name, email) VALUES ('John Doe', 'john@example.com')");
    const [rows] = await conn.query<RowDataPacket[]>('SELECT * FROM users');
    expect(rows).toEqual([{ id: 1, name: 'John Doe', email: 'john@example.com' }]);
    await conn.end();

    const wrong = mysql.createConnection({ host: '127.0.0.1', port: port('demo-1'), user: USER, password: 'nope' });
    await expect(wrong).rejects.toMatchObject({ errno: 1045, message: expect.stringMatching(/^Access denied for user 'admin'@'127\.0\.0\.1'/) });
    expect(writer()).toMatchObject({ instanceId: 'demo-1', state: 'running' });
  });

  it('adds real replicas: the master user’s INSERT there fails with 1290 --read-only; writes show up within 1 s', async () => {
    const t0 = Date.now();
    await engine.addReader('demo-2');
    figures.addReaderMs = Date.now() - t0;
    await engine.addReader('demo-3');
    expect(await count('demo-2')).toBe(1);

    await expect(query('demo-2', "INSERT INTO users (name, email) VALUES ('x', 'x@example.com')")).rejects.toMatchObject({
      errno: 1290,
      message: expect.stringMatching(/--read-only option/),
    });

    await query('demo-1', "INSERT INTO users (name, email) VALUES ('Jane Roe', 'jane@example.com')");
    const t1 = Date.now();
    for (const id of ['demo-2', 'demo-3']) {
      while ((await count(id)) < 2) {
        expect(Date.now() - t1).toBeLessThan(1000);
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    figures.replicationVisibleMs = Date.now() - t1;
    await new Promise((r) => setTimeout(r, 300));
    for (const i of engine.instances()) figures[`idleRssMb_${i.instanceId}`] = rssMb(i.pid);
    figures.idlePssMb_writer = pssMb(writer().pid);
    const c = await engine.counters('demo-2');
    expect(c.replicaLagMs).toBeGreaterThanOrEqual(0);
    expect((await engine.counters('demo-1')).commits).toBeGreaterThanOrEqual(2);
  });

  it('fails over without losing a committed row; the new writer takes writes, the old one refuses them', async () => {
    const acked: number[] = [];
    let next = 1000;
    let running = true;
    const loop = (async () => {
      let conn: mysql.Connection | null = null;
      while (running) {
        const id = next;
        try {
          conn ??= await mysql.createConnection({ host: '127.0.0.1', port: writer().backendPort!, user: USER, password: PASSWORD, database: 'myapp' });
          await conn.query('INSERT INTO users (id, name) VALUES (?, ?)', [id, `row ${id}`]);
          acked.push(id);
          next++;
        } catch {
          figures.clientReconnects = (figures.clientReconnects ?? 0) + 1;
          await conn?.destroy();
          conn = null; // reconnect to whichever instance is the writer now; retry the same row
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      await conn?.end();
    })();
    await new Promise((r) => setTimeout(r, 400));
    const t0 = Date.now();
    const ackedBefore = acked.length;
    await engine.failover('demo-2');
    figures.failoverMs = Date.now() - t0;
    const ackedAtFailover = acked.length;
    while (acked.length < ackedAtFailover + 3) {
      expect(Date.now() - t0).toBeLessThan(10_000);
      await new Promise((r) => setTimeout(r, 20));
    }
    running = false;
    await loop;

    expect(writer().instanceId).toBe('demo-2');
    const present = new Set((await query('demo-2', 'SELECT id FROM users WHERE id >= 1000')).map((r) => Number(r.id)));
    figures.rowsLostDuringFailover = acked.filter((id) => !present.has(id)).length;
    figures.rowsAckedDuringFailoverTest = acked.length;
    expect(figures.rowsLostDuringFailover).toBe(0);
    expect(ackedBefore).toBeGreaterThan(0);
    expect(figures.clientReconnects).toBeGreaterThanOrEqual(1); // the old writer dropped the client

    await query('demo-2', "INSERT INTO users (name) VALUES ('after failover')");
    await expect(query('demo-1', "INSERT INTO users (name) VALUES ('stale writer')")).rejects.toMatchObject({ errno: 1290 });
    const total = await count('demo-2');
    for (const id of ['demo-1', 'demo-3']) {
      const t1 = Date.now();
      while ((await count(id)) < total) {
        expect(Date.now() - t1).toBeLessThan(1000);
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    expect(engine.instances().map((i) => [i.instanceId, i.role])).toEqual([
      ['demo-1', 'reader'],
      ['demo-2', 'writer'],
      ['demo-3', 'reader'],
    ]);
  });

  it('reports a kill -9 of the writer, promotes a reader with what it has, rebuilds instances that got further', async () => {
    const before = await count('demo-2');
    // demo-3 has every row so far before it stops applying (a loaded machine may replay late).
    await waitFor('demo-3 caught up', async () => (await count('demo-3')) === before);
    // demo-3 stops applying; the next row reaches only the writer and demo-1, so both diverge from demo-3.
    const admin = await mysql.createConnection({ socketPath: instancePaths(path.join(dataRoot, 'demo', 'demo-3')).socket, user: 'root', password: manifest().adminPassword });
    await admin.query('STOP SLAVE');
    await admin.end();
    await query('demo-2', "INSERT INTO users (name) VALUES ('only on the old writer')");
    // The row has reached demo-1 before the writer dies (so demo-1 diverges from demo-3).
    await waitFor('the row on demo-1', async () => (await count('demo-1')) === before + 1);
    const serverIds = manifest().instances;
    process.kill(writer().pid!, 'SIGKILL');
    await waitFor('the exit reported', async () => exits.length > 0);
    expect(exits[0]).toEqual({ id: 'demo-2', signal: 'SIGKILL' });
    expect(writer().state).toBe('failed');

    const t1 = Date.now();
    await engine.promoteAfterCrash('demo-3');
    figures.promoteAfterCrashMs = Date.now() - t1;
    expect(writer().instanceId).toBe('demo-3');
    expect(await count('demo-3')).toBe(before);
    expect(manifest().instances['demo-1'].serverId).not.toBe(serverIds['demo-1'].serverId);
    expect(manifest().instances['demo-2'].serverId).not.toBe(serverIds['demo-2'].serverId);
    await query('demo-3', "INSERT INTO users (name) VALUES ('after crash')");
    // The rebuilt instances replicate from the new writer (how fast, on a loaded machine, is not what this checks).
    for (const id of ['demo-1', 'demo-2']) {
      await waitFor(`${id} replicating from demo-3`, async () => (await count(id).catch(() => 0)) >= before + 1);
      expect(await count(id)).toBe(before + 1);
    }
    expect(engine.instances().every((i) => i.state === 'running')).toBe(true);
  }, 60_000);

  it('keeps rows across reboot, stop/start, and a fresh engine over the same data folder; destroy removes it', async () => {
    const rows = await count('demo-3');
    await engine.reboot('demo-1');
    expect(await count('demo-1')).toBe(rows);
    await engine.stop();
    expect(engine.instances().every((i) => i.state === 'stopped')).toBe(true);
    await engine.start();
    expect(await count('demo-3')).toBe(rows);
    await engine.stop();

    const again = new MysqlClusterEngine({ clusterId: 'demo', masterUsername: USER, masterPassword: PASSWORD, dataDir: path.join(dataRoot, 'demo') });
    await again.start();
    expect(writer(again).instanceId).toBe('demo-3');
    await query('demo-3', "INSERT INTO users (name) VALUES ('after restart')", [], again);
    const t0 = Date.now();
    while ((await count('demo-1', again)) < rows + 1) {
      expect(Date.now() - t0).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 10));
    }
    await again.removeInstance('demo-2');
    expect(again.instances().map((i) => i.instanceId)).toEqual(['demo-1', 'demo-3']);
    await again.destroy();
    expect(existsSync(path.join(dataRoot, 'demo'))).toBe(false);
    expect(again.instances()).toEqual([]);
  });
});

describe('MySQL engine bookkeeping', () => {
  it('tells when an instance holds transactions the promoted one lacks', () => {
    expect(gtidDiverged('0-1-10', '0-1-10', 'mariadb')).toBe(false);
    expect(gtidDiverged('0-1-9', '0-2-10', 'mariadb')).toBe(false);
    expect(gtidDiverged('0-1-11', '0-1-10', 'mariadb')).toBe(true);
    expect(gtidDiverged('0-1-5,1-3-2', '0-1-5', 'mariadb')).toBe(true);
    expect(gtidDiverged('aaa:1-5', 'aaa:1-5,bbb:1-2', 'mysql')).toBe(false);
    expect(gtidDiverged('aaa:1-6', 'aaa:1-5', 'mysql')).toBe(true);
  });

  it('counts autocommit writes and explicit COMMITs once each', () => {
    const status = { Com_commit: 3, Binlog_commits: 10, Com_insert: 8, Com_update: 1, Com_delete: 1, Com_select: 4 };
    // 10 write transactions binlogged while the writer, 3 of them by COMMIT: 7 autocommit + 3 = 10 commits.
    const c = countersFromStatus(status, { binlog: 0, comCommit: 0, since: { binlog: 0, comCommit: 0 } }, 2);
    expect(c).toMatchObject({ commits: 10, dml: 10, selects: 4, connections: 2 });
    // A reader's binlog holds replicated transactions: only its own COMMITs count.
    expect(countersFromStatus(status, { binlog: 0, comCommit: 0 }, 0).commits).toBe(3);
  });
});
