// A tiny SVG sparkline (no chart library, no hooks): one <path> per row, safe in server and client
// components and cheap enough for hundreds of rows. Points are [t, value] pairs, ascending.
import { extent } from './chart-data';

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

const scale = (d0: number, d1: number, r0: number, r1: number) => {
  const k = d1 !== d0 ? (r1 - r0) / (d1 - d0) : 0;
  return (v: number) => r0 + (v - d0) * k;
};

/** Scales of a sparkline box: time left to right, value from min(0, lowest) to max(yMax, highest). */
function sparklineScales(points: [number, number][], width: number, height: number, yMax?: number) {
  const [lo, hi] = extent([points.map((p) => p[1])]);
  const x = scale(points[0][0], points[points.length - 1][0], 1, width - 1);
  const y = scale(Math.min(0, lo), Math.max(yMax ?? 0, hi), height - 2, 2);
  return { x, y };
}

/**
 * The path in whole pixels as relative moves ("l1-3"), skipping moves of zero: server-rendered sparklines
 * are hundreds per page and sent twice (HTML and RSC payload). A lone point becomes a dot (`h0`).
 */
export function sparklinePath(points: readonly [number, number | null][], x: (t: number) => number, y: (v: number) => number): string {
  let d = '';
  let run = 0;
  let px = 0;
  let py = 0;
  for (const [t, v] of points) {
    if (v === null || !Number.isFinite(v)) {
      if (run === 1) d += 'h0';
      run = 0;
      continue;
    }
    const xi = Math.round(x(t));
    const yi = Math.round(y(v));
    if (run === 0) d += `M${xi},${yi}`;
    else if (xi !== px || yi !== py) d += `l${xi - px}${yi - py < 0 ? '' : ','}${yi - py}`;
    px = xi;
    py = yi;
    run++;
  }
  if (run === 1) d += 'h0';
  return d;
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
  const { x, y } = sparklineScales(points, width, height, showThreshold ? threshold : undefined);
  const d = sparklinePath(points, x, y);
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
