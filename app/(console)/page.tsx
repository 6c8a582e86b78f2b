import Link from 'next/link';
import { Suspense } from 'react';
import { requireUser } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { getEnv } from '@/lib/env';
import { listClusters } from '@/lib/aws/rds/clusters';
import { isAppError } from '@/lib/errors';
import { regionNotConfigured } from '@/lib/aws/regions';
import type { ClusterDTO } from '@/lib/aws/types';
import { StatusBadge } from '@/components/ui/status-badge';
import { RefreshWhileBusy } from '@/components/cluster/refresh-while-busy';
import { GlobalDatabasesSection, GlobalRowMarker } from './_components/global-databases-section';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Fleet · Aurora Fleet Console' };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function FleetPage(props: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const env = getEnv();
  const sp = await props.searchParams;
  const wanted = typeof sp.region === 'string' && sp.region ? sp.region : undefined;
  const regions = wanted ? env.regions.filter((r) => r === wanted) : env.regions;
  const canCreate = can(user.role, 'cluster.create');

  return (
    <main className="mx-auto max-w-6xl space-y-5 p-3 sm:p-6">
      <header className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold">Fleet</h1>
          <p className="text-sm text-zinc-500">
            Every Aurora cluster in {regions.length ? regions.join(', ') : 'no region'}
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
      {regions.map((region) => (
        <section key={region} aria-labelledby={`region-${region}`} data-testid={`region-${region}`} className="space-y-2">
          <h2 id={`region-${region}`} className="text-sm font-semibold uppercase tracking-wide text-zinc-500">
            <Link href={`/?region=${encodeURIComponent(region)}`} className="hover:underline">
              {region}
            </Link>
          </h2>
          <Suspense fallback={<p className="animate-pulse text-sm text-zinc-500">Loading clusters in {region}…</p>}>
            <RegionClusters region={region} />
          </Suspense>
        </section>
      ))}
    </main>
  );
}

async function RegionClusters({ region }: { region: string }) {
  let clusters: ClusterDTO[];
  try {
    clusters = await listClusters(region);
  } catch (e) {
    const msg = isAppError(e) ? e.message : 'Unexpected error while listing clusters.';
    return (
      <p role="alert" data-testid={`region-error-${region}`} className="rounded bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-300">
        Could not list clusters in {region}: {msg}
      </p>
    );
  }
  if (clusters.length === 0) return <p className="text-sm text-zinc-500">No Aurora clusters in {region}.</p>;
  const busy = clusters.some((c) => c.anyTransitional);
  return (
    <div className="overflow-x-auto rounded border border-zinc-200 dark:border-zinc-800">
      <RefreshWhileBusy active={busy} intervalMs={5000} />
      <table className="min-w-full text-sm" aria-label={`Clusters in ${region}`}>
        <thead className="bg-zinc-50 text-left text-xs uppercase text-zinc-500 dark:bg-zinc-900">
          <tr>
            <th className="px-3 py-2">Cluster</th>
            <th className="px-3 py-2">Engine</th>
            <th className="px-3 py-2">Status</th>
            <th className="px-3 py-2">Writer</th>
            <th className="px-3 py-2">Readers</th>
            <th className="px-3 py-2">Multi-AZ</th>
            <th className="px-3 py-2">Region</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {clusters.map((c) => (
            <tr key={c.id} data-testid={`cluster-row-${c.id}`} className={c.anyTransitional ? 'bg-amber-50/60 dark:bg-amber-950/30' : ''}>
              <td className="px-3 py-2 font-medium">
                <Link href={`/clusters/${encodeURIComponent(region)}/${encodeURIComponent(c.id)}`} className="text-sky-700 hover:underline dark:text-sky-400">
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
              <td className="px-3 py-2">{region}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
