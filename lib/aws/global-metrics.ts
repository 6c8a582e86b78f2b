import 'server-only';
// Replication lag of a global database: AuroraGlobalDBReplicationLag and AuroraGlobalDBRPOLag, published by each
// SECONDARY cluster in its own region (dimension DBClusterIdentifier). One GetMetricData batch per secondary region
// through the shared metric cache; a region that fails gives an error entry in its place, never a blank view.
import type { GlobalDatabaseDTO, GlobalMemberDTO } from './global-types';
import { toAppError } from './errors';
import { getMetricBatch, planWindow, type MetricWindow } from './metrics';
import type { BatchResult, MetricQuery } from './metrics-batch';
import { toColumns, type ChartPanel } from './metrics-views';

export const GLOBAL_LAG_METRIC = 'AuroraGlobalDBReplicationLag';
export const GLOBAL_RPO_METRIC = 'AuroraGlobalDBRPOLag';

export type SecondaryLag =
  | { region: string; clusterId: string; ok: true; lagMs: number | null; rpoMs: number | null; lagAt?: number }
  | { region: string; clusterId: string; ok: false; error: string; code?: string };

export interface GlobalLagView {
  window: MetricWindow;
  secondaries: SecondaryLag[];
  /** Replication lag and RPO lag, one series per secondary (key = its region). */
  panels: ChartPanel[];
  fetchedAt: number;
}

/** The two queries of one secondary cluster (its own region). */
export function secondaryLagQueries(clusterId: string): MetricQuery[] {
  return [
    { key: 'glag', metricName: GLOBAL_LAG_METRIC, dimensions: { DBClusterIdentifier: clusterId }, stat: 'Maximum' },
    { key: 'grpo', metricName: GLOBAL_RPO_METRIC, dimensions: { DBClusterIdentifier: clusterId }, stat: 'Maximum' },
  ];
}

const last = (values: number[] | undefined) => (values && values.length ? values[values.length - 1] : null);

/** Shape each secondary's batch (or its failure) into the two chart panels and the latest values. Pure. */
export function shapeGlobalLag(results: { member: GlobalMemberDTO; batch?: BatchResult; error?: { message: string; code?: string } }[]) {
  const secondaries: SecondaryLag[] = [];
  const lagCols: { key: string; timestamps: number[]; values: number[] }[] = [];
  const rpoCols: typeof lagCols = [];
  const meta: ChartPanel['series'] = [];
  for (const r of results) {
    const region = r.member.region ?? '?';
    const clusterId = r.member.clusterId ?? r.member.arn;
    if (!r.batch) {
      secondaries.push({ region, clusterId, ok: false, error: r.error?.message ?? 'Metrics unavailable.', code: r.error?.code });
      continue;
    }
    const lag = r.batch.series.glag;
    const rpo = r.batch.series.grpo;
    secondaries.push({ region, clusterId, ok: true, lagMs: last(lag?.values), rpoMs: last(rpo?.values), lagAt: lag?.timestamps.at(-1) });
    const key = region.replace(/[^A-Za-z0-9_-]/g, '_');
    lagCols.push({ key, timestamps: lag?.timestamps ?? [], values: lag?.values ?? [] });
    rpoCols.push({ key, timestamps: rpo?.timestamps ?? [], values: rpo?.values ?? [] });
    meta.push({ key, label: `${region} / ${clusterId}`, instance: `${region} / ${clusterId}`, role: 'secondary', status: lag?.status ?? 'Complete', points: lag?.values.length ?? 0 });
  }
  const panel = (id: ChartPanel['id'], title: string, cols: typeof lagCols): ChartPanel => ({
    id,
    title,
    unit: 'ms',
    series: meta.map((s, k) => ({ ...s, points: cols[k]?.values.length ?? 0 })),
    ...toColumns(cols),
  });
  return {
    secondaries,
    panels: [panel('global-lag', 'Global replication lag', lagCols), panel('global-rpo', 'RPO lag (data at risk in a failover)', rpoCols)],
  };
}

/** Lag of every secondary of `db` over [start, end): one batch per secondary region, failures isolated. */
export async function getGlobalLag(db: Pick<GlobalDatabaseDTO, 'members'>, range: { start: number; end: number }, now = Date.now()): Promise<GlobalLagView> {
  const w = planWindow(range.start, range.end, now);
  const secondaries = db.members.filter((m) => m.role === 'secondary' && m.region && m.clusterId);
  const results = await Promise.all(
    secondaries.map(async (member) => {
      try {
        return { member, batch: await getMetricBatch(member.region!, secondaryLagQueries(member.clusterId!), w) };
      } catch (e) {
        const err = toAppError(e);
        return { member, error: { message: err.message, code: err.code } };
      }
    }),
  );
  return { window: w, ...shapeGlobalLag(results), fetchedAt: now };
}

/** The latest lag of the last 15 minutes per secondary (the on-call dialogs and the fleet list). */
export function getCurrentGlobalLag(db: Pick<GlobalDatabaseDTO, 'members'>, now = Date.now()): Promise<SecondaryLag[]> {
  return getGlobalLag(db, { start: now - 15 * 60_000, end: now }, now).then((v) => v.secondaries);
}
