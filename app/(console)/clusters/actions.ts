'use server';

import { defineAction } from '@/lib/actions/define-action';
import { createCluster, retryCreateStep } from '@/lib/aws/rds/create';
import { createClusterSchema, retryCreateStepSchema } from '@/lib/aws/rds-validation';
import type { CreateClusterResult, CreateStep } from '@/lib/aws/types';

/**
 * Create cluster (admin): CreateDBCluster, then the writer, then a reader in another AZ when Multi-AZ.
 * A failure after the cluster exists is returned as data (steps) so the page can offer to retry the missing step.
 */
export const createClusterAction = defineAction({
  action: 'cluster.create',
  schema: createClusterSchema,
  target: (i) => ({ region: i.region, target: i.identifier.toLowerCase() }),
  run: async (i, ctx): Promise<{ data: CreateClusterResult; message?: string }> => {
    const r = await createCluster({
      region: i.region,
      engine: i.engine,
      engineVersion: i.engineVersion,
      identifier: i.identifier,
      masterUsername: i.masterUsername,
      masterPassword: i.manageMasterPassword ? undefined : i.masterPassword,
      manageMasterPassword: i.manageMasterPassword,
      instanceClass: i.instanceClass,
      multiAZ: i.multiAZ,
      subnetGroup: i.subnetGroup,
      backupRetention: i.backupRetention,
      backtrackHours: i.engine === 'aurora-mysql' ? i.backtrackHours : 0,
      encrypted: i.encrypted,
      deletionProtection: i.deletionProtection,
      tags: i.tagList,
    });
    ctx.setAwsRequestId(r.awsRequestId);
    const d = r.data;
    const failed = d.steps.filter((s) => !s.ok);
    return {
      data: d,
      message: d.complete
        ? `Cluster ${d.clusterId} is being created with ${d.steps.length - 1} instance(s).`
        : `Cluster ${d.clusterId} exists, but ${failed.map((s) => `${s.kind} ${s.id}`).join(' and ')} ${failed.length > 1 ? 'were' : 'was'} not created.`,
    };
  },
});

/** Retry the missing writer/reader step of a half-built create. Audited as instance.create. */
export const retryCreateStepAction = defineAction({
  action: 'instance.create',
  schema: retryCreateStepSchema,
  target: (i) => ({ region: i.region, target: i.instanceId.toLowerCase() }),
  run: async (i, ctx): Promise<{ data: CreateStep; message?: string }> => {
    const r = await retryCreateStep(i.region, i.clusterId, { kind: i.kind, instanceId: i.instanceId, instanceClass: i.instanceClass, az: i.az || undefined });
    ctx.setAwsRequestId(r.awsRequestId);
    return { data: r.data, message: `The ${i.kind} ${r.data.id} is being created.` };
  },
});
