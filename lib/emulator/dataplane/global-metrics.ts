// Aurora Global Database metrics of a secondary cluster (namespace AWS/RDS, dimension DBClusterIdentifier):
// AuroraGlobalDBReplicationLag and AuroraGlobalDBRPOLag (Milliseconds), AuroraGlobalDBReplicatedWriteIO (Count)
// and AuroraGlobalDBDataTransferBytes (Bytes), per minute, as a pure function of the history: the primary's
// write workload, role changes (switchover/failover), the resynchronisation of a former primary, and outages
// of the primary's region (replication stops; the unreplicated writes stay at risk).
import { WORKLOADS } from './frame';
import { hash01 } from './hash';
import type { MeasuredSeries, Workload } from './types';

export const GLOBAL_METRICS: Record<string, string> = {
  AuroraGlobalDBReplicationLag: 'Milliseconds',
  AuroraGlobalDBRPOLag: 'Milliseconds',
  AuroraGlobalDBReplicatedWriteIO: 'Count',
  AuroraGlobalDBDataTransferBytes: 'Bytes',
};

/** One period during which the cluster was a secondary of one primary. */
export interface GlobalSecondaryPeriod {
  from: number;
  to?: number;
  primaryWorkload: Workload;
  primaryWorkloadHistory: { workload: Workload; from: number }[];
  /** Outages of the primary's region (replication from it stops). */
  primaryOutages: { from: number; to?: number }[];
  /** A former primary: no replication before `resyncFrom`; catching up until `resyncUntil`. */
  resyncFrom?: number;
  resyncUntil?: number;
  /** During a switchover to this cluster: from here on the primary stops taking writes (the target catches up). */
  drainFrom?: number;
}

export interface DataplaneGlobal {
  secondary: GlobalSecondaryPeriod[];
}

const MINUTE = 60_000;

export function writeFactorAt(workload: Workload, history: readonly { workload: Workload; from: number }[], t: number): number {
  let w = workload;
  for (const h of history) if (h.from <= t) w = h.workload;
  return WORKLOADS[w].write;
}

/** Steady-state storage-level replication lag (ms) for a primary write factor at time t. */
export function steadyLagMs(seed: number, write: number, t: number): number {
  const minute = Math.floor(t / MINUTE);
  return Math.round(45 + 35 * write + 40 * write * hash01(seed ^ 0x61, minute));
}

function covering<T extends { from: number; to?: number }>(list: readonly T[], t: number): T | undefined {
  return list.find((o) => o.from <= t && (o.to === undefined || t < o.to));
}

/** The four values at time t in a period (NaN = no data published). */
export function globalValues(seed: number, p: GlobalSecondaryPeriod, t: number): Record<string, number> {
  const none = { lag: NaN, rpo: NaN, io: NaN, bytes: NaN };
  let v = none;
  const minute = Math.floor(t / MINUTE);
  const w = writeFactorAt(p.primaryWorkload, p.primaryWorkloadHistory, t);
  const ioNormal = 320 * w * 60 * 0.4 * (0.9 + 0.2 * hash01(seed ^ 0x62, minute));
  const outage = covering(p.primaryOutages, t);
  if (p.resyncFrom !== undefined && t < p.resyncFrom) {
    v = none;
  } else if (outage) {
    // Nothing arrives from the primary's region: the lag grows; what was not replicated when it went away is at risk.
    const atRisk = steadyLagMs(seed, writeFactorAt(p.primaryWorkload, p.primaryWorkloadHistory, outage.from), outage.from) + 20;
    v = { lag: atRisk + (t - outage.from), rpo: atRisk, io: 0, bytes: 0 };
  } else if (p.resyncUntil !== undefined && t < p.resyncUntil) {
    const span = Math.max(1, p.resyncUntil - (p.resyncFrom ?? p.from));
    const left = (p.resyncUntil - t) / span;
    const lag = steadyLagMs(seed, w, t) + Math.round(4000 * left);
    v = { lag, rpo: lag + 25, io: ioNormal * 3, bytes: ioNormal * 3 * 1400 };
  } else {
    let lag = steadyLagMs(seed, w, t);
    if (p.drainFrom !== undefined && t >= p.drainFrom) lag = Math.round(lag * 0.1);
    else if (t - p.from < 2 * MINUTE && p.resyncUntil === undefined) lag *= 3; // the first minutes after a role change
    const rpo = lag + Math.round(20 + 15 * w * hash01(seed ^ 0x63, minute));
    v = { lag, rpo, io: ioNormal, bytes: ioNormal * 1400 };
  }
  return {
    AuroraGlobalDBReplicationLag: v.lag,
    AuroraGlobalDBRPOLag: v.rpo,
    AuroraGlobalDBReplicatedWriteIO: Number.isNaN(v.io) ? NaN : Math.round(v.io),
    AuroraGlobalDBDataTransferBytes: Number.isNaN(v.bytes) ? NaN : Math.round(v.bytes),
  };
}

/** Samples of one global metric at t0 + i·step (the period that covers each sample's time). */
export function globalSamples(metric: string, g: DataplaneGlobal, seed: number, t0: number, n: number, step: number, up: ArrayLike<number | boolean>): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = t0 + i * step;
    const p = up[i] ? covering(g.secondary, t) : undefined;
    out[i] = p ? globalValues(seed, p, t)[metric] : NaN;
  }
  return out;
}

/**
 * Where the secondary runs a real engine, each sample of its AuroraGlobalDBReplicationLag is the largest lag
 * measured in the minutes it stands for (measurements exist only while it replicates as a secondary, from its
 * first minute); samples without one (while the primary's region is unreachable, other metrics) keep the modelled
 * value.
 */
export function overlayGlobal(out: Float64Array, m: MeasuredSeries | undefined, metric: string, f: { t0: number; n: number; step: number }): Float64Array {
  if (!m) return out;
  const minutes = m.minutes(metric, f.t0, f.t0 + f.n * f.step);
  if (minutes.size === 0) return out;
  for (let i = 0; i < f.n; i++) {
    const t = f.t0 + i * f.step;
    let max = NaN;
    for (let u = Math.floor(t / MINUTE) * MINUTE; u < t + f.step; u += MINUTE) {
      const v = minutes.get(u);
      if (v !== undefined && !(v <= max)) max = v;
    }
    if (!Number.isNaN(max)) out[i] = max;
  }
  return out;
}
