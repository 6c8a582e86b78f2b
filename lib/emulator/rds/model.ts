// The RDS model: one façade over the per-concept modules, all working on one shared RdsStore.
// Every operation takes `now` explicitly; reads settle operations that completed by `now` (settle.ts).
//   records.ts            what is stored (clusters, instances, backtracks) and the operation inputs
//   store.ts              the shared state per region, persistence, events, lookups
//   settle.ts             status derived from timestamps; completion of every operation
//   clusters.ts           create / modify / delete / stop / start a cluster
//   instances.ts          create / modify / delete / reboot an instance
//   failover-backtrack.ts failover and backtrack
//   filters.ts            Describe* filter tables
//   events.ts             DescribeEvents
//   dataplane-view.ts     the history the simulated data plane reads
import type { DataplaneCluster, DataplaneSource, MeasuredSeries, Workload } from '../dataplane/types';
import type { Durations } from '../durations';
import type { EmulatorState, StoredEvent } from '../state';
import * as clusters from './clusters';
import { dataplaneClusters, setInitialWorkload, setWorkload } from './dataplane-view';
import { describeEvents } from './events';
import * as failoverBacktrack from './failover-backtrack';
import * as instances from './instances';
import type {
  BacktrackRec,
  ClusterRec,
  ClusterStatus,
  CreateClusterInput,
  CreateInstanceInput,
  EventQuery,
  Filter,
  InstanceRec,
  ModifyClusterInput,
} from './records';
import { backtrackStatus, clusterStatus, instanceStatus, settle } from './settle';
import * as restore from './restore';
import type { SnapshotRec } from './snapshot-records';
import * as snapshots from './snapshots';
import { RdsStore, type EventSourceType } from './store';
import { GlobalStore } from './global-store';
import { Outages } from '../outages';

/** What the real-engine supervisor (engines/supervisor.ts) adds to the model's answers. */
export interface EngineHooks {
  clusterCreated(c: ClusterRec, masterPassword: string | undefined): void;
  passwordChanged(c: ClusterRec, password: string): Promise<void>;
  clusterAddress(c: ClusterRec): { writer: string; reader: string; port: number } | undefined;
  instanceAddress(i: InstanceRec): { host: string; port: number } | undefined;
  instanceStatus(i: InstanceRec, modelStatus: string): string;
  /** What a real engine retains for backtrack (its earliest reachable time limits the cluster's). */
  backtrackWindow?(c: ClusterRec): { earliest: number; changeRecords: number } | undefined;
  /** BacktrackDBCluster was accepted: a real engine keeps the cluster `backtracking` until its data is rewound. */
  backtrackStarted?(c: ClusterRec, b: BacktrackRec): void;
  /** Something changed: reconcile the engines soon. */
  kick(): void;
  measured(region: string, instanceId: string): MeasuredSeries | undefined;
  /** A real cluster's backups as its engine keeps them; undefined when the cluster or its family keeps none. */
  backups?(c: ClusterRec): restore.EngineBackupInfo | undefined;
  /** A restore created `c`: give it its source's engine and data (the source is a snapshot or a cluster at a time). */
  clusterRestored?(c: ClusterRec, from: { snapshot: SnapshotRec } | { source: ClusterRec; restoreTime: number }): void;
}

/** Where CreateDBCluster with ManageMasterUserPassword keeps the generated master secret (secrets/service.ts). */
export interface MasterSecretHook {
  createManagedMasterSecret(region: string, arn: string, username: string, password: string, now: number): void;
  deleteSecret(region: string, arn: string): void;
}

export class RdsModel implements DataplaneSource {
  /** The shared state every concept module works on. */
  readonly store: RdsStore;
  /** Aurora Global Databases (account-wide) and the regional-outage switch they consult. */
  readonly globals: GlobalStore;
  /** Set when clusters the RDS API creates run real engines. */
  engines?: EngineHooks;
  /** Set when the endpoint serves Secrets Manager. */
  secrets?: MasterSecretHook;

  constructor(state: EmulatorState, durations: Durations) {
    this.store = new RdsStore(state, durations);
    this.globals = new GlobalStore(this.store, new Outages(state));
  }

  get state(): EmulatorState {
    return this.store.state;
  }

  get durations(): Durations {
    return this.store.durations;
  }

  set durations(d: Durations) {
    this.store.durations = d;
  }

  reset(): void {
    this.store.reset();
    this.globals.reset();
  }

  regionNames(): string[] {
    return this.store.regionNames();
  }

  settle(region: string, now: number): void {
    settle(this.store, region, now);
  }

  // ------------------------------------------------------------------ derived status and lookups

  clusterStatus(c: ClusterRec): ClusterStatus {
    return clusterStatus(c);
  }

  instanceStatus(i: InstanceRec, c?: ClusterRec): string {
    const status = instanceStatus(i, c);
    return this.engines && c?.realEngine ? this.engines.instanceStatus(i, status) : status;
  }

  saveCluster(c: ClusterRec): void {
    this.store.saveCluster(c);
  }

  recordEvent(region: string, time: number, sourceType: EventSourceType, sourceId: string, message: string, categories: string[]): void {
    this.store.event(region, time, sourceType, sourceId, message, categories);
  }

  backtrackStatus(b: BacktrackRec, now: number): 'pending' | 'applying' | 'completed' {
    return backtrackStatus(b, now);
  }

  earliestBacktrackTime(c: ClusterRec, now: number): number | undefined {
    const earliest = failoverBacktrack.earliestBacktrackTime(c, now);
    const engine = this.engines && c.realEngine ? this.engines.backtrackWindow?.(c) : undefined;
    return earliest === undefined || !engine ? earliest : Math.max(earliest, engine.earliest);
  }

  getCluster(region: string, idOrArn: string, now: number): ClusterRec {
    return this.store.getCluster(region, idOrArn, now);
  }

  getInstance(region: string, idOrArn: string, now: number): InstanceRec {
    return this.store.getInstance(region, idOrArn, now);
  }

  clusterOf(i: InstanceRec): ClusterRec | undefined {
    return this.store.clusterOf(i);
  }

  members(c: ClusterRec): InstanceRec[] {
    return this.store.members(c);
  }

  listClusters(region: string, now: number, filters: Filter[] = []): ClusterRec[] {
    return clusters.listClusters(this.store, region, now, filters);
  }

  listInstances(region: string, now: number, filters: Filter[] = []): InstanceRec[] {
    return instances.listInstances(this.store, region, now, filters);
  }

  // ------------------------------------------------------------------ cluster lifecycle

  createCluster(region: string, input: CreateClusterInput, now: number): ClusterRec {
    return clusters.createCluster(this.store, region, input, now);
  }

  modifyCluster(region: string, input: ModifyClusterInput, now: number): ClusterRec {
    return clusters.modifyCluster(this.store, region, input, now);
  }

  deleteCluster(
    region: string,
    input: { DBClusterIdentifier: string; SkipFinalSnapshot?: boolean; FinalDBSnapshotIdentifier?: string },
    now: number,
  ): ClusterRec {
    if (input.SkipFinalSnapshot !== true && input.FinalDBSnapshotIdentifier !== undefined) {
      this.store.getCluster(region, input.DBClusterIdentifier, now);
      snapshots.checkNewSnapshotId(this.store, region, input.FinalDBSnapshotIdentifier, 'FinalDBSnapshotIdentifier');
    }
    const c = clusters.deleteCluster(this.store, region, input, now);
    if (input.SkipFinalSnapshot !== true && input.FinalDBSnapshotIdentifier !== undefined) {
      const final = snapshots.createFinalSnapshot(this.store, c, input.FinalDBSnapshotIdentifier.toLowerCase(), now);
      // A real engine's data is copied out before the cluster (and its volume) goes.
      if (final.real && this.engines && c.op) c.op.waitFor = 'engine';
      this.store.saveCluster(c);
    }
    return c;
  }

  stopCluster(region: string, id: string, now: number): ClusterRec {
    return clusters.stopCluster(this.store, region, id, now);
  }

  startCluster(region: string, id: string, now: number): ClusterRec {
    return clusters.startCluster(this.store, region, id, now);
  }

  failoverCluster(region: string, id: string, target: string | undefined, now: number): ClusterRec {
    return failoverBacktrack.failoverCluster(this.store, region, id, target, now);
  }

  backtrackCluster(
    region: string,
    input: { DBClusterIdentifier: string; BacktrackTo: number; UseEarliestTimeOnPointInTimeUnavailable?: boolean; Force?: boolean },
    now: number,
  ): { cluster: ClusterRec; backtrack: BacktrackRec } {
    const engine = this.engines?.backtrackWindow?.(this.getCluster(region, input.DBClusterIdentifier, now));
    const started = failoverBacktrack.backtrackCluster(this.store, region, input, now, engine?.earliest);
    this.engines?.backtrackStarted?.(started.cluster, started.backtrack);
    return started;
  }

  listBacktracks(
    region: string,
    clusterId: string,
    now: number,
    backtrackId?: string,
    filters: Filter[] = [],
  ): { cluster: ClusterRec; backtracks: BacktrackRec[] } {
    return failoverBacktrack.listBacktracks(this.store, region, clusterId, now, backtrackId, filters);
  }

  // ------------------------------------------------------------------ snapshots and restores (snapshots.ts, restore.ts)

  createSnapshot(region: string, input: Parameters<typeof snapshots.createSnapshot>[2], now: number): SnapshotRec {
    return snapshots.createSnapshot(this.store, region, input, now);
  }

  listSnapshots(region: string, q: Parameters<typeof snapshots.listSnapshots>[2], now: number): SnapshotRec[] {
    return snapshots.listSnapshots(this.store, region, q, now);
  }

  getSnapshot(region: string, idOrArn: string, now: number): SnapshotRec {
    return snapshots.getSnapshot(this.store, region, idOrArn, now);
  }

  /** Saves a snapshot the supervisor changed; its completion is due when its export finished. */
  saveSnapshot(sn: SnapshotRec): void {
    snapshots.saveSnapshot(this.store, sn);
    const at = snapshots.snapshotReadyAt(sn);
    if (at !== undefined) this.store.due(this.store.region(sn.region), at);
  }

  deleteSnapshot(region: string, idOrArn: string, now: number): SnapshotRec {
    return snapshots.deleteSnapshot(this.store, region, idOrArn, now);
  }

  restorableWindow(c: ClusterRec, now: number): restore.RestorableWindow | undefined {
    return restore.restorableWindow(c, now, c.realEngine ? this.engines?.backups?.(c) : undefined);
  }

  restoreFromSnapshot(region: string, input: Parameters<typeof restore.restoreFromSnapshot>[2], now: number): ClusterRec {
    const { cluster, snapshot } = restore.restoreFromSnapshot(this.store, region, input, now, this.engines?.clusterRestored !== undefined);
    this.engines?.clusterRestored?.(cluster, { snapshot });
    return cluster;
  }

  restoreToPointInTime(region: string, input: Parameters<typeof restore.restoreToPointInTime>[2], now: number): ClusterRec {
    const engineOf = (c: ClusterRec) => (c.realEngine && this.engines?.clusterRestored ? this.engines.backups?.(c) : undefined);
    const { cluster, source, restoreTime } = restore.restoreToPointInTime(this.store, region, input, now, engineOf);
    this.engines?.clusterRestored?.(cluster, { source, restoreTime });
    return cluster;
  }

  /** A real engine finished what a held operation waited for (engines/backups.ts): it completes now or when due. */
  releaseOperation(c: ClusterRec, now: number): void {
    if (!c.op?.waitFor) return;
    c.op.waitFor = undefined;
    c.op.durationMs = Math.max(c.op.durationMs, now - c.op.startedAt);
    this.store.saveCluster(c);
    this.store.due(this.store.region(c.region), c.op.startedAt + c.op.durationMs);
  }

  // ------------------------------------------------------------------ instance lifecycle

  createInstance(region: string, input: CreateInstanceInput, now: number): InstanceRec {
    return instances.createInstance(this.store, region, input, now);
  }

  modifyInstance(
    region: string,
    input: { DBInstanceIdentifier: string; DBInstanceClass?: string; PromotionTier?: number; ApplyImmediately?: boolean; DeletionProtection?: boolean },
    now: number,
  ): InstanceRec {
    return instances.modifyInstance(this.store, region, input, now);
  }

  deleteInstance(region: string, id: string, now: number): InstanceRec {
    return instances.deleteInstance(this.store, region, id, now);
  }

  rebootInstance(region: string, id: string, forceFailover: boolean | undefined, now: number): InstanceRec {
    return instances.rebootInstance(this.store, region, id, forceFailover, now);
  }

  // ------------------------------------------------------------------ events, workload, data plane

  describeEvents(region: string, q: EventQuery, now: number): StoredEvent[] {
    return describeEvents(this.store, region, q, now);
  }

  setWorkload(region: string, clusterId: string, workload: Workload, now: number): ClusterRec {
    return setWorkload(this.store, region, clusterId, workload, now);
  }

  /** Seeding helper: set the initial workload without history. */
  setInitialWorkload(c: ClusterRec, workload: Workload): void {
    setInitialWorkload(this.store, c, workload);
  }

  clusters(region: string, now: number): DataplaneCluster[] {
    return this.globals.decorate(dataplaneClusters(this.store, region, now), region, now);
  }

  measured(region: string, instanceId: string): MeasuredSeries | undefined {
    return this.engines?.measured(region, instanceId);
  }
}
