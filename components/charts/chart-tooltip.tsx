'use client';
// The content of recharts' tooltip for a cluster chart: the moment in UTC, each series' exact value with
// its unit and the instance's role at that moment, events near it, and the pick hint.
import type { ChartPanel } from '@/lib/aws/metrics-views';
import type { ChartMarker } from '@/lib/aws/metrics-events';
import { roleAt } from '@/lib/aws/metrics-events';
import { formatTime as formatUtc } from '@/components/cluster/format';
import { formatExact, seriesColor } from './format';

/** Index of the time nearest `target` (times ascending); -1 for no times. */
export function nearestIndex(t: readonly number[], target: number): number {
  if (t.length === 0) return -1;
  let lo = 0;
  let hi = t.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(t[lo - 1] - target) <= Math.abs(t[lo] - target)) return lo - 1;
  return lo;
}

export interface ChartTooltipProps {
  panel: ChartPanel;
  markers: ChartMarker[];
  spanMs: number;
  pickHint?: string;
  palette?: Record<string, string>;
  /** Set by recharts. */
  active?: boolean;
  label?: number | string;
}

export function ChartTooltip({ panel, markers, spanMs, pickHint, palette, active, label }: ChartTooltipProps) {
  if (!active || label === undefined || label === null || panel.t.length === 0) return null;
  const index = nearestIndex(panel.t, Number(label));
  const at = panel.t[index];
  const near = markers.filter((m) => Math.abs(m.t - at) <= Math.max(60_000, spanMs / 200));
  const rows = panel.series.map((s, i) => ({
    s,
    color: seriesColor(s, i, palette),
    name: s.instance ?? s.label,
    role: s.instance ? roleAt(s.roles, at) : undefined,
    value: formatExact(panel.values[s.key]?.[index], panel.unit),
  }));
  return (
    <div
      data-testid="chart-tooltip"
      className="pointer-events-none max-w-xs rounded border border-zinc-300 bg-white p-2 text-xs text-zinc-900 shadow dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <div className="mb-1 font-medium">{formatUtc(new Date(at).toISOString())}</div>
      <ul>
        {rows.map(({ s, color, name, role, value }) => (
          <li key={s.key} className="flex justify-between gap-3">
            <span style={{ color }}>
              {name}
              {role ? <span className="text-zinc-500 dark:text-zinc-400"> ({role})</span> : null}
            </span>
            <span className="tabular-nums">{value}</span>
          </li>
        ))}
      </ul>
      {near.map((m) => (
        <div key={`${m.t}-${m.kind}-${m.source}`} className="mt-1 text-zinc-600 dark:text-zinc-300">
          ▲ {m.message}
        </div>
      ))}
      {pickHint ? <div className="mt-1 text-violet-700 dark:text-violet-300">{pickHint}</div> : null}
    </div>
  );
}
