'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { OncallStatus } from '@/lib/oncall/status';
import { msUntilNextTick } from '@/lib/http/poll-align';

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

/**
 * Poll GET /api/oncall/<region>/<cluster>: every 2 s while busy, every 15 s when idle, paused while the tab
 * is hidden, stopped once the cluster is gone (404). `kick()` forces an immediate poll and fast polling for the next 20 s (after submitting an action).
 */
export function useOncallStatus(region: string, clusterId: string, initial?: OncallStatus) {
  const [status, setStatus] = useState<OncallStatus | undefined>(initial);
  const [error, setError] = useState<string | undefined>();
  const pollNow = useRef<() => void>(() => undefined);
  const fastUntil = useRef(0);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const url = `/api/oncall/${encodeURIComponent(region)}/${encodeURIComponent(clusterId)}`;
    const poll = async () => {
      clearTimeout(timer);
      let next: OncallStatus | undefined;
      let gone = false;
      if (document.visibilityState !== 'hidden') {
        try {
          const res = await fetch(url, { cache: 'no-store' });
          const body = await res.json();
          gone = res.status === 404; // the cluster was deleted: nothing more to follow
          if (!res.ok) setError(body?.error ?? `HTTP ${res.status}`);
          else {
            next = body as OncallStatus;
            setStatus(next);
            setError(undefined);
          }
        } catch {
          setError('Lost contact with the console; retrying.');
        }
      }
      if (stopped || gone) return;
      const fast = isBusy(next) || Date.now() < fastUntil.current;
      // On the wall-clock grid, so every viewer's poll lands together and shares one server read.
      timer = setTimeout(poll, msUntilNextTick(fast ? FAST_MS : IDLE_MS));
    };
    pollNow.current = () => void poll();
    timer = setTimeout(poll, msUntilNextTick(initial && !isBusy(initial) ? IDLE_MS : FAST_MS));
    const onVis = () => {
      if (document.visibilityState === 'visible') void poll();
    };
    document.addEventListener('visibilitychange', onVis);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVis);
    };
  }, [region, clusterId, initial]);

  const kick = useCallback(() => {
    fastUntil.current = Date.now() + 20_000;
    pollNow.current();
  }, []);

  return { status, error, kick };
}
