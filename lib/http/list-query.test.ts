import { describe, expect, it } from 'vitest';
import { listHref, pageOf, parseListQuery } from './list-query';
import { msUntilNextTick } from './poll-align';

const spec = { filters: ['q', 'engine', 'region'], sortKeys: ['name', 'lag'] as const, defaultSort: 'name' as const, descByDefault: ['lag'] as const, allowed: { region: ['us-east-1', 'eu-west-1'] } };

describe('list query from the URL', () => {
  it('reads filters, sort, direction and page', () => {
    const q = parseListQuery({ q: ' orders ', engine: 'aurora-mysql', region: 'eu-west-1', sort: 'lag', page: '3' }, spec);
    expect(q).toEqual({ filters: { q: 'orders', engine: 'aurora-mysql', region: 'eu-west-1' }, sort: 'lag', dir: 'desc', page: 3, notices: [] });
  });
  it('bad page numbers fall back to page 1 with a message', () => {
    for (const page of ['0', '-2', 'abc', '1.5', '9999999', '1e3']) {
      const q = parseListQuery({ page }, spec);
      expect(q.page).toBe(1);
      expect(q.notices).toEqual([expect.stringContaining(`“${page}” is not a page number`)]);
    }
  });
  it('unknown filters, sort keys, directions and values are named in a notice, never thrown', () => {
    const q = parseListQuery({ colour: 'red', sort: 'drop table', dir: 'sideways', region: 'mars-1' }, spec);
    expect(q.sort).toBe('name');
    expect(q.dir).toBe('asc');
    expect(q.filters.region).toBeUndefined();
    expect(q.notices).toEqual([
      'Unknown filter “colour” ignored; this list filters by q, engine, region.',
      'No region “mars-1” here (known: us-east-1, eu-west-1); the region filter was ignored.',
      'Cannot sort by “drop table” (choose name, lag); sorted by name.',
      'Sort direction “sideways” is not asc or desc; using asc.',
    ]);
  });
  it('cuts an over-long filter', () => {
    const q = parseListQuery({ q: 'x'.repeat(500) }, spec);
    expect(q.filters.q).toHaveLength(100);
    expect(q.notices[0]).toContain('longer than 100');
  });
});

describe('pages', () => {
  const rows = Array.from({ length: 120 }, (_, i) => i + 1);
  it('slices 50 a page and says where it is', () => {
    expect(pageOf(rows, 2, 50)).toMatchObject({ page: 2, pages: 3, total: 120, from: 51, to: 100 });
    expect(pageOf(rows, 3, 50).rows).toEqual(rows.slice(100));
  });
  it('a page past the end shows the last page with a notice', () => {
    const p = pageOf(rows, 9, 50);
    expect(p.page).toBe(3);
    expect(p.notice).toBe('There is no page 9: 120 rows fit on 3 pages; showing page 3.');
  });
  it('an empty list is one empty page', () => {
    expect(pageOf([], 1, 50)).toMatchObject({ rows: [], page: 1, pages: 1, from: 0, to: 0 });
  });
  it('links keep the other parameters and drop page 1', () => {
    expect(listHref('/', { q: 'orders', engine: undefined }, { page: 2 })).toBe('/?q=orders&page=2');
    expect(listHref('/', { q: 'orders', page: '2' }, { page: 1 })).toBe('/?q=orders');
    expect(listHref('/health', {}, {})).toBe('/health');
  });
});

describe('poll grid', () => {
  it('every viewer waits for the same wall-clock tick', () => {
    const a = 1_000_000_003;
    const b = a + 4_321;
    expect(a + msUntilNextTick(15_000, a)).toBe(b + msUntilNextTick(15_000, b));
    expect(msUntilNextTick(15_000, a)).toBeGreaterThanOrEqual(250);
    expect(msUntilNextTick(15_000, a)).toBeLessThanOrEqual(15_250);
    expect(msUntilNextTick(0, a)).toBe(Infinity);
  });
});
