import 'server-only';
import { appendAudit } from '@/lib/audit/log';
import { can, type AuditAction } from '@/lib/auth/permissions';
import type { SessionUser } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { toAppError } from '@/lib/aws/errors';
import { isConfiguredRegion, regionNotConfigured } from '@/lib/aws/regions';
import { getApprovalExecutor } from './executors';
import { claimApproval, expireOverdue, finishApproval, getApproval, listApprovals, type ApprovalRequest } from './store';
import './builtin-executors';

function auditBase(a: ApprovalRequest, user: SessionUser) {
  return {
    actor: user.username,
    role: user.role,
    action: a.action,
    region: a.region,
    target: a.target,
  } as const;
}

/** Expire overdue requests, writing one 'expired' audit row per request (exactly once). */
export async function sweepExpiredApprovals(now = Date.now()): Promise<ApprovalRequest[]> {
  const expired = await expireOverdue(now);
  for (const a of expired) {
    await appendAudit({
      actor: 'system',
      role: 'admin',
      action: a.action,
      region: a.region,
      target: a.target,
      params: { approvalId: a.id, requestedBy: a.requestedBy, summary: a.summary },
      phase: 'expired',
      error: 'Nobody approved the request before it expired; nothing was sent to AWS.',
    });
  }
  return expired;
}

export async function listApprovalsForView(now = Date.now()) {
  await sweepExpiredApprovals(now);
  return listApprovals({ limit: 100 });
}

async function refuse(a: ApprovalRequest, user: SessionUser, code: string, message: string, status = 409): Promise<never> {
  await appendAudit({
    ...auditBase(a, user),
    params: { approvalId: a.id, requestedBy: a.requestedBy, decision: 'approve-or-reject' },
    phase: 'refused',
    error: message,
  });
  throw new AppError(code, message, { status });
}

async function loadDecidable(id: string, user: SessionUser, now: number): Promise<ApprovalRequest> {
  const a = await getApproval(id);
  if (!a) throw new AppError('NOT_FOUND', 'That approval request does not exist.', { status: 404 });
  if (!can(user.role, 'approval.decide') || !can(user.role, a.action as AuditAction)) {
    return refuse(a, user, 'FORBIDDEN', `Your role (${user.role}) cannot decide on ${a.action} requests.`, 403);
  }
  if (a.requestedById === user.id || a.requestedBy === user.username) {
    return refuse(a, user, 'SELF_APPROVAL', 'You cannot decide on your own request: a different admin must approve or reject it.', 403);
  }
  if (a.status === 'pending' && a.expiresAt <= now) {
    await sweepExpiredApprovals(now);
    return refuse(a, user, 'EXPIRED', `This request expired at ${new Date(a.expiresAt).toISOString()}; nothing was sent to AWS. Ask ${a.requestedBy} to request it again if it is still needed.`, 410);
  }
  if (a.status !== 'pending') {
    const by = a.decidedBy ? ` by ${a.decidedBy}` : '';
    return refuse(a, user, 'ALREADY_DECIDED', `This request is already ${a.status}${by}; it cannot be decided again.`);
  }
  return a;
}

/**
 * Approve a pending request: refuse self-approval, expired or already-decided requests; atomically claim it
 * (so the AWS call is made exactly once even with two approvers clicking together), then run the executor.
 * Audit rows for the original action: 'approved' then 'succeeded' or 'failed' (with the AWS request id).
 */
export async function approveRequest(id: string, user: SessionUser, opts: { now?: number; correlationId?: string } = {}) {
  const now = opts.now ?? Date.now();
  const a = await loadDecidable(id, user, now);
  // A request recorded for a region since removed from AFC_REGIONS is not carried out (it can still be rejected).
  if (a.region && !isConfiguredRegion(a.region)) {
    return refuse(a, user, 'INVALID_REGION', `${regionNotConfigured(a.region).message} Nothing was sent to AWS; reject the request.`, 404);
  }
  if (!(await claimApproval(id, 'executing', user.username, now))) {
    const again = (await getApproval(id))!;
    return refuse(again, user, 'ALREADY_DECIDED', `This request is already ${again.status}${again.decidedBy ? ` by ${again.decidedBy}` : ''}.`);
  }
  const base = auditBase(a, user);
  const params = { approvalId: a.id, requestedBy: a.requestedBy, reason: a.reason, ...a.params };
  await appendAudit({ ...base, params, phase: 'approved', correlationId: opts.correlationId });
  const exec = getApprovalExecutor(a.action);
  try {
    if (!exec) throw new AppError('NO_EXECUTOR', `The console cannot carry out ${a.action} requests (no executor registered).`, { status: 500 });
    const out = await exec({ approvalId: a.id, region: a.region, target: a.target, params: a.params, requestedBy: a.requestedBy, approvedBy: user });
    await finishApproval(id, { ok: true, awsRequestId: out.awsRequestId, result: out.result });
    await appendAudit({ ...base, params, phase: 'succeeded', awsRequestId: out.awsRequestId, correlationId: opts.correlationId });
    return { approval: (await getApproval(id))!, message: out.message ?? `Approved; ${a.summary} was sent to AWS.`, awsRequestId: out.awsRequestId };
  } catch (e) {
    const err = e instanceof AppError ? e : toAppError(e);
    await finishApproval(id, { ok: false, error: err.message, awsRequestId: err.awsRequestId });
    await appendAudit({ ...base, params, phase: 'failed', error: err.message, awsRequestId: err.awsRequestId, correlationId: opts.correlationId });
    throw err;
  }
}

export async function rejectRequest(id: string, user: SessionUser, opts: { now?: number; note?: string; correlationId?: string } = {}) {
  const now = opts.now ?? Date.now();
  const a = await loadDecidable(id, user, now);
  if (!(await claimApproval(id, 'rejected', user.username, now))) {
    const again = (await getApproval(id))!;
    return refuse(again, user, 'ALREADY_DECIDED', `This request is already ${again.status}.`);
  }
  await appendAudit({
    ...auditBase(a, user),
    params: { approvalId: a.id, requestedBy: a.requestedBy, note: opts.note },
    phase: 'rejected',
    correlationId: opts.correlationId,
  });
  return { approval: (await getApproval(id))!, message: `Rejected; ${a.summary} will not be carried out.` };
}
