import Link from 'next/link';
import { Suspense } from 'react';
import { requireUser } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { getEnv } from '@/lib/env';
import { listFleet } from '@/lib/aws/rds/clusters';
import { regionNotConfigured } from '@/lib/aws/regions';
import { listHref } from '@/lib/http/list-query';
import { StatusBadge } from '@/components/ui/status-badge';
import { ListNotices, Pager } from '@/components/ui/pager';
import { RefreshWhileBusy } from '@/components/cluster/refresh-while-busy';
import { FLEET_ENGINES, fleetPage, parseFleetListQuery, type FleetSort } from './fleet-list';
import { GlobalDatabasesSection, GlobalRowMarker } from './_components/global-databases-section';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Fleet · Aurora Fleet Console' };

type SearchParams = Record<string, string | string[] | undefined>;

const field = 'rounded border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700';

export default async function FleetPage(props: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const env = getEnv();
  const q = parseFleetListQuery(await props.searchParams);
  const wanted = q.filters.region;
  const regions = wanted ? env.regions.filter((r) => r === wanted) : env.regions;
  const canCreate = can(user.role, 'cluster.create');
  // One cached listing per region (shared by every viewer); filtering, sorting and paging happen here, so the
  // browser receives one page of rows whatever the fleet's size.
  const fleet = await listFleet(regions);
  const all = fleet.flatMap((r) => (r.ok ? r.clusters : []));
  const shown = fleetPage(all, q);
  const statuses = [...new Set(all.map((c) => c.status))].sort();
  const current = { q: q.filters.q, engine: q.filters.engine, status: q.filters.status, region: wanted, sort: q.sort === 'name' ? undefined : q.sort, dir: q.dir === 'asc' ? undefined : q.dir };
  const href = (change: Record<string, string | number | undefined>) => listHref('/', current, change);
  const sortHref = (k: FleetSort) => href({ sort: k, dir: q.sort === k && q.dir === 'asc' ? 'desc' : k === 'instances' && q.sort !== k ? 'desc' : 'asc', page: undefined });
  const filtered = !!(q.filters.q || q.filters.engine || q.filters.status);

  return (
    <main className="mx-auto max-w-6xl space-y-4 p-3 sm:p-6">
      <header className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold">Fleet</h1>
          <p className="text-sm text-zinc-500">
            {all.length.toLocaleString('en-US')} Aurora cluster{all.length === 1 ? '' : 's'} in {regions.length ? regions.join(', ') : 'no region'}
            {wanted ? (
              <>
                {' '}
                · <Link href="/" className="text-sky-700 underline dark:text-sky-400">all regions</Link>
              </>
            ) : null}
          </p>
        </div>
        {canCreate ? (
          <Link href="/clusters/new" className="rounded bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800">
            Create cluster
          </Link>
        ) : null}
      </header>
      {wanted && regions.length === 0 ? (
        <p role="alert" className="rounded bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          {regionNotConfigured(wanted).message}
        </p>
      ) : null}
      <Suspense fallback={<p className="animate-pulse text-sm text-zinc-500">Loading global databases…</p>}>
        <GlobalDatabasesSection regions={regions} canCreate={canCreate} />
      </Suspense>
      {fleet.map((r) =>
        r.ok ? null : (
          <p key={r.region} role="alert" data-testid={`region-error-${r.region}`} className="rounded bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-300">
            Could not list clusters in {r.region}: {r.error}
          </p>
        ),
      )}

      <form method="get" action="/" className="flex flex-wrap items-end gap-2 text-sm" aria-label="Filter clusters" data-testid="fleet-filter">
        <label className="flex flex-col">
          Search
          <input name="q" type="search" defaultValue={q.filters.q ?? ''} placeholder="cluster or writer" className={field} />
        </label>
        <label className="flex flex-col">
          Engine
          <select name="engine" defaultValue={q.filters.engine ?? ''} className={field}>
            <option value="">All engines</option>
            {FLEET_ENGINES.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          Status
          <select name="status" defaultValue={q.filters.status ?? ''} className={field}>
            <option value="">Any status</option>
            <option value="changing">changing (any instance)</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        {wanted ? <input type="hidden" name="region" value={wanted} /> : null}
        {current.sort ? <input type="hidden" name="sort" value={current.sort} /> : null}
        {current.dir ? <input type="hidden" name="dir" value={current.dir} /> : null}
        <button type="submit" className="rounded border border-zinc-300 px-3 py-1 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
          Filter
        </button>
        {filtered ? (
          <Link href={listHref('/', { region: wanted }, {})} className="px-2 py-1 text-zinc-600 hover:underline dark:text-zinc-400">
            Clear
          </Link>
        ) : null}
      </form>
      <ListNotices notices={[...q.notices, shown.notice]} />

      <RefreshWhileBusy active={shown.rows.some((c) => c.anyTransitional)} intervalMs={5000} />
      {all.length === 0 && fleet.every((r) => r.ok) && regions.length ? (
        <p className="text-sm text-zinc-500">No Aurora clusters in {regions.join(', ')}.</p>
      ) : (
        <div className="overflow-x-auto rounded border border-zinc-200 dark:border-zinc-800">
          <table className="min-w-full text-sm" aria-label="Clusters" data-testid="fleet-table">
            <thead className="bg-zinc-50 text-left text-xs uppercase text-zinc-500 dark:bg-zinc-900">
              <tr>
                {(
                  [
                    ['name', 'Cluster'],
                    ['engine', 'Engine'],
                    ['status', 'Status'],
                  ] as const
                ).map(([k, label]) => (
                  <th key={k} className="px-3 py-2" aria-sort={q.sort === k ? (q.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                    <Link href={sortHref(k)} className="hover:underline">
                      {label}
                      {q.sort === k ? (q.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                    </Link>
                  </th>
                ))}
                <th className="px-3 py-2">Writer</th>
                <th className="px-3 py-2" aria-sort={q.sort === 'instances' ? (q.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                  <Link href={sortHref('instances')} className="hover:underline">
                    Readers{q.sort === 'instances' ? (q.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </Link>
                </th>
                <th className="px-3 py-2">Multi-AZ</th>
                <th className="px-3 py-2" aria-sort={q.sort === 'region' ? (q.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                  <Link href={sortHref('region')} className="hover:underline">
                    Region{q.sort === 'region' ? (q.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </Link>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {shown.rows.length === 0 ? (
                <tr>
                  <td colSpan={7} className="p-4 text-center text-zinc-500">
                    No cluster matches the filter.
                  </td>
                </tr>
              ) : null}
              {shown.rows.map((c) => (
                <tr key={`${c.region}/${c.id}`} data-testid={`cluster-row-${c.id}`} data-region={c.region} data-busy={c.anyTransitional ? 'true' : undefined} className={c.anyTransitional ? 'bg-amber-50/60 dark:bg-amber-950/30' : ''}>
                  <td className="px-3 py-2 font-medium">
                    <Link href={`/clusters/${encodeURIComponent(c.region)}/${encodeURIComponent(c.id)}`} className="text-sky-700 hover:underline dark:text-sky-400">
                      {c.id}
                    </Link>
                    <GlobalRowMarker cluster={c} />
                  </td>
                  <td className="px-3 py-2">
                    {c.engine} <span className="text-zinc-500">{c.engineVersion}</span>
                  </td>
                  <td className="px-3 py-2">
                    <StatusBadge status={c.status} />
                    {!c.transitional && c.anyTransitional ? <span className="ml-1 text-xs text-amber-700 dark:text-amber-400">instances changing</span> : null}
                  </td>
                  <td className="px-3 py-2">{c.writerId ?? <span className="text-zinc-500">none</span>}</td>
                  <td className="px-3 py-2">{c.readerCount}</td>
                  <td className="px-3 py-2">{c.multiAZ ? 'Yes' : 'No'}</td>
                  <td className="px-3 py-2">{c.region}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={shown} label="Clusters" hrefFor={(p) => href({ page: p })} />
    </main>
  );
}
