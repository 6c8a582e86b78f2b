'use client';
// One chart panel: title, the recharts plot (./chart-plot, mounted in its turn — ./use-progressive-mount),
// and the legend as plain HTML beside it (click an instance to show only it in every chart). A panel
// without data, or one whose series CloudWatch could not deliver, says so in the chart's place.
import { memo, useEffect, useMemo, useRef, useState, type ComponentType } from 'react';
import type { ChartPanel } from '@/lib/aws/metrics-views';
import type { ChartMarker } from '@/lib/aws/metrics-events';
import type { PlotProps } from './chart-plot';
import { PLOT_HEIGHT, seriesColor } from './format';
import { FRAME_WEIGHT, useProgressive } from './use-progressive-mount';

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

// recharts is loaded beside the page, not in its first-load JS: the page hydrates (buttons, forms, the
// failover panel) without waiting for the chart library, whose download starts as soon as this module runs.
// Not React.lazy under <Suspense>: React throttles the reveal of suspended content (≈ 300 ms), which held back
// the last panels of a page long after their turn. A panel waits for the module, then takes its turn.
type PlotComponent = ComponentType<PlotProps>;
let loadedPlot: PlotComponent | null = null;
const plotModule: Promise<PlotComponent> | null =
  typeof window === 'undefined'
    ? null
    : import('./chart-plot').then((mod) => {
        loadedPlot = mod.Plot;
        return mod.Plot;
      });

/** Whether the plot's module is here (re-renders once when it arrives). */
function usePlotReady(): boolean {
  const [ready, setReady] = useState(loadedPlot !== null);
  useEffect(() => {
    if (ready || !plotModule) return;
    let live = true;
    plotModule.then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, [ready]);
  return ready;
}

/** The loaded plot (render only once usePlotReady() is true). */
function LoadedPlot(props: PlotProps) {
  const P = loadedPlot;
  return P ? <P {...props} /> : null;
}

/** Why a panel has nothing to draw, in words a person can act on. */
function emptyText(panel: ChartPanel): string {
  const failed = panel.series.filter((s) => s.status !== 'Complete');
  if (failed.length && failed.length === panel.series.length) {
    return `CloudWatch did not return this chart's data (${[...new Set(failed.map((s) => s.status))].join(', ')}). The other charts are unaffected; refresh to try again.`;
  }
  return `No data points in this range${panel.id === 'lag' ? ' (a cluster without readers reports no replica lag)' : ''}.`;
}

const pending = <div data-testid="chart-pending" aria-hidden style={{ height: PLOT_HEIGHT }} className="animate-pulse rounded bg-zinc-50 dark:bg-zinc-900" />;

function MetricChartInner(props: MetricChartProps) {
  const { panel, palette, only, onIsolate } = props;
  const maxPoints = useMemo(() => Math.max(0, ...panel.series.map((s) => s.points)), [panel.series]);
  const hasData = maxPoints > 0;
  const titleId = `chart-${panel.id}-title`;
  const slot = useRef<HTMLDivElement>(null);
  const { markers, window: w, onPick, pickHint } = props;
  // Isolating an instance hides the others' lines (the aggregate stays); colours come from the palette,
  // so a line keeps its colour whether it is drawn alone or with the rest.
  const drawn = useMemo(
    () => ({ panel: only ? { ...panel, series: panel.series.filter((s) => !s.instance || s.instance === only) } : panel, markers, window: w, onPick, pickHint, palette }),
    [panel, only, markers, w, onPick, pickHint, palette],
  );
  const ready = usePlotReady();
  // Its turn mounts the plot's frame (chart, axes, grid); the plot takes a second turn for its lines.
  const shown = useProgressive(slot, hasData && ready ? drawn : null, drawn.panel.series.length + FRAME_WEIGHT);

  return (
    <section
      aria-labelledby={titleId}
      data-testid={`chart-${panel.id}`}
      data-points={maxPoints}
      className="min-w-0 rounded border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-950"
    >
      <h3 id={titleId} className="mb-2 text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {panel.title} <span className="font-normal text-zinc-500 dark:text-zinc-400">({panel.unit})</span>
      </h3>
      {!hasData ? (
        <p className="flex h-44 items-center justify-center px-4 text-center text-sm text-zinc-600 dark:text-zinc-400" data-testid="chart-empty">
          {emptyText(panel)}
        </p>
      ) : (
        <div ref={slot} style={{ minHeight: PLOT_HEIGHT }}>
          {shown ? <LoadedPlot {...shown} title={panel.title} /> : pending}
        </div>
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
