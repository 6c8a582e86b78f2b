'use client';

import { useCallback, useEffect, useMemo, useRef } from 'react';
import { clusterSignature, useLiveCluster } from '@/components/cluster/live-cluster';
import type { OncallStatus } from '@/lib/oncall/status';
import { BacktrackPanel } from './backtrack-panel';
import { FailoverDialog } from './failover-dialog';
import { FailoverTimeline } from './failover-timeline';
import { RestoreLinkMessage } from './restore-link-message';
import { useOncallStatus } from './use-oncall-status';

/**
 * Client island of the cluster page: failover button + live timeline, and (Aurora MySQL) the backtrack panel.
 * The cluster itself (writer, members, statuses) comes from the page's live cluster when there is one, so the
 * header, the dialog and the topology never disagree; each poll that sees a change asks the other to read now.
 */
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
  const live = useLiveCluster();
  const polled = s ?? initial;
  const status = useMemo(() => (live ? { ...polled, cluster: live.cluster } : polled), [live, polled]);
  const c = status.cluster;
  const poke = live?.poke;
  // The page's cluster changed (a reader came up, a failover finished): refresh the timeline and history now.
  const liveSig = live ? clusterSignature(live.cluster) : '';
  const seenLive = useRef(liveSig);
  useEffect(() => {
    if (liveSig === seenLive.current) return;
    seenLive.current = liveSig;
    kick();
  }, [liveSig, kick]);
  // This poll saw a cluster the page has not seen yet: ask the page's poller to read it.
  const polledSig = clusterSignature(polled.cluster);
  useEffect(() => {
    if (poke && polledSig !== seenLive.current) poke();
  }, [polledSig, poke]);
  const changed = useCallback(() => {
    kick();
    poke?.();
  }, [kick, poke]);
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
              <FailoverDialog cluster={c} predictedTarget={status.predictedTarget} lagByInstance={status.lagByInstance} onStarted={changed} onClusterPage={!!live} />
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
        <BacktrackPanel status={status} canBacktrack={canBacktrack} canModify={canModify} prefill={backtrackTo} onChange={changed} />
      ) : (
        <section id="backtrack" className="text-sm text-zinc-600 dark:text-zinc-300" data-testid="backtrack-unsupported">
          <RestoreLinkMessage message={status.backtrack?.unsupported?.message ?? 'Backtrack is an Aurora MySQL feature.'} region={c.region} clusterId={c.id} />
        </section>
      )}
    </div>
  );
}
