import { describe, expect, it } from 'vitest';
import { toColumns } from './metrics-views';

describe('toColumns', () => {
  it('merges series onto one ascending time axis, null where a series has no point, values to 3 decimals', () => {
    const out = toColumns([
      { key: 'a', timestamps: [120, 0, 60], values: [3, 1, 2.00049] },
      { key: 'b', timestamps: [60, 180], values: [NaN, 7] },
    ]);
    expect(out.t).toEqual([0, 60, 120, 180]);
    expect(out.values).toEqual({ a: [1, 2, 3, null], b: [null, null, null, 7] });
  });
  it('a series without points is a column of nulls; no series gives an empty axis', () => {
    expect(toColumns([{ key: 'a', timestamps: [5], values: [1] }, { key: 'z', timestamps: [], values: [] }]).values.z).toEqual([null]);
    expect(toColumns([])).toEqual({ t: [], values: {} });
  });
});
