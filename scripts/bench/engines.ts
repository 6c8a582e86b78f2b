// Real-engine budget (`npx tsx scripts/bench/engines.ts` alone, or a section of `npm run bench`): an in-process
// local endpoint with real engines over a temporary data directory, driven by the real @aws-sdk/client-rds and
// stock clients (pg, mysql2):
//   - cluster create → the writer endpoint accepts a connection and answers SELECT 1 (ms, each engine; the model's
//     simulated create durations are set to 0, so this is the engine's own time: initdb/install-db, start, users);
//   - idle RSS per instance (MB, the engine's process tree);
//   - the demo fleet's total engine memory (MB: its real cluster, writer + reader, with its steady workload);
//   - a client inserting every 50 ms through the writer endpoint during FailoverDBCluster: the longest time
//     without a successful write (ms) and the acknowledged rows missing afterwards (target 0).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateDBClusterCommand, CreateDBInstanceCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, FailoverDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { startEmulator, type RunningEmulator } from '@/lib/emulator';
import { detectMysqlServer } from '@/lib/emulator/engines/mysql';
import { processTreeRssBytes } from '@/lib/emulator/engines/postgres-process';

const PASSWORD = 'Bench-Engines-Passw0rd';
const REGION = 'us-east-1';
type Engine = 'aurora-postgresql' | 'aurora-mysql';

export interface EngineFigures {
  createToConnectMs: Partial<Record<Engine, number>>;
  idleRssMb: Partial<Record<Engine, number>>;
  demoFleetMb: number;
  failover: Partial<Record<Engine, { gapMs: number; rowsLost: number; rowsAcked: number }>>;
  mysqlAvailable: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 120_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

interface Sql {
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}

async function connect(engine: Engine, host: string, port: number, database?: string): Promise<Sql> {
  if (engine === 'aurora-postgresql') {
    const c = new pg.Client({ host, port, user: 'admin', password: PASSWORD, database: database ?? 'postgres', connectionTimeoutMillis: 2000 });
    c.on('error', () => undefined);
    await c.connect();
    return { query: (s) => c.query(s), end: () => c.end() };
  }
  const c = await mysql.createConnection({ host, port, user: 'admin', password: PASSWORD, database, connectTimeout: 2000 });
  c.on('error', () => undefined);
  return { query: (s) => c.query(s), end: () => c.end() };
}

async function rowIds(engine: Engine, host: string, port: number): Promise<Set<number>> {
  const c = await connect(engine, host, port, 'bench');
  try {
    const r = (await c.query('SELECT id FROM beats')) as { rows?: { id: number }[] } | [{ id: number }[]];
    const rows = Array.isArray(r) ? r[0] : r.rows!;
    return new Set(rows.map((x) => Number(x.id)));
  } finally {
    await c.end().catch(() => undefined);
  }
}

class Lab {
  rds: RDSClient;
  constructor(readonly emu: RunningEmulator) {
    this.rds = new RDSClient({ endpoint: emu.url, region: REGION, credentials: emu.credentials, maxAttempts: 1 });
  }

  async create(id: string, engine: Engine, instances: number): Promise<void> {
    await this.rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: engine, MasterUsername: 'admin', MasterUserPassword: PASSWORD }));
    for (let n = 1; n <= instances; n++) {
      await this.rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `${id}-${n}`, DBClusterIdentifier: id, Engine: engine, DBInstanceClass: 'db.r6g.large' }));
    }
  }

  async cluster(id: string) {
    return (await this.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0];
  }

  async allAvailable(id: string): Promise<boolean> {
    const c = await this.cluster(id);
    const inst = (await this.rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [id] }] }))).DBInstances!;
    return c.Status === 'available' && inst.length === c.DBClusterMembers!.length && inst.every((i) => i.DBInstanceStatus === 'available');
  }

  rssMb(id: string, instances: string[]): number[] {
    return instances.map((i) => {
      const pid = this.emu.engines!.engineInstance(REGION, id, i)?.pid;
      return pid ? processTreeRssBytes(pid) / 1024 / 1024 : NaN;
    });
  }
}

async function withEmulator<T>(opts: { seed?: 'demo' }, fn: (lab: Lab) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afc-bench-engines-'));
  fs.chmodSync(dir, 0o711);
  const emu = await startEmulator({
    port: 0,
    dataDir: dir,
    profile: 'test',
    engines: 'real',
    seed: opts.seed ?? 'none',
    regions: [REGION],
    durations: { createCluster: 0, createInstance: 0, failover: 1000 },
  });
  const lab = new Lab(emu);
  try {
    return await fn(lab);
  } finally {
    lab.rds.destroy();
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Inserts every 50 ms through the writer endpoint (reconnecting on any error) while a failover runs. */
async function failoverUnderWrites(lab: Lab, id: string, engine: Engine): Promise<{ gapMs: number; rowsLost: number; rowsAcked: number }> {
  const c = await lab.cluster(id);
  const setup = await connect(engine, c.Endpoint!, c.Port!);
  await setup.query('CREATE DATABASE bench');
  await setup.end();
  const t = await connect(engine, c.Endpoint!, c.Port!, 'bench');
  await t.query('CREATE TABLE beats (id INT PRIMARY KEY)');
  await t.end();

  const acked: number[] = [];
  const successes: number[] = [];
  let conn: Sql | undefined;
  let next = 1;
  let running = true;
  const writer = (async () => {
    while (running) {
      const tick = Date.now();
      try {
        conn ??= await connect(engine, c.Endpoint!, c.Port!, 'bench');
        const n = next++;
        await conn.query(`INSERT INTO beats (id) VALUES (${n})`);
        acked.push(n);
        successes.push(Date.now());
      } catch {
        const old = conn;
        conn = undefined;
        void old?.end().catch(() => undefined);
      }
      await sleep(Math.max(0, 50 - (Date.now() - tick)));
    }
  })();
  await sleep(1000);
  const started = Date.now();
  await lab.rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: id }));
  await until('failover done', async () => (await lab.allAvailable(id)) && (await lab.cluster(id)).DBClusterMembers!.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier === `${id}-2`);
  await until('writes succeeding again', async () => successes.length > 0 && successes[successes.length - 1] > Date.now() - 200);
  await sleep(1000);
  running = false;
  await writer;
  await conn?.end().catch(() => undefined);
  let gapMs = 0;
  for (let i = 1; i < successes.length; i++) if (successes[i] >= started) gapMs = Math.max(gapMs, successes[i] - successes[i - 1]);
  const present = await rowIds(engine, c.Endpoint!, c.Port!);
  return { gapMs, rowsLost: acked.filter((n) => !present.has(n)).length, rowsAcked: acked.length };
}

export async function benchEngines(log: (m: string) => void = () => undefined): Promise<EngineFigures> {
  const mysqlAvailable = !!detectMysqlServer();
  const engines: Engine[] = mysqlAvailable ? ['aurora-postgresql', 'aurora-mysql'] : ['aurora-postgresql'];
  const out: EngineFigures = { createToConnectMs: {}, idleRssMb: {}, demoFleetMb: NaN, failover: {}, mysqlAvailable };
  await withEmulator({}, async (lab) => {
    for (const engine of engines) {
      const id = engine === 'aurora-postgresql' ? 'bench-pg' : 'bench-my';
      log(`engines: ${engine} create → writer accepts a connection…`);
      const t0 = Date.now();
      await lab.create(id, engine, 1);
      const c = await lab.cluster(id);
      await until('the writer accepting', async () => {
        const s = await connect(engine, c.Endpoint!, c.Port!);
        await s.query('SELECT 1');
        await s.end();
        return true;
      });
      out.createToConnectMs[engine] = Date.now() - t0;
      await lab.rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `${id}-2`, DBClusterIdentifier: id, Engine: engine, DBInstanceClass: 'db.r6g.large' }));
      await until(`${id} available`, () => lab.allAvailable(id));
      await sleep(3000);
      const rss = lab.rssMb(id, [`${id}-1`, `${id}-2`]);
      out.idleRssMb[engine] = rss.reduce((a, b) => a + b, 0) / rss.length;
      log(`engines: ${engine} failover under a write every 50 ms…`);
      out.failover[engine] = await failoverUnderWrites(lab, id, engine);
    }
  });
  log('engines: the demo fleet with real engines…');
  await withEmulator({ seed: 'demo' }, async (lab) => {
    await until('tutorial-pg available', () => lab.allAvailable('tutorial-pg'));
    await sleep(5000);
    out.demoFleetMb = lab.rssMb('tutorial-pg', ['tutorial-pg-1', 'tutorial-pg-2']).reduce((a, b) => a + b, 0);
  });
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  benchEngines((m) => console.log(m)).then(
    (f) => {
      console.log(JSON.stringify(f, null, 2));
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
