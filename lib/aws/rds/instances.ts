import 'server-only';
// Instance changes of a cluster: add a reader, delete, reboot, modify. Each checks the instance is a member of
// the named cluster first, from a fresh read.
import { CreateDBInstanceCommand, DeleteDBInstanceCommand, ModifyDBInstanceCommand, RebootDBInstanceCommand } from '@aws-sdk/client-rds';
import { AppError } from '@/lib/errors';
import { rdsClient } from '../clients';
import { toAppError } from '../errors';
import { addReaderBlockedReason } from '../rds-rules';
import { nextInstanceName, type ClusterDTO, type InstanceDTO, type MutationResult } from '../types';
import { getCluster } from './clusters';
import { toInstanceDTO } from './mapping';

/** Add a reader (Aurora Replica). Refused at 15 readers or unless the cluster is available. */
export async function addReader(
  region: string,
  clusterId: string,
  r: { instanceId?: string; instanceClass: string; az?: string; promotionTier: number },
): Promise<MutationResult<InstanceDTO>> {
  const c = await getCluster(region, clusterId, { maxAgeMs: 0 });
  const blocked = addReaderBlockedReason(c);
  if (blocked) throw new AppError(c.readerCount >= 15 ? 'READER_LIMIT' : 'INVALID_CLUSTER_STATE', blocked, { status: 409 });
  const instanceId = (r.instanceId || nextInstanceName(c.id, c.instances.map((i) => i.id))).toLowerCase();
  try {
    const out = await rdsClient(region).send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: instanceId,
        DBClusterIdentifier: c.id,
        Engine: c.engine,
        DBInstanceClass: r.instanceClass,
        AvailabilityZone: r.az || undefined,
        PromotionTier: r.promotionTier,
      }),
    );
    return { data: toInstanceDTO(out.DBInstance ?? { DBInstanceIdentifier: instanceId }, false, r.promotionTier), awsRequestId: out.$metadata.requestId };
  } catch (e) {
    throw toAppError(e);
  }
}

/** The instance, checked to be a member of the cluster (a crafted request cannot reach another cluster's instance). */
async function memberOf(region: string, clusterId: string, instanceId: string): Promise<{ cluster: ClusterDTO; instance: InstanceDTO }> {
  const cluster = await getCluster(region, clusterId, { maxAgeMs: 0 });
  const instance = cluster.instances.find((i) => i.id.toLowerCase() === instanceId.toLowerCase());
  if (!instance) throw new AppError('INSTANCE_NOT_FOUND', `Instance ${instanceId} is not part of cluster ${cluster.id} in ${region}.`, { status: 404 });
  return { cluster, instance };
}

/**
 * Delete one instance of a cluster. Removing the writer while readers exist is refused unless
 * `allowWriter` (Aurora would fail over to a reader first; the person should do that deliberately).
 */
export async function deleteInstance(
  region: string,
  clusterId: string,
  instanceId: string,
  opts: { allowWriter?: boolean } = {},
): Promise<MutationResult<InstanceDTO>> {
  const { cluster, instance } = await memberOf(region, clusterId, instanceId);
  if (instance.role === 'writer' && cluster.readerCount > 0 && !opts.allowWriter) {
    throw new AppError(
      'WRITER_DELETE_REFUSED',
      `${instance.id} is the writer of ${cluster.id}. Fail over to a reader first, or remove the readers before the writer.`,
      { status: 409 },
    );
  }
  if (instance.status === 'deleting') throw new AppError('INVALID_INSTANCE_STATE', `Instance ${instance.id} is already being deleted.`, { status: 409 });
  try {
    const out = await rdsClient(region).send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: instance.id }));
    return { data: toInstanceDTO(out.DBInstance ?? { DBInstanceIdentifier: instance.id }, instance.role === 'writer'), awsRequestId: out.$metadata.requestId };
  } catch (e) {
    throw toAppError(e);
  }
}

export async function rebootInstance(region: string, clusterId: string, instanceId: string): Promise<MutationResult<InstanceDTO>> {
  const { instance } = await memberOf(region, clusterId, instanceId);
  if (instance.status !== 'available') {
    throw new AppError('INVALID_INSTANCE_STATE', `Instance ${instance.id} is ${instance.status}; it can be rebooted only when available.`, { status: 409 });
  }
  try {
    const out = await rdsClient(region).send(new RebootDBInstanceCommand({ DBInstanceIdentifier: instance.id }));
    return { data: toInstanceDTO(out.DBInstance ?? { DBInstanceIdentifier: instance.id }, instance.role === 'writer'), awsRequestId: out.$metadata.requestId };
  } catch (e) {
    throw toAppError(e);
  }
}

/** Change promotion tier (no failover) and/or instance class of a cluster member. */
export async function modifyInstance(
  region: string,
  clusterId: string,
  instanceId: string,
  m: { promotionTier?: number; instanceClass?: string; applyImmediately?: boolean },
): Promise<MutationResult<InstanceDTO>> {
  const { instance } = await memberOf(region, clusterId, instanceId);
  try {
    const out = await rdsClient(region).send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: instance.id,
        PromotionTier: m.promotionTier,
        DBInstanceClass: m.instanceClass,
        ApplyImmediately: m.applyImmediately ?? true,
      }),
    );
    return { data: toInstanceDTO(out.DBInstance ?? { DBInstanceIdentifier: instance.id }, instance.role === 'writer'), awsRequestId: out.$metadata.requestId };
  } catch (e) {
    throw toAppError(e);
  }
}
