// Real PostgreSQL behind the listeners: the tutorial's SQL, auth errors, read-only readers, replication, failover
// with a client writing through it, a crashed writer, stop/start and an endpoint restart over the same data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PostgresClusterEngine, shutdownAllEngines } from './postgres';
import { EndpointListeners, roundRobin } from './listeners';
import type { ListenAddress } from './types';

const MASTER = { user: 'postgres_admin', password: 'Secret-pass-123' };
const figures: Record<string, number> = {};

let root: string;
let engine: PostgresClusterEngine;
const listeners = new EndpointListeners();
const addrs: Record<string, ListenAddress> = {};
const clients: pg.Client[] = [];

function backendOf(e: PostgresClusterEngine, pick: (i: ReturnType<PostgresClusterEngine['instances']>[number]) => boolean) {
  const inst = e.instances().find((i) => i.state === 'running' && pick(i));
  return inst?.backendPort ? { host: '127.0.0.1', port: inst.backendPort } : null;
}

async function wire(e: PostgresClusterEngine): Promise<void> {
  const rr = roundRobin();
  addrs.writer = await listeners.open('writer', () => backendOf(e, (i) => i.role === 'writer'), addrs.writer?.port);
  addrs.reader = await listeners.open(
    'reader',
    () =>
      rr(
        e.instances().flatMap((i) => (i.role === 'reader' && i.state === 'running' && i.backendPort ? [{ host: '127.0.0.1', port: i.backendPort }] : [])),
        backendOf(e, (i) => i.role === 'writer'),
      ),
    addrs.reader?.port,
  );
  for (const inst of e.instances()) addrs[inst.instanceId] = await listeners.open(inst.instanceId, () => backendOf(e, (i) => i.instanceId === inst.instanceId), addrs[inst.instanceId]?.port);
}

async function connect(addr: ListenAddress, database = 'myapp', password = MASTER.password): Promise<pg.Client> {
  const c = new pg.Client({ host: addr.host, port: addr.port, user: MASTER.user, password, database, connectionTimeoutMillis: 3000 });
  c.on('error', () => undefined);
  await c.connect();
  clients.push(c);
  return c;
}

async function count(addr: ListenAddress): Promise<number> {
  const c = await connect(addr);
  const n = Number((await c.query('SELECT count(*) AS n FROM users')).rows[0].n);
  await c.end();
  return n;
}

async function eventually<T>(fn: () => Promise<T | undefined>, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const got = await fn().catch(() => undefined);
    if (got !== undefined) return got;
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(() => {
  // Temp folders are 0700; the postgres OS user must be able to traverse to the cluster folder.
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-engine-'));
  fs.chmodSync(root, 0o755);
});

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => undefined);
  await listeners.closeAll();
  await shutdownAllEngines();
  fs.rmSync(root, { recursive: true, force: true });
  console.log('postgres engine figures', figures);
});

describe('PostgresClusterEngine', () => {
  it('creates a writer that runs the tutorial SQL and checks passwords itself', async () => {
    engine = new PostgresClusterEngine({ clusterId: 'demo', masterUsername: MASTER.user, masterPassword: MASTER.password, databaseName: 'postgres', dataDir: path.join(root, 'demo') });
    const t0 = Date.now();
    await engine.createWriter('demo-1');
    await wire(engine);
    const c = await connect(addrs.writer, 'postgres');
    figures.createToConnectMs = Date.now() - t0;
    await c.query('CREATE DATABASE myapp');
    const app = await connect(addrs.writer);
    await app.query('CREATE TABLE users (id SERIAL PRIMARY KEY, name VARCHAR(100), email VARCHAR(100))');
    await app.query("INSERT INTO users (name, email) VALUES ('Alice', 'alice@example.com'), ('Bob', 'bob@example.com')");
    const rows = await app.query('SELECT id, name, email FROM users ORDER BY id');
    expect(rows.rows).toEqual([
      { id: 1, name: 'Alice', email: 'alice@example.com' },
      { id: 2, name: 'Bob', email: 'bob@example.com' },
    ]);
    await expect(connect(addrs.writer, 'myapp', 'wrong-password')).rejects.toThrow(`password authentication failed for user "${MASTER.user}"`);
    figures.writerIdleRssMb = Math.round(engine.memoryBytes('demo-1') / 1e5) / 10;
  });

  it('adds streaming readers that refuse writes and see the writer rows within 1 s', async () => {
    const t0 = Date.now();
    await engine.addReader('demo-2');
    figures.addReaderMs = Date.now() - t0;
    await engine.addReader('demo-3');
    await wire(engine);
    const reader = await connect(addrs['demo-2']);
    await expect(reader.query("INSERT INTO users (name) VALUES ('Eve')")).rejects.toThrow('cannot execute INSERT in a read-only transaction');
    const w = await connect(addrs.writer);
    await w.query("INSERT INTO users (name, email) VALUES ('Carol', 'carol@example.com')");
    const t1 = Date.now();
    for (const id of ['demo-2', 'demo-3']) {
      const r = await connect(addrs[id]);
      await eventually(async () => ((await r.query("SELECT 1 FROM users WHERE name = 'Carol'")).rowCount ? true : undefined), 1000);
    }
    figures.replicationVisibleMs = Date.now() - t1;
    expect(await count(addrs.reader)).toBe(3);
    figures.readerIdleRssMb = Math.round(engine.memoryBytes('demo-2') / 1e5) / 10;
    const wc = await engine.counters('demo-1');
    expect(wc.commits).toBeGreaterThan(0);
    expect(wc.dml).toBeGreaterThanOrEqual(3);
    expect(wc.selects).toBeGreaterThan(0);
    expect(wc.connections).toBeGreaterThanOrEqual(1);
    const rc = await engine.counters('demo-2');
    expect(rc.replicaLagMs).toBeGreaterThanOrEqual(0);
  });

  it('fails over without losing a committed row while a client writes every 50 ms', async () => {
    const before = await count(addrs.writer);
    let acked = 0;
    let lastOk = Date.now();
    let longestGap = 0;
    let running = true;
    let client: pg.Client | null = await connect(addrs.writer);
    const idle = await connect(addrs.writer);
    const writer = (async () => {
      while (running) {
        try {
          if (!client) client = await connect(addrs.writer);
          await client.query("INSERT INTO users (name) VALUES ('tick')");
          acked++;
          const now = Date.now();
          longestGap = Math.max(longestGap, now - lastOk);
          lastOk = now;
        } catch {
          client?.end().catch(() => undefined);
          client = null;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    await engine.failover('demo-2');
    figures.failoverMs = Date.now() - t0;
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    await writer;
    figures.failoverNoWriteMs = longestGap;
    const roles = Object.fromEntries(engine.instances().map((i) => [i.instanceId, `${i.role}/${i.state}`]));
    expect(roles).toEqual({ 'demo-1': 'reader/running', 'demo-2': 'writer/running', 'demo-3': 'reader/running' });
    await expect(idle.query('SELECT 1')).rejects.toThrow();
    const after = await count(addrs.writer);
    figures.failoverRowsLost = before + acked - after;
    expect(after).toBe(before + acked);
    const c = await connect(addrs.writer);
    await c.query("INSERT INTO users (name) VALUES ('after-failover')");
    for (const id of ['demo-1', 'demo-3']) await eventually(async () => ((await count(addrs[id])) === after + 1 ? true : undefined), 2000);
    // back and forth again: every switch adds a timeline, and the old writer follows each one
    await engine.failover('demo-1');
    await engine.failover('demo-2');
    expect(engine.instances().find((i) => i.role === 'writer')?.instanceId).toBe('demo-2');
    expect(await count(addrs.writer)).toBe(after + 1);
    await eventually(async () => ((await count(addrs['demo-1'])) === after + 1 ? true : undefined), 2000);
  });

  it('reboots the writer: its connections drop, the readers stream again', async () => {
    const held = await connect(addrs.writer);
    await engine.reboot('demo-2');
    await expect(held.query('SELECT 1')).rejects.toThrow();
    const c = await connect(addrs.writer);
    await c.query("INSERT INTO users (name) VALUES ('after-reboot')");
    const n = await count(addrs.writer);
    for (const id of ['demo-1', 'demo-3']) await eventually(async () => ((await count(addrs[id])) === n ? true : undefined), 3000);
  });

  it('reports a killed writer, then promotes a reader with the data', async () => {
    const exits: string[] = [];
    engine.onUnexpectedExit((id, _code, signal) => exits.push(`${id}:${signal}`));
    const before = await count(addrs.writer);
    const pid = engine.instances().find((i) => i.role === 'writer')?.pid;
    process.kill(pid!, 'SIGKILL');
    await eventually(async () => (exits.length ? true : undefined), 3000);
    expect(exits).toEqual(['demo-2:SIGKILL']);
    expect(engine.instances().find((i) => i.instanceId === 'demo-2')?.state).toBe('failed');
    await engine.promoteAfterCrash('demo-3');
    expect(await count(addrs.writer)).toBe(before);
    const roles = Object.fromEntries(engine.instances().map((i) => [i.instanceId, `${i.role}/${i.state}`]));
    expect(roles).toEqual({ 'demo-1': 'reader/running', 'demo-2': 'reader/running', 'demo-3': 'writer/running' });
    expect(await count(addrs['demo-2'])).toBe(before);
  });

  it('keeps rows across stop/start, and across a new engine over the same dataDir', async () => {
    const before = await count(addrs.writer);
    await engine.stop();
    expect(engine.instances().every((i) => i.state === 'stopped')).toBe(true);
    await expect(connect(addrs.writer)).rejects.toThrow();
    await engine.start();
    expect(await count(addrs.writer)).toBe(before);
    await engine.stop();
    const again = new PostgresClusterEngine({ clusterId: 'demo', masterUsername: MASTER.user, masterPassword: MASTER.password, dataDir: path.join(root, 'demo') });
    await again.start();
    engine = again;
    await wire(again);
    expect(await count(addrs.writer)).toBe(before);
    expect(again.instances().find((i) => i.role === 'writer')?.instanceId).toBe('demo-3');
    await eventually(async () => ((await count(addrs['demo-1'])) === before ? true : undefined), 2000);
    const r = await connect(addrs['demo-1']);
    await expect(r.query("INSERT INTO users (name) VALUES ('x')")).rejects.toThrow('read-only transaction');
    // an endpoint process that died without stopping its engines: the next one stops the leftovers and starts
    const third = new PostgresClusterEngine({ clusterId: 'demo', masterUsername: MASTER.user, masterPassword: MASTER.password, dataDir: path.join(root, 'demo') });
    await third.start();
    engine = third;
    await wire(third);
    expect(await count(addrs.writer)).toBe(before);
    expect(third.instances().every((i) => i.state === 'running')).toBe(true);
    await third.setMasterPassword('New-pass-456');
    await expect(connect(addrs.writer)).rejects.toThrow('password authentication failed');
    await eventually(async () => (await connect(addrs['demo-1'], 'myapp', 'New-pass-456')) && true, 2000);
  });

  it('removes a reader, then destroys the cluster and its data', async () => {
    await engine.removeInstance('demo-1');
    expect(engine.instances().map((i) => i.instanceId).sort()).toEqual(['demo-2', 'demo-3']);
    expect(fs.existsSync(path.join(root, 'demo', 'demo-1'))).toBe(false);
    await engine.destroy();
    expect(fs.existsSync(path.join(root, 'demo'))).toBe(false);
    expect(engine.instances()).toEqual([]);
  });
});
