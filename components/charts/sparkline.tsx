// A tiny SVG sparkline (no chart library, no hooks): safe in server and client components and cheap
// enough for hundreds of rows. Points are [t, value] pairs, ascending.

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

export function sparklinePath(points: [number, number][], width: number, height: number, yMax?: number): string {
  if (points.length === 0) return '';
  const t0 = points[0][0];
  const t1 = points[points.length - 1][0];
  const max = Math.max(yMax ?? 0, ...points.map((p) => p[1]));
  const min = Math.min(0, ...points.map((p) => p[1]));
  const sx = t1 > t0 ? (width - 2) / (t1 - t0) : 0;
  const sy = max > min ? (height - 4) / (max - min) : 0;
  let d = '';
  for (let i = 0; i < points.length; i++) {
    const x = 1 + (points[i][0] - t0) * sx;
    const y = height - 2 - (points[i][1] - min) * sy;
    d += `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
  }
  return d;
}

export function Sparkline({ points, width = 120, height = 28, className = 'text-blue-600 dark:text-blue-400', label, threshold }: SparklineProps) {
  if (points.length === 0) {
    return (
      <span className="inline-block text-xs text-zinc-400" style={{ width }} data-testid="sparkline-empty" aria-label={`${label}: no data`}>
        no data
      </span>
    );
  }
  const max = Math.max(...points.map((p) => p[1]));
  const showThreshold = threshold !== undefined && threshold <= max * 1.5;
  const yMax = showThreshold ? Math.max(max, threshold!) : undefined;
  const d = sparklinePath(points, width, height, yMax);
  let ty: number | undefined;
  if (showThreshold) {
    const min = Math.min(0, ...points.map((p) => p[1]));
    const top = Math.max(yMax!, max);
    ty = height - 2 - ((threshold! - min) * (height - 4)) / (top - min || 1);
  }
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
