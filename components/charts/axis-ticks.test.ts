import { describe, expect, it } from 'vitest';
import { niceStep, timeTicks, valueAxis } from './axis-ticks';

describe('value axis', () => {
  it('steps are 1, 2, 2.5 or 5 × 10ⁿ', () => {
    expect(niceStep(100, 4)).toBe(25);
    expect(niceStep(0.9, 4)).toBe(0.25);
    expect(niceStep(7_300, 4)).toBe(2_000);
    expect(niceStep(40, 4)).toBe(10);
  });
  it('starts at 0 for non-negative data and ends on a whole step above the highest value', () => {
    expect(valueAxis(12.5, 87)).toEqual({ domain: [0, 100], ticks: [0, 25, 50, 75, 100], step: 25 });
    expect(valueAxis(3, 1_234)).toEqual({ domain: [0, 1_500], ticks: [0, 500, 1_000, 1_500], step: 500 });
  });
  it('keeps negative values inside the axis', () => {
    const a = valueAxis(-30, 70);
    expect(a.domain[0]).toBeLessThanOrEqual(-30);
    expect(a.domain[1]).toBeGreaterThanOrEqual(70);
    expect(a.ticks).toContain(0);
  });
  it('a flat zero series and an empty one still get a usable axis', () => {
    expect(valueAxis(0, 0)).toEqual({ domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1], step: 0.25 });
    expect(valueAxis(Infinity, -Infinity).domain).toEqual([0, 1]);
  });
  it('a whole-number unit never gets fractional ticks', () => {
    expect(valueAxis(0, 1, 4, 1)).toEqual({ domain: [0, 1], ticks: [0, 1], step: 1 });
    expect(valueAxis(0, 3, 4, 1).ticks).toEqual([0, 1, 2, 3]);
  });
  it('small fractional steps do not accumulate floating-point noise in the labels', () => {
    expect(valueAxis(0, 0.3).ticks).toEqual([0, 0.1, 0.2, 0.3]);
  });
});

describe('timeTicks', () => {
  const H = 3_600_000;
  const t0 = Date.UTC(2026, 10, 20, 7, 13);
  it('one hour at ≤ 6 ticks: every 15 minutes on the quarter hour', () => {
    const ticks = timeTicks(t0, t0 + H, 6);
    expect(ticks.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['07:15', '07:30', '07:45', '08:00']);
  });
  it('seven days at ≤ 6 ticks: whole UTC days', () => {
    const ticks = timeTicks(t0, t0 + 7 * 24 * H, 6);
    expect(ticks.length).toBeLessThanOrEqual(6);
    for (const t of ticks) expect(new Date(t).toISOString().slice(11)).toBe('00:00:00.000Z');
  });
  it('never more than asked, nothing for an empty range', () => {
    for (const span of [5 * 60_000, 3 * H, 12 * H, 24 * H, 30 * 24 * H, 400 * 24 * H]) expect(timeTicks(t0, t0 + span, 5).length).toBeLessThanOrEqual(5);
    expect(timeTicks(t0, t0, 5)).toEqual([]);
  });
});
