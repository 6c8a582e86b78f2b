// Axis ticks computed once per data change and handed to recharts as explicit `ticks` (recharts' own tick
// search measures text and costs a layout pass per axis): "nice" value ticks, and time ticks on round UTC
// boundaries. Pure (no React, no DOM).

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
