'use client';
// The auto-refresh selector with what each choice costs: CloudWatch bills GetMetricData per metric
// requested, so every option shows the estimated monthly cost of leaving this page open with it, and the
// line beside it says what the current choice costs and why (metrics per refresh, background reads).
import { formatUsd, pageMonthlyCostUsd, type BackgroundMetricRead } from '@/lib/aws/metrics-cost';
import type { RefreshOption } from './use-auto-refresh';

export interface RefreshCost {
  /** Metrics requested by one refresh of this view (GetMetricData queries). */
  metricsPerRefresh: number;
  /** Reads the page keeps making whatever the choice (e.g. the on-call panel's replica lag). */
  background?: BackgroundMetricRead[];
}

export function RefreshSelect(props: {
  label?: string;
  value: number;
  options: readonly RefreshOption[];
  onChange: (ms: number) => void;
  cost?: RefreshCost;
}) {
  const { value, options, onChange, cost, label = 'Auto-refresh' } = props;
  const costOf = (ms: number) => (cost ? pageMonthlyCostUsd(cost.metricsPerRefresh, ms, cost.background) : 0);
  return (
    <span className="flex flex-wrap items-center gap-x-2 gap-y-0.5 text-sm">
      <label className="flex items-center gap-1">
        {label}
        <select value={value} onChange={(e) => onChange(Number(e.target.value))} className="rounded border border-zinc-300 bg-transparent px-1 py-0.5 dark:border-zinc-700">
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {cost ? `${o.label} · ≈ ${formatUsd(costOf(o.value))}/mo` : o.label}
            </option>
          ))}
        </select>
      </label>
      {cost ? (
        <span
          className="text-xs text-zinc-500"
          data-testid="refresh-cost"
          title={`CloudWatch GetMetricData: $0.01 per 1,000 metrics requested. One refresh requests ${cost.metricsPerRefresh.toLocaleString('en-US')} metrics; shared by every viewer of this page.`}
        >
          ≈ {formatUsd(costOf(value))}/month left open · {cost.metricsPerRefresh.toLocaleString('en-US')} metrics per refresh
        </span>
      ) : null}
    </span>
  );
}
