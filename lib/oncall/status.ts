import 'server-only';
import { listApprovals, type ApprovalRequest } from '@/lib/approvals/store';
import { listBacktracksShared, type BacktrackDTO } from '@/lib/aws/backtrack';
import { listFailoverEventsShared } from '@/lib/aws/failover';
import { isRegionBusy } from '@/lib/aws/poll-schedule';
import { getCluster } from '@/lib/aws/rds/clusters';
import type { ClusterDTO } from '@/lib/aws/types';
import { getLagForFleet, PANEL_LAG_MAX_AGE_MS } from './lag';
import { latestOperation, observeBacktrack, observeFailover, type OncallOperation } from './operations';
import { backtrackUnsupportedReason, predictAuroraTarget } from './preflight';
import { buildFailoverTimeline, type FailoverOpView, type FailoverTimeline, type TimelineEvent } from './timeline-model';

/** Everything the cluster page's on-call panel shows, as plain JSON (the polling route returns exactly this). */
export interface OncallStatus {
  serverNow: number;
  cluster: ClusterDTO;
  predictedTarget?: string;
  failover?: { op: FailoverOpView; timeline: FailoverTimeline; events: TimelineEvent[] };
  backtrack?: {
    unsupported?: { code: string; message: string };
    backtracks: BacktrackDTO[];
    active?: BacktrackDTO;
    historyError?: string;
  };
  pendingApprovals: Pick<ApprovalRequest, 'id' | 'action' | 'summary' | 'requestedBy' | 'createdAt' | 'expiresAt'>[];
  /** Each reader's current AuroraReplicaLag (ms; null = no datapoint), read like the on-call page does; absent when CloudWatch failed. */
  lagByInstance?: Record<string, number | null>;
  /** Requests on this cluster decided in the last 30 minutes, newest first: the requester sees what became of theirs. */
  recentDecisions: Pick<ApprovalRequest, 'id' | 'action' | 'status' | 'decidedBy' | 'decidedAt' | 'error'>[];
}

const RECENT_DECISION_MS = 30 * 60_000;

function opView(op: OncallOperation): FailoverOpView {
  const { id, requestedBy, requestedAt, status, oldWriter, target, reason, awsRequestId, failingOverSeenAt, newWriter, newWriterSeenAt, completedAt, error } = op;
  return { id, requestedBy, requestedAt, status, oldWriter, target, reason, awsRequestId, failingOverSeenAt, newWriter, newWriterSeenAt, completedAt, error };
}

/**
 * Every viewer polls this (every 1.5 s while something moves): the reads go through the region's shared read
 * cache on its poll schedule (lib/aws/poll-schedule: the cluster every 2 s while busy, 15 s idle), so the RDS
 * request rate does not grow with the number of viewers. Checks before a write still read afresh (preflight).
 *
 * Describe the cluster, record what this poll saw against the latest failover/backtrack (first observer wins,
 * so the measured duration is independent of how many people watch), and return the timeline + history.
 */
export async function getOncallStatus(region: string, clusterId: string): Promise<OncallStatus> {
  const cluster = await getCluster(region, clusterId);
  const now = Date.now();
  const status: OncallStatus = { serverNow: now, cluster, predictedTarget: predictAuroraTarget(cluster)?.id, pendingApprovals: [], recentDecisions: [] };

  let op = await latestOperation(region, cluster.id, 'failover');
  if (op) {
    op = await observeFailover(op, { status: cluster.status, writer: cluster.writerId }, now);
    let events: TimelineEvent[] = [];
    try {
      // Keyed by the stage this poll observed: the poll that sees the new writer or the end reads the events afresh.
      events = await listFailoverEventsShared(region, cluster.id, new Date(op.requestedAt - 5_000), `${op.status}:${op.newWriter ?? ''}`);
    } catch {
      events = []; // the timeline still works from polling alone
    }
    status.failover = { op: opView(op), timeline: buildFailoverTimeline(opView(op), events, now), events };
  }

  const unsupported = backtrackUnsupportedReason(cluster);
  if (cluster.engine === 'aurora-mysql') {
    status.backtrack = { unsupported, backtracks: [] };
    if (!unsupported || cluster.backtrackWindowSeconds === 0) {
      try {
        status.backtrack.backtracks = (await listBacktracksShared(region, cluster.id)).backtracks;
        status.backtrack.active = status.backtrack.backtracks.find((b) => b.status === 'pending' || b.status === 'applying');
        const bop = await latestOperation(region, cluster.id, 'backtrack');
        if (bop?.backtrackId) {
          const seen = status.backtrack.backtracks.find((b) => b.backtrackId === bop.backtrackId);
          await observeBacktrack(bop, { status: seen?.status }, now);
        }
      } catch (e) {
        status.backtrack.historyError = e instanceof Error ? e.message : 'Backtrack history is unavailable.';
      }
    }
  } else {
    status.backtrack = { unsupported, backtracks: [] };
  }

  const lag = await getLagForFleet(region, [cluster], now, { maxAgeMs: isRegionBusy(region, now) ? PANEL_LAG_MAX_AGE_MS.busy : PANEL_LAG_MAX_AGE_MS.idle });
  if (lag.ok) status.lagByInstance = lag.byCluster[cluster.id]?.byInstance;

  status.pendingApprovals = (await listApprovals({ status: 'pending', target: cluster.id, region }))
    .filter((a) => a.expiresAt > now)
    .map(({ id, action, summary, requestedBy, createdAt, expiresAt }) => ({ id, action, summary, requestedBy, createdAt, expiresAt }));
  status.recentDecisions = (await listApprovals({ status: ['executing', 'succeeded', 'failed', 'rejected', 'expired'], target: cluster.id, region }))
    .filter((a) => (a.decidedAt ?? 0) > now - RECENT_DECISION_MS)
    .sort((a, b) => (b.decidedAt ?? 0) - (a.decidedAt ?? 0))
    .map(({ id, action, status: st, decidedBy, decidedAt, error }) => ({ id, action, status: st, decidedBy, decidedAt, error }));
  return status;
}
