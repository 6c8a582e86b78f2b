'use client';

import { useMemo } from 'react';
import { MetricChart } from '@/components/charts/metric-chart';
import { instancePalette } from '@/components/charts/format';
import type { ChartPanel } from '@/lib/aws/metrics-views';

/** The replication-lag and RPO-lag panels of a global database, one series per secondary region. */
export function GlobalLagCharts({ panels, window }: { panels: ChartPanel[]; window: { start: number; end: number } }) {
  const palette = useMemo(() => instancePalette(panels.flatMap((p) => p.series.flatMap((s) => (s.instance ? [s.instance] : [])))), [panels]);
  if (!panels.some((p) => p.series.length)) return <p className="text-sm text-zinc-600 dark:text-zinc-400">No secondary region yet: add one to see its replication lag.</p>;
  return (
    <div className="grid gap-3 lg:grid-cols-2">
      {panels.map((p) => (
        <MetricChart key={p.id} panel={p} markers={[]} window={window} palette={palette} />
      ))}
    </div>
  );
}
