'use client';
// Re-render the current server page on an interval (router.refresh), paused while the tab is hidden.
// The server side is cached and de-duplicated, so any number of viewers costs one AWS call per period.
import { useRouter } from 'next/navigation';
import { REFRESH_OPTIONS, useAutoRefresh, useRefreshSetting } from './use-auto-refresh';

export function AutoRefresh({ defaultMs = 60_000, label = 'Auto-refresh', scope = 'page' }: { defaultMs?: number; label?: string; scope?: string }) {
  const router = useRouter();
  const [ms, setMs] = useRefreshSetting(defaultMs, scope);
  useAutoRefresh(ms, () => router.refresh());
  return (
    <label className="flex items-center gap-1 text-sm">
      {label}
      <select value={ms} onChange={(e) => setMs(Number(e.target.value))} className="rounded border border-zinc-300 bg-transparent px-1 py-0.5 dark:border-zinc-700">
        {REFRESH_OPTIONS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
