import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { roleAtLeast } from '@/lib/auth/permissions';
import { getEnv } from '@/lib/env';
import { isAppError } from '@/lib/errors';
import { loadCatalog, type CreateCatalog } from '@/lib/aws/rds/catalogue';
import { createClusterAction, retryCreateStepAction } from '../actions';
import { CreateClusterForm } from './_components/create-cluster-form';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Create cluster · Aurora Fleet Console' };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function NewClusterPage(props: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  if (!roleAtLeast(user.role, 'admin')) {
    // Said on the page (not an error screen): the create action refuses anyone but an admin as well.
    return (
      <main className="mx-auto max-w-3xl space-y-2 p-3 sm:p-6">
        <h1 className="text-xl font-semibold">Create an Aurora cluster</h1>
        <p role="alert" data-testid="create-forbidden" className="text-sm">
          Only admins can create clusters; you are signed in as {user.username} ({user.role}).{' '}
          <Link href="/" className="underline">
            Back to the fleet
          </Link>
        </p>
      </main>
    );
  }
  const env = getEnv();
  const sp = await props.searchParams;
  const region = typeof sp.region === 'string' && env.regions.includes(sp.region) ? sp.region : env.regions[0];
  const engine = sp.engine === 'aurora-postgresql' ? 'aurora-postgresql' : 'aurora-mysql';
  let catalog: CreateCatalog | null = null;
  let error: string | undefined;
  try {
    catalog = await loadCatalog(region, engine);
  } catch (e) {
    error = isAppError(e) ? e.message : 'Unexpected error.';
  }
  return (
    <main className="mx-auto max-w-3xl space-y-4 p-3 sm:p-6">
      <h1 className="text-xl font-semibold">Create an Aurora cluster</h1>
      <p className="text-sm text-zinc-500">
        Creates the cluster (CreateDBCluster), then its writer instance, and with Multi-AZ a reader in another Availability Zone. If a
        later step fails you will see exactly what exists and can retry the missing step.
      </p>
      <CreateClusterForm regions={env.regions} initialCatalog={catalog} initialError={error} action={createClusterAction} retryAction={retryCreateStepAction} />
    </main>
  );
}
