import 'server-only';
// Restores: RestoreDBClusterFromSnapshot / RestoreDBClusterToPointInTime make a cluster with no instances; as on
// AWS, its writer and readers are then added with CreateDBInstance. Everything that can be checked first is
// checked before the first call (the new identifier, the instance class, the snapshot's state and engine, the
// time against the restorable window), so a refusal leaves nothing behind. A failure after the cluster exists
// is returned step by step, like the create form's.
import { DescribeDBInstancesCommand, RestoreDBClusterFromSnapshotCommand, RestoreDBClusterToPointInTimeCommand, type DBCluster } from '@aws-sdk/client-rds';
import { AppError } from '@/lib/errors';
import { rdsClient } from '../clients';
import { toAppError } from '../errors';
import { checkEngineFamily, checkRestoreTime, snapshotNotRestorableReason } from '../backup-rules';
import type { RestoreResult } from '../backup-types';
import { instanceName, type ClusterDTO, type CreateStep, type MutationResult } from '../types';
import { listOrderableClasses } from './catalogue';
import { findCluster, getCluster } from './clusters';
import { createInstanceStep } from './create';
import { getClusterSnapshot } from './snapshots';

export interface NewClusterParams {
  /** Identifier of the cluster the restore creates. */
  identifier: string;
  instanceClass: string;
  /** Readers to add after the writer (0–15). */
  readers: number;
}

/** The same refusal AWS would answer, made before any call (one wording: the fault's rule in errors.ts). */
function fault(name: string, region: string, message: string, fields?: Record<string, string>): AppError {
  return toAppError({ name, message, $afcRegion: region }, fields);
}

function fieldError(code: string, field: string, message: string, status = 400): AppError {
  return new AppError(code, message, { status, fieldErrors: { [field]: [message] } });
}

/** The new identifier is free, its instance names are free, and the class is orderable for the engine. */
async function checkNewCluster(region: string, engine: string, engineVersion: string | undefined, p: NewClusterParams): Promise<{ clusterId: string; instanceIds: string[] }> {
  const clusterId = p.identifier.toLowerCase();
  if (await findCluster(region, clusterId, { maxAgeMs: 0 })) throw fault('DBClusterAlreadyExistsFault', region, '');
  const instanceIds = Array.from({ length: 1 + p.readers }, (_, n) => instanceName(clusterId, n + 1));
  const taken = await rdsClient(region)
    .send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-instance-id', Values: instanceIds }] }))
    .then((o) => (o.DBInstances ?? []).map((i) => i.DBInstanceIdentifier ?? '').filter((id) => instanceIds.includes(id)))
    .catch(() => [] as string[]); // a filter the endpoint does not know only skips this check
  if (taken.length) throw fieldError('INSTANCE_ALREADY_EXISTS', 'identifier', `DB instance ${taken.join(', ')} already exists in ${region}; the new cluster's instances would be named so. Choose another cluster identifier.`, 409);
  const classes = await listOrderableClasses(region, engine, engineVersion).catch(() => []);
  if (classes.length && !classes.some((c) => c.instanceClass === p.instanceClass))
    throw fieldError('INVALID_INSTANCE_CLASS', 'instanceClass', `${p.instanceClass} is not offered for ${engine}${engineVersion ? ` ${engineVersion}` : ''} in ${region}; choose one of the listed classes.`);
  return { clusterId, instanceIds };
}

async function addInstances(region: string, clusterId: string, engine: string, instanceIds: string[], instanceClass: string, steps: CreateStep[]): Promise<void> {
  for (const [n, id] of instanceIds.entries()) {
    const kind = n === 0 ? 'writer' : 'reader';
    if (steps.some((s) => !s.ok)) {
      steps.push({ kind, id, ok: false, skipped: true });
      continue;
    }
    steps.push(await createInstanceStep(region, clusterId, engine, kind, id, instanceClass, undefined, 1));
  }
}

function result(region: string, clusterId: string, steps: CreateStep[], restoredTo?: string): RestoreResult {
  return { region, clusterId, steps, complete: steps.every((s) => s.ok), restoredTo };
}

/** RestoreDBClusterFromSnapshot, then the writer and `readers` readers. */
export async function restoreFromSnapshot(
  region: string,
  p: NewClusterParams & { snapshotId: string; engine: string; subnetGroup?: string; backtrackWindowSeconds?: number },
): Promise<MutationResult<RestoreResult>> {
  const snap = await getClusterSnapshot(region, p.snapshotId);
  const notReady = snapshotNotRestorableReason(snap);
  if (notReady) throw fieldError('INVALID_SNAPSHOT_STATE', 'snapshotId', notReady, 409);
  const family = checkEngineFamily(snap.engine, p.engine, snap.id);
  if (family) throw fieldError('INVALID_RESTORE', 'engine', family);
  const engineVersion = snap.engine === p.engine ? snap.engineVersion : undefined;
  const { clusterId, instanceIds } = await checkNewCluster(region, p.engine, engineVersion, p);
  let out: { DBCluster?: DBCluster; $metadata: { requestId?: string } };
  try {
    out = await rdsClient(region).send(
      new RestoreDBClusterFromSnapshotCommand({
        DBClusterIdentifier: clusterId,
        SnapshotIdentifier: snap.arn ?? snap.id,
        Engine: p.engine,
        EngineVersion: engineVersion,
        DBSubnetGroupName: p.subnetGroup,
        ...(p.engine === 'aurora-mysql' && p.backtrackWindowSeconds ? { BacktrackWindow: p.backtrackWindowSeconds } : {}),
      }),
    );
  } catch (e) {
    throw toAppError(e, { INVALID_RESTORE: 'snapshotId', INVALID_PARAMETER: 'snapshotId' });
  }
  const steps: CreateStep[] = [{ kind: 'cluster', id: clusterId, ok: true, awsRequestId: out.$metadata.requestId }];
  await addInstances(region, clusterId, p.engine, instanceIds, p.instanceClass, steps);
  return { data: result(region, clusterId, steps, snap.createdAt), awsRequestId: out.$metadata.requestId };
}

/** Read the source and check the moment against its restorable window (the InvalidRestoreFault AWS would answer). */
export async function checkRestoreToTime(region: string, sourceId: string, at: Date | undefined): Promise<ClusterDTO> {
  const src = await getCluster(region, sourceId, { maxAgeMs: 0 });
  if (at) {
    const m = checkRestoreTime(at, { earliest: src.earliestRestorableTime, latest: src.latestRestorableTime }, src.id);
    if (m) throw fieldError('INVALID_RESTORE', 'restoreTo', m);
  } else if (!src.latestRestorableTime) {
    throw fieldError('INVALID_RESTORE', 'restoreTo', `${src.id} has no latest restorable time yet (no backup since it was created); try again in a few minutes.`);
  }
  return src;
}

/** RestoreDBClusterToPointInTime (`at` undefined = UseLatestRestorableTime), then the writer and readers. */
export async function restoreToPointInTime(
  region: string,
  p: NewClusterParams & { sourceClusterId: string; at?: Date; restoreType: 'full-copy' | 'copy-on-write' },
): Promise<MutationResult<RestoreResult>> {
  const src = await checkRestoreToTime(region, p.sourceClusterId, p.at);
  const { clusterId, instanceIds } = await checkNewCluster(region, src.engine, src.engineVersion, p);
  let out: { DBCluster?: DBCluster; $metadata: { requestId?: string } };
  try {
    out = await rdsClient(region).send(
      new RestoreDBClusterToPointInTimeCommand({
        DBClusterIdentifier: clusterId,
        SourceDBClusterIdentifier: src.id,
        ...(p.at ? { RestoreToTime: p.at } : { UseLatestRestorableTime: true }),
        RestoreType: p.restoreType,
        DBSubnetGroupName: src.subnetGroup,
        ...(src.engine === 'aurora-mysql' && src.backtrackWindowSeconds ? { BacktrackWindow: src.backtrackWindowSeconds } : {}),
      }),
    );
  } catch (e) {
    throw toAppError(e, { INVALID_RESTORE: 'restoreTo', INVALID_PARAMETER: 'restoreTo' });
  }
  const steps: CreateStep[] = [{ kind: 'cluster', id: clusterId, ok: true, awsRequestId: out.$metadata.requestId }];
  await addInstances(region, clusterId, src.engine, instanceIds, p.instanceClass, steps);
  return { data: result(region, clusterId, steps, p.at?.toISOString() ?? src.latestRestorableTime), awsRequestId: out.$metadata.requestId };
}
