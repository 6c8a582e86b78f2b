import 'server-only';
import { listApprovals, type ApprovalRequest } from '@/lib/approvals/store';
import { getCurrentGlobalLag, type SecondaryLag } from '@/lib/aws/global-metrics';
import type { GlobalDatabaseDTO, RegionFailure } from '@/lib/aws/global-types';
import { getCluster } from '@/lib/aws/rds/clusters';
import { getGlobalDatabase } from '@/lib/aws/rds/global-clusters';
import { toAppError } from '@/lib/aws/errors';
import { GLOBAL_SCOPE, observeFailover, recentOperations, type OncallOperation } from './operations';
import { observedOf } from './global-preflight';
import { buildGlobalTimeline, modeOfKind, type GlobalOpMode } from './global-timeline';
import type { FailoverOpView, FailoverTimeline } from './timeline-model';

/** Each member cluster as its own region reports it, or that region's error in its place. */
export type MemberClusterState =
  | { region: string; clusterId: string; ok: true; status: string; writerId?: string; instanceCount: number; endpoint?: string; engineVersion?: string }
  | { region: string; clusterId: string; ok: false; error: string; code?: string };

/** Everything the global view and the on-call dialogs show, as plain JSON (the polling route returns exactly this). */
export interface GlobalStatus {
  serverNow: number;
  db: GlobalDatabaseDTO;
  readFrom: string;
  failedRegions: RegionFailure[];
  members: MemberClusterState[];
  lag: SecondaryLag[];
  operation?: { mode: GlobalOpMode; op: FailoverOpView; timeline: FailoverTimeline };
  pendingApprovals: Pick<ApprovalRequest, 'id' | 'summary' | 'requestedBy' | 'createdAt' | 'expiresAt'>[];
  recentDecisions: Pick<ApprovalRequest, 'id' | 'status' | 'decidedBy' | 'decidedAt' | 'error'>[];
}

const RECENT_DECISION_MS = 30 * 60_000;

function opView(op: OncallOperation): FailoverOpView {
  const { id, requestedBy, requestedAt, status, oldWriter, target, reason, awsRequestId, failingOverSeenAt, newWriter, newWriterSeenAt, completedAt, error } = op;
  return { id, requestedBy, requestedAt, status, oldWriter, target, reason, awsRequestId, failingOverSeenAt, newWriter, newWriterSeenAt, completedAt, error };
}

/** Read every member in its own region, in parallel: one region failing leaves the others' answers in place. */
export function readMembers(db: GlobalDatabaseDTO): Promise<MemberClusterState[]> {
  return Promise.all(
    db.members.map(async (m): Promise<MemberClusterState> => {
      const region = m.region ?? '?';
      const clusterId = m.clusterId ?? m.arn;
      try {
        const c = await getCluster(region, clusterId);
        return { region, clusterId, ok: true, status: c.status, writerId: c.writerId, instanceCount: c.instances.length, endpoint: c.endpoint, engineVersion: c.engineVersion };
      } catch (e) {
        const err = toAppError(e);
        return { region, clusterId, ok: false, error: err.message, code: err.code };
      }
    }),
  );
}

/** The latest switchover/failover of the global database (either kind), observed against this read. */
async function latestGlobalOperation(db: GlobalDatabaseDTO, now: number) {
  const [s, f] = await Promise.all([recentOperations(GLOBAL_SCOPE, db.id, 'global-switchover', 1), recentOperations(GLOBAL_SCOPE, db.id, 'global-failover', 1)]);
  const latest = [...s, ...f].sort((a, b) => b.requestedAt - a.requestedAt)[0];
  return latest ? observeFailover(latest, observedOf(db), now) : undefined;
}

/** The global database read afresh (or from the 2 s read cache when `maxAgeMs` says so), with all it shows. */
export async function getGlobalStatus(globalId: string, opts: { maxAgeMs?: number } = {}): Promise<GlobalStatus> {
  const { db, readFrom, failedRegions } = await getGlobalDatabase(globalId, { maxAgeMs: opts.maxAgeMs ?? 0 });
  const now = Date.now();
  const [members, lag, op, pending, decided] = await Promise.all([
    readMembers(db),
    getCurrentGlobalLag(db, now),
    latestGlobalOperation(db, now),
    listApprovals({ status: 'pending', target: db.id }),
    listApprovals({ status: ['executing', 'succeeded', 'failed', 'rejected', 'expired'], target: db.id }),
  ]);
  const mine = (a: ApprovalRequest) => a.action === 'global.failover';
  const status: GlobalStatus = {
    serverNow: now,
    db,
    readFrom,
    failedRegions,
    members,
    lag,
    pendingApprovals: pending
      .filter((a) => mine(a) && a.expiresAt > now)
      .map(({ id, summary, requestedBy, createdAt, expiresAt }) => ({ id, summary, requestedBy, createdAt, expiresAt })),
    recentDecisions: decided
      .filter((a) => mine(a) && (a.decidedAt ?? 0) > now - RECENT_DECISION_MS)
      .sort((a, b) => (b.decidedAt ?? 0) - (a.decidedAt ?? 0))
      .map(({ id, status: st, decidedBy, decidedAt, error }) => ({ id, status: st, decidedBy, decidedAt, error })),
  };
  if (op) {
    const mode = modeOfKind(op.kind);
    status.operation = { mode, op: opView(op), timeline: buildGlobalTimeline(mode, opView(op), now) };
  }
  return status;
}
