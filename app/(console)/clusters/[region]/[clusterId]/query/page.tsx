import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { AppError, isAppError } from '@/lib/errors';
import { checkClusterParams } from '@/lib/http/params';
import { findCluster } from '@/lib/aws/rds/clusters';
import { canQuery, queryRole } from '@/lib/query/role';
import { listQueryHistory, resolveSecret } from '@/lib/query/store';
import { DataApiSetup } from '@/components/query/data-api-setup';
import { QueryConsole } from '@/components/query/query-console';
import { PageMessage } from '../_components/page-message';
import { AddressRefusal } from '../../../../_components/address-refusal';

export const dynamic = 'force-dynamic';

export async function generateMetadata(props: { params: Promise<{ region: string; clusterId: string }> }) {
  const p = checkClusterParams(await props.params);
  return { title: `${p instanceof AppError ? 'Bad address' : `Query ${p.clusterId}`} · Aurora Fleet Console` };
}

export default async function QueryPage(props: { params: Promise<{ region: string; clusterId: string }> }) {
  const user = await requireUser();
  const p = checkClusterParams(await props.params);
  if (p instanceof AppError) return <AddressRefusal error={p} />;
  const { region, clusterId } = p;
  if (!canQuery(user.role)) {
    return (
      <PageMessage testId="query-unavailable">
        You need the {queryRole()} role to run SQL; you are signed in as {user.username} ({user.role}).
      </PageMessage>
    );
  }

  let cluster;
  try {
    cluster = await findCluster(region, clusterId);
  } catch (e) {
    return <PageMessage testId="query-unavailable">Could not read cluster {clusterId} in {region}: {isAppError(e) ? e.message : 'unexpected error'}</PageMessage>;
  }
  if (!cluster) return <PageMessage testId="query-unavailable">Cluster {clusterId} no longer exists in {region}.</PageMessage>;

  const [secret, history] = await Promise.all([resolveSecret(cluster), listQueryHistory(user.username, region, cluster.id)]);
  const clusterHref = `/clusters/${encodeURIComponent(region)}/${encodeURIComponent(cluster.id)}`;

  return (
    <main className="mx-auto max-w-5xl space-y-4 p-3 sm:p-6">
      <nav className="text-sm text-zinc-500">
        <Link href="/" className="hover:underline">
          Fleet
        </Link>{' '}
        / <Link href={`/?region=${encodeURIComponent(region)}`} className="hover:underline">{region}</Link> /{' '}
        <Link href={clusterHref} className="hover:underline">
          {cluster.id}
        </Link>{' '}
        / Query
      </nav>
      <header className="space-y-1">
        <h1 className="text-xl font-semibold">Query {cluster.id}</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {cluster.engine} {cluster.engineVersion} · SQL through the RDS Data API. Every run is audited (SQL text with passwords redacted, never the
          rows).
        </p>
      </header>
      <DataApiSetup
        region={region}
        clusterId={cluster.id}
        httpEndpointEnabled={cluster.httpEndpointEnabled}
        secretSource={secret.source}
        secretArn={secret.arn}
        canConfigure={can(user.role, 'cluster.modify')}
      />
      <QueryConsole region={region} clusterId={cluster.id} engine={cluster.engine} defaultDatabase={cluster.databaseName} history={history} />
    </main>
  );
}
