import { describe, expect, it } from 'vitest';
import { formatExact, formatTick, formatTime, formatTimeTick, instancePalette, plural } from './format';

describe('chart labels', () => {
  it('axis ticks carry as many decimals as the step, so neighbouring ticks never read the same', () => {
    expect(formatTick(20, '/s', 10)).toBe('20 /s');
    expect(formatTick(2.5, 'ms', 2.5)).toBe('2.5 ms');
    expect(formatTick(5, 'ms', 2.5)).toBe('5.0 ms');
    expect(formatTick(0.05, '%', 0.025)).toBe('0.050 %');
    expect(formatTick(0, 'ms', 10)).toBe('0 ms');
    expect(formatTick(15_000, 'ms', 5_000)).toBe('15.0 s');
    expect(formatTick(50, '%', 25)).toBe('50 %');
    expect(formatTick(1500, 'count', 500)).toBe('1,500');
    const small = [0, 0.025, 0.05, 0.075, 0.1].map((v) => formatTick(v, '%', 0.025));
    expect(new Set(small).size).toBe(small.length);
  });
  it('tooltips show exact values with their unit, and say so when CloudWatch had no datapoint', () => {
    expect(formatExact(61.5194, '/s')).toBe('61.519 /s');
    expect(formatExact(null, 'ms')).toBe('no data');
  });
  it('time ticks show the date only when the range is longer than a day', () => {
    const t = Date.UTC(2026, 10, 20, 7, 30);
    expect(formatTime(t, 3_600_000)).toBe('07:30');
    expect(formatTime(t, 7 * 86_400_000)).toBe('11-20 07:30');
  });
});

describe('time axis ticks', () => {
  it('a midnight tick on a multi-day range is just the date; other ticks keep the time', () => {
    expect(formatTimeTick(Date.UTC(2026, 10, 26), 7 * 86_400_000)).toBe('11-26');
    expect(formatTimeTick(Date.UTC(2026, 10, 26, 12), 3 * 86_400_000)).toBe('11-26 12:00');
    expect(formatTimeTick(Date.UTC(2026, 10, 26), 3_600_000)).toBe('00:00');
  });
});

describe('instancePalette', () => {
  it('gives each instance one colour by sorted id, whatever order the panels list them in', () => {
    const a = instancePalette(['db-2', 'db-1', 'db-3', 'db-1']);
    const b = instancePalette(['db-3', 'db-1', 'db-2']);
    expect(a).toEqual(b);
    expect(new Set(Object.values(a)).size).toBe(3);
    expect(Object.keys(a)).toEqual(['db-1', 'db-2', 'db-3']);
  });
});

describe('plural', () => {
  it('one point, many points, thousands grouped', () => {
    expect(plural(1, 'point')).toBe('1 point');
    expect(plural(0, 'point')).toBe('0 points');
    expect(plural(1440, 'point')).toBe('1,440 points');
    expect(plural(2, 'series', 'series')).toBe('2 series');
  });
});
