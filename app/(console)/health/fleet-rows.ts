// Pure filtering and sorting of fleet health rows, driven by URL params (?region=&engine=&q=&sort=&dir=).
import type { FleetClusterMetrics } from '@/lib/aws/metrics-views';

export interface FleetRow {
  region: string;
  id: string;
  engine: string;
  status: string;
  writer?: string;
  instanceCount: number;
  metrics?: FleetClusterMetrics;
  /** Set when the region's metrics failed: the row stays, with this message in place of the sparklines. */
  metricsError?: string;
}

export const SORT_KEYS = ['name', 'region', 'engine', 'status', 'lag', 'commit'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface FleetQuery {
  region?: string;
  engine?: string;
  q?: string;
  sort: SortKey;
  dir: 'asc' | 'desc';
}

type Params = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

export function parseFleetQuery(sp: Params): FleetQuery {
  const sort = first(sp.sort);
  const dir = first(sp.dir);
  const s: SortKey = sort && (SORT_KEYS as readonly string[]).includes(sort) ? (sort as SortKey) : 'lag';
  return {
    region: first(sp.region),
    engine: first(sp.engine),
    q: first(sp.q)?.slice(0, 100),
    sort: s,
    dir: dir === 'asc' || dir === 'desc' ? dir : s === 'lag' || s === 'commit' ? 'desc' : 'asc',
  };
}

export function filterAndSort(rows: FleetRow[], q: FleetQuery): FleetRow[] {
  const needle = q.q?.toLowerCase();
  const out = rows.filter(
    (r) => (!q.region || r.region === q.region) && (!q.engine || r.engine === q.engine) && (!needle || r.id.toLowerCase().includes(needle) || (r.writer ?? '').toLowerCase().includes(needle)),
  );
  const num = (v: number | null | undefined) => (typeof v === 'number' ? v : -Infinity);
  const cmp: Record<SortKey, (a: FleetRow, b: FleetRow) => number> = {
    name: (a, b) => a.id.localeCompare(b.id),
    region: (a, b) => a.region.localeCompare(b.region),
    engine: (a, b) => a.engine.localeCompare(b.engine),
    status: (a, b) => a.status.localeCompare(b.status),
    lag: (a, b) => num(a.metrics?.worstLagMs) - num(b.metrics?.worstLagMs),
    commit: (a, b) => num(a.metrics?.latestCommit) - num(b.metrics?.latestCommit),
  };
  const sign = q.dir === 'asc' ? 1 : -1;
  return out.sort((a, b) => sign * cmp[q.sort](a, b) || a.region.localeCompare(b.region) || a.id.localeCompare(b.id));
}
