'use client';
// The plot of one chart panel, drawn by recharts: one <Line> per series (gaps stay gaps), value and time
// axes with ticks computed here once per data change, event markers as <ReferenceLine>s, recharts'
// tooltip (exact values, units, each instance's role at that moment) and keyboard layer (arrow keys),
// and — when enabled — click, second tap or Enter to pick that moment for a backtrack.
//
// Kept fast (measured by `npm run bench`): no animation, no dots on dense series, rows and every prop
// memoised so a re-render of the page does not redraw the chart, no syncId (it multiplies the work per
// hover), the legend is HTML outside the chart (recharts' <Legend> draws the chart twice).
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent, type RefObject } from 'react';
import { CartesianGrid, Curve, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis, useActiveTooltipLabel, type CurveProps } from 'recharts';
import type { ChartPanel } from '@/lib/aws/metrics-views';
import type { ChartMarker } from '@/lib/aws/metrics-events';
import { timeTicks, valueAxis } from './axis-ticks';
import { extent, hasGaps, toRows } from './chart-data';
import { ChartTooltip, nearestIndex } from './chart-tooltip';
import { formatTick, formatTimeTick, MARKER_COLORS, PLOT_HEIGHT, seriesColor } from './format';

const MARGIN = { top: 14, right: 12, bottom: 0, left: 4 };
const Y_AXIS_WIDTH = 64;
const X_AXIS_HEIGHT = 22;
/** Dots are drawn only for sparse series: hundreds of circles per series cost more than they tell. */
const MAX_POINTS_WITH_DOTS = 60;
/** Hover dots only on panels with few series: with many, each move redraws a dot per series. */
const MAX_SERIES_WITH_ACTIVE_DOTS = 4;

export interface PlotProps {
  panel: ChartPanel;
  markers: ChartMarker[];
  window: { start: number; end: number };
  title: string;
  onPick?: (t: number) => void;
  pickHint?: string;
  palette?: Record<string, string>;
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

const ACTIVE_DOT = { r: 3, stroke: 'white', strokeWidth: 1 };

const MARKER_PRIORITY: Record<string, number> = { failover: 0, backtrack: 1, 'reader-removed': 2, 'reader-added': 3, reboot: 4 };

/**
 * Markers inside the window, with a label only where it does not run into another (≈ 5.5 px per
 * character at 10 px); a failover's label wins over a backtrack's, then reader changes, then reboots.
 * Every marker keeps its line, and its text is in the marker legend and the tooltip.
 */
function markerLayout(markers: ChartMarker[], w: { start: number; end: number }, left: number, right: number) {
  const px = (t: number) => left + ((t - w.start) / Math.max(1, w.end - w.start)) * (right - left);
  const placed: [number, number][] = [];
  const inside = markers.filter((m) => m.t >= w.start && m.t <= w.end).map((m) => ({ m, showLabel: false, side: 'right' as 'right' | 'left' }));
  for (const item of [...inside].sort((a, b) => (MARKER_PRIORITY[a.m.kind] ?? 9) - (MARKER_PRIORITY[b.m.kind] ?? 9) || a.m.t - b.m.t)) {
    const x = px(item.m.t);
    const size = 3 + item.m.label.length * 5.5 + 4;
    // Right of the line, or left of it near the right edge (a marker from a minute ago).
    for (const [side, from, to] of [['right', x, x + size], ['left', x - size, x]] as const) {
      if (to > right + MARGIN.right || from < left || placed.some(([a, b]) => from < b && to > a)) continue;
      placed.push([from, to]);
      item.showLabel = true;
      item.side = side;
      break;
    }
  }
  return inside;
}

/** The line of one series as a path the page (and its tests) can find: `path.chart-line[data-line]`. */
function lineShape(name: string) {
  return function ChartLineShape(props: CurveProps) {
    return <Curve {...props} className="chart-line" data-line={name} />;
  };
}

/** A marker's line (from above the plot to its bottom) and, where it fits, its label as plain SVG text. */
function markerShape(kind: string, label: string | null, color: string, side: 'right' | 'left') {
  return function ChartMarkerShape(props: React.SVGProps<SVGLineElement>) {
    const x = Number(props.x1);
    const top = Math.min(Number(props.y1), Number(props.y2));
    const bottom = Math.max(Number(props.y1), Number(props.y2));
    return (
      <g data-testid="chart-marker" data-kind={kind} className={`chart-marker marker-${kind}`}>
        <line {...props} y1={top - 10} y2={bottom} />
        {label ? (
          <text x={side === 'right' ? x + 3 : x - 3} y={top - 3} fontSize={10} fill={color} textAnchor={side === 'right' ? 'start' : 'end'}>
            {label}
          </text>
        ) : null}
      </g>
    );
  };
}

interface TickProps {
  x?: number | string;
  y?: number | string;
  payload?: { value: unknown };
}

/**
 * Axis labels as plain <text>: recharts' own <Text> measures every word in the DOM (a layout per tick,
 * per chart), which its word wrapping needs and these short labels do not.
 */
function axisTick(format: (v: number) => string, axis: 'x' | 'y', right: number) {
  return function AxisTick({ x: rawX = 0, y = 0, payload }: TickProps) {
    const v = Number(payload?.value ?? 0);
    const x = Number(rawX);
    if (axis === 'y') {
      return (
        <text x={x} y={y} dy="0.32em" textAnchor="end" fill="currentColor" fontSize={11}>
          {format(v)}
        </text>
      );
    }
    return (
      <text x={x} y={y} dy="0.9em" textAnchor={x > right - 30 ? 'end' : 'middle'} fill="currentColor" fontSize={11}>
        {format(v)}
      </text>
    );
  };
}

/** Keeps the moment recharts' cursor is on (mouse or keyboard) in a ref, without re-rendering the chart. */
function ActiveProbe({ intoRef }: { intoRef: RefObject<number | null> }) {
  const label = useActiveTooltipLabel();
  useEffect(() => {
    intoRef.current = label === undefined || label === null ? null : Number(label);
  }, [label, intoRef]);
  return null;
}

function PlotInner({ panel, markers, window: w, title, onPick, pickHint, palette }: PlotProps) {
  const [boxRef, width] = useBoxWidth();
  const activeDots = panel.series.length <= MAX_SERIES_WITH_ACTIVE_DOTS;
  const active = useRef<number | null>(null);
  const pointer = useRef<{ type: string; tapped: number | null }>({ type: 'mouse', tapped: null });
  const spanMs = w.end - w.start;
  const keys = useMemo(() => panel.series.map((s) => s.key), [panel.series]);
  const rows = useMemo(() => toRows(panel, keys), [panel, keys]);
  const gaps = useMemo(() => hasGaps(panel, keys), [panel, keys]);
  // Series with a sample alone between gaps: only those get a dot renderer (recharts calls it per sample).
  const lonely = useMemo(() => new Set(gaps ? keys.filter((k) => rows.some((r, i) => r[k] != null && rows[i - 1]?.[k] == null && rows[i + 1]?.[k] == null)) : []), [gaps, keys, rows]);
  const showDots = useMemo(() => Math.max(0, ...panel.series.map((s) => s.points)) <= MAX_POINTS_WITH_DOTS, [panel.series]);
  const axis = useMemo(() => {
    const [lo, hi] = extent(keys.map((k) => panel.values[k] ?? []));
    return valueAxis(lo, hi, 4, panel.unit === 'count' ? 1 : 0);
  }, [panel.values, keys, panel.unit]);
  const plotLeft = MARGIN.left + Y_AXIS_WIDTH;
  const plotRight = width - MARGIN.right;
  // Tick count from the width in 40 px steps: a resize of a few pixels does not recompute the ticks.
  // "13:00" is ~30 px at 11 px, "12-01 06:00" ~65 px: room for a label and a gap each.
  const tickSlots = Math.max(3, Math.floor((Math.floor(width / 40) * 40 - plotLeft - MARGIN.right) / (spanMs <= 26 * 3_600_000 ? 50 : 80)));
  const xTicks = useMemo(() => timeTicks(w.start, w.end, tickSlots), [w.start, w.end, tickSlots]);
  const formatX = useCallback((t: number) => formatTimeTick(t, spanMs), [spanMs]);
  const formatY = useCallback((v: number) => formatTick(v, panel.unit, axis.step), [panel.unit, axis.step]);
  const laidOut = useMemo(() => markerLayout(markers, w, plotLeft, plotRight), [markers, w, plotLeft, plotRight]);
  const tooltip = useMemo(
    () => <ChartTooltip panel={panel} markers={markers} spanMs={spanMs} pickHint={onPick ? pickHint : undefined} palette={palette} />,
    [panel, markers, spanMs, onPick, pickHint, palette],
  );

  /** The sample nearest the pointer, from the plot's geometry (the same nearest-sample rule as the tooltip). */
  const timeAt = useCallback(
    (clientX: number, box: DOMRect) => {
      const px = clientX - box.left;
      if (px < plotLeft - 4 || px > plotRight + 4 || panel.t.length === 0) return null;
      return panel.t[nearestIndex(panel.t, w.start + ((px - plotLeft) / Math.max(1, plotRight - plotLeft)) * spanMs)];
    },
    [plotLeft, plotRight, panel.t, w.start, spanMs],
  );
  const onPointerDown = useCallback((e: PointerEvent<HTMLDivElement>) => {
    pointer.current.type = e.pointerType;
  }, []);
  const onClick = useCallback(
    (e: MouseEvent<HTMLDivElement>) => {
      if (!onPick) return;
      const t = timeAt(e.clientX, e.currentTarget.getBoundingClientRect());
      if (t === null) return;
      // Touch and pen: the first tap shows the values, a second tap on the same moment picks it.
      if (pointer.current.type !== 'mouse' && pointer.current.tapped !== t) {
        pointer.current.tapped = t;
        return;
      }
      pointer.current.tapped = null;
      onPick(t);
    },
    [onPick, timeAt],
  );
  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      // Enter picks the moment under recharts' keyboard cursor (recharts would otherwise toggle its tooltip).
      if ((e.key === 'Enter' || e.key === ' ') && onPick && active.current !== null) {
        e.preventDefault();
        e.stopPropagation();
        onPick(active.current);
      }
    },
    [onPick],
  );

  // Grid lines at the ticks, in pixels: given explicitly, recharts does not work the ticks out again.
  const grid = useMemo(() => {
    const plotTop = MARGIN.top;
    const plotH = PLOT_HEIGHT - MARGIN.top - MARGIN.bottom - X_AXIS_HEIGHT;
    const [d0, d1] = axis.domain;
    return {
      x: xTicks.map((t) => plotLeft + ((t - w.start) / Math.max(1, spanMs)) * (plotRight - plotLeft)),
      y: axis.ticks.map((v) => plotTop + (1 - (v - d0) / (d1 - d0 || 1)) * plotH),
    };
  }, [xTicks, axis, plotLeft, plotRight, w.start, spanMs]);

  const chart = useMemo(() => {
    if (width < plotLeft + MARGIN.right + 20) return null;
    const label = `${title}: ${panel.series.length} series from ${new Date(w.start).toISOString().slice(0, 16).replace('T', ' ')} to ${new Date(w.end).toISOString().slice(0, 16).replace('T', ' ')} UTC. Arrow keys move the cursor${onPick ? ', Enter picks that moment for a backtrack' : ''}.`;
    return (
      <LineChart width={width} height={PLOT_HEIGHT} data={rows} margin={MARGIN} title={label} accessibilityLayer>
        <CartesianGrid stroke="currentColor" strokeOpacity={0.15} strokeDasharray="3 3" verticalPoints={grid.x} horizontalPoints={grid.y} />
        <XAxis
          dataKey="t"
          type="number"
          domain={[w.start, w.end]}
          ticks={xTicks}
          tickFormatter={formatX}
          allowDataOverflow
          height={X_AXIS_HEIGHT}
          tick={axisTick(formatX, 'x', plotRight)}
          stroke="currentColor"
          strokeOpacity={0.5}
          tickLine={false}
          interval={0}
        />
        <YAxis
          domain={axis.domain}
          ticks={axis.ticks}
          tickFormatter={formatY}
          width={Y_AXIS_WIDTH}
          tick={axisTick(formatY, 'y', plotRight)}
          axisLine={false}
          tickLine={false}
          interval={0}
        />
        {laidOut.map(({ m, showLabel, side }) => (
          <ReferenceLine
            key={`${m.t}-${m.kind}-${m.source}`}
            x={m.t}
            stroke={MARKER_COLORS[m.kind] ?? '#888'}
            strokeDasharray="4 2"
            ifOverflow="visible"
            shape={markerShape(m.kind, showLabel ? m.label : null, MARKER_COLORS[m.kind] ?? '#888', side)}
          />
        ))}
        {panel.series.map((s, i) => {
          const color = seriesColor(s, i, palette);
          return (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.instance ?? s.label}
              type="linear"
              stroke={color}
              strokeWidth={s.aggregate ? 2 : 1.5}
              strokeDasharray={s.aggregate ? '6 3' : undefined}
              strokeLinejoin="round"
              strokeLinecap="round"
              dot={showDots ? { r: 2, fill: color, strokeWidth: 0 } : gaps && lonely.has(s.key) ? loneDotsFor(rows, s.key, color) : false}
              activeDot={activeDots ? ACTIVE_DOT : false}
              connectNulls={false}
              isAnimationActive={false}
              shape={lineShape(s.instance ?? s.key)}
            />
          );
        })}
        <Tooltip content={tooltip} isAnimationActive={false} cursor={{ stroke: 'currentColor', strokeOpacity: 0.6 }} wrapperStyle={{ zIndex: 10, outline: 'none' }} />
        <ActiveProbe intoRef={active} />
      </LineChart>
    );
  }, [width, plotLeft, plotRight, grid, rows, xTicks, formatX, axis, formatY, laidOut, panel.series, activeDots, palette, showDots, gaps, lonely, tooltip, title, w.start, w.end, onPick]);

  return (
    // Pointer and key handlers wrap recharts' own: they read the pointer's position, not its state.
    <div
      ref={boxRef}
      className={`chart-plot relative min-w-0 text-zinc-500 [&_svg]:outline-none [&_.recharts-surface:focus-visible]:ring-2 [&_.recharts-surface:focus-visible]:ring-blue-500 ${onPick ? 'cursor-crosshair' : ''}`}
      style={{ height: PLOT_HEIGHT }}
      onPointerDown={onPointerDown}
      onClick={onClick}
      onKeyDownCapture={onKeyDown}
    >
      {chart}
    </div>
  );
}

/** Dots only for samples with a gap on both sides: as a line they would be invisible. */
function loneDotsFor(rows: Record<string, number | null>[], key: string, color: string) {
  return function LoneDot(p: { cx?: number; cy?: number; index?: number }) {
    const i = p.index ?? -1;
    const lone = rows[i]?.[key] != null && rows[i - 1]?.[key] == null && rows[i + 1]?.[key] == null;
    if (!lone || p.cx === undefined || p.cy === undefined) return <g key={`d${i}`} />;
    return <circle key={`d${i}`} cx={p.cx} cy={p.cy} r={2} fill={color} />;
  };
}

export const Plot = memo(PlotInner);
