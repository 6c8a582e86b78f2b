'use client';

import type { GlobalStatus } from '@/lib/oncall/global-status';
import { usePolledStatus } from '@/components/ui/use-polled-status';

/** True while something on the global database moves (then poll fast). */
export function isGlobalBusy(s: GlobalStatus | undefined): boolean {
  if (!s) return true;
  const tl = s.operation?.timeline;
  return (
    (!!tl && !tl.done && !tl.failed && s.operation!.op.status !== 'unconfirmed') ||
    !!s.db.failoverState ||
    s.db.transitional ||
    s.pendingApprovals.length > 0 ||
    s.recentDecisions.some((d) => d.status === 'executing') ||
    s.members.some((m) => m.ok && m.status !== 'available') ||
    s.db.members.some((m) => m.syncStatus && m.syncStatus !== 'connected')
  );
}

// 1.5 s while busy would not land on a shared grid with the 2 s of the cluster pages' polls: 2 s, like them.
const TIMES = { fastMs: 2_000, idleMs: 15_000 };

/** The global database's live status (GET /api/global/<id>): 2 s while busy, 15 s idle; `gone` after a 404. */
export function useGlobalStatus(globalId: string, initial?: GlobalStatus) {
  return usePolledStatus(`/api/global/${encodeURIComponent(globalId)}`, initial, isGlobalBusy, TIMES);
}
