import { describe, expect, it } from 'vitest';
import { alignWindow, choosePeriod, parseRange } from './metrics-period';

const H = 3_600_000;
const D = 24 * H;
const now = Date.UTC(2026, 5, 15, 12, 34, 56);

describe('choosePeriod', () => {
  it('keeps a series at or under ~1,000 points with the standard periods', () => {
    expect(choosePeriod(now - H, now, now)).toBe(60); // 60 points
    expect(choosePeriod(now - 3 * H, now, now)).toBe(60); // 180
    expect(choosePeriod(now - 12 * H, now, now)).toBe(60); // 720
    expect(choosePeriod(now - D, now, now)).toBe(300); // 1,440 at 60 s is too many → 288
    expect(choosePeriod(now - 3 * D, now, now)).toBe(300); // 864
    expect(choosePeriod(now - 7 * D, now, now)).toBe(900); // 672
    expect(choosePeriod(now - 30 * D, now, now)).toBe(3600); // 720
    expect(choosePeriod(now - 90 * D, now, now)).toBe(21600); // 360
    for (const span of [H, 5 * H, D, 2 * D, 7 * D, 30 * D, 90 * D]) {
      expect(span / 1000 / choosePeriod(now - span, now, now)).toBeLessThanOrEqual(1000);
    }
  });

  it('respects CloudWatch retention by the age of the start', () => {
    // A 1-hour window 20 days ago: 60 s data is gone (15 d retention) → 300.
    expect(choosePeriod(now - 20 * D, now - 20 * D + H, now)).toBe(300);
    // 100 days ago: only hourly data (63 d) → 3600.
    expect(choosePeriod(now - 100 * D, now - 100 * D + H, now)).toBe(3600);
    // 500 days ago: beyond 455 d → 21600.
    expect(choosePeriod(now - 500 * D, now - 500 * D + H, now)).toBe(21600);
    // 14 days ago, 1 h: still 60 s.
    expect(choosePeriod(now - 14 * D, now - 14 * D + H, now)).toBe(60);
  });
});

describe('alignWindow', () => {
  it('floors the start and ceils the end to the period grid', () => {
    const w = alignWindow(now - H, now, 60);
    expect(w.start % 60_000).toBe(0);
    expect(w.end % 60_000).toBe(0);
    expect(w.start).toBeLessThanOrEqual(now - H);
    expect(w.end).toBeGreaterThanOrEqual(now);
    const w2 = alignWindow(now - 7 * D, now, 900);
    expect(w2.start % 900_000).toBe(0);
    expect((w2.end - w2.start) / 900_000).toBeLessThanOrEqual(7 * 96 + 1);
  });
});

describe('parseRange', () => {
  it('reads presets, defaulting to 3h', () => {
    expect(parseRange({}, now)).toMatchObject({ ok: true, preset: '3h', start: now - 3 * H, end: now });
    expect(parseRange({ range: '1w' }, now)).toMatchObject({ ok: true, preset: '1w', start: now - 7 * D });
  });
  it('reads custom ISO ranges', () => {
    const r = parseRange({ start: '2026-06-15T10:00Z', end: '2026-06-15T11:00Z' }, now);
    expect(r).toEqual({ ok: true, preset: 'custom', start: Date.UTC(2026, 5, 15, 10), end: Date.UTC(2026, 5, 15, 11) });
  });
  it('rejects malformed, reversed, huge and future ranges with a message', () => {
    const bad = [
      { range: '5y' },
      { start: 'yesterday' },
      { start: '2026-06-15T11:00Z', end: '2026-06-15T10:00Z' },
      { start: '2025-01-01T00:00Z', end: '2026-06-01T00:00Z' },
      { start: '2027-01-01T00:00Z' },
      { start: '2026-06-15T10:00Z', end: 'soon' },
      { end: '2026-06-15T10:00Z' },
    ];
    for (const p of bad) {
      const r = parseRange(p, now);
      expect(r.ok, JSON.stringify(p)).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(10);
    }
    const rev = parseRange({ start: '2026-06-15T11:00Z', end: '2026-06-15T10:00Z' }, now);
    expect(rev.ok === false && rev.error).toMatch(/end .* after/i);
  });
});
