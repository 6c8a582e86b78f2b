import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { getEnv } from '@/lib/env';
import { listFleet } from '@/lib/aws/rds/clusters';
import type { ClusterDTO } from '@/lib/aws/types';
import { predictAuroraTarget } from '@/lib/oncall/preflight';
import { FailoverDialog } from '@/components/oncall/failover-dialog';
import { formatLag } from '@/components/oncall/format';
import { getLagForFleet, ONCALL_LAG_MAX_AGE_MS, type FleetLag } from '@/lib/oncall/lag';
import { isRegionBusy } from '@/lib/aws/poll-schedule';
import { nowMs } from '@/lib/aws/metrics-period';
import { listHref, pageOf, parseListQuery } from '@/lib/http/list-query';
import { ListNotices, Pager } from '@/components/ui/pager';
import GlobalOncallSection from '@/components/oncall/global-oncall-section';
import { troubleScore } from './sort';

const PAGE_SIZE = 50;

export const dynamic = 'force-dynamic';
export const metadata = { title: 'On-call · Aurora Fleet Console' };

const statusClass = (s: string) =>
  s === 'available'
    ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300'
    : 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-300';

function lagClass(ms: number | null | undefined, t: { warn: number; critical: number }) {
  if (ms === undefined || ms === null) return 'text-zinc-500';
  if (ms >= t.critical) return 'text-red-700 font-semibold dark:text-red-400';
  if (ms >= t.warn) return 'text-amber-700 dark:text-amber-400';
  return '';
}

type SearchParams = Record<string, string | string[] | undefined>;

export default async function OncallPage(props: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const env = getEnv();
  // Trouble first, one page at a time (filters in the URL): a fleet of 1,000 stays a short page.
  const lq = parseListQuery(await props.searchParams, { filters: ['q', 'engine', 'region'], sortKeys: ['trouble'], defaultSort: 'trouble', allowed: { region: env.regions, engine: ['aurora-mysql', 'aurora-postgresql'] } });
  const regions = lq.filters.region ? [lq.filters.region] : env.regions;
  const fleet = (await listFleet(regions)).map((r) => (r.ok ? { region: r.region, clusters: r.clusters } : { region: r.region, clusters: [], error: r.error }));
  // Lag in two reads per region, both shared by every viewer within their slot: each cluster's worst lag (one
  // series per cluster: enough to sort the whole fleet trouble first), then each reader's own lag for the page's
  // clusters only (the failover dialogs). 1,000 clusters of 5 readers cost 2 + 1 metric batches, not 12.
  const now = nowMs();
  const maxAge = (region: string) => (isRegionBusy(region, now) ? ONCALL_LAG_MAX_AGE_MS.busy : ONCALL_LAG_MAX_AGE_MS.idle);
  const lagByRegion = new Map<string, FleetLag>();
  await Promise.all(fleet.map(async (r) => lagByRegion.set(r.region, await getLagForFleet(r.region, r.clusters, now, { maxAgeMs: maxAge(r.region), parts: 'worst' }))));
  const rows: { c: ClusterDTO; region: string; worst: number | null | undefined; perInstance?: Record<string, number | null> }[] = fleet.flatMap((r) => {
    const lag = lagByRegion.get(r.region)!;
    return r.clusters.map((c) => ({ c, region: r.region, worst: lag.ok ? (lag.byCluster[c.id]?.worst ?? null) : undefined }));
  });
  const needle = lq.filters.q?.toLowerCase();
  const matching = rows.filter((r) => (!lq.filters.engine || r.c.engine === lq.filters.engine) && (!needle || r.c.id.toLowerCase().includes(needle)));
  matching.sort((a, b) => troubleScore(b.c, b.worst, env.lagThresholdsMs) - troubleScore(a.c, a.worst, env.lagThresholdsMs) || (b.worst ?? -1) - (a.worst ?? -1) || a.c.id.localeCompare(b.c.id));
  const shown = pageOf(matching, lq.page, PAGE_SIZE);
  await Promise.all(
    regions.map(async (region) => {
      const here = shown.rows.filter((r) => r.region === region && lagByRegion.get(region)?.ok);
      if (here.length === 0) return;
      const lag = await getLagForFleet(region, here.map((r) => r.c), now, { maxAgeMs: maxAge(region), parts: 'readers' });
      for (const r of here) r.perInstance = lag.ok ? lag.byCluster[r.c.id]?.byInstance : undefined;
    }),
  );
  const canFailover = can(user.role, 'cluster.failover');
  const lagErrors = [...lagByRegion.entries()].filter(([, l]) => !l.ok);

  return (
    <main className="mx-auto max-w-6xl space-y-4 p-3 sm:p-6">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold">On-call</h1>
        <p className="text-sm text-zinc-500">
          {rows.length} clusters in {regions.join(', ')} · trouble first
        </p>
      </header>
      <form method="get" action="/oncall" className="flex flex-wrap items-end gap-2 text-sm" aria-label="Filter clusters">
        <label className="flex flex-col">
          Search
          <input name="q" type="search" defaultValue={lq.filters.q ?? ''} placeholder="cluster" className="rounded border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700" />
        </label>
        {lq.filters.region ? <input type="hidden" name="region" value={lq.filters.region} /> : null}
        {lq.filters.engine ? <input type="hidden" name="engine" value={lq.filters.engine} /> : null}
        <button type="submit" className="rounded border border-zinc-300 px-3 py-1 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
          Filter
        </button>
      </form>
      <ListNotices notices={[...lq.notices, shown.notice]} />
      {fleet
        .filter((r) => r.error)
        .map((r) => (
          <p key={r.region} role="alert" className="rounded bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-300">
            {r.region}: {r.error}
          </p>
        ))}
      {lagErrors.length ? (
        <p className="rounded bg-zinc-100 p-2 text-sm text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
          Replica lag unavailable for {lagErrors.map(([r]) => r).join(', ')}: {lagErrors.map(([, l]) => (!l.ok ? l.error : '')).join('; ')}
        </p>
      ) : null}
      <GlobalOncallSection />
      <ul className="divide-y divide-zinc-200 rounded border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800" aria-label="Clusters">
        {shown.rows.map(({ c, worst, perInstance }) => {
          const readers = c.instances.filter((i) => i.role !== 'writer').length;
          return (
            <li
              key={`${c.region}/${c.id}`}
              data-testid={`oncall-row-${c.id}`}
              className="grid grid-cols-2 items-center gap-x-3 gap-y-1 p-3 text-sm sm:grid-cols-[minmax(10rem,1.5fr)_1fr_1.5fr_0.7fr_1fr_auto]"
            >
              <div className="col-span-2 sm:col-span-1">
                <Link href={`/oncall/${c.region}/${c.id}`} className="font-medium underline-offset-2 hover:underline">
                  {c.id}
                </Link>
                <div className="text-xs text-zinc-500">
                  {c.region} · {c.engine} ·{' '}
                  <Link href={`/clusters/${c.region}/${c.id}`} className="underline">
                    cluster page
                  </Link>
                </div>
              </div>
              <div>
                <span className={`rounded px-1.5 py-0.5 text-xs ${statusClass(c.status)}`} data-testid="oncall-status">
                  {c.status}
                </span>
              </div>
              <div className="min-w-0 break-all">
                <span className="text-zinc-500">writer </span>
                <code data-testid="oncall-writer">{c.writerId ?? '—'}</code>
              </div>
              <div>
                {readers} reader{readers === 1 ? '' : 's'}
              </div>
              <div className={lagClass(worst, env.lagThresholdsMs)} data-testid="oncall-lag">
                {worst === undefined ? 'lag unavailable' : worst === null ? 'no lag data' : `worst ${formatLag(worst)}`}
              </div>
              <div className="col-span-2 sm:col-span-1 sm:justify-self-end">
                {canFailover && c.instances.length >= 2 ? (
                  <FailoverDialog cluster={c} predictedTarget={predictAuroraTarget(c)?.id} lagByInstance={perInstance} />
                ) : canFailover ? (
                  <span className="text-xs text-zinc-500">one instance: no failover</span>
                ) : null}
              </div>
            </li>
          );
        })}
        {rows.length === 0 ? <li className="p-3 text-sm text-zinc-500">No clusters in {regions.join(', ')}.</li> : matching.length === 0 ? <li className="p-3 text-sm text-zinc-500">No cluster matches the filter.</li> : null}
      </ul>
      <Pager page={shown} label="Clusters" hrefFor={(p) => listHref('/oncall', { q: lq.filters.q, engine: lq.filters.engine, region: lq.filters.region }, { page: p })} />
    </main>
  );
}
