// An aurora-postgresql cluster that can be a member of a global database. As the primary it is an ordinary
// PostgresClusterEngine. As a secondary its writer instance (the one the cluster endpoint reaches) is a hot standby
// streaming from the PRIMARY cluster's writer, in another region; its readers cascade from that standby, as they do
// from a writer. So every instance of a secondary refuses writes with PostgreSQL's own read-only error, and a row
// committed on the primary is readable in the secondary as soon as the WAL is replayed. Role changes of the global
// database (global-sync.ts) promote it (pg_promote) or point it at a new primary.
import fsp from 'node:fs/promises';
import { loadGlobalRole, saveGlobalRole } from './global-role-file';
import type { ClusterEngineSpec } from './types';
import { freePort } from './ports';
import { poll } from './postgres-process';
import { baseBackup, controlCheckpoint, setStandby, withAdmin, writeInstanceConf } from './postgres-files';
import { PostgresClusterEngine } from './postgres';
import type { Instance } from './postgres-manifest';

/** Where a secondary streams from: the primary cluster's writer. */
export interface GlobalUpstream {
  /** `region/clusterId` of the primary cluster. */
  key: string;
  /** The primary writer's backend port; undefined while the primary's region is unreachable (no replication). */
  port?: number;
  /** The engine's admin password (a secondary is a copy of the primary, so it shares it). */
  password: string;
  /** The primary writer's data directory (base backups copy it; MySQL: its instance folder, for the socket). */
  dir: string;
  /** MySQL: the replication account's password on the primary (a secondary replicates with it). */
  replPassword?: string;
}

/** What the global database says this cluster is right now. */
export type GlobalRole = () => { secondary: boolean; upstream?: GlobalUpstream };

const STREAM_TIMEOUT_MS = 30_000;

export class GlobalPostgresEngine extends PostgresClusterEngine {
  /** `region/clusterId` of the primary cluster this one replicates from; undefined while it is writable. */
  following?: string;
  /** The upstream port written into the writer's primary_conninfo (undefined: replication is cut). */
  private upstreamPort?: number;

  constructor(
    spec: ClusterEngineSpec,
    private readonly role: GlobalRole,
  ) {
    super(spec);
    ({ following: this.following, upstreamPort: this.upstreamPort } = loadGlobalRole(spec.dataDir));
  }

  /** The running writer, as an upstream for a secondary (or undefined). */
  writerInfo(): { port: number; password: string; dir: string } | undefined {
    const w = this.writer();
    if (!w || w.state !== 'running' || w.building) return undefined;
    return { port: w.port, password: this.adminPassword, dir: this.dirOf(w.instanceId) };
  }

  /** A secondary's first instance is a standby of the primary's writer; a primary's is created as usual. */
  override createWriter(instanceId: string): Promise<void> {
    const r = this.role();
    if (!r.secondary) return super.createWriter(instanceId);
    return this.serial(async () => {
      const existing = this.members.get(instanceId);
      if (existing?.role === 'writer' && !existing.building && existing.state === 'running') return;
      const up = r.upstream;
      if (!up?.port) throw new Error('the primary cluster of the global database has no running writer to replicate from yet');
      await this.prepareClusterDir();
      this.adminPassword = up.password;
      const inst: Instance = existing ?? { instanceId, role: 'writer', port: await freePort(), state: 'starting' };
      inst.building = true;
      this.members.set(instanceId, inst);
      this.following = up.key;
      await this.saveManifest();
      await this.guard(inst, () => this.buildStandbyOf(inst, up));
      inst.building = false;
      await this.saveManifest();
    });
  }

  /**
   * A failover inside a secondary (FailoverDBCluster, or its writer's engine dying) must not make it writable: the
   * target standby streams from the primary cluster instead, and the old writer, restarted, cascades from it.
   */
  override failover(targetInstanceId: string): Promise<void> {
    return this.following ? this.moveStandbyWriter(targetInstanceId) : super.failover(targetInstanceId);
  }

  override promoteAfterCrash(targetInstanceId: string): Promise<void> {
    return this.following ? this.moveStandbyWriter(targetInstanceId) : super.promoteAfterCrash(targetInstanceId);
  }

  private moveStandbyWriter(targetInstanceId: string): Promise<void> {
    return this.serial(async () => {
      const target = this.members.get(targetInstanceId);
      if (!target || target.state !== 'running') throw new Error(`reader ${targetInstanceId} is not running`);
      const old = this.writer();
      if (old) {
        await this.halt(old, 'fast');
        old.role = 'reader';
      }
      target.role = 'writer';
      await this.writeConf(target);
      target.child?.kill('SIGHUP');
      for (const r of this.readers()) {
        await this.writeConf(r);
        if (r === old) await this.guard(r, () => this.launch(r)).catch(() => undefined);
        else r.child?.kill('SIGHUP');
      }
      await this.saveManifest();
    });
  }

  /** Planned switchover, on the old primary: fast-stop the writer (it ships its last WAL); its shutdown checkpoint. */
  handOver(): Promise<string> {
    return this.serial(async () => {
      const w = this.writer();
      if (!w) throw new Error(`cluster ${this.clusterId} has no writer`);
      await this.halt(w, 'fast');
      return (await controlCheckpoint(this.dirOf(w.instanceId))).checkpoint;
    });
  }

  /** Undoes handOver when the switchover cannot go on: the writer carries on as it was. */
  resume(): Promise<void> {
    return this.serial(async () => {
      const w = this.writer();
      if (w && w.state !== 'running') await this.guard(w, () => this.launch(w));
    });
  }

  /** Resolves when this secondary's writer has replayed WAL past `lsn` (the old primary's last checkpoint). */
  waitReplayed(lsn: string, timeoutMs = STREAM_TIMEOUT_MS): Promise<void> {
    const w = this.writer();
    if (!w) return Promise.reject(new Error(`cluster ${this.clusterId} has no writer`));
    return poll(`${w.instanceId} to replay the primary's last WAL`, timeoutMs, () =>
      this.admin(w, async (c) => ((await c.query<{ ok: boolean }>('SELECT pg_last_wal_replay_lsn() > $1::pg_lsn AS ok', [lsn])).rows[0].ok ? true : undefined)),
    ).then(() => undefined);
  }

  /** The secondary becomes writable with what it has replayed; its readers follow the new timeline. */
  globalPromote(): Promise<void> {
    return this.serial(async () => {
      const w = this.writer();
      if (!w || !this.following) return;
      if (w.state !== 'running') throw new Error(`the writer ${w.instanceId} of cluster ${this.clusterId} is not running`);
      const res = await this.admin(w, (c) => c.query<{ ok: boolean }>('SELECT pg_promote(true, 60) AS ok'));
      if (!res.rows[0].ok) throw new Error(`${w.instanceId} did not finish promotion within 60 s`);
      this.following = undefined;
      this.upstreamPort = undefined;
      await setStandby(this.dirOf(w.instanceId), false, this.who);
      await this.writeConf(w);
      await this.saveGlobal();
    });
  }

  /**
   * This cluster becomes a secondary of `up`. Without `rebuild` (after a planned switchover: the old writer's WAL
   * ends where the new primary's timeline forks) the writer restarts as a standby as it is; with it, or when that is
   * refused, the writer is rebuilt from a base backup of the new primary (its unreplicated rows are gone) and so is
   * every reader.
   */
  follow(up: GlobalUpstream, rebuild: boolean): Promise<void> {
    return this.serial(async () => {
      const w = this.writer();
      if (!w || !up.port) return;
      this.following = up.key;
      this.adminPassword = up.password;
      if (!rebuild) {
        try {
          await this.halt(w, 'fast');
          this.upstreamPort = up.port;
          await setStandby(this.dirOf(w.instanceId), true, this.who);
          await this.writeConf(w);
          await this.launch(w);
          await this.waitUpstream(w, up, 10_000);
          await this.saveGlobal();
          return;
        } catch {
          // diverged: rebuild below
        }
      }
      await this.guard(w, () => this.buildStandbyOf(w, up));
      for (const r of this.readers()) await this.guard(r, () => this.buildReplica(r, w)).catch(() => undefined);
      await this.saveManifest();
    });
  }

  /** Points the writer's primary_conninfo at `port` (undefined cuts replication, as a lost region would). */
  setUpstreamPort(port: number | undefined): Promise<void> {
    if (port === this.upstreamPort) return Promise.resolve();
    return this.serial(async () => {
      const w = this.writer();
      if (!w || !this.following) return;
      this.upstreamPort = port;
      await this.writeConf(w);
      w.child?.kill('SIGHUP');
      await this.saveGlobal();
    });
  }

  protected override writeConf(inst: Instance): Promise<void> {
    if (inst.role !== 'writer' || !this.following) return super.writeConf(inst);
    const primary = this.upstreamPort ? { port: this.upstreamPort, password: this.adminPassword } : undefined;
    return writeInstanceConf(this.dirOf(inst.instanceId), { instanceId: inst.instanceId, port: inst.port, primary }, this.who);
  }

  private async buildStandbyOf(inst: Instance, up: GlobalUpstream & { port?: number }): Promise<void> {
    if (!up.port) throw new Error('the primary cluster is unreachable');
    await this.halt(inst, 'immediate');
    inst.state = 'starting';
    const dir = this.dirOf(inst.instanceId);
    await fsp.rm(dir, { recursive: true, force: true });
    await baseBackup(up.dir, dir, up.port, up.password, this.who, `global secondary ${this.clusterId}`);
    await setStandby(dir, true, this.who);
    this.following = up.key;
    this.upstreamPort = up.port;
    await this.writeConf(inst);
    await this.saveGlobal();
    await this.launch(inst);
    await this.waitUpstream(inst, up, STREAM_TIMEOUT_MS);
  }

  private waitUpstream(inst: Instance, up: GlobalUpstream, timeoutMs: number): Promise<void> {
    return poll(`${inst.instanceId} to stream from the primary cluster`, timeoutMs, async () => {
      if (inst.state !== 'running') throw new Error(inst.error ?? `${inst.instanceId} stopped`);
      const res = await withAdmin(up.port!, up.password, (c) => c.query("SELECT 1 FROM pg_stat_replication WHERE application_name = $1 AND state = 'streaming'", [inst.instanceId]));
      return res.rowCount ? true : undefined;
    }, 50).then(() => undefined);
  }

  /** Replication lag of this secondary as its primary measures it (pg_stat_replication.replay_lag), in ms. */
  async lagMs(up: GlobalUpstream): Promise<number | undefined> {
    const w = this.writer();
    if (!w || !up.port) return undefined;
    const res = await withAdmin(up.port, up.password, (c) =>
      c.query<{ ms: number | null; behind: boolean }>(
        "SELECT EXTRACT(EPOCH FROM replay_lag) * 1000 AS ms, replay_lsn < pg_current_wal_lsn() AS behind FROM pg_stat_replication WHERE application_name = $1 AND state = 'streaming'",
        [w.instanceId],
      ),
    );
    const row = res.rows[0];
    if (!row) return undefined;
    return row.ms === null ? 0 : Number(row.ms);
  }

  private saveGlobal(): Promise<void> {
    return saveGlobalRole(this.spec.dataDir, { following: this.following, upstreamPort: this.upstreamPort });
  }
}
