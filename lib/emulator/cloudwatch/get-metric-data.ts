// GetMetricData (CloudWatch API reference, GetMetricData), in steps: validate the request and its
// NextToken, validate the queries, check the expressions' references, then evaluate and page the
// results (metric-data-results.ts).
import { createHash } from 'node:crypto';
import type { DataplaneSource } from '../dataplane/types';
import { CwFaults } from './errors';
import {
  bool,
  checkPeriod,
  checkUnit,
  decodeToken,
  dimensions,
  encodeToken,
  int,
  list,
  obj,
  reqStr,
  reqTime,
  str,
  type HandlerContext,
  type Obj,
} from './input';
import { MathError, parseExpression, referencedIds } from './math-parse';
import { createEvaluator, pageResults, type MetricQuery, type PagePosition } from './metric-data-results';
import { parseStat, roundStart } from './statistics';
import type { MetricStore } from './store';

const MAX_QUERIES = 500;
const MAX_DATAPOINTS = 100_800;

interface MetricDataRequest {
  queriesRaw: unknown[];
  start0: number;
  end: number;
  scanBy: 'TimestampDescending' | 'TimestampAscending';
  maxDatapoints: number;
  tokenIn?: string;
  /** Identifies the request a NextToken belongs to. */
  fingerprint: string;
  pos: PagePosition;
  /** The evaluation clock: the request's, or the one pinned by the NextToken. */
  now: number;
}

/** The request's top-level members and its NextToken (the token pins the clock so later pages see the same data). */
function parseRequest(input: Obj, ctxNow: number): MetricDataRequest {
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

  const tokenIn = str(input, 'NextToken', 'NextToken');
  const fingerprint = createHash('sha1')
    .update(JSON.stringify([input.MetricDataQueries, start0, end, scanBy, maxDatapoints]))
    .digest('base64url')
    .slice(0, 16);
  let pos = { q: 0, p: 0 };
  let now = ctxNow;
  if (tokenIn !== undefined) {
    const tok = decodeToken(tokenIn);
    if (!tok || tok.f !== fingerprint || typeof tok.p !== 'number' || tok.p < 0) throw CwFaults.InvalidNextToken('The service returned an invalid token.');
    pos = { q: tok.o, p: tok.p };
    now = tok.n;
  }
  return { queriesRaw, start0, end, scanBy, maxDatapoints, tokenIn, fingerprint, pos, now };
}

/** Each MetricDataQuery: a unique Id, then exactly one of MetricStat (metric, period, statistic, unit) or Expression. */
function parseQueries(queriesRaw: unknown[]): MetricQuery[] {
  const ids = new Set<string>();
  return queriesRaw.map((raw, i): MetricQuery => {
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
}

/** Every expression is checked up front (unknown ids, cycles), even on later pages. */
function checkExpressions(queries: MetricQuery[], byId: Map<string, MetricQuery>): void {
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
}

/**
 * GetMetricData over the data plane and the stored points. `countMetrics` learns how many MetricStat
 * queries a first page (no NextToken) asked for.
 */
export function getMetricData(
  deps: { store: MetricStore; source: DataplaneSource },
  input: Obj,
  ctx: HandlerContext,
  countMetrics: (n: number) => void,
) {
  const req = parseRequest(input, ctx.now);
  const { start0, end, now } = req;
  const start = roundStart(start0, now);
  const queries = parseQueries(req.queriesRaw);
  if (!req.tokenIn) countMetrics(queries.filter((q) => q.metric).length);

  // Results are computed on demand: a page only pays for the queries it returns (and their inputs).
  const byId = new Map(queries.map((q) => [q.id, q]));
  const resultOf = createEvaluator(deps, queries, byId, { region: ctx.region, start0, start, end, now });
  checkExpressions(queries, byId);

  // Output (ReturnData=false hidden), ordered by ScanBy, paged by MaxDatapoints. The token holds the
  // position (returned-query index, point offset within it).
  const returned = queries.filter((q) => q.returnData);
  const page = pageResults(returned, resultOf, req.pos, req.maxDatapoints, req.scanBy);
  return {
    MetricDataResults: page.results,
    NextToken: page.next ? encodeToken({ o: page.next.q, p: page.next.p, n: now, f: req.fingerprint }) : undefined,
    Messages: [],
  };
}
