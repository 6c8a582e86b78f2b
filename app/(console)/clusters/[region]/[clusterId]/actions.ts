'use server';

import { defineAction } from '@/lib/actions/define-action';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/aws/errors';
import { addReader, deleteCluster, deleteInstance, modifyInstance, rebootInstance, type DeleteClusterResult } from '@/lib/aws/rds';
import { addReaderSchema, deleteClusterSchema, instanceRefSchema, modifyInstanceSchema } from '@/lib/aws/rds-validation';
import type { InstanceDTO } from '@/lib/aws/types';

function assertRegion(region: string) {
  if (!getEnv().regions.includes(region)) throw new AppError('INVALID_REGION', `Region ${region} is not configured for this console.`, { status: 400 });
}

/** Add reader (operator). The 15-reader limit and the cluster state are checked here, server side. */
export const addReaderAction = defineAction({
  action: 'instance.create',
  schema: addReaderSchema,
  target: (i) => ({ region: i.region, target: `${i.clusterId}/${i.instanceId.toLowerCase()}` }),
  run: async (i, ctx): Promise<{ data: InstanceDTO; message?: string }> => {
    assertRegion(i.region);
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
    assertRegion(i.region);
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
    assertRegion(i.region);
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
    assertRegion(i.region);
    const r = await modifyInstance(i.region, i.clusterId, i.instanceId, { promotionTier: i.promotionTier, instanceClass: i.instanceClass, applyImmediately: true });
    ctx.setAwsRequestId(r.awsRequestId);
    const what = [i.promotionTier !== undefined ? `promotion tier ${i.promotionTier}` : '', i.instanceClass ? `class ${i.instanceClass}` : ''].filter(Boolean).join(' and ');
    return { data: r.data, message: `Instance ${r.data.id}: ${what} applied.` };
  },
});

/** Delete cluster (admin). The typed identifier is checked by the schema, here on the server. */
export const deleteClusterAction = defineAction({
  action: 'cluster.delete',
  schema: deleteClusterSchema,
  target: (i) => ({ region: i.region, target: i.clusterId }),
  run: async (i, ctx): Promise<{ data: DeleteClusterResult; message?: string }> => {
    assertRegion(i.region);
    const skip = i.finalSnapshot === 'skip';
    const r = await deleteCluster(i.region, i.clusterId, { skipFinalSnapshot: skip, finalSnapshotId: skip ? undefined : i.finalSnapshotId, deleteInstances: i.deleteInstances });
    ctx.setAwsRequestId(r.awsRequestId);
    const inst = r.data.deletedInstances.length ? `Instances ${r.data.deletedInstances.join(', ')} and then the cluster` : 'The cluster';
    return { data: r.data, message: `${inst} ${r.data.deletedInstances.length ? 'are' : 'is'} being deleted${skip ? ' without a final snapshot' : `; final snapshot ${r.data.finalSnapshotId}`}.` };
  },
});
