import 'server-only';
import { AppError } from '@/lib/errors';
import { backtrackCluster, checkBacktrack, checkWindowChange, listBacktracks, modifyBacktrackWindow, type BacktrackDTO } from '@/lib/aws/backtrack';
import { checkFailover, describeOncallCluster, failoverCluster, type OncallCluster } from '@/lib/aws/failover';
import { beginOperation, getActiveOperation, markOperationFailed, markOperationStarted, observeBacktrack, observeFailover, type OncallOperation } from './operations';

/**
 * The on-call operations with every server-side check in front of the AWS call. Used by the server actions
 * (direct path) and by the approval executors (after a second admin approved), so both paths check the same.
 * Each refusal throws AppError with a message a person can act on; no AWS mutation is made then.
 */

function refuse(code: string, message: string, field?: string, status = 409): never {
  throw new AppError(code, message, { status, fieldErrors: field ? { [field]: [message] } : undefined });
}

function fmtOp(op: OncallOperation) {
  return `started by ${op.requestedBy} at ${new Date(op.requestedAt).toISOString()}`;
}

export interface FailoverRequest {
  region: string;
  clusterId: string;
  target?: string;
  confirm: string;
  reason?: string;
}

/** Checks without side effects (besides reads), for the action before it decides on approval. */
export async function preflightFailover(req: FailoverRequest, now = Date.now()) {
  const cluster = await describeOncallCluster(req.region, req.clusterId);
  let active = await getActiveOperation(req.region, cluster.id, 'failover', now);
  // A failover AWS already finished but nobody watched: this describe is the observation that completes it.
  if (active) active = await observeFailover(active, { status: cluster.status, writer: cluster.writer }, now);
  if (active?.active) refuse('FAILOVER_IN_PROGRESS', `A failover of ${cluster.id} is already in progress, ${fmtOp(active)}.`);
  const c = checkFailover(cluster, { confirm: req.confirm, target: req.target });
  if (!c.ok) refuse(c.code, c.message, c.field, c.code === 'CONFIRMATION_MISMATCH' ? 400 : 409);
  return { cluster, target: c.value.target };
}

export async function executeFailover(req: FailoverRequest & { requestedBy: string }, now = Date.now()) {
  const { cluster, target } = await preflightFailover(req, now);
  const lock = await beginOperation({
    kind: 'failover',
    region: req.region,
    clusterId: cluster.id,
    requestedBy: req.requestedBy,
    oldWriter: cluster.writer,
    target,
    reason: req.reason,
    now,
  });
  if (!lock.ok) refuse('FAILOVER_IN_PROGRESS', `A failover of ${cluster.id} is already in progress, ${fmtOp(lock.existing)}.`);
  try {
    const out = await failoverCluster(req.region, cluster.id, target);
    await markOperationStarted(lock.op.id, { awsRequestId: out.awsRequestId });
    return { operation: { ...lock.op, status: 'in-progress' as const, awsRequestId: out.awsRequestId }, oldWriter: cluster.writer, target, awsRequestId: out.awsRequestId };
  } catch (e) {
    await markOperationFailed(lock.op.id, e instanceof Error ? e.message : String(e));
    throw e;
  }
}

export interface BacktrackRequest {
  region: string;
  clusterId: string;
  backtrackTo?: string;
  useEarliest?: boolean;
  confirm: string;
  reason?: string;
}

export async function preflightBacktrack(req: BacktrackRequest, now = Date.now()): Promise<{ cluster: OncallCluster; backtrackTo: Date; useEarliest: boolean }> {
  const cluster = await describeOncallCluster(req.region, req.clusterId);
  const c = checkBacktrack(cluster, { confirm: req.confirm, backtrackTo: req.backtrackTo, useEarliest: req.useEarliest }, now);
  if (!c.ok) refuse(c.code, c.message, c.field, 400);
  let active = await getActiveOperation(req.region, cluster.id, 'backtrack', now);
  if (active?.backtrackId) {
    const seen = (await listBacktracks(req.region, cluster.id)).backtracks.find((b) => b.backtrackId === active!.backtrackId);
    active = await observeBacktrack(active, { status: seen?.status }, now);
  }
  if (active?.active) refuse('BACKTRACK_IN_PROGRESS', `A backtrack of ${cluster.id} is already in progress, ${fmtOp(active)}.`);
  return { cluster, ...c.value };
}

export async function executeBacktrack(req: BacktrackRequest & { requestedBy: string }, now = Date.now()): Promise<BacktrackDTO & { awsRequestId?: string }> {
  const { cluster, backtrackTo, useEarliest } = await preflightBacktrack(req, now);
  const lock = await beginOperation({ kind: 'backtrack', region: req.region, clusterId: cluster.id, requestedBy: req.requestedBy, target: backtrackTo.toISOString(), reason: req.reason, now });
  if (!lock.ok) refuse('BACKTRACK_IN_PROGRESS', `A backtrack of ${cluster.id} is already in progress, ${fmtOp(lock.existing)}.`);
  try {
    const out = await backtrackCluster(req.region, cluster.id, { backtrackTo, useEarliestTimeOnPointInTimeUnavailable: useEarliest });
    await markOperationStarted(lock.op.id, { awsRequestId: out.awsRequestId, backtrackId: out.backtrackId });
    return out;
  } catch (e) {
    await markOperationFailed(lock.op.id, e instanceof Error ? e.message : String(e));
    throw e;
  }
}

export interface WindowRequest {
  region: string;
  clusterId: string;
  hours: number;
  disableForGood?: boolean;
  confirm?: string;
}

export async function executeWindowChange(req: WindowRequest) {
  const cluster = await describeOncallCluster(req.region, req.clusterId);
  const c = checkWindowChange(cluster, req);
  if (!c.ok) refuse(c.code, c.message, c.field, 400);
  return { ...(await modifyBacktrackWindow(req.region, cluster.id, c.value.seconds)), seconds: c.value.seconds };
}
