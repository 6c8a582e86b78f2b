import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { getEnv } from '@/lib/env';
import { AppError, isAppError } from '@/lib/errors';
import { needsApproval } from '@/lib/approvals/require-approval';
import { getGlobalLag } from '@/lib/aws/global-metrics';
import { nowMs } from '@/lib/aws/metrics-period';
import { listEvents } from '@/lib/aws/rds/events';
import { toAppError } from '@/lib/aws/errors';
import { checkGlobalIdParam } from '@/lib/http/global-params';
import { getGlobalStatus, type GlobalStatus } from '@/lib/oncall/global-status';
import { AutoRefresh } from '@/components/charts/auto-refresh';
import { AddressRefusal } from '../../_components/address-refusal';
import { PageMessage } from '../../clusters/[region]/[clusterId]/_components/page-message';
import { GlobalLagCharts } from './_components/global-lag-charts';
import { GlobalView } from './_components/global-view';

export const dynamic = 'force-dynamic';

export async function generateMetadata(props: { params: Promise<{ globalId: string }> }) {
  const id = checkGlobalIdParam((await props.params).globalId);
  return { title: `${id instanceof AppError ? 'Bad address' : `${id} (global)`} · Aurora Fleet Console` };
}

type MemberEvents = { region: string; clusterId: string; ok: true; events: { date: string; message: string; sourceId: string }[] } | { region: string; clusterId: string; ok: false; error: string };

/** Events of every member in its own region (last 24 h); a region that does not answer gives its error in place. */
function memberEvents(s: GlobalStatus): Promise<MemberEvents[]> {
  return Promise.all(
    s.db.members.map(async (m): Promise<MemberEvents> => {
      const region = m.region ?? '?';
      const clusterId = m.clusterId ?? m.arn;
      try {
        const events = await listEvents(region, clusterId, [], { hours: 24, limit: 50 });
        return { region, clusterId, ok: true, events: events.map((e) => ({ date: e.date, message: e.message, sourceId: e.sourceId })) };
      } catch (e) {
        return { region, clusterId, ok: false, error: toAppError(e).message };
      }
    }),
  );
}

/** One Aurora global database: members per region, roles, lag and RPO-lag charts, events, and its controls. */
export default async function GlobalDatabasePage(props: { params: Promise<{ globalId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const id = checkGlobalIdParam((await props.params).globalId);
  if (id instanceof AppError) return <AddressRefusal error={id} />;
  let status: GlobalStatus;
  try {
    status = await getGlobalStatus(id);
  } catch (e) {
    return (
      <PageMessage testId="global-gone">
        {isAppError(e) && e.code === 'GLOBAL_NOT_FOUND' ? `Global database ${id} does not exist.` : `Could not read global database ${id}: ${isAppError(e) ? e.message : 'unexpected error'}`}
      </PageMessage>
    );
  }
  const now = nowMs();
  const [lag, events] = await Promise.all([getGlobalLag(status.db, { start: now - 3_600_000, end: now }, now), memberEvents(status)]);
  const env = getEnv();
  const allEvents = events
    .flatMap((m) => (m.ok ? m.events.map((e) => ({ ...e, region: m.region })) : []))
    .sort((a, b) => b.date.localeCompare(a.date))
    .slice(0, 60);
  return (
    <main className="mx-auto max-w-5xl space-y-4 p-3 sm:p-6">
      <nav className="text-sm text-zinc-600 dark:text-zinc-400">
        <Link href="/" className="hover:underline">
          Fleet
        </Link>{' '}
        / global / {status.db.id}
      </nav>
      <h1 className="text-xl font-semibold">
        {status.db.id} <span className="text-base font-normal text-zinc-600 dark:text-zinc-400">Aurora global database</span>
      </h1>
      <GlobalView
        initial={status}
        regions={env.regions}
        canSwitchover={can(user.role, 'global.switchover')}
        canFailover={can(user.role, 'global.failover')}
        canAdmin={can(user.role, 'global.attach')}
        twoPerson={needsApproval('global.failover')}
      />
      <section aria-labelledby="global-charts-title" className="space-y-2 rounded border border-zinc-200 p-3 dark:border-zinc-800">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="global-charts-title" className="text-base font-semibold">
            Replication lag, last hour
          </h2>
          <AutoRefresh defaultMs={0} scope="global" />
        </div>
        <GlobalLagCharts panels={lag.panels} window={lag.window} />
        {lag.secondaries.filter((x) => !x.ok).map((x) => (
          <p key={x.region} role="alert" className="text-sm text-red-800 dark:text-red-300">
            Lag of {x.region} / {x.clusterId} unavailable: {!x.ok ? x.error : ''}
          </p>
        ))}
      </section>
      <section aria-labelledby="global-events-title" className="space-y-2 rounded border border-zinc-200 p-3 dark:border-zinc-800">
        <h2 id="global-events-title" className="text-base font-semibold">
          Events of the members, last 24 hours
        </h2>
        {events.filter((m) => !m.ok).map((m) => (
          <p key={m.region} role="alert" className="text-sm text-red-800 dark:text-red-300" data-testid={`events-error-${m.region}`}>
            Events of {m.clusterId} in {m.region} unavailable: {!m.ok ? m.error : ''}
          </p>
        ))}
        {allEvents.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No events in the last 24 hours.</p>
        ) : (
          <table className="min-w-full text-sm" aria-label="Events of the members">
            <thead className="text-left text-xs uppercase text-zinc-600 dark:text-zinc-400">
              <tr>
                <th className="py-1 pr-3">Time (UTC)</th>
                <th className="py-1 pr-3">Region</th>
                <th className="py-1 pr-3">Source</th>
                <th className="py-1">Message</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {allEvents.map((e, k) => (
                <tr key={`${e.date}-${k}`}>
                  <td className="py-1 pr-3 whitespace-nowrap tabular-nums">{e.date.replace('T', ' ').slice(0, 19)}</td>
                  <td className="py-1 pr-3 whitespace-nowrap">{e.region}</td>
                  <td className="py-1 pr-3">{e.sourceId}</td>
                  <td className="py-1">{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}
