import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import ClusterOncallPanel from '@/components/oncall/cluster-oncall-panel';

export const dynamic = 'force-dynamic';

/** Focused on-call view of one cluster: failover + live timeline, backtrack panel (the same panel as on the cluster page). */
export default async function OncallClusterPage(props: {
  params: Promise<{ region: string; clusterId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireUser();
  const { region, clusterId } = await props.params;
  return (
    <main className="mx-auto max-w-4xl space-y-4 p-3 sm:p-6">
      <nav className="text-sm text-zinc-500">
        <Link href="/oncall" className="underline">
          On-call
        </Link>{' '}
        / {region} /{' '}
        <Link href={`/clusters/${region}/${clusterId}`} className="underline">
          {clusterId}
        </Link>
      </nav>
      <h1 className="text-xl font-semibold">
        {clusterId} <span className="text-base font-normal text-zinc-500">on-call</span>
      </h1>
      <ClusterOncallPanel region={decodeURIComponent(region)} clusterId={decodeURIComponent(clusterId)} searchParams={props.searchParams} />
    </main>
  );
}
