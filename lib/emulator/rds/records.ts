// RDS records: what the model stores per cluster, instance and backtrack, the inputs of the mutating
// operations, and the identifiers derived from them (ARNs, resource ids, endpoint tokens).
import { createHash, randomBytes } from 'node:crypto';
import type { DataplaneInstance, Workload } from '../dataplane/types';
import type { Engine } from './catalogue';

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
  /** Set while the operation also waits for the real engine (a restore's or a final snapshot's export): it does
   * not complete before the supervisor clears it, whatever its duration says. */
  waitFor?: 'engine';
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
  /** Set when the cluster runs a real database engine (engines/supervisor.ts); absent = simulated. */
  realEngine?: { family: 'postgres' | 'mysql'; version: string };
  /** The RDS Data API's HTTP endpoint (EnableHttpEndpoint); absent = off. */
  httpEndpointEnabled?: boolean;
  /** Clusters cloned from one another (RestoreType copy-on-write) share it. */
  cloneGroupId?: string;
  /** Where a restored cluster's data came from (restore.ts). */
  restoredFrom?: { snapshotId?: string; sourceClusterId?: string; restoreTime?: number; clone?: boolean };
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
  EnableHttpEndpoint?: boolean;
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

export const rand = (n: number, alphabet: string) => {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[bytes[i] % alphabet.length];
  return s;
};
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

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

export function arnToId(value: string, kind: 'cluster' | 'db'): string {
  const m = /^arn:aws[a-z-]*:rds:[^:]*:\d*:([a-z]+):(.+)$/.exec(value);
  if (m && m[1] === kind) return m[2].toLowerCase();
  return value.toLowerCase();
}
