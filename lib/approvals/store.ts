import 'server-only';
import { randomUUID } from 'node:crypto';
import { getDb } from '@/lib/db';
import { withApprovalTables, type ApprovalsTable } from './schema';

export type ApprovalStatus = 'pending' | 'executing' | 'succeeded' | 'failed' | 'rejected' | 'expired';

/** A pending request lapses after this long without a decision. */
export const APPROVAL_TTL_MS = 30 * 60_000;

export interface ApprovalRequest {
  id: string;
  action: string;
  region: string;
  target: string;
  params: Record<string, unknown>;
  summary: string;
  reason?: string;
  requestedBy: string;
  requestedById: string;
  requestedRole: string;
  createdAt: number;
  expiresAt: number;
  status: ApprovalStatus;
  decidedBy?: string;
  decidedAt?: number;
  awsRequestId?: string;
  result?: unknown;
  error?: string;
}

function db() {
  return withApprovalTables(getDb());
}

function toDto(r: ApprovalsTable): ApprovalRequest {
  return {
    id: r.id,
    action: r.action,
    region: r.region,
    target: r.target,
    params: JSON.parse(r.params) as Record<string, unknown>,
    summary: r.summary,
    reason: r.reason ?? undefined,
    requestedBy: r.requested_by,
    requestedById: r.requested_by_id,
    requestedRole: r.requested_role,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    status: r.status as ApprovalStatus,
    decidedBy: r.decided_by ?? undefined,
    decidedAt: r.decided_at === null ? undefined : Number(r.decided_at),
    awsRequestId: r.aws_request_id ?? undefined,
    result: r.result ? JSON.parse(r.result) : undefined,
    error: r.error ?? undefined,
  };
}

export async function createApproval(a: {
  action: string;
  region: string;
  target: string;
  params: Record<string, unknown>;
  summary: string;
  reason?: string;
  user: { id: string; username: string; role: string };
  now?: number;
  ttlMs?: number;
}): Promise<ApprovalRequest> {
  const now = a.now ?? Date.now();
  const row: ApprovalsTable = {
    id: randomUUID(),
    action: a.action,
    region: a.region,
    target: a.target,
    params: JSON.stringify(a.params),
    summary: a.summary,
    reason: a.reason?.trim() || null,
    requested_by: a.user.username,
    requested_by_id: a.user.id,
    requested_role: a.user.role,
    created_at: now,
    expires_at: now + (a.ttlMs ?? APPROVAL_TTL_MS),
    status: 'pending',
    decided_by: null,
    decided_at: null,
    aws_request_id: null,
    result: null,
    error: null,
  };
  await db().insertInto('approvals').values(row).execute();
  return toDto(row);
}

export async function getApproval(id: string): Promise<ApprovalRequest | undefined> {
  const r = await db().selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toDto(r) : undefined;
}

/**
 * Mark pending requests whose time ran out as expired. Returns the ones this call expired (so the caller can
 * audit each exactly once: the conditional update makes the transition happen once).
 */
export async function expireOverdue(now = Date.now()): Promise<ApprovalRequest[]> {
  const due = await db().selectFrom('approvals').selectAll().where('status', '=', 'pending').where('expires_at', '<=', now).execute();
  const expired: ApprovalRequest[] = [];
  for (const r of due) {
    const res = await db()
      .updateTable('approvals')
      .set({ status: 'expired', decided_at: now })
      .where('id', '=', r.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) expired.push({ ...toDto(r), status: 'expired', decidedAt: now });
  }
  return expired;
}

export async function listApprovals(f: { status?: ApprovalStatus | ApprovalStatus[]; target?: string; region?: string; action?: string; limit?: number } = {}) {
  let q = db().selectFrom('approvals').selectAll();
  if (f.status) q = q.where('status', 'in', Array.isArray(f.status) ? f.status : [f.status]);
  if (f.target) q = q.where('target', '=', f.target);
  if (f.region) q = q.where('region', '=', f.region);
  if (f.action) q = q.where('action', '=', f.action);
  const rows = await q.orderBy('created_at', 'desc').limit(f.limit ?? 100).execute();
  return rows.map(toDto);
}

/**
 * Atomically move a request from pending to `to` (executing on approval, rejected on rejection).
 * Only one caller can win: the AWS call behind an approval is made exactly once.
 */
export async function claimApproval(id: string, to: 'executing' | 'rejected', decidedBy: string, now = Date.now()): Promise<boolean> {
  const res = await db()
    .updateTable('approvals')
    .set({ status: to, decided_by: decidedBy, decided_at: now })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function finishApproval(id: string, outcome: { ok: true; awsRequestId?: string; result?: unknown } | { ok: false; error: string; awsRequestId?: string }) {
  await db()
    .updateTable('approvals')
    .set(
      outcome.ok
        ? { status: 'succeeded', aws_request_id: outcome.awsRequestId ?? null, result: outcome.result === undefined ? null : JSON.stringify(outcome.result) }
        : { status: 'failed', aws_request_id: outcome.awsRequestId ?? null, error: outcome.error },
    )
    .where('id', '=', id)
    .where('status', '=', 'executing')
    .execute();
}
