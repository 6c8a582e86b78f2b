// Plain DTOs for cluster snapshots and restores (the backups section of the cluster page). Pure: client
// components import the types and the little helpers. Built from SDK shapes in lib/aws/rds/snapshot-mapping.ts.
import type { CreateStep } from './types';

export type SnapshotType = 'manual' | 'automated' | 'shared' | 'public' | 'awsbackup';

/** One DB cluster snapshot, manual or automated. */
export interface ClusterSnapshotDTO {
  region: string;
  id: string;
  arn?: string;
  clusterId: string;
  /** creating | available | copying | deleting | failed … */
  status: string;
  type: string;
  engine: string;
  engineVersion?: string;
  /** GiB; Aurora reports the cluster volume's size at the time of the snapshot. */
  allocatedStorageGiB?: number;
  percentProgress?: number;
  createdAt?: string;
  clusterCreatedAt?: string;
  storageEncrypted: boolean;
  port?: number;
  masterUsername?: string;
}

/** A page of DescribeDBClusterSnapshots, newest first within the page. */
export interface SnapshotPage {
  snapshots: ClusterSnapshotDTO[];
  /** Marker of the next page, when there is one. */
  nextMarker?: string;
}

/** What a restore did: the new cluster, then its writer and readers (CreateDBInstance), step by step. */
export interface RestoreResult {
  region: string;
  clusterId: string;
  steps: CreateStep[];
  complete: boolean;
  /** The moment restored to (ISO), when AWS said or the request named it. */
  restoredTo?: string;
}

/** The two engine families: a snapshot restores only into its own family. */
export function engineFamily(engine: string): 'mysql' | 'postgresql' | 'other' {
  if (/mysql|mariadb/i.test(engine)) return 'mysql';
  if (/postgres/i.test(engine)) return 'postgresql';
  return 'other';
}

export const isManualSnapshot = (s: Pick<ClusterSnapshotDTO, 'type'>) => s.type === 'manual';
