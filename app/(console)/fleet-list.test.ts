import { describe, expect, it } from 'vitest';
import type { ClusterDTO } from '@/lib/aws/types';
import { FLEET_PAGE_SIZE, fleetPage, parseFleetListQuery } from './fleet-list';

const cluster = (i: number, over: Partial<ClusterDTO> = {}): ClusterDTO =>
  ({
    id: `c-${String(i).padStart(4, '0')}`,
    region: i % 2 ? 'eu-west-1' : 'us-east-1',
    engine: i % 3 ? 'aurora-mysql' : 'aurora-postgresql',
    status: 'available',
    writerId: `c-${i}-1`,
    instances: Array.from({ length: 1 + (i % 4) }, (_, j) => ({ id: `c-${i}-${j + 1}` })),
    anyTransitional: false,
    transitional: false,
    ...over,
  }) as unknown as ClusterDTO;
const fleet = Array.from({ length: 130 }, (_, i) => cluster(i, i === 7 ? { status: 'failing-over', anyTransitional: true } : {}));

describe('fleet list', () => {
  it('pages of 50, sorted by name by default', () => {
    const p = fleetPage(fleet, parseFleetListQuery({ page: '3' }));
    expect(FLEET_PAGE_SIZE).toBe(50);
    expect(p).toMatchObject({ page: 3, pages: 3, total: 130, from: 101, to: 130 });
    expect(p.rows[0].id).toBe('c-0100');
  });
  it('filters by search, engine and status, on the whole fleet before paging', () => {
    const q = parseFleetListQuery({ q: 'c-01', engine: 'aurora-postgresql' });
    const p = fleetPage(fleet, q);
    expect(p.rows.map((c) => c.id)).toEqual(['c-0102', 'c-0105', 'c-0108', 'c-0111', 'c-0114', 'c-0117', 'c-0120', 'c-0123', 'c-0126', 'c-0129']);
    expect(fleetPage(fleet, parseFleetListQuery({ status: 'changing' })).rows.map((c) => c.id)).toEqual(['c-0007']);
  });
  it('sorts by instance count, most first, on the server', () => {
    const p = fleetPage(fleet, parseFleetListQuery({ sort: 'instances' }));
    expect(p.rows.slice(0, 2).map((c) => c.instances.length)).toEqual([4, 4]);
  });
  it('an unknown engine or filter is reported, the list still shows', () => {
    const q = parseFleetListQuery({ engine: 'oracle', size: 'big' });
    expect(q.notices.join(' ')).toMatch(/Unknown filter “size”.*No engine “oracle”/);
    expect(fleetPage(fleet, q).total).toBe(130);
  });
});
