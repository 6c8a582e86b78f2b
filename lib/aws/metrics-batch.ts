// GetMetricData batching: all series of a view in one call per region, split above 500 queries,
// NextToken pages merged per query. Works with any CloudWatch client (injected `send`), so the unit
// tests can drive it against the local endpoint or a recording fake.
import { GetMetricDataCommand, type GetMetricDataCommandOutput, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
// The same runaway guard as the RDS describes; a batch that reaches it stops with a warning instead of failing.
import { MAX_PAGES } from './paginate';

const MAX_QUERIES_PER_CALL = 500;

/** One series to fetch. `key` is the caller's series key; Ids on the wire are generated. */
export interface MetricQuery {
  key: string;
  metricName: string;
  namespace?: string;
  dimensions: Record<string, string>;
  stat: string;
  unit?: string;
}

export type SeriesStatus = 'Complete' | 'PartialData' | 'InternalError' | 'Forbidden' | string;

export interface SeriesResult {
  key: string;
  /** ms since epoch, ascending. */
  timestamps: number[];
  values: number[];
  status: SeriesStatus;
  messages: string[];
}

export interface BatchResult {
  series: Record<string, SeriesResult>;
  /** Call-wide messages (e.g. "Maximum number of allowed metrics exceeded"). */
  messages: string[];
  /** GetMetricData calls made (pages included). */
  calls: number;
  /** Metrics requested across those calls (what AWS bills). */
  metricsRequested: number;
  /** When the data was fetched (ms); cached results keep their original time. */
  fetchedAt: number;
}

export interface CloudWatchSender {
  send(cmd: GetMetricDataCommand): Promise<GetMetricDataCommandOutput>;
}

/** Stable, canonical form of a query (dimension order does not matter) for cache keys. */
export function canonicalQuery(q: MetricQuery): string {
  const dims = Object.keys(q.dimensions)
    .sort()
    .map((k) => `${k}=${q.dimensions[k]}`)
    .join(',');
  return `${q.namespace ?? 'AWS/RDS'}|${q.metricName}|${dims}|${q.stat}|${q.unit ?? ''}`;
}

/** Wire Id for the i-th query of a call: starts with a lowercase letter, letters/digits/_ only, unique. */
function queryId(i: number): string {
  return `q${i}`;
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function toMetricDataQuery(q: MetricQuery, id: string, periodSec: number): MetricDataQuery {
  return {
    Id: id,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: q.namespace ?? 'AWS/RDS',
        MetricName: q.metricName,
        Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: periodSec,
      Stat: q.stat,
      ...(q.unit ? { Unit: q.unit as never } : {}),
    },
  };
}

/**
 * Fetch every query for one window and period: ⌈n/500⌉ GetMetricData batches (run concurrently), each
 * followed through its NextToken pages; pages are merged per query. Timestamps come back ascending.
 */
export async function fetchMetricBatches(
  client: CloudWatchSender,
  queries: MetricQuery[],
  window: { start: number; end: number },
  periodSec: number,
): Promise<BatchResult> {
  const series: Record<string, SeriesResult> = {};
  const messages: string[] = [];
  let calls = 0;
  let metricsRequested = 0;
  const seen = new Set<string>();
  const unique = queries.filter((q) => (seen.has(q.key) ? false : (seen.add(q.key), true)));
  const batches = chunk(unique, MAX_QUERIES_PER_CALL);
  await Promise.all(
    batches.map(async (batch) => {
      const idToKey = new Map<string, string>();
      const wire = batch.map((q, i) => {
        const id = queryId(i);
        idToKey.set(id, q.key);
        series[q.key] = { key: q.key, timestamps: [], values: [], status: 'Complete', messages: [] };
        return toMetricDataQuery(q, id, periodSec);
      });
      let token: string | undefined;
      let pages = 0;
      do {
        const out = await client.send(
          new GetMetricDataCommand({
            MetricDataQueries: wire,
            StartTime: new Date(window.start),
            EndTime: new Date(window.end),
            ScanBy: 'TimestampAscending',
            NextToken: token,
          }),
        );
        calls++;
        metricsRequested += wire.length;
        pages++;
        for (const m of out.Messages ?? []) messages.push(`${m.Code ?? ''}${m.Code && m.Value ? ': ' : ''}${m.Value ?? ''}`);
        for (const r of out.MetricDataResults ?? []) {
          const key = r.Id ? idToKey.get(r.Id) : undefined;
          if (!key) continue;
          const s = series[key];
          const ts = r.Timestamps ?? [];
          const vs = r.Values ?? [];
          for (let i = 0; i < ts.length && i < vs.length; i++) {
            s.timestamps.push(+ts[i]);
            s.values.push(vs[i]);
          }
          s.status = r.StatusCode ?? s.status;
          for (const m of r.Messages ?? []) s.messages.push(`${m.Code ?? ''}${m.Value ? ': ' + m.Value : ''}`);
        }
        token = out.NextToken || undefined;
      } while (token && pages < MAX_PAGES);
      if (token) {
        for (const q of batch) if (series[q.key].status === 'Complete') series[q.key].status = 'PartialData';
        messages.push(`Stopped after ${MAX_PAGES} pages; data may be incomplete.`);
      }
    }),
  );
  // Sort each series ascending and drop duplicate timestamps (pages may overlap).
  for (const s of Object.values(series)) {
    const idx = s.timestamps.map((_, i) => i).sort((a, b) => s.timestamps[a] - s.timestamps[b]);
    const ts: number[] = [];
    const vs: number[] = [];
    for (const i of idx) {
      if (ts.length && ts[ts.length - 1] === s.timestamps[i]) continue;
      ts.push(s.timestamps[i]);
      vs.push(s.values[i]);
    }
    s.timestamps = ts;
    s.values = vs;
  }
  return { series, messages, calls, metricsRequested, fetchedAt: Date.now() };
}
