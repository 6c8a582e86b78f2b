// The fleet page's list: every cluster of the shown regions, filtered and sorted on the server from the URL
// (?q=&engine=&status=&region=&sort=&dir=&page=), one page of rows at a time. Pure.
import type { ClusterDTO } from '@/lib/aws/types';
import { pageOf, parseListQuery, type ListQuery, type PageOf } from '@/lib/http/list-query';

export const FLEET_PAGE_SIZE = 50;
export const FLEET_SORTS = ['name', 'region', 'engine', 'status', 'instances'] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];
export const FLEET_ENGINES = ['aurora-mysql', 'aurora-postgresql'] as const;

type Params = Record<string, string | string[] | undefined>;

export function parseFleetListQuery(sp: Params): ListQuery<FleetSort> {
  return parseListQuery(sp, {
    filters: ['q', 'engine', 'status', 'region'],
    sortKeys: FLEET_SORTS,
    defaultSort: 'name',
    descByDefault: ['instances'],
    allowed: { engine: FLEET_ENGINES },
  });
}

export function filterSortFleet(clusters: ClusterDTO[], q: ListQuery<FleetSort>): ClusterDTO[] {
  const needle = q.filters.q?.toLowerCase();
  const { engine, status } = q.filters;
  const out = clusters.filter(
    (c) =>
      (!engine || c.engine === engine) &&
      (!status || c.status === status || (status === 'changing' && c.anyTransitional)) &&
      (!needle || c.id.toLowerCase().includes(needle) || (c.writerId ?? '').toLowerCase().includes(needle)),
  );
  const cmp: Record<FleetSort, (a: ClusterDTO, b: ClusterDTO) => number> = {
    name: (a, b) => a.id.localeCompare(b.id),
    region: (a, b) => a.region.localeCompare(b.region),
    engine: (a, b) => a.engine.localeCompare(b.engine),
    status: (a, b) => a.status.localeCompare(b.status),
    instances: (a, b) => a.instances.length - b.instances.length,
  };
  const sign = q.dir === 'asc' ? 1 : -1;
  return out.sort((a, b) => sign * cmp[q.sort](a, b) || a.id.localeCompare(b.id) || a.region.localeCompare(b.region));
}

export function fleetPage(clusters: ClusterDTO[], q: ListQuery<FleetSort>): PageOf<ClusterDTO> {
  return pageOf(filterSortFleet(clusters, q), q.page, FLEET_PAGE_SIZE);
}
