import 'server-only';
import { getCurrentGlobalLag } from '@/lib/aws/global-metrics';
import { findMember, memberLabel, type GlobalDatabaseDTO, type GlobalMemberDTO } from '@/lib/aws/global-types';
import { getGlobalDatabase } from '@/lib/aws/rds/global-clusters';
import { getCluster } from '@/lib/aws/rds/clusters';
import { GLOBAL_SCOPE, getActiveOperation, observeFailover, type OncallOperation } from './operations';
import { describeOperation, refuse, type CheckResult } from './preflight';

/**
 * Every server-side check in front of a global switchover (planned) or failover (unplanned, AllowDataLoss).
 * checkGlobalSwitch judges one DescribeGlobalClusters read; preflightGlobalSwitch reads afresh once, adds the
 * one-operation-at-a-time check and the target cluster's own state (read in the target's region, which must answer
 * even when the primary's does not), and refuses with an AppError a person can act on.
 */

export type GlobalMode = 'switchover' | 'failover';

export interface GlobalSwitchRequest {
  globalId: string;
  targetRegion: string;
  targetClusterId: string;
  confirm: string;
  acceptDataLoss?: boolean;
  reason?: string;
}

export interface GlobalSwitchPreflight {
  mode: GlobalMode;
  db: GlobalDatabaseDTO;
  target: GlobalMemberDTO;
  /** The target's latest AuroraGlobalDBRPOLag (ms) when it could be read: what a failover may lose. */
  rpoLagMs?: number | null;
}

/** The pure checks of a switchover/failover against one read of the global database. */
export function checkGlobalSwitch(db: GlobalDatabaseDTO, mode: GlobalMode, req: GlobalSwitchRequest): CheckResult<{ target: GlobalMemberDTO }> {
  if (req.confirm.trim().toLowerCase() !== db.id) {
    return { ok: false, code: 'CONFIRMATION_MISMATCH', field: 'confirm', message: `Type the global database identifier "${db.id}" exactly to confirm the ${mode}.` };
  }
  if (mode === 'failover' && !req.acceptDataLoss) {
    return {
      ok: false,
      code: 'DATA_LOSS_NOT_ACCEPTED',
      field: 'acceptDataLoss',
      message: 'An unplanned failover loses the writes that have not reached the target yet: tick "I accept losing them" to go ahead, or use a switchover, which loses nothing.',
    };
  }
  if (db.failoverState) {
    const f = db.failoverState;
    return {
      ok: false,
      code: 'GLOBAL_OPERATION_IN_PROGRESS',
      message: `A ${f.dataLossAllowed ? 'failover' : 'switchover'} of ${db.id} is already ${f.status}${f.to?.region ? ` (to ${f.to.region})` : ''}; wait until it finishes.`,
    };
  }
  const target = findMember(db, req.targetRegion, req.targetClusterId);
  if (!target) {
    return { ok: false, code: 'TARGET_NOT_MEMBER', field: 'targetClusterId', message: `${req.targetClusterId} in ${req.targetRegion} is not a member of ${db.id}; choose one of its secondary clusters.` };
  }
  if (target.role === 'primary') {
    return { ok: false, code: 'TARGET_IS_PRIMARY', field: 'targetClusterId', message: `${memberLabel(target)} is already the primary of ${db.id}; choose a secondary region.` };
  }
  if (db.status === 'creating' || db.status === 'deleting') {
    return { ok: false, code: 'GLOBAL_NOT_AVAILABLE', message: `${db.id} is ${db.status}; a ${mode} needs the global database to be available.` };
  }
  if (mode === 'switchover') {
    if (db.status !== 'available') return { ok: false, code: 'GLOBAL_NOT_AVAILABLE', message: `${db.id} is ${db.status}; a switchover needs the global database to be available.` };
    const unsynced = db.members.filter((m) => m.syncStatus && m.syncStatus !== 'connected');
    if (unsynced.length) {
      return {
        ok: false,
        code: 'MEMBER_NOT_IN_SYNC',
        message: `${unsynced.map((m) => `${memberLabel(m)} is ${m.syncStatus}`).join('; ')}. A switchover needs every member in sync; wait for the resync, or, in an outage, fail over instead.`,
      };
    }
  }
  return { ok: true, value: { target } };
}

/** The active global operation of `globalId`, of either kind, after this read's observation (first observer wins). */
export async function activeGlobalOperation(db: GlobalDatabaseDTO, now = Date.now()): Promise<OncallOperation | undefined> {
  for (const kind of ['global-switchover', 'global-failover'] as const) {
    let op = await getActiveOperation(GLOBAL_SCOPE, db.id, kind, now);
    if (op) op = await observeFailover(op, observedOf(db), now);
    if (op?.active) return op;
  }
  return undefined;
}

/** What one read of the global database tells the operation observer: its "writer" is the primary cluster. */
export function observedOf(db: GlobalDatabaseDTO): { status: string; writer?: string } {
  return { status: db.failoverState ? 'failing-over' : db.status, writer: db.primary ? memberLabel(db.primary) : undefined };
}

/** One fresh read, the one-at-a-time check, the pure checks, then the target cluster's own state. Reads only. */
export async function preflightGlobalSwitch(mode: GlobalMode, req: GlobalSwitchRequest, now = Date.now()): Promise<GlobalSwitchPreflight> {
  const { db } = await getGlobalDatabase(req.globalId, { maxAgeMs: 0 });
  const active = await activeGlobalOperation(db, now);
  if (active) refuse('GLOBAL_OPERATION_IN_PROGRESS', `A ${active.kind.replace('global-', '')} of ${db.id} is already in progress, ${describeOperation(active)}.`);
  const c = checkGlobalSwitch(db, mode, req);
  if (!c.ok) refuse(c.code, c.message, c.field, c.code === 'CONFIRMATION_MISMATCH' || c.code === 'DATA_LOSS_NOT_ACCEPTED' ? 400 : 409);
  const target = c.value.target;
  const cluster = await getCluster(target.region!, target.clusterId!, { maxAgeMs: 0 });
  if (cluster.status !== 'available') {
    refuse('TARGET_NOT_AVAILABLE', `${memberLabel(target)} is ${cluster.status}; only an available secondary can become the primary.`, 'targetClusterId');
  }
  let rpoLagMs: number | null | undefined;
  if (mode === 'failover') {
    const lag = await getCurrentGlobalLag({ members: [target] }, now).catch(() => []);
    const mine = lag[0];
    rpoLagMs = mine?.ok ? mine.rpoMs : undefined;
  }
  return { mode, db, target, rpoLagMs };
}
