import 'server-only';
import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { cloudWatchClient } from '@/lib/aws/clients';
import { toAppError } from '@/lib/aws/errors';
import type { OncallCluster } from '@/lib/aws/failover';

export type FleetLag =
  | { ok: true; byCluster: Record<string, { worst: number | null; byInstance: Record<string, number | null> }> }
  | { ok: false; error: string };

/**
 * Current replica lag of every reader in a region: ONE GetMetricData call (AuroraReplicaLag, Maximum, last
 * 10 minutes at 60 s, latest point per reader), split at 500 queries. Any failure degrades to
 * { ok: false } so the on-call page still lists the clusters ("lag unavailable").
 */
export async function getLagForFleet(region: string, clusters: OncallCluster[]): Promise<FleetLag> {
  const readers = clusters.flatMap((c) => c.instances.filter((i) => !i.isWriter).map((i) => ({ cluster: c.id, instance: i.id })));
  const byCluster: Record<string, { worst: number | null; byInstance: Record<string, number | null> }> = {};
  for (const c of clusters) byCluster[c.id] = { worst: null, byInstance: {} };
  if (readers.length === 0) return { ok: true, byCluster };
  try {
    const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const start = new Date(end.getTime() - 10 * 60_000);
    for (let off = 0; off < readers.length; off += 500) {
      const batch = readers.slice(off, off + 500);
      const queries: MetricDataQuery[] = batch.map((r, i) => ({
        Id: `l${off + i}`,
        MetricStat: {
          Metric: { Namespace: 'AWS/RDS', MetricName: 'AuroraReplicaLag', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: r.instance }] },
          Period: 60,
          Stat: 'Maximum',
        },
      }));
      let token: string | undefined;
      do {
        const out = await cloudWatchClient(region).send(
          new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end, ScanBy: 'TimestampDescending', NextToken: token }),
        );
        for (const res of out.MetricDataResults ?? []) {
          const r = readers[Number(res.Id!.slice(1))];
          if (!r || r.instance in byCluster[r.cluster].byInstance) continue;
          const v = res.Values?.[0];
          byCluster[r.cluster].byInstance[r.instance] = v === undefined ? null : v;
        }
        token = out.NextToken;
      } while (token);
    }
    for (const c of Object.values(byCluster)) {
      const vals = Object.values(c.byInstance).filter((v): v is number => typeof v === 'number');
      c.worst = vals.length ? Math.max(...vals) : null;
    }
    return { ok: true, byCluster };
  } catch (e) {
    return { ok: false, error: toAppError(e).message };
  }
}
