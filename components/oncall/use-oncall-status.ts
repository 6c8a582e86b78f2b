'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { OncallStatus } from '@/lib/approvals/oncall-status';

/** True while something on the cluster is moving (then poll fast). */
export function isBusy(s: OncallStatus | undefined): boolean {
  if (!s) return true;
  const tl = s.failover?.timeline;
  return (
    (!!tl && !tl.done && !tl.failed && s.failover!.op.status !== 'unconfirmed') ||
    !!s.backtrack?.active ||
    !['available', 'stopped'].includes(s.cluster.status) ||
    s.cluster.instances.some((i) => i.status !== 'available')
  );
}

/**
 * Poll GET /api/oncall/<region>/<cluster>: every ~1.5 s while busy, every 15 s when idle, paused while the tab
 * is hidden. `kick()` forces an immediate fast poll (after submitting an action).
 */
export function useOncallStatus(region: string, clusterId: string, initial?: OncallStatus) {
  const [status, setStatus] = useState<OncallStatus | undefined>(initial);
  const [error, setError] = useState<string | undefined>();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const fastUntil = useRef(0);

  const poll = useCallback(async () => {
    clearTimeout(timer.current);
    let next: OncallStatus | undefined;
    if (document.visibilityState !== 'hidden') {
      try {
        const res = await fetch(`/api/oncall/${encodeURIComponent(region)}/${encodeURIComponent(clusterId)}`, { cache: 'no-store' });
        const body = await res.json();
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
    const fast = isBusy(next) || Date.now() < fastUntil.current;
    timer.current = setTimeout(poll, fast ? 1_500 : 15_000);
  }, [region, clusterId]);

  useEffect(() => {
    timer.current = setTimeout(poll, initial && !isBusy(initial) ? 15_000 : 1_000);
    const onVis = () => {
      if (document.visibilityState === 'visible') void poll();
    };
    document.addEventListener('visibilitychange', onVis);
    return () => {
      clearTimeout(timer.current);
      document.removeEventListener('visibilitychange', onVis);
    };
  }, [poll, initial]);

  const kick = useCallback(() => {
    fastUntil.current = Date.now() + 20_000;
    void poll();
  }, [poll]);

  return { status, error, kick };
}
