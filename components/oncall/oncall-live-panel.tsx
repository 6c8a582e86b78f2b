'use client';

import type { OncallStatus } from '@/lib/oncall/status';
import { BacktrackPanel } from './backtrack-panel';
import { FailoverDialog } from './failover-dialog';
import { FailoverTimeline } from './failover-timeline';
import { useOncallStatus } from './use-oncall-status';

/** Client island of the cluster page: failover button + live timeline, and (Aurora MySQL) the backtrack panel. */
export function OncallLivePanel({
  initial,
  canFailover,
  canBacktrack,
  canModify,
  backtrackTo,
}: {
  initial: OncallStatus;
  canFailover: boolean;
  canBacktrack: boolean;
  canModify: boolean;
  backtrackTo?: string;
}) {
  const { status: s, error, kick } = useOncallStatus(initial.cluster.region, initial.cluster.id, initial);
  const status = s ?? initial;
  const c = status.cluster;
  return (
    <div className="space-y-6" data-testid="oncall-panel">
      <section id="failover" aria-labelledby="failover-title" className="space-y-3 scroll-mt-16">
        <div className="flex flex-wrap items-center gap-3">
          <h2 id="failover-title" className="text-base font-semibold">
            Failover
          </h2>
          <span className="text-sm text-zinc-500">
            writer <code data-testid="current-writer">{c.writerId ?? '—'}</code> · {c.instances.length} instance{c.instances.length === 1 ? '' : 's'} · status{' '}
            <span data-testid="oncall-cluster-status">{c.status}</span>
          </span>
          {canFailover ? (
            <span className="ml-auto">
              <FailoverDialog cluster={c} predictedTarget={status.predictedTarget} onStarted={kick} />
            </span>
          ) : null}
        </div>
        {c.instances.length < 2 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-300">
            {c.id} has one instance: a failover has no reader to promote. Add a reader to make failover possible.
          </p>
        ) : null}
        {status.failover ? <FailoverTimeline op={status.failover.op} timeline={status.failover.timeline} clusterId={c.id} /> : null}
        {error ? <p className="text-sm text-amber-700 dark:text-amber-400">{error}</p> : null}
      </section>
      {c.engine === 'aurora-mysql' ? (
        <BacktrackPanel status={status} canBacktrack={canBacktrack} canModify={canModify} prefill={backtrackTo} onChange={kick} />
      ) : (
        <section id="backtrack" className="text-sm text-zinc-600 dark:text-zinc-300" data-testid="backtrack-unsupported">
          {status.backtrack?.unsupported?.message ?? 'Backtrack is an Aurora MySQL feature.'}
        </section>
      )}
    </div>
  );
}
