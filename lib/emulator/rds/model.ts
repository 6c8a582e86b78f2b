// The RDS model: clusters, instances, events and backtracks, with status derived from timestamps.
// Every operation takes `now` explicitly; reads "settle" operations that completed by `now`, applying
// their side effects and writing events stamped at the completion time.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataplaneCluster, DataplaneInstance, DataplaneSource, Workload } from '../dataplane/types';
import type { Durations } from '../durations';
import type { EmulatorState, StoredEvent } from '../state';
import {
  availabilityZones,
  classSize,
  DEFAULT_PORT,
  ENGINES,
  isOrderable,
  LOG_EXPORTS,
  resolveEngineVersion,
  type Engine,
} from './catalogue';
import { Faults } from './errors';
import { validateIdentifier, validateMasterUsername, validatePassword, validateTags } from './validation';

export const ACCOUNT_ID = '123456789012';
export const MAX_READERS = 15;
export const EVENT_RETENTION_MS = 14 * 24 * 3600 * 1000;
export const DELETED_HISTORY_MS = 15 * 24 * 3600 * 1000;
export const AUTO_RESTART_MS = 7 * 24 * 3600 * 1000;

export type Tag = { Key: string; Value: string };

export interface ClusterOp {
  kind: 'create' | 'modify' | 'failover' | 'backtrack' | 'stop' | 'start' | 'delete';
  startedAt: number;
  durationMs: number;
  from?: string;
  to?: string;
  backtrackId?: string;
}

export interface InstanceOp {
  kind: 'create' | 'reboot' | 'modify' | 'delete';
  startedAt: number;
  durationMs: number;
  instanceClass?: string;
}

export interface BacktrackRec {
  id: string;
  backtrackTo: number;
  backtrackedFrom: number;
  requestedAt: number;
  completedAt: number;
}

export interface ClusterRec {
  region: string;
  id: string;
  arn: string;
  resourceId: string;
  engine: Engine;
  engineVersion: string;
  engineMode: string;
  family: string;
  port: number;
  masterUsername: string;
  databaseName?: string;
  manageMasterUserPassword: boolean;
  masterUserSecretArn?: string;
  masterUserSecretKmsKeyId?: string;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  deletionProtection: boolean;
  backtrackWindow: number;
  createdWithBacktrack: boolean;
  backtrackConsumedChangeRecords: number;
  backupRetentionPeriod: number;
  preferredBackupWindow: string;
  preferredMaintenanceWindow: string;
  vpcSecurityGroupIds: string[];
  availabilityZones: string[];
  dbSubnetGroup: string;
  parameterGroup: string;
  tags: Tag[];
  storageType: string;
  logExports: string[];
  iamAuth: boolean;
  copyTagsToSnapshot: boolean;
  performanceInsights: boolean;
  serverlessV2?: { MinCapacity: number; MaxCapacity: number; SecondsUntilAutoPause?: number };
  pendingModifiedValues?: { BackupRetentionPeriod?: number; BacktrackWindow?: number };
  createdAt: number;
  deletedAt?: number;
  op?: ClusterOp;
  automaticRestartTime?: number;
  writerId?: string;
  writerHistory: { instanceId: string; from: number }[];
  failovers: { startedAt: number; completedAt: number; from: string; to: string }[];
  backtracks: BacktrackRec[];
  reboots: { instanceId: string; startedAt: number; completedAt: number }[];
  stopped: { from: number; to?: number }[];
  workload: Workload;
  workloadHistory: { workload: Workload; from: number }[];
  pastInstances: DataplaneInstance[];
}

export interface InstanceRec {
  region: string;
  id: string;
  clusterId: string;
  arn: string;
  resourceId: string;
  instanceClass: string;
  engine: Engine;
  engineVersion: string;
  az: string;
  promotionTier: number;
  publiclyAccessible: boolean;
  monitoringInterval: number;
  performanceInsights: boolean;
  autoMinorVersionUpgrade: boolean;
  tags: Tag[];
  createdAt: number;
  availableAt: number;
  op?: InstanceOp;
}

export type ClusterStatus =
  | 'creating' | 'available' | 'modifying' | 'failing-over' | 'backtracking' | 'stopping' | 'stopped' | 'starting' | 'deleting';

interface RegionState {
  clusters: Map<string, ClusterRec>;
  instances: Map<string, InstanceRec>;
  deleted: ClusterRec[];
  nextDue: number;
  /** Members per cluster, sorted by creation; rebuilt lazily after instances are added or removed. */
  byCluster?: Map<string, InstanceRec[]>;
}

export interface CreateClusterInput {
  DBClusterIdentifier?: string;
  Engine?: string;
  EngineVersion?: string;
  EngineMode?: string;
  MasterUsername?: string;
  MasterUserPassword?: string;
  ManageMasterUserPassword?: boolean;
  MasterUserSecretKmsKeyId?: string;
  DatabaseName?: string;
  Port?: number;
  BacktrackWindow?: number;
  BackupRetentionPeriod?: number;
  PreferredBackupWindow?: string;
  PreferredMaintenanceWindow?: string;
  StorageEncrypted?: boolean;
  KmsKeyId?: string;
  DeletionProtection?: boolean;
  DBSubnetGroupName?: string;
  DBClusterParameterGroupName?: string;
  VpcSecurityGroupIds?: string[];
  AvailabilityZones?: string[];
  Tags?: { Key?: string; Value?: string }[];
  StorageType?: string;
  EnableCloudwatchLogsExports?: string[];
  EnableIAMDatabaseAuthentication?: boolean;
  CopyTagsToSnapshot?: boolean;
  EnablePerformanceInsights?: boolean;
  ServerlessV2ScalingConfiguration?: { MinCapacity?: number; MaxCapacity?: number; SecondsUntilAutoPause?: number };
}

export interface CreateInstanceInput {
  DBInstanceIdentifier?: string;
  DBInstanceClass?: string;
  Engine?: string;
  DBClusterIdentifier?: string;
  AvailabilityZone?: string;
  PromotionTier?: number;
  DeletionProtection?: boolean;
  PubliclyAccessible?: boolean;
  MonitoringInterval?: number;
  EnablePerformanceInsights?: boolean;
  AutoMinorVersionUpgrade?: boolean;
  Tags?: { Key?: string; Value?: string }[];
  MasterUsername?: string;
  MasterUserPassword?: string;
  AllocatedStorage?: number;
  EngineVersion?: string;
}

export interface ModifyClusterInput {
  DBClusterIdentifier: string;
  ApplyImmediately?: boolean;
  BacktrackWindow?: number;
  BackupRetentionPeriod?: number;
  DeletionProtection?: boolean;
  MasterUserPassword?: string;
  ServerlessV2ScalingConfiguration?: { MinCapacity?: number; MaxCapacity?: number; SecondsUntilAutoPause?: number };
}

export interface Filter {
  Name: string;
  Values: string[];
}

export interface EventQuery {
  SourceIdentifier?: string;
  SourceType?: string;
  StartTime?: number;
  EndTime?: number;
  Duration?: number;
  EventCategories?: string[];
}

const rand = (n: number, alphabet: string) => {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[bytes[i] % alphabet.length];
  return s;
};
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** The 12-character endpoint token is per account + region, like AWS. */
export function endpointToken(region: string): string {
  const h = createHash('sha256').update(`${ACCOUNT_ID}/${region}`).digest();
  const a = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 12; i++) s += a[h[i] % a.length];
  return s;
}

export function hostedZoneId(region: string): string {
  const h = createHash('sha256').update(`hz/${region}`).digest();
  let s = 'Z';
  for (let i = 0; i < 13; i++) s += UPPER[h[i] % UPPER.length];
  return s;
}

function arnToId(value: string, kind: 'cluster' | 'db'): string {
  const m = /^arn:aws[a-z-]*:rds:[^:]*:\d*:([a-z]+):(.+)$/.exec(value);
  if (m && m[1] === kind) return m[2].toLowerCase();
  return value.toLowerCase();
}

function randomWindow(seed: string, minutesFrom: number): string {
  const h = createHash('sha256').update(seed).digest();
  const start = minutesFrom + (h[0] % 16) * 30;
  const fmt = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${fmt(start)}-${fmt(start + 30)}`;
}

function checkBackupWindow(w: string): void {
  const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(w);
  if (!m) throw Faults.InvalidParameterValue(`The backup window must be in the format hh24:mi-hh24:mi: ${w}`);
  const a = Number(m[1]) * 60 + Number(m[2]);
  let b = Number(m[3]) * 60 + Number(m[4]);
  if (b < a) b += 1440;
  if (b - a < 30) throw Faults.InvalidParameterValue('The backup window must be at least 30 minutes.');
}

function checkMaintenanceWindow(w: string): void {
  if (!/^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/i.test(w)) {
    throw Faults.InvalidParameterValue(`The maintenance window must be in the format ddd:hh24:mi-ddd:hh24:mi: ${w}`);
  }
}

export class RdsModel implements DataplaneSource {
  private regions = new Map<string, RegionState>();
  private eventsPrunedAt = 0;

  constructor(
    readonly state: EmulatorState,
    public durations: Durations,
  ) {
    this.load();
  }

  // ------------------------------------------------------------------ persistence

  private load(): void {
    this.regions.clear();
    for (const { region, doc } of this.state.loadDocs<ClusterRec>('cluster')) this.region(region).clusters.set(doc.id, doc);
    for (const { region, doc } of this.state.loadDocs<InstanceRec>('instance')) this.region(region).instances.set(doc.id, doc);
    for (const { region, doc } of this.state.loadDocs<ClusterRec>('deleted-cluster')) this.region(region).deleted.push(doc);
    for (const r of this.regions.values()) r.nextDue = 0; // force one settle pass
  }

  reset(): void {
    this.state.clearRds();
    this.regions.clear();
  }

  private region(region: string): RegionState {
    let r = this.regions.get(region);
    if (!r) {
      r = { clusters: new Map(), instances: new Map(), deleted: [], nextDue: Infinity };
      this.regions.set(region, r);
    }
    return r;
  }

  regionNames(): string[] {
    return [...this.regions.keys()];
  }

  private saveCluster(c: ClusterRec): void {
    this.state.putDoc(c.region, 'cluster', c.id, c);
  }
  private saveInstance(i: InstanceRec): void {
    this.state.putDoc(i.region, 'instance', i.id, i);
  }

  private event(
    region: string,
    time: number,
    sourceType: 'db-cluster' | 'db-instance',
    sourceId: string,
    message: string,
    categories: string[],
  ): void {
    const kind = sourceType === 'db-cluster' ? 'cluster' : 'db';
    this.state.addEvent({
      region,
      time,
      sourceType,
      sourceId,
      sourceArn: `arn:aws:rds:${region}:${ACCOUNT_ID}:${kind}:${sourceId}`,
      message,
      categories,
    });
  }

  private due(r: RegionState, at: number): void {
    if (at < r.nextDue) r.nextDue = at;
  }

  // ------------------------------------------------------------------ settling

  /** Applies every operation that completed by `now`, in completion order. */
  settle(region: string, now: number): void {
    const r = this.region(region);
    if (now < r.nextDue) return;
    this.state.transaction(() => {
      for (let guard = 0; guard < 100_000; guard++) {
        let best: { at: number; apply: () => void } | undefined;
        for (const c of r.clusters.values()) {
          if (c.op) {
            const at = c.op.startedAt + c.op.durationMs;
            if (at <= now && (!best || at < best.at)) best = { at, apply: () => this.completeClusterOp(r, c, at) };
          } else if (c.automaticRestartTime !== undefined && c.automaticRestartTime <= now) {
            const at = c.automaticRestartTime;
            if (!best || at < best.at) best = { at, apply: () => this.autoRestart(r, c, at) };
          }
        }
        for (const i of r.instances.values()) {
          if (!i.op) continue;
          const at = i.op.startedAt + i.op.durationMs;
          if (at <= now && (!best || at < best.at)) best = { at, apply: () => this.completeInstanceOp(r, i, at) };
        }
        if (!best) break;
        best.apply();
      }
      // Recompute the next due time.
      let next = Infinity;
      for (const c of r.clusters.values()) {
        if (c.op) next = Math.min(next, c.op.startedAt + c.op.durationMs);
        else if (c.automaticRestartTime !== undefined) next = Math.min(next, c.automaticRestartTime);
      }
      for (const i of r.instances.values()) if (i.op) next = Math.min(next, i.op.startedAt + i.op.durationMs);
      r.nextDue = next;
      // Forget deleted clusters older than the history horizon.
      const keep = r.deleted.filter((d) => (d.deletedAt ?? 0) >= now - DELETED_HISTORY_MS);
      if (keep.length !== r.deleted.length) {
        for (const d of r.deleted) {
          if (!keep.includes(d)) this.state.deleteDoc(region, 'deleted-cluster', `${d.id}@${d.deletedAt}`);
        }
        r.deleted = keep;
      }
    });
    if (now - this.eventsPrunedAt > 3600_000) {
      this.eventsPrunedAt = now;
      this.state.pruneEvents(now - EVENT_RETENTION_MS);
    }
  }

  private completeClusterOp(r: RegionState, c: ClusterRec, at: number): void {
    const op = c.op!;
    c.op = undefined;
    switch (op.kind) {
      case 'create':
        this.event(c.region, at, 'db-cluster', c.id, 'DB cluster created', ['creation']);
        break;
      case 'modify':
        this.event(c.region, at, 'db-cluster', c.id, 'DB cluster modified', ['configuration change']);
        break;
      case 'failover': {
        const from = op.from!;
        const to = op.to!;
        if (r.instances.has(to)) {
          c.writerId = to;
          c.writerHistory.push({ instanceId: to, from: at });
        }
        c.failovers.push({ startedAt: op.startedAt, completedAt: at, from, to });
        this.event(c.region, at, 'db-cluster', c.id, `Completed failover to DB instance: ${to}`, ['failover']);
        for (const id of [from, to]) {
          if (r.instances.has(id)) this.event(c.region, at, 'db-instance', id, 'DB instance restarted', ['availability']);
        }
        break;
      }
      case 'backtrack': {
        const b = c.backtracks.find((x) => x.id === op.backtrackId);
        this.event(
          c.region,
          at,
          'db-cluster',
          c.id,
          `Completed backtrack to ${b ? new Date(b.backtrackTo).toISOString() : 'the requested time'}`,
          ['backtrack'],
        );
        break;
      }
      case 'stop':
        c.stopped.push({ from: at });
        c.automaticRestartTime = at + AUTO_RESTART_MS;
        this.event(c.region, at, 'db-cluster', c.id, 'DB cluster stopped', ['notification']);
        break;
      case 'start': {
        const last = c.stopped[c.stopped.length - 1];
        if (last && last.to === undefined) last.to = at;
        this.event(c.region, at, 'db-cluster', c.id, 'DB cluster started', ['notification']);
        break;
      }
      case 'delete': {
        c.deletedAt = at;
        // Any member still deleting goes with the cluster.
        for (const i of [...r.instances.values()]) if (i.clusterId === c.id) this.removeInstance(r, c, i, at);
        r.clusters.delete(c.id);
        this.state.deleteDoc(c.region, 'cluster', c.id);
        r.deleted.push(c);
        this.state.putDoc(c.region, 'deleted-cluster', `${c.id}@${at}`, c);
        this.event(c.region, at, 'db-cluster', c.id, 'DB cluster deleted', ['deletion']);
        return;
      }
    }
    this.saveCluster(c);
  }

  private autoRestart(r: RegionState, c: ClusterRec, at: number): void {
    c.automaticRestartTime = undefined;
    c.op = { kind: 'start', startedAt: at, durationMs: this.durations.startCluster };
    this.event(
      c.region,
      at,
      'db-cluster',
      c.id,
      'DB cluster is being started due to it exceeding the maximum allowed time being stopped.',
      ['notification'],
    );
    this.saveCluster(c);
    this.due(r, at + this.durations.startCluster);
  }

  private completeInstanceOp(r: RegionState, i: InstanceRec, at: number): void {
    const op = i.op!;
    i.op = undefined;
    const c = r.clusters.get(i.clusterId);
    switch (op.kind) {
      case 'create':
        this.event(i.region, at, 'db-instance', i.id, 'DB instance created', ['creation']);
        break;
      case 'reboot':
        c?.reboots.push({ instanceId: i.id, startedAt: op.startedAt, completedAt: at });
        if (c) this.saveCluster(c);
        this.event(i.region, at, 'db-instance', i.id, 'DB instance restarted', ['availability']);
        break;
      case 'modify':
        if (op.instanceClass) {
          i.instanceClass = op.instanceClass;
          this.event(i.region, at, 'db-instance', i.id, `Finished applying modification to DB instance class`, [
            'configuration change',
          ]);
        }
        break;
      case 'delete':
        if (c) this.removeInstance(r, c, i, at);
        else {
          r.instances.delete(i.id);
          r.byCluster = undefined;
          this.state.deleteDoc(i.region, 'instance', i.id);
        }
        return;
    }
    this.saveInstance(i);
  }

  private removeInstance(r: RegionState, c: ClusterRec, i: InstanceRec, at: number): void {
    r.instances.delete(i.id);
    r.byCluster = undefined;
    this.state.deleteDoc(i.region, 'instance', i.id);
    c.pastInstances.push({ id: i.id, instanceClass: i.instanceClass, createdAt: i.createdAt, availableAt: i.availableAt, deletedAt: at });
    this.event(i.region, at, 'db-instance', i.id, 'DB instance deleted', ['deletion']);
    if (c.writerId === i.id) {
      c.writerId = undefined;
      const best = this.pickFailoverTarget(r, c, i.id, true);
      if (best) {
        c.writerId = best.id;
        c.writerHistory.push({ instanceId: best.id, from: at });
      }
    }
    this.saveCluster(c);
  }

  // ------------------------------------------------------------------ derived status

  clusterStatus(c: ClusterRec): ClusterStatus {
    if (c.op) {
      switch (c.op.kind) {
        case 'create': return 'creating';
        case 'modify': return 'modifying';
        case 'failover': return 'failing-over';
        case 'backtrack': return 'backtracking';
        case 'stop': return 'stopping';
        case 'start': return 'starting';
        case 'delete': return 'deleting';
      }
    }
    const last = c.stopped[c.stopped.length - 1];
    if (last && last.to === undefined) return 'stopped';
    return 'available';
  }

  instanceStatus(i: InstanceRec, c?: ClusterRec): string {
    if (i.op) {
      switch (i.op.kind) {
        case 'create': return 'creating';
        case 'reboot': return 'rebooting';
        case 'modify': return 'modifying';
        case 'delete': return 'deleting';
      }
    }
    if (c) {
      const cs = this.clusterStatus(c);
      if (cs === 'failing-over' && (c.op!.from === i.id || c.op!.to === i.id)) return 'rebooting';
      if (cs === 'backtracking') return 'backtracking';
      if (cs === 'stopping' || cs === 'stopped' || cs === 'starting') return cs;
    }
    return 'available';
  }

  // ------------------------------------------------------------------ lookups

  getCluster(region: string, idOrArn: string, now: number): ClusterRec {
    this.settle(region, now);
    const id = arnToId(idOrArn, 'cluster');
    const c = this.region(region).clusters.get(id);
    if (!c) throw Faults.DBClusterNotFound(`DBCluster ${id} not found.`);
    return c;
  }

  getInstance(region: string, idOrArn: string, now: number): InstanceRec {
    this.settle(region, now);
    const id = arnToId(idOrArn, 'db');
    const i = this.region(region).instances.get(id);
    if (!i) throw Faults.DBInstanceNotFound(`DBInstance ${id} not found.`);
    return i;
  }

  clusterOf(i: InstanceRec): ClusterRec | undefined {
    return this.region(i.region).clusters.get(i.clusterId);
  }

  members(c: ClusterRec): InstanceRec[] {
    const r = this.region(c.region);
    if (!r.byCluster) {
      const m = new Map<string, InstanceRec[]>();
      for (const i of r.instances.values()) {
        let l = m.get(i.clusterId);
        if (!l) m.set(i.clusterId, (l = []));
        l.push(i);
      }
      for (const l of m.values()) l.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
      r.byCluster = m;
    }
    return r.byCluster.get(c.id) ?? [];
  }

  listClusters(region: string, now: number, filters: Filter[] = []): ClusterRec[] {
    this.settle(region, now);
    const known = ['db-cluster-id', 'db-cluster-resource-id', 'engine', 'clone-group-id', 'domain'];
    for (const f of filters) {
      if (!known.includes(f.Name)) throw Faults.InvalidParameterValue(`Unrecognized filter name: ${f.Name}.`);
    }
    let list = [...this.region(region).clusters.values()];
    for (const f of filters) {
      if (f.Name === 'db-cluster-id') {
        const ids = new Set(f.Values.map((v) => arnToId(v, 'cluster')));
        list = list.filter((c) => ids.has(c.id));
      } else if (f.Name === 'db-cluster-resource-id') list = list.filter((c) => f.Values.includes(c.resourceId));
      else if (f.Name === 'engine') list = list.filter((c) => f.Values.includes(c.engine));
      else list = [];
    }
    return list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  listInstances(region: string, now: number, filters: Filter[] = []): InstanceRec[] {
    this.settle(region, now);
    const known = ['db-cluster-id', 'db-instance-id', 'dbi-resource-id', 'domain', 'engine'];
    for (const f of filters) {
      if (!known.includes(f.Name)) throw Faults.InvalidParameterValue(`Unrecognized filter name: ${f.Name}.`);
    }
    let list = [...this.region(region).instances.values()];
    for (const f of filters) {
      if (f.Name === 'db-cluster-id') {
        const ids = new Set(f.Values.map((v) => arnToId(v, 'cluster')));
        list = list.filter((i) => ids.has(i.clusterId));
      } else if (f.Name === 'db-instance-id') {
        const ids = new Set(f.Values.map((v) => arnToId(v, 'db')));
        list = list.filter((i) => ids.has(i.id));
      } else if (f.Name === 'dbi-resource-id') list = list.filter((i) => f.Values.includes(i.resourceId));
      else if (f.Name === 'engine') list = list.filter((i) => f.Values.includes(i.engine));
      else list = [];
    }
    return list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  // ------------------------------------------------------------------ clusters

  createCluster(region: string, input: CreateClusterInput, now: number): ClusterRec {
    this.settle(region, now);
    if (!input.DBClusterIdentifier) throw Faults.MissingParameter('The request must contain the parameter DBClusterIdentifier');
    if (!input.Engine) throw Faults.MissingParameter('The request must contain the parameter Engine');
    const id = validateIdentifier('DBClusterIdentifier', input.DBClusterIdentifier);
    if (!(ENGINES as string[]).includes(input.Engine)) {
      throw Faults.InvalidParameterValue(`Invalid DB engine: ${input.Engine}. This emulator supports aurora-mysql and aurora-postgresql.`);
    }
    const engine = input.Engine as Engine;
    const version = resolveEngineVersion(engine, input.EngineVersion);
    if (!version) throw Faults.InvalidParameterCombination(`Cannot find version ${input.EngineVersion} for ${engine}`);
    const engineMode = input.EngineMode ?? 'provisioned';
    if (engineMode !== 'provisioned') {
      throw Faults.InvalidParameterValue(`The engine mode ${engineMode} you requested is currently unavailable.`);
    }
    const masterUsername = validateMasterUsername(input.MasterUsername);
    const managed = input.ManageMasterUserPassword === true;
    if (managed && input.MasterUserPassword !== undefined) {
      throw Faults.InvalidParameterCombination(
        'You cannot specify MasterUserPassword when ManageMasterUserPassword is turned on.',
      );
    }
    if (!managed) validatePassword(input.MasterUserPassword);
    if (input.DatabaseName !== undefined) {
      const ok = engine === 'aurora-mysql' ? /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/.test(input.DatabaseName) : /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(input.DatabaseName);
      if (!ok) throw Faults.InvalidParameterValue(`DatabaseName ${input.DatabaseName} is not a valid database name for ${engine}.`);
    }
    const port = input.Port ?? DEFAULT_PORT[engine];
    if (!Number.isInteger(port) || port < 1150 || port > 65535) {
      throw Faults.InvalidParameterValue(`Invalid port ${port}. The port must be between 1150 and 65535.`);
    }
    const backtrackWindow = input.BacktrackWindow ?? 0;
    if (input.BacktrackWindow !== undefined) {
      if (engine !== 'aurora-mysql') throw Faults.InvalidParameterValue(`Backtrack is not enabled for the ${engine} engine.`);
      this.checkBacktrackWindow(backtrackWindow);
    }
    const retention = input.BackupRetentionPeriod ?? 1;
    this.checkRetention(retention);
    const subnet = (input.DBSubnetGroupName ?? 'default').toLowerCase();
    if (subnet !== 'default') throw Faults.DBSubnetGroupNotFound(`DBSubnetGroup ${input.DBSubnetGroupName} not found.`);
    const pg = input.DBClusterParameterGroupName ?? `default.${version.family}`;
    if (pg.toLowerCase() !== `default.${version.family}`) {
      throw Faults.DBClusterParameterGroupNotFound(`DBClusterParameterGroup not found: ${pg}`);
    }
    const regionAzs = availabilityZones(region);
    const azs = input.AvailabilityZones && input.AvailabilityZones.length > 0 ? input.AvailabilityZones : regionAzs;
    if (azs.length > 3) throw Faults.InvalidParameterValue('A DB cluster can have at most 3 availability zones.');
    for (const az of azs) {
      if (!regionAzs.includes(az)) throw Faults.InvalidParameterValue(`Availability zone '${az}' is unavailable in this region, please choose another zone set.`);
    }
    const storageType = input.StorageType ?? 'aurora';
    if (storageType !== 'aurora' && storageType !== 'aurora-iopt1') {
      throw Faults.InvalidParameterValue(`Invalid storage type: ${storageType}. Valid values for Aurora are aurora and aurora-iopt1.`);
    }
    const logs = input.EnableCloudwatchLogsExports ?? [];
    for (const l of logs) {
      if (!LOG_EXPORTS[engine].includes(l)) throw Faults.InvalidParameterValue(`You cannot use the log type ${l} with engine ${engine}.`);
    }
    const serverlessV2 = input.ServerlessV2ScalingConfiguration
      ? this.checkServerlessV2(engine, version.version, input.ServerlessV2ScalingConfiguration)
      : undefined;
    if (input.PreferredBackupWindow !== undefined) checkBackupWindow(input.PreferredBackupWindow);
    if (input.PreferredMaintenanceWindow !== undefined) checkMaintenanceWindow(input.PreferredMaintenanceWindow);
    const tags = validateTags(input.Tags ?? []);
    const r = this.region(region);
    if (r.clusters.has(id)) throw Faults.DBClusterAlreadyExists('DB Cluster already exists');
    const c: ClusterRec = {
      region,
      id,
      arn: `arn:aws:rds:${region}:${ACCOUNT_ID}:cluster:${id}`,
      resourceId: `cluster-${rand(26, UPPER)}`,
      engine,
      engineVersion: version.version,
      engineMode,
      family: version.family,
      port,
      masterUsername,
      databaseName: input.DatabaseName,
      manageMasterUserPassword: managed,
      masterUserSecretArn: managed
        ? `arn:aws:secretsmanager:${region}:${ACCOUNT_ID}:secret:rds!cluster-${randomUUID()}-${rand(6, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')}`
        : undefined,
      masterUserSecretKmsKeyId: managed ? (input.MasterUserSecretKmsKeyId ?? `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${randomUUID()}`) : undefined,
      storageEncrypted: input.StorageEncrypted ?? false,
      kmsKeyId: input.StorageEncrypted ? (input.KmsKeyId ?? `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${randomUUID()}`) : undefined,
      deletionProtection: input.DeletionProtection ?? false,
      backtrackWindow,
      createdWithBacktrack: backtrackWindow > 0,
      backtrackConsumedChangeRecords: 0,
      backupRetentionPeriod: retention,
      preferredBackupWindow: input.PreferredBackupWindow ?? randomWindow(id + 'b', 3 * 60),
      preferredMaintenanceWindow: input.PreferredMaintenanceWindow ?? `sun:${randomWindow(id + 'm', 10 * 60)}`.replace('-', '-sun:'),
      vpcSecurityGroupIds: input.VpcSecurityGroupIds?.length ? input.VpcSecurityGroupIds : [`sg-${createHash('sha256').update(region).digest('hex').slice(0, 17)}`],
      availabilityZones: [...azs].sort(),
      dbSubnetGroup: 'default',
      parameterGroup: `default.${version.family}`,
      tags,
      storageType,
      logExports: logs,
      iamAuth: input.EnableIAMDatabaseAuthentication ?? false,
      copyTagsToSnapshot: input.CopyTagsToSnapshot ?? false,
      performanceInsights: input.EnablePerformanceInsights ?? false,
      serverlessV2,
      createdAt: now,
      op: { kind: 'create', startedAt: now, durationMs: this.durations.createCluster },
      writerHistory: [],
      failovers: [],
      backtracks: [],
      reboots: [],
      stopped: [],
      workload: 'steady',
      workloadHistory: [],
      pastInstances: [],
    };
    r.clusters.set(id, c);
    this.saveCluster(c);
    this.due(r, now + this.durations.createCluster);
    return c;
  }

  private checkServerlessV2(
    engine: Engine,
    engineVersion: string,
    s: { MinCapacity?: number; MaxCapacity?: number; SecondsUntilAutoPause?: number },
  ): NonNullable<ClusterRec['serverlessV2']> {
    const version = resolveEngineVersion(engine, engineVersion)!;
    const min = s.MinCapacity;
    const max = s.MaxCapacity;
    if (min === undefined || max === undefined) {
      throw Faults.InvalidParameterCombination('ServerlessV2ScalingConfiguration requires both MinCapacity and MaxCapacity.');
    }
    const lowest = version.serverlessV2.min;
    const highest = version.serverlessV2.max;
    if (highest === 0) throw Faults.InvalidParameterCombination(`Serverless v2 is not supported for ${engine} ${version.version}.`);
    if (min < lowest || max > highest || min > max || (min * 2) % 1 !== 0 || (max * 2) % 1 !== 0 || max < 1) {
      throw Faults.InvalidParameterValue(
        `Invalid ServerlessV2ScalingConfiguration: capacity must be in 0.5 ACU steps with ${lowest} <= MinCapacity <= MaxCapacity <= ${highest} and MaxCapacity >= 1.`,
      );
    }
    const pause = s.SecondsUntilAutoPause;
    if (pause !== undefined && (pause < 300 || pause > 86400)) {
      throw Faults.InvalidParameterValue('SecondsUntilAutoPause must be between 300 and 86400.');
    }
    return { MinCapacity: min, MaxCapacity: max, SecondsUntilAutoPause: min === 0 ? (pause ?? 300) : undefined };
  }

  private checkBacktrackWindow(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > 259200) {
      throw Faults.InvalidParameterValue(
        `The specified value (${n}) is not a valid Backtrack Window. Allowed values are within the range of 0 to 259200`,
      );
    }
  }

  private checkRetention(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > 35) {
      throw Faults.InvalidParameterValue(`Invalid backup retention period: ${n}. The value must be between 1 and 35.`);
    }
  }

  private requireClusterState(c: ClusterRec, allowed: ClusterStatus[], action: string): void {
    const s = this.clusterStatus(c);
    if (!allowed.includes(s)) {
      throw Faults.InvalidDBClusterState(`DbCluster ${c.id} is not in a valid state for ${action}; its status is ${s}.`);
    }
  }

  modifyCluster(region: string, input: ModifyClusterInput, now: number): ClusterRec {
    const c = this.getCluster(region, input.DBClusterIdentifier, now);
    const r = this.region(region);
    if (input.BacktrackWindow !== undefined) {
      if (c.engine !== 'aurora-mysql') throw Faults.InvalidParameterValue(`Backtrack is not enabled for the ${c.engine} engine.`);
      this.checkBacktrackWindow(input.BacktrackWindow);
      if (input.BacktrackWindow > 0 && !c.createdWithBacktrack) {
        throw Faults.InvalidParameterCombination(
          'Backtrack can only be enabled on a DB cluster that was created with backtrack enabled. To use backtrack, create a new DB cluster (or restore or clone) with a nonzero BacktrackWindow.',
        );
      }
    }
    if (input.BackupRetentionPeriod !== undefined) this.checkRetention(input.BackupRetentionPeriod);
    if (input.MasterUserPassword !== undefined) {
      if (c.manageMasterUserPassword) {
        throw Faults.InvalidParameterCombination('You cannot specify MasterUserPassword when ManageMasterUserPassword is turned on.');
      }
      validatePassword(input.MasterUserPassword);
    }
    const sv2 = input.ServerlessV2ScalingConfiguration
      ? this.checkServerlessV2(c.engine, c.engineVersion, input.ServerlessV2ScalingConfiguration)
      : undefined;
    const changes =
      input.BacktrackWindow !== undefined || input.BackupRetentionPeriod !== undefined || input.MasterUserPassword !== undefined;
    if (changes || sv2 || input.DeletionProtection !== undefined) this.requireClusterState(c, ['available'], 'modification');
    if (sv2) {
      // Capacity changes apply immediately and do not take the cluster through `modifying`.
      c.serverlessV2 = sv2;
    }
    if (input.DeletionProtection !== undefined) c.deletionProtection = input.DeletionProtection;
    if (changes) {
      if (input.ApplyImmediately) {
        if (input.BacktrackWindow !== undefined) {
          c.backtrackWindow = input.BacktrackWindow;
          if (input.BacktrackWindow === 0) c.createdWithBacktrack = false; // 0 disables permanently
        }
        if (input.BackupRetentionPeriod !== undefined) c.backupRetentionPeriod = input.BackupRetentionPeriod;
        c.pendingModifiedValues = undefined;
        c.op = { kind: 'modify', startedAt: now, durationMs: this.durations.modifyCluster };
        this.due(r, now + this.durations.modifyCluster);
      } else {
        const p = { ...(c.pendingModifiedValues ?? {}) };
        if (input.BacktrackWindow !== undefined) p.BacktrackWindow = input.BacktrackWindow;
        if (input.BackupRetentionPeriod !== undefined) p.BackupRetentionPeriod = input.BackupRetentionPeriod;
        c.pendingModifiedValues = Object.keys(p).length ? p : undefined;
        if (input.MasterUserPassword !== undefined) {
          // The master password always applies at once.
          c.op = { kind: 'modify', startedAt: now, durationMs: this.durations.modifyCluster };
          this.due(r, now + this.durations.modifyCluster);
        }
      }
    }
    this.saveCluster(c);
    return c;
  }

  deleteCluster(
    region: string,
    input: { DBClusterIdentifier: string; SkipFinalSnapshot?: boolean; FinalDBSnapshotIdentifier?: string },
    now: number,
  ): ClusterRec {
    const c = this.getCluster(region, input.DBClusterIdentifier, now);
    const skip = input.SkipFinalSnapshot ?? false;
    if (skip && input.FinalDBSnapshotIdentifier !== undefined) {
      throw Faults.InvalidParameterCombination('FinalDBSnapshotIdentifier can not be specified when deleting a cluster with SkipFinalSnapshot=true.');
    }
    if (!skip) {
      if (input.FinalDBSnapshotIdentifier === undefined) {
        throw Faults.InvalidParameterCombination('FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.');
      }
      validateIdentifier('FinalDBSnapshotIdentifier', input.FinalDBSnapshotIdentifier, 255);
    }
    if (c.deletionProtection) {
      throw Faults.InvalidParameterCombination('Cannot delete protected Cluster, please disable deletion protection and try again.');
    }
    this.requireClusterState(c, ['available', 'stopped', 'creating', 'modifying'], 'deletion');
    const members = this.members(c);
    if (members.some((i) => i.op?.kind !== 'delete')) {
      throw Faults.InvalidDBClusterState('Cluster cannot be deleted, it still contains DB instances in non-deleting state.');
    }
    let end = now + this.durations.deleteCluster;
    for (const i of members) end = Math.max(end, i.op!.startedAt + i.op!.durationMs);
    c.automaticRestartTime = undefined;
    const last = c.stopped[c.stopped.length - 1];
    if (last && last.to === undefined) last.to = now;
    c.op = { kind: 'delete', startedAt: now, durationMs: end - now };
    this.saveCluster(c);
    this.due(this.region(region), end);
    return c;
  }

  stopCluster(region: string, id: string, now: number): ClusterRec {
    const c = this.getCluster(region, id, now);
    this.requireClusterState(c, ['available'], 'stopping');
    const busy = this.members(c).find((i) => i.op);
    if (busy) {
      throw Faults.InvalidDBInstanceState(`Instance ${busy.id} is not in a valid state to stop the DB cluster: ${this.instanceStatus(busy, c)}.`);
    }
    c.op = { kind: 'stop', startedAt: now, durationMs: this.durations.stopCluster };
    this.saveCluster(c);
    this.due(this.region(region), now + this.durations.stopCluster);
    return c;
  }

  startCluster(region: string, id: string, now: number): ClusterRec {
    const c = this.getCluster(region, id, now);
    if (this.clusterStatus(c) !== 'stopped') {
      throw Faults.InvalidDBClusterState(`DbCluster ${c.id} is in ${this.clusterStatus(c)} state but expected it to be one of stopped,inaccessible-encryption-credentials-recoverable.`);
    }
    c.automaticRestartTime = undefined;
    c.op = { kind: 'start', startedAt: now, durationMs: this.durations.startCluster };
    this.saveCluster(c);
    this.due(this.region(region), now + this.durations.startCluster);
    return c;
  }

  /** Lowest promotion tier, then larger class, then identifier. */
  private pickFailoverTarget(r: RegionState, c: ClusterRec, exclude: string, includeAny = false): InstanceRec | undefined {
    const candidates = [...r.instances.values()].filter(
      (i) => i.clusterId === c.id && i.id !== exclude && (includeAny ? i.op?.kind !== 'delete' : this.instanceStatus(i, c) === 'available'),
    );
    candidates.sort(
      (a, b) =>
        a.promotionTier - b.promotionTier ||
        classSize(b.instanceClass) - classSize(a.instanceClass) ||
        (a.id < b.id ? -1 : 1),
    );
    return candidates[0];
  }

  failoverCluster(region: string, id: string, target: string | undefined, now: number): ClusterRec {
    const c = this.getCluster(region, id, now);
    const r = this.region(region);
    this.requireClusterState(c, ['available'], 'failover');
    const members = this.members(c).filter((i) => i.op?.kind !== 'delete');
    if (members.length < 2) {
      throw Faults.InvalidDBClusterState(`Database cluster:${c.id} should have at least two database instances for failover`);
    }
    const writer = c.writerId ? r.instances.get(c.writerId) : undefined;
    if (!writer) throw Faults.InvalidDBClusterState(`DB cluster ${c.id} has no writer instance to fail over from.`);
    let to: InstanceRec | undefined;
    if (target !== undefined) {
      const tid = arnToId(target, 'db');
      to = r.instances.get(tid);
      if (!to || to.clusterId !== c.id) throw Faults.InvalidParameterValue(`Cannot find target instance: ${tid}`);
      if (to.id === writer.id) {
        throw Faults.InvalidParameterValue(`The target instance ${tid} is already the writer of DB cluster ${c.id}.`);
      }
      if (this.instanceStatus(to, c) !== 'available') {
        throw Faults.InvalidDBInstanceState(`Instance ${tid} should be in valid state for failover.`);
      }
    } else {
      to = this.pickFailoverTarget(r, c, writer.id);
      if (!to) throw Faults.InvalidDBInstanceState(`DB cluster ${c.id} has no available reader instance to fail over to.`);
    }
    c.op = { kind: 'failover', startedAt: now, durationMs: this.durations.failover, from: writer.id, to: to.id };
    const cross = writer.az !== to.az;
    this.event(
      region,
      now,
      'db-cluster',
      c.id,
      `Started ${cross ? 'cross' : 'same'} AZ failover to DB instance: ${to.id}`,
      ['failover'],
    );
    this.event(region, now, 'db-instance', writer.id, 'DB instance shutdown', ['availability']);
    this.event(region, now, 'db-instance', to.id, 'DB instance shutdown', ['availability']);
    this.saveCluster(c);
    this.due(r, now + this.durations.failover);
    return c;
  }

  earliestBacktrackTime(c: ClusterRec, now: number): number | undefined {
    if (c.backtrackWindow <= 0) return undefined;
    return Math.max(c.createdAt, now - c.backtrackWindow * 1000);
  }

  backtrackCluster(
    region: string,
    input: { DBClusterIdentifier: string; BacktrackTo: number; UseEarliestTimeOnPointInTimeUnavailable?: boolean; Force?: boolean },
    now: number,
  ): { cluster: ClusterRec; backtrack: BacktrackRec } {
    const c = this.getCluster(region, input.DBClusterIdentifier, now);
    if (c.engine !== 'aurora-mysql') {
      throw Faults.InvalidParameterCombination(`Backtrack is not enabled for the ${c.engine} engine.`);
    }
    if (c.backtrackWindow <= 0) {
      throw Faults.InvalidDBClusterState(`Backtrack is not enabled for DB cluster ${c.id}.`);
    }
    this.requireClusterState(c, ['available'], 'backtrack');
    if (input.BacktrackTo > now) {
      throw Faults.InvalidParameterValue('The backtrack time cannot be in the future.');
    }
    const earliest = this.earliestBacktrackTime(c, now)!;
    let to = input.BacktrackTo;
    if (to < earliest) {
      if (!input.UseEarliestTimeOnPointInTimeUnavailable) {
        throw Faults.InvalidParameterValue(
          `Backtrack to ${new Date(to).toISOString()} is not possible. The earliest backtrack time for DB cluster ${c.id} is ${new Date(earliest).toISOString()}.`,
        );
      }
      to = earliest;
    }
    const busy = this.members(c).find((i) => i.op);
    if (busy) throw Faults.InvalidDBInstanceState(`Instance ${busy.id} is not in a valid state for backtrack: ${this.instanceStatus(busy, c)}.`);
    const b: BacktrackRec = {
      id: randomUUID(),
      backtrackTo: to,
      backtrackedFrom: now,
      requestedAt: now,
      completedAt: now + this.durations.backtrack,
    };
    c.backtracks.push(b);
    c.backtrackConsumedChangeRecords += 1;
    c.op = { kind: 'backtrack', startedAt: now, durationMs: this.durations.backtrack, backtrackId: b.id };
    this.event(region, now, 'db-cluster', c.id, `Started backtrack to ${new Date(to).toISOString()}`, ['backtrack']);
    this.saveCluster(c);
    this.due(this.region(region), b.completedAt);
    return { cluster: c, backtrack: b };
  }

  backtrackStatus(b: BacktrackRec, now: number): 'pending' | 'applying' | 'completed' {
    if (now >= b.completedAt) return 'completed';
    const pendingFor = Math.min(1000, (b.completedAt - b.requestedAt) / 4);
    return now < b.requestedAt + pendingFor ? 'pending' : 'applying';
  }

  listBacktracks(
    region: string,
    clusterId: string,
    now: number,
    backtrackId?: string,
    filters: Filter[] = [],
  ): { cluster: ClusterRec; backtracks: BacktrackRec[] } {
    const c = this.getCluster(region, clusterId, now);
    for (const f of filters) {
      if (f.Name !== 'db-cluster-backtrack-id' && f.Name !== 'db-cluster-backtrack-status') {
        throw Faults.InvalidParameterValue(`Unrecognized filter name: ${f.Name}.`);
      }
    }
    let list = [...c.backtracks].sort((a, b) => b.requestedAt - a.requestedAt);
    if (backtrackId !== undefined) {
      list = list.filter((b) => b.id === backtrackId);
      if (list.length === 0) throw Faults.DBClusterBacktrackNotFound(`Backtrack ${backtrackId} cannot be found.`);
    }
    for (const f of filters) {
      if (f.Name === 'db-cluster-backtrack-id') list = list.filter((b) => f.Values.includes(b.id));
      else list = list.filter((b) => f.Values.includes(this.backtrackStatus(b, now)));
    }
    return { cluster: c, backtracks: list };
  }

  // ------------------------------------------------------------------ instances

  createInstance(region: string, input: CreateInstanceInput, now: number): InstanceRec {
    this.settle(region, now);
    if (!input.DBInstanceIdentifier) throw Faults.MissingParameter('The request must contain the parameter DBInstanceIdentifier');
    if (!input.DBInstanceClass) throw Faults.MissingParameter('The request must contain the parameter DBInstanceClass');
    if (!input.Engine) throw Faults.MissingParameter('The request must contain the parameter Engine');
    const id = validateIdentifier('DBInstanceIdentifier', input.DBInstanceIdentifier);
    if (input.DeletionProtection !== undefined) {
      throw Faults.InvalidParameterCombination(
        'Deletion Protection can only be applied on the Cluster level, not for individual instances',
      );
    }
    if (!input.DBClusterIdentifier) {
      if ((ENGINES as string[]).includes(input.Engine)) {
        throw Faults.InvalidParameterCombination(`The requested DB Instance will be a member of a DB Cluster. Set DBClusterIdentifier for ${input.Engine} instances.`);
      }
      throw Faults.InvalidParameterValue(`Invalid DB engine: ${input.Engine}. This emulator supports Aurora cluster instances only.`);
    }
    for (const p of ['MasterUsername', 'MasterUserPassword', 'AllocatedStorage'] as const) {
      if (input[p] !== undefined) {
        throw Faults.InvalidParameterCombination(`The requested DB Instance will be a member of a DB Cluster. Don't specify ${p} for the instance.`);
      }
    }
    const r = this.region(region);
    const c = r.clusters.get(arnToId(input.DBClusterIdentifier, 'cluster'));
    if (!c) throw Faults.DBClusterNotFound(`DBCluster ${input.DBClusterIdentifier.toLowerCase()} not found.`);
    if (input.Engine !== c.engine) {
      throw Faults.InvalidParameterCombination(
        `The engine name requested for your DB instance (${input.Engine}) doesn't match the engine name of your DB cluster (${c.engine}).`,
      );
    }
    if (input.EngineVersion !== undefined && input.EngineVersion !== c.engineVersion) {
      throw Faults.InvalidParameterCombination(
        `The engine version requested for your DB instance (${input.EngineVersion}) doesn't match the engine version of your DB cluster (${c.engineVersion}).`,
      );
    }
    if (r.instances.has(id)) throw Faults.DBInstanceAlreadyExists('DB instance already exists');
    const version = resolveEngineVersion(c.engine, c.engineVersion)!;
    if (!isOrderable(version, input.DBInstanceClass)) {
      throw Faults.InvalidParameterCombination(
        `RDS does not support creating a DB instance with the following combination: DBInstanceClass=${input.DBInstanceClass}, Engine=${c.engine}, EngineVersion=${c.engineVersion}, LicenseModel=general-public-license. For supported combinations of instance class and database engine version, see the documentation.`,
      );
    }
    if (input.DBInstanceClass === 'db.serverless' && !c.serverlessV2) {
      throw Faults.InvalidParameterCombination(
        'Set the Serverless v2 scaling configuration on the parent DB cluster before creating a Serverless v2 DB instance.',
      );
    }
    const status = this.clusterStatus(c);
    if (!['available', 'creating', 'modifying'].includes(status)) {
      throw Faults.InvalidDBClusterState(`The DB cluster ${c.id} is not in a valid state to add a DB instance: ${status}.`);
    }
    const members = this.members(c).filter((i) => i.op?.kind !== 'delete');
    if (members.length >= MAX_READERS + 1) {
      throw Faults.InstanceQuotaExceeded(
        `DB cluster ${c.id} already has ${members.length} DB instances. A cluster can have 1 writer and at most ${MAX_READERS} Aurora Replicas.`,
      );
    }
    const tier = input.PromotionTier ?? 1;
    if (!Number.isInteger(tier) || tier < 0 || tier > 15) {
      throw Faults.InvalidParameterValue(`Invalid value ${tier} for PromotionTier. Must be between 0 and 15.`);
    }
    const mi = input.MonitoringInterval ?? 0;
    if (![0, 1, 5, 10, 15, 30, 60].includes(mi)) {
      throw Faults.InvalidParameterValue('Invalid value for MonitoringInterval. Valid values are 0, 1, 5, 10, 15, 30, 60.');
    }
    let az = input.AvailabilityZone;
    if (az !== undefined) {
      if (!c.availabilityZones.includes(az)) {
        throw Faults.InvalidParameterCombination(
          `Cannot create a DB instance in availability zone ${az}: it is not one of the DB cluster's availability zones (${c.availabilityZones.join(', ')}).`,
        );
      }
    } else {
      const counts = new Map(c.availabilityZones.map((z) => [z, 0]));
      for (const m of members) counts.set(m.az, (counts.get(m.az) ?? 0) + 1);
      az = [...counts.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))[0][0];
    }
    const tags = validateTags(input.Tags ?? []);
    const i: InstanceRec = {
      region,
      id,
      clusterId: c.id,
      arn: `arn:aws:rds:${region}:${ACCOUNT_ID}:db:${id}`,
      resourceId: `db-${rand(26, UPPER)}`,
      instanceClass: input.DBInstanceClass,
      engine: c.engine,
      engineVersion: c.engineVersion,
      az,
      promotionTier: tier,
      publiclyAccessible: input.PubliclyAccessible ?? false,
      monitoringInterval: mi,
      performanceInsights: input.EnablePerformanceInsights ?? false,
      autoMinorVersionUpgrade: input.AutoMinorVersionUpgrade ?? true,
      tags,
      createdAt: now,
      availableAt: now + this.durations.createInstance,
      op: { kind: 'create', startedAt: now, durationMs: this.durations.createInstance },
    };
    r.instances.set(id, i);
    r.byCluster = undefined;
    if (!c.writerId || !r.instances.has(c.writerId)) {
      c.writerId = id;
      c.writerHistory.push({ instanceId: id, from: now });
      this.saveCluster(c);
    }
    this.saveInstance(i);
    this.due(r, i.availableAt);
    return i;
  }

  modifyInstance(
    region: string,
    input: { DBInstanceIdentifier: string; DBInstanceClass?: string; PromotionTier?: number; ApplyImmediately?: boolean; DeletionProtection?: boolean },
    now: number,
  ): InstanceRec {
    const i = this.getInstance(region, input.DBInstanceIdentifier, now);
    const c = this.clusterOf(i);
    if (input.DeletionProtection !== undefined) {
      throw Faults.InvalidParameterCombination('Deletion Protection can only be applied on the Cluster level, not for individual instances');
    }
    if (input.PromotionTier !== undefined && (!Number.isInteger(input.PromotionTier) || input.PromotionTier < 0 || input.PromotionTier > 15)) {
      throw Faults.InvalidParameterValue(`Invalid value ${input.PromotionTier} for PromotionTier. Must be between 0 and 15.`);
    }
    if (input.DBInstanceClass !== undefined && input.DBInstanceClass !== i.instanceClass) {
      const version = resolveEngineVersion(i.engine, i.engineVersion)!;
      if (!isOrderable(version, input.DBInstanceClass)) {
        throw Faults.InvalidParameterCombination(
          `RDS does not support creating a DB instance with the following combination: DBInstanceClass=${input.DBInstanceClass}, Engine=${i.engine}, EngineVersion=${i.engineVersion}, LicenseModel=general-public-license. For supported combinations of instance class and database engine version, see the documentation.`,
        );
      }
      if (input.DBInstanceClass === 'db.serverless' && !c?.serverlessV2) {
        throw Faults.InvalidParameterCombination('Set the Serverless v2 scaling configuration on the parent DB cluster before using db.serverless.');
      }
      const st = this.instanceStatus(i, c);
      if (st !== 'available') throw Faults.InvalidDBInstanceState(`Database instance is not in available state: ${st}.`);
      i.op = { kind: 'modify', startedAt: now, durationMs: this.durations.modifyInstance, instanceClass: input.DBInstanceClass };
      this.due(this.region(region), now + this.durations.modifyInstance);
    }
    if (input.PromotionTier !== undefined) i.promotionTier = input.PromotionTier;
    this.saveInstance(i);
    return i;
  }

  deleteInstance(region: string, id: string, now: number): InstanceRec {
    const i = this.getInstance(region, id, now);
    const c = this.clusterOf(i);
    const st = this.instanceStatus(i, c);
    if (st === 'deleting') throw Faults.InvalidDBInstanceState(`Instance ${i.id} is already being deleted.`);
    if (c) {
      const cs = this.clusterStatus(c);
      if (['failing-over', 'backtracking', 'stopping', 'stopped', 'starting', 'deleting'].includes(cs)) {
        throw Faults.InvalidDBClusterState(`The DB cluster ${c.id} is in ${cs} state; the DB instance ${i.id} cannot be deleted now.`);
      }
    }
    i.op = { kind: 'delete', startedAt: now, durationMs: this.durations.deleteInstance };
    this.saveInstance(i);
    this.due(this.region(region), now + this.durations.deleteInstance);
    return i;
  }

  rebootInstance(region: string, id: string, forceFailover: boolean | undefined, now: number): InstanceRec {
    const i = this.getInstance(region, id, now);
    const c = this.clusterOf(i);
    if (forceFailover) {
      throw Faults.InvalidParameterCombination('ForceFailover is not supported for Aurora DB instances. Use FailoverDBCluster instead.');
    }
    const st = this.instanceStatus(i, c);
    if (st !== 'available') {
      throw Faults.InvalidDBInstanceState('Instance cannot currently reboot due to an in-progress management operation.');
    }
    i.op = { kind: 'reboot', startedAt: now, durationMs: this.durations.reboot };
    this.event(region, now, 'db-instance', i.id, 'DB instance shutdown', ['availability']);
    this.saveInstance(i);
    this.due(this.region(region), now + this.durations.reboot);
    return i;
  }

  // ------------------------------------------------------------------ events

  describeEvents(region: string, q: EventQuery, now: number): StoredEvent[] {
    this.settle(region, now);
    const types = [
      'db-instance', 'db-parameter-group', 'db-security-group', 'db-snapshot', 'db-cluster', 'db-cluster-snapshot',
      'custom-engine-version', 'db-proxy', 'blue-green-deployment', 'db-shard-group', 'zero-etl',
    ];
    if (q.SourceType !== undefined && !types.includes(q.SourceType)) {
      throw Faults.InvalidParameterValue(`Invalid value ${q.SourceType} for SourceType.`);
    }
    if (q.SourceIdentifier !== undefined && q.SourceType === undefined) {
      throw Faults.InvalidParameterCombination('Cannot specify source identifier without source type');
    }
    let start: number;
    let end: number;
    if (q.StartTime !== undefined || q.EndTime !== undefined) {
      end = q.EndTime ?? now;
      start = q.StartTime ?? (q.Duration !== undefined ? end - q.Duration * 60_000 : end - 60 * 60_000);
    } else {
      end = now;
      start = now - (q.Duration ?? 60) * 60_000;
    }
    start = Math.max(start, now - EVENT_RETENTION_MS);
    if (start > end) return [];
    let list = this.state.events(region, start, end, q.SourceType, q.SourceIdentifier?.toLowerCase());
    if (q.EventCategories && q.EventCategories.length > 0) {
      const cats = new Set(q.EventCategories.map((x) => x.toLowerCase()));
      list = list.filter((e) => e.categories.some((x) => cats.has(x)));
    }
    return list;
  }

  // ------------------------------------------------------------------ workload (control API)

  setWorkload(region: string, clusterId: string, workload: Workload, now: number): ClusterRec {
    const c = this.getCluster(region, clusterId, now);
    if (c.workloadHistory.length === 0 && c.createdAt >= now) c.workload = workload;
    else c.workloadHistory.push({ workload, from: now });
    this.saveCluster(c);
    return c;
  }

  /** Seeding helper: set the initial workload without history. */
  setInitialWorkload(c: ClusterRec, workload: Workload): void {
    c.workload = workload;
    this.saveCluster(c);
  }

  // ------------------------------------------------------------------ data plane

  clusters(region: string, now: number): DataplaneCluster[] {
    this.settle(region, now);
    const r = this.region(region);
    const out: DataplaneCluster[] = [];
    const horizon = now - DELETED_HISTORY_MS;
    const add = (c: ClusterRec) => {
      const instances: DataplaneInstance[] = [...c.pastInstances];
      const inProgressReboots: DataplaneCluster['reboots'] = [];
      for (const i of c.deletedAt === undefined ? this.members(c) : []) {
        {
          instances.push({ id: i.id, instanceClass: i.instanceClass, createdAt: i.createdAt, availableAt: i.availableAt });
          if (i.op?.kind === 'reboot') {
            inProgressReboots.push({ instanceId: i.id, startedAt: i.op.startedAt, completedAt: i.op.startedAt + i.op.durationMs });
          }
        }
      }
      out.push({
        region,
        id: c.id,
        engine: c.engine,
        createdAt: c.createdAt,
        deletedAt: c.deletedAt,
        backtrackWindow: c.backtrackWindow,
        workload: c.workload,
        instances,
        writerHistory: c.writerHistory,
        failovers:
          c.op?.kind === 'failover'
            ? [...c.failovers, { startedAt: c.op.startedAt, completedAt: c.op.startedAt + c.op.durationMs, from: c.op.from!, to: c.op.to! }]
            : c.failovers,
        backtracks: c.backtracks.map((b) => ({ startedAt: b.requestedAt, completedAt: b.completedAt, backtrackTo: b.backtrackTo })),
        reboots: inProgressReboots.length ? [...c.reboots, ...inProgressReboots] : c.reboots,
        stopped: c.stopped,
        workloadHistory: c.workloadHistory,
      });
    };
    for (const c of r.clusters.values()) add(c);
    for (const c of r.deleted) if ((c.deletedAt ?? 0) >= horizon) add(c);
    return out;
  }
}
