// One MariaDB/MySQL server process: finding the binary, initialising a data directory, starting it with a small
// memory footprint, waiting until it accepts connections, stopping it, and admin connections over its socket.
// Every child is tracked so none outlives the endpoint.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';

export type MysqlFlavour = 'mariadb' | 'mysql';

export interface MysqlServerBinary {
  path: string;
  flavour: MysqlFlavour;
  version: string;
}

let detected: MysqlServerBinary | null | undefined;

/** The MariaDB or MySQL server on this machine (PATH, then /usr/sbin and /usr/local/sbin), or null when none. */
export function detectMysqlServer(): MysqlServerBinary | null {
  if (detected !== undefined) return detected;
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/mysql/bin'];
  detected = null;
  for (const name of ['mariadbd', 'mysqld']) {
    for (const dir of dirs) {
      const candidate = dir && path.join(dir, name);
      if (!candidate || !existsSync(candidate)) continue;
      const out = spawnSync(candidate, ['--version'], { encoding: 'utf8', timeout: 10_000 });
      const text = `${out.stdout ?? ''}${out.stderr ?? ''}`;
      const version = /Ver\s+(\S+)/.exec(text)?.[1];
      if (out.status !== 0 || !version) continue;
      detected = { path: candidate, flavour: /mariadb/i.test(text) ? 'mariadb' : 'mysql', version };
      return detected;
    }
  }
  return detected;
}

/** The command that makes a real MySQL-compatible engine available on Debian/Ubuntu. */
export const MYSQL_INSTALL_HINT = 'apt-get install -y mariadb-server';

/** A client binary next to the server (mariadb-dump, mariadb, mariadb-install-db, mariadb-binlog, or the mysql names). */
export function companionBinary(server: MysqlServerBinary, tool: 'dump' | 'client' | 'install' | 'binlog'): string {
  const names: Record<MysqlFlavour, Record<typeof tool, string[]>> = {
    mariadb: {
      dump: ['mariadb-dump', 'mysqldump'],
      client: ['mariadb', 'mysql'],
      install: ['mariadb-install-db', 'mysql_install_db'],
      binlog: ['mariadb-binlog', 'mysqlbinlog'],
    },
    mysql: { dump: ['mysqldump'], client: ['mysql'], install: [], binlog: ['mysqlbinlog'] },
  };
  const dirs = [path.dirname(server.path), path.join(path.dirname(server.path), '../bin'), ...(process.env.PATH ?? '').split(path.delimiter)];
  for (const name of names[server.flavour][tool]) {
    for (const dir of dirs) {
      const candidate = dir && path.join(dir, name);
      if (candidate && existsSync(candidate)) return candidate;
    }
  }
  throw new Error(`${names[server.flavour][tool][0] ?? tool} not found next to ${server.path}`);
}

// ---- child tracking ----

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Registers a child so it is killed when this process exits. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of children) c.kill('SIGKILL');
    });
  }
}

/** Asks every tracked server to shut down cleanly, then kills what is left after `graceMs`. */
export async function shutdownAllMysqlEngines(graceMs = 10_000): Promise<void> {
  const running = [...children].filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(
    running.map(async (c) => {
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }),
  );
}

// ---- helpers ----

/** Runs a program to completion; rejects with its output when it fails. */
export function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    trackChild(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${path.basename(cmd)} failed (${code}): ${out.trim().slice(-800)}`)),
    );
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Memory settings that keep an idle server small (the defaults take about 100 MB). */
const SMALL_FOOTPRINT = [
  '--innodb-buffer-pool-size=8M',
  '--innodb-log-file-size=4M',
  '--innodb-log-buffer-size=1M',
  '--innodb-flush-log-at-trx-commit=2',
  '--performance-schema=OFF',
  '--key-buffer-size=1M',
  '--max-connections=60',
  '--table-open-cache=200',
  '--table-definition-cache=400',
  '--thread-cache-size=4',
  '--tmp-table-size=1M',
  '--max-heap-table-size=4M',
  '--skip-name-resolve',
];

const MARIADB_ONLY = ['--aria-pagecache-buffer-size=1M', '--query-cache-size=0', '--query-cache-type=0', '--innodb-use-native-aio=0'];

export interface ServerOptions {
  instanceDir: string;
  serverId: number;
  port: number;
  readOnly: boolean;
}

/** Paths of one instance inside its folder. */
export function instancePaths(instanceDir: string): { data: string; socket: string; pidFile: string; errorLog: string } {
  let socket = path.join(instanceDir, 'mysqld.sock');
  // Unix socket paths are limited to about 107 bytes.
  if (Buffer.byteLength(socket) > 100) {
    socket = path.join(os.tmpdir(), `aurora-mysql-${createHash('sha1').update(instanceDir).digest('hex').slice(0, 16)}.sock`);
  }
  return {
    data: path.join(instanceDir, 'data'),
    socket,
    pidFile: path.join(instanceDir, 'mysqld.pid'),
    errorLog: path.join(instanceDir, 'error.log'),
  };
}

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'root';
  }
}

/**
 * Creates an empty data directory (root@localhost without a password, reachable only over the socket). The first
 * one is also kept in `templateDir`: install-db leaves it cleanly shut down, so later instances copy it, which is
 * much faster than initialising again.
 */
export async function initDataDir(server: MysqlServerBinary, instanceDir: string, templateDir: string): Promise<void> {
  const p = instancePaths(instanceDir);
  await mkdir(instanceDir, { recursive: true, mode: 0o700 });
  if (existsSync(path.join(templateDir, 'mysql'))) {
    await cp(templateDir, p.data, { recursive: true });
    return;
  }
  if (server.flavour === 'mariadb') {
    await run(companionBinary(server, 'install'), [
      '--no-defaults',
      `--user=${osUser()}`,
      `--datadir=${p.data}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
      '--innodb-log-file-size=4M',
      '--innodb-buffer-pool-size=8M',
    ]);
  } else {
    await run(server.path, ['--no-defaults', '--initialize-insecure', `--user=${osUser()}`, `--datadir=${p.data}`, '--innodb-log-file-size=4M']);
  }
  await rm(`${templateDir}.tmp`, { recursive: true, force: true });
  await cp(p.data, `${templateDir}.tmp`, { recursive: true });
  // MySQL names each server by the UUID in auto.cnf; a copy must make its own.
  await rm(path.join(`${templateDir}.tmp`, 'auto.cnf'), { force: true });
  await rename(`${templateDir}.tmp`, templateDir);
}

function serverArgs(server: MysqlServerBinary, o: ServerOptions): string[] {
  const p = instancePaths(o.instanceDir);
  const common = [
    '--no-defaults',
    `--user=${osUser()}`,
    `--datadir=${p.data}`,
    `--socket=${p.socket}`,
    `--port=${o.port}`,
    '--bind-address=127.0.0.1',
    `--pid-file=${p.pidFile}`,
    `--log-error=${p.errorLog}`,
    `--server-id=${o.serverId}`,
    '--log-bin=binlog',
    '--relay-log=relay-bin',
    '--binlog-format=ROW',
    '--max-binlog-size=16M',
    '--slave-net-timeout=5',
    `--read-only=${o.readOnly ? 'ON' : 'OFF'}`,
    ...SMALL_FOOTPRINT,
  ];
  if (server.flavour === 'mariadb') {
    return [...common, ...MARIADB_ONLY, '--gtid-strict-mode=ON', '--log-slave-updates=ON', '--skip-slave-start'];
  }
  return [
    ...common,
    '--gtid-mode=ON',
    '--enforce-gtid-consistency=ON',
    '--log-replica-updates=ON',
    '--skip-replica-start',
    '--mysqlx=OFF',
    `--super-read-only=${o.readOnly ? 'ON' : 'OFF'}`,
  ];
}

/** Kills a server left running by an endpoint that died without stopping it (same data directory). */
async function killOrphan(instanceDir: string): Promise<void> {
  const p = instancePaths(instanceDir);
  let pid: number;
  try {
    pid = Number((await readFile(p.pidFile, 'utf8')).trim());
  } catch {
    return;
  }
  if (!pid) return;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!cmdline.includes(p.data)) return;
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) await sleep(50);
}

/** The last error lines the server wrote since byte `from` of its error log. */
async function errorTail(errorLog: string, from = 0): Promise<string> {
  try {
    const lines = (await readFile(errorLog)).subarray(from).toString('utf8').trim().split('\n');
    const errors = lines.filter((l) => /\[ERROR\]/.test(l));
    return (errors.length ? errors.slice(-3) : lines.slice(-3)).join('\n');
  } catch {
    return '';
  }
}

/** A running server. `onExit` hears every exit; `expected` says whether stop()/kill() asked for it. */
export class MysqlServerProcess {
  private child: ChildProcess | null = null;
  private expected = false;
  private exitPromise: Promise<void> = Promise.resolve();

  constructor(
    readonly server: MysqlServerBinary,
    readonly options: ServerOptions,
    private readonly onExit: (code: number | null, signal: string | null, expected: boolean, error: string) => void,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  get paths() {
    return instancePaths(this.options.instanceDir);
  }

  /** Starts the server and resolves once root can connect over the socket. */
  async start(rootPassword: string | undefined, timeoutMs = 60_000): Promise<void> {
    await killOrphan(this.options.instanceDir);
    const logFrom = (await stat(this.paths.errorLog).catch(() => null))?.size ?? 0;
    const log = await open(this.paths.errorLog, 'a');
    const child = spawn(this.server.path, serverArgs(this.server, this.options), { stdio: ['ignore', log.fd, log.fd] });
    await log.close();
    trackChild(child);
    this.child = child;
    this.expected = false;
    let exited = false;
    this.exitPromise = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        exited = true;
        if (this.child === child) this.child = null;
        void errorTail(this.paths.errorLog, logFrom).then((tail) => {
          this.onExit(code, signal, this.expected, tail);
          resolve();
        });
      });
    });
    const deadline = Date.now() + timeoutMs;
    while (!exited) {
      try {
        const conn = await this.connect(rootPassword);
        await conn.end();
        return;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'ER_ACCESS_DENIED_ERROR') throw err;
        if (Date.now() > deadline) {
          await this.kill();
          throw new Error(`server did not accept connections within ${timeoutMs} ms: ${await errorTail(this.paths.errorLog, logFrom)}`);
        }
        await sleep(40);
      }
    }
    throw new Error(`server exited while starting: ${await errorTail(this.paths.errorLog, logFrom)}`);
  }

  /** An admin connection as root over the socket. */
  connect(rootPassword: string | undefined): Promise<mysql.Connection> {
    return mysql.createConnection({ socketPath: this.paths.socket, user: 'root', password: rootPassword ?? '', connectTimeout: 5000 });
  }

  /** Clean shutdown (SIGTERM), then SIGKILL after `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return this.exitPromise;
    this.expected = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exitPromise;
    clearTimeout(timer);
  }

  /** Immediate SIGKILL (for destroy, or to fence an instance). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return this.exitPromise;
    this.expected = true;
    child.kill('SIGKILL');
    await this.exitPromise;
  }
}
