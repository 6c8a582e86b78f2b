'use client';
// Auto-refresh (off / 10 s / 1 min) that pauses while the tab is hidden and catches up when it returns.
import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';

export const REFRESH_OPTIONS = [
  { value: 0, label: 'Off' },
  { value: 10_000, label: '10 s' },
  { value: 60_000, label: '1 min' },
] as const;

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
export function useRefreshSetting(defaultMs = 0, scope = 'charts'): [number, (ms: number) => void] {
  const key = `afc.refreshMs.${scope}`;
  const read = useCallback(() => {
    try {
      const raw = window.localStorage.getItem(key);
      const saved = raw === null ? NaN : Number(raw);
      return REFRESH_OPTIONS.some((o) => o.value === saved) ? saved : defaultMs;
    } catch {
      return defaultMs;
    }
  }, [key, defaultMs]);
  const ms = useSyncExternalStore(subscribe, read, () => defaultMs);
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

/** Calls `tick` every `intervalMs` while the document is visible; 0 = off. */
export function useAutoRefresh(intervalMs: number, tick: () => void | Promise<void>) {
  const tickRef = useRef(tick);
  useEffect(() => {
    tickRef.current = tick;
  }, [tick]);
  useEffect(() => {
    if (!intervalMs) return;
    let last = Date.now();
    const run = () => {
      if (document.visibilityState === 'hidden') return;
      last = Date.now();
      void tickRef.current();
    };
    const id = window.setInterval(run, intervalMs);
    const onVis = () => {
      if (document.visibilityState === 'visible' && Date.now() - last >= intervalMs) run();
    };
    document.addEventListener('visibilitychange', onVis);
    return () => {
      window.clearInterval(id);
      document.removeEventListener('visibilitychange', onVis);
    };
  }, [intervalMs]);
}
