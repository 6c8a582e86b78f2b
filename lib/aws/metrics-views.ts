// View builders: which series a chart needs (queries), and shaping fetched series into chart rows.
// Pure (no AWS client, no server-only) so it is unit-tested directly; metrics.ts wires it to AWS.
import type { BatchResult, MetricQuery } from './metrics-batch';
import { rolesOverTime, roleLabel, type ChartMarker, type FailoverPoint, type RoleSpan } from './metrics-events';
import type { ClusterDTO, InstanceDTO } from './types';

/** The parts of a cluster its metric queries depend on. */
type QueriedCluster = Pick<ClusterDTO, 'id' | 'engine' | 'backtrackWindowSeconds'> & { instances: Pick<InstanceDTO, 'id'>[] };

export type ChartUnit = 'ms' | '/s' | '%' | 'count' | 'min';
export type PanelId = 'lag' | 'commit' | 'select' | 'dml' | 'cpu' | 'connections' | 'backtrack' | 'global-lag' | 'global-rpo';

export interface SeriesMeta {
  key: string;
  label: string;
  instance?: string;
  /** "writer", "reader", "reader → writer"… over the window; "cluster" for the cluster maximum. */
  role: string;
  roles?: RoleSpan[];
  status: string;
  points: number;
  /** Drawn dashed/thicker: the cluster maximum. */
  aggregate?: boolean;
}


export interface ChartPanel {
  id: PanelId;
  title: string;
  unit: ChartUnit;
  series: SeriesMeta[];
  /** Sample times (ms), ascending, shared by every series of the panel. */
  t: number[];
  /** Per series key, one value per time in `t`; null where CloudWatch returned no datapoint. */
  values: Record<string, (number | null)[]>;
}

interface PanelDef {
  id: PanelId;
  title: string;
  unit: ChartUnit;
  metric: string;
  stat: string;
  mysqlOnly?: boolean;
}

const INSTANCE_PANELS: PanelDef[] = [
  { id: 'commit', title: 'Commit throughput', unit: '/s', metric: 'CommitThroughput', stat: 'Average' },
  { id: 'select', title: 'Select throughput', unit: '/s', metric: 'SelectThroughput', stat: 'Average', mysqlOnly: true },
  { id: 'dml', title: 'DML throughput', unit: '/s', metric: 'DMLThroughput', stat: 'Average', mysqlOnly: true },
  { id: 'cpu', title: 'CPU utilization', unit: '%', metric: 'CPUUtilization', stat: 'Average' },
  { id: 'connections', title: 'Database connections', unit: 'count', metric: 'DatabaseConnections', stat: 'Average' },
];

const isMysql = (c: Pick<ClusterDTO, 'engine'>) => c.engine === 'aurora-mysql' || c.engine === 'aurora' || c.engine.startsWith('aurora-mysql');
export const hasBacktrack = (c: Pick<ClusterDTO, 'engine' | 'backtrackWindowSeconds'>) => isMysql(c) && (c.backtrackWindowSeconds ?? 0) > 0;

const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');

/** All queries of the cluster view (one GetMetricData batch). Keys: `<panel>:<instance>` / `lag:max`. */
export function clusterQueries(c: QueriedCluster): MetricQuery[] {
  const q: MetricQuery[] = [];
  for (const i of c.instances) {
    q.push({ key: `lag:${safe(i.id)}`, metricName: 'AuroraReplicaLag', dimensions: { DBInstanceIdentifier: i.id }, stat: 'Maximum' });
  }
  q.push({ key: 'lag:max', metricName: 'AuroraReplicaLag', dimensions: { DBClusterIdentifier: c.id, Role: 'READER' }, stat: 'Maximum' });
  for (const p of INSTANCE_PANELS) {
    if (p.mysqlOnly && !isMysql(c)) continue;
    for (const i of c.instances) q.push({ key: `${p.id}:${safe(i.id)}`, metricName: p.metric, dimensions: { DBInstanceIdentifier: i.id }, stat: p.stat });
  }
  if (hasBacktrack(c)) {
    // Published by the primary: query every instance that may have been the writer and merge.
    for (const i of c.instances) {
      q.push({ key: `backtrack:${safe(i.id)}`, metricName: 'BacktrackWindowActual', dimensions: { DBInstanceIdentifier: i.id }, stat: 'Maximum' });
    }
  }
  return q;
}

/**
 * Merge several series onto one ascending time axis, column-wise: `{ t, values: { [key]: [...] } }`.
 * Missing points are null. Columns keep the payload small: a key is written once, not once per sample
 * (a 16-instance cluster's week of charts: ~4× less JSON than `{ t, [key]: v }` rows).
 */
export function toColumns(series: { key: string; timestamps: number[]; values: number[] }[]): Pick<ChartPanel, 't' | 'values'> {
  const times = new Set<number>();
  for (const s of series) for (const t of s.timestamps) times.add(t);
  const t = [...times].sort((a, b) => a - b);
  const index = new Map(t.map((x, i) => [x, i]));
  const values: Record<string, (number | null)[]> = {};
  for (const s of series) {
    const col: (number | null)[] = new Array(t.length).fill(null);
    for (let i = 0; i < s.timestamps.length; i++) {
      const v = s.values[i];
      col[index.get(s.timestamps[i])!] = Number.isFinite(v) ? Math.round(v * 1000) / 1000 : null;
    }
    values[s.key] = col;
  }
  return { t, values };
}

/**
 * Who was the writer before the first failover in the window, read from the data: a writer publishes
 * no AuroraReplicaLag, so the one instance without lag points (while others have some) was the writer.
 */
function writerBeforeFirstFailover(
  ids: string[],
  failovers: FailoverPoint[],
  start: number,
  lagTimestamps: (id: string) => number[],
): string | undefined {
  const first = failovers.filter((f) => f.t > start).sort((a, b) => a.t - b.t)[0];
  if (!first) return undefined;
  // Leave a minute of margin before the failover (its minute belongs to both roles).
  const until = first.t - 60_000;
  const counts = ids.map((id) => lagTimestamps(id).filter((t) => t >= start && t < until).length);
  const silent = ids.filter((_, k) => counts[k] === 0);
  return silent.length === 1 && counts.some((n) => n > 0) ? silent[0] : undefined;
}

/**
 * Shape the batch result into chart panels, labelling instance roles across failovers. `seenWriter`
 * answers which writer the console itself saw in [from, before) (see writer-history): direct knowledge
 * of the writer before the window's first failover, preferred over what the lag data suggests.
 */
export function shapeClusterPanels(
  c: ClusterDTO,
  batch: BatchResult,
  window: { start: number; end: number },
  failovers: FailoverPoint[],
  seenWriter?: (from: number, before: number) => string | undefined,
): ChartPanel[] {
  const ids = c.instances.map((i) => i.id);
  const writer = c.writerId;
  const get = (key: string) => batch.series[key] ?? { key, timestamps: [], values: [], status: 'Complete', messages: [] };
  const firstFailover = failovers.filter((f) => f.t > window.start).sort((a, b) => a.t - b.t)[0];
  const seen = firstFailover ? seenWriter?.(window.start, firstFailover.t) : undefined;
  const roles = rolesOverTime({
    instances: ids,
    currentWriter: writer,
    failovers,
    start: window.start,
    end: window.end,
    initialWriter:
      (seen && ids.includes(seen) && seen !== firstFailover?.to ? seen : undefined) ??
      writerBeforeFirstFailover(ids, failovers, window.start, (id) => get(`lag:${safe(id)}`).timestamps),
  });
  const meta = (key: string, instance: string): SeriesMeta => {
    const s = get(key);
    const r = roleLabel(roles[instance]);
    return { key, label: `${instance} (${r})`, instance, role: r, roles: roles[instance], status: s.status, points: s.timestamps.length };
  };
  const panels: ChartPanel[] = [];

  // Replica lag: one series per instance that reported lag (readers; a writer reports none) + cluster max.
  const lagSeries = c.instances.map((i) => ({ i, s: get(`lag:${safe(i.id)}`) }));
  const shown = lagSeries.filter(({ i, s }) => s.timestamps.length > 0 || roles[i.id]?.some((x) => x.role !== 'writer'));
  let max = get('lag:max');
  if (max.timestamps.length === 0 && shown.some(({ s }) => s.timestamps.length)) {
    // The data plane served no role aggregate: compute the maximum across readers.
    const m = new Map<number, number>();
    for (const { s } of shown) s.timestamps.forEach((t, k) => m.set(t, Math.max(m.get(t) ?? -Infinity, s.values[k])));
    const ts = [...m.keys()].sort((a, b) => a - b);
    max = { ...max, timestamps: ts, values: ts.map((t) => m.get(t)!) };
  }
  const lagPanelSeries = shown.map(({ i, s }) => ({ key: s.key, timestamps: s.timestamps, values: s.values }));
  lagPanelSeries.push({ key: 'lag:max', timestamps: max.timestamps, values: max.values });
  panels.push({
    id: 'lag',
    title: 'Replica lag',
    unit: 'ms',
    series: [
      ...shown.map(({ i }) => meta(`lag:${safe(i.id)}`, i.id)),
      { key: 'lag:max', label: 'Cluster maximum', role: 'cluster', status: max.status, points: max.timestamps.length, aggregate: true },
    ],
    ...toColumns(lagPanelSeries),
  });

  for (const p of INSTANCE_PANELS) {
    if (p.mysqlOnly && !isMysql(c)) continue;
    const keys = c.instances.map((i) => `${p.id}:${safe(i.id)}`);
    panels.push({
      id: p.id,
      title: p.title,
      unit: p.unit,
      series: c.instances.map((i, k) => meta(keys[k], i.id)),
      ...toColumns(keys.map((k) => get(k))),
    });
  }

  if (hasBacktrack(c)) {
    const m = new Map<number, number>();
    let status = 'Complete';
    for (const i of c.instances) {
      const s = get(`backtrack:${safe(i.id)}`);
      if (s.status !== 'Complete') status = s.status;
      s.timestamps.forEach((t, k) => m.set(t, Math.max(m.get(t) ?? -Infinity, s.values[k])));
    }
    const ts = [...m.keys()].sort((a, b) => a - b);
    panels.push({
      id: 'backtrack',
      title: 'Backtrack window actual',
      unit: 'min',
      series: [{ key: 'backtrack', label: 'Backtrack window actual', role: 'cluster', status, points: ts.length, aggregate: true }],
      ...toColumns([{ key: 'backtrack', timestamps: ts, values: ts.map((t) => m.get(t)!) }]),
    });
  }
  return panels;
}

// ------------------------------------------------------------------------------------------ fleet

/** Fleet view queries: per cluster, worst reader lag and writer commit throughput (2 series per cluster). */
export function fleetQueries(clusters: { id: string }[]): MetricQuery[] {
  const q: MetricQuery[] = [];
  for (const c of clusters) {
    q.push({ key: `lag:${c.id}`, metricName: 'AuroraReplicaLag', dimensions: { DBClusterIdentifier: c.id, Role: 'READER' }, stat: 'Maximum' });
    q.push({ key: `commit:${c.id}`, metricName: 'CommitThroughput', dimensions: { DBClusterIdentifier: c.id, Role: 'WRITER' }, stat: 'Average' });
  }
  return q;
}

export interface FleetClusterMetrics {
  /** [t, value] pairs, ascending. */
  lag: [number, number][];
  commit: [number, number][];
  /** The latest worst replica lag (ms), or null when the cluster reports none (no readers). */
  worstLagMs: number | null;
  latestCommit: number | null;
  status: string;
}

export function shapeFleet(clusters: { id: string }[], batch: BatchResult): Record<string, FleetClusterMetrics> {
  const out: Record<string, FleetClusterMetrics> = {};
  for (const c of clusters) {
    const lag = batch.series[`lag:${c.id}`];
    const commit = batch.series[`commit:${c.id}`];
    const pairs = (s: typeof lag | undefined): [number, number][] =>
      s ? s.timestamps.map((t, i) => [t, Math.round(s.values[i] * 100) / 100] as [number, number]) : [];
    const l = pairs(lag);
    const cm = pairs(commit);
    out[c.id] = {
      lag: l,
      commit: cm,
      worstLagMs: l.length ? l[l.length - 1][1] : null,
      latestCommit: cm.length ? cm[cm.length - 1][1] : null,
      status: lag?.status !== 'Complete' ? (lag?.status ?? 'Complete') : (commit?.status ?? 'Complete'),
    };
  }
  return out;
}

export type { ChartMarker };
