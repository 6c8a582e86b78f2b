// GetMetricData results: each query's series computed on demand (MetricStat → samples → statistic;
// Expression → metric math over other results), then paged by MaxDatapoints in ScanBy order and shaped
// into MetricDataResults with dynamic labels.
import type { DataplaneSource } from '../dataplane/types';
import { RdsSeriesResolver } from '../dataplane/metrics';
import { TimestampList } from '../protocols/json';
import { CwFaults } from './errors';
import type { Obj } from './input';
import { evaluateToSeries } from './math-eval';
import { MathError, referencedIds, usesMetrics, type MathNode } from './math-parse';
import { samples } from './samples';
import { aggregate, round, type Series, type Stat } from './statistics';
import type { Dimension, MetricStore } from './store';

/** One validated MetricDataQuery: a MetricStat or a parsed Expression. */
export interface MetricQuery {
  id: string;
  label?: string;
  returnData: boolean;
  period?: number;
  metric?: { ns: string; name: string; dims: Dimension[]; stat: Stat; unit?: string; period: number };
  expr?: MathNode;
  exprText?: string;
}

export interface QueryResult {
  s: Series;
  label: string;
  messages: { Code: string; Value: string }[];
  period: number;
}

export interface EvaluationWindow {
  region: string;
  /** StartTime as requested, and rounded for its age. */
  start0: number;
  start: number;
  end: number;
  /** The evaluation clock (pinned by NextToken). */
  now: number;
}

/**
 * A memoizing evaluator over the request's queries: `resultOf(q)` fetches a MetricStat's samples and applies
 * its statistic, or evaluates an Expression over the results it references (cycles fault).
 */
export function createEvaluator(
  deps: { store: MetricStore; source: DataplaneSource },
  queries: MetricQuery[],
  byId: Map<string, MetricQuery>,
  w: EvaluationWindow,
): (q: MetricQuery) => QueryResult {
  const { start0, start, end, now } = w;
  const resolver = new RdsSeriesResolver(w.region, deps.source.clusters(w.region, now), now, deps.source.measured?.bind(deps.source));
  const results = new Map<string, QueryResult>();
  const visiting = new Set<string>();
  const metricQueries = queries.filter((q) => q.metric);
  const metricsList = () =>
    metricQueries.map((q) => {
      const r = resultOf(q);
      return { s: r.s, label: r.label };
    });

  function metricResult(q: MetricQuery): QueryResult {
    const m = q.metric!;
    // High-resolution periods round StartTime to an even division of the minute, others by the data's age.
    const qStart = m.period < 60 ? Math.floor(start0 / (m.period * 1000)) * m.period * 1000 : start;
    const smp = samples(deps.store, resolver, w.region, m.ns, m.name, m.dims, qStart, end, now, m.unit);
    const s = aggregate({ start: qStart, end, period: m.period, stat: m.stat, stats: [m.stat], now, minutes: smp.minutes, stored: smp.stored });
    return { s, label: q.label ?? m.name, messages: [], period: m.period };
  }

  function expressionResult(q: MetricQuery): QueryResult {
    const deps: QueryResult[] = [];
    for (const ref of referencedIds(q.expr!)) {
      const dep = byId.get(ref);
      if (dep) deps.push(resultOf(dep));
    }
    const all = usesMetrics(q.expr!);
    const periods = (all ? metricQueries.map(resultOf) : deps).map((r) => r.period);
    const period = q.period ?? (periods.length ? Math.max(...periods) : 60);
    const scalarTs = () => [...new Set(metricQueries.flatMap((mq) => resultOf(mq).s.ts))].sort((a, b) => a - b);
    try {
      const r = evaluateToSeries(
        q.expr!,
        {
          lookup: (id) => {
            const d = byId.get(id);
            return d ? resultOf(d) : undefined;
          },
          metrics: metricsList,
          grid: { start, end: Math.min(end, now + 1), period },
        },
        scalarTs,
      );
      return { s: r.s, label: q.label ?? q.id, messages: [], period };
    } catch (e) {
      if (e instanceof MathError) throw CwFaults.InvalidParameterValue(`Error in expression ${q.id}: ${e.message}`);
      throw e;
    }
  }

  function resultOf(q: MetricQuery): QueryResult {
    const done = results.get(q.id);
    if (done) return done;
    if (q.metric) {
      const r = metricResult(q);
      results.set(q.id, r);
      return r;
    }
    if (visiting.has(q.id)) throw CwFaults.InvalidParameterValue(`Circular dependency detected in expression ${q.id}.`);
    visiting.add(q.id);
    const r = expressionResult(q);
    results.set(q.id, r);
    visiting.delete(q.id);
    return r;
  }

  return resultOf;
}

/** Position in the output: index among the returned queries, point offset within that query. */
export interface PagePosition {
  q: number;
  p: number;
}

/**
 * The returned queries (ReturnData=false already left out), each's points in ScanBy order, at most
 * `maxDatapoints` in all from `pos` on; `next` is where the following page starts.
 */
export function pageResults(
  returned: MetricQuery[],
  resultOf: (q: MetricQuery) => QueryResult,
  pos: PagePosition,
  maxDatapoints: number,
  scanBy: 'TimestampDescending' | 'TimestampAscending',
): { results: Obj[]; next?: PagePosition } {
  const out: Obj[] = [];
  let budget = maxDatapoints;
  let nextPos: PagePosition | undefined;
  const empty = (q: MetricQuery, status: string) => ({
    Id: q.id,
    Label: q.label ?? q.metric?.name ?? q.id,
    Timestamps: new TimestampList([]),
    Values: [],
    StatusCode: status,
    Messages: [],
  });
  returned.forEach((q, qi) => {
    if (qi < pos.q) {
      out.push(empty(q, 'Complete'));
      return;
    }
    if (budget === 0) {
      nextPos ??= { q: qi, p: 0 };
      out.push(empty(q, 'PartialData'));
      return;
    }
    const r = resultOf(q);
    const len = r.s.ts.length;
    const skip = qi === pos.q ? Math.min(len, pos.p) : 0;
    const take = Math.min(len - skip, budget);
    budget -= take;
    const partial = skip + take < len;
    if (partial) nextPos ??= { q: qi, p: skip + take };
    let ts: number[];
    let values: number[];
    if (scanBy === 'TimestampAscending') {
      ts = r.s.ts.slice(skip, skip + take);
      values = r.s.values.slice(skip, skip + take);
    } else {
      ts = r.s.ts.slice(len - skip - take, len - skip).reverse();
      values = r.s.values.slice(len - skip - take, len - skip).reverse();
    }
    out.push({
      Id: q.id,
      Label: dynamicLabel(r.label, q, r.s),
      Timestamps: new TimestampList(ts),
      Values: values,
      StatusCode: partial ? 'PartialData' : 'Complete',
      Messages: r.messages,
    });
  });
  return { results: out, next: nextPos };
}

/** Expands `${MAX}`, `${LABEL}`, `${PROP('Dim.Name')}` and the like in a label (CloudWatch dynamic labels). */
function dynamicLabel(label: string, q: MetricQuery, s: Series): string {
  if (!label.includes('${')) return label;
  const vals = s.values.filter((v) => v === v);
  const agg = (k: string): string => {
    if (vals.length === 0) return '';
    const x =
      k === 'MAX' ? Math.max(...vals) : k === 'MIN' ? Math.min(...vals) : k === 'SUM' ? vals.reduce((a, b) => a + b, 0) :
      k === 'AVG' ? vals.reduce((a, b) => a + b, 0) / vals.length : k === 'LAST' ? vals[vals.length - 1] : vals[0];
    return String(round(x));
  };
  return label.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    const key = inner.trim();
    if (['MAX', 'MIN', 'SUM', 'AVG', 'LAST', 'FIRST'].includes(key)) return agg(key);
    if (key === 'LABEL') return q.metric?.name ?? q.id;
    const prop = /^PROP\('([^']+)'\)$/.exec(key);
    if (prop && q.metric) {
      if (prop[1] === 'MetricName') return q.metric.name;
      if (prop[1] === 'Namespace') return q.metric.ns;
      if (prop[1] === 'Period') return String(q.metric.period);
      if (prop[1] === 'Stat') return q.metric.stat.kind === 'percentile' ? q.metric.stat.name : q.metric.stat.kind;
      if (prop[1].startsWith('Dim.')) return q.metric.dims.find((d) => d.Name === prop[1].slice(4))?.Value ?? '';
    }
    return whole;
  });
}
