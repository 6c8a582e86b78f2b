import 'server-only';
import {
  BacktrackDBClusterCommand,
  DescribeDBClusterBacktracksCommand,
  ModifyDBClusterCommand,
  type DBClusterBacktrack,
} from '@aws-sdk/client-rds';
import { rdsClient } from '@/lib/aws/clients';
import { toAppError } from '@/lib/aws/errors';
import type { CheckResult, OncallCluster } from './failover';

export const MAX_BACKTRACK_WINDOW_SECONDS = 72 * 3600;

export interface BacktrackDTO {
  backtrackId: string;
  clusterId: string;
  status: string; // pending | applying | completed | failed
  backtrackTo?: string;
  backtrackedFrom?: string;
  requestedAt?: string;
}

function toDto(b: DBClusterBacktrack): BacktrackDTO {
  return {
    backtrackId: b.BacktrackIdentifier ?? '?',
    clusterId: b.DBClusterIdentifier ?? '?',
    status: b.Status ?? 'unknown',
    backtrackTo: b.BacktrackTo?.toISOString(),
    backtrackedFrom: b.BacktrackedFrom?.toISOString(),
    requestedAt: b.BacktrackRequestCreationTime?.toISOString(),
  };
}

export async function backtrackCluster(
  region: string,
  clusterId: string,
  o: { backtrackTo: Date; useEarliestTimeOnPointInTimeUnavailable?: boolean },
): Promise<BacktrackDTO & { awsRequestId?: string }> {
  try {
    const out = await rdsClient(region).send(
      new BacktrackDBClusterCommand({
        DBClusterIdentifier: clusterId,
        BacktrackTo: o.backtrackTo,
        UseEarliestTimeOnPointInTimeUnavailable: o.useEarliestTimeOnPointInTimeUnavailable || undefined,
      }),
    );
    return { ...toDto(out), awsRequestId: out.$metadata.requestId };
  } catch (e) {
    throw toAppError(e);
  }
}

/** DescribeDBClusterBacktracks, all pages, newest request first. */
export async function listBacktracks(region: string, clusterId: string): Promise<{ backtracks: BacktrackDTO[]; awsRequestId?: string }> {
  try {
    const all: BacktrackDTO[] = [];
    let marker: string | undefined;
    let awsRequestId: string | undefined;
    do {
      const out = await rdsClient(region).send(new DescribeDBClusterBacktracksCommand({ DBClusterIdentifier: clusterId, Marker: marker }));
      awsRequestId ??= out.$metadata.requestId;
      all.push(...(out.DBClusterBacktracks ?? []).map(toDto));
      marker = out.Marker;
    } while (marker);
    all.sort((a, b) => (b.requestedAt ?? '').localeCompare(a.requestedAt ?? ''));
    return { backtracks: all, awsRequestId };
  } catch (e) {
    throw toAppError(e);
  }
}

/** ModifyDBCluster BacktrackWindow (seconds), applied immediately. 0 disables backtrack for good. */
export async function modifyBacktrackWindow(region: string, clusterId: string, seconds: number) {
  try {
    const out = await rdsClient(region).send(
      new ModifyDBClusterCommand({ DBClusterIdentifier: clusterId, BacktrackWindow: seconds, ApplyImmediately: true }),
    );
    return { status: out.DBCluster?.Status ?? 'unknown', backtrackWindow: out.DBCluster?.BacktrackWindow, awsRequestId: out.$metadata.requestId };
  } catch (e) {
    throw toAppError(e);
  }
}

/** Why backtrack is not possible on this cluster at all, or undefined when it is supported. */
export function backtrackUnsupportedReason(cluster: Pick<OncallCluster, 'id' | 'engine' | 'backtrackWindow'>): { code: string; message: string } | undefined {
  if (cluster.engine !== 'aurora-mysql') {
    return {
      code: 'BACKTRACK_MYSQL_ONLY',
      message: `Backtrack is an Aurora MySQL feature; ${cluster.id} runs ${cluster.engine}. To go back in time, restore it to a point in time as a new cluster.`,
    };
  }
  if (!cluster.backtrackWindow) {
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
 * Server-side checks before BacktrackDBCluster. `backtrackTo` is the ISO instant the browser computed from the
 * person's datetime-local input in their timezone; `useEarliest` asks AWS to use the earliest time instead of
 * failing when the chosen time is too early (or when no time is given).
 */
export function checkBacktrack(
  cluster: OncallCluster,
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
    return { ok: false, code: 'TIME_REQUIRED', field: 'backtrackTo', message: 'Choose the time to backtrack to, or choose "use earliest time".' };
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
      message: `${t.toISOString()} is before the earliest backtrack time ${earliest.toISOString()}. Pick a later time or choose "use earliest time".`,
    };
  }
  if (cluster.status !== 'available') {
    return { ok: false, code: 'CLUSTER_NOT_AVAILABLE', message: `${cluster.id} is ${cluster.status}; a backtrack needs the cluster to be available.` };
  }
  return { ok: true, value: { backtrackTo: t, useEarliest: !!input.useEarliest } };
}

/** Server-side checks of a window change (hours → seconds). Setting 0 is permanent and needs `disableForGood`. */
export function checkWindowChange(
  cluster: OncallCluster,
  input: { hours: number; disableForGood?: boolean; confirm?: string },
): CheckResult<{ seconds: number }> {
  const unsupported = backtrackUnsupportedReason(cluster);
  if (unsupported) return { ok: false, ...unsupported };
  if (!Number.isFinite(input.hours) || input.hours < 0 || input.hours > 72) {
    return { ok: false, code: 'WINDOW_RANGE', field: 'hours', message: 'The backtrack window must be between 0 and 72 hours.' };
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
  if (seconds === cluster.backtrackWindow) {
    return { ok: false, code: 'NO_CHANGE', field: 'hours', message: `The window is already ${input.hours} h.` };
  }
  return { ok: true, value: { seconds } };
}
