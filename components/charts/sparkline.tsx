// A tiny SVG sparkline (no chart library, no hooks): safe in server and client components and cheap
// enough for hundreds of rows. Points are [t, value] pairs, ascending.
import { extent, linearScale, seriesPath } from './chart-geometry';

export interface SparklineProps {
  points: [number, number][];
  width?: number;
  height?: number;
  /** Tailwind text colour class; the line uses currentColor. */
  className?: string;
  label: string;
  /** Draw a horizontal threshold line at this value (same unit as the points). */
  threshold?: number;
}

/** Scales of a sparkline box: time left to right, value from min(0, lowest) to max(yMax, highest). */
function sparklineScales(points: [number, number][], width: number, height: number, yMax?: number) {
  const t = points.map((p) => p[0]);
  const v = points.map((p) => p[1]);
  const [lo, hi] = extent([v]);
  const x = linearScale([t[0], t[t.length - 1]], [1, width - 1]);
  const y = linearScale([Math.min(0, lo), Math.max(yMax ?? 0, hi)], [height - 2, 2]);
  return { t, v, x, y };
}

export function Sparkline({ points, width = 120, height = 28, className = 'text-blue-600 dark:text-blue-400', label, threshold }: SparklineProps) {
  if (points.length === 0) {
    return (
      <span className="inline-block text-xs text-zinc-600 dark:text-zinc-400" style={{ width }} data-testid="sparkline-empty">
        <span className="sr-only">{label}: </span>no data
      </span>
    );
  }
  const max = Math.max(...points.map((p) => p[1]));
  const showThreshold = threshold !== undefined && threshold <= max * 1.5;
  const { t, v, x, y } = sparklineScales(points, width, height, showThreshold ? threshold : undefined);
  const d = seriesPath(t, v, x, y, true);
  const ty = showThreshold ? y(threshold!) : undefined;
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      data-testid="sparkline"
      data-points={points.length}
      className={className}
    >
      {ty !== undefined ? <line x1={0} x2={width} y1={ty} y2={ty} stroke="currentColor" strokeOpacity={0.3} strokeDasharray="2 2" /> : null}
      <path d={d} fill="none" stroke="currentColor" strokeWidth={1.25} vectorEffect="non-scaling-stroke" />
    </svg>
  );
}

export default Sparkline;
