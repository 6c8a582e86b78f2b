// DBClusterSnapshot (SDK shape) → ClusterSnapshotDTO. Pure: no client, no I/O.
import type { DBClusterSnapshot } from '@aws-sdk/client-rds';
import type { ClusterSnapshotDTO } from '../backup-types';

const iso = (d: Date | undefined) => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined);

export function toClusterSnapshotDTO(region: string, s: DBClusterSnapshot): ClusterSnapshotDTO {
  return {
    region,
    id: s.DBClusterSnapshotIdentifier ?? '?',
    arn: s.DBClusterSnapshotArn,
    clusterId: s.DBClusterIdentifier ?? '',
    status: s.Status ?? 'unknown',
    type: s.SnapshotType ?? 'manual',
    engine: s.Engine ?? 'unknown',
    engineVersion: s.EngineVersion,
    allocatedStorageGiB: s.AllocatedStorage,
    percentProgress: s.PercentProgress,
    createdAt: iso(s.SnapshotCreateTime),
    clusterCreatedAt: iso(s.ClusterCreateTime),
    storageEncrypted: !!s.StorageEncrypted,
    port: s.Port,
    masterUsername: s.MasterUsername,
  };
}

/** Newest first; snapshots still being created (no time yet) on top. */
export function sortSnapshots(list: ClusterSnapshotDTO[]): ClusterSnapshotDTO[] {
  return [...list].sort((a, b) => (b.createdAt ?? '9999').localeCompare(a.createdAt ?? '9999') || a.id.localeCompare(b.id));
}
