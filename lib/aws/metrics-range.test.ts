import { describe, expect, it } from 'vitest';
import { fitRangeToCluster } from './metrics-range';

const H = 3_600_000;
const now = Date.UTC(2026, 11, 2, 14, 0);

describe('fitRangeToCluster', () => {
  it('an older cluster keeps the chosen range', () => {
    const r = { start: now - 3 * H, end: now };
    expect(fitRangeToCluster(r, now - 5 * H, now)).toEqual(r);
    expect(fitRangeToCluster(r, undefined, now)).toEqual(r);
  });
  it('a cluster younger than the range: the window starts a minute before it was created, and says so', () => {
    const r = fitRangeToCluster({ start: now - 3 * H, end: now }, now - 42 * 60_000 - 20_000, now);
    expect(r.start).toBe(now - 44 * 60_000);
    expect(r.end).toBe(now);
    expect(r.notice).toBe('The cluster is 42 minutes old (created 13:17 UTC): the charts show its whole history instead of 3 h.');
  });
  it('a cluster of a few minutes still gets a 15-minute window, and a week-long range is named as such', () => {
    const r = fitRangeToCluster({ start: now - 7 * 24 * H, end: now }, now - 60_000, now);
    expect(r.start).toBe(now - 15 * 60_000);
    expect(r.notice).toContain('1 minute old');
    expect(r.notice).toContain('instead of 1 week');
  });
  it('a range that ends before the cluster existed says there is no data', () => {
    const r = fitRangeToCluster({ start: now - 10 * H, end: now - 8 * H }, now - H, now);
    expect(r.start).toBe(now - 10 * H);
    expect(r.notice).toContain('after this range');
  });
});
