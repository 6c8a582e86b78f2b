import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';
import { getFleetHealth } from '@/lib/aws/metrics';
import { nowMs } from '@/lib/aws/metrics-period';
import { formatPeriodText, formatValue, lagTone } from '@/components/charts/format';
import { Sparkline } from '@/components/charts/sparkline';
import { AutoRefresh } from '@/components/charts/auto-refresh';
import { statusTone } from '@/components/ui/status-badge';
import { listHref, pageOf, parseListQuery } from '@/lib/http/list-query';
import { ListNotices, Pager } from '@/components/ui/pager';
import { filterAndSort, parseFleetQuery, SORT_KEYS, type FleetQuery, type FleetRow, type SortKey } from './fleet-rows';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Fleet health · Aurora Fleet Console' };

const WINDOW_MS = 3 * 3_600_000;
/** 36 points per sparkline over 3 h, and the refresh choices start at this period (GetMetricData bills per refresh). */
const PERIOD_SEC = 300;
const PAGE_SIZE = 50;

const TONE_CLASS = {
  ok: 'text-emerald-700 dark:text-emerald-400',
  warn: 'text-amber-700 dark:text-amber-400',
  critical: 'text-red-700 font-semibold dark:text-red-400',
  none: 'text-zinc-500',
} as const;

function sortHref(q: FleetQuery, key: SortKey): string {
  const sp = new URLSearchParams();
  if (q.region) sp.set('region', q.region);
  if (q.engine) sp.set('engine', q.engine);
  if (q.q) sp.set('q', q.q);
  sp.set('sort', key);
  sp.set('dir', q.sort === key ? (q.dir === 'asc' ? 'desc' : 'asc') : key === 'lag' || key === 'commit' ? 'desc' : 'asc');
  return `/health?${sp.toString()}`;
}

function SortHeader({ q, k, children }: { q: FleetQuery; k: SortKey; children: React.ReactNode }) {
  const active = q.sort === k;
  return (
    <th scope="col" aria-sort={active ? (q.dir === 'asc' ? 'ascending' : 'descending') : 'none'} className="px-2 py-2 text-left font-medium">
      <Link href={sortHref(q, k)} className="hover:underline">
        {children}
        {active ? (q.dir === 'asc' ? ' ▲' : ' ▼') : ''}
      </Link>
    </th>
  );
}

export default async function FleetHealthPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const env = getEnv();
  const sp = await searchParams;
  const q = parseFleetQuery(sp);
  const thresholds = env.lagThresholdsMs;
  const now = nowMs();
  const fleet = await getFleetHealth(env.regions, { start: now - WINDOW_MS, end: now }, now, { minPeriodSec: PERIOD_SEC });
  // Page number and address problems (unknown filter, bad page) are reported, never a 500.
  const lq = parseListQuery(sp, { filters: ['region', 'engine', 'q'], sortKeys: SORT_KEYS, defaultSort: 'lag', descByDefault: ['lag', 'commit'], allowed: { region: env.regions } });
  const metricsPerRefresh = fleet.reduce((n, r) => n + r.metricsPerRefresh, 0);

  const rows: FleetRow[] = fleet.flatMap((r) =>
    r.clusters.map((c) => ({
      region: r.region,
      id: c.id,
      engine: c.engine,
      status: c.status ?? 'unknown',
      writer: c.writerId,
      instanceCount: c.instances.length,
      metrics: r.ok ? (c as (typeof r.clusters)[number]).metrics : undefined,
      metricsError: r.ok ? undefined : r.error,
    })),
  );
  const matching = filterAndSort(rows, q);
  const shownPage = pageOf(matching, lq.page, PAGE_SIZE);
  const shown = shownPage.rows;
  const pageHref = (p: number) => listHref('/health', { region: q.region, engine: q.engine, q: q.q, sort: q.sort, dir: q.dir }, { page: p });
  const engines = [...new Set(rows.map((r) => r.engine))].sort();
  const okRegion = fleet.find((r) => r.ok);
  const period = okRegion?.ok ? okRegion.window.periodSec : undefined;
  const failed = fleet.filter((r) => !r.ok);
  const warnings = fleet.flatMap((r) => (r.ok ? r.warnings : []));

  return (
    <main className="mx-auto max-w-7xl space-y-4 p-3 sm:p-6">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold">Fleet health</h1>
          <p className="text-sm text-zinc-500">
            {rows.length} clusters in {env.regions.join(', ')} · replica lag and commit throughput, last 3 h
            {period ? ` · period ${formatPeriodText(period)}` : ''} · lag thresholds {thresholds.warn} ms / {formatValue(thresholds.critical, 'ms')}
            {env.backend === 'local' ? ' · simulated data from the local endpoint' : ''}
          </p>
        </div>
        <AutoRefresh scope="fleet" cost={{ metricsPerRefresh }} />
      </header>

      <form method="get" action="/health" className="flex flex-wrap items-end gap-2 text-sm" aria-label="Filter clusters">
        <label className="flex flex-col">
          Region
          <select name="region" defaultValue={q.region ?? ''} className="rounded border border-zinc-300 bg-transparent px-1 py-1 dark:border-zinc-700">
            <option value="">All regions</option>
            {env.regions.map((r: string) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          Engine
          <select name="engine" defaultValue={q.engine ?? ''} className="rounded border border-zinc-300 bg-transparent px-1 py-1 dark:border-zinc-700">
            <option value="">All engines</option>
            {engines.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          Name
          <input name="q" defaultValue={q.q ?? ''} placeholder="cluster or writer" className="rounded border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700" />
        </label>
        <input type="hidden" name="sort" value={q.sort} />
        <input type="hidden" name="dir" value={q.dir} />
        <button type="submit" className="rounded border border-zinc-300 px-3 py-1 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
          Filter
        </button>
        {q.region || q.engine || q.q ? (
          <Link href="/health" className="px-2 py-1 text-zinc-600 hover:underline dark:text-zinc-400">
            Clear
          </Link>
        ) : null}
      </form>

      <ListNotices notices={[...lq.notices, shownPage.notice]} />
      {failed.map((r) => (
        <p key={r.region} role="alert" className="rounded bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-300">
          {r.region}: {!r.ok ? r.error : ''}
        </p>
      ))}
      {warnings.length ? <p className="text-xs text-amber-800 dark:text-amber-300">{warnings.join(' ')}</p> : null}

      <div className="overflow-x-auto rounded border border-zinc-200 dark:border-zinc-800">
        <table className="min-w-full text-sm" data-testid="fleet-health">
          <thead className="bg-zinc-50 text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
            <tr>
              <SortHeader q={q} k="name">Cluster</SortHeader>
              <SortHeader q={q} k="region">Region</SortHeader>
              <SortHeader q={q} k="engine">Engine</SortHeader>
              <SortHeader q={q} k="status">Status</SortHeader>
              <th scope="col" className="px-2 py-2 text-left font-medium">Writer</th>
              <SortHeader q={q} k="lag">Worst replica lag</SortHeader>
              <th scope="col" className="px-2 py-2 text-left font-medium">Lag, 3 h</th>
              <SortHeader q={q} k="commit">Commits</SortHeader>
              <th scope="col" className="px-2 py-2 text-left font-medium">Commits, 3 h</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {shown.length === 0 ? (
              <tr>
                <td colSpan={9} className="p-4 text-center text-zinc-500">
                  {rows.length === 0 ? 'No clusters in these regions.' : matching.length === 0 ? 'No cluster matches the filter.' : 'No rows on this page.'}
                </td>
              </tr>
            ) : null}
            {shown.map((r) => {
              const tone = lagTone(r.metrics?.worstLagMs, thresholds);
              return (
                <tr key={`${r.region}/${r.id}`} data-testid="fleet-row" data-cluster={r.id} data-region={r.region}>
                  <td className="px-2 py-1.5 font-medium">
                    <Link href={`/clusters/${encodeURIComponent(r.region)}/${encodeURIComponent(r.id)}`} className="text-blue-700 hover:underline dark:text-blue-400">
                      {r.id}
                    </Link>
                    <span className="ml-1 text-xs text-zinc-500">{r.instanceCount} inst.</span>
                  </td>
                  <td className="px-2 py-1.5">{r.region}</td>
                  <td className="px-2 py-1.5">{r.engine}</td>
                  <td className="px-2 py-1.5">
                    <span className={statusTone(r.status) === 'ok' ? '' : 'text-amber-700 dark:text-amber-400'}>{r.status}</span>
                  </td>
                  <td className="px-2 py-1.5">{r.writer ?? <span className="text-red-700 dark:text-red-400">none</span>}</td>
                  {r.metricsError ? (
                    <td colSpan={4} className="px-2 py-1.5 text-xs text-zinc-500">
                      metrics unavailable
                    </td>
                  ) : (
                    <>
                      <td className={`px-2 py-1.5 tabular-nums ${TONE_CLASS[tone]}`} data-testid="worst-lag" data-tone={tone}>
                        {r.metrics?.worstLagMs === null || r.metrics?.worstLagMs === undefined ? 'no readers' : formatValue(r.metrics.worstLagMs, 'ms')}
                      </td>
                      <td className="px-2 py-1.5">
                        <Sparkline
                          points={r.metrics?.lag ?? []}
                          label={`${r.id} replica lag`}
                          threshold={thresholds.warn}
                          className={tone === 'critical' ? 'text-red-600 dark:text-red-400' : tone === 'warn' ? 'text-amber-600 dark:text-amber-400' : 'text-emerald-600 dark:text-emerald-400'}
                        />
                      </td>
                      <td className="px-2 py-1.5 tabular-nums">{formatValue(r.metrics?.latestCommit, '/s')}</td>
                      <td className="px-2 py-1.5">
                        <Sparkline points={r.metrics?.commit ?? []} label={`${r.id} commit throughput`} />
                      </td>
                    </>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Pager page={shownPage} label="Clusters" hrefFor={pageHref} />
      <p className="text-xs text-zinc-500">
        One cluster listing and one batched CloudWatch fetch per region for the whole page (cluster-level metrics, {PERIOD_SEC / 60}-minute period); results are shared by every viewer.
      </p>
    </main>
  );
}
