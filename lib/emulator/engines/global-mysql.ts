// An aurora-mysql cluster that can be a member of a global database (the MariaDB/MySQL counterpart of
// global-postgres.ts). As the primary it is an ordinary MysqlClusterEngine. As a secondary its writer instance (the
// one the cluster endpoint reaches) is a GTID replica of the PRIMARY cluster's writer, cloned from it with the same
// dump addReader uses, and runs read_only: the master user's writes fail with the server's own "--read-only option"
// error. Its readers replicate from it as from any writer (log-slave-updates). Role changes of the global database
// (global-sync.ts) promote it (STOP SLAVE; RESET SLAVE ALL; read_only=0) or point it at a new primary.
import { loadGlobalRole, saveGlobalRole } from './global-role-file';
import { randomInt } from 'node:crypto';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import type { ClusterEngineSpec } from './types';
import type { GlobalRole, GlobalUpstream } from './global-postgres';
import { MysqlClusterEngine } from './mysql';
import { instancePaths } from './mysql-server';
import { adoptOwnHistory, cloneInto, gtidPosition, killClientConnections, pauseReplication, replicaStatus, replicateFrom, setReadOnly, stopReplication, waitForPosition } from './mysql-sql';

const STREAM_TIMEOUT_S = 30;

export class GlobalMysqlEngine extends MysqlClusterEngine {
  /** `region/clusterId` of the primary cluster this one replicates from; undefined while it is writable. */
  following?: string;
  private upstreamPort?: number;

  constructor(
    spec: ClusterEngineSpec,
    private readonly role: GlobalRole,
  ) {
    super(spec);
    ({ following: this.following, upstreamPort: this.upstreamPort } = loadGlobalRole(spec.dataDir));
  }

  /** The running writer, as an upstream for a secondary (or undefined). */
  writerInfo(): { port: number; password: string; dir: string; replPassword: string } | undefined {
    const id = this.writerId();
    if (!id || this.rt(id).state !== 'running' || !this.rt(id).proc?.running) return undefined;
    return { port: this.manifest.instances[id].port, password: this.manifest.adminPassword, dir: this.instanceDir(id), replPassword: this.manifest.replPassword };
  }

  /** A secondary's first instance is a replica of the primary's writer; a primary's is created as usual. */
  override createWriter(instanceId: string): Promise<void> {
    const r = this.role();
    if (!r.secondary || this.manifest.instances[instanceId]) return super.createWriter(instanceId);
    return this.serial(async () => {
      const up = r.upstream;
      if (!up?.port) throw new Error('the primary cluster of the global database has no running writer to replicate from yet');
      if (this.writerId()) throw new Error(`cluster ${this.clusterId} already has a writer (${this.writerId()})`);
      await this.buildWriterReplica(instanceId, up);
    });
  }

  /**
   * A failover inside a secondary (FailoverDBCluster, or its writer dying) must not leave it writable: the base
   * engine promotes the target, then it goes read-only again and replicates from the primary cluster.
   */
  override failover(targetInstanceId: string): Promise<void> {
    return this.following ? super.failover(targetInstanceId).then(() => this.refollow()) : super.failover(targetInstanceId);
  }

  override promoteAfterCrash(targetInstanceId: string): Promise<void> {
    return this.following ? super.promoteAfterCrash(targetInstanceId).then(() => this.refollow()) : super.promoteAfterCrash(targetInstanceId);
  }

  private refollow(): Promise<void> {
    const port = this.upstreamPort;
    return this.serial(() =>
      this.onWriter(async (conn) => {
        await setReadOnly(conn, this.server.flavour, true);
        if (port) await replicateFrom(conn, this.server.flavour, port, this.manifest.replPassword);
      }),
    );
  }

  /** Planned switchover, on the old primary: no more writes (read_only, sessions dropped); its last GTID position. */
  handOver(): Promise<string> {
    return this.serial(() =>
      this.onWriter(async (conn) => {
        await setReadOnly(conn, this.server.flavour, true);
        await killClientConnections(conn);
        return gtidPosition(conn, this.server.flavour);
      }),
    );
  }

  /** Undoes handOver when the switchover cannot go on: the writer takes writes again. */
  resume(): Promise<void> {
    return this.serial(() => this.onWriter((conn) => setReadOnly(conn, this.server.flavour, false)));
  }

  /** Resolves when this secondary's writer has applied `position` (MASTER_GTID_WAIT). */
  waitReplayed(position: string, timeoutS = STREAM_TIMEOUT_S): Promise<void> {
    return this.onWriter((conn) => waitForPosition(conn, this.server.flavour, position, timeoutS));
  }

  /** The secondary becomes writable with what it has applied; its readers keep replicating from its writer. */
  globalPromote(): Promise<void> {
    return this.serial(async () => {
      if (!this.following) return;
      await this.onWriter(async (conn) => {
        await stopReplication(conn, this.server.flavour);
        await setReadOnly(conn, this.server.flavour, false);
      });
      this.following = undefined;
      this.upstreamPort = undefined;
      await this.saveGlobal();
    });
  }

  /**
   * This cluster becomes a secondary of `up`. Without `rebuild` (after a planned switchover: it has nothing the new
   * primary lacks) the writer replicates from `up` with its own data; with it, or when that fails, every instance is
   * rebuilt from a clone of the new primary (what it had not replicated is gone).
   */
  follow(up: GlobalUpstream, rebuild: boolean): Promise<void> {
    return this.serial(async () => {
      const w = this.writerId();
      if (!w || !up.port) return;
      if (!rebuild) {
        try {
          await this.admin(w, async (conn) => {
            await setReadOnly(conn, this.server.flavour, true);
            if (!this.following) await adoptOwnHistory(conn, this.server.flavour);
            await replicateFrom(conn, this.server.flavour, up.port!, up.replPassword ?? this.manifest.replPassword);
          });
          this.following = up.key;
          this.upstreamPort = up.port;
          this.manifest.replPassword = up.replPassword ?? this.manifest.replPassword;
          this.saveManifest();
          await this.saveGlobal();
          await this.waitStreaming(w, 10_000);
          return;
        } catch {
          // diverged: rebuild below
        }
      }
      const readers = this.readerIds();
      await Promise.all([w, ...readers].map((id) => this.rt(id).proc?.kill()));
      delete this.manifest.instances[w];
      await this.buildWriterReplica(w, up);
      for (const id of readers) {
        delete this.manifest.instances[id];
        await this.buildReader(id).catch(() => undefined);
      }
    });
  }

  /**
   * Each pass: the writer replicates from `port` and stays read-only (a restart starts it writable and without
   * replication); undefined stops replication, as a lost region would.
   */
  setUpstreamPort(port: number | undefined): Promise<void> {
    return this.serial(async () => {
      const w = this.writerId();
      if (!w || !this.following || !this.rt(w).proc?.running) return;
      await this.admin(w, async (conn) => {
        await setReadOnly(conn, this.server.flavour, true);
        const st = await replicaStatus(conn, this.server.flavour);
        if (port === undefined) {
          if (st?.ioRunning) await pauseReplication(conn, this.server.flavour);
        } else if (port !== this.upstreamPort || !st?.ioRunning || !st.sqlRunning) {
          await replicateFrom(conn, this.server.flavour, port, this.manifest.replPassword);
        }
      });
      if (port !== this.upstreamPort) {
        this.upstreamPort = port;
        await this.saveGlobal();
      }
    });
  }

  /**
   * Replication lag in ms: 0 when the secondary's writer has applied everything the primary's writer has; otherwise
   * how long it takes to apply what the primary had when asked (MASTER_GTID_WAIT, up to 1 s), or
   * Seconds_Behind_Master when it is further behind than that.
   */
  async lagMs(up: GlobalUpstream): Promise<number | undefined> {
    const w = this.writerId();
    if (!w || !up.port || !this.rt(w).proc?.running) return undefined;
    const primary = await mysql.createConnection({ socketPath: instancePaths(up.dir).socket, user: 'root', password: up.password, connectTimeout: 2000 });
    let target = '';
    try {
      target = await gtidPosition(primary, this.server.flavour);
    } finally {
      await primary.end().catch(() => undefined);
    }
    return this.admin(w, async (conn) => {
      const t0 = performance.now();
      try {
        await waitForPosition(conn, this.server.flavour, target, 1);
        return performance.now() - t0;
      } catch {
        const st = await replicaStatus(conn, this.server.flavour);
        return Math.max(1000, (st?.lagSeconds ?? 0) * 1000);
      }
    });
  }

  /** A new writer instance: a clone of the upstream writer, read-only, replicating from it by GTID. */
  private async buildWriterReplica(instanceId: string, up: GlobalUpstream): Promise<void> {
    if (!up.port) throw new Error('the primary cluster is unreachable');
    // Server ids must differ from the primary's, or its events would be skipped as this server's own.
    if (!Object.keys(this.manifest.instances).length) this.manifest.nextServerId = randomInt(1000, 2 ** 30);
    const replPassword = up.replPassword ?? this.manifest.replPassword;
    // The clone runs as root on both ends with one password: a secondary shares the primary's (as PostgreSQL's does).
    this.manifest.adminPassword = up.password;
    await this.bootstrap(instanceId, 'writer', async (conn, proc) => {
      await setReadOnly(conn, this.server.flavour, true);
      const source = await mysql.createConnection({ socketPath: instancePaths(up.dir).socket, user: 'root', password: up.password, connectTimeout: 5000 });
      try {
        await cloneInto(this.server, { socket: instancePaths(up.dir).socket, conn: source }, { socket: proc.paths.socket }, up.password);
      } finally {
        await source.end().catch(() => undefined);
      }
      await conn.query('FLUSH PRIVILEGES');
      if (this.server.flavour === 'mariadb') {
        // Its binlog starts where the primary's is, so a later replica of it (the old primary) can resume by GTID.
        // (read first: SET GLOBAL gtid_binlog_state = @@GLOBAL.gtid_slave_pos hangs the server's variable lock)
        const [[{ pos }]] = await conn.query<RowDataPacket[]>('SELECT @@GLOBAL.gtid_slave_pos AS pos');
        await conn.query('RESET MASTER');
        await conn.query('SET GLOBAL gtid_binlog_state = ?', [String(pos ?? '')]);
      }
      await replicateFrom(conn, this.server.flavour, up.port!, replPassword);
      this.manifest.instances[instanceId].baseAt = Date.now();
    });
    this.manifest.replPassword = replPassword;
    this.following = up.key;
    this.upstreamPort = up.port;
    this.saveManifest();
    await this.saveGlobal();
    await this.waitStreaming(instanceId, STREAM_TIMEOUT_S * 1000);
  }

  private async onWriter<T>(fn: (conn: mysql.Connection) => Promise<T>): Promise<T> {
    const w = this.writerId();
    if (!w) throw new Error(`cluster ${this.clusterId} has no writer`);
    return this.admin(w, fn);
  }

  private saveGlobal(): Promise<void> {
    return saveGlobalRole(this.spec.dataDir, { following: this.following, upstreamPort: this.upstreamPort });
  }
}
