import 'server-only';
// Deleting a cluster: the checks (also run before a deletion is queued for approval), then the instances
// (readers first, then the writer) and the cluster itself.
import { DeleteDBClusterCommand, DeleteDBInstanceCommand } from '@aws-sdk/client-rds';
import { AppError } from '@/lib/errors';
import { rdsClient } from '../clients';
import { toAppError } from '../errors';
import type { ClusterDTO, MutationResult } from '../types';
import { getCluster } from './clusters';

export interface DeleteClusterResult {
  clusterId: string;
  /** Instances whose deletion this call started (readers first, then the writer). */
  deletedInstances: string[];
  clusterDeleteStarted: boolean;
  finalSnapshotId?: string;
}

export interface DeleteClusterOptions {
  skipFinalSnapshot: boolean;
  finalSnapshotId?: string;
  deleteInstances: boolean;
}

/**
 * The checks a cluster deletion must pass, without changing anything: deletion protection, not already
 * deleting, a named final snapshot unless skipped, and no live instances unless the person asked for them
 * to go first. Used before a deletion is queued for approval and again when it runs.
 */
export async function checkDeleteCluster(region: string, clusterId: string, o: DeleteClusterOptions): Promise<ClusterDTO> {
  const c = await getCluster(region, clusterId, { maxAgeMs: 0 });
  if (c.deletionProtection) {
    throw new AppError(
      'DELETION_PROTECTED',
      `Cluster ${c.id} has deletion protection on. Turn it off (Modify cluster → Deletion protection) before deleting; nothing was deleted.`,
      { status: 409 },
    );
  }
  if (c.status === 'deleting') throw new AppError('INVALID_CLUSTER_STATE', `Cluster ${c.id} is already being deleted.`, { status: 409 });
  if (!o.skipFinalSnapshot && !o.finalSnapshotId) {
    throw new AppError('INVALID_PARAMETER', 'Name the final snapshot, or choose to skip it.', { status: 400, fieldErrors: { finalSnapshotId: ['Name the final snapshot, or choose to skip it.'] } });
  }
  const live = c.instances.filter((i) => i.status !== 'deleting');
  if (live.length > 0 && !o.deleteInstances) {
    throw new AppError(
      'CLUSTER_HAS_INSTANCES',
      `Cluster ${c.id} still has ${live.length} instance(s) (${live.map((i) => i.id).join(', ')}). Aurora deletes a cluster only after its instances: remove the readers and the writer first, or tick "Delete the instances first".`,
      { status: 409 },
    );
  }
  return c;
}

/**
 * Delete a cluster. Aurora refuses while any instance is not deleting, so either the person asked us to
 * delete the readers and then the writer first (`deleteInstances`), or the cluster must be empty.
 */
export async function deleteCluster(region: string, clusterId: string, o: DeleteClusterOptions): Promise<MutationResult<DeleteClusterResult>> {
  const c = await checkDeleteCluster(region, clusterId, o);
  const live = c.instances.filter((i) => i.status !== 'deleting');
  const deleted: string[] = [];
  const ordered = [...live.filter((i) => i.role === 'reader'), ...live.filter((i) => i.role === 'writer')];
  for (const i of ordered) {
    try {
      await rdsClient(region).send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: i.id }));
      deleted.push(i.id);
    } catch (e) {
      const err = toAppError(e);
      throw new AppError(
        err.code,
        `Deleting instance ${i.id} failed: ${err.message}${deleted.length ? ` Already deleting: ${deleted.join(', ')}.` : ''} The cluster was not deleted.`,
        { status: err.status, awsRequestId: err.awsRequestId },
      );
    }
  }
  try {
    const out = await rdsClient(region).send(
      new DeleteDBClusterCommand({
        DBClusterIdentifier: c.id,
        SkipFinalSnapshot: o.skipFinalSnapshot,
        FinalDBSnapshotIdentifier: o.skipFinalSnapshot ? undefined : o.finalSnapshotId,
      }),
    );
    return {
      data: { clusterId: c.id, deletedInstances: deleted, clusterDeleteStarted: true, finalSnapshotId: o.skipFinalSnapshot ? undefined : o.finalSnapshotId },
      awsRequestId: out.$metadata.requestId,
    };
  } catch (e) {
    const err = toAppError(e);
    if (deleted.length === 0) throw err;
    throw new AppError(
      err.code,
      `The instances (${deleted.join(', ')}) are being deleted, but deleting the cluster failed: ${err.message} Retry deleting the cluster once they are gone.`,
      { status: err.status, awsRequestId: err.awsRequestId, fieldErrors: err.fieldErrors },
    );
  }
}
