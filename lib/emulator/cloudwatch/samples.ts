// The samples behind one metric in [start, end): simulated AWS/RDS series from the data plane plus
// the points stored by PutMetricData, optionally only those of one unit.
import { RDS_NAMESPACE, type MinuteSeries, type RdsSeriesResolver } from '../dataplane/metrics';
import { sampleSegments } from './statistics';
import type { Dimension, MetricStore, StoredPoint } from './store';

export function samples(
  store: MetricStore,
  resolver: RdsSeriesResolver,
  region: string,
  ns: string,
  name: string,
  dims: Dimension[],
  start: number,
  end: number,
  now: number,
  unit: string | undefined,
): { minutes?: MinuteSeries[]; stored: StoredPoint[]; unit?: string } {
  let minutes: MinuteSeries[] | undefined;
  if (ns === RDS_NAMESPACE) {
    minutes = [];
    for (const seg of sampleSegments(start, end, now)) {
      const m = resolver.series(name, dims, seg.t0, seg.n, seg.step);
      if (m && (unit === undefined || unit === m.unit)) minutes.push(m);
    }
  }
  let stored = store.points(region, ns, name, dims, start, end);
  if (unit !== undefined) stored = stored.filter((p) => (p.unit ?? 'None') === unit);
  return { minutes, stored, unit: minutes?.[0]?.unit ?? stored.find((p) => p.unit)?.unit ?? undefined };
}
