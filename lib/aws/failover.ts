import 'server-only';
import { DescribeEventsCommand, FailoverDBClusterCommand } from '@aws-sdk/client-rds';
import { rdsClient } from '@/lib/aws/clients';
import { toAppError } from '@/lib/aws/errors';
import { getCluster, listFleet } from '@/lib/aws/rds/clusters';
import type { ClusterDTO } from '@/lib/aws/types';

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

/**
 * The on-call view of a cluster: a reshaping of rds.ts's ClusterDTO (rds.ts is the one reader of
 * clusters), writer first, then readers by promotion tier.
 */
export function toOncallCluster(c: ClusterDTO): OncallCluster {
  const instances: OncallInstance[] = c.instances.map((i) => ({
    id: i.id,
    instanceClass: i.instanceClass,
    az: i.az,
    promotionTier: i.promotionTier,
    status: i.status,
    isWriter: i.role === 'writer',
  }));
  instances.sort((a, b) => Number(b.isWriter) - Number(a.isWriter) || a.promotionTier - b.promotionTier || a.id.localeCompare(b.id));
  return {
    region: c.region,
    id: c.id,
    engine: c.engine,
    status: c.status,
    writer: instances.find((i) => i.isWriter)?.id,
    instances,
    backtrackWindow: c.backtrackWindowSeconds,
    earliestBacktrackTime: c.earliestBacktrackTime,
    clusterCreateTime: c.createdAt,
  };
}

/** One cluster as the on-call DTO, read afresh: the failover and backtrack guards act on it. */
export async function describeOncallCluster(region: string, clusterId: string): Promise<OncallCluster> {
  return toOncallCluster(await getCluster(region, clusterId, { maxAgeMs: 0 }));
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

/** Every cluster of the given regions as on-call DTOs (rds.ts's shared fleet read); a failing region is reported, not thrown. */
export async function listOncallFleet(regions: string[]): Promise<{ region: string; clusters: OncallCluster[]; error?: string }[]> {
  const fleet = await listFleet(regions);
  return fleet.map((r) => (r.ok ? { region: r.region, clusters: r.clusters.map(toOncallCluster) } : { region: r.region, clusters: [], error: r.error }));
}
