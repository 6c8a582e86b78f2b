'use server';

import { defineAction } from '@/lib/actions/define-action';
import { requireApprovalOr } from '@/lib/approvals/require-approval';
import { memberLabel } from '@/lib/aws/global-types';
import { startGlobalSwitch } from './global-execute';
import { preflightGlobalSwitch } from './global-preflight';
import { globalSchemas } from './global-schemas';

export type GlobalSwitchActionData =
  | { pending: true; approvalId: string; rpoLagMs?: number | null }
  | { pending: false; operationId: string; oldPrimary?: string; target: string; rpoLagMs?: number | null };

const ms = (v: number | null | undefined) => (v === undefined ? 'unknown' : v === null ? 'no data' : `${Math.round(v)} ms`);

/**
 * Switch over (planned, no data loss): operator, like a cluster failover. The preflight reads the global database
 * afresh and checks the typed identifier, the target, the sync status and the on-call lock before any AWS call.
 */
export const switchoverGlobalAction = defineAction({
  action: 'global.switchover',
  schema: globalSchemas.switchover,
  target: (i) => ({ region: i.targetRegion, target: i.globalId }),
  run: async (i, ctx): Promise<{ data: GlobalSwitchActionData; message?: string }> => {
    const pre = await preflightGlobalSwitch('switchover', i);
    const r = await startGlobalSwitch(pre, { requestedBy: ctx.user.username, reason: i.reason });
    ctx.setAwsRequestId(r.awsRequestId);
    return {
      data: { pending: false, operationId: r.operation.id, oldPrimary: r.oldPrimary, target: r.target },
      message: `Switchover of ${pre.db.id} to ${r.target} started: Aurora waits until it is in sync, then swaps the roles.`,
    };
  },
});

/**
 * Fail over (unplanned, AllowDataLoss): admin, and under the two-person rule by default (AFC_TWO_PERSON
 * global.failover). The RPO lag read at the request is recorded with it: the data that will be lost.
 */
export const failoverGlobalAction = defineAction({
  action: 'global.failover',
  schema: globalSchemas.failover,
  target: (i) => ({ region: i.targetRegion, target: i.globalId }),
  run: async (i, ctx): Promise<{ data: GlobalSwitchActionData; message?: string; outcome?: 'pending-approval'; auditDetails?: Record<string, unknown> }> => {
    const pre = await preflightGlobalSwitch('failover', i);
    const target = memberLabel(pre.target);
    const r = await requireApprovalOr(
      {
        action: 'global.failover',
        region: i.targetRegion,
        target: pre.db.id,
        params: { targetRegion: i.targetRegion, targetClusterId: i.targetClusterId, rpoLagMs: pre.rpoLagMs ?? null, reason: i.reason },
        summary: `Fail over global database ${pre.db.id} to ${target}, allowing data loss (RPO lag at request: ${ms(pre.rpoLagMs)})`,
        reason: i.reason,
        user: ctx.user,
        correlationId: ctx.correlationId,
      },
      () => startGlobalSwitch(pre, { requestedBy: ctx.user.username, reason: i.reason }),
    );
    if (r.pending) return { data: { pending: true, approvalId: r.approval.id, rpoLagMs: pre.rpoLagMs }, message: r.message, outcome: 'pending-approval' };
    ctx.setAwsRequestId(r.result.awsRequestId);
    return {
      data: { pending: false, operationId: r.result.operation.id, oldPrimary: r.result.oldPrimary, target: r.result.target, rpoLagMs: pre.rpoLagMs },
      message: `Failover of ${pre.db.id} to ${target} started (RPO lag at request: ${ms(pre.rpoLagMs)}).`,
      auditDetails: { rpoLagMs: pre.rpoLagMs ?? null },
    };
  },
});
