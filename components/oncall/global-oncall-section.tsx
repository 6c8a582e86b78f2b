import 'server-only';
import { getSession } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { needsApproval } from '@/lib/approvals/require-approval';
import { listGlobalDatabases } from '@/lib/aws/rds/global-clusters';
import { isAppError } from '@/lib/errors';
import { getGlobalStatus, type GlobalStatus } from '@/lib/oncall/global-status';
import { GlobalCard } from './global-card';

/**
 * The on-call page's global databases: per secondary "Switch over to <region>" and "Fail over to <region>", each
 * member read in its own region (an unreachable region shows its error in its row). Nothing when there are none.
 */
export default async function GlobalOncallSection() {
  const user = await getSession();
  if (!user) return null;
  let statuses: ({ ok: true; s: GlobalStatus } | { ok: false; id: string; error: string })[];
  try {
    const listing = await listGlobalDatabases();
    statuses = await Promise.all(
      listing.databases.map((d) =>
        getGlobalStatus(d.id, { maxAgeMs: 2_000 }).then(
          (s) => ({ ok: true as const, s }),
          (e) => ({ ok: false as const, id: d.id, error: isAppError(e) ? e.message : 'unexpected error' }),
        ),
      ),
    );
  } catch (e) {
    return (
      <p role="alert" data-testid="oncall-global-error" className="rounded bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-300">
        Global databases unavailable: {isAppError(e) ? e.message : 'unexpected error'}
      </p>
    );
  }
  if (statuses.length === 0) return null;
  const canSwitchover = can(user.role, 'global.switchover');
  const canFailover = can(user.role, 'global.failover');
  const twoPerson = needsApproval('global.failover');
  return (
    <section aria-labelledby="oncall-global-title" className="space-y-3" data-testid="oncall-global">
      <h2 id="oncall-global-title" className="text-base font-semibold">
        Global databases
      </h2>
      {statuses.map((x) =>
        x.ok ? (
          <GlobalCard key={x.s.db.id} initial={x.s} canSwitchover={canSwitchover} canFailover={canFailover} twoPerson={twoPerson} headingLevel={3} />
        ) : (
          <p key={x.id} role="alert" className="text-sm text-red-800 dark:text-red-300">
            {x.id}: {x.error}
          </p>
        ),
      )}
    </section>
  );
}
