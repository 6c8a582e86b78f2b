// An aurora-mysql cluster on real MariaDB/MySQL servers: one writer and GTID replicas of it, each its own server
// process on 127.0.0.1. Readers run read_only, so the master user's writes there fail with the server's own
// "--read-only option" error, as on Aurora MySQL readers. Roles, ports and internal passwords live in a small
// manifest in the cluster's data folder, so a new engine over the same folder comes back as it was.

import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import { freePort } from './ports';
import { freshManifest, loadManifest, saveManifest, type Manifest, type ManifestInstance } from './mysql-manifest';
import type { ClusterEngine, ClusterEngineSpec, EngineCounters, InstanceEngineInfo, InstanceEngineState } from './types';
import {
  detectMysqlServer,
  initDataDir,
  MYSQL_INSTALL_HINT,
  MysqlServerProcess,
  type MysqlFlavour,
  type MysqlServerBinary,
} from './mysql-server';
import { baseDir, exportBundle, historyAccess, restoreBundle, type HistoryAccess } from './mysql-backup';
import { backtrackWriter, BinlogTally } from './mysql-backtrack';
import {
  adoptOwnHistory,
  beginWriterBook,
  clientConnectionCount,
  cloneInto,
  countersFromStatus,
  createClusterAccounts,
  endWriterBook,
  globalStatus,
  gtidDiverged,
  gtidPosition,
  hardenRoot,
  killClientConnections,
  pauseReplication,
  replicaStatus,
  replicateFrom,
  setReadOnly,
  stopReplication,
  waitForPosition,
  type CommitBook,
} from './mysql-sql';

export { detectMysqlServer, MYSQL_INSTALL_HINT, shutdownAllMysqlEngines } from './mysql-server';
export type { MysqlServerBinary } from './mysql-server';

export interface Runtime {
  proc: MysqlServerProcess | null;
  state: InstanceEngineState;
  error?: string;
  book: CommitBook;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class MysqlClusterEngine implements ClusterEngine {
  readonly family = 'mysql' as const;
  readonly clusterId: string;
  readonly server: MysqlServerBinary;
  protected manifest: Manifest;
  protected readonly runtime = new Map<string, Runtime>();
  private readonly exitListeners: ((id: string, code: number | null, signal: string | null) => void)[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly tally = new BinlogTally();

  constructor(
    protected readonly spec: ClusterEngineSpec,
    server: MysqlServerBinary | null = detectMysqlServer(),
  ) {
    if (!server) throw new Error(`No MySQL-compatible server is installed; to enable it run: ${MYSQL_INSTALL_HINT}`);
    this.server = server;
    this.clusterId = spec.clusterId;
    this.manifest = loadManifest(spec.dataDir, server.flavour);
  }

  // ---- ClusterEngine ----

  createWriter(instanceId: string): Promise<void> {
    return this.serial(async () => {
      const existing = this.manifest.instances[instanceId];
      if (existing) return this.ensureRunning(instanceId);
      if (this.writerId()) throw new Error(`cluster ${this.clusterId} already has a writer (${this.writerId()})`);
      await this.bootstrap(instanceId, 'writer', async (conn) => {
        await createClusterAccounts(conn, this.server.flavour, { ...this.spec, replPassword: this.manifest.replPassword });
        this.manifest.instances[instanceId].baseAt = Date.now(); // everything after the empty data directory is logged
      });
    });
  }

  addReader(instanceId: string): Promise<void> {
    return this.serial(async () => {
      if (this.manifest.instances[instanceId]) return this.ensureRunning(instanceId);
      await this.buildReader(instanceId);
    });
  }

  removeInstance(instanceId: string): Promise<void> {
    return this.serial(async () => {
      if (!this.manifest.instances[instanceId]) return;
      if (this.writerId() === instanceId) {
        const next = this.readerIds().find((id) => this.rt(id).proc?.running);
        if (next) await this.doFailover(next);
      }
      await this.rt(instanceId).proc?.kill();
      await rm(this.instanceDir(instanceId), { recursive: true, force: true });
      delete this.manifest.instances[instanceId];
      this.runtime.delete(instanceId);
      this.saveManifest();
    });
  }

  failover(targetInstanceId: string): Promise<void> {
    return this.serial(() => this.doFailover(targetInstanceId));
  }

  promoteAfterCrash(targetInstanceId: string): Promise<void> {
    return this.serial(async () => {
      const oldId = this.writerId();
      if (oldId === targetInstanceId) return;
      this.requireRunningReader(targetInstanceId);
      if (oldId) await this.rt(oldId).proc?.kill(); // fence it: never two writers
      let promotedAt = '';
      await this.admin(targetInstanceId, async (conn) => {
        await stopReplication(conn, this.server.flavour);
        await setReadOnly(conn, this.server.flavour, false);
        promotedAt = await gtidPosition(conn, this.server.flavour);
        beginWriterBook(this.rt(targetInstanceId).book, await globalStatus(conn));
      });
      this.setRoles(targetInstanceId, oldId);
      // Readers that got further than the target, like the old writer, hold transactions it never saw.
      const others = this.readerIds().filter((id) => id !== oldId && this.rt(id).proc?.running);
      await Promise.all(others.map((id) => this.rejoin(id, promotedAt)));
      if (oldId) await this.rejoin(oldId, promotedAt);
      await this.waitReplicasStreaming();
    });
  }

  reboot(instanceId: string): Promise<void> {
    return this.serial(async () => {
      const m = this.requireInstance(instanceId);
      const before = m.port;
      await this.rt(instanceId).proc?.stop();
      await this.startInstance(instanceId);
      if (m.role === 'reader') await this.followWriter(instanceId);
      else if (m.port !== before) for (const id of this.readerIds()) if (this.rt(id).proc?.running) await this.followWriter(id);
    });
  }

  stop(): Promise<void> {
    return this.serial(async () => {
      await Promise.all(this.readerIds().map((id) => this.rt(id).proc?.stop()));
      const w = this.writerId();
      if (w) await this.rt(w).proc?.stop();
    });
  }

  start(): Promise<void> {
    return this.serial(async () => {
      const w = this.writerId();
      if (w) await this.ensureRunning(w);
      await Promise.all(this.readerIds().map((id) => this.ensureRunning(id)));
    });
  }

  destroy(): Promise<void> {
    return this.serial(async () => {
      await Promise.all([...this.runtime.values()].map((r) => r.proc?.kill()));
      await rm(this.spec.dataDir, { recursive: true, force: true });
      this.runtime.clear();
      this.manifest = freshManifest(this.server.flavour);
    });
  }

  instances(): InstanceEngineInfo[] {
    return Object.entries(this.manifest.instances).map(([instanceId, m]) => {
      const rt = this.runtime.get(instanceId);
      return {
        instanceId,
        role: m.role,
        state: rt?.state ?? 'stopped',
        backendPort: m.port || undefined,
        pid: rt?.proc?.running ? rt.proc.pid : undefined,
        error: rt?.error,
      };
    });
  }

  async counters(instanceId: string): Promise<EngineCounters> {
    const role = this.requireInstance(instanceId).role;
    return this.admin(instanceId, async (conn) => {
      const counters = countersFromStatus(await globalStatus(conn), this.rt(instanceId).book, await clientConnectionCount(conn));
      if (role === 'writer') await this.tally.refresh(this.history()); // backtrack's change records, for the same sample
      if (role === 'reader') {
        const st = await replicaStatus(conn, this.server.flavour);
        if (st?.lagSeconds !== null && st?.lagSeconds !== undefined) counters.replicaLagMs = st.lagSeconds * 1000;
      }
      return counters;
    });
  }

  onUnexpectedExit(listener: (instanceId: string, code: number | null, signal: string | null) => void): void {
    this.exitListeners.push(listener);
  }

  // ---- backups and time travel (mysql-backup.ts, mysql-backtrack.ts) ----

  exportData(at: number | 'now', dir: string): Promise<{ bytes: number }> {
    return this.serial(() => exportBundle(this.history(), at, dir));
  }

  createWriterFrom(instanceId: string, bundleDir: string): Promise<void> {
    return this.serial(async () => {
      if (this.manifest.instances[instanceId]) return this.ensureRunning(instanceId);
      if (this.writerId()) throw new Error(`cluster ${this.clusterId} already has a writer (${this.writerId()})`);
      await this.bootstrap(instanceId, 'writer', async (conn, proc) => {
        await restoreBundle(this.history(), conn, proc.paths.socket, bundleDir, this.instanceDir(instanceId));
        this.manifest.instances[instanceId].baseAt = Date.now();
      });
    });
  }

  restorableWindow(): { earliest: number; latest: number } | undefined {
    const w = this.writerId();
    const earliest = w && this.server.flavour === 'mariadb' ? this.manifest.instances[w].baseAt : undefined; // needs mariadb-binlog
    return earliest === undefined || !this.rt(w!).proc?.running ? undefined : { earliest, latest: Date.now() };
  }

  backtrack(toTime: number): Promise<void> {
    return this.serial(async () => {
      await backtrackWriter(this.history(), toTime);
      await this.tally.refresh(this.history());
    });
  }

  backtrackWindow(): { earliest: number; changeRecords: number } | undefined {
    const window = this.restorableWindow();
    if (!window) return undefined;
    void this.tally.refresh(this.history());
    return { earliest: window.earliest, changeRecords: this.tally.changeRecords };
  }

  // ---- lifecycle steps ----

  private async doFailover(targetId: string): Promise<void> {
    const oldId = this.writerId();
    if (oldId === targetId) return;
    const target = this.requireRunningReader(targetId);
    if (!oldId || !this.rt(oldId).proc?.running) throw new Error('the writer is not running; promote the reader after the crash instead');
    const f = this.server.flavour;
    // 1. Fence the old writer: no client session, no new write.
    let position = '';
    await this.admin(oldId, async (conn) => {
      await killClientConnections(conn);
      await setReadOnly(conn, f, true);
      await killClientConnections(conn);
      position = await gtidPosition(conn, f);
      endWriterBook(this.rt(oldId).book, await globalStatus(conn));
    });
    // 2. The target applies everything the old writer committed, then becomes the writer.
    try {
      await this.admin(targetId, async (conn) => {
        await waitForPosition(conn, f, position, 30);
        await stopReplication(conn, f);
        await setReadOnly(conn, f, false);
        beginWriterBook(this.rt(targetId).book, await globalStatus(conn));
      });
    } catch (err) {
      await this.admin(oldId, async (conn) => {
        await setReadOnly(conn, f, false);
        beginWriterBook(this.rt(oldId).book, await globalStatus(conn));
      });
      throw err;
    }
    this.setRoles(targetId, oldId);
    // 3. The old writer and the other readers replicate from the new writer.
    await this.admin(oldId, (conn) => adoptOwnHistory(conn, f));
    await this.repointReaders(target.port);
    await this.waitReplicasStreaming();
  }

  /**
   * After a crash promotion: an instance (restarted if it is down) replicates from the new writer with its own data,
   * or from a fresh clone when it has transactions the new writer lacks.
   */
  private async rejoin(oldId: string, promotedAt: string): Promise<void> {
    let diverged = true;
    try {
      await this.startInstance(oldId);
      await this.admin(oldId, async (conn) => {
        await pauseReplication(conn, this.server.flavour);
        diverged = gtidDiverged(await gtidPosition(conn, this.server.flavour), promotedAt, this.server.flavour);
        if (!diverged) await adoptOwnHistory(conn, this.server.flavour);
      });
    } catch {
      diverged = true; // it cannot even start: rebuild it
    }
    if (diverged) {
      await this.rt(oldId).proc?.kill();
      await this.buildReader(oldId); // a new data directory and server id, same place in the list
    } else {
      await this.followWriter(oldId);
    }
  }

  protected async buildReader(instanceId: string): Promise<void> {
    const writerId = this.writerId();
    if (!writerId || !this.rt(writerId).proc?.running) throw new Error(`the writer of ${this.clusterId} is not running`);
    const writer = this.rt(writerId).proc!;
    await this.bootstrap(instanceId, 'reader', async (conn, proc) => {
      // The clone dump is kept as this instance's history base, for when it becomes the writer.
      const at = Date.now();
      const base = baseDir(this.instanceDir(instanceId));
      await mkdir(base, { recursive: true, mode: 0o700 });
      await this.admin(writerId, (writerConn) =>
        cloneInto(this.server, { socket: writer.paths.socket, conn: writerConn }, { socket: proc.paths.socket }, this.manifest.adminPassword, `${base}/00-clone.sql`),
      );
      this.manifest.instances[instanceId].baseAt = at;
      // Not binlogged: a replica's own GTIDs would clash with the writer's in strict mode.
      await conn.query('SET SESSION sql_log_bin = 0');
      await conn.query('FLUSH PRIVILEGES');
    });
    await this.followWriter(instanceId);
    await this.waitStreaming(instanceId);
  }

  /** install-db, first start, root locked down, then `setup`; on failure the half-made instance is removed. */
  protected async bootstrap(
    instanceId: string,
    role: 'writer' | 'reader',
    setup: (conn: mysql.Connection, proc: MysqlServerProcess) => Promise<void>,
  ): Promise<void> {
    const dir = this.instanceDir(instanceId);
    try {
      await rm(dir, { recursive: true, force: true });
      await initDataDir(this.server, dir, path.join(this.spec.dataDir, '.template'));
      this.manifest.instances[instanceId] = { role, serverId: this.manifest.nextServerId++, port: 0 };
      await this.startInstance(instanceId, '');
      const proc = this.rt(instanceId).proc!;
      const conn = await proc.connect('');
      try {
        await hardenRoot(conn, this.manifest.adminPassword);
        await setup(conn, proc);
      } finally {
        await conn.end();
      }
      this.saveManifest();
    } catch (err) {
      await this.rt(instanceId).proc?.kill();
      await rm(dir, { recursive: true, force: true });
      delete this.manifest.instances[instanceId];
      this.runtime.delete(instanceId);
      this.saveManifest();
      throw err;
    }
  }

  private async ensureRunning(instanceId: string): Promise<void> {
    if (this.rt(instanceId).proc?.running) return;
    await this.startInstance(instanceId);
    if (this.manifest.instances[instanceId].role === 'reader') await this.followWriter(instanceId);
  }

  /** Starts the server on its recorded port (another one when that is taken). */
  protected async startInstance(instanceId: string, rootPassword = this.manifest.adminPassword): Promise<void> {
    const m = this.requireInstance(instanceId);
    const rt = this.rt(instanceId);
    if (rt.proc?.running) return;
    for (let attempt = 0; ; attempt++) {
      m.port = await freePort(attempt === 0 ? m.port || undefined : undefined);
      const options = { instanceDir: this.instanceDir(instanceId), serverId: m.serverId, port: m.port, readOnly: m.role === 'reader' };
      const proc = new MysqlServerProcess(this.server, options, (code, signal, expected, error) => {
        if (rt.proc !== proc) return;
        rt.state = expected ? 'stopped' : 'failed';
        rt.error = expected ? undefined : error || `exited (${signal ?? code})`;
        if (!expected) for (const l of this.exitListeners) l(instanceId, code, signal);
      });
      rt.proc = proc;
      rt.state = 'starting';
      rt.error = undefined;
      rt.book = { binlog: 0, comCommit: 0, since: m.role === 'writer' ? { binlog: 0, comCommit: 0 } : undefined };
      try {
        await proc.start(rootPassword);
        rt.state = 'running';
        this.saveManifest();
        return;
      } catch (err) {
        const message = (err as Error).message;
        rt.state = 'failed';
        rt.error = message;
        if (attempt < 2 && /address already in use|bind on tcp/i.test(message)) continue;
        throw err;
      }
    }
  }

  private async followWriter(instanceId: string): Promise<void> {
    const writerId = this.writerId();
    if (!writerId) throw new Error(`cluster ${this.clusterId} has no writer`);
    const port = this.manifest.instances[writerId].port;
    await this.admin(instanceId, (conn) => replicateFrom(conn, this.server.flavour, port, this.manifest.replPassword));
  }

  private async repointReaders(writerPort: number, skip?: string): Promise<void> {
    await Promise.all(
      this.readerIds()
        .filter((id) => id !== skip && this.rt(id).proc?.running)
        .map((id) => this.admin(id, (conn) => replicateFrom(conn, this.server.flavour, writerPort, this.manifest.replPassword))),
    );
  }

  /** Resolves when the replica's I/O and SQL threads both run; rejects with the replica's own error. */
  protected async waitStreaming(instanceId: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const st = await this.admin(instanceId, (conn) => replicaStatus(conn, this.server.flavour));
      if (st?.ioRunning && st.sqlRunning) return;
      if (Date.now() > deadline) throw new Error(`replica ${instanceId} is not replicating: ${st?.lastError || 'no replication configured'}`);
      await sleep(25);
    }
  }

  private async waitReplicasStreaming(): Promise<void> {
    await Promise.all(this.readerIds().filter((id) => this.rt(id).proc?.running).map((id) => this.waitStreaming(id, 15_000)));
  }

  private setRoles(writerId: string, demoted?: string): void {
    this.manifest.instances[writerId].role = 'writer';
    if (demoted && this.manifest.instances[demoted]) this.manifest.instances[demoted].role = 'reader';
    this.saveManifest();
  }

  // ---- plumbing ----

  protected serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  protected async admin<T>(instanceId: string, fn: (conn: mysql.Connection) => Promise<T>): Promise<T> {
    const proc = this.rt(instanceId).proc;
    if (!proc?.running) throw new Error(`instance ${instanceId} is not running`);
    const conn = await proc.connect(this.manifest.adminPassword);
    try {
      return await fn(conn);
    } finally {
      await conn.end().catch(() => undefined);
    }
  }

  /** What mysql-backup.ts and mysql-backtrack.ts work with. */
  private history(): HistoryAccess {
    const { server, manifest, clusterId } = this;
    return historyAccess({ server, manifest, clusterId, proc: (id) => this.rt(id).proc, dir: (id) => this.instanceDir(id), admin: (id, fn) => this.admin(id, fn) });
  }

  protected rt(instanceId: string): Runtime {
    let rt = this.runtime.get(instanceId);
    if (!rt) {
      rt = { proc: null, state: 'stopped', book: { binlog: 0, comCommit: 0 } };
      this.runtime.set(instanceId, rt);
    }
    return rt;
  }

  protected writerId(): string | undefined {
    return Object.keys(this.manifest.instances).find((id) => this.manifest.instances[id].role === 'writer');
  }

  protected readerIds(): string[] {
    return Object.keys(this.manifest.instances).filter((id) => this.manifest.instances[id].role === 'reader');
  }

  private requireInstance(instanceId: string): ManifestInstance {
    const m = this.manifest.instances[instanceId];
    if (!m) throw new Error(`instance ${instanceId} is not part of cluster ${this.clusterId}`);
    return m;
  }

  private requireRunningReader(instanceId: string): ManifestInstance {
    const m = this.requireInstance(instanceId);
    if (m.role !== 'reader') throw new Error(`instance ${instanceId} is not a reader`);
    if (!this.rt(instanceId).proc?.running) throw new Error(`instance ${instanceId} is not running`);
    return m;
  }

  protected instanceDir(instanceId: string): string {
    return path.join(this.spec.dataDir, instanceId);
  }

  protected saveManifest(): void {
    saveManifest(this.spec.dataDir, this.manifest);
  }
}
