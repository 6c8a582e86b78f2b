// CloudWatch statistics: period buckets over samples, the statistics (Average, Minimum, Maximum, Sum,
// SampleCount, pNN percentiles) and CloudWatch's retention and StartTime rounding. Pure functions over
// samples; handlers validate the wire input.
import type { MinuteSeries } from '../dataplane/metrics';
import type { StoredPoint } from './store';

export const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export type Stat =
  | { kind: 'Average' | 'Minimum' | 'Maximum' | 'Sum' | 'SampleCount' }
  | { kind: 'percentile'; p: number; name: string };

const SIMPLE = new Set(['Average', 'Minimum', 'Maximum', 'Sum', 'SampleCount']);

/** Parses `Average` … `SampleCount` and `pNN`, `pNN.N`, `pNN.NN` (0 ≤ NN ≤ 100). */
export function parseStat(s: string): Stat | undefined {
  if (SIMPLE.has(s)) return { kind: s as 'Average' };
  const m = /^p(\d{1,3}(?:\.\d{1,2})?)$/.exec(s);
  if (!m) return undefined;
  const p = Number(m[1]);
  if (!(p >= 0 && p <= 100)) return undefined;
  return { kind: 'percentile', p, name: s };
}

export interface SampleSegment {
  t0: number;
  n: number;
  step: number;
}

/**
 * Where simulated samples are taken for [start, end) (capped at `now`), following CloudWatch's own
 * retention: every minute for the last 15 days, every 5 minutes for 15–63 days, every hour before
 * that (each sample then stands for 5 or 60 one-minute samples). A year of history costs ~43,000
 * samples per series instead of 525,600.
 */
export function sampleSegments(start: number, end: number, now: number): SampleSegment[] {
  const last = Math.min(end - 1, now);
  const b63 = Math.floor((now - 63 * DAY) / HOUR) * HOUR;
  const b15 = Math.floor((now - 15 * DAY) / (5 * MINUTE)) * 5 * MINUTE;
  const out: SampleSegment[] = [];
  const add = (from: number, to: number, step: number) => {
    // sample times t0 + i·step within [from, to]
    const t0 = Math.ceil(from / step) * step;
    if (to < t0) return;
    out.push({ t0, n: Math.floor((to - t0) / step) + 1, step });
  };
  if (start < b63) add(start, Math.min(last, b63 - 1), HOUR);
  if (last >= b63 && start < b15) add(Math.max(start, b63), Math.min(last, b15 - 1), 5 * MINUTE);
  if (last >= b15) add(Math.max(start, b15), last, MINUTE);
  return out;
}

export function isHighResPeriod(p: number): boolean {
  return p === 1 || p === 5 || p === 10 || p === 20 || p === 30;
}

/** StartTime rounding (CloudWatch API reference, GetMetricData): to the minute when under 15 days old, 5 minutes at 15–63 days, the hour when older. */
export function roundStart(start: number, now: number): number {
  const age = now - start;
  const unit = age > 63 * DAY ? HOUR : age > 15 * DAY ? 5 * MINUTE : MINUTE;
  return Math.floor(start / unit) * unit;
}

/** Whether a bucket starting at `t` with this period is still retained: periods under a minute for 3 hours, other periods 15 days, multiples of 5 minutes 63 days, multiples of an hour 455 days. */
export function retained(t: number, period: number, now: number): boolean {
  const age = now - t;
  if (age > 455 * DAY) return false;
  if (period < 60) return age <= 3 * HOUR;
  if (period % 3600 === 0) return true;
  if (period % 300 === 0) return age <= 63 * DAY;
  return age <= 15 * DAY;
}

export interface Series {
  /** ascending, ms */
  ts: number[];
  values: number[];
}

export interface AggregateInput {
  start: number;
  end: number;
  /** seconds */
  period: number;
  stats: Stat[];
  now: number;
  minutes?: MinuteSeries | MinuteSeries[];
  stored?: StoredPoint[];
}

export interface Bucket {
  t: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  values?: number[];
}

/** Groups samples into period buckets [start + k·period, …) with start ≤ t < end; keeps retained, non-empty ones. */
export function aggregateBuckets(inp: AggregateInput): Bucket[] {
  const { start, end, now } = inp;
  const pms = inp.period * 1000;
  const nb = Math.max(0, Math.ceil((end - start) / pms));
  const needValues = inp.stats.some((s) => s.kind === 'percentile');
  const count = new Float64Array(nb);
  const sum = new Float64Array(nb);
  const min = new Float64Array(nb).fill(Infinity);
  const max = new Float64Array(nb).fill(-Infinity);
  const values: number[][] | undefined = needValues ? [] : undefined;
  const segs = inp.minutes === undefined ? [] : Array.isArray(inp.minutes) ? inp.minutes : [inp.minutes];
  for (const m of segs) {
    // A sample taken every `step` stands for step/60 s one-minute samples (rolled-up history).
    const w = m.step / MINUTE;
    for (const src of m.sources) {
      for (let i = 0; i < m.n; i++) {
        const v = src[i];
        if (v !== v) continue;
        const t = m.t0 + i * m.step;
        if (t < start || t >= end) continue;
        const b = ((t - start) / pms) | 0;
        count[b] += w;
        sum[b] += v * w;
        if (v < min[b]) min[b] = v;
        if (v > max[b]) max[b] = v;
        if (values) (values[b] ??= []).push(v);
      }
    }
  }
  for (const p of inp.stored ?? []) {
    if (p.ts < start || p.ts >= end) continue;
    const b = Math.floor((p.ts - start) / pms);
    count[b] += p.count;
    sum[b] += p.sum;
    if (p.min < min[b]) min[b] = p.min;
    if (p.max > max[b]) max[b] = p.max;
    if (values) {
      const arr = (values[b] ??= []);
      if (p.values) for (const v of p.values) for (let c = 0; c < Math.max(1, Math.round(p.count)); c++) arr.push(v);
      else arr.push(p.sum / p.count);
    }
  }
  const out: Bucket[] = [];
  for (let b = 0; b < nb; b++) {
    if (count[b] === 0) continue;
    const t = start + b * pms;
    if (!retained(t, inp.period, now)) continue;
    out.push({ t, count: count[b], sum: sum[b], min: min[b], max: max[b], values: values?.[b] });
  }
  return out;
}

export function statValue(b: Bucket, stat: Stat): number {
  switch (stat.kind) {
    case 'Average':
      return b.sum / b.count;
    case 'Minimum':
      return b.min;
    case 'Maximum':
      return b.max;
    case 'Sum':
      return b.sum;
    case 'SampleCount':
      return b.count;
    case 'percentile':
      return percentile(b.values ?? [], stat.p);
  }
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = values.length > 1 ? [...values].sort((a, b) => a - b) : values;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** One statistic over the buckets, rounded to keep responses compact and stable. */
export function aggregate(inp: AggregateInput & { stat: Stat }): Series {
  // Fast path: 1-minute period, a single data-plane source, simple statistic, nothing stored.
  const m = Array.isArray(inp.minutes) ? (inp.minutes.length === 1 ? inp.minutes[0] : undefined) : inp.minutes;
  if (
    m &&
    m.sources.length === 1 &&
    inp.period === 60 &&
    (inp.stored?.length ?? 0) === 0 &&
    inp.stat.kind !== 'SampleCount' &&
    m.step === MINUTE &&
    (inp.start - m.t0) % MINUTE === 0
  ) {
    const src = m.sources[0];
    const ts: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < m.n; i++) {
      const v = src[i];
      if (v !== v) continue;
      const t = m.t0 + i * m.step;
      if (t < inp.start || t >= inp.end || !retained(t, 60, inp.now)) continue;
      ts.push(t);
      values.push(v);
    }
    return { ts, values };
  }
  const buckets = aggregateBuckets({ ...inp, stats: [inp.stat] });
  return { ts: buckets.map((b) => b.t), values: buckets.map((b) => round(statValue(b, inp.stat))) };
}

export function round(v: number): number {
  if (!Number.isFinite(v)) return v;
  return Math.round(v * 1e6) / 1e6;
}
