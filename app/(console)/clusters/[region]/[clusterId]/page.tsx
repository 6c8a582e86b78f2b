import Link from 'next/link';
import { Suspense } from 'react';
import { requireUser } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { getEnv } from '@/lib/env';
import { AppError, isAppError } from '@/lib/errors';
import { checkClusterParams } from '@/lib/http/params';
import { listOrderableClasses } from '@/lib/aws/rds/catalogue';
import { findCluster } from '@/lib/aws/rds/clusters';
import { listEvents } from '@/lib/aws/rds/events';
import { canQuery } from '@/lib/query/role';
import type { EventDTO, OrderableClassDTO } from '@/lib/aws/types';
import ClusterMetrics from '@/components/charts/cluster-metrics';
import ClusterOncallPanel from '@/components/oncall/cluster-oncall-panel';
import { addReaderAction, deleteClusterAction, modifyInstanceAction, rebootInstanceAction, removeReaderAction } from './actions';
import { ClusterView, type ClusterActions } from './_components/cluster-view';
import { AddressRefusal } from '../../../_components/address-refusal';
import { PageMessage } from './_components/page-message';
import { BackupsPanel } from './_components/backups-panel';

export const dynamic = 'force-dynamic';

type SearchParams = Record<string, string | string[] | undefined>;

export async function generateMetadata(props: { params: Promise<{ region: string; clusterId: string }> }) {
  const p = checkClusterParams(await props.params);
  return { title: `${p instanceof AppError ? 'Bad address' : p.clusterId} · Aurora Fleet Console` };
}

export default async function ClusterPage(props: { params: Promise<{ region: string; clusterId: string }>; searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const p = checkClusterParams(await props.params);
  if (p instanceof AppError) return <AddressRefusal error={p} />;
  const { region, clusterId } = p;
  const sp = await props.searchParams;

  let cluster;
  try {
    cluster = await findCluster(region, clusterId);
  } catch (e) {
    return <PageMessage testId="cluster-gone">Could not read cluster {clusterId} in {region}: {isAppError(e) ? e.message : 'unexpected error'}</PageMessage>;
  }
  if (!cluster) return <PageMessage testId="cluster-gone">Cluster {clusterId} no longer exists in {region}.</PageMessage>;

  const [events, classes] = await Promise.all([
    listEvents(region, cluster.id, cluster.instances.map((i) => i.id), { limit: 200 }).catch((): EventDTO[] => []),
    can(user.role, 'instance.create') ? listOrderableClasses(region, cluster.engine, cluster.engineVersion).catch((): OrderableClassDTO[] => []) : Promise.resolve([]),
  ]);

  // Viewers get no mutating controls (and every action refuses them on the server anyway).
  const actions: ClusterActions = {
    addReader: can(user.role, 'instance.create') ? addReaderAction : undefined,
    remove: can(user.role, 'instance.delete') ? removeReaderAction : undefined,
    reboot: can(user.role, 'instance.reboot') ? rebootInstanceAction : undefined,
    modify: can(user.role, 'instance.modify') ? modifyInstanceAction : undefined,
    deleteCluster: can(user.role, 'cluster.delete') ? deleteClusterAction : undefined,
  };

  return (
    <main className="mx-auto max-w-5xl space-y-4 p-3 sm:p-6">
      <nav className="text-sm text-zinc-500">
        <Link href="/" className="hover:underline">
          Fleet
        </Link>{' '}
        / <Link href={`/?region=${encodeURIComponent(region)}`} className="hover:underline">{region}</Link> / {cluster.id}
        {canQuery(user.role) ? (
          <>
            {' · '}
            <Link href={`/clusters/${encodeURIComponent(region)}/${encodeURIComponent(cluster.id)}/query`} className="text-sky-700 hover:underline dark:text-sky-400" data-testid="query-link">
              Query
            </Link>
          </>
        ) : null}
      </nav>
      <ClusterView initial={cluster} initialEvents={events} classes={classes} actions={actions} localEndpoint={getEnv().backend === 'local'}>
        {/* Slot: METRICS' charts (components/charts/cluster-metrics). */}
        <section aria-label="Metrics" className="rounded border border-zinc-200 p-3 dark:border-zinc-800">
          <Suspense fallback={<p className="animate-pulse text-sm text-zinc-500">Loading metrics…</p>}>
            <ClusterMetrics region={region} clusterId={cluster.id} searchParams={sp} />
          </Suspense>
        </section>
        {/* Slot: failover / backtrack panel (on-call engineer, components/oncall/cluster-oncall-panel). */}
        <section aria-label="Failover and backtrack" className="rounded border border-zinc-200 p-3 dark:border-zinc-800">
          <Suspense fallback={<p className="animate-pulse text-sm text-zinc-500">Loading on-call panel…</p>}>
            <ClusterOncallPanel region={region} clusterId={cluster.id} searchParams={sp} />
          </Suspense>
        </section>
        {/* Slot: snapshots, point-in-time restore and clones (./_components/backups-panel). */}
        <Suspense fallback={<p className="animate-pulse text-sm text-zinc-500">Loading backups…</p>}>
          <BackupsPanel cluster={cluster} />
        </Suspense>
      </ClusterView>
    </main>
  );
}
