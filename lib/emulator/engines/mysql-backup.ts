// Point-in-time export and restore for aurora-mysql on MariaDB. Every writer has a history: a base (nothing for a
// writer created empty; the clone dump for a reader that was promoted; the restored bundle for a restored writer)
// and its own binary log, in ROW format with full row images, since `baseAt`. The data committed at T is the base
// with the binary log replayed up to T (`mariadb-binlog --stop-datetime`). A snapshot ('now') is a consistent
// `mariadb-dump --single-transaction`. A bundle is a folder of SQL files applied in name order, plus bundle.json.
//
// Resolution: binary log events carry whole-second timestamps, so T is rounded to its second: everything committed
// up to the end of T's second is in, nothing after it (the same rule as backtrack, mysql-backtrack.ts).
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import type { Manifest } from './mysql-manifest';
import { companionBinary, trackChild, type MysqlServerBinary, type MysqlServerProcess } from './mysql-server';
import { REPL_USER } from './mysql-sql';

type Conn = mysql.Connection;

/** One instance as the history functions see it. */
export interface HistoryInstance {
  id: string;
  /** The instance's folder (its data directory is `data/`, its history base `base/`). */
  dir: string;
  socket: string;
  baseAt?: number;
}

/** What the engine lends the backup and backtrack functions. */
export interface HistoryAccess {
  server: MysqlServerBinary;
  adminPassword: string;
  replPassword: string;
  /** The writer, running; throws when there is none. */
  writer(): HistoryInstance;
  /** The readers that are running. */
  readers(): HistoryInstance[];
  admin<T>(instanceId: string, fn: (conn: Conn) => Promise<T>): Promise<T>;
}

/** The engine's view for these functions: its manifest, processes and admin connections. */
export function historyAccess(e: {
  server: MysqlServerBinary;
  manifest: Manifest;
  clusterId: string;
  proc: (id: string) => MysqlServerProcess | null;
  dir: (id: string) => string;
  admin: HistoryAccess['admin'];
}): HistoryAccess {
  const running = (id: string) => !!e.proc(id)?.running;
  const view = (id: string): HistoryInstance => ({ id, dir: e.dir(id), socket: e.proc(id)!.paths.socket, baseAt: e.manifest.instances[id].baseAt });
  const ids = (role: 'writer' | 'reader') => Object.keys(e.manifest.instances).filter((id) => e.manifest.instances[id].role === role);
  return {
    server: e.server,
    adminPassword: e.manifest.adminPassword,
    replPassword: e.manifest.replPassword,
    writer: () => {
      const w = ids('writer')[0];
      if (!w || !running(w)) throw new Error(`the writer of ${e.clusterId} is not running`);
      return view(w);
    },
    readers: () => ids('reader').filter(running).map(view),
    admin: e.admin,
  };
}

const BUNDLE = 'bundle.json';

interface BundleManifest {
  family: 'mysql';
  flavour: 'mariadb';
  /** What the bundle holds: the data committed at this time (ms), rounded up to the end of its second. */
  at: number;
  files: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const iso = (ms: number) => new Date(ms).toISOString();

/** The first whole second after `ms`: binary log events before it count as committed by `ms`. */
export function binlogCut(ms: number): number {
  return (Math.floor(ms / 1000) + 1) * 1000;
}

/** A time in the form mariadb-binlog reads (run with TZ=UTC). */
export function binlogDatetime(ms: number): string {
  return iso(ms).slice(0, 19).replace('T', ' ');
}

export const baseDir = (instanceDir: string) => path.join(instanceDir, 'base');

export function requireMariadb(server: MysqlServerBinary, what: string): void {
  if (server.flavour !== 'mariadb') throw new Error(`${what} on the real engine needs MariaDB (mariadb-binlog); this server is MySQL ${server.version}`);
}

/** The writer's binary log files, oldest first, as paths. */
export async function binlogFiles(h: HistoryAccess, w: HistoryInstance): Promise<string[]> {
  const logs = await h.admin(w.id, async (conn) => (await conn.query<RowDataPacket[]>('SHOW BINARY LOGS'))[0]);
  return logs.map((r) => path.join(w.dir, 'data', String(r.Log_name)));
}

/** Runs a tool with its standard output into `outFile`; rejects with its error output when it fails. */
export function toolToFile(cmd: string, args: string[], outFile: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    trackChild(child);
    const out = createWriteStream(outFile, { mode: 0o600 });
    let errors = '';
    child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    child.stdout.pipe(out);
    let code: number | null | undefined;
    let written = false;
    const settle = () => {
      if (code === undefined || !written) return;
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(cmd)} failed (${code}): ${errors.trim().slice(-800)}`));
    };
    out.once('finish', () => ((written = true), settle()));
    out.once('error', reject);
    child.once('error', reject);
    child.once('exit', (c) => ((code = c), settle()));
  });
}

/** Feeds an SQL file to the client as root over the socket; resolves with its exit code and error output. */
export function sqlFileInto(h: HistoryAccess, socket: string, file: string, extraArgs: string[] = []): Promise<{ code: number | null; errors: string }> {
  return new Promise((resolve, reject) => {
    const args = ['-uroot', `--socket=${socket}`, '--binary-mode', ...extraArgs];
    const child = spawn(companionBinary(h.server, 'client'), args, {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, MYSQL_PWD: h.adminPassword },
    });
    trackChild(child);
    let errors = '';
    child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    child.stdin.on('error', () => undefined);
    createReadStream(file).once('error', reject).pipe(child.stdin);
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, errors }));
  });
}

async function sizeOf(dir: string, files: string[]): Promise<number> {
  let bytes = 0;
  for (const f of files) bytes += (await stat(path.join(dir, f))).size;
  return bytes;
}

/** The base SQL files of an instance, in the order they apply. */
async function baseFiles(instanceDir: string): Promise<string[]> {
  try {
    return (await readdir(baseDir(instanceDir))).filter((f) => f.endsWith('.sql')).sort();
  } catch {
    return [];
  }
}

async function userDatabases(conn: Conn): Promise<string[]> {
  const [r] = await conn.query<RowDataPacket[]>(
    "SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')",
  );
  return r.map((x) => String(x.s));
}

/**
 * exportData: writes into `dir` what a new writer needs to hold exactly the data committed at `at` (or now, for a
 * snapshot). Rejects when `at` lies before the writer's history or in the future.
 */
export async function exportBundle(h: HistoryAccess, at: number | 'now', dir: string): Promise<{ bytes: number }> {
  requireMariadb(h.server, 'Export');
  const w = h.writer();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files: string[] = [];
  let cut: number;
  if (at === 'now') {
    cut = Date.now();
    const dbs = await h.admin(w.id, userDatabases);
    const args = ['-uroot', `--socket=${w.socket}`, '--single-transaction', '--routines', '--events', '--triggers', '--gtid', '--system=users', '--insert-ignore'];
    if (dbs.length) args.push('--databases', ...dbs);
    files.push('00-dump.sql');
    await toolToFile(companionBinary(h.server, 'dump'), args, path.join(dir, files[0]), { ...process.env, MYSQL_PWD: h.adminPassword });
  } else {
    if (w.baseAt === undefined) throw new Error(`the binary log of ${w.id} does not reach back to a known base; no point in time can be restored`);
    if (at < w.baseAt) throw new Error(`${iso(at)} is before the earliest restorable time of this cluster (${iso(w.baseAt)})`);
    if (at > Date.now()) throw new Error(`${iso(at)} is in the future`);
    cut = binlogCut(at);
    // Commits of T's own second may still be arriving: wait until that second is over.
    const wait = cut + 100 - Date.now();
    if (wait > 0) await sleep(wait);
    const base = await baseFiles(w.dir);
    for (const [n, f] of base.entries()) {
      const name = `${String(n).padStart(2, '0')}-base-${f}`;
      await copyFile(path.join(baseDir(w.dir), f), path.join(dir, name));
      files.push(name);
    }
    // Through the server rather than from the files: it sends only whole events, even while clients write.
    const first = path.basename((await binlogFiles(h, w))[0]);
    const name = `${String(base.length).padStart(2, '0')}-binlog.sql`;
    const args = ['--read-from-remote-server', '-uroot', `--socket=${w.socket}`, '--to-last-log', `--stop-datetime=${binlogDatetime(cut)}`, first];
    await toolToFile(companionBinary(h.server, 'binlog'), args, path.join(dir, name), { ...process.env, TZ: 'UTC', MYSQL_PWD: h.adminPassword });
    files.push(name);
  }
  const manifest: BundleManifest = { family: 'mysql', flavour: 'mariadb', at: cut, files };
  await writeFile(path.join(dir, BUNDLE), JSON.stringify(manifest, null, 2), { mode: 0o600 });
  return { bytes: await sizeOf(dir, [...files, BUNDLE]) };
}

/**
 * createWriterFrom: fills a fresh, running writer (root already locked down) from a bundle: the files are applied
 * without binary logging (they become the writer's base, copied into `base/`), then the replication account is set
 * to this cluster's password. The users and passwords of the source come with the data.
 */
export async function restoreBundle(h: HistoryAccess, conn: Conn, socket: string, bundleDir: string, instanceDir: string): Promise<void> {
  requireMariadb(h.server, 'Restore');
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(bundleDir, BUNDLE), 'utf8')) as BundleManifest;
  } catch {
    throw new Error(`${bundleDir} is not an aurora-mysql backup (no ${BUNDLE})`);
  }
  if (manifest.family !== 'mysql') throw new Error(`${bundleDir} holds a ${manifest.family} backup, not an aurora-mysql one`);
  await mkdir(baseDir(instanceDir), { recursive: true, mode: 0o700 });
  await conn.query('SET SESSION sql_log_bin = 0');
  for (const f of manifest.files) {
    const { code, errors } = await sqlFileInto(h, socket, path.join(bundleDir, f), ['--init-command=SET SESSION sql_log_bin = 0']);
    if (code !== 0) throw new Error(`restoring ${f} failed: ${errors.trim().slice(-800)}`);
    // A dump's accounts include the source's root: this engine's root keeps its own password.
    await conn.query("ALTER USER 'root'@'localhost' IDENTIFIED BY ?", [h.adminPassword]);
    await copyFile(path.join(bundleDir, f), path.join(baseDir(instanceDir), f));
  }
  await conn.query('STOP SLAVE');
  await conn.query('RESET SLAVE ALL');
  await conn.query("SET GLOBAL gtid_slave_pos = ''");
  await conn.query('FLUSH PRIVILEGES');
  await conn.query('SET SESSION sql_log_bin = 1');
  await conn.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [REPL_USER, '127.0.0.1', h.replPassword]);
  await conn.query('ALTER USER ?@? IDENTIFIED BY ?', [REPL_USER, '127.0.0.1', h.replPassword]);
  await conn.query('GRANT REPLICATION SLAVE ON *.* TO ?@?', [REPL_USER, '127.0.0.1']);
}
