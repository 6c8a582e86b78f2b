'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import type { GlobalStatus, MemberClusterState } from '@/lib/oncall/global-status';
import type { SecondaryLag } from '@/lib/aws/global-metrics';
import { GlobalSwitchDialog } from './global-switch-dialog';
import { GlobalTimeline } from './global-timeline';
import { useGlobalStatus } from './use-global-status';

const ms = (v: number | null | undefined) => (v === undefined ? 'unavailable' : v === null ? 'no data' : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);

function roleBadge(role: string) {
  return role === 'primary'
    ? 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200'
    : 'bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200';
}

/**
 * One global database, live: members per region (each read in its own region; a region that does not answer shows
 * its error in its row, the rest stays), roles, sync status, replication and RPO lag, the switchover/failover
 * buttons per secondary and the timeline of the latest one. `children(status)` adds the page's own controls.
 */
export function GlobalCard({
  initial,
  canSwitchover,
  canFailover,
  twoPerson,
  headingLevel = 2,
  children,
}: {
  initial: GlobalStatus;
  canSwitchover: boolean;
  canFailover: boolean;
  twoPerson: boolean;
  headingLevel?: 2 | 3;
  children?: (s: GlobalStatus, kick: () => void) => ReactNode;
}) {
  const { status: polled, error, gone, kick } = useGlobalStatus(initial.db.id, initial);
  const s = polled ?? initial;
  const db = s.db;
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const stateOf = (region?: string) => s.members.find((m) => m.region === region);
  const lagOf = (region?: string) => s.lag.find((l) => l.region === region);
  const op = s.operation;
  const showOp = op && (!op.timeline.done || op.op.completedAt! > s.serverNow - 30 * 60_000);
  return (
    <section aria-labelledby={`global-${db.id}-title`} data-testid={`global-card-${db.id}`} className="space-y-3 rounded border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <H id={`global-${db.id}-title`} className="text-base font-semibold">
          <Link href={`/global/${encodeURIComponent(db.id)}`} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
            {db.id}
          </Link>{' '}
          <span className="text-sm font-normal text-zinc-600 dark:text-zinc-400">global database</span>
        </H>
        <span className="text-sm text-zinc-600 dark:text-zinc-400">
          {db.engine} {db.engineVersion} · status <span data-testid="global-status">{db.status}</span>
          {db.failoverState ? (
            <span data-testid="global-failover-state">
              {' '}
              · {db.failoverState.dataLossAllowed ? 'failover' : 'switchover'} {db.failoverState.status}
            </span>
          ) : null}
        </span>
      </div>
      {db.endpoint ? (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          Global writer endpoint <code className="break-all">{db.endpoint}</code>
        </p>
      ) : null}
      {s.failedRegions.length ? (
        <p role="status" className="rounded bg-amber-50 p-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100" data-testid="global-read-fallback">
          Read from {s.readFrom}: {s.failedRegions.map((f) => `${f.region} did not answer (${f.error})`).join('; ')}
        </p>
      ) : null}
      <div className="overflow-x-auto">
        <table className="min-w-full text-sm" aria-label={`Members of ${db.id}`}>
          <thead className="text-left text-xs uppercase text-zinc-600 dark:text-zinc-400">
            <tr>
              <th className="px-2 py-1">Region</th>
              <th className="px-2 py-1">Cluster</th>
              <th className="px-2 py-1">Role</th>
              <th className="px-2 py-1">Cluster status</th>
              <th className="px-2 py-1">Replication lag</th>
              <th className="px-2 py-1">RPO lag</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {db.members.map((m) => (
              <MemberRow
                key={m.arn}
                status={s}
                region={m.region ?? '?'}
                clusterId={m.clusterId ?? m.arn}
                role={m.role}
                sync={m.syncStatus}
                state={stateOf(m.region)}
                lag={m.role === 'secondary' ? lagOf(m.region) : undefined}
              />
            ))}
            {db.members.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-2 py-2 text-zinc-600 dark:text-zinc-400">
                  No member clusters: an empty global database.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {canSwitchover || canFailover ? (
        // Ordered by region, not by role, and kept mounted when a member becomes the primary (its buttons are then
        // hidden): an open dialog stays open, with its live timeline, while the roles swap underneath it.
        <div className="flex flex-wrap gap-2" data-testid="global-switch-actions">
          {[...db.members]
            .filter((m) => m.region && m.clusterId)
            .sort((a, b) => a.region!.localeCompare(b.region!))
            .map((m) => (
              <div key={m.arn} className="contents">
                {canSwitchover ? <GlobalSwitchDialog status={s} region={m.region!} clusterId={m.clusterId!} mode="switchover" twoPerson={false} onStarted={kick} hidden={m.role === 'primary'} /> : null}
                {canFailover ? <GlobalSwitchDialog status={s} region={m.region!} clusterId={m.clusterId!} mode="failover" twoPerson={twoPerson} onStarted={kick} hidden={m.role === 'primary'} /> : null}
              </div>
            ))}
        </div>
      ) : null}
      {s.pendingApprovals.length ? (
        <ul className="space-y-1 text-sm" data-testid="global-pending">
          {s.pendingApprovals.map((a) => (
            <li key={a.id} className="rounded border border-sky-300 p-2 dark:border-sky-800">
              Waiting for a second admin: {a.summary} (requested by {a.requestedBy}) ·{' '}
              <Link href="/approvals" className="underline">
                Approvals
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      {showOp ? <GlobalTimeline mode={op!.mode} op={op!.op} timeline={op!.timeline} globalId={db.id} /> : null}
      {gone ? <p className="text-sm text-zinc-600 dark:text-zinc-400">This global database no longer exists.</p> : null}
      {error ? <p className="text-sm text-amber-800 dark:text-amber-300">{error}</p> : null}
      {children?.(s, kick)}
    </section>
  );
}

function MemberRow(p: {
  status: GlobalStatus;
  region: string;
  clusterId: string;
  role: string;
  sync?: string;
  state?: MemberClusterState;
  lag?: SecondaryLag;
}) {
  const { state, lag } = p;
  return (
    <tr data-testid={`global-member-${p.region}`} data-role={p.role}>
      <td className="px-2 py-1.5 whitespace-nowrap">{p.region}</td>
      <td className="px-2 py-1.5">
        <Link href={`/clusters/${encodeURIComponent(p.region)}/${encodeURIComponent(p.clusterId)}`} className="text-sky-700 hover:underline dark:text-sky-400">
          {p.clusterId}
        </Link>
      </td>
      <td className="px-2 py-1.5">
        <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${roleBadge(p.role)}`} data-testid="member-role">
          {p.role}
        </span>
        {p.sync ? <span className="ml-1 text-xs text-zinc-600 dark:text-zinc-400">{p.sync}</span> : null}
      </td>
      <td className="px-2 py-1.5" data-testid="member-state">
        {!state ? (
          '…'
        ) : state.ok ? (
          <>
            {state.status} · {state.instanceCount} instance{state.instanceCount === 1 ? '' : 's'}
          </>
        ) : (
          <span role="alert" className="text-red-800 dark:text-red-300" data-testid="member-region-error">
            {p.region} unreachable: {state.error}
          </span>
        )}
      </td>
      <td className="px-2 py-1.5 tabular-nums" data-testid="member-lag">
        {p.role === 'primary' ? '—' : lag?.ok ? ms(lag.lagMs) : lag ? <span title={lag.error}>unavailable</span> : '…'}
      </td>
      <td className="px-2 py-1.5 tabular-nums" data-testid="member-rpo">
        {p.role === 'primary' ? '—' : lag?.ok ? ms(lag.rpoMs) : '—'}
      </td>
    </tr>
  );
}
