'use client';
// Auto-refresh (off / 10 s / 1 min) that pauses while the tab is hidden and catches up when it returns.
import { useEffect, useRef, useState } from 'react';

export const REFRESH_OPTIONS = [
  { value: 0, label: 'Off' },
  { value: 10_000, label: '10 s' },
  { value: 60_000, label: '1 min' },
] as const;

export function useRefreshSetting(defaultMs = 0, scope = 'charts'): [number, (ms: number) => void] {
  const STORAGE_KEY = `afc.refreshMs.${scope}`;
  const [ms, setMs] = useState(defaultMs);
  useEffect(() => {
    const saved = Number(window.localStorage.getItem(STORAGE_KEY));
    if (REFRESH_OPTIONS.some((o) => o.value === saved) && saved !== defaultMs) setMs(saved);
  }, [defaultMs, STORAGE_KEY]);
  return [
    ms,
    (v: number) => {
      setMs(v);
      try {
        window.localStorage.setItem(STORAGE_KEY, String(v));
      } catch {
        /* private mode */
      }
    },
  ];
}

/** Calls `tick` every `intervalMs` while the document is visible; 0 = off. */
export function useAutoRefresh(intervalMs: number, tick: () => void | Promise<void>) {
  const tickRef = useRef(tick);
  tickRef.current = tick;
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
