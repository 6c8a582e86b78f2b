// A "frame" is one cluster's state minute by minute over a window: who is up, who is the writer,
// the workload, the daily wave and the disruption from failovers / backtracks / reboots.
// Every metric value is cheap arithmetic over a frame, so 500 series × 1,440 minutes stay fast.
import type { DataplaneCluster, DataplaneInstance, Workload } from './types';
import { hash01, seedOf } from './hash';

export const MINUTE = 60_000;
const DAY = 86_400_000;
/** Recovery time constant after a disruption ends. */
const RECOVERY_TAU = 60_000;

export interface WorkloadParams {
  read: number;
  write: number;
  conn: number;
  cpu: number;
  lagMs: number;
}

export const WORKLOADS: Record<Workload, WorkloadParams> = {
  idle: { read: 0.03, write: 0.02, conn: 0.1, cpu: 0.1, lagMs: 8 },
  steady: { read: 1, write: 1, conn: 1, cpu: 1, lagMs: 20 },
  'write-heavy': { read: 0.7, write: 3.5, conn: 1.3, cpu: 1.8, lagMs: 60 },
};

export interface InstanceFrame {
  inst: DataplaneInstance;
  index: number;
  seed: number;
  /** 1 when the instance was up at some instant of the minute (available, not deleted, not stopped). */
  up: Uint8Array;
  /** Throughput multiplier in [0, 1]; null = undisturbed over the whole window. */
  disruption: Float64Array | null;
  /** Lazily computed replica lag (ms) for minutes where this instance is an up reader, else NaN. */
  lag?: Float64Array;
  memoryBytes: number;
}

export interface ClusterFrame {
  cluster: DataplaneCluster;
  seed: number;
  /** First sampled minute (ms, aligned), number of samples, and the stride between samples (ms, a multiple of a minute). */
  t0: number;
  n: number;
  step: number;
  /** Index into `instances` of the writer during each minute, -1 when none. */
  writer: Int8Array;
  /** Workload of each minute. */
  workload: WorkloadParams[];
  /** Daily wave in ~[0.2, 1]. */
  wave: Float64Array;
  /** 1 when the cluster itself is up (exists, not stopped) at some instant of the minute. */
  clusterUp: Uint8Array;
  instances: InstanceFrame[];
}

/** Memory of an instance class in bytes (db.r*.large = 16 GiB, db.t*.medium = 4 GiB, …). */
function classMemoryBytes(instanceClass: string): number {
  const m = /^db\.([a-z]+\d*[a-z]*)\.(\d*)(micro|small|medium|large|xlarge)$/.exec(instanceClass);
  let gib = 16;
  if (m) {
    const burst = m[1].startsWith('t');
    const mult = m[2] ? Number(m[2]) : 1;
    const size = m[3];
    if (size === 'micro') gib = 1;
    else if (size === 'small') gib = 2;
    else if (size === 'medium') gib = 4;
    else if (size === 'large') gib = burst ? 8 : 16;
    else gib = (burst ? 16 : 32) * mult;
  }
  return gib * 1024 ** 3;
}

function workloadAt(c: DataplaneCluster, t: number): Workload {
  let w = c.workload;
  const hist = c.workloadHistory;
  if (hist && hist.length > 0) {
    w = hist[0].from <= t ? hist[0].workload : c.workload;
    for (const h of hist) if (h.from <= t) w = h.workload;
  }
  return w;
}

/** Marks sampled minutes [t0 + i·step, +60 s) that overlap [from, to). */
function markOverlap(arr: Uint8Array, t0: number, n: number, step: number, from: number, to: number, value: 0 | 1): void {
  if (to <= from) return;
  const first = Math.max(0, Math.floor((from - MINUTE - t0) / step) + 1);
  const last = Math.min(n - 1, Math.ceil((to - t0) / step) - 1);
  for (let i = first; i <= last; i++) arr[i] = value;
}

/** Up-time of [from, to) minus stopped periods, marked per overlapping minute. */
function markUp(arr: Uint8Array, c: DataplaneCluster, t0: number, n: number, step: number, from: number, to: number): void {
  // Subtract stopped periods: walk them in order and mark the gaps.
  const stops = [...c.stopped].sort((a, b) => a.from - b.from);
  let cursor = from;
  for (const s of stops) {
    const sTo = s.to ?? Infinity;
    if (sTo <= cursor) continue;
    if (s.from >= to) break;
    if (s.from > cursor) markOverlap(arr, t0, n, step, cursor, Math.min(s.from, to), 1);
    cursor = Math.max(cursor, sTo);
    if (cursor >= to) return;
  }
  if (cursor < to) markOverlap(arr, t0, n, step, cursor, to, 1);
}

/** The instance that was writer at instant t (last writerHistory entry with from ≤ t). */
function writerAt(c: DataplaneCluster, t: number): string | undefined {
  let id: string | undefined;
  for (const w of c.writerHistory) {
    if (w.from <= t) id = w.instanceId;
    else break;
  }
  return id;
}

interface Disruption {
  start: number;
  end: number;
  floor: number;
}

function applyDisruptions(t0: number, n: number, step: number, list: Disruption[]): Float64Array | null {
  const end = t0 + n * step;
  const relevant = list.filter((d) => d.start < end && d.end + 10 * RECOVERY_TAU > t0);
  if (relevant.length === 0) return null;
  const out = new Float64Array(n).fill(1);
  for (const d of relevant) {
    const first = Math.max(0, Math.floor((d.start - MINUTE - t0) / step));
    const last = Math.min(n - 1, Math.ceil((d.end + 10 * RECOVERY_TAU - t0) / step));
    for (let i = first; i <= last; i++) {
      const t = t0 + i * step;
      if (t + MINUTE <= d.start) continue;
      let f: number;
      if (d.start < t + MINUTE && d.end >= t) f = d.floor; // overlaps the minute
      else f = 1 - (1 - d.floor) * Math.exp(-(t - d.end) / RECOVERY_TAU);
      if (f < out[i]) out[i] = f;
    }
  }
  return out;
}

/**
 * Builds a cluster's frame for minutes [t0, t0 + n·60 s). `now` caps everything: no minute that has
 * not started yet has data.
 */
export function buildFrame(region: string, c: DataplaneCluster, t0: number, n: number, now: number, step = MINUTE): ClusterFrame {
  const seed = seedOf(`${region}/${c.id}`);
  const end = Math.min(c.deletedAt ?? Infinity, now + 1);
  const clusterUp = new Uint8Array(n);
  markUp(clusterUp, c, t0, n, step, c.createdAt, end);

  const instances: InstanceFrame[] = c.instances.map((inst, index) => {
    const up = new Uint8Array(n);
    const iEnd = Math.min(inst.deletedAt ?? Infinity, end);
    markUp(up, c, t0, n, step, inst.availableAt, iEnd);
    const dis: Disruption[] = [];
    for (const f of c.failovers) dis.push({ start: f.startedAt, end: f.completedAt, floor: inst.id === f.from || inst.id === f.to ? 0.15 : 0.5 });
    for (const b of c.backtracks) dis.push({ start: b.startedAt, end: b.completedAt, floor: 0.02 });
    for (const r of c.reboots) if (r.instanceId === inst.id) dis.push({ start: r.startedAt, end: r.completedAt, floor: 0 });
    return {
      inst,
      index,
      seed: seedOf(`${region}/${c.id}/${inst.id}`),
      up,
      disruption: applyDisruptions(t0, n, step, dis),
      memoryBytes: classMemoryBytes(inst.instanceClass),
    };
  });

  const writer = new Int8Array(n).fill(-1);
  const workload: WorkloadParams[] = new Array(n);
  const wave = new Float64Array(n);
  const phase = hash01(seed, 0) * 2 * Math.PI;
  const idIndex = new Map(c.instances.map((inst, i) => [inst.id, i]));
  for (let i = 0; i < n; i++) {
    const t = t0 + i * step;
    // The writer of a minute is the one at its midpoint (or at `now` for the current minute).
    const probe = Math.min(t + MINUTE / 2, now);
    const w = writerAt(c, probe);
    const wi = w === undefined ? undefined : idIndex.get(w);
    writer[i] = wi === undefined ? -1 : wi;
    workload[i] = WORKLOADS[workloadAt(c, probe)];
    const x = (2 * Math.PI * t) / DAY + phase;
    wave[i] = 0.58 + 0.28 * Math.sin(x) + 0.08 * Math.sin(6 * x + phase);
  }
  return { cluster: c, seed, t0, n, step, writer, workload, wave, clusterUp, instances };
}

/** Replica lag (ms) of one instance for each minute it is an up reader; NaN otherwise. */
export function readerLag(f: ClusterFrame, k: number): Float64Array {
  const inf = f.instances[k];
  if (inf.lag) return inf.lag;
  const lag = new Float64Array(f.n);
  const { cluster: c } = f;
  const availableAt = inf.inst.availableAt;
  const reboots = c.reboots.filter((r) => r.instanceId === inf.inst.id);
  for (let i = 0; i < f.n; i++) {
    if (!inf.up[i] || f.writer[i] === k || f.writer[i] < 0) {
      lag[i] = NaN;
      continue;
    }
    const t = f.t0 + i * f.step;
    const minute = t / MINUTE;
    const wl = f.workload[i];
    const h = hash01(inf.seed ^ 0x1a6, minute);
    let v = wl.lagMs * (0.6 + 0.8 * f.wave[i]) * (0.75 + 0.5 * h);
    for (const fo of c.failovers) {
      const spike = 8_000 + 5_000 * hash01(inf.seed ^ 0xf0, fo.startedAt / 1000);
      if (fo.startedAt < t + MINUTE && fo.completedAt >= t) v += spike;
      else if (t > fo.completedAt && t - fo.completedAt < 10 * 40_000) v += spike * Math.exp(-(t - fo.completedAt) / 40_000);
    }
    // A new reader once available: Aurora readers share the cluster volume, so there is no copy to catch
    // up on; only its caches are cold. A few tens of ms more for the first minutes, then like the others.
    if (availableAt < t + MINUTE) {
      const dt = Math.max(0, t - availableAt);
      if (dt < 10 * MINUTE) v += 40 * Math.exp(-dt / MINUTE);
    }
    for (const r of reboots) {
      if (r.startedAt < t + MINUTE && r.completedAt >= t) v += 4_000;
      else if (t > r.completedAt && t - r.completedAt < 600_000) v += 4_000 * Math.exp(-(t - r.completedAt) / 60_000);
    }
    lag[i] = Math.round(v * 100) / 100;
  }
  inf.lag = lag;
  return lag;
}
