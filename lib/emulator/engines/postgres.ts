// An aurora-postgresql cluster as real PostgreSQL 16 servers: the writer is a primary, every reader a hot standby
// streaming from it. Layout under spec.dataDir: manifest.json (roles, ports, the engine's admin password),
// one data directory per instance (<instanceId>/) and its server log (<instanceId>.log).
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { Client } from 'pg';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { ClusterEngine, ClusterEngineSpec, EngineCounters, InstanceEngineInfo, InstanceEngineState } from './types';
import { freePort } from './ports';
import { assertTraversable, chownTree, pgBinaries, poll, processTreeRssBytes, runAs, spawnPostmaster, stopChild, stopRequested, stopStalePostmaster, waitAccepting, exitOf, type RunAs } from './postgres-process';
import { ADMIN_USER, baseBackup, controlCheckpoint, initdb, readCounters, setStandby, withAdmin, writeInstanceConf, type OwnCommits } from './postgres-files';
import { checkId, instanceInfo, readManifest, writeManifest, type ExitListener, type Instance } from './postgres-manifest';
import { PgBackups } from './postgres-backup';

export { shutdownAllEngines } from './postgres-process';

const STREAM_TIMEOUT_MS = 30_000;

export class PostgresClusterEngine implements ClusterEngine {
  readonly family = 'postgres' as const;
  readonly clusterId: string;
  protected readonly spec: ClusterEngineSpec;
  private readonly bin = pgBinaries();
  protected readonly who: RunAs = runAs();
  protected readonly members = new Map<string, Instance>();
  /** Per instance: the transactions of the counter reads themselves (readCounters takes them out). */
  private readonly ownCommits = new Map<string, OwnCommits>();
  private countersQueue: Promise<unknown> = Promise.resolve();
  protected adminPassword = '';
  private exitListeners: ExitListener[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private destroyed = false;
  private readonly backups: PgBackups;

  constructor(spec: ClusterEngineSpec) {
    this.spec = { ...spec };
    this.clusterId = spec.clusterId;
    this.backups = new PgBackups(spec.dataDir, this.who);
    this.loadManifest();
  }

  // ---- ClusterEngine ------------------------------------------------------------------------------------------

  createWriter(instanceId: string): Promise<void> {
    return this.serial(async () => {
      const existing = this.existingWriter(instanceId);
      if (existing) return this.ensureRunning(existing);
      if (this.spec.masterUsername.toLowerCase() === ADMIN_USER) throw new Error(`MasterUsername ${ADMIN_USER} cannot be used as it is a reserved word used by the engine`);
      await this.prepareClusterDir();
      this.adminPassword = randomBytes(18).toString('base64url');
      const inst: Instance = { instanceId, role: 'writer', port: await freePort(), building: true, state: 'starting' };
      this.members.set(instanceId, inst);
      await this.saveManifest();
      const dir = this.dirOf(instanceId);
      await fsp.rm(dir, { recursive: true, force: true });
      await this.guard(inst, async () => {
        await initdb(this.bin.initdb, dir, this.adminPassword, this.who);
        await this.backups.prepare();
        await writeInstanceConf(dir, { instanceId, port: inst.port, extra: this.backups.confLines() }, this.who);
        await this.launch(inst);
        await this.admin(inst, async (c) => {
          const user = c.escapeIdentifier(this.spec.masterUsername);
          await c.query(`CREATE ROLE ${user} WITH LOGIN SUPERUSER CREATEDB CREATEROLE PASSWORD ${c.escapeLiteral(this.spec.masterPassword)}`);
          const db = this.spec.databaseName;
          if (db && db !== 'postgres') await c.query(`CREATE DATABASE ${c.escapeIdentifier(db)} OWNER ${user}`);
          await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
        });
      });
      inst.building = false;
      await this.saveManifest();
      await this.firstBase(inst);
    });
  }

  addReader(instanceId: string): Promise<void> {
    return this.serial(async () => {
      checkId(instanceId);
      const existing = this.members.get(instanceId);
      if (existing?.role === 'reader' && !existing.building) return this.ensureRunning(existing);
      if (existing?.role === 'writer') throw new Error(`instance ${instanceId} is the writer of cluster ${this.clusterId}`);
      const writer = this.requireRunningWriter();
      const inst: Instance = existing ?? { instanceId, role: 'reader', port: await freePort(), state: 'starting' };
      inst.building = true;
      inst.state = 'starting';
      this.members.set(instanceId, inst);
      await this.saveManifest();
      await this.guard(inst, () => this.buildReplica(inst, writer));
      inst.building = false;
      await this.saveManifest();
    });
  }

  removeInstance(instanceId: string): Promise<void> {
    return this.serial(async () => {
      const inst = this.members.get(instanceId);
      if (!inst) return;
      if (inst.role === 'writer') {
        const target = this.readers().find((r) => r.state === 'running');
        if (target) await this.switchover(target);
        else if (this.readers().length > 0) throw new Error(`cannot remove writer ${instanceId}: no running reader to take over`);
        // The last instance goes, the cluster volume stays: its archive has every commit (snapshots, restores).
        else if (inst.state === 'running') await this.backups.flush(inst.port, this.adminPassword).catch(() => undefined);
      }
      await this.halt(inst, 'fast');
      this.members.delete(instanceId);
      await fsp.rm(this.dirOf(instanceId), { recursive: true, force: true });
      await fsp.rm(this.logOf(instanceId), { force: true });
      await this.saveManifest();
    });
  }

  failover(targetInstanceId: string): Promise<void> {
    return this.serial(async () => {
      const target = this.requireReader(targetInstanceId);
      await this.switchover(target);
    });
  }

  promoteAfterCrash(targetInstanceId: string): Promise<void> {
    return this.serial(async () => {
      const target = this.requireReader(targetInstanceId);
      const old = this.writer();
      if (old) {
        await this.halt(old, 'immediate');
        old.role = 'reader';
        old.state = 'stopped';
      }
      await this.promote(target);
      if (old) {
        old.building = true;
        await this.saveManifest();
        await this.guard(old, () => this.buildReplica(old, target));
        old.building = false;
      }
      await this.saveManifest();
    });
  }

  reboot(instanceId: string): Promise<void> {
    return this.serial(async () => {
      const inst = this.members.get(instanceId);
      if (!inst) throw new Error(`no engine instance ${instanceId} in cluster ${this.clusterId}`);
      await this.halt(inst, 'fast');
      await this.guard(inst, () => this.launch(inst));
    });
  }

  stop(): Promise<void> {
    return this.serial(async () => {
      // The writer first: its fast shutdown ships the last WAL to the standbys, so they stop at the same point.
      const writer = this.writer();
      if (writer?.state === 'running') await this.backups.flush(writer.port, this.adminPassword).catch(() => undefined);
      if (writer) await this.halt(writer, 'fast');
      await Promise.all(this.readers().map((r) => this.halt(r, 'fast')));
    });
  }

  start(): Promise<void> {
    return this.serial(async () => {
      if (this.destroyed) throw new Error(`cluster ${this.clusterId} was destroyed`);
      const writer = this.writer();
      if (!writer) throw new Error(`cluster ${this.clusterId} has no writer to start`);
      if (writer.building) throw new Error(`the writer of cluster ${this.clusterId} was never created completely; create it again`);
      await this.ensureRunning(writer);
      await Promise.all(
        this.readers().map(async (r) => {
          if (r.building) {
            r.state = 'starting';
            await this.guard(r, () => this.buildReplica(r, writer));
            r.building = false;
            return;
          }
          await this.ensureRunning(r).catch(() => undefined);
        }),
      );
      await this.saveManifest();
    });
  }

  destroy(): Promise<void> {
    return this.serial(async () => {
      this.destroyed = true;
      await Promise.all([...this.members.values()].map((m) => this.halt(m, 'immediate')));
      this.members.clear();
      await fsp.rm(this.spec.dataDir, { recursive: true, force: true });
    });
  }

  instances(): InstanceEngineInfo[] {
    return [...this.members.values()].map(instanceInfo);
  }

  /** Counters of one running instance; what each one counts is documented at readCounters. */
  async counters(instanceId: string): Promise<EngineCounters> {
    const inst = this.members.get(instanceId);
    if (!inst || inst.state !== 'running') throw new Error(`instance ${instanceId} is not running`);
    let own = this.ownCommits.get(instanceId);
    if (!own) this.ownCommits.set(instanceId, (own = { n: 0 }));
    const tracked = own;
    // One read at a time: each one counts the transactions of the reads before it, which must have ended.
    const read = this.countersQueue.then(() => this.admin(inst, (c) => readCounters(c, inst.role === 'reader', tracked)));
    this.countersQueue = read.catch(() => undefined);
    return read;
  }

  /** ModifyDBCluster MasterUserPassword: sets the master user's password on the writer (readers follow). */
  setMasterPassword(password: string): Promise<void> {
    return this.serial(async () => {
      const writer = this.requireRunningWriter();
      await this.admin(writer, (c) => c.query(`ALTER ROLE ${c.escapeIdentifier(this.spec.masterUsername)} PASSWORD ${c.escapeLiteral(password)}`));
      this.spec.masterPassword = password;
    });
  }

  /** Snapshot / point-in-time export (postgres-backup.ts); without a running writer, from the archive alone. */
  exportData(at: number | 'now', dir: string): Promise<{ bytes: number }> {
    const running = (w = this.writer()) => (w?.state === 'running' ? { dir: this.dirOf(w.instanceId), port: w.port } : undefined);
    return this.serial(() => this.backups.exportTo(at, dir, this.adminPassword, running()));
  }

  /** A new writer from a bundle: its data, recovered to the bundle's target and promoted; then a first base backup. */
  createWriterFrom(instanceId: string, bundleDir: string): Promise<void> {
    return this.serial(async () => {
      const existing = this.existingWriter(instanceId);
      if (existing) return this.ensureRunning(existing);
      await this.prepareClusterDir();
      const inst: Instance = { instanceId, role: 'writer', port: await freePort(), building: true, state: 'starting' };
      this.members.set(instanceId, inst);
      const dir = this.dirOf(instanceId);
      await this.guard(inst, async () => {
        const { adminPassword, conf } = await this.backups.restoreInto(bundleDir, dir);
        this.adminPassword = adminPassword;
        await this.saveManifest();
        await writeInstanceConf(dir, { instanceId, port: inst.port, extra: [...this.backups.confLines(), ...conf] }, this.who);
        await this.launch(inst);
        await this.backups.finishRestore(inst.port, this.adminPassword);
        await this.writeConf(inst); // without the recovery settings, for the next start
      });
      inst.building = false;
      await this.saveManifest();
      await this.firstBase(inst);
    });
  }

  /** The base backup a new writer's restorable window starts from, before anyone can write to it. */
  private async firstBase(inst: Instance): Promise<void> {
    await this.backups.takeBase(this.dirOf(inst.instanceId), inst.port, this.adminPassword).catch(() => undefined);
  }

  /** createWriter/createWriterFrom on an instance that is already the complete writer: it; another writer: refused. */
  private existingWriter(instanceId: string): Instance | undefined {
    checkId(instanceId);
    const existing = this.members.get(instanceId);
    if (existing?.role === 'writer' && !existing.building) return existing;
    if (this.writer() && this.writer() !== existing) throw new Error(`cluster ${this.clusterId} already has a writer (${this.writer()?.instanceId})`);
    return undefined;
  }

  restorableWindow(): { earliest: number; latest: number } | undefined {
    return this.backups.window(this.writer()?.state === 'running');
  }

  onUnexpectedExit(listener: ExitListener): void {
    this.exitListeners.push(listener);
  }

  /** Resident memory of one instance's postmaster and its children, in bytes (0 when not running). */
  memoryBytes(instanceId: string): number {
    const pid = this.members.get(instanceId)?.child?.pid;
    return pid ? processTreeRssBytes(pid) : 0;
  }

  // ---- roles ------------------------------------------------------------------------------------------------------

  /** Planned failover: fast-stop the writer (its walsenders ship every WAL record first), wait until the target
   * has replayed the writer's shutdown checkpoint, promote it, re-point the others, and let the old writer follow. */
  private async switchover(target: Instance): Promise<void> {
    const old = this.requireRunningWriter();
    await this.halt(old, 'fast');
    const { checkpoint } = await controlCheckpoint(this.dirOf(old.instanceId));
    try {
      await poll(`reader ${target.instanceId} to replay the writer's last WAL`, STREAM_TIMEOUT_MS, () =>
        this.admin(target, async (c) => ((await c.query<{ ok: boolean }>('SELECT pg_last_wal_replay_lsn() > $1::pg_lsn AS ok', [checkpoint])).rows[0].ok ? true : undefined)),
      );
    } catch (e) {
      await this.guard(old, () => this.launch(old)); // nothing changed: the old writer carries on
      throw e;
    }
    old.role = 'reader';
    await this.promote(target);
    // The old writer's WAL ends exactly where the new timeline forks, so it can stream from the new writer
    // as it is; if it cannot (it is refused), it is rebuilt from a fresh base backup.
    await setStandby(this.dirOf(old.instanceId), true, this.who);
    await this.writeConf(old);
    try {
      await this.launch(old);
      await this.waitStreaming(old, target, 10_000);
    } catch {
      await this.halt(old, 'immediate');
      await this.guard(old, () => this.buildReplica(old, target));
    }
    await this.saveManifest();
  }

  /** Promotes a standby, then points every other reader at it (primary_conninfo is reloadable). */
  private async promote(target: Instance): Promise<void> {
    if (target.state !== 'running') throw new Error(`reader ${target.instanceId} is not running`);
    const res = await this.admin(target, (c) => c.query<{ ok: boolean }>('SELECT pg_promote(true, 60) AS ok'));
    if (!res.rows[0].ok) throw new Error(`reader ${target.instanceId} did not finish promotion within 60 s`);
    for (const m of this.members.values()) if (m !== target && m.role === 'writer') m.role = 'reader';
    target.role = 'writer';
    await setStandby(this.dirOf(target.instanceId), false, this.who);
    await this.writeConf(target);
    await this.saveManifest();
    await Promise.all(
      this.readers()
        .filter((r) => r.state === 'running')
        .map(async (r) => {
          await this.writeConf(r);
          r.child?.kill('SIGHUP');
        }),
    );
  }

  /** Rebuilds `inst` as a fresh standby of `writer` from a base backup, and starts it. */
  protected async buildReplica(inst: Instance, writer: Instance): Promise<void> {
    await this.halt(inst, 'immediate');
    inst.role = 'reader';
    inst.state = 'starting';
    const dir = this.dirOf(inst.instanceId);
    await fsp.rm(dir, { recursive: true, force: true });
    await baseBackup(this.dirOf(writer.instanceId), dir, writer.port, this.adminPassword, this.who, `reader ${inst.instanceId}`);
    await setStandby(dir, true, this.who);
    await this.writeConf(inst);
    await this.launch(inst);
    await this.waitStreaming(inst, writer, STREAM_TIMEOUT_MS);
  }

  private async waitStreaming(reader: Instance, writer: Instance, timeoutMs: number): Promise<void> {
    await poll(`reader ${reader.instanceId} to stream from ${writer.instanceId}`, timeoutMs, async () => {
      if (reader.state !== 'running') throw new Error(reader.error ?? `reader ${reader.instanceId} stopped`);
      const res = await this.admin(writer, (c) => c.query("SELECT 1 FROM pg_stat_replication WHERE application_name = $1 AND state = 'streaming'", [reader.instanceId]));
      return res.rowCount ? true : undefined;
    }, 50);
  }

  // ---- processes ----------------------------------------------------------------------------------------------

  private async ensureRunning(inst: Instance): Promise<void> {
    if (inst.state === 'running' && inst.child) return;
    if (inst.role === 'reader') await this.writeConf(inst);
    await this.guard(inst, () => this.launch(inst));
  }

  /** Starts the instance's postmaster and resolves when it accepts connections. */
  protected async launch(inst: Instance): Promise<void> {
    const dir = this.dirOf(inst.instanceId);
    await stopStalePostmaster(dir);
    const port = await freePort(inst.port);
    if (port !== inst.port) {
      inst.port = port;
      await this.writeConf(inst);
      await this.saveManifest();
    }
    inst.state = 'starting';
    inst.error = undefined;
    inst.stopping = false;
    // A postmaster killed with -9 leaves backends that still hold its shared memory for a moment: retry.
    for (let attempt = 0; ; attempt++) {
      const child = spawnPostmaster(this.bin.postgres, dir, this.logOf(inst.instanceId), this.who);
      inst.child = child;
      child.once('exit', (code, signal) => this.exited(inst, child, code, signal));
      try {
        await waitAccepting(child, dir, this.logOf(inst.instanceId));
        break;
      } catch (e) {
        await stopChild(child, 'immediate');
        if (attempt >= 3 || !/shared memory|lock file/.test(String(e))) throw e;
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    inst.state = 'running';
  }

  private exited(inst: Instance, child: ChildProcess, code: number | null, signal: string | null): void {
    if (inst.child !== child) return;
    inst.child = undefined;
    const asked = inst.stopping || stopRequested(child);
    inst.stopping = false;
    if (asked || inst.state === 'starting') {
      if (inst.state !== 'starting') inst.state = 'stopped';
      return;
    }
    inst.state = 'failed';
    inst.error = `postgres exited (${signal ?? `code ${code}`})`;
    for (const listener of this.exitListeners) {
      try {
        listener(inst.instanceId, code, signal);
      } catch {
        // a listener's error is its own
      }
    }
  }

  /** Stops an instance's postmaster if it runs (an exit we asked for is not reported). */
  protected async halt(inst: Instance, mode: 'fast' | 'immediate'): Promise<void> {
    const child = inst.child;
    if (!child) {
      if (inst.state !== 'failed') inst.state = 'stopped';
      return;
    }
    inst.stopping = true;
    await stopChild(child, mode);
    await exitOf(child);
    inst.state = 'stopped';
  }

  /** Runs a step of an instance's lifecycle; a failure leaves the instance `failed` with the engine's message. */
  protected async guard(inst: Instance, step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (e) {
      if (inst.child) await this.halt(inst, 'immediate');
      inst.state = 'failed';
      inst.error = e instanceof Error ? e.message : String(e);
      throw e instanceof Error ? e : new Error(String(e));
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  protected serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  protected admin<T>(inst: Instance, fn: (c: Client) => Promise<T>): Promise<T> {
    return withAdmin(inst.port, this.adminPassword, fn);
  }

  protected writer(): Instance | undefined {
    return [...this.members.values()].find((m) => m.role === 'writer');
  }

  protected readers(): Instance[] {
    return [...this.members.values()].filter((m) => m.role === 'reader');
  }

  private requireRunningWriter(): Instance {
    const w = this.writer();
    if (!w || w.state !== 'running') throw new Error(`the writer of cluster ${this.clusterId} is not running`);
    return w;
  }

  private requireReader(instanceId: string): Instance {
    const inst = this.members.get(instanceId);
    if (!inst) throw new Error(`no engine instance ${instanceId} in cluster ${this.clusterId}`);
    if (inst.role !== 'reader') throw new Error(`instance ${instanceId} is already the writer`);
    if (inst.state !== 'running') throw new Error(`reader ${instanceId} is not running`);
    return inst;
  }

  protected writeConf(inst: Instance): Promise<void> {
    const writer = this.writer();
    const primary = inst.role === 'reader' && writer ? { port: writer.port, password: this.adminPassword } : undefined;
    return writeInstanceConf(this.dirOf(inst.instanceId), { instanceId: inst.instanceId, port: inst.port, primary, extra: this.backups.confLines() }, this.who);
  }

  protected dirOf(instanceId: string): string {
    return path.join(this.spec.dataDir, instanceId);
  }

  private logOf(instanceId: string): string {
    return path.join(this.spec.dataDir, `${instanceId}.log`);
  }

  protected async prepareClusterDir(): Promise<void> {
    await fsp.mkdir(this.spec.dataDir, { recursive: true, mode: 0o700 });
    await fsp.chmod(this.spec.dataDir, 0o700);
    await chownTree(this.spec.dataDir, this.who);
    assertTraversable(this.spec.dataDir, this.who);
  }

  private loadManifest(): void {
    const manifest = readManifest(this.spec.dataDir);
    if (!manifest) return;
    this.adminPassword = manifest.adminPassword;
    for (const m of manifest.instances) this.members.set(m.instanceId, { ...m, state: 'stopped' });
  }

  protected async saveManifest(): Promise<void> {
    if (this.destroyed) return;
    const instances = [...this.members.values()].map(({ instanceId, role, port, building }) => ({ instanceId, role, port, ...(building ? { building } : {}) }));
    await writeManifest(this.spec.dataDir, { engine: 'postgres', clusterId: this.clusterId, adminPassword: this.adminPassword, instances });
  }
}

