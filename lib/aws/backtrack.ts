import 'server-only';
import {
  BacktrackDBClusterCommand,
  DescribeDBClusterBacktracksCommand,
  ModifyDBClusterCommand,
  type DBClusterBacktrack,
} from '@aws-sdk/client-rds';
import { rdsClient } from '@/lib/aws/clients';
import { toAppError } from '@/lib/aws/errors';
import { collectPages } from '@/lib/aws/paginate';
import { readMaxAge } from '@/lib/aws/poll-schedule';
import { cachedRead } from '@/lib/aws/read-cache';

// The AWS calls of backtrack. The checks in front of them live in lib/oncall/preflight.ts.

export interface BacktrackDTO {
  backtrackId: string;
  clusterId: string;
  status: string; // pending | applying | completed | failed
  backtrackTo?: string;
  backtrackedFrom?: string;
  requestedAt?: string;
}

function toDto(b: DBClusterBacktrack): BacktrackDTO {
  return {
    backtrackId: b.BacktrackIdentifier ?? '?',
    clusterId: b.DBClusterIdentifier ?? '?',
    status: b.Status ?? 'unknown',
    backtrackTo: b.BacktrackTo?.toISOString(),
    backtrackedFrom: b.BacktrackedFrom?.toISOString(),
    requestedAt: b.BacktrackRequestCreationTime?.toISOString(),
  };
}

/** BacktrackDBCluster. */
export async function backtrackCluster(
  region: string,
  clusterId: string,
  o: { backtrackTo: Date; useEarliestTimeOnPointInTimeUnavailable?: boolean },
): Promise<BacktrackDTO & { awsRequestId?: string }> {
  try {
    const out = await rdsClient(region).send(
      new BacktrackDBClusterCommand({
        DBClusterIdentifier: clusterId,
        BacktrackTo: o.backtrackTo,
        UseEarliestTimeOnPointInTimeUnavailable: o.useEarliestTimeOnPointInTimeUnavailable || undefined,
      }),
    );
    return { ...toDto(out), awsRequestId: out.$metadata.requestId };
  } catch (e) {
    throw toAppError(e);
  }
}

/** DescribeDBClusterBacktracks, all pages, newest request first. */
export async function listBacktracks(region: string, clusterId: string): Promise<{ backtracks: BacktrackDTO[]; awsRequestId?: string }> {
  try {
    let awsRequestId: string | undefined;
    const all = await collectPages(
      (marker) => rdsClient(region).send(new DescribeDBClusterBacktracksCommand({ DBClusterIdentifier: clusterId, Marker: marker })),
      (page) => page.DBClusterBacktracks,
      (page) => void (awsRequestId ??= page.$metadata.requestId),
    );
    const backtracks = all.map(toDto).sort((a, b) => (b.requestedAt ?? '').localeCompare(a.requestedAt ?? ''));
    return { backtracks, awsRequestId };
  } catch (e) {
    throw toAppError(e);
  }
}

/** ModifyDBCluster BacktrackWindow (seconds), applied immediately. 0 disables backtrack for good. */
export async function modifyBacktrackWindow(region: string, clusterId: string, seconds: number) {
  try {
    const out = await rdsClient(region).send(
      new ModifyDBClusterCommand({ DBClusterIdentifier: clusterId, BacktrackWindow: seconds, ApplyImmediately: true }),
    );
    return { status: out.DBCluster?.Status ?? 'unknown', backtrackWindow: out.DBCluster?.BacktrackWindow, awsRequestId: out.$metadata.requestId };
  } catch (e) {
    throw toAppError(e);
  }
}

/** listBacktracks through the region's shared read cache (polled by every viewer of the on-call status). */
export function listBacktracksShared(region: string, clusterId: string): Promise<{ backtracks: BacktrackDTO[]; awsRequestId?: string }> {
  return cachedRead(region, `backtracks:${clusterId.toLowerCase()}`, readMaxAge(region, 'backtracks'), () => listBacktracks(region, clusterId));
}
