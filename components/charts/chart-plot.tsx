'use client';
// The plot of one chart panel, drawn by recharts: a <LineChart> with value and time axes (ticks computed
// here once per data change), the grid, recharts' tooltip (exact values, units, each instance's role at that
// moment) and keyboard layer (arrow keys), and — when enabled — click, second tap or Enter to pick that
// moment for a backtrack. The series (recharts' <Curve>, gaps stay gaps) and the event markers (reference
// lines) are two custom layers inside the chart, placed with its scales (useXAxisScale/useYAxisScale) — the
// way recharts is extended with hooks.
//
// Kept fast (measured by `npm run bench`): every <Line>/<ReferenceLine> registers itself in the chart's
// store and each registration re-runs every subscriber, so a 16-series panel with 16 markers did ~32 of
// those passes (that was most of its draw time); the layers register nothing. Also: no animation, no dots
// on dense series, rows and every prop memoised so a re-render of the page does not redraw the chart, no
// syncId (it multiplies the work per hover), the legend is HTML outside the chart (recharts' <Legend>
// draws the chart twice). What moves while hovering — the tooltip, the cursor line, the dots at the moment —
// sits in compositor layers of its own (HTML over the plot, `will-change: transform`): drawn into the chart's
// SVG, every pointer move re-rasterised the page's tiles under it, dense lines and all (≈ 20 ms of raster per
// move on a CPU-rendered page, which delayed the next move).
import { memo, startTransition, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { Curve, Line, LineChart, Tooltip, XAxis, YAxis, useActiveTooltipLabel, usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';
import type { ChartPanel, SeriesMeta } from '@/lib/aws/metrics-views';
import type { ChartMarker } from '@/lib/aws/metrics-events';
import { timeTicks, valueAxis } from './axis-ticks';
import { extent, hasGaps, toRows } from './chart-data';
import { ChartTooltip, nearestIndex } from './chart-tooltip';
import { formatTick, formatTimeTick, MARKER_COLORS, PLOT_HEIGHT, seriesColor } from './format';
import { schedule } from './use-progressive-mount';

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

type LaidOutMarker = ReturnType<typeof markerLayout>[number];

/**
 * The event markers (failover, backtrack, readers added or removed, reboots) as reference lines at their
 * moment, in one recharts layer placed with the chart's x scale: each line from just above the plot to its
 * bottom and, where it fits, its label. One <ReferenceLine> per marker registered each in the chart's store
 * (16 readers added = 16 registrations, each re-running every subscriber of the chart).
 */
function MarkerLayer({ markers }: { markers: LaidOutMarker[] }) {
  const x = useXAxisScale();
  const area = usePlotArea();
  if (!x || !area || markers.length === 0) return null;
  return (
    <g className="recharts-layer chart-markers">
      {markers.map(({ m, showLabel, side }) => {
        const px = x(m.t) as number;
        const color = MARKER_COLORS[m.kind] ?? '#888';
        return (
          <g key={`${m.t}-${m.kind}-${m.source}`} data-testid="chart-marker" data-kind={m.kind} className={`chart-marker marker-${m.kind}`}>
            <line x1={px} x2={px} y1={area.y - 10} y2={area.y + area.height} stroke={color} strokeDasharray="4 2" />
            {showLabel ? (
              <text x={side === 'right' ? px + 3 : px - 3} y={area.y - 3} fontSize={10} fill={color} textAnchor={side === 'right' ? 'start' : 'end'}>
                {m.label}
              </text>
            ) : null}
          </g>
        );
      })}
    </g>
  );
}

/**
 * The grid at the ticks, as plain lines in the plot area: recharts' <CartesianGrid> works out the axes' ticks
 * again through its own selectors on every draw, though the positions are already known here.
 */
function GridLayer({ x, y }: { x: number[]; y: number[] }) {
  const area = usePlotArea();
  if (!area) return null;
  return (
    <g className="recharts-layer chart-grid" stroke="currentColor" strokeOpacity={0.15} strokeDasharray="3 3" aria-hidden>
      {y.map((v) => (
        <line key={`h${v}`} x1={area.x} x2={area.x + area.width} y1={v} y2={v} />
      ))}
      {x.map((v) => (
        <line key={`v${v}`} x1={v} x2={v} y1={area.y} y2={area.y + area.height} />
      ))}
    </g>
  );
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

let warmPlot = false;

function PlotInner({ panel, markers, window: w, title, onPick, pickHint, palette }: PlotProps) {
  const [boxRef, width] = useBoxWidth();
  // The page's first plot is drawn in two turns (./use-progressive-mount): the chart with its axes and grid,
  // then — at its next turn — the lines, markers, tooltip and hover layer. recharts registers each part in the
  // chart's store when it mounts and re-runs its selectors synchronously after that commit; the first panel
  // also compiles the chart code, and in one turn it was the page's longest task (88–137 ms). Later plots are
  // drawn in one turn: splitting them too cost a second pass of those selectors per panel.
  const [full, setFull] = useState(warmPlot);
  useEffect(() => {
    if (full || !boxRef.current || width === 0) return;
    warmPlot = true;
    return schedule(boxRef.current, () => startTransition(() => setFull(true)), panel.series.length);
  }, [full, boxRef, width, panel.series.length]);
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
        <GridLayer x={grid.x} y={grid.y} />
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
          allowDataOverflow
          ticks={axis.ticks}
          tickFormatter={formatY}
          width={Y_AXIS_WIDTH}
          tick={axisTick(formatY, 'y', plotRight)}
          axisLine={false}
          tickLine={false}
          interval={0}
        />
        {full ? <MarkerLayer markers={laidOut} /> : null}
        {full ? <SeriesLayer series={panel.series} rows={rows} times={panel.t} palette={palette} dots={showDots} lonely={lonely} activeDots={activeDots} host={boxRef} /> : null}
        {/* recharts shows its tooltip only while some graphical item has a value at the cursor: one invisible line
            of zeros is that item (the content is ours and reads every series from the rows). */}
        {full ? <Line dataKey={TOOLTIP_ANCHOR} name="tooltip" stroke="none" dot={false} activeDot={false} legendType="none" isAnimationActive={false} zIndex={0} /> : null}
        {full ? <Tooltip content={tooltip} isAnimationActive={false} cursor={false} wrapperStyle={TOOLTIP_WRAPPER} /> : null}
        {full ? <ActiveProbe intoRef={active} /> : null}
      </LineChart>
    );
  }, [width, plotLeft, plotRight, grid, rows, panel.t, xTicks, formatX, axis, formatY, laidOut, panel.series, activeDots, palette, showDots, lonely, tooltip, title, w.start, w.end, onPick, boxRef, full]);

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

type Row = Record<string, number | null>;

const TOOLTIP_ANCHOR = () => 0;

/** The tooltip box in a layer of its own: moving it or changing its text repaints the box, not the chart. */
const TOOLTIP_WRAPPER = { zIndex: 10, outline: 'none', willChange: 'transform' } as const;

interface SeriesLayerProps {
  series: SeriesMeta[];
  rows: Row[];
  /** The rows' times (the panel's `t`), ascending. */
  times: readonly number[];
  palette?: Record<string, string>;
  /** A dot on every sample (sparse series). */
  dots: boolean;
  /** Series with a sample alone between gaps: a dot there, or it would not show at all. */
  lonely: Set<string>;
  /** A dot per series at the moment under the cursor. */
  activeDots: boolean;
  /** The plot's box: the hover layer (cursor line, dots) is drawn into it as HTML. */
  host: RefObject<HTMLDivElement | null>;
}

/**
 * Every series of the panel in one recharts layer: recharts' own <Curve> for each line (linear, gaps kept as
 * gaps), placed with the chart's x and y scales (useXAxisScale/useYAxisScale) and clipped to its plot area.
 * One <Line> per series registers each series in the chart's store, and every registration re-runs every
 * subscriber of the chart: with 16 series that alone was most of the time to draw a panel. The tooltip, cursor
 * and keyboard layer work from the chart's data (the rows), so they need no <Line>.
 */
function SeriesLayer({ series, rows, times, palette, dots, lonely, activeDots, host }: SeriesLayerProps) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const area = usePlotArea();
  const clipId = `clip-${useId().replace(/:/g, '')}`;
  const lines = useMemo(() => {
    if (!x || !y) return [];
    const px = rows.map((r) => x(r.t as number) as number);
    return series.map((s, i) => {
      const points = rows.map((r, j) => {
        const v = r[s.key];
        return { x: px[j], y: v == null ? null : (y(v) as number) };
      });
      const lone = dots || lonely.has(s.key) ? points.filter((p, j) => p.y !== null && (dots || (points[j - 1]?.y == null && points[j + 1]?.y == null))) : [];
      return { s, color: seriesColor(s, i, palette), points, lone };
    });
  }, [x, y, rows, series, palette, dots, lonely]);
  if (!area || lines.length === 0) return null;
  return (
    <g className="recharts-layer chart-series">
      <defs>
        <clipPath id={clipId}>
          <rect x={area.x} y={area.y - 2} width={area.width} height={area.height + 4} />
        </clipPath>
      </defs>
      <g clipPath={`url(#${clipId})`}>
        {lines.map(({ s, color, points, lone }) => (
          <g key={s.key}>
            <Curve
              type="linear"
              points={points}
              connectNulls={false}
              fill="none"
              stroke={color}
              strokeWidth={s.aggregate ? 2 : 1.5}
              strokeDasharray={s.aggregate ? '6 3' : undefined}
              strokeLinejoin="round"
              strokeLinecap="round"
              className="chart-line"
              data-line={s.instance ?? s.key}
            />
            {lone.map((p) => (
              <circle key={p.x} cx={p.x} cy={p.y!} r={2} fill={color} />
            ))}
          </g>
        ))}
      </g>
      <HoverLayer host={host} lines={activeDots ? lines : NO_LINES} times={times} />
    </g>
  );
}

type DrawnLine = { s: SeriesMeta; color: string; points: { x: number; y: number | null }[] };
const NO_LINES: DrawnLine[] = [];

/**
 * The cursor line and a dot on each line at the moment under recharts' cursor (mouse, touch or keyboard), as
 * HTML over the plot in a compositor layer of its own (portalled into the plot's box, whose corner is the
 * SVG's origin): a move changes this layer only. Rendered while the chart is, shown only when there is a moment.
 */
function HoverLayer({ host, lines, times }: { host: RefObject<HTMLDivElement | null>; lines: DrawnLine[]; times: readonly number[] }) {
  const label = useActiveTooltipLabel();
  const x = useXAxisScale();
  const area = usePlotArea();
  // Read during render on purpose: the chart (and so this layer) renders only once the box has been measured,
  // i.e. after it is mounted, so the element is there from this layer's first render on.
  const box = host.current;
  if (!box || !x || !area) return null;
  // The sample under the cursor, by the tooltip's own rule (a binary search, not a scan per pointer move).
  const i = label === undefined || label === null ? -1 : nearestIndex(times, Number(label));
  const at = i < 0 ? null : (x(times[i]) as number);
  return createPortal(
    <div aria-hidden data-testid="chart-hover" className="pointer-events-none absolute left-0 top-0" style={{ width: area.x + area.width + 4, height: area.y + area.height + 4, willChange: 'transform' }}>
      {at === null ? null : (
        <>
          <div className="chart-cursor absolute w-px bg-current opacity-60" style={{ left: 0, top: area.y, height: area.height, transform: `translateX(${Math.round(at)}px)` }} />
          {lines.map(({ s, color, points }) =>
            points[i]?.y == null ? null : (
              <span
                key={s.key}
                className="chart-active-dot absolute rounded-full border border-white"
                style={{ left: points[i].x - 3.5, top: points[i].y! - 3.5, width: 7, height: 7, background: color }}
              />
            ),
          )}
        </>
      )}
    </div>,
    box,
  );
}

export const Plot = memo(PlotInner);
