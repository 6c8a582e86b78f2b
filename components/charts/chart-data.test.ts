import { describe, expect, it } from 'vitest';
import { extent, hasGaps, toRows } from './chart-data';

describe('toRows', () => {
  it('one row per sample with every series, a missing sample stays null (a gap, not zero)', () => {
    const rows = toRows({ t: [0, 60, 120], values: { a: [1, null, 3], b: [4, 5] } }, ['a', 'b', 'c']);
    expect(rows).toEqual([
      { t: 0, a: 1, b: 4, c: null },
      { t: 60, a: null, b: 5, c: null },
      { t: 120, a: 3, b: null, c: null },
    ]);
  });
});

describe('extent and gaps', () => {
  it('extent skips missing values across all series', () => {
    expect(extent([[3, -1], [null, 9]])).toEqual([-1, 9]);
    expect(extent([])).toEqual([Infinity, -Infinity]);
  });
  it('a gap is a missing sample between two present ones; leading or trailing nulls are not', () => {
    expect(hasGaps({ values: { a: [1, null, 2] } }, ['a'])).toBe(true);
    expect(hasGaps({ values: { a: [null, 1, 2, null] } }, ['a'])).toBe(false);
    expect(hasGaps({ values: { a: [1, 2], b: [null, null] } }, ['a', 'b'])).toBe(false);
  });
});
