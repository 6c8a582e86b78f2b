// CloudWatch operations over the decoded input (same plain shape for JSON, Query and CBOR):
// GetMetricData (get-metric-data.ts), GetMetricStatistics, ListMetrics, PutMetricData.
import { createHash } from 'node:crypto';
import type { DataplaneSource } from '../dataplane/types';
import { listRdsMetrics, RdsSeriesResolver } from '../dataplane/metrics';
import { CwFaults } from './errors';
import { getMetricData } from './get-metric-data';
import {
  checkPeriod,
  checkUnit,
  checkValue,
  decodeToken,
  dimensions,
  encodeToken,
  int,
  list,
  num,
  obj,
  reqStr,
  reqTime,
  str,
  time,
  type HandlerContext,
  type Obj,
} from './input';
import { samples } from './samples';
import { aggregateBuckets, MINUTE, parseStat, round, roundStart, statValue, type Stat } from './statistics';
import { dimsKey, type Dimension, type MetricStore, type PutRow } from './store';

export type Handler = (input: Record<string, unknown>, ctx: HandlerContext) => unknown;

export interface CloudWatchHandlers {
  ops: Record<string, Handler>;
  metricsRequested(): number;
  /** Metrics requested per region (GetMetricData bills per metric requested). */
  metricsRequestedByRegion(): Record<string, number>;
  resetCounters(): void;
}

const MAX_STATISTICS_DATAPOINTS = 1_440;
const LIST_PAGE = 500;

export function createHandlers(deps: { store: MetricStore; source: DataplaneSource }): CloudWatchHandlers {
  const { store, source } = deps;
  let requested = 0;
  let byRegion: Record<string, number> = {};

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
    const resolver = new RdsSeriesResolver(ctx.region, source.clusters(ctx.region, ctx.now), ctx.now, source.measured?.bind(source));
    const smp = samples(store, resolver, ctx.region, ns, name, dims, start, end, ctx.now, unit);
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
      GetMetricData: (input, ctx) =>
        getMetricData(deps, input, ctx, (n) => {
          requested += n;
          byRegion[ctx.region] = (byRegion[ctx.region] ?? 0) + n;
        }),
      GetMetricStatistics: getMetricStatistics,
      ListMetrics: listMetrics,
      PutMetricData: putMetricData,
    },
    metricsRequested: () => requested,
    metricsRequestedByRegion: () => ({ ...byRegion }),
    resetCounters() {
      requested = 0;
      byRegion = {};
    },
  };
}

function hashKey(s: string): number {
  return createHash('md5').update(s).digest().readUInt32BE(0);
}
