import 'server-only';
// The metric layer: one cached, de-duplicated GetMetricData batch per view per region; cluster and fleet
// views shaped into plain chart JSON; events as chart markers. Nothing here throws for an expected AWS
// failure: a failing or throttled region yields `{ ok: false, error }` in its place.
import { cloudWatchClient } from './clients';
import { getCluster, listClusters } from './rds/clusters';
import { listEvents } from './rds/events';
import { READ_SCHEDULE, readMaxAge } from './poll-schedule';
import { assertConfiguredRegion } from './regions';
import type { ClusterDTO } from './types';
import { toAppError } from './errors';
import { metricCache } from './metric-cache';
import { canonicalQuery, fetchMetricBatches, type BatchResult, type CloudWatchSender, type MetricQuery } from './metrics-batch';
import { failoversFromEvents, toMarker, type ChartMarker, type RawEvent } from './metrics-events';
import { alignWindow, choosePeriod } from './metrics-period';
import { noteWriter, writerSeenBetween } from './writer-history';
import { fitRangeToCluster } from './metrics-range';
import {
  clusterQueries,
  fleetQueries,
  hasBacktrack,
  shapeClusterPanels,
  shapeFleet,
  type ChartPanel,
  type FleetClusterMetrics,
} from './metrics-views';

export type { ChartPanel, FleetClusterMetrics } from './metrics-views';
export type { ChartMarker } from './metrics-events';

// ------------------------------------------------------------------------------------ counters

interface MetricCounters {
  getMetricDataCalls: number;
  metricsRequested: number;
  batches: number;
  cacheHits: number;
  inflightJoins: number;
  byRegion: Record<string, { calls: number; metrics: number }>;
}
const g = globalThis as unknown as { __afcMetricCounters?: MetricCounters };
const counters = (): MetricCounters =>
  (g.__afcMetricCounters ??= { getMetricDataCalls: 0, metricsRequested: 0, batches: 0, cacheHits: 0, inflightJoins: 0, byRegion: {} });

/** GetMetricData calls and metrics requested by this process (plus cache effectiveness). */
export function getMetricCounters(): MetricCounters & { cache: ReturnType<ReturnType<typeof metricCache>['getStats']> } {
  const c = counters();
  const cache = metricCache().getStats();
  return { ...c, cacheHits: cache.hits, inflightJoins: cache.joins, byRegion: structuredClone(c.byRegion), cache };
}

export function resetMetricCounters(): void {
  g.__afcMetricCounters = undefined;
  metricCache().clear();
}

// ------------------------------------------------------------------------------------ core fetch

export interface MetricWindow {
  /** Aligned window, ms. */
  start: number;
  end: number;
  periodSec: number;
}

/** Choose the period for [start, end) and align the window to it. */
export function planWindow(start: number, end: number, now = Date.now()): MetricWindow {
  const periodSec = choosePeriod(start, end, now);
  return { ...alignWindow(start, end, periodSec), periodSec };
}

/**
 * Fetch a set of queries for one region through the shared cache: keyed by (region, canonical queries,
 * aligned window, period), TTL min(period, 60 s) (shorter for windows ending in the past never matter:
 * they are immutable, so they get the full 60 s too); concurrent identical requests share one call.
 */
export async function getMetricBatch(
  region: string,
  queries: MetricQuery[],
  w: MetricWindow,
  client: CloudWatchSender = cloudWatchClient(region),
  opts: { freshAfter?: number; ttlMs?: number } = {},
): Promise<BatchResult> {
  // Before the cache key and the per-region counters (a caller may bring its own client).
  assertConfiguredRegion(region);
  const canon = queries.map((q) => `${q.key}=${canonicalQuery(q)}`).sort().join(';');
  const key = `${region}\u0000${w.start}\u0000${w.end}\u0000${w.periodSec}\u0000${canon}`;
  const ttl = opts.ttlMs ?? Math.min(w.periodSec, 60) * 1000;
  if (opts.freshAfter !== undefined) {
    // Something happened to the cluster (a failover, a new reader…) after the cached data was fetched:
    // fetch again, still shared by concurrent viewers.
    const cached = await metricCache().get<BatchResult>(key, ttl, () => load());
    if (cached.fetchedAt >= opts.freshAfter) return cached;
    metricCache().invalidate(key);
  }
  return metricCache().get(key, ttl, load);
  async function load(): Promise<BatchResult> {
    const res = await fetchMetricBatches(client, queries, w, w.periodSec);
    const c = counters();
    c.batches++;
    c.getMetricDataCalls += res.calls;
    c.metricsRequested += res.metricsRequested;
    const r = (c.byRegion[region] ??= { calls: 0, metrics: 0 });
    r.calls += res.calls;
    r.metrics += res.metricsRequested;
    return res;
  }
}

// ------------------------------------------------------------------------------------ RDS reads
// Clusters, members and events come from lib/aws/rds (one read path, one read cache shared with the fleet
// and cluster pages).

/**
 * The cluster's events from `start` to now, oldest first. Events after the window still matter for role
 * labelling (the current writer is the writer *now*). RDS keeps events 14 days.
 */
async function listClusterEvents(cluster: ClusterDTO, start: number, now = Date.now()): Promise<RawEvent[]> {
  // Whole minutes: a range longer than the 14-day retention would otherwise give a new cache key per call.
  const since = Math.ceil(Math.max(start, now - 14 * 86_400_000 + 60_000) / 60_000) * 60_000;
  const events = await listEvents(cluster.region, cluster.id, cluster.instances.map((i) => i.id), { since });
  return events
    .map((e) => ({ date: Date.parse(e.date), message: e.message, sourceId: e.sourceId, sourceType: e.sourceType, categories: e.categories }))
    .sort((a, b) => a.date - b.date);
}

// ------------------------------------------------------------------------------------ views

export interface ClusterMetricsOk {
  ok: true;
  region: string;
  clusterId: string;
  engine: string;
  writer?: string;
  backtrackEnabled: boolean;
  window: MetricWindow;
  /** Largest number of points of any series. */
  pointsPerSeries: number;
  panels: ChartPanel[];
  markers: ChartMarker[];
  /** Partial data, throttled events, … — shown under the charts, never hidden. */
  warnings: string[];
  /** Why the window differs from the chosen range (a cluster younger than it). */
  notice?: string;
  fetchedAt: number;
  /** Metrics one refresh of these charts requests (what GetMetricData bills). */
  metricsPerRefresh: number;
  /** Readers of the cluster now (the on-call panel's lag read asks for each). */
  readerCount: number;
}
export type ClusterMetricsResult = ClusterMetricsOk | { ok: false; code: string; error: string };

/** Charts of one cluster for [start, end): one GetMetricData batch (cached) + events as markers. */
export async function clusterView(cluster: ClusterDTO, chosen: { start: number; end: number }, now = Date.now()): Promise<ClusterMetricsResult> {
  const range = fitRangeToCluster(chosen, cluster.createdAt ? Date.parse(cluster.createdAt) : undefined, now);
  const w = planWindow(range.start, range.end, now);
  const queries = clusterQueries(cluster);
  const warnings: string[] = [];
  const [batch, events] = await Promise.all([
    getMetricBatch(cluster.region, queries, w).then(
      (b) => ({ ok: true as const, b }),
      (e) => ({ ok: false as const, e: toAppError(e) }),
    ),
    listClusterEvents(cluster, w.start, now).catch((e) => {
      warnings.push(`Events unavailable (markers and role changes may be missing): ${toAppError(e).message}`);
      return [] as RawEvent[];
    }),
  ]);
  if (!batch.ok) return { ok: false, code: batch.e.code, error: `Metrics for ${cluster.id} in ${cluster.region} are unavailable: ${batch.e.message}` };
  let b = batch.b;
  const lastEvent = events.reduce((m, e) => Math.max(m, e.date), 0);
  if (lastEvent > b.fetchedAt && lastEvent < w.end) {
    try {
      b = await getMetricBatch(cluster.region, queries, w, undefined, { freshAfter: lastEvent });
    } catch {
      warnings.push('Showing metrics fetched before the latest event; refresh to update.');
    }
  }
  for (const m of b.messages) warnings.push(m);
  const partial = Object.values(b.series).filter((s) => s.status !== 'Complete');
  if (partial.length) warnings.push(`${partial.length} series returned ${[...new Set(partial.map((s) => s.status))].join('/')}; data may be incomplete.`);
  const failovers = failoversFromEvents(events);
  // The writer described just now is seen only if no failover completed after it was read.
  if (!failovers.some((f) => f.t > now - READ_SCHEDULE.cluster.idle)) noteWriter(cluster.region, cluster.id, cluster.writerId, now);
  const panels = shapeClusterPanels(cluster, b, w, failovers, (from, before) => writerSeenBetween(cluster.region, cluster.id, from, before));
  const markers = events
    .filter((e) => e.date >= w.start && e.date < w.end)
    .map(toMarker)
    .filter((m): m is ChartMarker => !!m);
  const pointsPerSeries = Math.max(0, ...panels.flatMap((p) => p.series.map((s) => s.points)));
  return {
    ok: true,
    region: cluster.region,
    clusterId: cluster.id,
    engine: cluster.engine,
    writer: cluster.writerId,
    backtrackEnabled: hasBacktrack(cluster),
    window: w,
    pointsPerSeries,
    panels,
    markers,
    warnings,
    ...(range.notice ? { notice: range.notice } : {}),
    fetchedAt: now,
    metricsPerRefresh: queries.length,
    readerCount: cluster.instances.filter((i) => i.id !== cluster.writerId).length,
  };
}

/** Load the cluster (getCluster, shared read cache) and build its view; a vanished cluster is an error entry. */
export async function getClusterMetrics(region: string, clusterId: string, range: { start: number; end: number }, now = Date.now()): Promise<ClusterMetricsResult> {
  let cluster: ClusterDTO;
  try {
    cluster = await getCluster(region, clusterId);
  } catch (e) {
    const err = toAppError(e);
    return { ok: false, code: err.code, error: err.status === 404 ? `Cluster ${clusterId} no longer exists in ${region}.` : err.message };
  }
  return clusterView(cluster, range, now);
}

export type FleetRegionMetrics =
  | { region: string; ok: true; window: MetricWindow; clusters: (ClusterDTO & { metrics: FleetClusterMetrics })[]; warnings: string[]; metricsPerRefresh: number }
  | { region: string; ok: false; code: string; error: string; clusters: ClusterDTO[]; metricsPerRefresh: number };

/** Options of the fleet health read: a coarser period than the range needs (fewer points, same cost per refresh). */
export interface FleetHealthOptions {
  minPeriodSec?: number;
}

/** Fleet view of one region: every cluster's worst lag + commit throughput in ONE batched fetch. */
async function fleetView(region: string, clusters: ClusterDTO[], range: { start: number; end: number }, now = Date.now(), o: FleetHealthOptions = {}): Promise<FleetRegionMetrics> {
  const planned = planWindow(range.start, range.end, now);
  const w = o.minPeriodSec && o.minPeriodSec > planned.periodSec ? { ...alignWindow(range.start, range.end, o.minPeriodSec), periodSec: o.minPeriodSec } : planned;
  const queries = fleetQueries(clusters);
  const metricsPerRefresh = queries.length;
  try {
    const b = await getMetricBatch(region, queries, w);
    const shaped = shapeFleet(clusters, b);
    const warnings = [...b.messages];
    const partial = Object.values(b.series).filter((s) => s.status !== 'Complete').length;
    if (partial) warnings.push(`${partial} series ${partial === 1 ? 'is' : 'are'} incomplete (${region}).`);
    return { region, ok: true, window: w, clusters: clusters.map((c) => ({ ...c, metrics: shaped[c.id] })), warnings, metricsPerRefresh };
  } catch (e) {
    const err = toAppError(e);
    return { region, ok: false, code: err.code, error: err.message, clusters, metricsPerRefresh };
  }
}

/** The fleet health data for every region: per region one cluster listing and one metric batch. */
export async function getFleetHealth(regions: string[], range: { start: number; end: number }, now = Date.now(), o: FleetHealthOptions = {}): Promise<FleetRegionMetrics[]> {
  return Promise.all(
    regions.map(async (region): Promise<FleetRegionMetrics> => {
      let clusters: ClusterDTO[];
      try {
        // A listing up to a minute old (10 s while the region is busy) is recent enough for the health page.
        clusters = await listClusters(region, { maxAgeMs: readMaxAge(region, 'health') });
      } catch (e) {
        const err = toAppError(e);
        return { region, ok: false, code: err.code, error: `Could not list clusters in ${region}: ${err.message}`, clusters: [], metricsPerRefresh: 0 };
      }
      return fleetView(region, clusters, range, now, o);
    }),
  );
}
