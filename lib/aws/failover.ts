import 'server-only';
import { DescribeEventsCommand, FailoverDBClusterCommand } from '@aws-sdk/client-rds';
import { rdsClient } from '@/lib/aws/clients';
import { toAppError } from '@/lib/aws/errors';
import { collectPages } from '@/lib/aws/paginate';
import { readMaxAge } from '@/lib/aws/poll-schedule';
import { cachedRead } from '@/lib/aws/read-cache';
import { noteWriter } from '@/lib/aws/writer-history';

// The AWS calls of a failover. The checks in front of them live in lib/oncall/preflight.ts.

/** FailoverDBCluster. AWS may still report `available` in the response; poll for failing-over and the new writer. */
export async function failoverCluster(region: string, clusterId: string, target?: string): Promise<{ status: string; writer?: string; awsRequestId?: string }> {
  try {
    const out = await rdsClient(region).send(
      new FailoverDBClusterCommand({ DBClusterIdentifier: clusterId, TargetDBInstanceIdentifier: target || undefined }),
    );
    const c = out.DBCluster;
    const before = c?.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
    // The response is the cluster as the failover starts: its writer is the one being replaced.
    if (before && before !== target) noteWriter(region, clusterId, before, Date.now() - 1);
    return {
      status: c?.Status ?? 'unknown',
      writer: before,
      awsRequestId: out.$metadata.requestId,
    };
  } catch (e) {
    throw toAppError(e);
  }
}

/** Failover events of a cluster since a moment (DescribeEvents, source db-cluster, category failover), oldest first. */
export async function listFailoverEvents(region: string, clusterId: string, since: Date): Promise<{ at: string; message: string; sourceId?: string }[]> {
  try {
    const events = await collectPages(
      (marker) =>
        rdsClient(region).send(
          new DescribeEventsCommand({ SourceType: 'db-cluster', SourceIdentifier: clusterId, StartTime: since, EventCategories: ['failover'], Marker: marker }),
        ),
      (page) => page.Events,
    );
    return events
      .map((e) => ({ at: (e.Date ?? new Date()).toISOString(), message: e.Message ?? '', sourceId: e.SourceIdentifier }))
      .sort((a, b) => a.at.localeCompare(b.at));
  } catch (e) {
    throw toAppError(e);
  }
}

/**
 * listFailoverEvents through the region's shared read cache (the on-call status every viewer polls): one
 * DescribeEvents per schedule tick per cluster and start, however many people follow the failover.
 */
export function listFailoverEventsShared(
  region: string,
  clusterId: string,
  since: Date,
  /** What the caller has seen of the operation (e.g. its status): a new stage reads afresh once, then shares again. */
  stage = '',
): Promise<{ at: string; message: string; sourceId?: string }[]> {
  return cachedRead(region, `failover-events:${clusterId.toLowerCase()}:${since.getTime()}:${stage}`, readMaxAge(region, 'failoverEvents'), () =>
    listFailoverEvents(region, clusterId, since),
  );
}
