import { describe, expect, it } from 'vitest';
import { sparklinePath } from './sparkline';

const x = (t: number) => t * 10;
const y = (v: number) => 100 - v * 10;

describe('sparklinePath', () => {
  it('whole pixels as relative moves, no zero moves, a break where a value is missing', () => {
    expect(sparklinePath([[0, 0], [1, 5], [2, 5], [3, null], [4, 2.5]], x, y)).toBe('M0,100l10-50l10,0M40,75h0');
    expect(sparklinePath([[0, 1], [0.01, 1], [1, 1]], x, y)).toBe('M0,90l10,0');
  });
  it('a point with gaps on both sides becomes a dot (zero-length segment)', () => {
    expect(sparklinePath([[0, null], [1, 5], [2, null], [3, 10]], x, y)).toBe('M10,50h0M30,0h0');
  });
});
