import 'server-only';
import { cachedRead, READ_TTL_MS } from './read-cache';
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBEngineVersionsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  DescribeEventsCommand,
  DescribeOrderableDBInstanceOptionsCommand,
  ModifyDBInstanceCommand,
  RebootDBInstanceCommand,
  type DBCluster,
  type DBInstance,
  type Filter,
} from '@aws-sdk/client-rds';
import { rdsClient } from './clients';
import { AppError } from '@/lib/errors';
import { toAppError } from './errors';
import { addReaderBlockedReason } from './rds-rules';
import {
  instanceName,
  isTransitional,
  nextInstanceName,
  type ClusterDTO,
  type CreateClusterResult,
  type CreateStep,
  type EngineVersionDTO,
  type EventDTO,
  type InstanceDTO,
  type OrderableClassDTO,
  type RegionFleet,
  type SubnetGroupDTO,
} from './types';

/*
 * Typed RDS operations returning plain DTOs (lib/aws/types.ts). Organised in sections:
 *   1. mapping SDK shapes → DTOs
 *   2. paginated describes (reads)
 *   3. create-form catalogue reads
 *   4. lifecycle mutations (create, add reader, reboot, modify, delete)
 * Other engineers add failover/backtrack in their own files (failover.ts, backtrack.ts) using rdsClient().
 * Every AWS fault leaves here as an AppError (toAppError).
 */

export const AURORA_ENGINE_FILTER: Filter = { Name: 'engine', Values: ['aurora-mysql', 'aurora-postgresql'] };

/** Mutation results carry the AWS request id for the audit row. */
export interface MutationResult<T> {
  data: T;
  awsRequestId?: string;
}

// ---------------------------------------------------------------------------------------------- 1. mapping

const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);

export function toInstanceDTO(i: DBInstance, isWriter: boolean, memberTier?: number): InstanceDTO {
  const status = i.DBInstanceStatus ?? 'unknown';
  return {
    id: i.DBInstanceIdentifier ?? '?',
    clusterId: i.DBClusterIdentifier,
    role: isWriter ? 'writer' : 'reader',
    instanceClass: i.DBInstanceClass ?? 'unknown',
    engine: i.Engine ?? 'unknown',
    engineVersion: i.EngineVersion,
    az: i.AvailabilityZone,
    promotionTier: i.PromotionTier ?? memberTier ?? 1,
    status,
    transitional: isTransitional(status),
    endpoint: i.Endpoint?.Address,
    port: i.Endpoint?.Port,
    createdAt: iso(i.InstanceCreateTime),
    publiclyAccessible: i.PubliclyAccessible,
    performanceInsightsEnabled: i.PerformanceInsightsEnabled,
  };
}

/** Writer first, then readers by promotion tier, then id. */
export function sortInstances(list: InstanceDTO[]): InstanceDTO[] {
  return [...list].sort(
    (a, b) => Number(b.role === 'writer') - Number(a.role === 'writer') || a.promotionTier - b.promotionTier || a.id.localeCompare(b.id),
  );
}

/** Build the cluster DTO; `instances` may hold instances of other clusters (only members are used). */
export function toClusterDTO(region: string, c: DBCluster, instances: DBInstance[]): ClusterDTO {
  const id = c.DBClusterIdentifier ?? '?';
  const byId = new Map(instances.map((i) => [i.DBInstanceIdentifier, i]));
  const seen = new Set<string>();
  const list: InstanceDTO[] = [];
  for (const m of c.DBClusterMembers ?? []) {
    const mid = m.DBInstanceIdentifier;
    if (!mid) continue;
    seen.add(mid);
    const inst = byId.get(mid) ?? { DBInstanceIdentifier: mid, DBClusterIdentifier: id, DBInstanceStatus: 'unknown', Engine: c.Engine };
    list.push(toInstanceDTO(inst, !!m.IsClusterWriter, m.PromotionTier));
  }
  // Instances that point at the cluster but are not (yet/any more) listed as members.
  for (const i of instances) {
    if (i.DBInstanceIdentifier && !seen.has(i.DBInstanceIdentifier) && i.DBClusterIdentifier?.toLowerCase() === id.toLowerCase()) {
      list.push(toInstanceDTO(i, false));
    }
  }
  const sorted = sortInstances(list);
  const status = c.Status ?? 'unknown';
  const writer = sorted.find((i) => i.role === 'writer');
  const readerCount = sorted.filter((i) => i.role === 'reader').length;
  const transitional = isTransitional(status);
  return {
    region,
    id,
    arn: c.DBClusterArn,
    resourceId: c.DbClusterResourceId,
    status,
    transitional,
    anyTransitional: transitional || sorted.some((i) => i.transitional),
    percentProgress: c.PercentProgress,
    engine: c.Engine ?? 'unknown',
    engineVersion: c.EngineVersion,
    engineMode: c.EngineMode,
    // Aurora's MultiAZ flag is true once replicas live in more than one AZ.
    multiAZ: !!c.MultiAZ || new Set(sorted.map((i) => i.az).filter(Boolean)).size > 1,
    writerId: writer?.id,
    readerCount,
    instanceCount: sorted.length,
    endpoint: c.Endpoint,
    readerEndpoint: c.ReaderEndpoint,
    port: c.Port,
    masterUsername: c.MasterUsername,
    masterPasswordManaged: !!c.MasterUserSecret,
    databaseName: c.DatabaseName,
    availabilityZones: c.AvailabilityZones ?? [],
    subnetGroup: c.DBSubnetGroup,
    backupRetentionPeriod: c.BackupRetentionPeriod,
    preferredBackupWindow: c.PreferredBackupWindow,
    preferredMaintenanceWindow: c.PreferredMaintenanceWindow,
    createdAt: iso(c.ClusterCreateTime),
    backtrackWindowSeconds: c.BacktrackWindow,
    earliestBacktrackTime: iso(c.EarliestBacktrackTime),
    deletionProtection: !!c.DeletionProtection,
    storageEncrypted: !!c.StorageEncrypted,
    kmsKeyId: c.KmsKeyId,
    iamAuthEnabled: !!c.IAMDatabaseAuthenticationEnabled,
    tags: (c.TagList ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
    instances: sorted,
  };
}

// ---------------------------------------------------------------------------------------------- 2. reads

async function describeAllClusters(region: string, input: { DBClusterIdentifier?: string; Filters?: Filter[] }): Promise<DBCluster[]> {
  const out: DBCluster[] = [];
  let marker: string | undefined;
  do {
    const page = await rdsClient(region).send(new DescribeDBClustersCommand({ ...input, Marker: marker, MaxRecords: 100 }));
    out.push(...(page.DBClusters ?? []));
    marker = page.Marker;
  } while (marker);
  return out;
}

async function describeAllInstances(region: string, filters: Filter[]): Promise<DBInstance[]> {
  const out: DBInstance[] = [];
  let marker: string | undefined;
  do {
    const page = await rdsClient(region).send(new DescribeDBInstancesCommand({ Filters: filters, Marker: marker, MaxRecords: 100 }));
    out.push(...(page.DBInstances ?? []));
    marker = page.Marker;
  } while (marker);
  return out;
}

/** Every Aurora cluster in a region: one paginated DescribeDBClusters + one paginated DescribeDBInstances, shared through the read cache (`maxAgeMs: 0` reads afresh). */
export function listClusters(region: string, opts: { maxAgeMs?: number } = {}): Promise<ClusterDTO[]> {
  return cachedRead(region, 'fleet', opts.maxAgeMs ?? READ_TTL_MS.fleet, () => loadClusters(region));
}

async function loadClusters(region: string): Promise<ClusterDTO[]> {
  try {
    const [clusters, instances] = await Promise.all([
      describeAllClusters(region, { Filters: [AURORA_ENGINE_FILTER] }),
      describeAllInstances(region, [AURORA_ENGINE_FILTER]),
    ]);
    return clusters.map((c) => toClusterDTO(region, c, instances)).sort((a, b) => a.id.localeCompare(b.id));
  } catch (e) {
    throw toAppError(e);
  }
}

/** The fleet across regions, fetched in parallel; one failing region does not blank the others. */
export async function listFleet(regions: string[]): Promise<RegionFleet[]> {
  return Promise.all(
    regions.map(async (region): Promise<RegionFleet> => {
      try {
        return { region, ok: true, clusters: await listClusters(region) };
      } catch (e) {
        const err = toAppError(e);
        return { region, ok: false, error: err.message, code: err.code };
      }
    }),
  );
}

/**
 * One cluster with its instances (writer from DBClusterMembers.IsClusterWriter). 404 AppError when gone.
 * Served from the shared read cache for pages and polling; checks before a write pass `maxAgeMs: 0`.
 */
export function getCluster(region: string, clusterId: string, opts: { maxAgeMs?: number } = {}): Promise<ClusterDTO> {
  return cachedRead(region, `cluster:${clusterId.toLowerCase()}`, opts.maxAgeMs ?? READ_TTL_MS.cluster, () => loadCluster(region, clusterId));
}

async function loadCluster(region: string, clusterId: string): Promise<ClusterDTO> {
  try {
    const [clusters, instances] = await Promise.all([
      describeAllClusters(region, { DBClusterIdentifier: clusterId }),
      describeAllInstances(region, [{ Name: 'db-cluster-id', Values: [clusterId] }]),
    ]);
    const c = clusters[0];
    if (!c) throw new AppError('CLUSTER_NOT_FOUND', `Cluster ${clusterId} no longer exists in ${region}.`, { status: 404 });
    return toClusterDTO(region, c, instances);
  } catch (e) {
    throw toAppError(e);
  }
}

/** Like getCluster, but null when the cluster does not exist. */
export async function findCluster(region: string, clusterId: string, opts: { maxAgeMs?: number } = {}): Promise<ClusterDTO | null> {
  try {
    return await getCluster(region, clusterId, opts);
  } catch (e) {
    if (e instanceof AppError && e.code === 'CLUSTER_NOT_FOUND') return null;
    throw e;
  }
}

async function describeAllEvents(region: string, input: { SourceType: string; SourceIdentifier?: string; StartTime: Date; EndTime: Date }) {
  const out: EventDTO[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = await rdsClient(region).send(
      new DescribeEventsCommand({ ...input, SourceType: input.SourceType as 'db-cluster', Marker: marker, MaxRecords: 100 }),
    );
    for (const ev of page.Events ?? []) {
      out.push({
        sourceId: ev.SourceIdentifier ?? '',
        sourceType: ev.SourceType ?? input.SourceType,
        message: ev.Message ?? '',
        categories: ev.EventCategories ?? [],
        date: iso(ev.Date) ?? '',
      });
    }
    marker = page.Marker;
  } while (marker && ++pages < 20);
  return out;
}

/**
 * Events of the cluster and its instances since `since` (ms) or in the last `hours` (default 24), newest
 * first. Two paged calls: db-cluster events for the cluster, db-instance events of the region filtered to
 * the given instances, instances named after the cluster (`<cluster>-…`) or named in the cluster's own
 * events, and events that mention the cluster, so removed readers still show.
 */
export function listEvents(
  region: string,
  clusterId: string,
  instanceIds: string[],
  opts: { hours?: number; since?: number; limit?: number } = {},
): Promise<EventDTO[]> {
  const span = opts.since !== undefined ? `since=${opts.since}` : `${opts.hours ?? 24}h`;
  const key = `events:${clusterId.toLowerCase()}:${[...instanceIds].map((i) => i.toLowerCase()).sort().join(',')}:${span}:${opts.limit ?? ''}`;
  return cachedRead(region, key, READ_TTL_MS.events, () => loadEvents(region, clusterId, instanceIds, opts));
}

/**
 * A removed reader's events have no member to match: accept instances named `<cluster>-<n>`,
 * `<cluster>-instance-<n>` or `<cluster>-<word>` (the console's and AWS console's defaults), but not
 * `<cluster>-<word>-<n>`, which is how another cluster's instances look (`orders` vs `orders-prod-1`).
 */
export function namedAfterCluster(instanceId: string, cid: string): boolean {
  const s = instanceId.toLowerCase();
  return s.startsWith(`${cid}-`) && /^(instance-)?[a-z0-9]+$/.test(s.slice(cid.length + 1));
}

/** The cluster's id as a whole word in an event message (not `orders` inside `orders-prod`). */
export function mentionsCluster(message: string, cid: string): boolean {
  const m = message.toLowerCase();
  for (let i = m.indexOf(cid); i >= 0; i = m.indexOf(cid, i + 1)) {
    const before = i === 0 ? '' : m[i - 1];
    const after = m[i + cid.length] ?? '';
    if (!/[a-z0-9-]/.test(before) && !/[a-z0-9-]/.test(after)) return true;
  }
  return false;
}

async function loadEvents(
  region: string,
  clusterId: string,
  instanceIds: string[],
  opts: { hours?: number; since?: number; limit?: number } = {},
): Promise<EventDTO[]> {
  const EndTime = new Date();
  const StartTime = new Date(opts.since ?? EndTime.getTime() - (opts.hours ?? 24) * 3600_000);
  const cid = clusterId.toLowerCase();
  const ids = new Set(instanceIds.map((i) => i.toLowerCase()));
  try {
    const [clusterEvents, instanceEvents] = await Promise.all([
      describeAllEvents(region, { SourceType: 'db-cluster', SourceIdentifier: clusterId, StartTime, EndTime }),
      describeAllEvents(region, { SourceType: 'db-instance', StartTime, EndTime }),
    ]);
    for (const e of clusterEvents) for (const m of e.message.matchAll(/instance:?\s+([a-z][a-z0-9-]*)/gi)) ids.add(m[1].toLowerCase());
    const mine = instanceEvents.filter((e) => ids.has(e.sourceId.toLowerCase()) || namedAfterCluster(e.sourceId, cid) || mentionsCluster(e.message, cid));
    const all = [...clusterEvents, ...mine].sort((a, b) => b.date.localeCompare(a.date));
    return opts.limit ? all.slice(0, opts.limit) : all;
  } catch (e) {
    throw toAppError(e);
  }
}

// ---------------------------------------------------------------------------------------------- 3. catalogue reads

export function listEngineVersions(region: string, engine: string): Promise<EngineVersionDTO[]> {
  return cachedRead(region, `versions:${engine}`, READ_TTL_MS.catalog, () => loadEngineVersions(region, engine));
}

async function loadEngineVersions(region: string, engine: string): Promise<EngineVersionDTO[]> {
  try {
    const out: EngineVersionDTO[] = [];
    let marker: string | undefined;
    do {
      const page = await rdsClient(region).send(new DescribeDBEngineVersionsCommand({ Engine: engine, Marker: marker, MaxRecords: 100 }));
      for (const v of page.DBEngineVersions ?? []) {
        if (!v.EngineVersion) continue;
        out.push({
          engine: v.Engine ?? engine,
          version: v.EngineVersion,
          description: v.DBEngineVersionDescription,
          family: v.DBParameterGroupFamily,
          status: v.Status,
        });
      }
      marker = page.Marker;
    } while (marker);
    // Newest first.
    return out.reverse();
  } catch (e) {
    throw toAppError(e);
  }
}

/** Instance classes orderable for an engine (and version), with the AZs each is offered in. */
export function listOrderableClasses(region: string, engine: string, version?: string): Promise<OrderableClassDTO[]> {
  return cachedRead(region, `classes:${engine}:${version ?? ''}`, READ_TTL_MS.catalog, () => loadOrderableClasses(region, engine, version));
}

async function loadOrderableClasses(region: string, engine: string, version?: string): Promise<OrderableClassDTO[]> {
  try {
    const byClass = new Map<string, Set<string>>();
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await rdsClient(region).send(
        new DescribeOrderableDBInstanceOptionsCommand({ Engine: engine, EngineVersion: version || undefined, Marker: marker, MaxRecords: 1000 }),
      );
      for (const o of page.OrderableDBInstanceOptions ?? []) {
        if (!o.DBInstanceClass) continue;
        const azs = byClass.get(o.DBInstanceClass) ?? new Set<string>();
        for (const az of o.AvailabilityZones ?? []) if (az.Name) azs.add(az.Name);
        byClass.set(o.DBInstanceClass, azs);
      }
      marker = page.Marker;
    } while (marker && ++pages < 20);
    return [...byClass.entries()]
      .map(([instanceClass, azs]) => ({ instanceClass, availabilityZones: [...azs].sort() }))
      .sort((a, b) => a.instanceClass.localeCompare(b.instanceClass));
  } catch (e) {
    throw toAppError(e);
  }
}

export function listSubnetGroups(region: string): Promise<SubnetGroupDTO[]> {
  return cachedRead(region, 'subnet-groups', READ_TTL_MS.catalog, () => loadSubnetGroups(region));
}

async function loadSubnetGroups(region: string): Promise<SubnetGroupDTO[]> {
  try {
    const out: SubnetGroupDTO[] = [];
    let marker: string | undefined;
    do {
      const page = await rdsClient(region).send(new DescribeDBSubnetGroupsCommand({ Marker: marker, MaxRecords: 100 }));
      for (const g of page.DBSubnetGroups ?? []) {
        if (!g.DBSubnetGroupName) continue;
        out.push({
          name: g.DBSubnetGroupName,
          description: g.DBSubnetGroupDescription,
          vpcId: g.VpcId,
          availabilityZones: [...new Set((g.Subnets ?? []).map((s) => s.SubnetAvailabilityZone?.Name).filter((x): x is string => !!x))].sort(),
        });
      }
      marker = page.Marker;
    } while (marker);
    return out;
  } catch (e) {
    throw toAppError(e);
  }
}

// ---------------------------------------------------------------------------------------------- 4. mutations

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

export { instanceName, nextInstanceName } from './types';

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

async function createInstanceStep(
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

export interface DeleteClusterResult {
  clusterId: string;
  /** Instances whose deletion this call started (readers first, then the writer). */
  deletedInstances: string[];
  clusterDeleteStarted: boolean;
  finalSnapshotId?: string;
}

/**
 * Delete a cluster. Aurora refuses while any instance is not deleting, so either the person asked us to
 * delete the readers and then the writer first (`deleteInstances`), or the cluster must be empty.
 */
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

// ---------------------------------------------------------------------------------------------- create-form catalogue

export interface CreateCatalog {
  region: string;
  engine: string;
  versions: EngineVersionDTO[];
  /** The version the classes were listed for (the newest when none was asked for). */
  version?: string;
  classes: OrderableClassDTO[];
  subnetGroups: SubnetGroupDTO[];
}

/** Everything the create form needs for (region, engine[, version]): three describes in parallel where possible. */
export async function loadCatalog(region: string, engine: string, version?: string): Promise<CreateCatalog> {
  const [versions, subnetGroups] = await Promise.all([listEngineVersions(region, engine), listSubnetGroups(region)]);
  const v = version && versions.some((x) => x.version === version) ? version : versions[0]?.version;
  const classes = await listOrderableClasses(region, engine, v);
  return { region, engine, versions, version: v, classes, subnetGroups };
}
