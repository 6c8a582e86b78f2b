import 'server-only';
import { getMetricBatch, planWindow } from '@/lib/aws/metrics';
import { fleetQueries, shapeFleet } from '@/lib/aws/metrics-views';
import type { MetricQuery } from '@/lib/aws/metrics-batch';
import { toAppError } from '@/lib/aws/errors';
import type { ClusterDTO, InstanceDTO } from '@/lib/aws/types';

/** What the lag read needs of a cluster (a ClusterDTO has it). */
export type LagCluster = Pick<ClusterDTO, 'id'> & { instances: Pick<InstanceDTO, 'id' | 'role'>[] };

export type FleetLag =
  | { ok: true; byCluster: Record<string, { worst: number | null; byInstance: Record<string, number | null> }> }
  | { ok: false; error: string };

/** Per-reader AuroraReplicaLag (Maximum) queries, keyed `rlag:<cluster>/<instance>`. */
export function readerLagQueries(clusters: LagCluster[]): MetricQuery[] {
  return clusters.flatMap((c) =>
    c.instances
      .filter((i) => i.role !== 'writer')
      .map((i) => ({ key: `rlag:${c.id}/${i.id}`, metricName: 'AuroraReplicaLag', dimensions: { DBInstanceIdentifier: i.id }, stat: 'Maximum' })),
  );
}

/** Every query of one lag read: the fleet view's worst lag + commits per cluster, and each reader's lag. */
export function lagQueries(clusters: LagCluster[]): MetricQuery[] {
  return [...fleetQueries(clusters), ...readerLagQueries(clusters)];
}

/** How old the on-call panel's lag may be: it is polled all the time the cluster page is open. */
export const PANEL_LAG_MAX_AGE_MS = { idle: 5 * 60_000, busy: 60_000 } as const;

/**
 * How old the /oncall page's lag may be: CloudWatch publishes replica lag once a minute, so a read older than
 * that shows nothing newer; while an operation runs in the region, every 15 s. Every viewer within one slot
 * shares one cached batch.
 */
export const ONCALL_LAG_MAX_AGE_MS = { idle: 60_000, busy: 15_000 } as const;

/** The on-call panel's background lag read of a cluster with `readers` readers, idle: metrics and how often. */
export function panelLagRead(readers: number): { metrics: number; intervalMs: number } {
  return { metrics: lagQueries([{ id: 'x', instances: [{ id: 'w', role: 'writer' }, ...Array.from({ length: readers }, (_, i) => ({ id: `r${i}`, role: 'reader' as const }))] }]).length, intervalMs: PANEL_LAG_MAX_AGE_MS.idle };
}

/**
 * Current replica lag for the on-call page through the metric layer (lib/aws/metrics: cached, de-duplicated,
 * split at 500 queries): ONE batch per region holding the fleet view's worst-lag series per cluster plus each
 * reader's own lag (for the failover target list), last 15 minutes. Any failure degrades to { ok: false } so
 * the page still lists the clusters ("lag unavailable").
 */
export async function getLagForFleet(
  region: string,
  clusters: LagCluster[],
  now = Date.now(),
  opts: { maxAgeMs?: number; parts?: 'all' | 'worst' | 'readers' } = {},
): Promise<FleetLag> {
  const byCluster: Record<string, { worst: number | null; byInstance: Record<string, number | null> }> = {};
  for (const c of clusters) byCluster[c.id] = { worst: null, byInstance: {} };
  if (clusters.length === 0) return { ok: true, byCluster };
  try {
    // With a max age, the window is anchored on that grid so every reader within it shares one cached batch.
    const anchor = opts.maxAgeMs ? Math.floor(now / opts.maxAgeMs) * opts.maxAgeMs : now;
    const w = planWindow(anchor - 15 * 60_000, opts.maxAgeMs ? anchor + opts.maxAgeMs : now, now);
    // 'worst': the cluster-level series only (one per cluster, for sorting a whole fleet); 'readers': each
    // reader's own lag only (for the failover dialogs of the clusters a page shows).
    const parts = opts.parts ?? 'all';
    const queries = parts === 'worst' ? fleetQueries(clusters) : parts === 'readers' ? readerLagQueries(clusters) : lagQueries(clusters);
    const batch = await getMetricBatch(region, queries, w, undefined, opts.maxAgeMs ? { ttlMs: opts.maxAgeMs } : {});
    // Without the cluster-level series ('readers'), the worst lag is the worst reader's.
    const fleet = parts === 'readers' ? {} : shapeFleet(clusters, batch);
    for (const c of clusters) {
      const entry = byCluster[c.id];
      for (const i of c.instances.filter((x) => x.role !== 'writer')) {
        const s = batch.series[`rlag:${c.id}/${i.id}`];
        entry.byInstance[i.id] = s && s.values.length ? s.values[s.values.length - 1] : null;
      }
      const readerVals = Object.values(entry.byInstance).filter((v): v is number => typeof v === 'number');
      entry.worst = fleet[c.id]?.worstLagMs ?? (readerVals.length ? Math.max(...readerVals) : null);
    }
    return { ok: true, byCluster };
  } catch (e) {
    return { ok: false, error: toAppError(e).message };
  }
}
