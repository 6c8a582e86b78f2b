// A real synthetic workload on a real cluster, so its charts move without a client: a few writes per second
// through the writer endpoint and reads through the reader endpoint, into a scratch table in its own database
// (afc_workload; never the user's databases), with the master credentials. Like any client it reconnects after a
// failover, a reboot or a stop; errors are expected and only make it reconnect.
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { EngineFamily, ListenAddress } from './types';

export type RealWorkloadKind = 'steady' | 'write-heavy';

/** Statements per second. */
export const WORKLOAD_RATES: Record<RealWorkloadKind, { writes: number; reads: number }> = {
  steady: { writes: 2, reads: 5 },
  'write-heavy': { writes: 20, reads: 5 },
};

export const WORKLOAD_DATABASE = 'afc_workload';
/** Rows kept in the scratch table; older ones are deleted as new ones come. */
const KEEP_ROWS = 5_000;
const RECONNECT_MS = 1_000;

export interface WorkloadTarget {
  family: EngineFamily;
  writer: () => ListenAddress;
  reader: () => ListenAddress;
  user: string;
  password: () => string;
}

interface Conn {
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}

/** One connection that opens on first use and again after any error, at most once per RECONNECT_MS. */
class Lane {
  private conn?: Conn;
  private opening?: Promise<Conn | undefined>;
  private lastTry = 0;
  private inFlight = false;
  private closed = false;

  constructor(
    private readonly open: () => Promise<Conn>,
    private readonly prepare: (c: Conn) => Promise<void>,
  ) {}

  /** Runs one statement unless the previous one is still running (a slow engine is not queued up). */
  async run(sql: string): Promise<boolean> {
    if (this.inFlight || this.closed) return false;
    this.inFlight = true;
    try {
      const c = await this.connection();
      if (!c) return false;
      await c.query(sql);
      return true;
    } catch {
      this.drop();
      return false;
    } finally {
      this.inFlight = false;
    }
  }

  close(): void {
    this.closed = true;
    this.drop();
  }

  private async connection(): Promise<Conn | undefined> {
    if (this.conn) return this.conn;
    if (this.opening) return this.opening;
    if (Date.now() - this.lastTry < RECONNECT_MS) return undefined;
    this.lastTry = Date.now();
    this.opening = (async () => {
      const c = await this.open();
      try {
        await this.prepare(c);
      } catch (e) {
        await c.end().catch(() => undefined);
        throw e;
      }
      if (this.closed) {
        await c.end().catch(() => undefined);
        return undefined;
      }
      this.conn = c;
      return c;
    })().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private drop(): void {
    const c = this.conn;
    this.conn = undefined;
    void c?.end().catch(() => undefined);
  }
}

export class RealWorkload {
  private kind?: RealWorkloadKind;
  private timers: NodeJS.Timeout[] = [];
  private writerLane?: Lane;
  private readerLane?: Lane;
  private writes = 0;
  /** Statements that succeeded (for tests and the bench). */
  readonly done = { writes: 0, reads: 0 };

  constructor(private readonly target: WorkloadTarget) {}

  get current(): RealWorkloadKind | undefined {
    return this.kind;
  }

  set(kind: RealWorkloadKind | undefined): void {
    if (kind === this.kind) return;
    this.stop();
    this.kind = kind;
    if (!kind) return;
    const rate = WORKLOAD_RATES[kind];
    const sql = statements(this.target.family);
    this.writerLane = new Lane(() => this.connect(this.target.writer(), true), (c) => setUp(c, this.target.family));
    this.readerLane = new Lane(() => this.connect(this.target.reader(), false), async () => undefined);
    const writer = this.writerLane;
    const reader = this.readerLane;
    this.timers.push(
      setInterval(() => {
        const trim = ++this.writes % 100 === 0;
        void writer.run(trim ? sql.trim : sql.insert).then((ok) => ok && !trim && this.done.writes++);
      }, 1000 / rate.writes),
      setInterval(() => void reader.run(sql.read).then((ok) => ok && this.done.reads++), 1000 / rate.reads),
    );
    for (const t of this.timers) t.unref();
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.writerLane?.close();
    this.readerLane?.close();
    this.writerLane = this.readerLane = undefined;
    this.kind = undefined;
  }

  private async connect(at: ListenAddress, admin: boolean): Promise<Conn> {
    const { family, user } = this.target;
    const password = this.target.password();
    if (family === 'postgres') {
      if (admin) await ensurePgDatabase(at, user, password);
      const c = new pg.Client({ host: at.host, port: at.port, user, password, database: WORKLOAD_DATABASE, connectionTimeoutMillis: 3000 });
      c.on('error', () => undefined);
      await c.connect();
      return { query: (s) => c.query(s), end: () => c.end() };
    }
    const c = await mysql.createConnection({ host: at.host, port: at.port, user, password, connectTimeout: 3000 });
    c.on('error', () => undefined);
    return { query: (s) => c.query(s), end: () => c.end() };
  }
}

async function ensurePgDatabase(at: ListenAddress, user: string, password: string): Promise<void> {
  const c = new pg.Client({ host: at.host, port: at.port, user, password, database: 'postgres', connectionTimeoutMillis: 3000 });
  c.on('error', () => undefined);
  await c.connect();
  try {
    const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [WORKLOAD_DATABASE]);
    if (exists.rowCount === 0) await c.query(`CREATE DATABASE ${WORKLOAD_DATABASE}`).catch(() => undefined);
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function setUp(c: Conn, family: EngineFamily): Promise<void> {
  if (family === 'postgres') {
    await c.query('CREATE TABLE IF NOT EXISTS scratch (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), payload text)');
    return;
  }
  await c.query(`CREATE DATABASE IF NOT EXISTS ${WORKLOAD_DATABASE}`);
  await c.query(
    `CREATE TABLE IF NOT EXISTS ${WORKLOAD_DATABASE}.scratch (id BIGINT AUTO_INCREMENT PRIMARY KEY, at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), payload VARCHAR(64))`,
  );
}

function statements(family: EngineFamily): { insert: string; read: string; trim: string } {
  const t = family === 'postgres' ? 'scratch' : `${WORKLOAD_DATABASE}.scratch`;
  const random = family === 'postgres' ? 'md5(random()::text)' : 'md5(rand())';
  return {
    insert: `INSERT INTO ${t} (payload) VALUES (${random})`,
    read: `SELECT id, at, payload FROM ${t} ORDER BY id DESC LIMIT 10`,
    trim:
      family === 'postgres'
        ? `DELETE FROM ${t} WHERE id < (SELECT max(id) FROM ${t}) - ${KEEP_ROWS}`
        : `DELETE FROM ${t} WHERE id < (SELECT m FROM (SELECT max(id) AS m FROM ${t}) x) - ${KEEP_ROWS}`,
  };
}
