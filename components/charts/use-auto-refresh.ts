'use client';
// Auto-refresh that pauses while the tab is hidden and catches up when it returns. Ticks fall on the
// wall-clock grid of the interval (lib/http/poll-align), so every viewer of a page refreshes at the same
// moment and the server's shared cache answers all of them with one load.
import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import { msUntilNextTick } from '@/lib/http/poll-align';

export interface RefreshOption {
  value: number;
  label: string;
}

const MIN = 60_000;

/**
 * The choices per scope. Fleet health shows 3 h at a 5-minute period: refreshing faster than the period
 * fetches the same points again (and GetMetricData bills every time), so its choices start at the period.
 * Cluster charts' period follows the range (1 min for ranges up to ~16 h).
 */
export const REFRESH_CHOICES = {
  fleet: [
    { value: 0, label: 'Off' },
    { value: 5 * MIN, label: '5 min' },
    { value: 15 * MIN, label: '15 min' },
    { value: 60 * MIN, label: '1 h' },
  ],
  charts: [
    { value: 0, label: 'Off' },
    { value: MIN, label: '1 min' },
    { value: 5 * MIN, label: '5 min' },
    { value: 15 * MIN, label: '15 min' },
  ],
  /** The global database view's lag charts (1-minute period), remembered apart from a cluster's charts. */
  global: [
    { value: 0, label: 'Off' },
    { value: MIN, label: '1 min' },
    { value: 5 * MIN, label: '5 min' },
    { value: 15 * MIN, label: '15 min' },
  ],
} as const satisfies Record<string, readonly RefreshOption[]>;
export type RefreshScope = keyof typeof REFRESH_CHOICES;

/** Defaults that keep a page left open cheap (see lib/aws/metrics-cost): fleet health 15 min, charts off. */
export const REFRESH_DEFAULTS: Record<RefreshScope, number> = { fleet: 15 * MIN, charts: 0, global: 0 };

/** Kept for callers that list the chart choices. */
export const REFRESH_OPTIONS = REFRESH_CHOICES.charts;

const CHANGE_EVENT = 'afc-refresh-setting';

function subscribe(cb: () => void) {
  window.addEventListener('storage', cb);
  window.addEventListener(CHANGE_EVENT, cb);
  return () => {
    window.removeEventListener('storage', cb);
    window.removeEventListener(CHANGE_EVENT, cb);
  };
}

/** The refresh interval, remembered per scope in localStorage (server render uses the default). */
export function useRefreshSetting(defaultMs?: number, scope: RefreshScope = 'charts'): [number, (ms: number) => void] {
  const key = `afc.refreshMs.${scope}`;
  const def = defaultMs ?? REFRESH_DEFAULTS[scope];
  const read = useCallback(() => {
    try {
      const raw = window.localStorage.getItem(key);
      const saved = raw === null ? NaN : Number(raw);
      return (REFRESH_CHOICES[scope] as readonly RefreshOption[]).some((o) => o.value === saved) ? saved : def;
    } catch {
      return def;
    }
  }, [key, def, scope]);
  const ms = useSyncExternalStore(subscribe, read, () => def);
  const set = useCallback(
    (v: number) => {
      try {
        window.localStorage.setItem(key, String(v));
      } catch {
        /* private mode: the choice lasts for this page only */
      }
      window.dispatchEvent(new Event(CHANGE_EVENT));
    },
    [key],
  );
  return [ms, set];
}

/** Calls `tick` on the `intervalMs` wall-clock grid while the document is visible; 0 = off. */
export function useAutoRefresh(intervalMs: number, tick: () => void | Promise<void>) {
  const tickRef = useRef(tick);
  useEffect(() => {
    tickRef.current = tick;
  }, [tick]);
  useEffect(() => {
    if (!intervalMs) return;
    let last = Date.now();
    let timer: number | undefined;
    const schedule = () => {
      timer = window.setTimeout(run, msUntilNextTick(intervalMs));
    };
    const run = () => {
      if (document.visibilityState !== 'hidden') {
        last = Date.now();
        void tickRef.current();
      }
      schedule();
    };
    schedule();
    const onVis = () => {
      if (document.visibilityState === 'visible' && Date.now() - last >= intervalMs) {
        last = Date.now();
        void tickRef.current();
      }
    };
    document.addEventListener('visibilitychange', onVis);
    return () => {
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVis);
    };
  }, [intervalMs]);
}
