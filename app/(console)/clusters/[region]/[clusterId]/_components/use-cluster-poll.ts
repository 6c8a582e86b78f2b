'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClusterDTO } from '@/lib/aws/types';
import { msUntilNextTick } from '@/lib/http/poll-align';

type PollState = { cluster: ClusterDTO; gone: false; error?: string } | { cluster: ClusterDTO; gone: true; error?: string };

const FAST_MS = 2000;
const IDLE_MAX_MS = 15000;

/**
 * Polls GET /api/clusters/[region]/[id]: every 2 s while anything is transitional, backing off to 15 s when idle,
 * paused while the tab is hidden. `poke()` polls now and resets the backoff (after an action).
 */
export function useClusterPoll(initial: ClusterDTO) {
  const [s, setS] = useState<PollState>({ cluster: initial, gone: false });
  const delay = useRef(initial.anyTransitional ? FAST_MS : 4000);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const url = `/api/clusters/${encodeURIComponent(initial.region)}/${encodeURIComponent(initial.id)}`;

  const pollRef = useRef<() => Promise<void>>(async () => {});

  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      let gone = false;
      if (document.visibilityState === 'visible') {
        try {
          const res = await fetch(url, { cache: 'no-store' });
          const body = await res.json().catch(() => ({}));
          if (stopped) return;
          if (res.status === 404 && body.code === 'CLUSTER_NOT_FOUND') {
            gone = true;
            setS((p) => ({ cluster: p.cluster, gone: true }));
          } else if (!res.ok) {
            setS((p) => ({ ...p, error: body.error ?? `HTTP ${res.status}` }));
          } else {
            const c = body.cluster as ClusterDTO;
            delay.current = c.anyTransitional ? FAST_MS : Math.min(IDLE_MAX_MS, delay.current * 2);
            setS({ cluster: c, gone: false });
          }
        } catch {
          if (stopped) return;
          setS((p) => ({ ...p, error: 'Connection to the console lost; retrying.' }));
          delay.current = Math.min(IDLE_MAX_MS, delay.current * 2);
        }
      }
      // On the interval's wall-clock grid: every viewer polls at the same moment and shares one server read.
      if (!gone && !stopped) timer.current = setTimeout(() => void poll(), msUntilNextTick(delay.current));
    };
    pollRef.current = poll;
    timer.current = setTimeout(() => void poll(), msUntilNextTick(delay.current));
    const onVisible = () => {
      if (document.visibilityState === 'visible') {
        delay.current = FAST_MS;
        void poll();
      }
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      if (timer.current) clearTimeout(timer.current);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [url]);

  const poke = useCallback(() => {
    delay.current = FAST_MS;
    void pollRef.current();
  }, []);

  return { ...s, poke };
}
