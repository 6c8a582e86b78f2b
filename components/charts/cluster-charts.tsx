'use client';
// The cluster's chart island: range picker, auto-refresh through the authenticated metrics route,
// the panels, event markers, "period · points" footer, and picking a backtrack time from a chart.
import { useCallback, useMemo, useState } from 'react';
import { usePathname, useRouter } from 'next/navigation';
import type { ClusterMetricsResult } from '@/lib/aws/metrics';
import { PICK_TARGETS, pickTargets, type PickTarget } from './pick-target';
import { MetricChart } from './metric-chart';
import { RangePicker } from './range-picker';
import { REFRESH_OPTIONS, useAutoRefresh, useRefreshSetting } from './use-auto-refresh';
import { RefreshSelect } from './refresh-select';
import type { BackgroundMetricRead } from '@/lib/aws/metrics-cost';
import { formatPeriodText, instancePalette, MARKER_COLORS, plural } from './format';

/**
 * A user-timing mark when the chart island's code starts to run (DevTools' Performance panel shows it; the
 * bench splits the page's main-thread tasks there: before it, the page itself — HTML, the framework, hydration;
 * from it on, the charts — their code, data and every panel's draw).
 */
export const CHARTS_ISLAND_MARK = 'afc:charts-island';
if (typeof performance !== 'undefined' && typeof performance.mark === 'function') performance.mark(CHARTS_ISLAND_MARK);

export interface ClusterChartsProps {
  region: string;
  clusterId: string;
  initial: ClusterMetricsResult | { ok: false; code: 'BAD_RANGE'; error: string };
  /** The range query string (range=… or start=…&end=…) to poll with. */
  rangeQuery: string;
  activeRange: string;
  rangeStart?: number;
  rangeEnd?: number;
  /** The viewer may backtrack (admin): clicking a chart then picks the backtrack time. */
  canBacktrack?: boolean;
  /** The viewer may restore to a point in time (admin): clicking a chart can pick the restore time. */
  canRestore?: boolean;
  /** Metric reads the page makes whatever the refresh choice (the on-call panel's lag): part of its cost. */
  refreshBackground?: BackgroundMetricRead[];
}

export function ClusterCharts({ region, clusterId, initial, rangeQuery, activeRange, rangeStart, rangeEnd, canBacktrack = false, canRestore = false, refreshBackground }: ClusterChartsProps) {
  const router = useRouter();
  const pathname = usePathname();
  const [data, setData] = useState(initial);
  const [refreshMs, setRefreshMs] = useRefreshSetting(0);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [picked, setPicked] = useState<string | null>(null);
  const [only, setOnly] = useState<string | null>(null);
  const isolate = useCallback((id: string) => setOnly((cur) => (cur === id ? null : id)), []);

  const refresh = useCallback(async () => {
    if (initial.ok === false && initial.code === 'BAD_RANGE') return;
    setLoading(true);
    try {
      const res = await fetch(`/api/metrics/cluster/${encodeURIComponent(region)}/${encodeURIComponent(clusterId)}?${rangeQuery}`, {
        cache: 'no-store',
        headers: { accept: 'application/json' },
      });
      const body = (await res.json().catch(() => null)) as ClusterMetricsResult | { error?: string } | null;
      if (!res.ok || !body || !('ok' in body)) {
        setRefreshError((body && 'error' in body && body.error) || `Refresh failed (HTTP ${res.status}).`);
      } else {
        setData(body);
        setRefreshError(null);
      }
    } catch {
      setRefreshError('Refresh failed: the console server could not be reached.');
    } finally {
      setLoading(false);
    }
  }, [region, clusterId, rangeQuery, initial]);

  useAutoRefresh(refreshMs, refresh);

  const ok = data.ok ? data : null;
  const backtrackEnabled = !!ok?.backtrackEnabled;
  const targets = useMemo(() => pickTargets({ backtrackEnabled, canBacktrack, canRestore }), [backtrackEnabled, canBacktrack, canRestore]);
  const [chosenTarget, setChosenTarget] = useState<PickTarget | null>(null);
  const target: PickTarget | undefined = useMemo(() => (chosenTarget && targets.includes(chosenTarget) ? chosenTarget : targets[0]), [chosenTarget, targets]);
  const pick = useCallback(
    (t: number) => {
      if (!target) return;
      const to = PICK_TARGETS[target];
      const iso = new Date(Math.floor(t / 1000) * 1000).toISOString();
      setPicked(iso);
      const sp = new URLSearchParams(window.location.search);
      sp.set(to.param, iso);
      router.replace(`${pathname}?${sp.toString()}#${to.anchor}`, { scroll: false });
      // Take the person (and keyboard focus) to the pre-filled form: the charts re-render after the URL change.
      window.setTimeout(() => {
        document.getElementById(to.anchor)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
        document.querySelector<HTMLInputElement>(to.input)?.focus({ preventScroll: true });
      }, 50);
    },
    [router, pathname, target],
  );
  const onPick = target ? pick : undefined;
  // The pick hint only makes sense when at least one chart has a point to click.
  const anyData = !!ok?.panels.some((p) => p.series.some((s) => s.points > 0));
  const palette = useMemo(() => instancePalette(ok?.panels.flatMap((p) => p.series.flatMap((s) => (s.instance ? [s.instance] : []))) ?? []), [ok]);
  const markerKinds = useMemo(() => [...new Set(ok?.markers.map((m) => m.kind) ?? [])], [ok]);

  return (
    <div className="space-y-3" data-testid="cluster-metrics">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <RangePicker active={activeRange} start={rangeStart} end={rangeEnd} />
        <div className="flex items-center gap-2 text-sm">
          <RefreshSelect
            value={refreshMs}
            options={REFRESH_OPTIONS}
            onChange={setRefreshMs}
            cost={ok ? { metricsPerRefresh: ok.metricsPerRefresh, background: refreshBackground } : undefined}
          />
          <button type="button" onClick={() => void refresh()} disabled={loading} className="rounded border border-zinc-300 px-2 py-0.5 hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800">
            {loading ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </div>
      {refreshError ? (
        <p role="status" className="rounded bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          {refreshError} Showing the last data.
        </p>
      ) : null}
      {!data.ok ? (
        <p role="alert" data-testid="chart-error" className="rounded border border-red-200 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          {data.error}
        </p>
      ) : (
        <>
          {ok!.notice ? (
            <p className="text-sm text-zinc-700 dark:text-zinc-300" role="status" data-testid="chart-range-notice">
              {ok!.notice}
            </p>
          ) : null}
          {onPick && anyData ? (
            <p className="text-xs text-zinc-500" data-testid="chart-pick-hint">
              {PICK_TARGETS[target!].sentence}{picked ? ` — picked ${picked.replace('T', ' ').slice(0, 19)} UTC` : ''}.
            </p>
          ) : null}
          {onPick && anyData && targets.length > 1 ? (
            <fieldset className="flex flex-wrap items-center gap-2 text-xs text-zinc-500">
              <legend className="sr-only">A click on a chart picks the moment to</legend>
              {targets.map((t) => (
                <label key={t} className="flex items-center gap-1">
                  <input type="radio" name="chart-pick-target" checked={t === target} onChange={() => setChosenTarget(t)} /> {t === 'backtrack' ? 'backtrack' : 'restore as a new cluster'}
                </label>
              ))}
            </fieldset>
          ) : null}
          {markerKinds.length ? (
            <ul className="flex flex-wrap gap-3 text-xs text-zinc-600 dark:text-zinc-400" aria-label="Event markers" data-testid="marker-legend">
              {ok!.markers.map((m) => (
                <li key={`${m.t}-${m.kind}-${m.source}`} data-kind={m.kind} className="flex items-center gap-1">
                  <span aria-hidden className="inline-block h-3 w-0.5" style={{ background: MARKER_COLORS[m.kind] }} />
                  {m.label} · {new Date(m.t).toISOString().slice(11, 16)}
                </li>
              ))}
            </ul>
          ) : null}
          {only ? (
            <p className="flex items-center gap-2 text-sm" role="status" data-testid="isolated">
              Showing <span className="font-mono">{only}</span> only (and the cluster maximum).
              <button type="button" onClick={() => setOnly(null)} className="rounded border border-zinc-300 px-2 py-0.5 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
                Show all instances
              </button>
            </p>
          ) : (
            <p className="text-xs text-zinc-500">Click an instance in a legend to show only it in every chart.</p>
          )}
          <div className="grid gap-3 lg:grid-cols-2">
            {ok!.panels.map((p) => (
              <MetricChart
                key={p.id}
                panel={p}
                markers={ok!.markers}
                window={ok!.window}
                palette={palette}
                only={only}
                onIsolate={isolate}
                onPick={onPick}
                pickHint={onPick ? PICK_TARGETS[target!].hint : undefined}
              />
            ))}
          </div>
          <p className="text-xs text-zinc-500" data-testid="chart-period">
            period {formatPeriodText(ok!.window.periodSec)} · {plural(ok!.pointsPerSeries, 'point')}
            {' · '}
            {new Date(ok!.window.start).toISOString().slice(0, 16).replace('T', ' ')} – {new Date(ok!.window.end).toISOString().slice(0, 16).replace('T', ' ')} UTC
            {' · updated '}
            {new Date(ok!.fetchedAt).toISOString().slice(11, 19)}
          </p>
          {ok!.warnings.length ? (
            <ul className="text-xs text-amber-800 dark:text-amber-300" data-testid="chart-warnings">
              {ok!.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
        </>
      )}
    </div>
  );
}
