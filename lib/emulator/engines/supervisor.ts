// The engine supervisor keeps the real engine processes in step with the RDS model. The model stays the source
// of truth for what exists and in which status (derived from timestamps); the supervisor reconciles: it creates
// the writer and the readers, runs a failover on the data when the model starts one, reboots, stops, starts and
// destroys, opens one loopback listener per endpoint, and turns an engine that dies into what Aurora does
// (a reader restarts; a writer with readers fails over; a writer alone restarts in place).
import fs from 'node:fs';
import path from 'node:path';
import type { ClusterRec, InstanceRec } from '../rds/records';
import type { RdsModel } from '../rds/model';
import type { MeasuredSeries } from '../dataplane/types';
import { EndpointListeners, roundRobin } from './listeners';
import { EngineMetrics } from './metrics';
import { detectMysqlServer, MYSQL_INSTALL_HINT, MysqlClusterEngine, shutdownAllMysqlEngines } from './mysql';
import { PostgresClusterEngine, shutdownAllEngines as shutdownAllPostgresEngines } from './postgres';
import type { ClusterEngine, ClusterEngineSpec, EngineFamily, InstanceEngineInfo, ListenAddress } from './types';

/** The tag that says, on every cluster the endpoint creates, whether its engine is real. */
export const ENGINE_TAG = 'afc:engine';
const RECONCILE_MS = 500;
/** How often each running engine's counters are read into its metrics. */
const SAMPLE_MS = 5_000;

interface ClusterFile {
  /** 127.0.<net>.x: every endpoint of the cluster listens on its own loopback address, on the cluster's port. */
  net: number;
  port: number;
  /** Host part of each instance endpoint's address. */
  hosts: Record<string, number>;
  spec: ClusterEngineSpec;
}

interface Managed {
  region: string;
  clusterId: string;
  dir: string;
  file: ClusterFile;
  engine: ClusterEngine;
  /** One engine operation at a time per cluster. */
  busy: boolean;
  /** Instance operations already carried out on the data (`id@startedAt`). */
  done: Set<string>;
  /** Instances that have accepted connections at least once (their later outages are reboots, not creation). */
  seenRunning: Set<string>;
  failed: Map<string, string>;
  stoppedByModel: boolean;
  readers: ReturnType<typeof roundRobin>;
}

export interface EngineAvailability {
  family: EngineFamily;
  available: boolean;
  version?: string;
  /** The command that makes a real engine available, when there is none. */
  hint?: string;
}

export function engineAvailability(engine: string): EngineAvailability {
  if (engine === 'aurora-postgresql') return { family: 'postgres', available: true, version: 'PostgreSQL 16' };
  const server = detectMysqlServer();
  return server
    ? { family: 'mysql', available: true, version: `${server.flavour === 'mariadb' ? 'MariaDB' : 'MySQL'} ${server.version}` }
    : { family: 'mysql', available: false, hint: MYSQL_INSTALL_HINT };
}

export class EngineSupervisor {
  private readonly clusters = new Map<string, Managed>();
  private readonly listeners = new EndpointListeners();
  private readonly metrics: EngineMetrics;
  private timer?: NodeJS.Timeout;
  private sampler?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private closed = false;

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
  }

  /** What an instance's engine measured (CommitThroughput, connections, lag…), for CloudWatch. */
  measured(region: string, instanceId: string): MeasuredSeries | undefined {
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
        if (!stopped) await m.engine.start().catch((e) => this.fail(m, undefined, e));
        for (const i of m.engine.instances()) if (i.state === 'running') m.seenRunning.add(i.instanceId);
        await this.openListeners(m, c);
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

  /** ModifyDBCluster with MasterUserPassword. */
  async passwordChanged(c: ClusterRec, password: string): Promise<void> {
    const m = this.clusters.get(key(c.region, c.id));
    if (!m) return;
    m.file.spec.masterPassword = password;
    writeSecret(path.join(m.dir, 'cluster.json'), m.file);
    const engine = m.engine as ClusterEngine & { setMasterPassword?: (p: string) => Promise<void> };
    await engine.setMasterPassword?.(password).catch(() => undefined);
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
    if (e?.state === 'running') return 'available';
    return m.seenRunning.has(i.id) ? 'rebooting' : 'creating';
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
    await this.listeners.closeAll();
    await Promise.all([...this.clusters.values()].map((m) => m.engine.stop().catch(() => undefined)));
    await Promise.all([shutdownAllPostgresEngines(), shutdownAllMysqlEngines()]);
  }

  // ---------------------------------------------------------------------------------------------- reconcile

  private async reconcileAll(): Promise<void> {
    const now = this.now();
    const alive = new Set<string>();
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
    for (const [k, m] of this.clusters) {
      // A cluster created while this pass ran is not in `alive` yet: ask the model again before destroying.
      if (alive.has(k) || m.busy || this.stillExists(m)) continue;
      // DeleteDBCluster completed: the cluster volume goes with it.
      this.clusters.delete(k);
      await this.closeListeners(m);
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
      await m.engine.start();
    }

    let eng = engineOf();
    const engineWriter = () => [...engineOf().values()].find((i) => i.role === 'writer');

    // The writer first: the first instance of an empty cluster is its writer.
    if (!engineWriter() && c.writerId && members.some((i) => i.id === c.writerId)) {
      this.assignHost(m, c.writerId);
      await this.openListeners(m, c);
      await this.guard(m, c.writerId, () => m.engine.createWriter(c.writerId!));
    }

    // A failover the model started: move the writer on the data at once.
    const w = engineWriter();
    const want = c.op?.kind === 'failover' ? c.op.to : c.writerId;
    if (w && want && want !== w.instanceId && engineOf().get(want)?.state === 'running') {
      const old = this.backendOf(w);
      if (w.state === 'running') await m.engine.failover(want);
      else await m.engine.promoteAfterCrash(want);
      if (old) this.listeners.dropConnections((b, k) => k === endpointKey(m, 'writer') && sameAddress(b, old));
    }

    // Readers the model has and the engine lacks.
    eng = engineOf();
    for (const i of members) {
      if (eng.has(i.id) || m.failed.has(i.id) || !engineWriter()) continue;
      this.assignHost(m, i.id);
      await this.openListeners(m, c);
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
      this.saveFile(m);
    }

    // Reboots the model started.
    for (const i of members) {
      if (i.op?.kind !== 'reboot') continue;
      const token = `${i.id}@${i.op.startedAt}`;
      if (m.done.has(token)) continue;
      m.done.add(token);
      await m.engine.reboot(i.id);
    }
    for (const e of m.engine.instances()) if (e.state === 'running') m.seenRunning.add(e.instanceId);
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
    const why = e instanceof Error ? e.message : String(e);
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

  // ---------------------------------------------------------------------------------------------- listeners

  private async openListeners(m: Managed, c: ClusterRec): Promise<void> {
    const net = m.file.net;
    const running = (): InstanceEngineInfo[] => m.engine.instances().filter((i) => i.state === 'running');
    const writerOpen = () => {
      try {
        const cc = this.model.getCluster(m.region, m.clusterId, this.now());
        return this.model.clusterStatus(cc) === 'available' || this.model.clusterStatus(cc) === 'modifying' || this.model.clusterStatus(cc) === 'backtracking';
      } catch {
        return false;
      }
    };
    const writer = (): ListenAddress | null => {
      const w = running().find((i) => i.role === 'writer');
      return w ? this.backendOf(w) : null;
    };
    const first = await this.listeners.open(endpointKey(m, 'writer'), () => (writerOpen() ? writer() : null), m.file.port, `127.0.${net}.1`);
    if (first.port !== m.file.port) {
      // The cluster's port is taken on this machine: every endpoint of the cluster moves to the one we got.
      m.file.port = first.port;
      this.saveFile(m);
    }
    await this.listeners.open(
      endpointKey(m, 'reader'),
      () => m.readers(running().filter((i) => i.role === 'reader').map((i) => this.backendOf(i)!).filter(Boolean), writer()),
      m.file.port,
      `127.0.${net}.2`,
    );
    for (const [id, host] of Object.entries(m.file.hosts)) {
      await this.listeners.open(
        endpointKey(m, id),
        () => {
          const i = running().find((x) => x.instanceId === id);
          return i ? this.backendOf(i) : null;
        },
        m.file.port,
        `127.0.${net}.${host}`,
      );
    }
    void c;
  }

  private async closeListeners(m: Managed): Promise<void> {
    await this.listeners.close(endpointKey(m, 'writer'));
    await this.listeners.close(endpointKey(m, 'reader'));
    for (const id of Object.keys(m.file.hosts)) await this.listeners.close(endpointKey(m, id));
  }

  private backendOf(i: InstanceEngineInfo): ListenAddress | null {
    return i.backendPort ? { host: '127.0.0.1', port: i.backendPort } : null;
  }

  private assignHost(m: Managed, instanceId: string): void {
    if (m.file.hosts[instanceId] !== undefined) return;
    const used = new Set(Object.values(m.file.hosts));
    let h = 10;
    while (used.has(h)) h++;
    m.file.hosts[instanceId] = h;
    this.saveFile(m);
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
      c.realEngine?.family === 'mysql' ? new MysqlClusterEngine(file.spec) : new PostgresClusterEngine(file.spec);
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
    };
    engine.onUnexpectedExit((id) => this.onExit(m, id));
    this.clusters.set(k, m);
    return m;
  }

  private saveFile(m: Managed): void {
    writeSecret(path.join(m.dir, 'cluster.json'), m.file);
  }

  /** A /24 of loopback addresses per cluster: 127.0.1.x, 127.0.2.x, … */
  private freeNet(): number {
    const used = new Set([...this.clusters.values()].map((m) => m.file.net));
    for (let n = 1; n < 255; n++) if (!used.has(n)) return n;
    throw new Error('No free loopback network is left for another real cluster (254 are in use).');
  }
}

const key = (region: string, clusterId: string) => `${region}/${clusterId}`;
const endpointKey = (m: Managed, what: string) => `${m.region}/${m.clusterId}/${what}`;
const sameAddress = (a: ListenAddress, b: ListenAddress) => a.host === b.host && a.port === b.port;

function writeSecret(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function randomPassword(): string {
  return [...crypto.getRandomValues(new Uint8Array(18))].map((b) => 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'[b % 56]).join('');
}
