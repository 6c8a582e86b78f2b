'use server';

import { defineAction } from '@/lib/actions/define-action';
import { requireApprovalOr } from '@/lib/approvals/require-approval';
import { executeWindowChange, startBacktrack, startFailover } from './execute';
import { preflightBacktrack, preflightFailover } from './preflight';
import { oncallSchemas } from './schemas';

export type FailoverActionData =
  | { pending: true; approvalId: string }
  | { pending: false; operationId: string; oldWriter?: string; target?: string };
export type BacktrackActionData = { pending: true; approvalId: string } | { pending: false; backtrackId: string; status: string };

/**
 * On-call server actions (client forms import them from here). Every check is made on the server before any
 * AWS call, ONCE per request: the preflight reads the cluster afresh and checks the typed identifier, the
 * cluster state, the target, an in-progress operation, the backtrack time; then the two-person rule decides
 * whether the call is made now (with that same preflight) or recorded for a second admin.
 */

export const failoverClusterAction = defineAction({
  action: 'cluster.failover',
  schema: oncallSchemas.failover,
  target: (i) => ({ region: i.region, target: i.clusterId }),
  run: async (i, ctx): Promise<{ data: FailoverActionData; message?: string; outcome?: 'pending-approval' }> => {
    const pre = await preflightFailover(i);
    const r = await requireApprovalOr(
      {
        action: 'cluster.failover',
        region: i.region,
        target: pre.cluster.id,
        params: { target: pre.target, reason: i.reason },
        summary: `Fail over ${pre.cluster.id} (${i.region}) ${pre.target ? `to ${pre.target}` : 'letting Aurora choose by tier'}`,
        reason: i.reason,
        user: ctx.user,
        correlationId: ctx.correlationId,
      },
      () => startFailover(pre, { requestedBy: ctx.user.username, reason: i.reason }),
    );
    if (r.pending) return { data: { pending: true, approvalId: r.approval.id }, message: r.message, outcome: 'pending-approval' };
    ctx.setAwsRequestId(r.result.awsRequestId);
    return {
      data: { pending: false, operationId: r.result.operation.id, oldWriter: r.result.oldWriter, target: r.result.target },
      message: `Failover of ${pre.cluster.id} started${r.result.target ? ` (promoting ${r.result.target})` : ' (Aurora chooses the reader by tier)'}.`,
    };
  },
});

export const backtrackClusterAction = defineAction({
  action: 'cluster.backtrack',
  schema: oncallSchemas.backtrack,
  target: (i) => ({ region: i.region, target: i.clusterId }),
  run: async (i, ctx): Promise<{ data: BacktrackActionData; message?: string; outcome?: 'pending-approval' }> => {
    const pre = await preflightBacktrack(i);
    const iso = pre.backtrackTo.toISOString();
    const r = await requireApprovalOr(
      {
        action: 'cluster.backtrack',
        region: i.region,
        target: pre.cluster.id,
        params: { backtrackTo: iso, useEarliest: pre.useEarliest, reason: i.reason },
        summary: `Backtrack ${pre.cluster.id} (${i.region}) to ${iso}${pre.useEarliest ? ' (or the earliest time)' : ''}`,
        reason: i.reason,
        user: ctx.user,
        correlationId: ctx.correlationId,
      },
      () => startBacktrack(pre, { requestedBy: ctx.user.username, reason: i.reason }),
    );
    if (r.pending) return { data: { pending: true, approvalId: r.approval.id }, message: r.message, outcome: 'pending-approval' };
    ctx.setAwsRequestId(r.result.awsRequestId);
    return {
      data: { pending: false, backtrackId: r.result.backtrackId, status: r.result.status },
      message: `Backtrack of ${pre.cluster.id} to ${r.result.backtrackTo ?? iso} is ${r.result.status}.`,
    };
  },
});

export const setBacktrackWindowAction = defineAction({
  action: 'cluster.modify',
  schema: oncallSchemas.window,
  target: (i) => ({ region: i.region, target: i.clusterId }),
  run: async (i, ctx) => {
    const out = await executeWindowChange(i);
    ctx.setAwsRequestId(out.awsRequestId);
    return {
      data: { seconds: out.seconds, status: out.status },
      message:
        out.seconds === 0
          ? `Backtrack is now disabled on ${i.clusterId}, permanently.`
          : `Backtrack window of ${i.clusterId} set to ${out.seconds / 3600} h (${out.seconds} s).`,
    };
  },
});
