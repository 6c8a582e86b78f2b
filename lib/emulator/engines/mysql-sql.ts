// The SQL that turns MariaDB/MySQL servers into an Aurora-like cluster: accounts, GTID replication, positions,
// cloning a writer into a new replica, and status. MariaDB and MySQL spell replication differently; each helper
// takes the flavour.

import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import type { EngineCounters } from './types';
import { companionBinary, trackChild, type MysqlFlavour, type MysqlServerBinary } from './mysql-server';

type Conn = mysql.Connection;

/** The replication account readers use to stream the writer's binlog (Aurora MySQL names it rdsrepladmin). */
export const REPL_USER = 'rdsrepladmin';

/** Accounts the engine owns; their connections are not client connections. */
const INTERNAL_USERS = ['root', 'system user', 'event_scheduler', 'unauthenticated user', REPL_USER, 'mariadb.sys', 'mysql.session'];

/**
 * What Aurora MySQL grants the master user: no SUPER, no SHUTDOWN, no FILE and nothing that bypasses read_only
 * (MariaDB 10.11 READ_ONLY ADMIN, MySQL SUPER/CONNECTION_ADMIN), so a reader refuses the master user's writes.
 */
function masterPrivileges(flavour: MysqlFlavour): string {
  const common =
    'SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, PROCESS, REFERENCES, INDEX, ALTER, SHOW DATABASES, ' +
    'CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, REPLICATION SLAVE, REPLICATION CLIENT, CREATE VIEW, SHOW VIEW, ' +
    'CREATE ROUTINE, ALTER ROUTINE, CREATE USER, EVENT, TRIGGER';
  return flavour === 'mariadb' ? `${common}, SLAVE MONITOR, DELETE HISTORY` : common;
}

async function rows(conn: Conn, sql: string, values?: unknown[]): Promise<RowDataPacket[]> {
  const [result] = await conn.query<RowDataPacket[]>(sql, values);
  return result;
}

/**
 * Leaves root@localhost (socket only) with `adminPassword` and drops every other root and anonymous account that a
 * fresh data directory has. Not written to the binlog: each server does this to itself.
 */
export async function hardenRoot(conn: Conn, adminPassword: string): Promise<void> {
  await conn.query('SET SESSION sql_log_bin = 0');
  const accounts = await rows(conn, "SELECT User, Host FROM mysql.user WHERE (User = 'root' AND Host <> 'localhost') OR User = ''");
  for (const a of accounts) await conn.query('DROP USER ?@?', [a.User, a.Host]);
  await conn.query("ALTER USER 'root'@'localhost' IDENTIFIED BY ?", [adminPassword]);
  await conn.query('SET SESSION sql_log_bin = 1');
}

/** The master user (any host; clients arrive over TCP), the replication account and DatabaseName. */
export async function createClusterAccounts(
  conn: Conn,
  flavour: MysqlFlavour,
  spec: { masterUsername: string; masterPassword: string; databaseName?: string; replPassword: string },
  binlog = true,
): Promise<void> {
  if (!binlog) await conn.query('SET SESSION sql_log_bin = 0');
  await conn.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [spec.masterUsername, '%', spec.masterPassword]);
  await conn.query(`GRANT ${masterPrivileges(flavour)} ON *.* TO ?@? WITH GRANT OPTION`, [spec.masterUsername, '%']);
  await conn.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [REPL_USER, '127.0.0.1', spec.replPassword]);
  await conn.query('GRANT REPLICATION SLAVE ON *.* TO ?@?', [REPL_USER, '127.0.0.1']);
  if (spec.databaseName) await conn.query(`CREATE DATABASE IF NOT EXISTS ${conn.escapeId(spec.databaseName)}`);
  if (!binlog) await conn.query('SET SESSION sql_log_bin = 1');
}

/** Replication statements in each flavour's spelling. */
const REPLICATION_SQL: Record<MysqlFlavour, { stop: string; start: string; reset: string; change: string }> = {
  mariadb: {
    stop: 'STOP SLAVE',
    start: 'START SLAVE',
    reset: 'RESET SLAVE ALL',
    change:
      "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?, " +
      'MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1',
  },
  mysql: {
    stop: 'STOP REPLICA',
    start: 'START REPLICA',
    reset: 'RESET REPLICA ALL',
    change:
      "CHANGE REPLICATION SOURCE TO SOURCE_HOST = '127.0.0.1', SOURCE_PORT = ?, SOURCE_USER = ?, SOURCE_PASSWORD = ?, " +
      'SOURCE_AUTO_POSITION = 1, SOURCE_CONNECT_RETRY = 1, GET_SOURCE_PUBLIC_KEY = 1',
  },
};

/** Points a server at the writer on 127.0.0.1:`writerPort` with GTID auto-positioning and starts replicating. */
export async function replicateFrom(conn: Conn, flavour: MysqlFlavour, writerPort: number, replPassword: string): Promise<void> {
  const sql = REPLICATION_SQL[flavour];
  await conn.query(sql.stop);
  await conn.query(sql.change, [writerPort, REPL_USER, replPassword]);
  await conn.query(sql.start);
}

export async function pauseReplication(conn: Conn, flavour: MysqlFlavour): Promise<void> {
  await conn.query(REPLICATION_SQL[flavour].stop);
}

/** Stops replication and forgets the source: the server is a primary again (still read-only until told). */
export async function stopReplication(conn: Conn, flavour: MysqlFlavour): Promise<void> {
  await conn.query(REPLICATION_SQL[flavour].stop);
  await conn.query(REPLICATION_SQL[flavour].reset);
}

export async function setReadOnly(conn: Conn, flavour: MysqlFlavour, readOnly: boolean): Promise<void> {
  if (flavour === 'mysql') {
    if (readOnly) await conn.query('SET GLOBAL super_read_only = ON');
    else await conn.query('SET GLOBAL super_read_only = OFF');
  }
  await conn.query(`SET GLOBAL read_only = ${readOnly ? 'ON' : 'OFF'}`);
}

/** Every transaction this server has (MariaDB @@gtid_binlog_pos, MySQL @@gtid_executed). */
export async function gtidPosition(conn: Conn, flavour: MysqlFlavour): Promise<string> {
  const r = await rows(conn, flavour === 'mariadb' ? 'SELECT @@GLOBAL.gtid_binlog_pos AS pos' : 'SELECT @@GLOBAL.gtid_executed AS pos');
  return String(r[0]?.pos ?? '');
}

/** Waits until a replica has applied `position`; rejects after `timeoutS`. */
export async function waitForPosition(conn: Conn, flavour: MysqlFlavour, position: string, timeoutS: number): Promise<void> {
  if (!position) return;
  const sql = flavour === 'mariadb' ? 'SELECT MASTER_GTID_WAIT(?, ?) AS r' : 'SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS r';
  const r = await rows(conn, sql, [position, timeoutS]);
  if (Number(r[0]?.r) !== 0) throw new Error(`replica did not reach GTID ${position} within ${timeoutS} s`);
}

/**
 * A demoted writer resumes from everything it already has. MariaDB keeps the replication position apart from its
 * own binlog, so copy one into the other; MySQL auto-positioning already uses gtid_executed.
 */
export async function adoptOwnHistory(conn: Conn, flavour: MysqlFlavour): Promise<void> {
  if (flavour !== 'mariadb') return;
  await pauseReplication(conn, flavour);
  await conn.query('SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_binlog_pos');
}

export interface ReplicaStatus {
  ioRunning: boolean;
  sqlRunning: boolean;
  lagSeconds: number | null;
  lastError: string;
}

export async function replicaStatus(conn: Conn, flavour: MysqlFlavour): Promise<ReplicaStatus | null> {
  const r = (await rows(conn, flavour === 'mariadb' ? 'SHOW SLAVE STATUS' : 'SHOW REPLICA STATUS'))[0];
  if (!r) return null;
  const io = r.Slave_IO_Running ?? r.Replica_IO_Running;
  const sqlThread = r.Slave_SQL_Running ?? r.Replica_SQL_Running;
  const lag = r.Seconds_Behind_Master ?? r.Seconds_Behind_Source;
  return {
    ioRunning: io === 'Yes',
    sqlRunning: sqlThread === 'Yes',
    lagSeconds: lag === null || lag === undefined ? null : Number(lag),
    lastError: String(r.Last_IO_Error || r.Last_SQL_Error || ''),
  };
}

/** Disconnects every client session (not the engine's own or the replication streams). */
export async function killClientConnections(conn: Conn): Promise<number> {
  const ids = await rows(
    conn,
    "SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND USER NOT IN (?) AND COMMAND NOT IN ('Binlog Dump', 'Binlog Dump GTID', 'Daemon')",
    [INTERNAL_USERS],
  );
  for (const { ID } of ids) await conn.query(`KILL CONNECTION ${Number(ID)}`).catch(() => undefined);
  return ids.length;
}

export async function clientConnectionCount(conn: Conn): Promise<number> {
  const r = await rows(
    conn,
    "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER NOT IN (?) AND COMMAND NOT IN ('Binlog Dump', 'Binlog Dump GTID', 'Daemon')",
    [INTERNAL_USERS],
  );
  return Number(r[0]?.n ?? 0);
}

export async function globalStatus(conn: Conn): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await rows(conn, 'SHOW GLOBAL STATUS')) out[String(r.Variable_name)] = Number(r.Value) || 0;
  return out;
}

/**
 * CommitThroughput bookkeeping: transactions this server binlogged for clients, and its COMMIT statements, while
 * it was the writer (`since` holds the status values when it last became the writer in this process).
 */
export interface CommitBook {
  binlog: number;
  comCommit: number;
  since?: { binlog: number; comCommit: number };
}

/** The server becomes the writer: its commits count from these status values on. */
export function beginWriterBook(book: CommitBook, s: Record<string, number>): void {
  book.since = { binlog: s.Binlog_commits || 0, comCommit: s.Com_commit || 0 };
}

/** The server stops being the writer: what it committed as the writer is kept. */
export function endWriterBook(book: CommitBook, s: Record<string, number>): void {
  if (!book.since) return;
  book.binlog += (s.Binlog_commits || 0) - book.since.binlog;
  book.comCommit += (s.Com_commit || 0) - book.since.comCommit;
  book.since = undefined;
}

/** Counters from SHOW GLOBAL STATUS; commits are explicit COMMITs plus autocommit writes. */
export function countersFromStatus(s: Record<string, number>, book: CommitBook, connections: number): EngineCounters {
  const n = (key: string) => s[key] || 0;
  // MariaDB counts binlogged transactions (Binlog_commits); MySQL does not, so there only COMMITs count.
  const binlog = book.binlog + (book.since ? n('Binlog_commits') - book.since.binlog : 0);
  const explicit = book.comCommit + (book.since ? n('Com_commit') - book.since.comCommit : 0);
  return {
    at: Date.now(),
    // Autocommit writes are the binlogged client transactions beyond the COMMIT statements.
    commits: n('Com_commit') + n('Com_xa_commit') + Math.max(0, binlog - explicit),
    dml: ['Com_insert', 'Com_update', 'Com_delete', 'Com_replace', 'Com_insert_select', 'Com_update_multi', 'Com_delete_multi', 'Com_replace_select']
      .map(n)
      .reduce((a, b) => a + b, 0),
    selects: n('Com_select'),
    connections,
  };
}

/** Whether `old` has transactions `promoted` lacks (so the old writer cannot simply replicate from it). */
export function gtidDiverged(old: string, promoted: string, flavour: MysqlFlavour): boolean {
  // MariaDB: "domain-server-seq,..." (one entry per domain). MySQL: "uuid:1-5:7-9,..." (intervals per source).
  const parse = (s: string) => {
    const m = new Map<string, number>();
    for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
      if (flavour === 'mariadb') {
        const [domain, , seq] = part.split('-');
        m.set(domain, Number(seq));
      } else {
        const [uuid, ...ranges] = part.split(':');
        const ends = ranges.map((r) => Number(r.split('-').pop()));
        m.set(uuid, Math.max(0, ...ends));
      }
    }
    return m;
  };
  const p = parse(promoted);
  for (const [key, seq] of parse(old)) if (seq > (p.get(key) ?? 0)) return true;
  return false;
}

async function userDatabases(conn: Conn): Promise<string[]> {
  const r = await rows(
    conn,
    "SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')",
  );
  return r.map((x) => String(x.s));
}

/**
 * Copies the writer's databases, accounts and GTID position into a fresh, running replica: a consistent
 * single-transaction dump streamed straight into the replica (not written to the replica's own binlog), which
 * leaves the replica's replication position at the dump's GTID. With `saveTo`, the dump is also kept in that file
 * (the replica's history base).
 */
export async function cloneInto(
  server: MysqlServerBinary,
  source: { socket: string; conn: Conn },
  target: { socket: string },
  adminPassword: string,
  saveTo?: string,
): Promise<void> {
  const dbs = await userDatabases(source.conn);
  const dumpArgs = ['-uroot', `--socket=${source.socket}`, '--single-transaction', '--routines', '--events', '--triggers'];
  if (server.flavour === 'mariadb') {
    // Accounts as CREATE USER IF NOT EXISTS / GRANT statements; the replica's own root stays as it is.
    dumpArgs.push('--gtid', '--master-data=1', '--system=users', '--insert-ignore');
    if (dbs.length) dumpArgs.push('--databases', ...dbs);
  } else {
    // MySQL's dump has no account statements: the mysql schema's grant tables travel with the data.
    dumpArgs.push('--set-gtid-purged=ON', '--all-databases');
  }
  const env = { ...process.env, MYSQL_PWD: adminPassword };
  const importArgs = ['-uroot', `--socket=${target.socket}`, '--init-command=SET SESSION sql_log_bin = 0', '--binary-mode'];
  await new Promise<void>((resolve, reject) => {
    const dump = spawn(companionBinary(server, 'dump'), dumpArgs, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const load = spawn(companionBinary(server, 'client'), importArgs, { stdio: ['pipe', 'ignore', 'pipe'], env });
    trackChild(dump);
    trackChild(load);
    let errors = '';
    dump.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    load.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    dump.stdout.pipe(load.stdin);
    load.stdin.on('error', () => undefined);
    let pending = saveTo ? 3 : 2;
    let failed = false;
    const done = (what: string) => (code: number | null) => {
      if (code !== 0 && !failed) {
        failed = true;
        reject(new Error(`cloning the writer failed (${what} exited ${code}): ${errors.trim().slice(-800)}`));
      }
      if (--pending === 0 && !failed) resolve();
    };
    if (saveTo) {
      const file = createWriteStream(saveTo, { mode: 0o600 });
      dump.stdout.pipe(file);
      file.once('error', () => done('saving the dump')(1));
      file.once('finish', () => done('saving the dump')(0));
    }
    dump.once('exit', done('dump'));
    load.once('exit', done('import'));
  });
}
