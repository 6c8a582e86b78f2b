import 'server-only';
import { AppError } from '@/lib/errors';
import { BACKTRACK_HOURS_MAX, pickPromotionTarget } from '@/lib/aurora/rules';
import { listBacktracks } from '@/lib/aws/backtrack';
import { getCluster } from '@/lib/aws/rds/clusters';
import type { ClusterDTO, InstanceDTO } from '@/lib/aws/types';
import { getActiveOperation, observeBacktrack, observeFailover, type OncallOperation } from './operations';

/**
 * Every server-side check in front of an on-call AWS call. The pure checks (checkFailover, checkBacktrack,
 * checkWindowChange) judge one cluster read; the preflights read the cluster afresh ONCE, add the
 * in-progress operation check, and throw AppError with a message a person can act on when refused.
 */

export type CheckResult<T = void> = { ok: true; value: T } | { ok: false; code: string; message: string; field?: string };

export function refuse(code: string, message: string, field?: string, status = 409): never {
  throw new AppError(code, message, { status, fieldErrors: field ? { [field]: [message] } : undefined });
}

export function describeOperation(op: OncallOperation) {
  return `started by ${op.requestedBy} at ${new Date(op.requestedAt).toISOString()}`;
}

const isReader = (i: InstanceDTO) => i.role !== 'writer';

/** The reader Aurora would promote without a target (the same rule the local endpoint applies). */
export function predictAuroraTarget(cluster: ClusterDTO): InstanceDTO | undefined {
  return pickPromotionTarget(cluster.instances.filter((i) => isReader(i) && i.status === 'available'));
}

/** Checks of a failover against one cluster read. `target` undefined = let Aurora choose by tier. */
export function checkFailover(cluster: ClusterDTO, input: { confirm: string; target?: string }): CheckResult<{ target?: string }> {
  if (input.confirm.trim() !== cluster.id) {
    return {
      ok: false,
      code: 'CONFIRMATION_MISMATCH',
      field: 'confirm',
      message: `Type the cluster identifier "${cluster.id}" exactly to confirm the failover.`,
    };
  }
  if (cluster.status === 'failing-over') {
    return { ok: false, code: 'FAILOVER_IN_PROGRESS', message: `A failover of ${cluster.id} is already in progress (AWS reports the cluster as failing-over).` };
  }
  if (cluster.status !== 'available') {
    return { ok: false, code: 'CLUSTER_NOT_AVAILABLE', message: `${cluster.id} is ${cluster.status}; a failover needs the cluster to be available.` };
  }
  if (cluster.instances.length < 2) {
    return {
      ok: false,
      code: 'SINGLE_INSTANCE',
      message: `${cluster.id} has only one instance, so there is no reader to promote. Add a reader first; without one, Aurora can only recreate the writer.`,
    };
  }
  if (input.target) {
    const t = cluster.instances.find((i) => i.id === input.target!.trim().toLowerCase());
    if (!t) {
      return { ok: false, code: 'TARGET_NOT_IN_CLUSTER', field: 'target', message: `${input.target.length > 70 ? `${input.target.slice(0, 70)}…` : input.target} is not an instance of ${cluster.id}; choose one of its readers.` };
    }
    if (!isReader(t)) {
      return { ok: false, code: 'TARGET_IS_WRITER', field: 'target', message: `${t.id} is already the writer of ${cluster.id}; choose a reader to promote.` };
    }
    if (t.status !== 'available') {
      return { ok: false, code: 'TARGET_NOT_AVAILABLE', field: 'target', message: `${t.id} is ${t.status}; only an available reader can be promoted.` };
    }
    return { ok: true, value: { target: t.id } };
  }
  if (!cluster.instances.some((i) => isReader(i) && i.status === 'available')) {
    return { ok: false, code: 'NO_AVAILABLE_READER', message: `${cluster.id} has no available reader to promote right now.` };
  }
  return { ok: true, value: {} };
}

/** Why backtrack is not possible on this cluster at all, or undefined when it is supported. */
export function backtrackUnsupportedReason(cluster: Pick<ClusterDTO, 'id' | 'engine' | 'backtrackWindowSeconds'>): { code: string; message: string } | undefined {
  if (cluster.engine !== 'aurora-mysql') {
    return {
      code: 'BACKTRACK_MYSQL_ONLY',
      message: `Backtrack is an Aurora MySQL feature; ${cluster.id} runs ${cluster.engine}. To go back in time, restore it to a point in time as a new cluster.`,
    };
  }
  if (!cluster.backtrackWindowSeconds) {
    return {
      code: 'BACKTRACK_NOT_ENABLED',
      message: `${cluster.id} has no backtrack window. AWS cannot add a backtrack window to an existing cluster; clone or restore it with a window instead.`,
    };
  }
  return undefined;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parse an ISO 8601 instant with an explicit zone (what the browser sends); undefined when malformed. */
export function parseInstant(s: string | undefined): Date | undefined {
  if (!s || !ISO_INSTANT.test(s.trim())) return undefined;
  const d = new Date(s.trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * Checks of a backtrack against one cluster read. `backtrackTo` is the ISO instant the browser computed from
 * the person's datetime-local input in their timezone; `useEarliest` asks AWS to use the earliest time instead
 * of failing when the chosen time is too early (or when no time is given).
 */
export function checkBacktrack(
  cluster: ClusterDTO,
  input: { confirm: string; backtrackTo?: string; useEarliest?: boolean },
  now = Date.now(),
): CheckResult<{ backtrackTo: Date; useEarliest: boolean }> {
  const unsupported = backtrackUnsupportedReason(cluster);
  if (unsupported) return { ok: false, ...unsupported };
  if (input.confirm.trim() !== cluster.id) {
    return { ok: false, code: 'CONFIRMATION_MISMATCH', field: 'confirm', message: `Type the cluster identifier "${cluster.id}" exactly to confirm the backtrack.` };
  }
  const earliest = parseInstant(cluster.earliestBacktrackTime);
  const raw = input.backtrackTo?.trim();
  if (!raw) {
    if (input.useEarliest && earliest && cluster.status === 'available') return { ok: true, value: { backtrackTo: earliest, useEarliest: true } };
    if (input.useEarliest && earliest) {
      return { ok: false, code: 'CLUSTER_NOT_AVAILABLE', message: `${cluster.id} is ${cluster.status}; a backtrack needs the cluster to be available.` };
    }
    return { ok: false, code: 'TIME_REQUIRED', field: 'backtrackTo', message: 'Choose the time to backtrack to, or tick "go back to the earliest time instead".' };
  }
  const t = parseInstant(raw);
  if (!t) {
    return { ok: false, code: 'TIME_MALFORMED', field: 'backtrackTo', message: `"${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}" is not a valid date and time. Pick one with the date-time field.` };
  }
  if (t.getTime() > now) {
    return {
      ok: false,
      code: 'TIME_IN_FUTURE',
      field: 'backtrackTo',
      message: `${t.toISOString()} is in the future; backtrack can only go back in time (server time now ${new Date(now).toISOString()}).`,
    };
  }
  if (earliest && t.getTime() < earliest.getTime() && !input.useEarliest) {
    return {
      ok: false,
      code: 'TIME_TOO_EARLY',
      field: 'backtrackTo',
      message: `${t.toISOString()} is before the earliest backtrack time ${earliest.toISOString()}. Pick a later time, or tick "go back to the earliest time instead".`,
    };
  }
  if (cluster.status !== 'available') {
    return { ok: false, code: 'CLUSTER_NOT_AVAILABLE', message: `${cluster.id} is ${cluster.status}; a backtrack needs the cluster to be available.` };
  }
  return { ok: true, value: { backtrackTo: t, useEarliest: !!input.useEarliest } };
}

/** Checks of a window change (hours → seconds). Setting 0 is permanent and needs `disableForGood`. */
export function checkWindowChange(
  cluster: ClusterDTO,
  input: { hours: number; disableForGood?: boolean; confirm?: string },
): CheckResult<{ seconds: number }> {
  const unsupported = backtrackUnsupportedReason(cluster);
  if (unsupported) return { ok: false, ...unsupported };
  if (!Number.isFinite(input.hours) || input.hours < 0 || input.hours > BACKTRACK_HOURS_MAX) {
    return { ok: false, code: 'WINDOW_RANGE', field: 'hours', message: `The backtrack window must be between 0 and ${BACKTRACK_HOURS_MAX} hours.` };
  }
  const seconds = Math.round(input.hours * 3600);
  if (seconds === 0) {
    if (!input.disableForGood || (input.confirm ?? '').trim() !== cluster.id) {
      return {
        ok: false,
        code: 'DISABLE_NEEDS_CONFIRMATION',
        field: 'disableForGood',
        message: `A window of 0 disables backtrack on ${cluster.id} for good: AWS cannot turn it back on. Tick "disable for good" and type the cluster identifier to confirm.`,
      };
    }
  }
  if (cluster.status !== 'available') {
    return { ok: false, code: 'CLUSTER_NOT_AVAILABLE', message: `${cluster.id} is ${cluster.status}; wait until it is available to change the window.` };
  }
  if (seconds === cluster.backtrackWindowSeconds) {
    return { ok: false, code: 'NO_CHANGE', field: 'hours', message: `The window is already ${input.hours} h.` };
  }
  return { ok: true, value: { seconds } };
}

/** One cluster read afresh, past the read cache (DescribeDBClusters + DescribeDBInstances): the guards act on it. */
export function readClusterAfresh(region: string, clusterId: string): Promise<ClusterDTO> {
  return getCluster(region, clusterId, { maxAgeMs: 0 });
}

export interface FailoverRequest {
  region: string;
  clusterId: string;
  target?: string;
  confirm: string;
  reason?: string;
}

/** A failover that passed every check: the cluster read it was judged on and the target to send. */
export interface FailoverPreflight {
  region: string;
  cluster: ClusterDTO;
  target?: string;
}

/** One fresh read, the in-progress check, then checkFailover. Reads only; refuses with AppError. */
export async function preflightFailover(req: FailoverRequest, now = Date.now()): Promise<FailoverPreflight> {
  const cluster = await readClusterAfresh(req.region, req.clusterId);
  let active = await getActiveOperation(req.region, cluster.id, 'failover', now);
  // A failover AWS already finished but nobody watched: this read is the observation that completes it.
  if (active) active = await observeFailover(active, { status: cluster.status, writer: cluster.writerId }, now);
  if (active?.active) refuse('FAILOVER_IN_PROGRESS', `A failover of ${cluster.id} is already in progress, ${describeOperation(active)}.`);
  const c = checkFailover(cluster, { confirm: req.confirm, target: req.target });
  if (!c.ok) refuse(c.code, c.message, c.field, c.code === 'CONFIRMATION_MISMATCH' ? 400 : 409);
  return { region: req.region, cluster, target: c.value.target };
}

export interface BacktrackRequest {
  region: string;
  clusterId: string;
  backtrackTo?: string;
  useEarliest?: boolean;
  confirm: string;
  reason?: string;
}

/** A backtrack that passed every check: the cluster read, and the instant and option to send. */
export interface BacktrackPreflight {
  region: string;
  cluster: ClusterDTO;
  backtrackTo: Date;
  useEarliest: boolean;
}

/** One fresh read, checkBacktrack, then the in-progress check (DescribeDBClusterBacktracks only when one is tracked). */
export async function preflightBacktrack(req: BacktrackRequest, now = Date.now()): Promise<BacktrackPreflight> {
  const cluster = await readClusterAfresh(req.region, req.clusterId);
  const c = checkBacktrack(cluster, { confirm: req.confirm, backtrackTo: req.backtrackTo, useEarliest: req.useEarliest }, now);
  if (!c.ok) refuse(c.code, c.message, c.field, 400);
  let active = await getActiveOperation(req.region, cluster.id, 'backtrack', now);
  if (active?.backtrackId) {
    const seen = (await listBacktracks(req.region, cluster.id)).backtracks.find((b) => b.backtrackId === active!.backtrackId);
    active = await observeBacktrack(active, { status: seen?.status }, now);
  }
  if (active?.active) refuse('BACKTRACK_IN_PROGRESS', `A backtrack of ${cluster.id} is already in progress, ${describeOperation(active)}.`);
  return { region: req.region, cluster, ...c.value };
}
