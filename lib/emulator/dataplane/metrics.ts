// The AWS/RDS metrics the simulated data plane publishes: which dimension sets exist for which
// cluster / instance, and the per-minute samples behind a (metric, dimension set).
import type { DataplaneCluster, MeasuredSeries } from './types';
import { buildFrame, readerLag, MINUTE, WORKLOADS, type ClusterFrame, type InstanceFrame } from './frame';
import { hash01 } from './hash';
import { GLOBAL_METRICS, globalSamples, overlayGlobal } from './global-metrics';

export const RDS_NAMESPACE = 'AWS/RDS';

export interface Dim {
  Name: string;
  Value: string;
}

export interface MetricId {
  Namespace: string;
  MetricName: string;
  Dimensions: Dim[];
}

type Scope = 'instance' | 'writer' | 'cluster';

interface MetricDef {
  unit: string;
  /** instance: every instance; writer: published by the current writer only; cluster: cluster-level. */
  scope: Scope;
  mysqlOnly?: boolean;
  /** Cluster-level metrics also published per (DBClusterIdentifier, EngineName). */
  engineDim?: boolean;
  /** Aurora Global Database metric: published by a secondary cluster only (global-metrics.ts). */
  global?: boolean;
}

const RDS_METRICS: Record<string, MetricDef> = {
  CPUUtilization: { unit: 'Percent', scope: 'instance' },
  DatabaseConnections: { unit: 'Count', scope: 'instance' },
  CommitThroughput: { unit: 'Count/Second', scope: 'instance' },
  SelectThroughput: { unit: 'Count/Second', scope: 'instance', mysqlOnly: true },
  DMLThroughput: { unit: 'Count/Second', scope: 'instance', mysqlOnly: true },
  NetworkThroughput: { unit: 'Bytes/Second', scope: 'instance' },
  FreeableMemory: { unit: 'Bytes', scope: 'instance' },
  AuroraReplicaLag: { unit: 'Milliseconds', scope: 'instance' },
  AuroraReplicaLagMaximum: { unit: 'Milliseconds', scope: 'writer' },
  AuroraReplicaLagMinimum: { unit: 'Milliseconds', scope: 'writer' },
  BacktrackWindowActual: { unit: 'Minutes', scope: 'writer', mysqlOnly: true },
  BacktrackChangeRecordsStored: { unit: 'Count', scope: 'cluster', mysqlOnly: true },
  BacktrackChangeRecordsCreationRate: { unit: 'Count', scope: 'cluster', mysqlOnly: true },
  VolumeBytesUsed: { unit: 'Bytes', scope: 'cluster', engineDim: true },
  ...Object.fromEntries(Object.entries(GLOBAL_METRICS).map(([k, unit]) => [k, { unit, scope: 'cluster' as const, global: true }])),
};

function applies(def: MetricDef, name: string, c: DataplaneCluster): boolean {
  if (def.mysqlOnly && c.engine !== 'aurora-mysql') return false;
  if (def.global) return !!c.global?.secondary.length;
  if (name.startsWith('Backtrack') && !(c.backtrackWindow > 0)) return false;
  return true;
}

/** Every (metric, dimension set) the data plane publishes for these clusters (ListMetrics). */
export function listRdsMetrics(clusters: readonly DataplaneCluster[], now = Infinity): MetricId[] {
  const out: MetricId[] = [];
  const add = (MetricName: string, dims: Dim[]) => out.push({ Namespace: RDS_NAMESPACE, MetricName, Dimensions: dims });
  const horizon = now - 14 * 86_400_000;
  for (const c0 of clusters) {
    if (c0.createdAt > now || (c0.deletedAt ?? Infinity) < horizon) continue;
    // Only instances that have published data within the last two weeks (as ListMetrics does).
    const c = { ...c0, instances: c0.instances.filter((i) => i.availableAt <= now && (i.deletedAt ?? Infinity) >= horizon) };
    const everWriter = new Set(c.writerHistory.filter((w) => w.from <= now).map((w) => w.instanceId));
    const hasReaders = c.instances.some((i) => !everWriter.has(i.id)) || everWriter.size > 1;
    for (const [name, def] of Object.entries(RDS_METRICS)) {
      if (!applies(def, name, c)) continue;
      const cdim = { Name: 'DBClusterIdentifier', Value: c.id };
      add(name, [cdim]);
      if (def.scope === 'cluster') {
        if (def.engineDim) add(name, [cdim, { Name: 'EngineName', Value: c.engine }]);
        continue;
      }
      const readerOnly = name === 'AuroraReplicaLag';
      if (def.scope === 'writer' || !readerOnly) add(name, [cdim, { Name: 'Role', Value: 'WRITER' }]);
      if (def.scope === 'instance' && hasReaders) add(name, [cdim, { Name: 'Role', Value: 'READER' }]);
      for (const inst of c.instances) {
        const wasWriter = everWriter.has(inst.id);
        if (def.scope === 'writer' && !wasWriter) continue;
        if (readerOnly && wasWriter && everWriter.size === 1) continue;
        add(name, [{ Name: 'DBInstanceIdentifier', Value: inst.id }]);
      }
    }
  }
  return out;
}

/**
 * Samples of one metric: one per sampled minute t0 + i·step (i < n); each source gives one sample per
 * sampled minute (NaN = none). With step > 1 minute (long periods) each sample stands for `step` minutes.
 */
export interface MinuteSeries {
  unit: string;
  t0: number;
  n: number;
  /** ms between samples, a multiple of a minute (default one minute). */
  step: number;
  sources: Float64Array[];
}

/**
 * Resolves a data-plane series for (metric, exact dimension set) over minutes [t0, t0 + n·60 s).
 * Frames are cached in `cache` so many queries over the same window share the work.
 */
export class RdsSeriesResolver {
  private readonly frames = new Map<string, ClusterFrame>();

  constructor(
    private readonly region: string,
    private readonly clusters: readonly DataplaneCluster[],
    private readonly now: number,
    private readonly measured?: (region: string, instanceId: string) => MeasuredSeries | undefined,
  ) {}

  private frame(c: DataplaneCluster, t0: number, n: number, step: number): ClusterFrame {
    const key = `${c.id}\u0000${c.createdAt}\u0000${t0}\u0000${n}\u0000${step}`;
    let f = this.frames.get(key);
    if (!f) {
      f = buildFrame(this.region, c, t0, n, this.now, step);
      this.frames.set(key, f);
    }
    return f;
  }

  series(metricName: string, dims: readonly Dim[], t0: number, n: number, step = MINUTE): MinuteSeries | undefined {
    const def = RDS_METRICS[metricName];
    if (!def) return undefined;
    const d = new Map(dims.map((x) => [x.Name, x.Value]));
    if (d.size !== dims.length) return undefined;
    const sources: Float64Array[] = [];
    const instId = d.get('DBInstanceIdentifier');
    const clusterId = d.get('DBClusterIdentifier');
    if (instId !== undefined && d.size === 1) {
      if (def.scope === 'cluster') return undefined;
      for (const c of this.clusters) {
        if (!applies(def, metricName, c)) continue;
        c.instances.forEach((inst, k) => {
          if (inst.id === instId) sources.push(this.instanceSamples(metricName, this.frame(c, t0, n, step), k));
        });
      }
    } else if (clusterId !== undefined && (d.size === 1 || (d.size === 2 && (d.has('Role') || d.has('EngineName'))))) {
      const role = d.get('Role');
      const engine = d.get('EngineName');
      if (role !== undefined && role !== 'WRITER' && role !== 'READER') return undefined;
      if (engine !== undefined && !def.engineDim) return undefined;
      if (role !== undefined && def.scope === 'cluster') return undefined;
      for (const c of this.clusters) {
        if (c.id !== clusterId || !applies(def, metricName, c)) continue;
        if (engine !== undefined && engine !== c.engine) continue;
        const f = this.frame(c, t0, n, step);
        if (def.scope === 'cluster') {
          sources.push(this.clusterSamples(metricName, f));
          continue;
        }
        for (let k = 0; k < c.instances.length; k++) {
          const s = this.instanceSamples(metricName, f, k);
          if (role !== undefined) filterRole(s, f, k, role === 'WRITER');
          sources.push(s);
        }
      }
    } else if (d.size === 1 && (d.has('EngineName') || d.has('DatabaseClass'))) {
      // Region-wide aggregates by engine or by instance class.
      if (def.scope === 'cluster') return undefined;
      const engine = d.get('EngineName');
      const cls = d.get('DatabaseClass');
      for (const c of this.clusters) {
        if (!applies(def, metricName, c)) continue;
        if (engine !== undefined && c.engine !== engine) continue;
        c.instances.forEach((inst, k) => {
          if (cls !== undefined && inst.instanceClass !== cls) return;
          sources.push(this.instanceSamples(metricName, this.frame(c, t0, n, step), k));
        });
      }
    } else return undefined;
    if (sources.length === 0) return undefined;
    return { unit: def.unit, t0, n, step, sources };
  }

  private instanceSamples(metric: string, f: ClusterFrame, k: number): Float64Array {
    const out = this.simulatedSamples(metric, f, k);
    const m = MEASURED.has(metric) ? this.measured?.(this.region, f.instances[k].inst.id) : undefined;
    if (m) overlayMeasured(out, m, metric, f);
    return out;
  }

  private simulatedSamples(metric: string, f: ClusterFrame, k: number): Float64Array {
    const inf = f.instances[k];
    const out = new Float64Array(f.n);
    if (metric === 'AuroraReplicaLag') {
      out.set(readerLag(f, k));
      return out;
    }
    if (metric === 'AuroraReplicaLagMaximum' || metric === 'AuroraReplicaLagMinimum') {
      const max = metric === 'AuroraReplicaLagMaximum';
      const lags = f.instances.map((_, j) => (j === k ? null : readerLag(f, j)));
      for (let i = 0; i < f.n; i++) {
        let v = NaN;
        if (inf.up[i] && f.writer[i] === k) {
          for (const l of lags) {
            if (!l) continue;
            const x = l[i];
            if (x === x && (v !== v || (max ? x > v : x < v))) v = x;
          }
        }
        out[i] = v;
      }
      return out;
    }
    if (metric === 'BacktrackWindowActual') {
      const c = f.cluster;
      const targetMin = c.backtrackWindow / 60;
      for (let i = 0; i < f.n; i++) {
        if (!inf.up[i] || f.writer[i] !== k) {
          out[i] = NaN;
          continue;
        }
        const t = f.t0 + i * f.step;
        const ageMin = Math.max(0, (t - c.createdAt) / MINUTE);
        const wl = f.workload[i];
        // Heavy writes make the actual window fall a little short of the target.
        const shortfall = wl.write > 2 ? 0.9 : 1;
        out[i] = Math.floor(Math.min(targetMin * shortfall, ageMin));
      }
      return out;
    }
    const seed = inf.seed;
    const dis = inf.disruption;
    const mem = inf.memoryBytes;
    for (let i = 0; i < f.n; i++) {
      if (!inf.up[i]) {
        out[i] = NaN;
        continue;
      }
      const minute = ((f.t0 + i * f.step) / MINUTE) | 0;
      const L = f.wave[i];
      const wl = f.workload[i];
      const D = dis === null ? 1 : dis[i];
      const writer = f.writer[i] === k;
      let v: number;
      switch (metric) {
        case 'CommitThroughput':
          v = (writer ? 150 * wl.write : 2 * wl.read) * L * D * (0.9 + 0.2 * hash01(seed ^ 0x11, minute));
          break;
        case 'DMLThroughput':
          v = writer ? 320 * wl.write * L * D * (0.9 + 0.2 * hash01(seed ^ 0x12, minute)) : 0;
          break;
        case 'SelectThroughput':
          v = (writer ? 250 : 600) * wl.read * L * D * (0.9 + 0.2 * hash01(seed ^ 0x13, minute));
          break;
        case 'DatabaseConnections':
          v = Math.round(((writer ? 3 + 45 * L * wl.conn : 2 + 25 * L * wl.conn) + 2 * hash01(seed ^ 0x14, minute)) * D);
          break;
        case 'CPUUtilization':
          v = Math.min(99, Math.max(0.5, 2 + (writer ? 35 : 20) * L * wl.cpu * D + 3 * hash01(seed ^ 0x15, minute)));
          break;
        case 'NetworkThroughput': {
          const tps = writer ? (150 * wl.write + 250 * wl.read + 320 * wl.write) : 600 * wl.read;
          v = (2_000 + tps * 900 * L * D) * (0.9 + 0.2 * hash01(seed ^ 0x16, minute));
          break;
        }
        case 'FreeableMemory':
          v = Math.round(mem * (0.62 - 0.12 * L * Math.min(wl.cpu, 1.5) * D - 0.03 * hash01(seed ^ 0x17, minute)));
          break;
        default:
          v = NaN;
      }
      // Whole numbers where the unit is a count of bytes or connections; three decimals otherwise.
      out[i] = metric === 'DatabaseConnections' || metric === 'FreeableMemory' || metric === 'NetworkThroughput' ? Math.round(v) : Math.round(v * 1000) / 1000;
    }
    return out;
  }

  private clusterSamples(metric: string, f: ClusterFrame): Float64Array {
    const out = new Float64Array(f.n);
    const c = f.cluster;
    if (c.global && metric in GLOBAL_METRICS) {
      // A real-engine secondary's measured lag replaces the simulated one for the minutes it was measured.
      return overlayGlobal(globalSamples(metric, c.global, f.seed, f.t0, f.n, f.step, f.clusterUp), this.measured?.(this.region, `global:${c.id}`), metric, f);
    }
    const base = 1.5 * 1024 ** 3 * (0.5 + hash01(f.seed ^ 0x21, 1));
    const writeRate = (t: number) => wlAt(c, t);
    for (let i = 0; i < f.n; i++) {
      if (!f.clusterUp[i]) {
        out[i] = NaN;
        continue;
      }
      const t = f.t0 + i * f.step;
      if (metric === 'VolumeBytesUsed') {
        // Grows with the integral of the write workload (≈ 170 MB/day steady); reported as whole bytes.
        out[i] = Math.round(base + 2_000 * integrateWrites(c, t));
      } else {
        // BacktrackChangeRecordsStored: records for the retained window, a few per written row; the creation rate
        // counts the records of the last five minutes.
        const windowMs = metric === 'BacktrackChangeRecordsStored' ? Math.min(c.backtrackWindow * 1000, Math.max(0, t - c.createdAt)) : 300_000;
        const rate = 320 * writeRate(t) * 0.55;
        out[i] = Math.round(rate * (windowMs / 1000) * (0.95 + 0.1 * hash01(f.seed ^ 0x22, (t / MINUTE) | 0)));
      }
    }
    const m = MEASURED.has(metric) ? this.measured?.(this.region, measuredClusterKey(c.id)) : undefined;
    if (m) overlayMeasured(out, m, metric, f);
    return out;
  }
}

function filterRole(s: Float64Array, f: ClusterFrame, k: number, writer: boolean): void {
  for (let i = 0; i < f.n; i++) if ((f.writer[i] === k) !== writer) s[i] = NaN;
}


function wlAt(c: DataplaneCluster, t: number): number {
  let w = c.workload;
  const hist = c.workloadHistory ?? [];
  if (hist.length > 0 && hist[0].from <= t) for (const h of hist) if (h.from <= t) w = h.workload;
  return WORKLOADS[w].write;
}

/** ∫ write factor dt (seconds) from cluster creation to t, excluding stopped periods is ignored for simplicity. */
function integrateWrites(c: DataplaneCluster, t: number): number {
  const hist = c.workloadHistory ?? [];
  let total = 0;
  let from = c.createdAt;
  let w = c.workload;
  if (hist.length > 0 && hist[0].from <= c.createdAt) w = hist[0].workload;
  for (const h of hist) {
    if (h.from <= from) {
      w = h.workload;
      continue;
    }
    if (h.from >= t) break;
    total += (WORKLOADS[w].write * (h.from - from)) / 1000;
    from = h.from;
    w = h.workload;
  }
  if (t > from) total += (WORKLOADS[w].write * (t - from)) / 1000;
  return total;
}

export type { InstanceFrame };

/** The metrics a real engine measures (the rest stay simulated, e.g. CPU and memory). */
export const MEASURED_METRICS = [
  'CommitThroughput',
  'DMLThroughput',
  'SelectThroughput',
  'DatabaseConnections',
  'AuroraReplicaLag',
  // aurora-mysql: what the engine's binary log retains for backtrack (the last two per cluster, the first per writer).
  'BacktrackWindowActual',
  'BacktrackChangeRecordsStored',
  'BacktrackChangeRecordsCreationRate',
] as const;

/** Where a cluster's own measured series are kept, beside its instances' (no instance identifier has a '/'). */
export const measuredClusterKey = (clusterId: string) => `cluster/${clusterId}`;
const MEASURED: ReadonlySet<string> = new Set(MEASURED_METRICS);

/**
 * From the moment an instance's engine exists, its measured minutes replace the simulated ones: each sample is
 * the average (the largest, for lag) of the measured minutes it stands for; none measured = no data.
 */
function overlayMeasured(out: Float64Array, m: MeasuredSeries, metric: string, f: ClusterFrame): void {
  const from = Math.max(f.t0, Math.floor(m.since / MINUTE) * MINUTE);
  const to = f.t0 + f.n * f.step;
  if (from >= to) return;
  const minutes = m.minutes(metric, from, to);
  const lag = metric === 'AuroraReplicaLag';
  for (let i = 0; i < f.n; i++) {
    const t = f.t0 + i * f.step;
    if (t + f.step <= from) continue;
    let sum = 0;
    let n = 0;
    let max = NaN;
    for (let u = t; u < t + f.step; u += MINUTE) {
      const v = minutes.get(u);
      if (v === undefined) continue;
      sum += v;
      n++;
      if (!(v <= max)) max = v;
    }
    out[i] = n === 0 ? NaN : lag ? max : sum / n;
  }
}
