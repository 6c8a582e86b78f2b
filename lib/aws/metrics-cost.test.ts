import { describe, expect, it } from 'vitest';
import { formatUsd, metricCallsFor, monthlyCostUsd, pageMonthlyCostUsd, refreshesPerMonth } from './metrics-cost';

describe('GetMetricData cost', () => {
  it("the issue's figure: 200 clusters × 2 metrics every minute ≈ 17 M metrics ≈ $172.80 a month", () => {
    expect(refreshesPerMonth(60_000)).toBe(43_200);
    expect(monthlyCostUsd(400, 60_000)).toBeCloseTo(172.8, 6);
  });
  it('scales with metrics and refresh rate; off costs nothing', () => {
    expect(monthlyCostUsd(400, 15 * 60_000)).toBeCloseTo(11.52, 6);
    expect(monthlyCostUsd(4, 5 * 60_000)).toBeCloseTo(0.3456, 6);
    expect(monthlyCostUsd(400, 0)).toBe(0);
    expect(monthlyCostUsd(0, 60_000)).toBe(0);
    expect(monthlyCostUsd(Number.NaN, 60_000)).toBe(0);
  });
  it('a page left open adds its background reads to the refresh choice', () => {
    expect(pageMonthlyCostUsd(31, 0, [{ metrics: 4, intervalMs: 300_000 }])).toBeCloseTo(0.3456, 6);
    expect(pageMonthlyCostUsd(31, 60_000, [{ metrics: 4, intervalMs: 300_000 }])).toBeCloseTo(13.392 + 0.3456, 6);
  });
  it('formats cents, dollars and the tiny', () => {
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(0.004)).toBe('< $0.01');
    expect(formatUsd(11.52)).toBe('$11.52');
    expect(formatUsd(1728.4)).toBe('$1,728');
  });
  it('GetMetricData calls: 500 queries per call', () => {
    expect([0, 1, 500, 501, 2000].map(metricCallsFor)).toEqual([0, 1, 1, 2, 4]);
  });
});
