'use client';
// One chart panel: a recharts LineChart over server-shaped rows, event markers as ReferenceLines,
// tooltips with exact values, units and each instance's role at that moment. Animation is off, and
// dots are drawn only for sparse series (≤ 60 points): at the 1 h default (60-181 points per series)
// thousands of SVG circles cost seconds of main-thread time (bench: 6 panels × 16 series × 193 points).
import { memo, useCallback, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartPanel } from '@/lib/aws/metrics-views';
import type { ChartMarker } from '@/lib/aws/metrics-events';
import { roleAt } from '@/lib/aws/metrics-events';
import { formatExact, formatTime, formatValue, MARKER_COLORS, SERIES_COLORS } from './format';

export interface MetricChartProps {
  panel: ChartPanel;
  markers: ChartMarker[];
  window: { start: number; end: number };
  /** Called with the clicked moment (ms) when picking a backtrack time is enabled. */
  onPick?: (t: number) => void;
  pickHint?: string;
}

interface TipProps {
  active?: boolean;
  label?: number | string;
  payload?: { dataKey?: unknown; value?: unknown; color?: string }[];
  panel: ChartPanel;
  spanMs: number;
  markers: ChartMarker[];
  pickHint?: string;
}

function ChartTooltip({ active, label, payload, panel, spanMs, markers, pickHint }: TipProps) {
  if (!active || label === undefined || !payload?.length) return null;
  const t = Number(label);
  const near = markers.filter((m) => Math.abs(m.t - t) <= Math.max(60_000, spanMs / 200));
  return (
    <div className="rounded border border-zinc-300 bg-white p-2 text-xs shadow dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
      <div className="mb-1 font-medium">{new Date(t).toISOString().replace('T', ' ').slice(0, 19)} UTC</div>
      <ul>
        {panel.series.map((s) => {
          const p = payload.find((x) => x.dataKey === s.key);
          const role = s.instance ? roleAt(s.roles, t) : s.role;
          return (
            <li key={s.key} className="flex justify-between gap-3">
              <span style={{ color: p?.color }}>
                {s.instance ?? s.label}
                {s.instance ? <span className="text-zinc-500"> ({role})</span> : null}
              </span>
              <span className="tabular-nums">{formatExact(p?.value as number | null | undefined, panel.unit)}</span>
            </li>
          );
        })}
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

function MetricChartInner({ panel, markers, window: w, onPick, pickHint }: MetricChartProps) {
  const data = useMemo(() => panel.rows, [panel.rows]);
  const spanMs = w.end - w.start;
  const maxPoints = useMemo(() => Math.max(0, ...panel.series.map((s) => s.points)), [panel.series]);
  const showDots = maxPoints > 0 && maxPoints <= 60;
  const tickFormatter = useCallback((t: number) => formatTime(t, spanMs), [spanMs]);
  const yFormatter = useCallback((v: number) => formatValue(v, panel.unit), [panel.unit]);
  const handleClick = useCallback(
    (state: { activeLabel?: unknown; activeTooltipIndex?: unknown } | null) => {
      if (!onPick || !state) return;
      let t = Number(state.activeLabel);
      if (!Number.isFinite(t) && typeof state.activeTooltipIndex === 'number') t = data[state.activeTooltipIndex]?.t ?? NaN;
      if (Number.isFinite(t)) onPick(t);
    },
    [onPick, data],
  );
  const hasData = panel.series.some((s) => s.points > 0);
  const titleId = `chart-${panel.id}-title`;

  return (
    <section
      aria-labelledby={titleId}
      data-testid={`chart-${panel.id}`}
      data-points={maxPoints}
      className="rounded border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-950"
    >
      <h3 id={titleId} className="mb-2 text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {panel.title} <span className="font-normal text-zinc-500">({panel.unit})</span>
      </h3>
      {!hasData ? (
        <p className="flex h-44 items-center justify-center text-sm text-zinc-500" data-testid="chart-empty">
          No data points in this range{panel.id === 'lag' ? ' (a cluster without readers reports no replica lag)' : ''}.
        </p>
      ) : (
        <div className={`h-52 text-zinc-500 ${onPick ? 'cursor-crosshair' : ''}`}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 4 }} onClick={handleClick}>
              <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={[w.start, w.end]}
                tickFormatter={tickFormatter}
                stroke="currentColor"
                fontSize={11}
                minTickGap={40}
              />
              <YAxis tickFormatter={yFormatter} stroke="currentColor" fontSize={11} width={72} />
              <Tooltip content={<ChartTooltip panel={panel} spanMs={spanMs} markers={markers} pickHint={pickHint} />} isAnimationActive={false} />
              {markers.map((m) => (
                <ReferenceLine
                  key={`${m.t}-${m.kind}-${m.source}`}
                  x={m.t}
                  stroke={MARKER_COLORS[m.kind] ?? '#888'}
                  strokeDasharray="4 2"
                  ifOverflow="extendDomain"
                  className={`marker-${m.kind}`}
                  label={{ value: m.label, position: 'insideTopLeft', fontSize: 10, fill: MARKER_COLORS[m.kind] ?? '#888' }}
                />
              ))}
              {panel.series.map((s, i) => (
                <Line
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  type="linear"
                  stroke={s.aggregate ? '#dc2626' : SERIES_COLORS[i % SERIES_COLORS.length]}
                  strokeWidth={s.aggregate ? 2 : 1.5}
                  strokeDasharray={s.aggregate ? '6 3' : undefined}
                  dot={showDots ? { r: 2 } : false}
                  activeDot={{ r: 3 }}
                  isAnimationActive={false}
                  animationDuration={0}
                  connectNulls={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
      <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400" aria-label={`${panel.title} series`}>
        {panel.series.map((s, i) => (
          <li key={s.key} data-testid="series" data-series={s.instance ?? s.key} data-points={s.points} className="flex items-center gap-1">
            <span
              aria-hidden
              className="inline-block h-0.5 w-3"
              style={{ background: s.aggregate ? '#dc2626' : SERIES_COLORS[i % SERIES_COLORS.length] }}
            />
            {s.label}
            {s.status !== 'Complete' ? <span className="text-amber-700 dark:text-amber-400"> · {s.status}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export const MetricChart = memo(MetricChartInner);
export default MetricChart;
