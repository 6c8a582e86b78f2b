import { describe, expect, it } from 'vitest';
import { filterAndSort, parseFleetQuery, type FleetRow } from './fleet-rows';

const m = (lag: number | null, commit: number | null) => ({ lag: [], commit: [], worstLagMs: lag, latestCommit: commit, status: 'Complete' });
const rows: FleetRow[] = [
  { region: 'us-east-1', id: 'orders-prod', engine: 'aurora-mysql', status: 'available', writer: 'orders-prod-2', instanceCount: 3, metrics: m(40, 300) },
  { region: 'us-east-1', id: 'billing', engine: 'aurora-mysql', status: 'available', writer: 'billing-1', instanceCount: 1, metrics: m(null, 5) },
  { region: 'eu-west-1', id: 'catalog-pg', engine: 'aurora-postgresql', status: 'available', writer: 'catalog-pg-1', instanceCount: 3, metrics: m(1500, 80) },
  { region: 'eu-west-1', id: 'orders-eu', engine: 'aurora-mysql', status: 'failing-over', writer: 'orders-eu-1', instanceCount: 2, metrics: m(120, 900) },
];

describe('fleet rows', () => {
  it('sorts by worst lag, highest first, by default; clusters without readers last', () => {
    const q = parseFleetQuery({});
    expect(q).toMatchObject({ sort: 'lag', dir: 'desc' });
    expect(filterAndSort(rows, q).map((r) => r.id)).toEqual(['catalog-pg', 'orders-eu', 'orders-prod', 'billing']);
  });
  it('filters by region, engine and name, and sorts by name', () => {
    expect(filterAndSort(rows, parseFleetQuery({ region: 'eu-west-1' })).map((r) => r.id)).toEqual(['catalog-pg', 'orders-eu']);
    expect(filterAndSort(rows, parseFleetQuery({ engine: 'aurora-mysql', sort: 'name' })).map((r) => r.id)).toEqual(['billing', 'orders-eu', 'orders-prod']);
    expect(filterAndSort(rows, parseFleetQuery({ q: 'ORDERS', sort: 'commit', dir: 'asc' })).map((r) => r.id)).toEqual(['orders-prod', 'orders-eu']);
  });
  it('ignores unknown sort keys', () => {
    expect(parseFleetQuery({ sort: 'drop table', dir: 'sideways' })).toMatchObject({ sort: 'lag', dir: 'desc' });
  });
});
