'use client';

import type { OncallStatus } from '@/lib/oncall/status';
import { usePolledStatus } from '@/components/ui/use-polled-status';

/** Poll grids: 2 s while something moves (the server re-reads a busy cluster every 2 s), 15 s idle. */
const FAST_MS = 2_000;
const IDLE_MS = 15_000;

/** True while something on the cluster is moving (then poll fast). */
export function isBusy(s: OncallStatus | undefined): boolean {
  if (!s) return true;
  const tl = s.failover?.timeline;
  return (
    (!!tl && !tl.done && !tl.failed && s.failover!.op.status !== 'unconfirmed') ||
    !!s.backtrack?.active ||
    s.pendingApprovals.length > 0 || // a second admin may approve any moment: show the run it starts
    !!s.recentDecisions?.some((d) => d.status === 'executing') ||
    !['available', 'stopped'].includes(s.cluster.status) ||
    s.cluster.instances.some((i) => i.status !== 'available')
  );
}

const TIMES = { fastMs: FAST_MS, idleMs: IDLE_MS };

/** The cluster's live on-call status (GET /api/oncall/<region>/<cluster>): 2 s while busy, 15 s idle. */
export function useOncallStatus(region: string, clusterId: string, initial?: OncallStatus) {
  return usePolledStatus(`/api/oncall/${encodeURIComponent(region)}/${encodeURIComponent(clusterId)}`, initial, isBusy, TIMES);
}
