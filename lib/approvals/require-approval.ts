import 'server-only';
import { getEnv } from '@/lib/env';
import { appendAudit } from '@/lib/audit/log';
import type { SessionUser } from '@/lib/auth/session';
import { createApproval, type ApprovalRequest } from './store';

/** Actions the two-person rule can cover, mapped to their switch in getEnv().twoPersonRule. */
export const TWO_PERSON_ACTIONS = {
  'cluster.backtrack': 'backtrack',
  'cluster.delete': 'clusterDelete',
  'cluster.failover': 'failover',
  'snapshot.delete': 'snapshotDelete',
  'global.failover': 'globalFailover',
} as const;
export type TwoPersonAction = keyof typeof TWO_PERSON_ACTIONS;

export function needsApproval(action: TwoPersonAction): boolean {
  return !!getEnv().twoPersonRule[TWO_PERSON_ACTIONS[action]];
}

export type ApprovalOr<T> = { pending: true; approval: ApprovalRequest; message: string } | { pending: false; result: T };

/**
 * The two-person rule in one call. When the rule is on for `action`, record a pending request (audit
 * 'pending-approval') and return it WITHOUT calling `execute`; a different admin approves it on /approvals,
 * which runs the executor registered for the action (lib/approvals/executors.ts). Otherwise run `execute` now.
 *
 * Use it inside a defineAction `run`, after your own server-side checks passed:
 *   const r = await requireApprovalOr({ action: 'cluster.delete', region, target, params, summary, user }, () => deleteCluster(...));
 */
export async function requireApprovalOr<T>(
  req: {
    action: TwoPersonAction;
    region: string;
    target: string;
    /** Everything the executor needs to make the AWS call later. Never secrets. */
    params: Record<string, unknown>;
    summary: string;
    reason?: string;
    user: SessionUser;
    correlationId?: string;
  },
  execute: () => Promise<T>,
): Promise<ApprovalOr<T>> {
  if (!needsApproval(req.action)) return { pending: false, result: await execute() };
  const approval = await createApproval({
    action: req.action,
    region: req.region,
    target: req.target,
    params: req.params,
    summary: req.summary,
    reason: req.reason,
    user: req.user,
  });
  await appendAudit({
    actor: req.user.username,
    role: req.user.role,
    action: req.action,
    region: req.region,
    target: req.target,
    params: { ...req.params, approvalId: approval.id, reason: req.reason, expiresAt: new Date(approval.expiresAt).toISOString() },
    phase: 'pending-approval',
    correlationId: req.correlationId,
  });
  const mins = Math.round((approval.expiresAt - approval.createdAt) / 60_000);
  return {
    pending: true,
    approval,
    message: `Recorded as pending: another admin must approve it on the Approvals page within ${mins} minutes. Nothing has been sent to AWS yet.`,
  };
}
