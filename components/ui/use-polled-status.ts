'use client';
// One polling loop for the live status routes (GET /api/oncall/<region>/<cluster>, GET /api/global/<id>): fast
// while something moves, slow when idle, on the wall-clock grid (every viewer's poll lands together and shares
// one server read), paused while the tab is hidden, stopped once the thing is gone (404). A failed poll keeps
// the last status on screen and says so. `kick()` polls now and fast for the next 20 s (after an action).
import { useCallback, useEffect, useRef, useState } from 'react';
import { msUntilNextTick } from '@/lib/http/poll-align';

export interface PollTimes {
  fastMs: number;
  idleMs: number;
}

export function usePolledStatus<T>(url: string, initial: T | undefined, isBusy: (s: T | undefined) => boolean, times: PollTimes) {
  const [status, setStatus] = useState<T | undefined>(initial);
  const [error, setError] = useState<string | undefined>();
  const [gone, setGone] = useState(false);
  const pollNow = useRef<() => void>(() => undefined);
  const fastUntil = useRef(0);
  // The latest predicate, read by the loop without restarting it.
  const busy = useRef(isBusy);
  useEffect(() => {
    busy.current = isBusy;
  }, [isBusy]);
  const { fastMs, idleMs } = times;

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const poll = async () => {
      clearTimeout(timer);
      let next: T | undefined;
      let isGone = false;
      if (document.visibilityState !== 'hidden') {
        try {
          const res = await fetch(url, { cache: 'no-store' });
          const body = await res.json();
          isGone = res.status === 404;
          if (!res.ok) setError(body?.error ?? `HTTP ${res.status}`);
          else {
            next = body as T;
            setStatus(next);
            setError(undefined);
          }
        } catch {
          setError('Lost contact with the console; retrying.');
        }
      }
      if (isGone) setGone(true);
      if (stopped || isGone) return;
      const fast = busy.current(next) || Date.now() < fastUntil.current;
      timer = setTimeout(poll, msUntilNextTick(fast ? fastMs : idleMs));
    };
    pollNow.current = () => void poll();
    timer = setTimeout(poll, msUntilNextTick(initial && !busy.current(initial) ? idleMs : fastMs));
    const onVis = () => {
      if (document.visibilityState === 'visible') void poll();
    };
    document.addEventListener('visibilitychange', onVis);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVis);
    };
  }, [url, initial, fastMs, idleMs]);

  const kick = useCallback(() => {
    fastUntil.current = Date.now() + 20_000;
    pollNow.current();
  }, []);

  return { status, error, gone, kick };
}
