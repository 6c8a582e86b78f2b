// SDK shapes → the plain DTOs of lib/aws/types.ts. Pure: no client, no I/O.
import type { DBCluster, DBInstance, Event } from '@aws-sdk/client-rds';
import { isTransitional, type ClusterDTO, type EventDTO, type InstanceDTO } from '../types';

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
function sortInstances(list: InstanceDTO[]): InstanceDTO[] {
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
    masterUserSecretArn: c.MasterUserSecret?.SecretArn,
    httpEndpointEnabled: !!c.HttpEndpointEnabled,
    databaseName: c.DatabaseName,
    availabilityZones: c.AvailabilityZones ?? [],
    subnetGroup: c.DBSubnetGroup,
    backupRetentionPeriod: c.BackupRetentionPeriod,
    preferredBackupWindow: c.PreferredBackupWindow,
    earliestRestorableTime: iso(c.EarliestRestorableTime),
    latestRestorableTime: iso(c.LatestRestorableTime),
    preferredMaintenanceWindow: c.PreferredMaintenanceWindow,
    createdAt: iso(c.ClusterCreateTime),
    backtrackWindowSeconds: c.BacktrackWindow,
    earliestBacktrackTime: iso(c.EarliestBacktrackTime),
    deletionProtection: !!c.DeletionProtection,
    storageEncrypted: !!c.StorageEncrypted,
    kmsKeyId: c.KmsKeyId,
    iamAuthEnabled: !!c.IAMDatabaseAuthenticationEnabled,
    globalClusterId: c.GlobalClusterIdentifier || undefined,
    tags: (c.TagList ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
    instances: sorted,
  };
}

export function toEventDTO(ev: Event, sourceType: string): EventDTO {
  return {
    sourceId: ev.SourceIdentifier ?? '',
    sourceType: ev.SourceType ?? sourceType,
    message: ev.Message ?? '',
    categories: ev.EventCategories ?? [],
    date: iso(ev.Date) ?? '',
  };
}
