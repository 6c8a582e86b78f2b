import 'server-only';
// Cluster snapshots: DescribeDBClusterSnapshots (one page at a time, Marker paging), CreateDBClusterSnapshot and
// DeleteDBClusterSnapshot. Every AWS fault leaves here as an AppError placed beside the form's field.
import { CreateDBClusterSnapshotCommand, DeleteDBClusterSnapshotCommand, DescribeDBClusterSnapshotsCommand } from '@aws-sdk/client-rds';
import { AppError } from '@/lib/errors';
import { rdsClient } from '../clients';
import { toAppError } from '../errors';
import { cachedRead } from '../read-cache';
import type { ClusterSnapshotDTO, SnapshotPage, SnapshotType } from '../backup-types';
import type { MutationResult } from '../types';
import { snapshotNotDeletableReason } from '../backup-rules';
import { getCluster } from './clusters';
import { sortSnapshots, toClusterSnapshotDTO } from './snapshot-mapping';

/** Snapshot faults belong beside the snapshot field of the snapshot forms. */
const SNAPSHOT_FIELDS = { SNAPSHOT_ALREADY_EXISTS: 'snapshotId', SNAPSHOT_NOT_FOUND: 'snapshotId', INVALID_SNAPSHOT_STATE: 'snapshotId' };

/** Snapshot list polls share reads for 2 s, like the cluster itself. */
const SNAPSHOT_TTL_MS = 2_000;
/** DescribeDBClusterSnapshots takes 20–100 records per page. */
export const SNAPSHOT_PAGE_SIZE = 20;

/** One page of a cluster's snapshots (manual and automated unless `type` says which). */
export function listClusterSnapshots(
  region: string,
  clusterId: string,
  opts: { marker?: string; type?: SnapshotType; pageSize?: number; maxAgeMs?: number } = {},
): Promise<SnapshotPage> {
  const pageSize = Math.min(100, Math.max(20, opts.pageSize ?? SNAPSHOT_PAGE_SIZE));
  const key = `snapshots:${clusterId.toLowerCase()}:${opts.type ?? 'all'}:${pageSize}:${opts.marker ?? ''}`;
  return cachedRead(region, key, opts.maxAgeMs ?? SNAPSHOT_TTL_MS, async () => {
    try {
      const out = await rdsClient(region).send(
        new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: clusterId, SnapshotType: opts.type, MaxRecords: pageSize, Marker: opts.marker || undefined }),
      );
      return { snapshots: sortSnapshots((out.DBClusterSnapshots ?? []).map((s) => toClusterSnapshotDTO(region, s))), nextMarker: out.Marker || undefined };
    } catch (e) {
      throw toAppError(e, SNAPSHOT_FIELDS);
    }
  });
}

/** One snapshot by identifier (or ARN), read afresh. 404 AppError (beside the snapshot field) when it is gone. */
export async function getClusterSnapshot(region: string, snapshotId: string): Promise<ClusterSnapshotDTO> {
  try {
    const out = await rdsClient(region).send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: snapshotId }));
    const s = out.DBClusterSnapshots?.[0];
    if (!s) throw new AppError('SNAPSHOT_NOT_FOUND', `Snapshot ${snapshotId} does not exist in ${region}; refresh the list.`, { status: 404, fieldErrors: { snapshotId: [`Snapshot ${snapshotId} does not exist in ${region}.`] } });
    return toClusterSnapshotDTO(region, s);
  } catch (e) {
    throw toAppError(e, SNAPSHOT_FIELDS);
  }
}

/** CreateDBClusterSnapshot (manual). The cluster is read first so a missing one is reported as such. */
export async function createClusterSnapshot(region: string, clusterId: string, snapshotId: string): Promise<MutationResult<ClusterSnapshotDTO>> {
  const c = await getCluster(region, clusterId, { maxAgeMs: 0 });
  try {
    const out = await rdsClient(region).send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: c.id, DBClusterSnapshotIdentifier: snapshotId }));
    const s = out.DBClusterSnapshot;
    const dto = s ? toClusterSnapshotDTO(region, s) : { region, id: snapshotId, clusterId: c.id, status: 'creating', type: 'manual', engine: c.engine, storageEncrypted: c.storageEncrypted };
    return { data: dto, awsRequestId: out.$metadata.requestId };
  } catch (e) {
    throw toAppError(e, SNAPSHOT_FIELDS);
  }
}

/**
 * Check a deletion before it is requested (or queued for a second admin): the snapshot exists, belongs to the
 * cluster, is manual and not still being created. Returns it; throws AppError beside the snapshot field.
 */
export async function checkDeleteSnapshot(region: string, clusterId: string, snapshotId: string): Promise<ClusterSnapshotDTO> {
  const s = await getClusterSnapshot(region, snapshotId);
  if (s.clusterId && s.clusterId.toLowerCase() !== clusterId.toLowerCase()) {
    const m = `Snapshot ${s.id} belongs to cluster ${s.clusterId}, not ${clusterId}; delete it from that cluster's page.`;
    throw new AppError('SNAPSHOT_OTHER_CLUSTER', m, { status: 409, fieldErrors: { snapshotId: [m] } });
  }
  const why = snapshotNotDeletableReason(s);
  if (why) throw new AppError('INVALID_SNAPSHOT_STATE', why, { status: 409, fieldErrors: { snapshotId: [why] } });
  return s;
}

/** DeleteDBClusterSnapshot, after checkDeleteSnapshot (re-run here: an approval may come minutes later). */
export async function deleteClusterSnapshot(region: string, clusterId: string, snapshotId: string): Promise<MutationResult<ClusterSnapshotDTO>> {
  const s = await checkDeleteSnapshot(region, clusterId, snapshotId);
  try {
    const out = await rdsClient(region).send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: s.id }));
    return { data: out.DBClusterSnapshot ? toClusterSnapshotDTO(region, out.DBClusterSnapshot) : { ...s, status: 'deleted' }, awsRequestId: out.$metadata.requestId };
  } catch (e) {
    throw toAppError(e, SNAPSHOT_FIELDS);
  }
}
