import 'server-only';
import { backtrackCluster, modifyBacktrackWindow, type BacktrackDTO } from '@/lib/aws/backtrack';
import { failoverCluster } from '@/lib/aws/failover';
import { beginOperation, CLAIM_LEASE_MS, markOperationFailed, markOperationStarted, renewOperationLease } from './operations';
import {
  checkWindowChange,
  describeOperation,
  preflightBacktrack,
  preflightFailover,
  readClusterAfresh,
  refuse,
  type BacktrackPreflight,
  type BacktrackRequest,
  type FailoverPreflight,
  type FailoverRequest,
} from './preflight';

/**
 * Running the on-call operations once their preflight passed: take the per-cluster lock, make the AWS call
 * once, record the outcome. The server actions run the preflight themselves (they need it before the
 * two-person rule decides) and hand it to startFailover/startBacktrack; the approval executors, which run
 * later, use executeFailover/executeBacktrack (preflight afresh, then start).
 */

export interface Requester {
  requestedBy: string;
  reason?: string;
}

/** Renew the lock's lease while `work` runs (a dead instance stops renewing, and its lock expires). */
async function holdingLease<T>(opId: string, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => void renewOperationLease(opId).catch(() => undefined), CLAIM_LEASE_MS / 3);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

export async function startFailover(pre: FailoverPreflight, who: Requester, now = Date.now()) {
  const { region, cluster, target } = pre;
  const oldWriter = cluster.writerId;
  const lock = await beginOperation({ kind: 'failover', region, clusterId: cluster.id, requestedBy: who.requestedBy, oldWriter, target, reason: who.reason, now });
  if (!lock.ok) refuse('FAILOVER_IN_PROGRESS', `A failover of ${cluster.id} is already in progress, ${describeOperation(lock.existing)}.`);
  try {
    const out = await holdingLease(lock.op.id, () => failoverCluster(region, cluster.id, target));
    await markOperationStarted(lock.op.id, { awsRequestId: out.awsRequestId });
    return { operation: { ...lock.op, status: 'in-progress' as const, awsRequestId: out.awsRequestId }, oldWriter, target, awsRequestId: out.awsRequestId };
  } catch (e) {
    await markOperationFailed(lock.op.id, e instanceof Error ? e.message : String(e));
    throw e;
  }
}

/** Preflight afresh, then start: for callers that did not run the preflight in this request. */
export async function executeFailover(req: FailoverRequest & { requestedBy: string }, now = Date.now()) {
  return startFailover(await preflightFailover(req, now), req, now);
}

export async function startBacktrack(pre: BacktrackPreflight, who: Requester, now = Date.now()): Promise<BacktrackDTO & { awsRequestId?: string }> {
  const { region, cluster, backtrackTo, useEarliest } = pre;
  const lock = await beginOperation({ kind: 'backtrack', region, clusterId: cluster.id, requestedBy: who.requestedBy, target: backtrackTo.toISOString(), reason: who.reason, now });
  if (!lock.ok) refuse('BACKTRACK_IN_PROGRESS', `A backtrack of ${cluster.id} is already in progress, ${describeOperation(lock.existing)}.`);
  try {
    const out = await holdingLease(lock.op.id, () => backtrackCluster(region, cluster.id, { backtrackTo, useEarliestTimeOnPointInTimeUnavailable: useEarliest }));
    await markOperationStarted(lock.op.id, { awsRequestId: out.awsRequestId, backtrackId: out.backtrackId });
    return out;
  } catch (e) {
    await markOperationFailed(lock.op.id, e instanceof Error ? e.message : String(e));
    throw e;
  }
}

/** Preflight afresh, then start: for callers that did not run the preflight in this request. */
export async function executeBacktrack(req: BacktrackRequest & { requestedBy: string }, now = Date.now()): Promise<BacktrackDTO & { awsRequestId?: string }> {
  return startBacktrack(await preflightBacktrack(req, now), req, now);
}

export interface WindowRequest {
  region: string;
  clusterId: string;
  hours: number;
  disableForGood?: boolean;
  confirm?: string;
}

/** One fresh read, checkWindowChange, then ModifyDBCluster BacktrackWindow. */
export async function executeWindowChange(req: WindowRequest) {
  const cluster = await readClusterAfresh(req.region, req.clusterId);
  const c = checkWindowChange(cluster, req);
  if (!c.ok) refuse(c.code, c.message, c.field, 400);
  return { ...(await modifyBacktrackWindow(req.region, cluster.id, c.value.seconds)), seconds: c.value.seconds };
}
