import 'server-only';
// One poll schedule per region for the console's RDS reads (the RDS API budget is per account and region,
// shared with every other tool): how old a shared cached read may be depends on whether anything is moving in
// the region. Idle, a listing or a cluster is read at most every 15 s whoever asks and however many viewers
// poll; while an operation is in progress (a write through the console, or a read that saw a transitional
// status) the cluster itself is re-read every 2 s so a failover's timeline stays precise, the rest a little
// slower. Every viewer joins the same in-flight load (lib/aws/metric-cache), so the request rate per region
// is bounded by this table, not by the number of viewers. The clients poll on the same grid (lib/http/poll-align).

export type ReadKind = 'fleet' | 'health' | 'cluster' | 'events' | 'failoverEvents' | 'backtracks';

/** Max age (ms) of a shared read, idle vs. while the region is busy. */
export const READ_SCHEDULE: Record<ReadKind, { idle: number; busy: number }> = {
  fleet: { idle: 15_000, busy: 5_000 },
  health: { idle: 60_000, busy: 10_000 },
  cluster: { idle: 15_000, busy: 2_000 },
  events: { idle: 15_000, busy: 10_000 },
  failoverEvents: { idle: 15_000, busy: 5_000 },
  backtracks: { idle: 15_000, busy: 10_000 },
};

/** How long a region stays busy after the last write or transitional status seen there. */
export const BUSY_HOLD_MS = 30_000;

const g = globalThis as unknown as { __afcBusyRegions?: Map<string, number> };
const busy = () => (g.__afcBusyRegions ??= new Map());

/** Something is (or may be) changing in the region: poll it on the busy schedule for the next BUSY_HOLD_MS. */
export function markRegionBusy(region: string, now = Date.now()): void {
  busy().set(region, now + BUSY_HOLD_MS);
}

export function isRegionBusy(region: string, now = Date.now()): boolean {
  const until = busy().get(region);
  if (until === undefined) return false;
  if (until <= now) {
    busy().delete(region);
    return false;
  }
  return true;
}

/** The max age of a `kind` read in `region` now. */
export function readMaxAge(region: string, kind: ReadKind, now = Date.now()): number {
  const s = READ_SCHEDULE[kind];
  return isRegionBusy(region, now) ? s.busy : s.idle;
}

/** For tests. */
export function resetPollSchedule(): void {
  busy().clear();
}
