'use client';
// Re-render the current server page on an interval (router.refresh), paused while the tab is hidden, on the
// interval's wall-clock grid. The server side is cached and de-duplicated, so any number of viewers costs one
// AWS call per refresh; the selector shows what a refresh costs in CloudWatch.
import { useRouter } from 'next/navigation';
import { RefreshSelect, type RefreshCost } from './refresh-select';
import { REFRESH_CHOICES, useAutoRefresh, useRefreshSetting, type RefreshScope } from './use-auto-refresh';

export function AutoRefresh({ defaultMs, label = 'Auto-refresh', scope = 'fleet', cost }: { defaultMs?: number; label?: string; scope?: RefreshScope; cost?: RefreshCost }) {
  const router = useRouter();
  const [ms, setMs] = useRefreshSetting(defaultMs, scope);
  useAutoRefresh(ms, () => router.refresh());
  return <RefreshSelect label={label} value={ms} options={REFRESH_CHOICES[scope]} onChange={setMs} cost={cost} />;
}
