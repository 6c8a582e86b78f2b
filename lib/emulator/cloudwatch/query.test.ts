import { describe, expect, it } from 'vitest';
import { evaluateToSeries } from './math-eval';
import { parseExpression } from './math-parse';
import { aggregate, aggregateBuckets, parseStat, percentile, retained, roundStart, sampleSegments, statValue, type Series } from './statistics';

const MIN = 60_000;
const T = Date.parse('2026-03-01T12:00:00Z');

function minutes(values: number[], t0 = T) {
  return { unit: 'Count', t0, n: values.length, step: MIN, sources: [Float64Array.from(values)] };
}

describe('statistics and periods', () => {
  it('parses stats', () => {
    expect(parseStat('Average')).toEqual({ kind: 'Average' });
    expect(parseStat('p99.9')).toMatchObject({ kind: 'percentile', p: 99.9 });
    expect(parseStat('p101')).toBeUndefined();
    expect(parseStat('avg')).toBeUndefined();
  });

  it('aggregates minutes into aligned period buckets; EndTime exclusive', () => {
    const vals = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const inp = { start: T, end: T + 10 * MIN, period: 300, now: T + 60 * MIN, minutes: minutes(vals) };
    const b = aggregateBuckets({ ...inp, stats: [{ kind: 'Sum' }] });
    expect(b.map((x) => x.t)).toEqual([T, T + 5 * MIN]);
    expect(b.map((x) => statValue(x, { kind: 'Sum' }))).toEqual([15, 40]);
    expect(b.map((x) => statValue(x, { kind: 'Average' }))).toEqual([3, 8]);
    expect(b.map((x) => statValue(x, { kind: 'SampleCount' }))).toEqual([5, 5]);
    expect(b.map((x) => [statValue(x, { kind: 'Minimum' }), statValue(x, { kind: 'Maximum' })])).toEqual([[1, 5], [6, 10]]);
    const excl = aggregate({ ...inp, end: T + 9 * MIN, period: 60, stat: { kind: 'Average' }, stats: [] });
    expect(excl.ts.at(-1)).toBe(T + 8 * MIN);
    const p = aggregate({ ...inp, stat: { kind: 'percentile', p: 90, name: 'p90' }, stats: [] });
    expect(p.values).toEqual([5, 10]);
    expect(percentile([3, 1, 2], 50)).toBe(2);
  });

  it('merges stored statistic sets with simulated samples', () => {
    const b = aggregateBuckets({ start: T, end: T + MIN, period: 60, now: T + MIN, stats: [{ kind: 'Average' }], minutes: minutes([10]), stored: [{ ts: T + 1000, count: 3, sum: 30, min: 5, max: 20, unit: 'Count' }] });
    expect(b[0]).toMatchObject({ count: 4, sum: 40, min: 5, max: 20 });
  });

  it('samples history like CloudWatch retains it: 1 min (15 d), 5 min (63 d), 1 h', () => {
    const now = T;
    const segs = sampleSegments(now - 365 * 86_400_000, now + MIN, now);
    expect(segs.map((x) => x.step)).toEqual([3_600_000, 5 * MIN, MIN]);
    expect(segs[2].t0 + (segs[2].n - 1) * MIN).toBe(now);
    expect(segs.reduce((a, x) => a + x.n, 0)).toBeLessThan(45_000);
    expect(sampleSegments(now - 60 * MIN, now, now)).toEqual([{ t0: now - 60 * MIN, n: 60, step: MIN }]);
    // Samples standing for 5 minutes each are weighted so SampleCount / Sum stay per-minute.
    const b = aggregateBuckets({ start: T, end: T + 10 * MIN, period: 600, now: T + 60 * MIN, stats: [], minutes: { unit: 'Count', t0: T, n: 2, step: 5 * MIN, sources: [Float64Array.from([2, 4])] } });
    expect(b[0]).toMatchObject({ count: 10, sum: 30, min: 2, max: 4 });
  });

  it('rounds StartTime by age and applies retention per period', () => {
    expect(roundStart(T + 30_000, T + 3_600_000)).toBe(T);
    expect(roundStart(T + 4 * MIN, T + 20 * 86_400_000)).toBe(T);
    expect(roundStart(T + 59 * MIN, T + 70 * 86_400_000)).toBe(T);
    expect(retained(T, 60, T + 14 * 86_400_000)).toBe(true);
    expect(retained(T, 60, T + 16 * 86_400_000)).toBe(false);
    expect(retained(T, 300, T + 16 * 86_400_000)).toBe(true);
    expect(retained(T, 10, T + 4 * 3_600_000)).toBe(false);
    expect(retained(T, 3600, T + 400 * 86_400_000)).toBe(true);
  });
});

describe('metric math', () => {
  const s = (ts: number[], values: number[]): Series => ({ ts, values });
  const m1 = s([T, T + MIN, T + 2 * MIN], [1, 2, 3]);
  const m2 = s([T + MIN, T + 2 * MIN, T + 3 * MIN], [10, 20, 30]);
  const ctx = {
    lookup: (id: string) => ({ m1: { s: m1, label: 'a' }, m2: { s: m2, label: 'b' } })[id],
    metrics: () => [{ s: m1, label: 'a' }, { s: m2, label: 'b' }],
    grid: { start: T, end: T + 4 * MIN, period: 60 },
  };
  const ev = (e: string) => evaluateToSeries(parseExpression(e), ctx, () => [T]).s;

  it('does arithmetic with precedence on matching timestamps', () => {
    expect(ev('m1*100')).toEqual(s(m1.ts, [100, 200, 300]));
    expect(ev('m1+m2')).toEqual(s([T + MIN, T + 2 * MIN], [12, 23]));
    expect(ev('(m2-m1)/m1')).toEqual(s([T + MIN, T + 2 * MIN], [4, 17 / 3].map((x) => Math.round(x * 1e6) / 1e6)));
    expect(ev('-m1 + 2 * 3')).toEqual(s(m1.ts, [5, 4, 3]));
    expect(ev('m1 / (m1 - 2)')).toEqual(s([T, T + 2 * MIN], [-1, 3]));
  });

  it('reduces across METRICS() and explicit ids, fills gaps', () => {
    expect(ev('MAX(METRICS())')).toEqual(s([T, T + MIN, T + 2 * MIN, T + 3 * MIN], [1, 10, 20, 30]));
    expect(ev('SUM(METRICS())').values).toEqual([1, 12, 23, 30]);
    expect(ev('AVG([m1, m2])'.replace('[', '').replace(']', '')).values).toEqual([1, 6, 11.5, 30]);
    expect(ev('MIN(m1, m2)').values).toEqual([1, 2, 3, 30]);
    expect(ev('MAX(m1)').values).toEqual([3, 3, 3]);
    expect(ev('FILL(m1, 0)')).toEqual(s([T, T + MIN, T + 2 * MIN, T + 3 * MIN], [1, 2, 3, 0]));
    expect(ev('FILL(m2, REPEAT)').values).toEqual([10, 10, 20, 30]);
    expect(ev("SUM(METRICS('a'))").values).toEqual([1, 2, 3]);
  });

  it('rejects bad syntax and unknown functions', () => {
    expect(() => parseExpression('m1 +')).toThrow();
    expect(() => parseExpression('m1 m2')).toThrow();
    expect(() => ev('NOPE(m1)')).toThrow(/Unsupported function/);
    expect(() => ev('METRICS()')).toThrow(/more than one time series/);
  });
});
