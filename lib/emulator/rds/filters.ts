// Describe* filters, declared once per resource: a table maps each filter name to the value(s) of a
// record it matches against, and one matcher applies any table. A record passes a filter when one of
// its values is among the filter's Values; it passes a request when it passes every filter.
import type { EngineVersionInfo } from './catalogue';
import { Faults, type RdsFault } from './errors';
import { arnToId, type BacktrackRec, type ClusterRec, type Filter, type InstanceRec } from './records';
import { backtrackStatus } from './settle';

export interface FilterDef<T, C> {
  /** The record's value(s) for this filter; none means the record never matches (e.g. no domain). */
  values(item: T, ctx: C): string | readonly string[];
  /** Applied to each filter value before comparing (e.g. an ARN → its identifier). */
  normalize?: (value: string) => string;
}

export interface FilterTable<T, C = void> {
  defs: Record<string, FilterDef<T, C>>;
  /** The fault for a filter name the table does not know. */
  unknown(name: string): RdsFault;
}

const unrecognized = (name: string) => Faults.InvalidParameterValue(`Unrecognized filter name: ${name}.`);
const none = (): readonly string[] => [];

/** Throws the table's fault for the first filter whose name it does not know. */
export function checkFilterNames<T, C>(table: FilterTable<T, C>, filters: readonly Filter[]): void {
  for (const f of filters) {
    if (!Object.prototype.hasOwnProperty.call(table.defs, f.Name)) throw table.unknown(f.Name);
  }
}

/** The items that pass every filter, in their original order (names are checked first). */
export function applyFilters<T, C>(table: FilterTable<T, C>, items: T[], filters: readonly Filter[], ctx: C): T[] {
  checkFilterNames(table, filters);
  if (filters.length === 0) return items;
  const tests = filters.map((f) => {
    const def = table.defs[f.Name];
    const wanted = new Set(def.normalize ? f.Values.map(def.normalize) : f.Values);
    return (item: T) => {
      const v = def.values(item, ctx);
      return typeof v === 'string' ? wanted.has(v) : v.some((x) => wanted.has(x));
    };
  });
  return items.filter((item) => tests.every((t) => t(item)));
}

/** The records that pass the filters, sorted by identifier (what every Describe* of a resource returns). */
export function filterSortedById<T extends { id: string }>(table: FilterTable<T>, items: T[], filters: readonly Filter[]): T[] {
  return applyFilters(table, items, filters, undefined).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** DescribeDBClusters filters (RDS API reference, DescribeDBClusters). */
export const CLUSTER_FILTERS: FilterTable<ClusterRec> = {
  defs: {
    'db-cluster-id': { values: (c) => c.id, normalize: (v) => arnToId(v, 'cluster') },
    'db-cluster-resource-id': { values: (c) => c.resourceId },
    engine: { values: (c) => c.engine },
    'clone-group-id': { values: (c) => c.cloneGroupId ?? [] },
    domain: { values: none },
  },
  unknown: unrecognized,
};

/** DescribeDBInstances filters (RDS API reference, DescribeDBInstances). */
export const INSTANCE_FILTERS: FilterTable<InstanceRec> = {
  defs: {
    'db-cluster-id': { values: (i) => i.clusterId, normalize: (v) => arnToId(v, 'cluster') },
    'db-instance-id': { values: (i) => i.id, normalize: (v) => arnToId(v, 'db') },
    'dbi-resource-id': { values: (i) => i.resourceId },
    domain: { values: none },
    engine: { values: (i) => i.engine },
  },
  unknown: unrecognized,
};

/** DescribeDBClusterBacktracks filters; the status is derived at `now`. */
export const BACKTRACK_FILTERS: FilterTable<BacktrackRec, number> = {
  defs: {
    'db-cluster-backtrack-id': { values: (b) => b.id },
    'db-cluster-backtrack-status': { values: (b, now) => backtrackStatus(b, now) },
  },
  unknown: unrecognized,
};

/** DescribeDBEngineVersions filters; every version in the catalogue is provisioned. */
export const ENGINE_VERSION_FILTERS: FilterTable<EngineVersionInfo> = {
  defs: {
    'db-parameter-group-family': { values: (v) => v.family },
    engine: { values: (v) => v.engine },
    'engine-version': { values: (v) => v.version },
    'engine-mode': { values: () => 'provisioned' },
    status: { values: (v) => v.status },
  },
  unknown: unrecognized,
};
