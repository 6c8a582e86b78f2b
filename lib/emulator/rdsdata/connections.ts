// The Data API's connections to a cluster's real engine, through its writer endpoint: a small pool per
// (cluster, credentials, database); a transaction pins one connection until commit, rollback, or 3 minutes
// idle. A statement that outlives the statement timeout is cancelled (unless continueAfterTimeout) and
// answered with StatementTimeoutException.
import { createHash, randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { DataApiFault, DataApiFaults } from './errors';
import { mysqlResult, pgResult, type StatementResult } from './results';

export interface Target {
  family: 'postgres' | 'mysql';
  host: string;
  port: number;
  user: string;
  password: string;
  database?: string;
}

interface Conn {
  id: number;
  run(sql: string, values: unknown[]): Promise<StatementResult>;
  release(broken?: boolean): void;
}

interface Pool {
  target: Target;
  acquire(): Promise<Conn>;
  /** Cancels the statement running on connection `id`. */
  cancel(id: number): Promise<void>;
  close(): Promise<void>;
}

interface Txn {
  key: string;
  family: Target['family'];
  owner: string;
  conn: Conn;
  /** One statement at a time on the pinned connection. */
  chain: Promise<unknown>;
  timer: NodeJS.Timeout;
}

const RAW_PG_TYPES = { getTypeParser: () => (v: string | Buffer) => v } as unknown as pg.CustomTypesConfig;

function pgPool(t: Target): Pool {
  const pool = new pg.Pool({ host: t.host, port: t.port, user: t.user, password: t.password, database: t.database, max: 4, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000, types: RAW_PG_TYPES });
  pool.on('error', () => undefined);
  return {
    target: t,
    async acquire() {
      const c = await pool.connect();
      const id = (c as unknown as { processID: number }).processID;
      if (c.listenerCount('error') === 0) c.on('error', () => undefined);
      return {
        id,
        async run(sql, values) {
          const r = (await c.query({ text: sql, values, rowMode: 'array' })) as pg.QueryResult | pg.QueryResult[];
          const last = Array.isArray(r) ? r[r.length - 1] : r;
          return pgResult(last.fields ?? [], last.rows as unknown[][], last.command, last.rowCount);
        },
        release: (broken) => c.release(broken ? true : undefined),
      };
    },
    async cancel(id) {
      await pool.query('SELECT pg_cancel_backend($1)', [id]).catch(() => undefined);
    },
    close: () => pool.end().catch(() => undefined),
  };
}

function mysqlPool(t: Target): Pool {
  const pool = mysql.createPool({ host: t.host, port: t.port, user: t.user, password: t.password, database: t.database, connectionLimit: 4, connectTimeout: 10_000, dateStrings: true });
  return {
    target: t,
    async acquire() {
      const c = await pool.getConnection();
      return {
        id: c.threadId,
        async run(sql, values) {
          const [rows, fields] = await c.query({ sql, values, rowsAsArray: true, typeCast: (f: { buffer(): Buffer | null }) => f.buffer() });
          return mysqlResult(rows, fields as mysql.FieldPacket[] | undefined);
        },
        release: (broken) => (broken ? c.destroy() : c.release()),
      };
    },
    async cancel(id) {
      await pool.query(`KILL QUERY ${Number(id)}`).catch(() => undefined);
    },
    close: () => pool.end().catch(() => undefined),
  };
}

/** An engine error → the Data API's: authentication and unknown databases are BadRequest, SQL errors DatabaseError. */
export function engineFault(e: unknown, family: 'postgres' | 'mysql'): DataApiFault {
  if (e instanceof DataApiFault) return e;
  const err = e as { code?: string; errno?: number; sqlState?: string; message?: string; position?: string };
  const msg = err?.message ?? String(e);
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST'].includes(err?.code ?? '')) return DataApiFaults.databaseUnavailable();
  if (family === 'postgres') {
    if (err.code === '28P01' || err.code === '28000' || err.code === '3D000') return DataApiFault.badRequest(`FATAL: ${msg}`);
    const pos = err.position ? `\n  Position: ${err.position}` : '';
    return DataApiFaults.databaseError(`ERROR: ${msg}${pos}; SQLState: ${err.code ?? '00000'}`);
  }
  if (err.errno === 1045 || err.errno === 1049 || err.errno === 1044) return DataApiFault.badRequest(msg);
  return DataApiFaults.databaseError(`${msg}; Error code: ${err.errno ?? 0}; SQLState: ${err.sqlState ?? 'HY000'}`);
}

export interface ConnectionOptions {
  statementTimeoutMs: number;
  transactionIdleMs: number;
}

export class DataApiConnections {
  private readonly pools = new Map<string, Pool>();
  private readonly txns = new Map<string, Txn>();

  constructor(private readonly opts: ConnectionOptions) {}

  private pool(t: Target): Pool {
    const key = createHash('sha256').update(JSON.stringify([t.family, t.host, t.port, t.user, t.password, t.database ?? ''])).digest('hex');
    let p = this.pools.get(key);
    if (!p) {
      p = t.family === 'postgres' ? pgPool(t) : mysqlPool(t);
      this.pools.set(key, p);
    }
    return p;
  }

  private async acquire(p: Pool): Promise<Conn> {
    try {
      return await p.acquire();
    } catch (e) {
      throw engineFault(e, p.target.family);
    }
  }

  /** Runs a statement with the timeout; a statement past it is cancelled unless `continueAfterTimeout`. */
  private async timed(p: Pool, conn: Conn, sql: string, values: unknown[], continueAfterTimeout: boolean): Promise<StatementResult> {
    const run = conn.run(sql, values);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), this.opts.statementTimeoutMs);
    });
    try {
      const first = await Promise.race([run, timeout]);
      if (first === 'timeout') {
        if (!continueAfterTimeout) await p.cancel(conn.id);
        run.catch(() => undefined);
        throw DataApiFaults.statementTimeout(conn.id);
      }
      return first;
    } catch (e) {
      throw e instanceof DataApiFault ? e : engineFault(e, p.target.family);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs statements (all in one transaction when there are several) outside any Data API transaction. */
  async execute(t: Target, statements: { sql: string; values: unknown[] }[], continueAfterTimeout: boolean): Promise<StatementResult[]> {
    const p = this.pool(t);
    const conn = await this.acquire(p);
    const wrap = statements.length > 1;
    let released = false;
    const release = () => {
      if (!released) conn.release();
      released = true;
    };
    const out: StatementResult[] = [];
    try {
      if (wrap) await conn.run(t.family === 'postgres' ? 'BEGIN' : 'START TRANSACTION', []);
      for (const s of statements) out.push(await this.timed(p, conn, s.sql, s.values, continueAfterTimeout));
      if (wrap) await conn.run('COMMIT', []);
      release();
      return out;
    } catch (e) {
      if (wrap) await conn.run('ROLLBACK', []).catch(() => undefined);
      if (e instanceof DataApiFault && e.code === 'StatementTimeoutException') {
        // Give the connection back only after the statement has ended (it may still be running).
        void conn.run('SELECT 1', []).then(release, () => {
          if (!released) conn.release(true);
          released = true;
        });
      } else release();
      throw e instanceof DataApiFault ? e : engineFault(e, t.family);
    }
  }

  async begin(t: Target, owner: string): Promise<string> {
    const p = this.pool(t);
    const conn = await this.acquire(p);
    try {
      await conn.run(t.family === 'postgres' ? 'BEGIN' : 'START TRANSACTION', []);
    } catch (e) {
      conn.release(true);
      throw engineFault(e, t.family);
    }
    const id = randomBytes(48).toString('base64');
    this.txns.set(id, { key: id, family: t.family, owner, conn, chain: Promise.resolve(), timer: this.idleTimer(id) });
    return id;
  }

  private idleTimer(id: string): NodeJS.Timeout {
    const timer = setTimeout(() => void this.end(id, 'ROLLBACK').catch(() => undefined), this.opts.transactionIdleMs);
    timer.unref();
    return timer;
  }

  private txn(id: string, owner: string): Txn {
    const x = this.txns.get(id);
    if (!x || x.owner !== owner) throw DataApiFaults.transactionNotFound(id);
    clearTimeout(x.timer);
    x.timer = this.idleTimer(id);
    return x;
  }

  /** Runs statements on a transaction's pinned connection, one call after another. */
  async inTransaction(t: Target, id: string, owner: string, statements: { sql: string; values: unknown[] }[], continueAfterTimeout: boolean): Promise<StatementResult[]> {
    const x = this.txn(id, owner);
    const p = this.pool(t);
    const work = x.chain.then(async () => {
      const out: StatementResult[] = [];
      for (const s of statements) out.push(await this.timed(p, x.conn, s.sql, s.values, continueAfterTimeout));
      return out;
    });
    x.chain = work.catch(() => undefined);
    return work;
  }

  /** COMMIT or ROLLBACK, then the connection goes back to its pool. */
  async end(id: string, how: 'COMMIT' | 'ROLLBACK', owner?: string): Promise<void> {
    const x = owner === undefined ? this.txns.get(id) : this.txn(id, owner);
    if (!x) throw DataApiFaults.transactionNotFound(id);
    this.txns.delete(id);
    clearTimeout(x.timer);
    await x.chain;
    try {
      await x.conn.run(how, []);
      x.conn.release();
    } catch (e) {
      x.conn.release(true);
      throw engineFault(e, x.family);
    }
  }

  async close(): Promise<void> {
    for (const id of [...this.txns.keys()]) await this.end(id, 'ROLLBACK').catch(() => undefined);
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }
}
