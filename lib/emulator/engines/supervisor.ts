// The engine supervisor keeps the real engine processes in step with the RDS model. The model stays the source
// of truth for what exists and in which status (derived from timestamps); the supervisor reconciles: it creates
// the writer and the readers, runs a failover on the data when the model starts one, reboots, stops, starts and
// destroys, opens one loopback listener per endpoint, and turns an engine that dies into what Aurora does
// (a reader restarts; a writer with readers fails over; a writer alone restarts in place).
import fs from 'node:fs';
import path from 'node:path';
import type { BacktrackRec, ClusterRec, InstanceRec } from '../rds/records';
import type { RdsModel } from '../rds/model';
import type { MeasuredSeries } from '../dataplane/types';
import { EndpointListeners, roundRobin } from './listeners';
import { assignHost, backendOf, closeEndpoints, endpointKey, openEndpoints } from './cluster-endpoints';
import { holdBacktrack, runEngineBacktrack, sampleBacktrack } from './backtrack-run';
import { EngineMetrics } from './metrics';
import { RealWorkload, type RealWorkloadKind } from './workload';
import { shutdownAllMysqlEngines } from './mysql';
import { engineAvailability, engineReason, randomPassword, writeSecret, saveClusterFile, type ClusterFile, type Managed } from './cluster-file';
import { shutdownAllEngines as shutdownAllPostgresEngines } from './postgres';
import { GlobalPostgresEngine } from './global-postgres';
import { GlobalMysqlEngine } from './global-mysql';
import { GlobalReplication } from './global-sync';
import type { ClusterEngine, InstanceEngineInfo, ListenAddress } from './types';
import { EngineBackups } from './backups';
import type { SnapshotRec } from '../rds/snapshot-records';

export { engineAvailability, type EngineAvailability } from './cluster-file';

/** The tag that says, on every cluster the endpoint creates, whether its engine is real. */
export const ENGINE_TAG = 'afc:engine';
const RECONCILE_MS = 500;
/** How often each running engine's counters are read into its metrics. */
const SAMPLE_MS = 5_000;


export class EngineSupervisor {
  private readonly clusters = new Map<string, Managed>();
  private readonly listeners = new EndpointListeners();
  private readonly metrics: EngineMetrics;
  /** Cross-region replication of global databases (global-sync.ts). */
  readonly global: GlobalReplication;
  private timer?: NodeJS.Timeout;
  private sampler?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private closed = false;
  /** Snapshots and restores on the data (backups.ts). */
  private readonly bk: EngineBackups;

  constructor(
    private readonly model: RdsModel,
    private readonly rootDir: string,
    private readonly now: () => number,
  ) {
    // PostgreSQL runs as its own OS user: it must be able to pass through the data directory (not list it).
    fs.mkdirSync(rootDir, { recursive: true, mode: 0o711 });
    fs.chmodSync(rootDir, 0o711);
    const parent = path.dirname(rootDir);
    fs.chmodSync(parent, (fs.statSync(parent).mode & 0o7777) | 0o011);
    this.metrics = new EngineMetrics(model.state.db);
    this.bk = new EngineBackups({
      model,
      rootDir,
      now,
      managed: (region, id) => this.clusters.get(key(region, id)),
      adopt: (c) => void this.load(c),
      freeNet: () => this.freeNet(),
      kick: () => this.kick(),
      engineTag: ENGINE_TAG,
    });
    this.global = new GlobalReplication(model, (region, id) => this.clusters.get(key(region, id)), now);
  }

  /** A real cluster's backups as its engine keeps them (undefined: simulated, or its family keeps none). */
  backups(c: ClusterRec) {
    return this.bk.info(c);
  }

  /** RestoreDBClusterFromSnapshot / RestoreDBClusterToPointInTime of a real source: the new cluster gets its data. */
  clusterRestored(c: ClusterRec, from: { snapshot: SnapshotRec } | { source: ClusterRec; restoreTime: number }): void {
    this.bk.clusterRestored(c, from);
  }

  /** What an instance's engine measured (CommitThroughput, connections, lag…), for CloudWatch. */
  measured(region: string, instanceId: string): MeasuredSeries | undefined {
    if (instanceId.startsWith('global:')) return this.global.measured(region, instanceId.slice('global:'.length));
    return this.metrics.measured(region, instanceId);
  }

  /** Reads every running engine's counters once (also what the sampling timer does). */
  async sample(): Promise<void> {
    for (const m of this.clusters.values()) {
      for (const i of m.engine.instances()) {
        if (i.state !== 'running') continue;
        const c = await m.engine.counters(i.instanceId).catch(() => undefined);
        if (!c) continue;
        this.metrics.begin(m.region, i.instanceId, c.at);
        this.metrics.record(m.region, i.instanceId, { ...c, at: this.now() });
      }
      sampleBacktrack(this.model, this.metrics, m, this.now());
    }
  }

  /** Starts the engines of every real cluster the state holds (the endpoint restarting) and the reconcile loop. */
  async start(): Promise<void> {
    for (const region of this.model.regionNames()) {
      for (const c of this.model.listClusters(region, this.now())) {
        if (!c.realEngine) continue;
        const m = this.load(c);
        if (!m) continue;
        const stopped = ['stopped', 'stopping'].includes(this.model.clusterStatus(c));
        m.stoppedByModel = stopped;
        if (!stopped) await this.startEngines(m);
        for (const i of m.engine.instances()) if (i.state === 'running') m.seenRunning.add(i.instanceId);
        await openEndpoints(this.listeners, m, () => this.writerOpen(m));
        if (!stopped) m.workload.set(m.file.workload);
      }
    }
    this.timer = setInterval(() => this.kick(), RECONCILE_MS);
    this.timer.unref();
    this.sampler = setInterval(() => void this.sample(), SAMPLE_MS);
    this.sampler.unref();
  }

  /**
   * CreateDBCluster: decides whether the cluster gets a real engine, says so in a tag, and keeps what the engine
   * needs (the master password is stored only in the cluster's engine folder, mode 0600).
   */
  clusterCreated(c: ClusterRec, masterPassword: string | undefined): void {
    const a = engineAvailability(c.engine);
    const tag = a.available
      ? `real ${a.version}`
      : `simulated - no MySQL-compatible server on this machine - enable a real engine with: ${a.hint}`;
    c.tags = [...c.tags.filter((t) => t.Key !== ENGINE_TAG), { Key: ENGINE_TAG, Value: tag }];
    if (a.available) {
      const dir = path.join(this.rootDir, c.region, c.id);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
      for (let d = dir; d !== this.rootDir; d = path.dirname(d)) fs.chmodSync(d, 0o711);
      const file: ClusterFile = {
        net: this.freeNet(),
        port: c.port,
        hosts: {},
        spec: {
          clusterId: c.id,
          masterUsername: c.masterUsername,
          masterPassword: masterPassword ?? randomPassword(),
          databaseName: c.databaseName,
          dataDir: path.join(dir, 'engine'),
        },
      };
      writeSecret(path.join(dir, 'cluster.json'), file);
      c.realEngine = { family: a.family, version: a.version! };
      this.load(c);
    }
    this.model.saveCluster(c);
    this.kick();
  }

  /**
   * `/_emulator/workload` on a real cluster: 'steady' or 'write-heavy' drives real statements through its writer
   * and reader endpoints, 'idle' stops them. Kept across restarts. False for a cluster without a real engine.
   */
  setWorkload(region: string, clusterId: string, workload: 'idle' | RealWorkloadKind): boolean {
    const m = this.clusters.get(key(region, clusterId));
    if (!m) return false;
    m.file.workload = workload === 'idle' ? undefined : workload;
    saveClusterFile(m);
    m.workload.set(m.file.workload);
    return true;
  }

  /** The real workload's statements that succeeded so far (for tests and the bench). */
  workloadDone(region: string, clusterId: string): { writes: number; reads: number } | undefined {
    return this.clusters.get(key(region, clusterId))?.workload.done;
  }

  /** ModifyDBCluster with MasterUserPassword. */
  async passwordChanged(c: ClusterRec, password: string): Promise<void> {
    const m = this.clusters.get(key(c.region, c.id));
    if (!m) return;
    m.file.spec.masterPassword = password;
    writeSecret(path.join(m.dir, 'cluster.json'), m.file);
    const engine = m.engine as ClusterEngine & { setMasterPassword?: (p: string) => Promise<void> };
    await engine.setMasterPassword?.(password).catch(() => undefined);
  }

  /** BacktrackDBCluster accepted: the cluster stays `backtracking` until the engine has rewound it (backtrack-run.ts). */
  backtrackStarted(c: ClusterRec, b: BacktrackRec): void {
    holdBacktrack(this.model, this.clusters.get(key(c.region, c.id)), c, b);
  }

  /** What the cluster's engine retains for backtrack, when it is real and can. */
  backtrackWindow(c: ClusterRec): { earliest: number; changeRecords: number } | undefined {
    return this.clusters.get(key(c.region, c.id))?.engine.backtrackWindow?.();
  }

  /** Where the cluster's endpoints listen, for DescribeDBClusters; undefined for a simulated cluster. */
  clusterAddress(c: ClusterRec): { writer: string; reader: string; port: number } | undefined {
    const m = this.clusters.get(key(c.region, c.id));
    if (!m) return undefined;
    return { writer: `127.0.${m.file.net}.1`, reader: `127.0.${m.file.net}.2`, port: m.file.port };
  }

  /** Where an instance endpoint listens, for DescribeDBInstances. */
  instanceAddress(i: InstanceRec): ListenAddress | undefined {
    const m = this.clusters.get(key(i.region, i.clusterId));
    const host = m?.file.hosts[i.id];
    if (!m || host === undefined) return undefined;
    return { host: `127.0.${m.file.net}.${host}`, port: m.file.port };
  }

  /**
   * The status a client should see: the model's, unless the engine disagrees — an instance whose engine is not
   * accepting connections yet is still `creating` (or `rebooting`), one whose engine failed to start is `failed`.
   */
  instanceStatus(i: InstanceRec, modelStatus: string): string {
    const m = this.clusters.get(key(i.region, i.clusterId));
    if (!m || modelStatus !== 'available') return modelStatus;
    if (m.failed.has(i.id)) return 'failed';
    const e = m.engine.instances().find((x) => x.instanceId === i.id);
    // Running is not enough while it is being created: the master user and database come after the start.
    if (!m.seenRunning.has(i.id)) return 'creating';
    return e?.state === 'running' ? 'available' : 'rebooting';
  }

  /** One instance's engine process, as the engine reports it (pid, backend port, state). */
  engineInstance(region: string, clusterId: string, instanceId: string): InstanceEngineInfo | undefined {
    return this.clusters.get(key(region, clusterId))?.engine.instances().find((i) => i.instanceId === instanceId);
  }

  /** Schedules a reconcile pass (many calls in a row make one pass). */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    setImmediate(() => {
      void this.reconcileAll().finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
    });
  }

  /** Stops every engine (data kept) and closes the listeners. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.sampler) clearInterval(this.sampler);
    for (const m of this.clusters.values()) m.workload.stop();
    await this.listeners.closeAll();
    await Promise.all([...this.clusters.values()].map((m) => m.engine.stop().catch(() => undefined)));
    await Promise.all([shutdownAllPostgresEngines(), shutdownAllMysqlEngines()]);
  }

  // ---------------------------------------------------------------------------------------------- reconcile

  private async reconcileAll(): Promise<void> {
    const now = this.now();
    const alive = new Set<string>();
    await this.global.sync().catch(() => undefined);
    for (const region of this.model.regionNames()) {
      for (const c of this.model.listClusters(region, now)) {
        const m = this.clusters.get(key(region, c.id));
        if (!m) continue;
        alive.add(key(region, c.id));
        if (m.busy) continue;
        m.busy = true;
        try {
          await this.reconcile(m, c);
        } catch (e) {
          this.fail(m, undefined, e);
        } finally {
          m.busy = false;
        }
      }
    }
    await this.bk.pass(this.clusters.values());
    for (const [k, m] of this.clusters) {
      // A cluster created while this pass ran is not in `alive` yet: ask the model again before destroying.
      if (alive.has(k) || m.busy || this.stillExists(m)) continue;
      // DeleteDBCluster completed: the cluster volume goes with it.
      this.clusters.delete(k);
      m.workload.stop();
      await closeEndpoints(this.listeners, m);
      await m.engine.destroy().catch(() => undefined);
      fs.rmSync(m.dir, { recursive: true, force: true });
    }
  }

  private stillExists(m: Managed): boolean {
    try {
      this.model.getCluster(m.region, m.clusterId, this.now());
      return true;
    } catch {
      return false;
    }
  }

  private async reconcile(m: Managed, c: ClusterRec): Promise<void> {
    const status = this.model.clusterStatus(c);
    const members = this.model.members(c).filter((i) => i.op?.kind !== 'delete' || this.model.instanceStatus(i, c) !== 'deleting');
    const engineOf = () => new Map(m.engine.instances().map((i) => [i.instanceId, i]));

    if (status === 'stopping' || status === 'stopped') {
      if (!m.stoppedByModel) {
        m.stoppedByModel = true;
        await m.engine.stop();
      }
      return;
    }
    if (m.stoppedByModel) {
      m.stoppedByModel = false;
      await this.startEngines(m);
    }

    let eng = engineOf();
    const engineWriter = () => [...engineOf().values()].find((i) => i.role === 'writer');

    // The writer first: the first instance of an empty cluster is its writer.
    // A restored cluster's writer starts from the restored data, once it is exported.
    if (!engineWriter() && c.writerId && members.some((i) => i.id === c.writerId) && this.bk.dataReady(m)) {
      assignHost(m, c.writerId);
      await openEndpoints(this.listeners, m, () => this.writerOpen(m));
      await this.guard(m, c.writerId, () => this.bk.createWriter(m, c.writerId!));
    }

    // A failover the model started: move the writer on the data at once.
    const w = engineWriter();
    const want = c.op?.kind === 'failover' ? c.op.to : c.writerId;
    if (w && want && want !== w.instanceId && engineOf().get(want)?.state === 'running') {
      const old = backendOf(w);
      if (w.state === 'running') await m.engine.failover(want);
      else await m.engine.promoteAfterCrash(want);
      if (old) this.listeners.dropConnections((b, k) => k === endpointKey(m, 'writer') && sameAddress(b, old));
    }

    // A backtrack the model started: rewind the data, then let the model end it.
    await runEngineBacktrack(this.model, m, c, this.now);

    // Readers the model has and the engine lacks.
    eng = engineOf();
    for (const i of members) {
      if (eng.has(i.id) || m.failed.has(i.id) || !engineWriter()) continue;
      assignHost(m, i.id);
      await openEndpoints(this.listeners, m, () => this.writerOpen(m));
      await this.guard(m, i.id, () => m.engine.addReader(i.id));
    }

    // Instances the model removed.
    const ids = new Set(this.model.members(c).map((i) => i.id));
    for (const e of m.engine.instances()) {
      if (ids.has(e.instanceId)) continue;
      if (e.role === 'writer' && c.writerId && engineOf().get(c.writerId)?.state === 'running') await m.engine.failover(c.writerId);
      await m.engine.removeInstance(e.instanceId);
      await this.listeners.close(endpointKey(m, e.instanceId));
      delete m.file.hosts[e.instanceId];
      saveClusterFile(m);
    }

    // Reboots the model started.
    for (const i of members) {
      if (i.op?.kind !== 'reboot') continue;
      const token = `${i.id}@${i.op.startedAt}`;
      if (m.done.has(token)) continue;
      m.done.add(token);
      await this.guard(m, i.id, () => m.engine.reboot(i.id));
    }
    for (const e of m.engine.instances()) if (e.state === 'running') m.seenRunning.add(e.instanceId);
  }

  /**
   * Starts every engine of the cluster with its data; an instance whose engine does not come up is `failed`, with
   * an event that gives the engine's reason (the others keep running).
   */
  private async startEngines(m: Managed): Promise<void> {
    let err: unknown;
    await m.engine.start().catch((e: unknown) => (err = e));
    for (const i of m.engine.instances()) {
      if (i.state === 'running') m.failed.delete(i.instanceId);
      else if (i.state === 'failed' || err) this.fail(m, i.instanceId, i.error ?? err);
    }
  }

  /** Runs an engine step for one instance; a failure leaves that instance `failed` with an event saying why. */
  private async guard(m: Managed, instanceId: string, step: () => Promise<void>): Promise<void> {
    try {
      await step();
      m.failed.delete(instanceId);
      m.seenRunning.add(instanceId);
    } catch (e) {
      this.fail(m, instanceId, e);
    }
  }

  private fail(m: Managed, instanceId: string | undefined, e: unknown): void {
    const why = engineReason(e instanceof Error ? e.message : String(e));
    if (instanceId) {
      if (m.failed.get(instanceId) === why) return;
      m.failed.set(instanceId, why);
      this.model.recordEvent(m.region, this.now(), 'db-instance', instanceId, `DB instance failed to start its database engine: ${why}`, ['failure']);
    } else {
      this.model.recordEvent(m.region, this.now(), 'db-cluster', m.clusterId, `The database engine reported an error: ${why}`, ['notification']);
    }
  }

  /** An engine process that exits unasked: Aurora restarts a reader, fails over from a writer with readers. */
  private onExit(m: Managed, instanceId: string): void {
    if (this.closed) return;
    const now = this.now();
    let c: ClusterRec;
    try {
      c = this.model.getCluster(m.region, m.clusterId, now);
    } catch {
      return;
    }
    const status = this.model.clusterStatus(c);
    if (status !== 'available') return;
    const e = m.engine.instances().find((x) => x.instanceId === instanceId);
    const hasReader = m.engine.instances().some((x) => x.role === 'reader' && x.state === 'running');
    try {
      if (e?.role === 'writer' && hasReader) {
        this.model.recordEvent(m.region, now, 'db-instance', instanceId, 'The database engine of this instance stopped unexpectedly.', ['failure']);
        this.model.failoverCluster(m.region, m.clusterId, undefined, now);
      } else {
        this.model.rebootInstance(m.region, instanceId, false, now);
      }
    } catch (err) {
      this.fail(m, instanceId, err);
    }
    this.kick();
  }

  // ---------------------------------------------------------------------------------------------- state

  private load(c: ClusterRec): Managed | undefined {
    const k = key(c.region, c.id);
    const existing = this.clusters.get(k);
    if (existing) return existing;
    const dir = path.join(this.rootDir, c.region, c.id);
    let file: ClusterFile;
    try {
      file = JSON.parse(fs.readFileSync(path.join(dir, 'cluster.json'), 'utf8')) as ClusterFile;
    } catch {
      return undefined;
    }
    const engine: ClusterEngine =
      c.realEngine?.family === 'mysql' ? new GlobalMysqlEngine(file.spec, this.global.role(c.region, c.id)) : new GlobalPostgresEngine(file.spec, this.global.role(c.region, c.id));
    const m: Managed = {
      region: c.region,
      clusterId: c.id,
      dir,
      file,
      engine,
      busy: false,
      done: new Set(),
      seenRunning: new Set(),
      failed: new Map(),
      stoppedByModel: false,
      readers: roundRobin(),
      workload: new RealWorkload({
        family: engine.family,
        writer: () => ({ host: `127.0.${file.net}.1`, port: file.port }),
        reader: () => ({ host: `127.0.${file.net}.2`, port: file.port }),
        user: file.spec.masterUsername,
        password: () => file.spec.masterPassword,
      }),
    };
    engine.onUnexpectedExit((id) => this.onExit(m, id));
    this.clusters.set(k, m);
    return m;
  }

  /** The writer endpoint takes connections only while the cluster is up (not failing over, stopping, …). */
  private writerOpen(m: Managed): boolean {
    try {
      const status = this.model.clusterStatus(this.model.getCluster(m.region, m.clusterId, this.now()));
      return status === 'available' || status === 'modifying' || status === 'backtracking';
    } catch {
      return false;
    }
  }

  /** A /24 of loopback addresses per cluster: 127.0.1.x, 127.0.2.x, … */
  private freeNet(): number {
    const used = new Set([...this.clusters.values()].map((m) => m.file.net));
    for (let n = 1; n < 255; n++) if (!used.has(n)) return n;
    throw new Error('No free loopback network is left for another real cluster (254 are in use).');
  }
}

const key = (region: string, clusterId: string) => `${region}/${clusterId}`;
const sameAddress = (a: ListenAddress, b: ListenAddress) => a.host === b.host && a.port === b.port;

