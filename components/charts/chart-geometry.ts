// Pure geometry for the hand-drawn SVG charts (no React, no DOM): linear scales, "nice" value ticks,
// time ticks on round UTC boundaries, one SVG path string per series (gaps break the line), and the
// nearest sample to a pointer position. Shared by the cluster chart panels and the fleet sparklines.

export interface LinearScale {
  (v: number): number;
  domain: [number, number];
  range: [number, number];
  invert(px: number): number;
}

export function linearScale(domain: [number, number], range: [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 !== d0 ? (r1 - r0) / (d1 - d0) : 0;
  const f = ((v: number) => r0 + (v - d0) * k) as LinearScale;
  f.domain = domain;
  f.range = range;
  f.invert = (px: number) => (k === 0 ? d0 : d0 + (px - r0) / k);
  return f;
}

/** The smallest 1/2/2.5/5 × 10ⁿ step that splits `span` into at most `count` intervals. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !(count > 0)) return 1;
  const raw = span / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/**
 * Value axis: a domain widened to whole steps (always including 0 for non-negative data, as a lag or
 * throughput chart should) and the ticks on it. A flat or empty series still gets a usable axis.
 * `minStep` keeps whole-number units (connections) from getting fractional ticks.
 */
export function valueAxis(min: number, max: number, count = 4, minStep = 0): { domain: [number, number]; ticks: number[]; step: number } {
  let lo = Math.min(0, Number.isFinite(min) ? min : 0);
  let hi = Number.isFinite(max) ? max : 1;
  if (hi <= lo) hi = lo + 1;
  const step = Math.max(niceStep(hi - lo, count), minStep);
  lo = Math.floor(lo / step + 1e-9) * step;
  hi = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return { domain: [lo, hi], ticks, step };
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const TIME_STEPS = [MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY];

/** Time ticks on round UTC boundaries, at most `maxTicks` of them inside [start, end]. */
export function timeTicks(start: number, end: number, maxTicks: number): number[] {
  if (!(end > start) || maxTicks < 1) return [];
  const span = end - start;
  // n ticks fit when the span holds at most n - 1 whole steps (a tick can sit on both ends).
  const step = TIME_STEPS.find((s) => Math.floor(span / s) + 1 <= maxTicks) ?? Math.ceil(span / Math.max(1, maxTicks - 1) / DAY) * DAY;
  const out: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) out.push(t);
  return out;
}

/** One series' values, aligned with its panel's times; null (or a non-finite number) is a gap. */
export type Column = readonly (number | null | undefined)[];

/**
 * One path for one series: "M x,y L x,y …", starting a new sub-path after a missing sample (CloudWatch
 * reports no datapoint rather than zero, and a gap must not be drawn as a line). Coordinates are rounded
 * to 0.1 px: the string stays short and the line is indistinguishable at screen resolution. A sample
 * with gaps on both sides becomes a zero-length segment (`h0`) so a round line cap shows it as a dot.
 *
 * `compact` (server-rendered sparklines, hundreds per page, sent twice: HTML and RSC payload): whole
 * pixels as relative moves ("l1-3"), skipping moves of zero, about half the characters of the default.
 */
export function seriesPath(t: readonly number[], values: Column, x: (t: number) => number, y: (v: number) => number, compact = false): string {
  let d = '';
  let run = 0; // points in the current sub-path
  let px = 0;
  let py = 0;
  for (let i = 0; i < t.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      if (run === 1) d += 'h0';
      run = 0;
      continue;
    }
    if (compact) {
      const xi = Math.round(x(t[i]));
      const yi = Math.round(y(v));
      if (run === 0) d += `M${xi},${yi}`;
      else if (xi !== px || yi !== py) d += `l${xi - px}${yi - py < 0 ? '' : ','}${yi - py}`;
      px = xi;
      py = yi;
    } else d += `${run ? 'L' : 'M'}${Math.round(x(t[i]) * 10) / 10},${Math.round(y(v) * 10) / 10}`;
    run++;
  }
  if (run === 1) d += 'h0';
  return d;
}

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

/** Lowest and highest finite value over the given columns. */
export function extent(columns: readonly Column[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const col of columns)
    for (const v of col) {
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  return [lo, hi];
}
