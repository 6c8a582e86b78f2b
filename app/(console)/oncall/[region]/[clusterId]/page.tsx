import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { checkClusterParams } from '@/lib/http/params';
import ClusterOncallPanel from '@/components/oncall/cluster-oncall-panel';
import { AddressRefusal } from '../../../_components/address-refusal';

export const dynamic = 'force-dynamic';

/** Focused on-call view of one cluster: failover + live timeline, backtrack panel (the same panel as on the cluster page). */
export default async function OncallClusterPage(props: {
  params: Promise<{ region: string; clusterId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireUser();
  const p = checkClusterParams(await props.params);
  if (p instanceof AppError) return <AddressRefusal error={p} />;
  const { region, clusterId } = p;
  return (
    <main className="mx-auto max-w-4xl space-y-4 p-3 sm:p-6">
      <nav className="text-sm text-zinc-500">
        <Link href="/oncall" className="underline">
          On-call
        </Link>{' '}
        / {region} /{' '}
        <Link href={`/clusters/${encodeURIComponent(region)}/${encodeURIComponent(clusterId)}`} className="underline">
          {clusterId}
        </Link>
      </nav>
      <h1 className="text-xl font-semibold">
        {clusterId} <span className="text-base font-normal text-zinc-500">on-call</span>
      </h1>
      <ClusterOncallPanel region={region} clusterId={clusterId} searchParams={props.searchParams} />
    </main>
  );
}
