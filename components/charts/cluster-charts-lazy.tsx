'use client';
// The cluster's chart island, loaded beside the page rather than in its first-load JS (like recharts itself,
// see ./metric-chart): the page hydrates — failover panel, forms, instance actions — without waiting for the
// charts' code, whose download starts with the page. Until it runs, a placeholder of the charts' height keeps
// the layout still.
import dynamic from 'next/dynamic';
import type { ClusterChartsProps } from './cluster-charts';
import { PLOT_HEIGHT } from './format';

function ChartsLoading() {
  return (
    <div data-testid="charts-loading" aria-busy="true" aria-label="Loading the charts" className="space-y-3">
      <div className="h-9 w-80 animate-pulse rounded bg-zinc-100 dark:bg-zinc-900" />
      <div className="grid gap-3 lg:grid-cols-2">
        {[0, 1].map((i) => (
          <div key={i} style={{ height: PLOT_HEIGHT + 70 }} className="animate-pulse rounded border border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900" />
        ))}
      </div>
    </div>
  );
}

export const ClusterChartsLazy = dynamic<ClusterChartsProps>(() => import('./cluster-charts').then((m) => m.ClusterCharts), { ssr: false, loading: ChartsLoading });
