// CloudWatch operations over the decoded input (same plain shape for JSON, Query and CBOR):
// GetMetricData, GetMetricStatistics, ListMetrics, PutMetricData.
import { createHash } from 'node:crypto';
import type { DataplaneSource } from '../dataplane/types';
import { listRdsMetrics, RdsSeriesResolver, RDS_NAMESPACE, type MinuteSeries } from '../dataplane/metrics';
import { TimestampList } from '../protocols/json';
import { CloudWatchFault, CwFaults } from './errors';
import { dimsKey, type Dimension, type MetricStore, type PutRow, type StoredPoint } from './store';
import {
  aggregate,
  aggregateBuckets,
  evaluateToSeries,
  isHighResPeriod,
  MathError,
  MINUTE,
  parseExpression,
  parseStat,
  referencedIds,
  roundStart,
  sampleSegments,
  round,
  statValue,
  usesMetrics,
  type Series,
  type Stat,
} from './query';

export interface HandlerContext {
  region: string;
  now: number;
}

export type Handler = (input: Record<string, unknown>, ctx: HandlerContext) => unknown;

export interface CloudWatchHandlers {
  ops: Record<string, Handler>;
  metricsRequested(): number;
  resetCounters(): void;
}

export const MAX_QUERIES = 500;
export const MAX_DATAPOINTS = 100_800;
export const MAX_STATISTICS_DATAPOINTS = 1_440;
const LIST_PAGE = 500;

export const UNITS = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second',
  'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second',
  'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]);

// ---------------------------------------------------------------- input accessors

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v);
}

function str(o: Obj, k: string, path: string): string | undefined {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw CwFaults.InvalidParameterValue(`The parameter ${path} must be a string.`);
  return v;
}

function reqStr(o: Obj, k: string, path: string): string {
  const v = str(o, k, path);
  if (v === undefined || v === '') throw CwFaults.MissingParameter(`The parameter ${path} is required.`);
  return v;
}

function num(o: Obj, k: string, path: string): number | undefined {
  const v = o[k];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (typeof v === 'string' && /^(NaN|[+-]?Infinity)$/.test(v)) return Number(v);
  if (Number.isNaN(n)) throw CwFaults.InvalidParameterValue(`The parameter ${path} must be a number.`);
  return n;
}

function int(o: Obj, k: string, path: string): number | undefined {
  const n = num(o, k, path);
  if (n !== undefined && !Number.isInteger(n)) throw CwFaults.InvalidParameterValue(`The parameter ${path} must be an integer.`);
  return n;
}

function bool(o: Obj, k: string, path: string): boolean | undefined {
  const v = o[k];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw CwFaults.InvalidParameterValue(`The parameter ${path} must be a boolean.`);
}

/** Epoch seconds (JSON), Date (CBOR) or ISO 8601 / epoch string (Query) → ms. */
function time(o: Obj, k: string, path: string): number | undefined {
  const v = o[k];
  if (v === undefined || v === null || v === '') return undefined;
  let ms: number;
  if (v instanceof Date) ms = v.getTime();
  else if (typeof v === 'number') ms = v * 1000;
  else if (typeof v === 'string') ms = /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
  else ms = NaN;
  if (!Number.isFinite(ms)) throw CwFaults.InvalidParameterValue(`The parameter ${path} must be a valid timestamp.`);
  return Math.round(ms);
}

function reqTime(o: Obj, k: string, path: string): number {
  const v = time(o, k, path);
  if (v === undefined) throw CwFaults.MissingParameter(`The parameter ${path} is required.`);
  return v;
}

function list(o: Obj, k: string, path: string): unknown[] | undefined {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (v === '') return [];
  if (Array.isArray(v)) return v;
  throw CwFaults.InvalidParameterValue(`The parameter ${path} must be a list.`);
}

function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) throw CwFaults.InvalidParameterValue(`The parameter ${path} must be a structure.`);
  return v;
}

function dimensions(o: Obj, k: string, path: string, requireValue = true): Dimension[] {
  const l = list(o, k, path) ?? [];
  if (l.length > 30) throw CwFaults.InvalidParameterValue(`The collection ${path} must not have a size greater than 30.`);
  const seen = new Set<string>();
  return l.map((d, i) => {
    const p = `${path}.member.${i + 1}`;
    const dd = obj(d, p);
    const Name = reqStr(dd, 'Name', `${p}.Name`);
    const Value = requireValue ? reqStr(dd, 'Value', `${p}.Value`) : (str(dd, 'Value', `${p}.Value`) ?? '');
    if (Name.length > 255) throw CwFaults.InvalidParameterValue(`The parameter ${p}.Name must be shorter than 256 characters.`);
    if (Value.length > 1024) throw CwFaults.InvalidParameterValue(`The parameter ${p}.Value must be shorter than 1025 characters.`);
    if (requireValue && seen.has(Name)) throw CwFaults.InvalidParameterValue(`No two dimensions may have the same name; ${Name} appears twice in ${path}.`);
    seen.add(Name);
    return { Name, Value };
  });
}

function checkUnit(u: string | undefined, path: string): string | undefined {
  if (u !== undefined && !UNITS.has(u)) {
    throw CwFaults.InvalidParameterValue(`The parameter ${path} must be a value in the set [ ${[...UNITS].join(', ')} ].`);
  }
  return u;
}

// ---------------------------------------------------------------- handlers

export function createHandlers(deps: { store: MetricStore; source: DataplaneSource }): CloudWatchHandlers {
  const { store, source } = deps;
  let requested = 0;

  /** Samples behind one (namespace, metric, dims) in [start, end): data plane + stored points. */
  function samples(
    resolver: RdsSeriesResolver,
    region: string,
    ns: string,
    name: string,
    dims: Dimension[],
    start: number,
    end: number,
    now: number,
    unit: string | undefined,
  ): { minutes?: MinuteSeries[]; stored: StoredPoint[]; unit?: string } {
    let minutes: MinuteSeries[] | undefined;
    if (ns === RDS_NAMESPACE) {
      minutes = [];
      for (const seg of sampleSegments(start, end, now)) {
        const m = resolver.series(name, dims, seg.t0, seg.n, seg.step);
        if (m && (unit === undefined || unit === m.unit)) minutes.push(m);
      }
    }
    let stored = store.points(region, ns, name, dims, start, end);
    if (unit !== undefined) stored = stored.filter((p) => (p.unit ?? 'None') === unit);
    return { minutes, stored, unit: minutes?.[0]?.unit ?? stored.find((p) => p.unit)?.unit ?? undefined };
  }

  function getMetricData(input: Obj, ctx: HandlerContext) {
    const queriesRaw = list(input, 'MetricDataQueries', 'MetricDataQueries');
    if (queriesRaw === undefined) throw CwFaults.MissingParameter('The parameter MetricDataQueries is required.');
    if (queriesRaw.length > MAX_QUERIES) {
      throw CwFaults.InvalidParameterValue(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
    }
    const start0 = reqTime(input, 'StartTime', 'StartTime');
    const end = reqTime(input, 'EndTime', 'EndTime');
    if (start0 >= end) throw CwFaults.InvalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
    const scanBy = str(input, 'ScanBy', 'ScanBy') ?? 'TimestampDescending';
    if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
      throw CwFaults.InvalidParameterValue('The parameter ScanBy must be a value in the set [ TimestampDescending, TimestampAscending ].');
    }
    const maxDatapoints = int(input, 'MaxDatapoints', 'MaxDatapoints') ?? MAX_DATAPOINTS;
    if (maxDatapoints < 1 || maxDatapoints > MAX_DATAPOINTS) {
      throw CwFaults.InvalidParameterValue(`The parameter MaxDatapoints must be between 1 and ${MAX_DATAPOINTS}.`);
    }
    const labelOptions = input.LabelOptions === undefined ? undefined : obj(input.LabelOptions, 'LabelOptions');
    const tz = labelOptions ? str(labelOptions, 'Timezone', 'LabelOptions.Timezone') : undefined;
    if (tz !== undefined && !/^[+-]\d{4}$/.test(tz)) throw CwFaults.InvalidParameterValue('The parameter LabelOptions.Timezone must be of the form +HHMM or -HHMM.');

    // Paging: the token pins the evaluation clock so later pages see the same data.
    const tokenIn = str(input, 'NextToken', 'NextToken');
    const fingerprint = createHash('sha1')
      .update(JSON.stringify([input.MetricDataQueries, start0, end, scanBy, maxDatapoints]))
      .digest('base64url')
      .slice(0, 16);
    let pos = { q: 0, p: 0 };
    let now = ctx.now;
    if (tokenIn !== undefined) {
      const tok = decodeToken(tokenIn);
      if (!tok || tok.f !== fingerprint || typeof tok.p !== 'number' || tok.p < 0) throw CwFaults.InvalidNextToken('The service returned an invalid token.');
      pos = { q: tok.o, p: tok.p };
      now = tok.n;
    }
    const start = roundStart(start0, now);

    interface Q {
      id: string;
      label?: string;
      returnData: boolean;
      period?: number;
      metric?: { ns: string; name: string; dims: Dimension[]; stat: Stat; unit?: string; period: number };
      expr?: ReturnType<typeof parseExpression>;
      exprText?: string;
    }
    const ids = new Set<string>();
    const queries: Q[] = queriesRaw.map((raw, i) => {
      const p = `MetricDataQueries.member.${i + 1}`;
      const q = obj(raw, p);
      const id = reqStr(q, 'Id', `${p}.Id`);
      if (!/^[a-z][a-zA-Z0-9_]*$/.test(id) || id.length > 255) {
        throw CwFaults.InvalidParameterValue(
          `The value ${id} for parameter ${p}.Id is not valid. The Id must start with a lowercase letter and contain only letters, numbers and underscores.`,
        );
      }
      if (ids.has(id)) throw CwFaults.InvalidParameterValue(`The value ${id} for parameter MetricDataQueries.member.${i + 1}.Id is a duplicate; Ids must be unique.`);
      ids.add(id);
      const label = str(q, 'Label', `${p}.Label`);
      const returnData = bool(q, 'ReturnData', `${p}.ReturnData`) ?? true;
      const period = int(q, 'Period', `${p}.Period`);
      const hasStat = q.MetricStat !== undefined && q.MetricStat !== null;
      const exprText = str(q, 'Expression', `${p}.Expression`);
      if (hasStat === (exprText !== undefined)) {
        throw CwFaults.InvalidParameterCombination(`Exactly one of ${p}.MetricStat and ${p}.Expression must be specified.`);
      }
      if (period !== undefined) checkPeriod(period, `${p}.Period`);
      if (hasStat) {
        const ms = obj(q.MetricStat, `${p}.MetricStat`);
        const m = obj(ms.Metric ?? null, `${p}.MetricStat.Metric`);
        if (ms.Metric === undefined) throw CwFaults.MissingParameter(`The parameter ${p}.MetricStat.Metric is required.`);
        const ns = reqStr(m, 'Namespace', `${p}.MetricStat.Metric.Namespace`);
        const name = reqStr(m, 'MetricName', `${p}.MetricStat.Metric.MetricName`);
        const dims = dimensions(m, 'Dimensions', `${p}.MetricStat.Metric.Dimensions`);
        const mp = int(ms, 'Period', `${p}.MetricStat.Period`);
        if (mp === undefined) throw CwFaults.MissingParameter(`The parameter ${p}.MetricStat.Period is required.`);
        checkPeriod(mp, `${p}.MetricStat.Period`);
        const statText = reqStr(ms, 'Stat', `${p}.MetricStat.Stat`);
        const stat = parseStat(statText);
        if (!stat) throw CwFaults.InvalidParameterValue(`The value ${statText} for parameter ${p}.MetricStat.Stat is not a valid statistic.`);
        const unit = checkUnit(str(ms, 'Unit', `${p}.MetricStat.Unit`), `${p}.MetricStat.Unit`);
        return { id, label, returnData, period, metric: { ns, name, dims, stat, unit, period: mp } };
      }
      if (exprText!.length < 1 || exprText!.length > 2048) {
        throw CwFaults.InvalidParameterValue(`The parameter ${p}.Expression must be between 1 and 2048 characters.`);
      }
      let expr;
      try {
        expr = parseExpression(exprText!);
      } catch (e) {
        if (e instanceof MathError) throw CwFaults.InvalidParameterValue(`Error in expression ${id}: ${e.message}`);
        throw e;
      }
      return { id, label, returnData, period, expr, exprText };
    });
    const metricCount = queries.filter((q) => q.metric).length;
    if (!tokenIn) requested += metricCount;

    // Results are computed on demand: a page only pays for the queries it returns (and their inputs).
    const resolver = new RdsSeriesResolver(ctx.region, source.clusters(ctx.region, now), now);
    type Result = { s: Series; label: string; messages: { Code: string; Value: string }[]; period: number };
    const results = new Map<string, Result>();
    const byId = new Map(queries.map((q) => [q.id, q]));
    const visiting = new Set<string>();
    const metricQueries = queries.filter((q) => q.metric);
    const metricsList = () =>
      metricQueries.map((q) => {
        const r = resultOf(q);
        return { s: r.s, label: r.label };
      });
    function resultOf(q: Q): Result {
      const done = results.get(q.id);
      if (done) return done;
      if (q.metric) {
        const m = q.metric;
        // High-resolution periods round StartTime to an even division of the minute, others per §3.3.
        const qStart = m.period < 60 ? Math.floor(start0 / (m.period * 1000)) * m.period * 1000 : start;
        const smp = samples(resolver, ctx.region, m.ns, m.name, m.dims, qStart, end, now, m.unit);
        const s = aggregate({ start: qStart, end, period: m.period, stat: m.stat, stats: [m.stat], now, minutes: smp.minutes, stored: smp.stored });
        const r = { s, label: q.label ?? m.name, messages: [], period: m.period };
        results.set(q.id, r);
        return r;
      }
      if (visiting.has(q.id)) throw CwFaults.InvalidParameterValue(`Circular dependency detected in expression ${q.id}.`);
      visiting.add(q.id);
      const deps: Result[] = [];
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
          { lookup: (id) => { const d = byId.get(id); return d ? resultOf(d) : undefined; }, metrics: metricsList, grid: { start, end: Math.min(end, now + 1), period } },
          scalarTs,
        );
        const res = { s: r.s, label: q.label ?? q.id, messages: [], period };
        results.set(q.id, res);
        visiting.delete(q.id);
        return res;
      } catch (e) {
        if (e instanceof MathError) throw CwFaults.InvalidParameterValue(`Error in expression ${q.id}: ${e.message}`);
        throw e;
      }
    }
    // Every expression is checked up front (unknown ids, cycles, syntax), even on later pages.
    for (const q of queries) {
      if (!q.expr) continue;
      for (const ref of referencedIds(q.expr)) {
        if (!byId.has(ref)) throw CwFaults.InvalidParameterValue(`Error in expression ${q.id}: Unrecognized id "${ref}".`);
      }
    }
    const checkCycle = (id: string, path: Set<string>): void => {
      const q = byId.get(id);
      if (!q?.expr) return;
      if (path.has(id)) throw CwFaults.InvalidParameterValue(`Circular dependency detected in expression ${id}.`);
      path.add(id);
      for (const ref of referencedIds(q.expr)) checkCycle(ref, path);
      path.delete(id);
    };
    for (const q of queries) if (q.expr) checkCycle(q.id, new Set());

    // Output (ReturnData=false hidden), ordered by ScanBy, paged by MaxDatapoints. The token holds the
    // position (returned-query index, point offset within it).
    const returned = queries.filter((q) => q.returnData);
    const out: Obj[] = [];
    let budget = maxDatapoints;
    let nextPos: { q: number; p: number } | undefined;
    returned.forEach((q, qi) => {
      if (qi < pos.q) {
        out.push({ Id: q.id, Label: q.label ?? q.metric?.name ?? q.id, Timestamps: new TimestampList([]), Values: [], StatusCode: 'Complete', Messages: [] });
        return;
      }
      if (budget === 0) {
        nextPos ??= { q: qi, p: 0 };
        out.push({ Id: q.id, Label: q.label ?? q.metric?.name ?? q.id, Timestamps: new TimestampList([]), Values: [], StatusCode: 'PartialData', Messages: [] });
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
    return {
      MetricDataResults: out,
      NextToken: nextPos ? encodeToken({ o: nextPos.q, p: nextPos.p, n: now, f: fingerprint }) : undefined,
      Messages: [],
    };

    function dynamicLabel(label: string, q: Q, s: Series): string {
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
  }

  function getMetricStatistics(input: Obj, ctx: HandlerContext) {
    const ns = reqStr(input, 'Namespace', 'Namespace');
    const name = reqStr(input, 'MetricName', 'MetricName');
    const dims = dimensions(input, 'Dimensions', 'Dimensions');
    const start0 = reqTime(input, 'StartTime', 'StartTime');
    const end = reqTime(input, 'EndTime', 'EndTime');
    const period = int(input, 'Period', 'Period');
    if (period === undefined) throw CwFaults.MissingParameter('The parameter Period is required.');
    checkPeriod(period, 'Period');
    if (start0 >= end) throw CwFaults.InvalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
    const statsIn = (list(input, 'Statistics', 'Statistics') ?? []).map(String);
    const extIn = (list(input, 'ExtendedStatistics', 'ExtendedStatistics') ?? []).map(String);
    if (statsIn.length === 0 && extIn.length === 0) {
      throw CwFaults.MissingParameter('Either the parameter Statistics or ExtendedStatistics is required.');
    }
    if (statsIn.length > 0 && extIn.length > 0) {
      throw CwFaults.InvalidParameterCombination('The parameters Statistics and ExtendedStatistics are mutually exclusive.');
    }
    if (statsIn.length > 5 || extIn.length > 10) throw CwFaults.InvalidParameterValue('Too many statistics requested.');
    const stats: Stat[] = statsIn.map((s, i) => {
      const st = parseStat(s);
      if (!st || st.kind === 'percentile') {
        throw CwFaults.InvalidParameterValue(
          `The parameter Statistics.member.${i + 1} must be a value in the set [ SampleCount, Average, Sum, Minimum, Maximum ].`,
        );
      }
      return st;
    });
    const ext: Stat[] = extIn.map((s, i) => {
      const st = parseStat(s);
      if (!st || st.kind !== 'percentile') throw CwFaults.InvalidParameterValue(`The value ${s} for parameter ExtendedStatistics.member.${i + 1} is not a valid percentile.`);
      return st;
    });
    const unit = checkUnit(str(input, 'Unit', 'Unit'), 'Unit');
    const start = roundStart(start0, ctx.now);
    const requestedPoints = Math.ceil((end - start) / (period * 1000));
    if (requestedPoints > MAX_STATISTICS_DATAPOINTS) {
      throw CwFaults.InvalidParameterCombination(
        `You have requested up to ${requestedPoints.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
      );
    }
    const resolver = new RdsSeriesResolver(ctx.region, source.clusters(ctx.region, ctx.now), ctx.now);
    const smp = samples(resolver, ctx.region, ns, name, dims, start, end, ctx.now, unit);
    const buckets = aggregateBuckets({ start, end, period, stats: [...stats, ...ext], now: ctx.now, minutes: smp.minutes, stored: smp.stored });
    const outUnit = unit ?? smp.unit ?? 'None';
    const points = buckets.map((b) => {
      const dp: Obj = { Timestamp: new Date(b.t) };
      for (const s of stats) dp[s.kind] = round(statValue(b, s));
      if (ext.length) dp.ExtendedStatistics = Object.fromEntries(ext.map((s) => [(s as { name: string }).name, round(statValue(b, s))]));
      dp.Unit = outUnit;
      return dp;
    });
    // AWS returns datapoints in no particular order; a deterministic shuffle keeps clients honest.
    const order = points.map((p, i) => ({ p, k: hashKey(`${name}/${(p.Timestamp as Date).getTime()}`) + i * 0 }));
    order.sort((a, b) => a.k - b.k);
    return { Label: name, Datapoints: order.map((o) => o.p) };
  }

  function listMetrics(input: Obj, ctx: HandlerContext) {
    const ns = str(input, 'Namespace', 'Namespace');
    const name = str(input, 'MetricName', 'MetricName');
    const filters = dimensions(input, 'Dimensions', 'Dimensions', false);
    const recently = str(input, 'RecentlyActive', 'RecentlyActive');
    if (recently !== undefined && recently !== 'PT3H') throw CwFaults.InvalidParameterValue('The parameter RecentlyActive must be PT3H.');
    const token = str(input, 'NextToken', 'NextToken');
    let offset = 0;
    if (token !== undefined) {
      const t = decodeToken(token);
      if (!t || t.f !== 'list') throw CwFaults.InvalidNextToken('The service returned an invalid token.');
      offset = t.o;
    }
    const all = new Map<string, { Namespace: string; MetricName: string; Dimensions: Dimension[] }>();
    const activeSince = ctx.now - (recently ? 3 * 3_600_000 : 14 * 86_400_000);
    const clusters = source.clusters(ctx.region, ctx.now).filter((c) => (c.deletedAt ?? Infinity) >= activeSince);
    for (const m of listRdsMetrics(clusters, ctx.now)) all.set(`${m.Namespace}\u0000${m.MetricName}\u0000${dimsKey(m.Dimensions)}`, m);
    for (const m of store.metrics(ctx.region)) {
      if (m.last < activeSince) continue;
      all.set(`${m.namespace}\u0000${m.metricName}\u0000${dimsKey(m.dimensions)}`, { Namespace: m.namespace, MetricName: m.metricName, Dimensions: m.dimensions });
    }
    const matches = [...all.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([, m]) => m)
      .filter((m) => (ns === undefined || m.Namespace === ns) && (name === undefined || m.MetricName === name))
      .filter((m) => filters.every((f) => m.Dimensions.some((d) => d.Name === f.Name && (f.Value === '' || d.Value === f.Value))));
    const page = matches.slice(offset, offset + LIST_PAGE);
    const next = offset + LIST_PAGE < matches.length ? encodeToken({ o: offset + LIST_PAGE, n: ctx.now, f: 'list' }) : undefined;
    return { Metrics: page, NextToken: next };
  }

  function putMetricData(input: Obj, ctx: HandlerContext) {
    const ns = reqStr(input, 'Namespace', 'Namespace');
    if (ns.startsWith('AWS/')) throw CwFaults.InvalidParameterValue(`The value ${ns} for parameter Namespace is invalid. Namespaces starting with "AWS/" are reserved.`);
    if (ns.length > 255 || /^:/.test(ns) || !/^[\x20-\x7e]+$/.test(ns)) throw CwFaults.InvalidParameterValue(`The value ${ns} for parameter Namespace is invalid.`);
    const data = list(input, 'MetricData', 'MetricData');
    if (!data || data.length === 0) throw CwFaults.MissingParameter('The parameter MetricData is required.');
    if (data.length > 1000) throw CwFaults.InvalidParameterValue('The collection MetricData must not have a size greater than 1000.');
    const rows: PutRow[] = [];
    data.forEach((raw, i) => {
      const p = `MetricData.member.${i + 1}`;
      const d = obj(raw, p);
      const metricName = reqStr(d, 'MetricName', `${p}.MetricName`);
      if (metricName.length > 255) throw CwFaults.InvalidParameterValue(`The parameter ${p}.MetricName must be shorter than 256 characters.`);
      const dims = dimensions(d, 'Dimensions', `${p}.Dimensions`);
      const ts = time(d, 'Timestamp', `${p}.Timestamp`) ?? ctx.now;
      if (ts < ctx.now - 14 * 86_400_000) throw CwFaults.InvalidParameterValue(`The parameter ${p}.Timestamp must specify a time no more than two weeks in the past.`);
      if (ts > ctx.now + 2 * 3_600_000) throw CwFaults.InvalidParameterValue(`The parameter ${p}.Timestamp must specify a time no more than two hours in the future.`);
      const unit = checkUnit(str(d, 'Unit', `${p}.Unit`), `${p}.Unit`) ?? 'None';
      const resolution = int(d, 'StorageResolution', `${p}.StorageResolution`) ?? 60;
      if (resolution !== 1 && resolution !== 60) throw CwFaults.InvalidParameterValue(`The parameter ${p}.StorageResolution must be 1 or 60.`);
      // Standard resolution is kept per minute, high resolution per second.
      const at = resolution === 60 ? Math.floor(ts / MINUTE) * MINUTE : Math.floor(ts / 1000) * 1000;
      const value = num(d, 'Value', `${p}.Value`);
      const values = list(d, 'Values', `${p}.Values`);
      const counts = list(d, 'Counts', `${p}.Counts`);
      const sv = d.StatisticValues === undefined || d.StatisticValues === null ? undefined : obj(d.StatisticValues, `${p}.StatisticValues`);
      const given = [value !== undefined, values !== undefined && values.length > 0, sv !== undefined].filter(Boolean).length;
      if (given > 1) throw CwFaults.InvalidParameterCombination(`The parameters ${p}.Value, ${p}.Values and ${p}.StatisticValues are mutually exclusive.`);
      const base = { namespace: ns, metricName, dims, ts: at, unit, resolution };
      if (sv) {
        const c = num(sv, 'SampleCount', `${p}.StatisticValues.SampleCount`);
        const s = num(sv, 'Sum', `${p}.StatisticValues.Sum`);
        const mn = num(sv, 'Minimum', `${p}.StatisticValues.Minimum`);
        const mx = num(sv, 'Maximum', `${p}.StatisticValues.Maximum`);
        for (const [k, v] of [['SampleCount', c], ['Sum', s], ['Minimum', mn], ['Maximum', mx]] as const) {
          if (v === undefined) throw CwFaults.MissingParameter(`The parameter ${p}.StatisticValues.${k} is required.`);
          checkValue(v, `${p}.StatisticValues.${k}`);
        }
        if (!(c! > 0)) throw CwFaults.InvalidParameterValue(`The parameter ${p}.StatisticValues.SampleCount must be greater than 0.`);
        if (mn! > mx!) throw CwFaults.InvalidParameterValue(`The parameter ${p}.StatisticValues.Minimum must not be greater than Maximum.`);
        rows.push({ ...base, count: c!, sum: s!, min: mn!, max: mx! });
      } else if (values && values.length > 0) {
        if (values.length > 150) throw CwFaults.InvalidParameterValue(`The collection ${p}.Values must not have a size greater than 150.`);
        if (counts && counts.length > 0 && counts.length !== values.length) {
          throw CwFaults.InvalidParameterValue(`The parameters ${p}.Values and ${p}.Counts must have the same number of items.`);
        }
        values.forEach((raw, j) => {
          const v = typeof raw === 'number' ? raw : Number(raw);
          checkValue(v, `${p}.Values.member.${j + 1}`);
          const cRaw = counts && counts.length > 0 ? counts[j] : 1;
          const c = typeof cRaw === 'number' ? cRaw : Number(cRaw);
          if (!(c > 0) || !Number.isFinite(c)) throw CwFaults.InvalidParameterValue(`The parameter ${p}.Counts.member.${j + 1} must be a positive number.`);
          rows.push({ ...base, count: c, sum: v * c, min: v, max: v });
        });
      } else {
        if (value === undefined) throw CwFaults.MissingParameter(`The parameter ${p}.Value is required.`);
        checkValue(value, `${p}.Value`);
        rows.push({ ...base, count: 1, sum: value, min: value, max: value });
      }
    });
    store.put(ctx.region, rows);
    return {};
  }

  return {
    ops: {
      GetMetricData: getMetricData,
      GetMetricStatistics: getMetricStatistics,
      ListMetrics: listMetrics,
      PutMetricData: putMetricData,
    },
    metricsRequested: () => requested,
    resetCounters() {
      requested = 0;
    },
  };
}

function checkPeriod(period: number, path: string): void {
  if (!(period >= 1) || !(period % 60 === 0 || isHighResPeriod(period))) {
    throw CwFaults.InvalidParameterValue(`The parameter ${path} must be 1, 5, 10, 20, 30, or any multiple of 60.`);
  }
}

const MAX_MAGNITUDE = 2 ** 360;
function checkValue(v: number, path: string): void {
  if (!Number.isFinite(v)) throw CwFaults.InvalidParameterValue(`The value ${v} for parameter ${path} is invalid: NaN and Infinity are not supported.`);
  if (Math.abs(v) > MAX_MAGNITUDE) throw CwFaults.InvalidParameterValue(`The value ${v} for parameter ${path} is out of range.`);
}

function hashKey(s: string): number {
  return createHash('md5').update(s).digest().readUInt32BE(0);
}

interface Token {
  o: number;
  p?: number;
  n: number;
  f: string;
}

function encodeToken(t: Token): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(s: string): Token | undefined {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Token;
    if (typeof t.o !== 'number' || typeof t.n !== 'number' || typeof t.f !== 'string' || t.o < 0) return undefined;
    return t;
  } catch {
    return undefined;
  }
}

export { CloudWatchFault };
