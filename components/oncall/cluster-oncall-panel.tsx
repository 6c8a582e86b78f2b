import 'server-only';
import { getSession } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { isAppError } from '@/lib/errors';
import { getOncallStatus } from '@/lib/oncall/status';
import { OncallLivePanel } from './oncall-live-panel';

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * The on-call panel for the cluster page (server component): failover button + live timeline and, on Aurora
 * MySQL, the backtrack panel (id="backtrack"), pre-filled from `?backtrackTo=<ISO>`.
 * Mount it as `<ClusterOncallPanel region={region} clusterId={clusterId} searchParams={sp} />`.
 */
export default async function ClusterOncallPanel(props: {
  region: string;
  clusterId: string;
  searchParams?: SearchParams | Promise<SearchParams>;
}) {
  const { region, clusterId } = props;
  const user = await getSession();
  if (!user) return null;
  const sp = (await props.searchParams) ?? {};
  const raw = sp.backtrackTo;
  const backtrackTo = typeof raw === 'string' ? raw : Array.isArray(raw) ? raw[0] : undefined;
  let initial: Awaited<ReturnType<typeof getOncallStatus>> | undefined;
  let failure: string | undefined;
  try {
    initial = await getOncallStatus(region, clusterId);
  } catch (e) {
    failure = isAppError(e) ? e.message : 'unexpected error';
  }
  if (!initial) {
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-400">
        On-call panel unavailable: {failure}
      </p>
    );
  }
  return (
    <OncallLivePanel
      initial={initial}
      canFailover={can(user.role, 'cluster.failover')}
      canBacktrack={can(user.role, 'cluster.backtrack')}
      canModify={can(user.role, 'cluster.modify')}
      backtrackTo={backtrackTo}
    />
  );
}
