'use server';

import { defineAction } from '@/lib/actions/define-action';
import { requireApprovalOr } from '@/lib/approvals/require-approval';
import { createSnapshotSchema, deleteSnapshotSchema, restoreSnapshotSchema, restoreToTimeSchema } from '@/lib/aws/backup-validation';
import type { ClusterSnapshotDTO, RestoreResult } from '@/lib/aws/backup-types';
import { findCluster } from '@/lib/aws/rds/clusters';
import { restoreFromSnapshot, restoreToPointInTime } from '@/lib/aws/rds/restore';
import { checkDeleteSnapshot, createClusterSnapshot, deleteClusterSnapshot } from '@/lib/aws/rds/snapshots';

/**
 * The backups section's actions. Every check the console can make is made here, on the server, before the
 * first AWS call (lib/aws/rds/snapshots.ts and restore.ts); AWS's own faults come back beside the same field.
 */

/** Take a manual snapshot (operator). */
export const createSnapshotAction = defineAction({
  action: 'snapshot.create',
  schema: createSnapshotSchema,
  target: (i) => ({ region: i.region, target: `${i.clusterId}/${i.snapshotId}` }),
  run: async (i, ctx): Promise<{ data: ClusterSnapshotDTO; message?: string }> => {
    const r = await createClusterSnapshot(i.region, i.clusterId, i.snapshotId);
    ctx.setAwsRequestId(r.awsRequestId);
    return { data: r.data, message: `Snapshot ${r.data.id} of ${r.data.clusterId} is being created.` };
  },
});

export type DeleteSnapshotActionData = { pending: true; approvalId: string } | { pending: false; snapshotId: string; status: string };

/** Delete a manual snapshot (admin, typed identifier; a second admin approves it when the two-person rule names it). */
export const deleteSnapshotAction = defineAction({
  action: 'snapshot.delete',
  schema: deleteSnapshotSchema,
  target: (i) => ({ region: i.region, target: i.clusterId }),
  run: async (i, ctx): Promise<{ data: DeleteSnapshotActionData; message?: string; outcome?: 'pending-approval' }> => {
    // Refuse now what could never be carried out (automated, still creating, another cluster's), rather than queue it.
    const s = await checkDeleteSnapshot(i.region, i.clusterId, i.snapshotId);
    const r = await requireApprovalOr(
      {
        action: 'snapshot.delete',
        region: i.region,
        target: i.clusterId,
        params: { snapshotId: s.id },
        summary: `Delete snapshot ${s.id} of ${i.clusterId} (${i.region})`,
        user: ctx.user,
        correlationId: ctx.correlationId,
      },
      () => deleteClusterSnapshot(i.region, i.clusterId, s.id),
    );
    if (r.pending) return { data: { pending: true, approvalId: r.approval.id }, message: r.message, outcome: 'pending-approval' };
    ctx.setAwsRequestId(r.result.awsRequestId);
    return { data: { pending: false, snapshotId: s.id, status: r.result.data.status }, message: `Snapshot ${s.id} is being deleted.` };
  },
});

function restoreMessage(d: RestoreResult, what: string): string {
  const failed = d.steps.filter((s) => !s.ok && !s.skipped);
  if (d.complete) return `${what}: cluster ${d.clusterId} is being created with ${d.steps.length - 1} instance(s).`;
  return `${what}: cluster ${d.clusterId} exists, but ${failed.map((s) => `${s.kind} ${s.id}`).join(' and ')} could not be created: ${failed[0]?.error ?? 'AWS refused it'} Add the instance on ${d.clusterId}'s page.`;
}

/** Restore a snapshot to a new cluster, then its writer and readers (admin). */
export const restoreSnapshotAction = defineAction({
  action: 'snapshot.restore',
  schema: restoreSnapshotSchema,
  target: (i) => ({ region: i.region, target: i.identifier.toLowerCase() }),
  run: async (i, ctx) => {
    // The snapshot's cluster lends its subnet group and backtrack window (when it still exists).
    const src = await findCluster(i.region, i.clusterId).catch(() => null);
    const r = await restoreFromSnapshot(i.region, {
      snapshotId: i.snapshotId,
      engine: i.engine,
      identifier: i.identifier,
      instanceClass: i.instanceClass,
      readers: i.readers,
      subnetGroup: src?.subnetGroup,
      backtrackWindowSeconds: src?.backtrackWindowSeconds,
    });
    ctx.setAwsRequestId(r.awsRequestId);
    return { data: r.data, message: restoreMessage(r.data, `Restoring ${i.snapshotId}`), auditDetails: { steps: r.data.steps.map((s) => `${s.kind}:${s.id}:${s.ok ? 'ok' : s.skipped ? 'skipped' : (s.code ?? 'failed')}`) } };
  },
});

/** Restore a cluster to a point in time (or its latest restorable time), as a full copy or a clone (admin). */
export const restoreToTimeAction = defineAction({
  action: 'cluster.restore-to-time',
  schema: restoreToTimeSchema,
  target: (i) => ({ region: i.region, target: i.identifier.toLowerCase() }),
  run: async (i, ctx) => {
    const r = await restoreToPointInTime(i.region, {
      sourceClusterId: i.clusterId,
      at: i.restoreToDate,
      restoreType: i.restoreType,
      identifier: i.identifier,
      instanceClass: i.instanceClass,
      readers: i.readers,
    });
    ctx.setAwsRequestId(r.awsRequestId);
    const what = `${i.restoreType === 'copy-on-write' ? 'Cloning' : 'Restoring'} ${i.clusterId} to ${i.restoreToDate ? i.restoreToDate.toISOString().replace('.000Z', 'Z') : 'its latest restorable time'}`;
    return {
      data: r.data,
      message: restoreMessage(r.data, what),
      auditDetails: { sourceCluster: i.clusterId, steps: r.data.steps.map((s) => `${s.kind}:${s.id}:${s.ok ? 'ok' : s.skipped ? 'skipped' : (s.code ?? 'failed')}`) },
    };
  },
});
