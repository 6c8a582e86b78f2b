'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { GlobalStatus } from '@/lib/oncall/global-status';

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

/**
 * Poll GET /api/global/<id>: every ~1.5 s while busy (or for 20 s after `kick()`), every 15 s when idle, paused while
 * the tab is hidden, stopped once the global database is gone (404). A failed poll keeps the last status on screen.
 */
export function useGlobalStatus(globalId: string, initial?: GlobalStatus) {
  const [status, setStatus] = useState<GlobalStatus | undefined>(initial);
  const [error, setError] = useState<string | undefined>();
  const [gone, setGone] = useState(false);
  const pollNow = useRef<() => void>(() => undefined);
  const fastUntil = useRef(0);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const url = `/api/global/${encodeURIComponent(globalId)}`;
    const poll = async () => {
      clearTimeout(timer);
      let next: GlobalStatus | undefined;
      let isGone = false;
      if (document.visibilityState !== 'hidden') {
        try {
          const res = await fetch(url, { cache: 'no-store' });
          const body = await res.json();
          isGone = res.status === 404;
          if (!res.ok) setError(body?.error ?? `HTTP ${res.status}`);
          else {
            next = body as GlobalStatus;
            setStatus(next);
            setError(undefined);
          }
        } catch {
          setError('Lost contact with the console; retrying.');
        }
      }
      if (isGone) setGone(true);
      if (stopped || isGone) return;
      const fast = isGlobalBusy(next) || Date.now() < fastUntil.current;
      timer = setTimeout(poll, fast ? 1_500 : 15_000);
    };
    pollNow.current = () => void poll();
    timer = setTimeout(poll, initial && !isGlobalBusy(initial) ? 15_000 : 1_000);
    const onVis = () => {
      if (document.visibilityState === 'visible') void poll();
    };
    document.addEventListener('visibilitychange', onVis);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVis);
    };
  }, [globalId, initial]);

  const kick = useCallback(() => {
    fastUntil.current = Date.now() + 20_000;
    pollNow.current();
  }, []);

  return { status, error, gone, kick };
}
