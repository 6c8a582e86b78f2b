import 'server-only';
import { toAppError } from './errors';
import { TtlCache } from './metric-cache';
import { markRegionBusy, READ_SCHEDULE } from './poll-schedule';
import { isConfiguredRegion, regionNotConfigured } from './regions';

// Short-lived, shared cache for RDS reads (fleet list, one cluster, its events, the create-form catalogue):
// concurrent viewers of the same page share one AWS call, and a poll every 2 s from ten browsers costs one
// describe per 2 s, not ten. Any RDS write through the client factory drops the region's entries
// (lib/aws/clients.ts), so a person sees the effect of their own action on the next read. How old a read may
// be follows the region's poll schedule (lib/aws/poll-schedule.ts): longer while idle, short while busy.

/** How long each kind of read may be served from the cache while the region is idle (see poll-schedule.ts for busy). */
export const READ_TTL_MS = {
  fleet: READ_SCHEDULE.fleet.idle,
  /** The fleet health page's cluster listing: membership changes rarely, and its metrics are minutes old. */
  health: READ_SCHEDULE.health.idle,
  cluster: READ_SCHEDULE.cluster.idle,
  events: READ_SCHEDULE.events.idle,
  catalog: 10 * 60_000,
} as const;

const g = globalThis as unknown as { __afcRdsReads?: TtlCache };

function cache(): TtlCache {
  return (g.__afcRdsReads ??= new TtlCache(5_000));
}

/**
 * Serve `load()` through the region's read cache; `ttlMs` 0 always reads afresh (for pre-write checks).
 * A region outside AFC_REGIONS is refused before an entry is made for it.
 */
export function cachedRead<T>(region: string, key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
  if (!isConfiguredRegion(region)) return Promise.reject(regionNotConfigured(region));
  const watched = () => load().catch((e: unknown) => forgetRegionOnOutage(region, e));
  return ttlMs > 0 ? cache().get(`${region}|${key}`, ttlMs, watched) : watched();
}

/** Codes of a region that does not answer at all (network, or AWS's 5xx after the SDK's retries). */
const REGION_DOWN = new Set(['UNREACHABLE', 'AWS_UNAVAILABLE']);

/**
 * A read that found the region down is news for every page of that region: its other cached reads (a cluster
 * shown "available" a few seconds ago) are dropped, so the next read of any of them says the region is down
 * instead of serving the last good answer until it ages out.
 */
function forgetRegionOnOutage(region: string, e: unknown): never {
  if (REGION_DOWN.has(toAppError(e).code)) cache().invalidatePrefix(`${region}|`);
  throw e;
}

/** Forget every cached read of a region (called after any RDS write there); the region polls on its busy schedule for a while. */
export function invalidateRegionReads(region: string): void {
  cache().invalidatePrefix(`${region}|`);
  markRegionBusy(region);
}

/** For tests and benchmarks. */
export function readCacheSize(): number {
  return cache().getStats().size;
}

/** For tests and benchmarks. */
export function clearReadCache(): void {
  cache().clear();
}
