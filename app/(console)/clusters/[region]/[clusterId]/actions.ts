'use server';

import { defineAction } from '@/lib/actions/define-action';
import { checkDeleteCluster, deleteCluster, type DeleteClusterResult } from '@/lib/aws/rds/delete-cluster';
import { addReader, deleteInstance, modifyInstance, rebootInstance } from '@/lib/aws/rds/instances';
import { requireApprovalOr } from '@/lib/approvals/require-approval';
import { addReaderSchema, deleteClusterSchema, instanceRefSchema, modifyInstanceSchema } from '@/lib/aws/rds-validation';
import type { InstanceDTO } from '@/lib/aws/types';

/** Add reader (operator). The 15-reader limit and the cluster state are checked here, server side. */
export const addReaderAction = defineAction({
  action: 'instance.create',
  schema: addReaderSchema,
  target: (i) => ({ region: i.region, target: `${i.clusterId}/${i.instanceId.toLowerCase()}` }),
  run: async (i, ctx): Promise<{ data: InstanceDTO; message?: string }> => {
    const r = await addReader(i.region, i.clusterId, { instanceId: i.instanceId, instanceClass: i.instanceClass, az: i.az || undefined, promotionTier: i.promotionTier });
    ctx.setAwsRequestId(r.awsRequestId);
    return { data: r.data, message: `Reader ${r.data.id} is being created (${i.instanceClass}, tier ${i.promotionTier}).` };
  },
});

/** Remove reader (operator). The writer is refused while readers exist. */
export const removeReaderAction = defineAction({
  action: 'instance.delete',
  schema: instanceRefSchema,
  target: (i) => ({ region: i.region, target: `${i.clusterId}/${i.instanceId}` }),
  run: async (i, ctx): Promise<{ data: InstanceDTO; message?: string }> => {
    const r = await deleteInstance(i.region, i.clusterId, i.instanceId);
    ctx.setAwsRequestId(r.awsRequestId);
    return { data: r.data, message: `Instance ${r.data.id} is being deleted.` };
  },
});

export const rebootInstanceAction = defineAction({
  action: 'instance.reboot',
  schema: instanceRefSchema,
  target: (i) => ({ region: i.region, target: `${i.clusterId}/${i.instanceId}` }),
  run: async (i, ctx): Promise<{ data: InstanceDTO; message?: string }> => {
    const r = await rebootInstance(i.region, i.clusterId, i.instanceId);
    ctx.setAwsRequestId(r.awsRequestId);
    return { data: r.data, message: `Instance ${r.data.id} is rebooting.` };
  },
});

/** Change promotion tier (and/or class). Changing the tier does not trigger a failover. */
export const modifyInstanceAction = defineAction({
  action: 'instance.modify',
  schema: modifyInstanceSchema,
  target: (i) => ({ region: i.region, target: `${i.clusterId}/${i.instanceId}` }),
  run: async (i, ctx): Promise<{ data: InstanceDTO; message?: string }> => {
    const r = await modifyInstance(i.region, i.clusterId, i.instanceId, { promotionTier: i.promotionTier, instanceClass: i.instanceClass, applyImmediately: true });
    ctx.setAwsRequestId(r.awsRequestId);
    const what = [i.promotionTier !== undefined ? `promotion tier ${i.promotionTier}` : '', i.instanceClass ? `class ${i.instanceClass}` : ''].filter(Boolean).join(' and ');
    return { data: r.data, message: `Instance ${r.data.id}: ${what} applied.` };
  },
});

/**
 * Delete cluster (admin). The typed identifier is checked by the schema, here on the server. Under the
 * two-person rule (on by default for deletion) the request is only recorded; a second admin's approval
 * runs the same deletion (lib/approvals/builtin-executors.ts), re-checking everything at that moment.
 */
export type DeleteClusterActionData = { pending: true; approvalId: string } | ({ pending: false } & DeleteClusterResult);

export const deleteClusterAction = defineAction({
  action: 'cluster.delete',
  schema: deleteClusterSchema,
  target: (i) => ({ region: i.region, target: i.clusterId }),
  run: async (i, ctx): Promise<{ data: DeleteClusterActionData; message?: string; outcome?: 'pending-approval' }> => {
    const skip = i.finalSnapshot === 'skip';
    const opts = { skipFinalSnapshot: skip, finalSnapshotId: skip ? undefined : i.finalSnapshotId, deleteInstances: i.deleteInstances };
    // Refuse now what could never be carried out, rather than queue it for a second admin.
    const c = await checkDeleteCluster(i.region, i.clusterId, opts);
    const r = await requireApprovalOr(
      {
        action: 'cluster.delete',
        region: i.region,
        target: c.id,
        params: opts,
        summary: `Delete cluster ${c.id} (${i.region})${opts.deleteInstances ? ' and its instances' : ''}${skip ? ', no final snapshot' : `, final snapshot ${opts.finalSnapshotId}`}`,
        user: ctx.user,
        correlationId: ctx.correlationId,
      },
      () => deleteCluster(i.region, c.id, opts),
    );
    if (r.pending) return { data: { pending: true, approvalId: r.approval.id }, message: r.message, outcome: 'pending-approval' };
    ctx.setAwsRequestId(r.result.awsRequestId);
    const d = r.result.data;
    const inst = d.deletedInstances.length ? `Instances ${d.deletedInstances.join(', ')} and then the cluster` : 'The cluster';
    return {
      data: { pending: false, ...d },
      message: `${inst} ${d.deletedInstances.length ? 'are' : 'is'} being deleted${skip ? ' without a final snapshot' : `; final snapshot ${d.finalSnapshotId}`}.`,
    };
  },
});
