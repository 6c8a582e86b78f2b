// A PostgreSQL data directory from the outside: initdb, the configuration the local endpoint runs with, the
// per-instance settings file (port, primary_conninfo), the file copy of a base backup, the control file's last
// checkpoint, and short admin sessions over TCP.
import { spawn } from 'node:child_process';
import fsp from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { EngineCounters } from './types';
import { chownTree, type RunAs } from './postgres-process';

/** The engine's own superuser (like Aurora's rdsadmin): owns the catalogs, runs admin queries and replication. */
export const ADMIN_USER = 'rdsadmin';

/** Creates a data directory whose bootstrap superuser is ADMIN_USER, password auth (SCRAM) everywhere, 1 MB WAL
 * segments (what the backup archive keeps per segment). */
export async function initdb(bin: string, dataDir: string, adminPassword: string, who: RunAs): Promise<void> {
  const pwfile = `${dataDir}.pw`;
  await fsp.writeFile(pwfile, `${adminPassword}\n`, { mode: 0o600 });
  await chownTree(pwfile, who);
  try {
    const args = ['-D', dataDir, '-U', ADMIN_USER, `--pwfile=${pwfile}`, '--auth-host=scram-sha-256', '--auth-local=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync', '--wal-segsize=1'];
    const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
      const child = spawn(bin, args, { uid: who.uid, gid: who.gid, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
      let text = '';
      child.stdout.on('data', (b: Buffer) => (text += b.toString()));
      child.stderr.on('data', (b: Buffer) => (text += b.toString()));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, text }));
    });
    if (output.code !== 0) throw new Error(`initdb failed: ${output.text.trim().split('\n').slice(-3).join(' ')}`);
  } finally {
    await fsp.rm(pwfile, { force: true });
  }
  await fsp.appendFile(path.join(dataDir, 'postgresql.conf'), BASE_CONF);
}

// Small memory, streaming replication on, no fsync (commits reach the OS page cache, so a killed engine process
// loses nothing; a machine crash may), and fast reconnects of standbys after a failover.
const BASE_CONF = `
# ---- local endpoint settings ----
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 100
shared_buffers = 16MB
work_mem = 2MB
maintenance_work_mem = 16MB
temp_buffers = 2MB
max_worker_processes = 4
max_parallel_workers = 2
max_parallel_workers_per_gather = 1
autovacuum_max_workers = 1
wal_level = replica
# WAL archiving (the archive_command is per instance, in instance.conf): snapshots and point-in-time restores
archive_mode = on
max_wal_senders = 20
max_replication_slots = 20
wal_keep_size = 128MB
min_wal_size = 32MB
max_wal_size = 256MB
hot_standby = on
hot_standby_feedback = on
wal_receiver_status_interval = 1s
wal_retrieve_retry_interval = 500ms
fsync = off
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.max = 1000
log_line_prefix = '%m [%p] '
include_if_exists = 'instance.conf'
`;

export interface InstanceSettings {
  instanceId: string;
  port: number;
  /** The writer to stream from (readers only). */
  primary?: { port: number; password: string };
  /** More settings of this instance (WAL archiving, recovery of a restored writer). */
  extra?: string[];
}

const confString = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
const conninfoValue = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Writes instance.conf (included by postgresql.conf): this instance's port and, on a reader, its writer. */
export async function writeInstanceConf(dataDir: string, s: InstanceSettings, who: RunAs): Promise<void> {
  const lines = [`port = ${s.port}`, `cluster_name = ${confString(s.instanceId)}`];
  if (s.primary) {
    const conninfo = `host=127.0.0.1 port=${s.primary.port} user=${ADMIN_USER} password=${conninfoValue(s.primary.password)} application_name=${conninfoValue(s.instanceId)}`;
    lines.push(`primary_conninfo = ${confString(conninfo)}`);
  }
  lines.push(...(s.extra ?? []));
  const file = path.join(dataDir, 'instance.conf');
  await fsp.writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  await chownTree(file, who);
}

/** Marks a data directory as a standby (or not) for its next start. */
export async function setStandby(dataDir: string, standby: boolean, who: RunAs): Promise<void> {
  const file = path.join(dataDir, 'standby.signal');
  if (!standby) return fsp.rm(file, { force: true });
  await fsp.writeFile(file, '', { mode: 0o600 });
  await chownTree(file, who);
}

// What a base backup leaves out (the pg_basebackup list): runtime files, and the contents of WAL and
// transient-state folders. The standby streams the WAL it needs from the writer (wal_keep_size keeps it).
const SKIP_FILES = new Set(['postmaster.pid', 'postmaster.opts', 'backup_label', 'tablespace_map', 'standby.signal', 'recovery.signal', 'instance.conf']);
const EMPTY_DIRS = new Set(['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans']);

export async function copyTree(src: string, dst: string, top: boolean): Promise<void> {
  await fsp.mkdir(dst, { mode: 0o700 });
  let entries;
  try {
    entries = await fsp.readdir(src, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const entry of entries) {
    const from = path.join(src, entry.name);
    const to = path.join(dst, entry.name);
    if (entry.name.startsWith('pgsql_tmp')) continue;
    if (entry.isDirectory()) {
      if (top && EMPTY_DIRS.has(entry.name)) {
        await fsp.mkdir(to, { mode: 0o700 });
        if (entry.name === 'pg_wal') await fsp.mkdir(path.join(to, 'archive_status'), { mode: 0o700 });
        continue;
      }
      await copyTree(from, to, false);
    } else if (entry.isFile()) {
      if (top && SKIP_FILES.has(entry.name)) continue;
      // Files may vanish while the writer runs (e.g. a dropped relation); WAL replay settles the difference.
      await fsp.copyFile(from, to).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    }
  }
}

/** Runs `fn` with a short admin session on an instance. */
export async function withAdmin<T>(port: number, password: string, fn: (c: pg.Client) => Promise<T>, database = 'postgres'): Promise<T> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: ADMIN_USER, password, database, connectionTimeoutMillis: 5000, application_name: 'rds-engine' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A base backup of a running writer into `dst` (which must not exist): pg_backup_start, file copy,
 * pg_backup_stop, and the backup_label it returns.
 */
export async function baseBackup(srcDir: string, dst: string, writerPort: number, password: string, who: RunAs, label: string): Promise<void> {
  await withAdmin(writerPort, password, async (c) => {
    await c.query('SELECT pg_backup_start($1, true)', [label]);
    let stopped = false;
    try {
      await copyTree(srcDir, dst, true);
      const res = await c.query<{ labelfile: string; spcmapfile: string }>('SELECT labelfile, spcmapfile FROM pg_backup_stop(false)');
      stopped = true;
      await fsp.writeFile(path.join(dst, 'backup_label'), res.rows[0].labelfile, { mode: 0o600 });
      if (res.rows[0].spcmapfile) await fsp.writeFile(path.join(dst, 'tablespace_map'), res.rows[0].spcmapfile, { mode: 0o600 });
    } finally {
      if (!stopped) await c.query('SELECT pg_backup_stop(false)').catch(() => undefined);
    }
  });
  await chownTree(dst, who);
}

/** The control file's state and latest checkpoint location (ControlFileData: state at byte 16, checkPoint at 32). */
export async function controlCheckpoint(dataDir: string): Promise<{ shutDown: boolean; checkpoint: string }> {
  const buf = await fsp.readFile(path.join(dataDir, 'global', 'pg_control'));
  const lsn = buf.readBigUInt64LE(32);
  const DB_SHUTDOWNED = 1;
  return { shutDown: buf.readInt32LE(16) === DB_SHUTDOWNED, checkpoint: `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}` };
}

/**
 * The transactions the counter reads themselves committed on one instance (each read is a session of its own:
 * its start-up transaction and one per statement), so they can be taken out of xact_commit.
 */
export interface OwnCommits {
  n: number;
  /** xact_commit as last read: a smaller value means the server's statistics started again. */
  lastRaw?: number;
  /** The commits last reported: a read never reports fewer (unless the statistics started again). */
  lastOut?: number;
}

/**
 * commits = xact_commit without the counter reads' own transactions (`own`; otherwise every read would add three
 * commits, and reading often would show a busy instance), dml = tup_inserted + tup_updated + tup_deleted,
 * connections = numbackends (client sessions; the sampling session itself excluded), summed over
 * pg_stat_database; selects = calls of SELECT/WITH/TABLE/VALUES statements in pg_stat_statements, the engine's
 * own sessions excluded; replicaLagMs (readers) = now − pg_last_xact_replay_timestamp(), 0 when everything
 * received is replayed.
 */
export async function readCounters(c: pg.Client, reader: boolean, own: OwnCommits = { n: 0 }): Promise<EngineCounters> {
  const db = await c.query<{ commits: string; dml: string; conns: string }>(
    'SELECT sum(xact_commit)::text AS commits, sum(tup_inserted + tup_updated + tup_deleted)::text AS dml, sum(numbackends)::text AS conns FROM pg_stat_database',
  );
  // The earlier reads' sessions have ended, so their transactions are counted by now (a backend reports its
  // statistics before its connection closes); this read's own are added to `own` below, for the next read.
  const raw = Number(db.rows[0].commits ?? 0);
  if (own.lastRaw !== undefined && raw < own.lastRaw) {
    own.n = 0;
    own.lastOut = undefined;
  }
  own.lastRaw = raw;
  const commits = Math.max(own.lastOut ?? 0, raw - own.n);
  own.lastOut = commits;
  let ran = 2; // this session's start-up transaction and the statement above
  const sel = await c
    .query<{ n: string | null }>(
      `SELECT sum(s.calls)::text AS n FROM pg_stat_statements s
        WHERE s.userid <> (SELECT oid FROM pg_roles WHERE rolname = $1) AND s.query ~* '^\\s*(select|with|table|values)\\M'`,
      [ADMIN_USER],
    )
    .then((r) => ((ran += 1), r))
    .catch(() => ({ rows: [{ n: '0' }] }));
  const out: EngineCounters = {
    at: Date.now(),
    commits,
    dml: Number(db.rows[0].dml ?? 0),
    selects: Number(sel.rows[0].n ?? 0),
    connections: Math.max(0, Number(db.rows[0].conns ?? 0) - 1),
  };
  if (reader) {
    const lag = await c.query<{ ms: string | null }>(
      `SELECT (CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
               ELSE GREATEST(0, EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000) END)::text AS ms`,
    );
    out.replicaLagMs = Number(lag.rows[0].ms ?? 0);
    ran += 1;
  }
  own.n += ran;
  return out;
}
