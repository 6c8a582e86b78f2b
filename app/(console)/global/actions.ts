'use server';

import { defineAction } from '@/lib/actions/define-action';
import { addSecondaryRegion, createGlobalDatabase, deleteGlobalDatabase, detachSecondary, type AddSecondaryResult } from '@/lib/aws/rds/global-clusters';
import type { GlobalDatabaseDTO } from '@/lib/aws/global-types';
import { globalSchemas } from '@/lib/oncall/global-schemas';

/** Make an existing cluster the primary of a new global database (admin). */
export const createGlobalAction = defineAction({
  action: 'global.create',
  schema: globalSchemas.create,
  target: (i) => ({ region: i.region, target: i.globalId }),
  run: async (i, ctx): Promise<{ data: GlobalDatabaseDTO; message?: string }> => {
    const r = await createGlobalDatabase(i);
    ctx.setAwsRequestId(r.awsRequestId);
    return { data: r.data, message: `Global database ${r.data.id} created with ${i.clusterId} (${i.region}) as its primary.` };
  },
});

/** Add a secondary region: CreateDBCluster with GlobalClusterIdentifier there, then the instances (admin). */
export const addSecondaryAction = defineAction({
  action: 'global.attach',
  schema: globalSchemas.attach,
  target: (i) => ({ region: i.region, target: `${i.globalId}/${i.clusterId}` }),
  run: async (i, ctx): Promise<{ data: AddSecondaryResult; message?: string; outcome?: 'failed'; error?: string; code?: string }> => {
    const r = await addSecondaryRegion(i);
    ctx.setAwsRequestId(r.awsRequestId);
    const failed = r.data.steps.find((s) => !s.ok && !s.skipped);
    if (failed) {
      return { data: r.data, outcome: 'failed', code: failed.code, error: `Secondary cluster ${r.data.clusterId} was created in ${i.region}, but instance ${failed.id} failed: ${failed.error}` };
    }
    return { data: r.data, message: `Secondary ${r.data.clusterId} is being created in ${i.region} with ${i.instanceCount} × ${i.instanceClass}; it replicates from the primary once available.` };
  },
});

/** Detach a secondary: it becomes a standalone writable cluster and stops replicating (admin, typed identifier). */
export const detachSecondaryAction = defineAction({
  action: 'global.detach',
  schema: globalSchemas.detach,
  target: (i) => ({ region: i.region, target: `${i.globalId}/${i.clusterId}` }),
  run: async (i, ctx) => {
    const r = await detachSecondary(i);
    ctx.setAwsRequestId(r.awsRequestId);
    return { data: r.data, message: `${i.clusterId} (${i.region}) is detached from ${i.globalId}: it is now a standalone cluster that takes writes.` };
  },
});

/** Delete an empty global database (admin, typed identifier). */
export const deleteGlobalAction = defineAction({
  action: 'global.delete',
  schema: globalSchemas.delete,
  target: (i) => ({ region: i.region, target: i.globalId }),
  run: async (i, ctx) => {
    const r = await deleteGlobalDatabase(i.globalId);
    ctx.setAwsRequestId(r.awsRequestId);
    return { data: r.data, message: `Global database ${i.globalId} is being deleted.` };
  },
});
