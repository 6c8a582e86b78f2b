import 'server-only';
// Server component for the cluster page (rendered inside Suspense): parses the range from the URL,
// fetches the cluster's charts through the metric layer (one cached GetMetricData batch), and hands
// plain JSON to the client island. Bad ranges, vanished clusters and failing regions become a message
// in the charts' place; the rest of the page is unaffected.
import { getClusterMetrics } from '@/lib/aws/metrics';
import { getSession } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { nowMs, parseRange } from '@/lib/aws/metrics-period';
import { panelLagRead } from '@/lib/oncall/lag';
import { ClusterChartsLazy as ClusterCharts } from './cluster-charts-lazy';

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The range part of the query string, to poll the metrics route with the same range. */
export function rangeQueryOf(sp: SearchParams): string {
  const q = new URLSearchParams();
  for (const k of ['range', 'start', 'end']) {
    const v = first(sp[k]);
    if (v !== undefined) q.set(k, v);
  }
  return q.toString();
}

export default async function ClusterMetrics(props: { region: string; clusterId: string; searchParams: SearchParams }) {
  const { region, clusterId, searchParams } = props;
  const now = nowMs();
  const range = parseRange(searchParams, now);
  const rangeQuery = rangeQueryOf(searchParams);
  const key = `${region}/${clusterId}?${rangeQuery}`;
  // Picking a moment on a chart is offered only to those who may backtrack or restore to a point in time.
  const user = await getSession();
  const canBacktrack = !!user && can(user.role, 'cluster.backtrack');
  const canRestore = !!user && can(user.role, 'cluster.restore-to-time');
  if (!range.ok) {
    return (
      <ClusterCharts
        key={key}
        region={region}
        clusterId={clusterId}
        initial={{ ok: false, code: 'BAD_RANGE', error: `${range.error} The charts could not be drawn for this range.` }}
        rangeQuery={rangeQuery}
        activeRange="custom"
        canBacktrack={canBacktrack}
        canRestore={canRestore}
      />
    );
  }
  const data = await getClusterMetrics(region, clusterId, range, now);
  return (
    <ClusterCharts
      key={`${key}@${data.ok ? data.fetchedAt : 'err'}`}
      region={region}
      clusterId={clusterId}
      initial={data}
      rangeQuery={rangeQuery}
      activeRange={range.preset}
      canBacktrack={canBacktrack}
      canRestore={canRestore}
      rangeStart={range.start}
      rangeEnd={range.end}
      refreshBackground={data.ok ? [panelLagRead(data.readerCount)] : undefined}
    />
  );
}
