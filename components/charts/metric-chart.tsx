'use client';
// One chart panel, drawn as plain SVG: one <path> per series, value and time axes, event markers, a
// hover/keyboard cursor with a tooltip (exact values, units, each instance's role at that moment) and,
// when enabled, click/Enter to pick that moment for a backtrack.
//
// Why not recharts: measured in Chromium on this machine, recharts 3.11 spends ≥ 50 ms per chart before
// drawing any line (6 panels with one line each: 340 ms) and 550–650 ms for the cluster page's 6 panels
// × 16 series; this component draws the same panels in a fraction of that (see `npm run bench`). The
// static layer is memoised, so moving the cursor re-renders only the cursor and the tooltip.
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent } from 'react';
import type { ChartPanel } from '@/lib/aws/metrics-views';
import type { ChartMarker } from '@/lib/aws/metrics-events';
import { roleAt } from '@/lib/aws/metrics-events';
import { extent, linearScale, nearestIndex, seriesPath, timeTicks, valueAxis, type LinearScale } from './chart-geometry';
import { formatTime as formatUtc } from '@/components/cluster/format';
import { formatExact, formatTick, formatTimeTick, MARKER_COLORS, SERIES_COLORS } from './format';

export interface MetricChartProps {
  panel: ChartPanel;
  markers: ChartMarker[];
  window: { start: number; end: number };
  /** Called with the chosen moment (ms) when picking a backtrack time is enabled. */
  onPick?: (t: number) => void;
  pickHint?: string;
  /** Colour per instance, the same in every panel of the page (default: by position in this panel). */
  palette?: Record<string, string>;
  /** Draw only this instance (plus the cluster aggregate); null/undefined draws every series. */
  only?: string | null;
  /** Called when a legend entry is clicked: isolate that instance (or undo, when it already is). */
  onIsolate?: (instance: string) => void;
}

const HEIGHT = 208;
const MARGIN = { top: 14, right: 12, bottom: 22, left: 68 };
/** Dots are drawn only for sparse series: hundreds of circles per series cost more than they tell. */
const MAX_POINTS_WITH_DOTS = 60;

const seriesColor = (s: { aggregate?: boolean; instance?: string }, i: number, palette?: Record<string, string>) =>
  s.aggregate ? '#dc2626' : ((s.instance ? palette?.[s.instance] : undefined) ?? SERIES_COLORS[i % SERIES_COLORS.length]);

const markerKey = (m: ChartMarker) => `${m.t}-${m.kind}-${m.source}`;

/** What the cursor reads at sample `index`, per series: the tooltip's rows and the screen-reader text. */
function readout(panel: ChartPanel, index: number) {
  const at = panel.t[index];
  return panel.series.map((s, i) => ({
    s,
    i,
    name: s.instance ?? s.label,
    role: s.instance ? roleAt(s.roles, at) : undefined,
    value: formatExact(panel.values[s.key]?.[index], panel.unit),
  }));
}

/** Width of the box, measured before the first paint and on every resize. */
function useBoxWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(Math.floor(el.getBoundingClientRect().width));
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      setWidth((prev) => (prev === w ? prev : w));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width] as const;
}

interface Geometry {
  width: number;
  x: LinearScale;
  y: LinearScale;
  yTicks: number[];
  yStep: number;
  xTicks: number[];
}

interface LayerProps {
  panel: ChartPanel;
  markers: ChartMarker[];
  geo: Geometry;
  spanMs: number;
  showDots: boolean;
  palette?: Record<string, string>;
}

const MARKER_PRIORITY: Record<string, number> = { failover: 0, backtrack: 1, 'reader-removed': 2, 'reader-added': 3, reboot: 4 };

/**
 * Markers inside the plot with a label only where it does not run into another (≈ 5.5 px per character at
 * 10 px); when labels collide, a failover's wins over a backtrack's, then reader changes, then reboots.
 * Every marker keeps its line, and its text is in the marker legend and the tooltip.
 */
function markerLayout(markers: ChartMarker[], x: LinearScale, left: number, right: number) {
  const placed: [number, number][] = [];
  const inside = markers.map((m) => ({ m, mx: x(m.t), showLabel: false })).filter(({ mx }) => mx >= left && mx <= right);
  for (const item of [...inside].sort((a, b) => (MARKER_PRIORITY[a.m.kind] ?? 9) - (MARKER_PRIORITY[b.m.kind] ?? 9) || a.m.t - b.m.t)) {
    const from = item.mx;
    const to = item.mx + 3 + item.m.label.length * 5.5 + 4;
    if (to > right + MARGIN.right || placed.some(([a, b]) => from < b && to > a)) continue;
    placed.push([from, to]);
    item.showLabel = true;
  }
  return inside;
}

/** Everything that does not move with the cursor: grid, axes, markers, lines. */
const StaticLayer = memo(function StaticLayer({ panel, markers, geo, spanMs, showDots, palette }: LayerProps) {
  const { x, y, xTicks, yTicks, width } = geo;
  const [left, right] = x.range;
  const [bottom, top] = y.range;
  return (
    <>
      <g className="chart-grid" stroke="currentColor" strokeOpacity={0.15} strokeDasharray="3 3">
        {yTicks.map((v) => (
          <line key={`y${v}`} x1={left} x2={right} y1={y(v)} y2={y(v)} />
        ))}
        {xTicks.map((t) => (
          <line key={`x${t}`} x1={x(t)} x2={x(t)} y1={top} y2={bottom} />
        ))}
      </g>
      <g className="chart-axis" fill="currentColor" fontSize={11}>
        {yTicks.map((v) => (
          <text key={`yl${v}`} x={left - 6} y={y(v)} dy="0.32em" textAnchor="end">
            {formatTick(v, panel.unit, geo.yStep)}
          </text>
        ))}
        {xTicks.map((t) => (
          <text key={`xl${t}`} x={x(t)} y={bottom + 15} textAnchor={x(t) > width - 40 ? 'end' : 'middle'}>
            {formatTimeTick(t, spanMs)}
          </text>
        ))}
        <line x1={left} x2={right} y1={bottom} y2={bottom} stroke="currentColor" strokeOpacity={0.5} />
      </g>
      {markerLayout(markers, x, left, right).map(({ m, mx, showLabel }) => {
        const color = MARKER_COLORS[m.kind] ?? '#888';
        return (
          <g key={markerKey(m)} data-testid="chart-marker" data-kind={m.kind} className={`chart-marker marker-${m.kind}`}>
            <line x1={mx} x2={mx} y1={top - 10} y2={bottom} stroke={color} strokeDasharray="4 2" />
            {showLabel ? (
              <text x={mx + 3} y={top - 3} fontSize={10} fill={color}>
                {m.label}
              </text>
            ) : null}
          </g>
        );
      })}
      <g className="chart-lines" fill="none" strokeLinejoin="round">
        {panel.series.map((s, i) => (
          <path
            key={s.key}
            strokeLinecap="round"
            className="chart-line"
            data-line={s.instance ?? s.key}
            d={seriesPath(panel.t, panel.values[s.key] ?? [], x, y)}
            stroke={seriesColor(s, i, palette)}
            strokeWidth={s.aggregate ? 2 : 1.5}
            strokeDasharray={s.aggregate ? '6 3' : undefined}
          />
        ))}
      </g>
      {showDots ? (
        <g className="chart-dots">
          {panel.series.map((s, i) =>
            (panel.values[s.key] ?? []).map((v, j) =>
              v === null || v === undefined ? null : <circle key={`${s.key}@${panel.t[j]}`} cx={x(panel.t[j])} cy={y(v)} r={2} fill={seriesColor(s, i, palette)} />,
            ),
          )}
        </g>
      ) : null}
    </>
  );
});

function Tooltip({ panel, index, markers, spanMs, pickHint, left, flip, palette }: { panel: ChartPanel; index: number; markers: ChartMarker[]; spanMs: number; pickHint?: string; left: number; flip: boolean; palette?: Record<string, string> }) {
  const at = panel.t[index];
  const near = markers.filter((m) => Math.abs(m.t - at) <= Math.max(60_000, spanMs / 200));
  return (
    <div
      data-testid="chart-tooltip"
      className="pointer-events-none absolute top-1 z-10 max-w-xs rounded border border-zinc-300 bg-white p-2 text-xs text-zinc-900 shadow dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      style={flip ? { right: `calc(100% - ${left - 12}px)` } : { left: left + 12 }}
    >
      <div className="mb-1 font-medium">{formatUtc(new Date(at).toISOString())}</div>
      <ul>
        {readout(panel, index).map(({ s, i, name, role, value }) => (
          <li key={s.key} className="flex justify-between gap-3">
            <span style={{ color: seriesColor(s, i, palette) }}>
              {name}
              {role ? <span className="text-zinc-500"> ({role})</span> : null}
            </span>
            <span className="tabular-nums">{value}</span>
          </li>
        ))}
      </ul>
      {near.map((m) => (
        <div key={markerKey(m)} className="mt-1 text-zinc-600 dark:text-zinc-300">
          ▲ {m.message}
        </div>
      ))}
      {pickHint ? <div className="mt-1 text-violet-700 dark:text-violet-300">{pickHint}</div> : null}
    </div>
  );
}

function Plot({ panel, markers, window: w, onPick, pickHint, title, palette }: MetricChartProps & { title: string }) {
  const [boxRef, width] = useBoxWidth();
  // The cursor is a moment, not a row index: after a refresh the same index may be another time (or gone).
  const [activeT, setActiveT] = useState<number | null>(null);
  const lastPointer = useRef<string>('mouse');
  const spanMs = w.end - w.start;
  const showDots = useMemo(() => Math.max(0, ...panel.series.map((s) => s.points)) <= MAX_POINTS_WITH_DOTS, [panel.series]);

  const valueRange = useMemo(() => extent(panel.series.map((s) => panel.values[s.key] ?? [])), [panel.values, panel.series]);
  const geo = useMemo<Geometry | null>(() => {
    if (width < MARGIN.left + MARGIN.right + 20) return null;
    const axis = valueAxis(valueRange[0], valueRange[1], 4, panel.unit === 'count' ? 1 : 0);
    const x = linearScale([w.start, w.end], [MARGIN.left, width - MARGIN.right]);
    const y = linearScale(axis.domain, [HEIGHT - MARGIN.bottom, MARGIN.top]);
    return {
      width,
      x,
      y,
      yTicks: axis.ticks,
      yStep: axis.step,
      xTicks: timeTicks(w.start, w.end, Math.max(2, Math.floor((width - MARGIN.left - MARGIN.right) / (spanMs <= 26 * 3_600_000 ? 60 : 80)))),
    };
  }, [width, valueRange, w.start, w.end, spanMs, panel.unit]);

  const activeIndex = activeT === null || panel.t.length === 0 ? null : nearestIndex(panel.t, activeT);

  const indexAt = useCallback(
    (e: PointerEvent<SVGSVGElement> | MouseEvent<SVGSVGElement>) => {
      if (!geo) return null;
      const px = e.clientX - e.currentTarget.getBoundingClientRect().left;
      if (px < geo.x.range[0] - 4 || px > geo.x.range[1] + 4) return null;
      const i = nearestIndex(panel.t, geo.x.invert(px));
      return i < 0 ? null : i;
    },
    [geo, panel.t],
  );
  const show = useCallback((i: number | null) => setActiveT(i === null ? null : panel.t[i]), [panel.t]);
  const onMove = useCallback(
    (e: PointerEvent<SVGSVGElement>) => {
      lastPointer.current = e.pointerType;
      if (e.pointerType === 'mouse' || e.buttons) show(indexAt(e));
    },
    [indexAt, show],
  );
  const onDown = useCallback((e: PointerEvent<SVGSVGElement>) => {
    lastPointer.current = e.pointerType;
  }, []);
  const onClick = useCallback(
    (e: MouseEvent<SVGSVGElement>) => {
      const i = indexAt(e);
      if (i === null) return;
      show(i);
      // Touch and pen: the first tap shows the values, a second tap on the same moment picks it.
      if (lastPointer.current !== 'mouse' && activeIndex !== i) return;
      if (onPick) onPick(panel.t[i]);
    },
    [indexAt, onPick, panel.t, activeIndex, show],
  );
  const onKey = useCallback(
    (e: KeyboardEvent<SVGSVGElement>) => {
      const last = panel.t.length - 1;
      if (last < 0) return;
      let next: number | null;
      if (e.key === 'ArrowLeft') next = activeIndex === null ? last : Math.max(0, activeIndex - 1);
      else if (e.key === 'ArrowRight') next = activeIndex === null ? last : Math.min(last, activeIndex + 1);
      else if (e.key === 'Home') next = 0;
      else if (e.key === 'End') next = last;
      else if (e.key === 'Escape') next = null;
      else if ((e.key === 'Enter' || e.key === ' ') && onPick && activeIndex !== null) {
        e.preventDefault();
        onPick(panel.t[activeIndex]);
        return;
      } else return;
      e.preventDefault();
      show(next);
    },
    [activeIndex, onPick, panel.t, show],
  );

  const at = activeIndex !== null ? panel.t[activeIndex] : undefined;
  const cx = at !== undefined && geo ? geo.x(at) : 0;
  const label = `${title}: ${panel.series.length} series from ${new Date(w.start).toISOString().slice(0, 16).replace('T', ' ')} to ${new Date(w.end).toISOString().slice(0, 16).replace('T', ' ')} UTC. Arrow keys move the cursor${onPick ? ', Enter picks that moment for a backtrack' : ''}.`;
  const spoken =
    activeIndex !== null
      ? `${formatUtc(new Date(panel.t[activeIndex]).toISOString())}: ${readout(panel, activeIndex)
          .map(({ name, role, value }) => `${name}${role ? ` (${role})` : ''} ${value}`)
          .join('; ')}`
      : '';

  return (
    <div ref={boxRef} className={`chart-plot relative min-w-0 text-zinc-500 ${onPick ? 'cursor-crosshair' : ''}`} style={{ height: HEIGHT }}>
      {geo ? (
        <svg
          width={width}
          height={HEIGHT}
          role="application"
          aria-roledescription="chart"
          aria-label={label}
          tabIndex={0}
          className="block outline-none focus-visible:ring-2 focus-visible:ring-blue-500"
          onPointerMove={onMove}
          onPointerDown={onDown}
          onPointerLeave={(e) => {
            // A finger lifting fires pointerleave: keep a tapped tooltip until the next tap elsewhere.
            if (e.pointerType === 'mouse') show(null);
          }}
          onClick={onClick}
          onKeyDown={onKey}
          onBlur={() => {
            if (lastPointer.current === 'mouse') show(null);
          }}
        >
          <StaticLayer panel={panel} markers={markers} geo={geo} spanMs={spanMs} showDots={showDots} palette={palette} />
          {at !== undefined ? (
            <g className="chart-cursor" pointerEvents="none">
              <line x1={cx} x2={cx} y1={geo.y.range[1]} y2={geo.y.range[0]} stroke="currentColor" strokeOpacity={0.6} />
              {panel.series.map((s, i) => {
                const v = panel.values[s.key]?.[activeIndex!];
                return v === null || v === undefined ? null : <circle key={s.key} cx={cx} cy={geo.y(v)} r={3} fill={seriesColor(s, i, palette)} stroke="white" strokeWidth={1} />;
              })}
            </g>
          ) : null}
        </svg>
      ) : null}
      {at !== undefined && geo ? <Tooltip panel={panel} index={activeIndex!} markers={markers} spanMs={spanMs} pickHint={onPick ? pickHint : undefined} left={cx} flip={cx > width / 2} palette={palette} /> : null}
      <p className="sr-only" aria-live="polite">
        {spoken}
      </p>
    </div>
  );
}

function MetricChartInner(props: MetricChartProps) {
  const { panel, palette, only, onIsolate } = props;
  const maxPoints = useMemo(() => Math.max(0, ...panel.series.map((s) => s.points)), [panel.series]);
  const hasData = maxPoints > 0;
  const titleId = `chart-${panel.id}-title`;
  // Isolating an instance hides the others' lines (the aggregate stays); colours come from the palette,
  // so a line keeps its colour whether it is drawn alone or with the rest.
  const drawn = useMemo(() => (only ? { ...panel, series: panel.series.filter((s) => !s.instance || s.instance === only) } : panel), [panel, only]);

  return (
    <section
      aria-labelledby={titleId}
      data-testid={`chart-${panel.id}`}
      data-points={maxPoints}
      className="min-w-0 rounded border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-950"
    >
      <h3 id={titleId} className="mb-2 text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {panel.title} <span className="font-normal text-zinc-500">({panel.unit})</span>
      </h3>
      {!hasData ? (
        <p className="flex h-44 items-center justify-center text-sm text-zinc-500" data-testid="chart-empty">
          No data points in this range{panel.id === 'lag' ? ' (a cluster without readers reports no replica lag)' : ''}.
        </p>
      ) : (
        <Plot {...props} panel={drawn} title={panel.title} />
      )}
      <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400" aria-label={`${panel.title} series`}>
        {panel.series.map((s, i) => {
          const swatch = <span aria-hidden className="inline-block h-0.5 w-3" style={{ background: seriesColor(s, i, palette) }} />;
          const dimmed = !!only && !!s.instance && s.instance !== only;
          return (
            <li key={s.key} data-testid="series" data-series={s.instance ?? s.key} data-points={s.points} className={`flex items-center gap-1 ${dimmed ? 'opacity-50' : ''}`}>
              {onIsolate && s.instance ? (
                <button
                  type="button"
                  className="flex items-center gap-1 rounded px-0.5 hover:underline focus-visible:ring-2 focus-visible:ring-blue-500"
                  aria-pressed={only === s.instance}
                  title={only === s.instance ? 'Show every instance again' : `Show only ${s.instance} in every chart`}
                  onClick={() => onIsolate(s.instance!)}
                >
                  {swatch}
                  {s.label}
                </button>
              ) : (
                <>
                  {swatch}
                  {s.label}
                </>
              )}
              {s.status !== 'Complete' ? <span className="text-amber-700 dark:text-amber-400"> · {s.status}</span> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export const MetricChart = memo(MetricChartInner);
export default MetricChart;
