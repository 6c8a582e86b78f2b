import 'server-only';
import { memberLabel } from '@/lib/aws/global-types';
import { switchGlobalPrimary } from '@/lib/aws/rds/global-clusters';
import { GLOBAL_SCOPE, beginOperation, getActiveOperation, markOperationFailed, markOperationStarted } from './operations';
import { preflightGlobalSwitch, type GlobalMode, type GlobalSwitchPreflight, type GlobalSwitchRequest } from './global-preflight';
import { describeOperation, refuse } from './preflight';
import type { Requester } from './execute';

/**
 * Running a global switchover/failover once its preflight passed: take the global database's on-call lock (one
 * operation at a time: the unique index refuses a second of the same kind, and the other kind is checked right
 * after the insert, so two requests of different kinds racing each other both back off), make the AWS call once in
 * the target's region, record the outcome.
 */
export async function startGlobalSwitch(pre: GlobalSwitchPreflight, who: Requester, now = Date.now()) {
  const { mode, db, target } = pre;
  const kind = mode === 'switchover' ? ('global-switchover' as const) : ('global-failover' as const);
  const other = mode === 'switchover' ? ('global-failover' as const) : ('global-switchover' as const);
  const oldPrimary = db.primary ? memberLabel(db.primary) : undefined;
  const lock = await beginOperation({ kind, region: GLOBAL_SCOPE, clusterId: db.id, requestedBy: who.requestedBy, oldWriter: oldPrimary, target: memberLabel(target), reason: who.reason, now });
  if (!lock.ok) refuse('GLOBAL_OPERATION_IN_PROGRESS', `A ${mode} of ${db.id} is already in progress, ${describeOperation(lock.existing)}.`);
  const rival = await getActiveOperation(GLOBAL_SCOPE, db.id, other, now);
  if (rival) {
    await markOperationFailed(lock.op.id, `Refused: a ${other.replace('global-', '')} was already in progress.`);
    refuse('GLOBAL_OPERATION_IN_PROGRESS', `A ${other.replace('global-', '')} of ${db.id} is already in progress, ${describeOperation(rival)}.`);
  }
  try {
    const out = await switchGlobalPrimary({ globalId: db.id, targetRegion: target.region!, targetArn: target.arn, mode });
    await markOperationStarted(lock.op.id, { awsRequestId: out.awsRequestId });
    return { operation: { ...lock.op, status: 'in-progress' as const, awsRequestId: out.awsRequestId }, oldPrimary, target: memberLabel(target), awsRequestId: out.awsRequestId, rpoLagMs: pre.rpoLagMs };
  } catch (e) {
    await markOperationFailed(lock.op.id, e instanceof Error ? e.message : String(e));
    throw e;
  }
}

/** Preflight afresh, then start: for the approval executor (time passed since the request). */
export async function executeGlobalSwitch(mode: GlobalMode, req: GlobalSwitchRequest & { requestedBy: string }, now = Date.now()) {
  return startGlobalSwitch(await preflightGlobalSwitch(mode, req, now), req, now);
}
