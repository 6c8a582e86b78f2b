import { describe, expect, it } from 'vitest';
import { formatExact, formatTick, formatTime, formatTimeTick, instancePalette } from './format';

describe('chart labels', () => {
  it('axis ticks drop the decimals of whole numbers but keep fractional steps and large units', () => {
    expect(formatTick(20, '/s')).toBe('20 /s');
    expect(formatTick(2.5, '/s')).toBe('2.50 /s');
    expect(formatTick(0, 'ms')).toBe('0 ms');
    expect(formatTick(15_000, 'ms')).toBe('15.0 s');
    expect(formatTick(50, '%')).toBe('50 %');
    expect(formatTick(1500, 'count')).toBe('1,500');
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
