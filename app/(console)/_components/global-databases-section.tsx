import Link from 'next/link';
import { getCurrentGlobalLag, type SecondaryLag } from '@/lib/aws/global-metrics';
import { memberLabel, type GlobalDatabaseDTO } from '@/lib/aws/global-types';
import { listFleet } from '@/lib/aws/rds/clusters';
import { listGlobalDatabases } from '@/lib/aws/rds/global-clusters';
import type { ClusterDTO } from '@/lib/aws/types';
import { isAppError } from '@/lib/errors';
import { CreateGlobalForm } from './create-global-form';

const lagText = (l: SecondaryLag | undefined) => (!l ? '' : !l.ok ? 'lag unavailable' : l.lagMs === null ? 'no lag data' : `lag ${l.lagMs >= 1000 ? `${(l.lagMs / 1000).toFixed(1)} s` : `${Math.round(l.lagMs)} ms`}`);

/**
 * The fleet page's "Global databases" section: each global database with its primary and secondaries (region,
 * cluster, sync status, each secondary's replication lag); admins can make an existing cluster the primary of a new
 * one. A failure to read global databases (or one secondary's lag) is shown here; the region tables below stay.
 */
export async function GlobalDatabasesSection({ regions, canCreate }: { regions: string[]; canCreate: boolean }) {
  let dbs: GlobalDatabaseDTO[];
  let fallbackNote: string | undefined;
  try {
    const listing = await listGlobalDatabases();
    dbs = listing.databases.filter((d) => d.members.length === 0 || d.members.some((m) => m.region && regions.includes(m.region)));
    if (listing.failedRegions.length) fallbackNote = `Read from ${listing.readFrom}; ${listing.failedRegions.map((f) => `${f.region} did not answer`).join(', ')}.`;
  } catch (e) {
    return (
      <section aria-labelledby="global-dbs-title" className="space-y-2">
        <h2 id="global-dbs-title" className="text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
          Global databases
        </h2>
        <p role="alert" data-testid="global-dbs-error" className="rounded bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-300">
          Could not list global databases: {isAppError(e) ? e.message : 'unexpected error'}
        </p>
      </section>
    );
  }
  const [lags, eligible] = await Promise.all([
    Promise.all(dbs.map((d) => getCurrentGlobalLag(d))),
    canCreate ? listFleet(regions).then((f) => f.flatMap((r) => (r.ok ? r.clusters : [])).filter((c: ClusterDTO) => !c.globalClusterId && c.status === 'available')) : Promise.resolve([]),
  ]);
  if (dbs.length === 0 && !canCreate) return null;
  return (
    <section aria-labelledby="global-dbs-title" className="space-y-2" data-testid="global-dbs">
      <h2 id="global-dbs-title" className="text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
        Global databases
      </h2>
      {fallbackNote ? <p className="text-xs text-amber-800 dark:text-amber-300">{fallbackNote}</p> : null}
      {dbs.length === 0 ? <p className="text-sm text-zinc-600 dark:text-zinc-400">No global database yet.</p> : null}
      <ul className="space-y-2">
        {dbs.map((d, k) => (
          <li key={d.id} data-testid={`global-db-${d.id}`} className="rounded border border-zinc-200 p-2 text-sm dark:border-zinc-800">
            <div className="flex flex-wrap items-baseline gap-x-3">
              <Link href={`/global/${encodeURIComponent(d.id)}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                {d.id}
              </Link>
              <span className="text-zinc-600 dark:text-zinc-400">
                {d.engine} {d.engineVersion} · {d.status}
                {d.failoverState ? ` · ${d.failoverState.dataLossAllowed ? 'failover' : 'switchover'} ${d.failoverState.status}` : ''}
              </span>
            </div>
            <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1" aria-label={`Members of ${d.id}`}>
              {d.members.map((m) => {
                const lag = lags[k].find((l) => l.region === m.region);
                return (
                  <li key={m.arn} data-testid={`global-db-member-${m.region}`} data-role={m.role}>
                    <span className={`mr-1 rounded px-1.5 py-0.5 text-xs font-medium ${m.role === 'primary' ? 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200' : 'bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200'}`}>
                      {m.role}
                    </span>
                    {memberLabel(m)}
                    {m.role === 'secondary' ? (
                      <span className="text-zinc-600 dark:text-zinc-400" data-testid="global-db-lag">
                        {' '}
                        · {m.syncStatus ?? 'sync unknown'} · {lagText(lag)}
                      </span>
                    ) : null}
                  </li>
                );
              })}
              {d.members.length === 0 ? <li className="text-zinc-600 dark:text-zinc-400">no members</li> : null}
            </ul>
          </li>
        ))}
      </ul>
      {canCreate ? <CreateGlobalForm clusters={eligible.map((c) => ({ region: c.region, id: c.id, engine: c.engine }))} /> : null}
    </section>
  );
}

/** The marker in a fleet row: "primary of X" / "secondary of X" (from the global listing; the id alone if it failed). */
export async function GlobalRowMarker({ cluster }: { cluster: Pick<ClusterDTO, 'arn' | 'globalClusterId'> }) {
  if (!cluster.globalClusterId) return null;
  const role = await listGlobalDatabases()
    .then((l) => l.databases.find((d) => d.id === cluster.globalClusterId?.toLowerCase())?.members.find((m) => m.arn === cluster.arn)?.role)
    .catch(() => undefined);
  return (
    <Link
      href={`/global/${encodeURIComponent(cluster.globalClusterId)}`}
      data-testid="global-marker"
      className="ml-2 rounded bg-violet-100 px-1.5 py-0.5 text-xs font-medium text-violet-900 hover:underline dark:bg-violet-950 dark:text-violet-200"
    >
      {role ? `${role} of ` : 'global '}
      {cluster.globalClusterId}
    </Link>
  );
}
