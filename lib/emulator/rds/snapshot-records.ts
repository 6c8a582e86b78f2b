// What the model stores per DB cluster snapshot (manual or automated). A snapshot keeps a copy of its cluster's
// settings, so it can be restored after the cluster is gone; on a real engine it also names the export on disk.
import type { Engine } from './catalogue';
import type { Tag } from './records';

export type SnapshotType = 'manual' | 'automated';

/** Where a real engine's copy of the data stands (engines/backups.ts carries it out). */
export interface SnapshotExport {
  family: 'postgres' | 'mysql';
  version: string;
  /**
   * pending: the supervisor has to write the bundle; done: written (bytes); failed: the engine could not (error);
   * on-demand: nothing written yet — a restore exports the source cluster at the snapshot's time (automated snapshots).
   */
  state: 'pending' | 'done' | 'failed' | 'on-demand';
  bytes?: number;
  error?: string;
  finishedAt?: number;
}

export interface SnapshotRec {
  region: string;
  id: string;
  arn: string;
  type: SnapshotType;
  clusterId: string;
  clusterCreatedAt: number;
  clusterResourceId: string;
  engine: Engine;
  engineVersion: string;
  engineMode: string;
  family: string;
  port: number;
  masterUsername: string;
  databaseName?: string;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  iamAuth: boolean;
  availabilityZones: string[];
  backupRetentionPeriod: number;
  preferredBackupWindow: string;
  storageType: string;
  tags: Tag[];
  /** SnapshotCreateTime: the data it holds is the cluster's at this moment. */
  createdAt: number;
  durationMs: number;
  /** The completion event was recorded. */
  announced?: boolean;
  real?: SnapshotExport;
}

export const SNAPSHOT_ARN = /^arn:aws[a-z-]*:rds:[^:]*:\d*:cluster-snapshot:(.+)$/;

/** A DBClusterSnapshotIdentifier or its ARN → the identifier (lower case, as RDS stores it). */
export function snapshotIdOf(value: string): string {
  const m = SNAPSHOT_ARN.exec(value);
  return (m ? m[1] : value).toLowerCase();
}
