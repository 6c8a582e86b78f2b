// Restores (RDS API reference: RestoreDBClusterFromSnapshot, RestoreDBClusterToPointInTime): each makes a new
// cluster with no instances, configured like its source; instances are added with CreateDBInstance. The restorable
// window of a cluster follows its BackupRetentionPeriod and, on a real engine, what the engine retains.
import { randomUUID } from 'node:crypto';
import { isoTime } from '../protocols/xml';
import { resolveEngineVersion } from './catalogue';
import { createCluster } from './clusters';
import { Faults } from './errors';
import type { ClusterRec, CreateClusterInput } from './records';
import { clusterStatus, requireClusterState, settle } from './settle';
import type { SnapshotRec } from './snapshot-records';
import { getSnapshot, snapshotStatus } from './snapshots';
import type { RdsStore } from './store';

const DAY_MS = 86_400_000;
/** How far LatestRestorableTime trails the present on a simulated cluster (AWS: up to about five minutes). */
export const SIMULATED_RESTORE_LAG_MS = 5 * 60_000;

/** What a real engine says about a cluster's backups: undefined = the cluster has none (simulated, or its family keeps none). */
export interface EngineBackupInfo {
  /** What the engine can restore to; undefined while it retains nothing yet (no writer has run). */
  window?: { earliest: number; latest: number };
}

export interface RestorableWindow {
  earliest: number;
  latest: number;
}

/**
 * EarliestRestorableTime / LatestRestorableTime: the retention period back from now (never before the cluster
 * existed); on a real engine, also no earlier than its oldest base backup and no later than its archived logs.
 */
export function restorableWindow(c: ClusterRec, now: number, engine?: EngineBackupInfo): RestorableWindow | undefined {
  const earliest = Math.max(c.createdAt, now - c.backupRetentionPeriod * DAY_MS);
  if (engine) {
    if (!engine.window) return undefined;
    return { earliest: Math.max(earliest, engine.window.earliest), latest: Math.min(now, engine.window.latest) };
  }
  return { earliest, latest: Math.max(earliest, now - SIMULATED_RESTORE_LAG_MS) };
}

/** The settings a restore takes from its input (the rest come from the source). */
export interface RestoreSettings {
  DBClusterIdentifier: string;
  EngineVersion?: string;
  Port?: number;
  DBSubnetGroupName?: string;
  DBClusterParameterGroupName?: string;
  VpcSecurityGroupIds?: string[];
  AvailabilityZones?: string[];
  Tags?: { Key?: string; Value?: string }[];
  KmsKeyId?: string;
  EnableIAMDatabaseAuthentication?: boolean;
  BacktrackWindow?: number;
  EnableCloudwatchLogsExports?: string[];
  DeletionProtection?: boolean;
  CopyTagsToSnapshot?: boolean;
  StorageType?: string;
  DatabaseName?: string;
  ServerlessV2ScalingConfiguration?: CreateClusterInput['ServerlessV2ScalingConfiguration'];
}

type Source = Pick<ClusterRec, 'engine' | 'engineVersion' | 'port' | 'masterUsername' | 'databaseName' | 'storageEncrypted' | 'kmsKeyId' | 'availabilityZones' | 'backupRetentionPeriod' | 'iamAuth' | 'storageType'>;

/** A new cluster like `src`, with the input's settings; `waitForEngine` holds it in `creating` until the data is in place. */
function newCluster(s: RdsStore, region: string, src: Source, input: RestoreSettings, now: number, waitForEngine: boolean): ClusterRec {
  const c = createCluster(
    s,
    region,
    {
      ...input,
      Engine: src.engine,
      EngineVersion: input.EngineVersion ?? src.engineVersion,
      Port: input.Port ?? src.port,
      MasterUsername: src.masterUsername,
      // The master user and its password come with the data; this value only passes validation and is not kept.
      MasterUserPassword: 'restored-cluster',
      DatabaseName: input.DatabaseName ?? src.databaseName,
      BackupRetentionPeriod: src.backupRetentionPeriod,
      AvailabilityZones: input.AvailabilityZones?.length ? input.AvailabilityZones : src.availabilityZones,
      StorageEncrypted: src.storageEncrypted,
      KmsKeyId: input.KmsKeyId ?? src.kmsKeyId,
      EnableIAMDatabaseAuthentication: input.EnableIAMDatabaseAuthentication ?? src.iamAuth,
      StorageType: input.StorageType ?? src.storageType,
    },
    now,
  );
  if (src.storageEncrypted) c.kmsKeyId = input.KmsKeyId ?? src.kmsKeyId ?? c.kmsKeyId;
  if (waitForEngine && c.op) c.op.waitFor = 'engine';
  return c;
}

export function restoreFromSnapshot(
  s: RdsStore,
  region: string,
  input: RestoreSettings & { SnapshotIdentifier: string; Engine: string },
  now: number,
  realEngines: boolean,
): { cluster: ClusterRec; snapshot: SnapshotRec } {
  settle(s, region, now);
  const sn = getSnapshot(s, region, input.SnapshotIdentifier, now);
  const status = snapshotStatus(sn, now);
  if (status !== 'available') {
    throw Faults.InvalidDBClusterSnapshotState(`DBClusterSnapshot ${sn.id} is not in available state; its status is ${status}.`);
  }
  if (input.Engine !== sn.engine) {
    throw Faults.InvalidRestore(`The snapshot ${sn.id} was taken of an ${sn.engine} DB cluster; it can't be restored with engine ${input.Engine}.`);
  }
  if (input.EngineVersion !== undefined) {
    const v = resolveEngineVersion(sn.engine, input.EngineVersion);
    if (!v) throw Faults.InvalidParameterCombination(`Cannot find version ${input.EngineVersion} for ${sn.engine}`);
    if (v.major !== resolveEngineVersion(sn.engine, sn.engineVersion)?.major) {
      throw Faults.InvalidRestore(`The snapshot ${sn.id} (${sn.engine} ${sn.engineVersion}) can't be restored to engine version ${v.version}: a restore keeps the major version.`);
    }
  }
  const c = newCluster(s, region, sn, input, now, realEngines && sn.real !== undefined);
  c.restoredFrom = { snapshotId: sn.id };
  s.saveCluster(c);
  s.event(region, now, 'db-cluster', c.id, `Restoring DB cluster from snapshot ${sn.id}`, ['notification']);
  return { cluster: c, snapshot: sn };
}

export function restoreToPointInTime(
  s: RdsStore,
  region: string,
  input: RestoreSettings & { SourceDBClusterIdentifier: string; RestoreType?: string; RestoreToTime?: number; UseLatestRestorableTime?: boolean },
  now: number,
  engineOf: (c: ClusterRec) => EngineBackupInfo | undefined,
): { cluster: ClusterRec; source: ClusterRec; restoreTime: number; clone: boolean } {
  const source = s.getCluster(region, input.SourceDBClusterIdentifier, now);
  const type = input.RestoreType ?? 'full-copy';
  if (type !== 'full-copy' && type !== 'copy-on-write') {
    throw Faults.InvalidParameterValue(`Invalid RestoreType: ${type}. Valid values are full-copy and copy-on-write.`);
  }
  const clone = type === 'copy-on-write';
  const latestAsked = input.UseLatestRestorableTime === true;
  if (latestAsked && input.RestoreToTime !== undefined) {
    throw Faults.InvalidParameterCombination('RestoreToTime can not be specified when UseLatestRestorableTime is true.');
  }
  if (clone && input.RestoreToTime !== undefined) {
    throw Faults.InvalidParameterCombination('RestoreToTime can not be specified when RestoreType is copy-on-write.');
  }
  if (!clone && !latestAsked && input.RestoreToTime === undefined) {
    throw Faults.InvalidParameterCombination('Either RestoreToTime or UseLatestRestorableTime must be specified.');
  }
  if (clusterStatus(source) === 'creating') {
    throw Faults.InvalidDBClusterState(`DB cluster ${source.id} is still being created; it has no backup to restore from yet.`);
  }
  requireClusterState(source, ['available', 'stopped', 'modifying', 'backtracking', 'failing-over', 'stopping', 'starting'], 'a point-in-time restore');
  const engine = engineOf(source);
  const w = restorableWindow(source, now, engine);
  if (!w) {
    throw Faults.InvalidRestore(`DB cluster ${source.id} has no restorable time yet: its backups start when its first DB instance is available.`);
  }
  const at = clone || latestAsked ? w.latest : input.RestoreToTime!;
  if (at < w.earliest || at > w.latest) {
    throw Faults.InvalidRestore(
      `The restore time ${isoTime(at)} is not within the restorable window of DB cluster ${source.id}: choose a time between ${isoTime(w.earliest)} (EarliestRestorableTime) and ${isoTime(w.latest)} (LatestRestorableTime).`,
    );
  }
  const c = newCluster(s, region, source, input, now, engine !== undefined);
  c.restoredFrom = { sourceClusterId: source.id, restoreTime: at, clone };
  if (clone) {
    source.cloneGroupId ??= randomUUID();
    c.cloneGroupId = source.cloneGroupId;
    s.saveCluster(source);
  }
  s.saveCluster(c);
  s.event(
    region,
    now,
    'db-cluster',
    c.id,
    clone ? `Cloning DB cluster from ${source.id}` : `Restoring DB cluster from ${source.id} to the point in time ${isoTime(at)}`,
    ['notification'],
  );
  return { cluster: c, source, restoreTime: at, clone };
}
