import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { getDb } from '@/lib/db';

/**
 * Tracked on-call operations (failover, backtrack): who asked, when, and what the console observed
 * while polling. One ACTIVE operation of a kind per cluster, enforced by a unique index, so a
 * double click, a second tab or a second person is refused by the database itself.
 */
export type OperationKind = 'failover' | 'backtrack' | 'global-switchover' | 'global-failover';
/** Global operations are locked per global database: region GLOBAL_SCOPE, cluster_id = the global identifier. */
export const GLOBAL_SCOPE = 'global';
export type OperationStatus = 'requested' | 'in-progress' | 'completed' | 'failed' | 'unconfirmed';

/** A failover requested less than this long ago (and not seen to complete) blocks another one. */
export const OPERATION_LOCK_MS = 120_000;

/**
 * The lock is a LEASE (column lease_until), so it holds across console instances on one database and a dead
 * instance cannot block a cluster forever: the instance making the AWS call holds it for CLAIM_LEASE_MS and renews
 * it (renewOperationLease) while the call runs; once AWS accepted the operation it holds until any instance's poll
 * sees it complete, at most OPERATION_LOCK_MS. An expired lease is released as "unconfirmed".
 */
export const CLAIM_LEASE_MS = 30_000;

export interface OncallOperation {
  id: string;
  kind: OperationKind;
  region: string;
  clusterId: string;
  requestedBy: string;
  requestedAt: number;
  active: boolean;
  status: OperationStatus;
  oldWriter?: string;
  target?: string;
  reason?: string;
  awsRequestId?: string;
  failingOverSeenAt?: number;
  newWriter?: string;
  newWriterSeenAt?: number;
  completedAt?: number;
  backtrackId?: string;
  error?: string;
}

export interface OncallOperationsTable {
  id: string;
  kind: string; // 'failover' | 'backtrack'
  region: string;
  cluster_id: string;
  requested_by: string;
  requested_at: number;
  /** 1 while the operation blocks another of the same kind on the same cluster; NULL afterwards. */
  active: number | null;
  status: string; // OperationStatus
  old_writer: string | null;
  target: string | null;
  reason: string | null;
  aws_request_id: string | null;
  failing_over_seen_at: number | null;
  new_writer: string | null;
  new_writer_seen_at: number | null;
  completed_at: number | null;
  backtrack_id: string | null;
  error: string | null;
  /** Until when the lock holds without renewal (ms); NULL on rows from before leases (requested_at + OPERATION_LOCK_MS). */
  lease_until?: number | null;
}

type OncallTables = { oncall_operations: OncallOperationsTable };

/** Typed view of the table (created by the approvals migration, 0100_approvals_and_oncall_operations). */
function db(): Kysely<OncallTables> {
  return getDb().withTables<OncallTables>() as unknown as Kysely<OncallTables>;
}

function toOp(r: OncallOperationsTable): OncallOperation {
  const n = (v: number | string | null) => (v === null || v === undefined ? undefined : Number(v));
  return {
    id: r.id,
    kind: r.kind as OperationKind,
    region: r.region,
    clusterId: r.cluster_id,
    requestedBy: r.requested_by,
    requestedAt: Number(r.requested_at),
    active: r.active === 1,
    status: r.status as OperationStatus,
    oldWriter: r.old_writer ?? undefined,
    target: r.target ?? undefined,
    reason: r.reason ?? undefined,
    awsRequestId: r.aws_request_id ?? undefined,
    failingOverSeenAt: n(r.failing_over_seen_at),
    newWriter: r.new_writer ?? undefined,
    newWriterSeenAt: n(r.new_writer_seen_at),
    completedAt: n(r.completed_at),
    backtrackId: r.backtrack_id ?? undefined,
    error: r.error ?? undefined,
  };
}

/** Release locks whose lease ran out (their instance died, or the operation was never seen to complete). */
export async function releaseStaleOperations(now = Date.now()): Promise<void> {
  await db()
    .updateTable('oncall_operations')
    .set({ active: null, status: 'unconfirmed' })
    .where('active', '=', 1)
    .where((eb) =>
      eb.or([eb('lease_until', '<', now), eb.and([eb('lease_until', 'is', null), eb('requested_at', '<', now - OPERATION_LOCK_MS)])]),
    )
    .execute();
}

/** Keep holding the lock while this instance is still working on it (heartbeat). */
export async function renewOperationLease(id: string, now = Date.now()): Promise<void> {
  await db()
    .updateTable('oncall_operations')
    .set({ lease_until: now + CLAIM_LEASE_MS })
    .where('id', '=', id)
    .where('active', '=', 1)
    .where('status', '=', 'requested')
    .execute();
}

export async function getActiveOperation(region: string, clusterId: string, kind: OperationKind, now = Date.now()) {
  await releaseStaleOperations(now);
  const r = await db()
    .selectFrom('oncall_operations')
    .selectAll()
    .where('region', '=', region)
    .where('cluster_id', '=', clusterId)
    .where('kind', '=', kind)
    .where('active', '=', 1)
    .executeTakeFirst();
  return r ? toOp(r) : undefined;
}

/**
 * Take the per-cluster lock for an operation. Returns the existing active operation when one is running.
 */
export async function beginOperation(o: {
  kind: OperationKind;
  region: string;
  clusterId: string;
  requestedBy: string;
  oldWriter?: string;
  target?: string;
  reason?: string;
  now?: number;
}): Promise<{ ok: true; op: OncallOperation } | { ok: false; existing: OncallOperation }> {
  const now = o.now ?? Date.now();
  await releaseStaleOperations(now);
  const row: OncallOperationsTable = {
    id: randomUUID(),
    kind: o.kind,
    region: o.region,
    cluster_id: o.clusterId,
    requested_by: o.requestedBy,
    requested_at: now,
    active: 1,
    status: 'requested',
    old_writer: o.oldWriter ?? null,
    target: o.target ?? null,
    reason: o.reason ?? null,
    aws_request_id: null,
    failing_over_seen_at: null,
    new_writer: null,
    new_writer_seen_at: null,
    completed_at: null,
    backtrack_id: null,
    error: null,
    lease_until: now + CLAIM_LEASE_MS,
  };
  try {
    await db().insertInto('oncall_operations').values(row).execute();
    return { ok: true, op: toOp(row) };
  } catch (e) {
    const existing = await getActiveOperation(o.region, o.clusterId, o.kind, now);
    if (existing) return { ok: false, existing };
    throw e;
  }
}

/** The AWS call was accepted: the operation is now in progress (still holding the lock). */
export async function markOperationStarted(id: string, p: { awsRequestId?: string; backtrackId?: string; target?: string }) {
  await db()
    .updateTable('oncall_operations')
    .set({
      status: 'in-progress',
      lease_until: Date.now() + OPERATION_LOCK_MS,
      aws_request_id: p.awsRequestId ?? null,
      backtrack_id: p.backtrackId ?? null,
      ...(p.target ? { target: p.target } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** The AWS call failed (or was refused): release the lock and keep the reason. */
export async function markOperationFailed(id: string, error: string) {
  await db().updateTable('oncall_operations').set({ status: 'failed', active: null, error }).where('id', '=', id).execute();
}

export async function latestOperation(region: string, clusterId: string, kind: OperationKind): Promise<OncallOperation | undefined> {
  return (await recentOperations(region, clusterId, kind, 1))[0];
}

export async function recentOperations(region: string, clusterId: string, kind: OperationKind, limit = 10) {
  const rows = await db()
    .selectFrom('oncall_operations')
    .selectAll()
    .where('region', '=', region)
    .where('cluster_id', '=', clusterId)
    .where('kind', '=', kind)
    .orderBy('requested_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toOp);
}

/**
 * Record what one poll of the cluster saw. Each milestone is written once (first observer wins), so the
 * measured duration is "requested → first poll that saw the new writer AND status available".
 */
export async function observeFailover(
  op: OncallOperation,
  seen: { status: string; writer?: string },
  now = Date.now(),
): Promise<OncallOperation> {
  // A global switchover/failover is observed the same way: writer = the primary cluster, failing-over = a FailoverState.
  if ((op.kind !== 'failover' && !op.kind.startsWith('global-')) || op.status === 'completed' || op.status === 'failed') return op;
  const d = db();
  if (seen.status === 'failing-over' && op.failingOverSeenAt === undefined) {
    await d.updateTable('oncall_operations').set({ failing_over_seen_at: now }).where('id', '=', op.id).where('failing_over_seen_at', 'is', null).execute();
  }
  const writerMoved = !!seen.writer && !!op.oldWriter && seen.writer !== op.oldWriter;
  if (writerMoved && op.newWriterSeenAt === undefined) {
    await d
      .updateTable('oncall_operations')
      .set({ new_writer: seen.writer!, new_writer_seen_at: now })
      .where('id', '=', op.id)
      .where('new_writer_seen_at', 'is', null)
      .execute();
  }
  if (writerMoved && seen.status === 'available') {
    await d
      .updateTable('oncall_operations')
      .set({ status: 'completed', completed_at: now, active: null })
      .where('id', '=', op.id)
      .where('completed_at', 'is', null)
      .execute();
  }
  const r = await d.selectFrom('oncall_operations').selectAll().where('id', '=', op.id).executeTakeFirstOrThrow();
  return toOp(r);
}

export async function observeBacktrack(op: OncallOperation, seen: { status?: string }, now = Date.now()) {
  if (op.kind !== 'backtrack' || op.completedAt !== undefined) return op;
  if (seen.status === 'completed' || seen.status === 'failed') {
    await db()
      .updateTable('oncall_operations')
      .set({ status: seen.status === 'completed' ? 'completed' : 'failed', completed_at: now, active: null })
      .where('id', '=', op.id)
      .where('completed_at', 'is', null)
      .execute();
    const r = await db().selectFrom('oncall_operations').selectAll().where('id', '=', op.id).executeTakeFirstOrThrow();
    return toOp(r);
  }
  return op;
}
