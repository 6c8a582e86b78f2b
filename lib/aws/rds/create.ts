import 'server-only';
// Creating a cluster: CreateDBCluster, then CreateDBInstance for the writer and (Multi-AZ) a reader, with a
// retry for a step that failed half-way.
import { CreateDBClusterCommand, CreateDBInstanceCommand } from '@aws-sdk/client-rds';
import { AppError } from '@/lib/errors';
import { rdsClient } from '../clients';
import { toAppError } from '../errors';
import { instanceName, type CreateClusterResult, type CreateStep, type MutationResult } from '../types';
import { listOrderableClasses } from './catalogue';
import { getCluster } from './clusters';

export interface CreateClusterParams {
  region: string;
  engine: 'aurora-mysql' | 'aurora-postgresql';
  engineVersion?: string;
  identifier: string;
  masterUsername: string;
  /** Omit when manageMasterPassword is true. Never logged or returned. */
  masterPassword?: string;
  manageMasterPassword: boolean;
  instanceClass: string;
  multiAZ: boolean;
  subnetGroup?: string;
  backupRetention: number;
  backtrackHours: number;
  encrypted: boolean;
  deletionProtection: boolean;
  tags: { key: string; value: string }[];
  /** AZs to place writer / reader in (Multi-AZ picks two different ones when omitted). */
  writerAz?: string;
  readerAz?: string;
}

async function pickAzs(region: string, engine: string, version: string | undefined, instanceClass: string): Promise<string[]> {
  try {
    const classes = await listOrderableClasses(region, engine, version);
    return classes.find((c) => c.instanceClass === instanceClass)?.availabilityZones ?? [];
  } catch {
    return [];
  }
}

function stepFailure(kind: CreateStep['kind'], id: string, e: unknown): CreateStep {
  const err = toAppError(e);
  return { kind, id, ok: false, error: err.message, code: err.code, awsRequestId: err.awsRequestId };
}

/**
 * CreateDBCluster, then CreateDBInstance for the writer, then (Multi-AZ) a reader in another AZ.
 * A cluster failure throws (nothing was created). A later failure is returned as a step so the UI can show
 * exactly what exists and offer to retry the missing step.
 */
export async function createCluster(p: CreateClusterParams): Promise<MutationResult<CreateClusterResult>> {
  const clusterId = p.identifier.toLowerCase();
  const client = rdsClient(p.region);
  const steps: CreateStep[] = [];
  let firstRequestId: string | undefined;
  try {
    const out = await client.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: clusterId,
        Engine: p.engine,
        EngineVersion: p.engineVersion,
        MasterUsername: p.masterUsername,
        ...(p.manageMasterPassword ? { ManageMasterUserPassword: true } : { MasterUserPassword: p.masterPassword }),
        DBSubnetGroupName: p.subnetGroup,
        BackupRetentionPeriod: p.backupRetention,
        ...(p.engine === 'aurora-mysql' && p.backtrackHours > 0 ? { BacktrackWindow: p.backtrackHours * 3600 } : {}),
        StorageEncrypted: p.encrypted,
        DeletionProtection: p.deletionProtection,
        Tags: p.tags.map((t) => ({ Key: t.key, Value: t.value })),
      }),
    );
    firstRequestId = out.$metadata.requestId;
    steps.push({ kind: 'cluster', id: clusterId, ok: true, awsRequestId: firstRequestId });
  } catch (e) {
    throw toAppError(e);
  }

  let writerAz = p.writerAz;
  let readerAz = p.readerAz;
  if (p.multiAZ && (!writerAz || !readerAz)) {
    const azs = await pickAzs(p.region, p.engine, p.engineVersion, p.instanceClass);
    writerAz ??= azs[0];
    readerAz ??= azs.find((a) => a !== writerAz);
  }

  const writerId = instanceName(clusterId, 1);
  const writer = await createInstanceStep(p.region, clusterId, p.engine, 'writer', writerId, p.instanceClass, writerAz, 1);
  steps.push(writer);
  if (p.multiAZ) {
    const readerId = instanceName(clusterId, 2);
    if (!writer.ok) steps.push({ kind: 'reader', id: readerId, ok: false, skipped: true });
    else steps.push(await createInstanceStep(p.region, clusterId, p.engine, 'reader', readerId, p.instanceClass, readerAz, 1));
  }
  return {
    data: { region: p.region, clusterId, steps, complete: steps.every((s) => s.ok) },
    awsRequestId: firstRequestId,
  };
}

export async function createInstanceStep(
  region: string,
  clusterId: string,
  engine: string,
  kind: 'writer' | 'reader',
  instanceId: string,
  instanceClass: string,
  az: string | undefined,
  tier: number,
): Promise<CreateStep> {
  try {
    const out = await rdsClient(region).send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: instanceId,
        DBClusterIdentifier: clusterId,
        Engine: engine,
        DBInstanceClass: instanceClass,
        AvailabilityZone: az || undefined,
        PromotionTier: tier,
      }),
    );
    return { kind, id: instanceId, ok: true, awsRequestId: out.$metadata.requestId };
  } catch (e) {
    return stepFailure(kind, instanceId, e);
  }
}

/**
 * Retry the writer or reader step of a half-built create. Refuses a writer retry when the cluster
 * already has instances (the new one would not be the writer) and a reader retry when there is no writer.
 */
export async function retryCreateStep(
  region: string,
  clusterId: string,
  step: { kind: 'writer' | 'reader'; instanceId: string; instanceClass: string; az?: string },
): Promise<MutationResult<CreateStep>> {
  const c = await getCluster(region, clusterId, { maxAgeMs: 0 });
  if (c.instances.some((i) => i.id === step.instanceId.toLowerCase())) {
    throw new AppError('ALREADY_DONE', `Instance ${step.instanceId} already exists in cluster ${c.id}; nothing to retry.`, { status: 409 });
  }
  if (step.kind === 'writer' && c.instances.length > 0) {
    throw new AppError('ALREADY_DONE', `Cluster ${c.id} already has ${c.instances.length} instance(s); the writer exists.`, { status: 409 });
  }
  if (step.kind === 'reader' && c.instances.length === 0) {
    throw new AppError('NO_WRITER', `Cluster ${c.id} has no writer yet: retry creating the writer first.`, { status: 409 });
  }
  const s = await createInstanceStep(region, c.id, c.engine, step.kind, step.instanceId.toLowerCase(), step.instanceClass, step.az, 1);
  if (!s.ok) throw new AppError(s.code ?? 'CREATE_FAILED', s.error ?? 'Creating the instance failed.', { status: 409, awsRequestId: s.awsRequestId });
  return { data: s, awsRequestId: s.awsRequestId };
}
