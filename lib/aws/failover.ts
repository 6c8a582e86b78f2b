import 'server-only';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, DescribeEventsCommand, FailoverDBClusterCommand, type DBCluster, type DBInstance } from '@aws-sdk/client-rds';
import { rdsClient } from '@/lib/aws/clients';
import { AppError, toAppError } from '@/lib/aws/errors';

/** The slice of a cluster the on-call checks need (plain data; safe to hand to client components). */
export interface OncallInstance {
  id: string;
  instanceClass: string;
  az?: string;
  promotionTier: number;
  status: string;
  isWriter: boolean;
}
export interface OncallCluster {
  region: string;
  id: string;
  engine: string;
  status: string;
  writer?: string;
  instances: OncallInstance[];
  /** Target backtrack window in seconds (0 or undefined = not enabled). */
  backtrackWindow?: number;
  earliestBacktrackTime?: string;
  clusterCreateTime?: string;
}

export type CheckResult<T = void> = { ok: true; value: T } | { ok: false; code: string; message: string; field?: string };

function toInstance(m: { DBInstanceIdentifier?: string; IsClusterWriter?: boolean; PromotionTier?: number }, i: DBInstance | undefined): OncallInstance {
  return {
    id: m.DBInstanceIdentifier ?? i?.DBInstanceIdentifier ?? '?',
    instanceClass: i?.DBInstanceClass ?? 'unknown',
    az: i?.AvailabilityZone,
    promotionTier: m.PromotionTier ?? i?.PromotionTier ?? 1,
    status: i?.DBInstanceStatus ?? 'unknown',
    isWriter: !!m.IsClusterWriter,
  };
}

export function toOncallCluster(region: string, c: DBCluster, instances: DBInstance[]): OncallCluster {
  const byId = new Map(instances.map((i) => [i.DBInstanceIdentifier, i]));
  const members = (c.DBClusterMembers ?? []).map((m) => toInstance(m, byId.get(m.DBInstanceIdentifier)));
  members.sort((a, b) => Number(b.isWriter) - Number(a.isWriter) || a.promotionTier - b.promotionTier || a.id.localeCompare(b.id));
  return {
    region,
    id: c.DBClusterIdentifier ?? '?',
    engine: c.Engine ?? 'unknown',
    status: c.Status ?? 'unknown',
    writer: members.find((m) => m.isWriter)?.id,
    instances: members,
    backtrackWindow: c.BacktrackWindow,
    earliestBacktrackTime: c.EarliestBacktrackTime?.toISOString(),
    clusterCreateTime: c.ClusterCreateTime?.toISOString(),
  };
}

/** Describe one cluster and its instances (two calls) as the on-call DTO. */
export async function describeOncallCluster(region: string, clusterId: string): Promise<OncallCluster & { awsRequestId?: string }> {
  const client = rdsClient(region);
  try {
    const out = await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }));
    const c = out.DBClusters?.[0];
    if (!c) throw new AppError('NOT_FOUND', `Cluster ${clusterId} was not found in ${region}.`, { status: 404 });
    const instances: DBInstance[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(
        new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [c.DBClusterIdentifier!] }], Marker: marker }),
      );
      instances.push(...(page.DBInstances ?? []));
      marker = page.Marker;
    } while (marker);
    return { ...toOncallCluster(region, c, instances), awsRequestId: out.$metadata.requestId };
  } catch (e) {
    throw e instanceof AppError ? e : toAppError(e);
  }
}

const SIZE_ORDER = ['micro', 'small', 'medium', 'large', 'xlarge'];
/** A comparable size for an instance class: db.r6g.4xlarge > db.r6g.2xlarge > db.r6g.xlarge > db.r6g.large > db.t4g.medium. */
export function classSize(instanceClass: string): number {
  const size = instanceClass.split('.').pop() ?? '';
  const m = /^(\d+)xlarge$/.exec(size);
  if (m) return 4 + Number(m[1]);
  if (size === 'serverless') return 4; // treated like a large for tie-breaks
  const i = SIZE_ORDER.indexOf(size);
  return i < 0 ? 0 : i;
}

/** The reader Aurora would promote without a target: lowest promotion tier, then the largest class. */
export function predictAuroraTarget(cluster: OncallCluster): OncallInstance | undefined {
  return cluster.instances
    .filter((i) => !i.isWriter && i.status === 'available')
    .sort((a, b) => a.promotionTier - b.promotionTier || classSize(b.instanceClass) - classSize(a.instanceClass) || a.id.localeCompare(b.id))[0];
}

/**
 * Server-side checks before a failover is sent to AWS. `target` undefined = let Aurora choose by tier.
 * Every refusal carries a sentence a person can act on.
 */
export function checkFailover(cluster: OncallCluster, input: { confirm: string; target?: string }): CheckResult<{ target?: string }> {
  if (input.confirm.trim() !== cluster.id) {
    return {
      ok: false,
      code: 'CONFIRMATION_MISMATCH',
      field: 'confirm',
      message: `Type the cluster identifier "${cluster.id}" exactly to confirm the failover.`,
    };
  }
  if (cluster.status === 'failing-over') {
    return { ok: false, code: 'FAILOVER_IN_PROGRESS', message: `A failover of ${cluster.id} is already in progress (AWS reports the cluster as failing-over).` };
  }
  if (cluster.status !== 'available') {
    return { ok: false, code: 'CLUSTER_NOT_AVAILABLE', message: `${cluster.id} is ${cluster.status}; a failover needs the cluster to be available.` };
  }
  if (cluster.instances.length < 2) {
    return {
      ok: false,
      code: 'SINGLE_INSTANCE',
      message: `${cluster.id} has only one instance, so there is no reader to promote. Add a reader first; without one, Aurora can only recreate the writer.`,
    };
  }
  if (input.target) {
    const t = cluster.instances.find((i) => i.id === input.target!.trim().toLowerCase());
    if (!t) {
      return { ok: false, code: 'TARGET_NOT_IN_CLUSTER', field: 'target', message: `${input.target.length > 70 ? `${input.target.slice(0, 70)}…` : input.target} is not an instance of ${cluster.id}; choose one of its readers.` };
    }
    if (t.isWriter) {
      return { ok: false, code: 'TARGET_IS_WRITER', field: 'target', message: `${t.id} is already the writer of ${cluster.id}; choose a reader to promote.` };
    }
    if (t.status !== 'available') {
      return { ok: false, code: 'TARGET_NOT_AVAILABLE', field: 'target', message: `${t.id} is ${t.status}; only an available reader can be promoted.` };
    }
    return { ok: true, value: { target: t.id } };
  }
  if (!cluster.instances.some((i) => !i.isWriter && i.status === 'available')) {
    return { ok: false, code: 'NO_AVAILABLE_READER', message: `${cluster.id} has no available reader to promote right now.` };
  }
  return { ok: true, value: {} };
}

/** FailoverDBCluster. AWS may still report `available` in the response; poll for failing-over and the new writer. */
export async function failoverCluster(region: string, clusterId: string, target?: string): Promise<{ status: string; writer?: string; awsRequestId?: string }> {
  try {
    const out = await rdsClient(region).send(
      new FailoverDBClusterCommand({ DBClusterIdentifier: clusterId, TargetDBInstanceIdentifier: target || undefined }),
    );
    const c = out.DBCluster;
    return {
      status: c?.Status ?? 'unknown',
      writer: c?.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier,
      awsRequestId: out.$metadata.requestId,
    };
  } catch (e) {
    throw toAppError(e);
  }
}

/** Failover events of a cluster since a moment (DescribeEvents, source db-cluster, category failover), oldest first. */
export async function listFailoverEvents(region: string, clusterId: string, since: Date): Promise<{ at: string; message: string; sourceId?: string }[]> {
  try {
    const out: { at: string; message: string; sourceId?: string }[] = [];
    let marker: string | undefined;
    do {
      const page = await rdsClient(region).send(
        new DescribeEventsCommand({ SourceType: 'db-cluster', SourceIdentifier: clusterId, StartTime: since, EventCategories: ['failover'], Marker: marker }),
      );
      for (const e of page.Events ?? []) out.push({ at: (e.Date ?? new Date()).toISOString(), message: e.Message ?? '', sourceId: e.SourceIdentifier });
      marker = page.Marker;
    } while (marker);
    return out.sort((a, b) => a.at.localeCompare(b.at));
  } catch (e) {
    throw toAppError(e);
  }
}

/**
 * Every cluster of the given regions as on-call DTOs: one paged DescribeDBClusters + one paged DescribeDBInstances
 * per region, in parallel; a failing region is reported, not thrown, so the others still show.
 */
export async function listOncallFleet(regions: string[]): Promise<{ region: string; clusters: OncallCluster[]; error?: string }[]> {
  return Promise.all(
    regions.map(async (region) => {
      try {
        const client = rdsClient(region);
        const clusters: DBCluster[] = [];
        const instances: DBInstance[] = [];
        let marker: string | undefined;
        do {
          const p = await client.send(new DescribeDBClustersCommand({ Marker: marker }));
          clusters.push(...(p.DBClusters ?? []));
          marker = p.Marker;
        } while (marker);
        do {
          const p = await client.send(new DescribeDBInstancesCommand({ Marker: marker }));
          instances.push(...(p.DBInstances ?? []));
          marker = p.Marker;
        } while (marker);
        return {
          region,
          clusters: clusters
            .filter((c) => c.Engine?.startsWith('aurora'))
            .map((c) => toOncallCluster(region, c, instances.filter((i) => i.DBClusterIdentifier === c.DBClusterIdentifier))),
        };
      } catch (e) {
        return { region, clusters: [], error: toAppError(e).message };
      }
    }),
  );
}
