// The GetMetricData / GetMetricStatistics engine: period buckets, statistics, retention rules and
// simple metric math. Pure functions over samples; handlers.ts does the wire validation.
import type { MinuteSeries } from '../dataplane/metrics';
import type { StoredPoint } from './store';
import { CwFaults } from './errors';

export const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export type Stat =
  | { kind: 'Average' | 'Minimum' | 'Maximum' | 'Sum' | 'SampleCount' }
  | { kind: 'percentile'; p: number; name: string };

const SIMPLE = new Set(['Average', 'Minimum', 'Maximum', 'Sum', 'SampleCount']);

/** Parses `Average` … `SampleCount` and `pNN`, `pNN.N`, `pNN.NN` (0 ≤ NN ≤ 100). */
export function parseStat(s: string): Stat | undefined {
  if (SIMPLE.has(s)) return { kind: s as 'Average' };
  const m = /^p(\d{1,3}(?:\.\d{1,2})?)$/.exec(s);
  if (!m) return undefined;
  const p = Number(m[1]);
  if (!(p >= 0 && p <= 100)) return undefined;
  return { kind: 'percentile', p, name: s };
}

export interface SampleSegment {
  t0: number;
  n: number;
  step: number;
}

/**
 * Where simulated samples are taken for [start, end) (capped at `now`), following CloudWatch's own
 * retention: every minute for the last 15 days, every 5 minutes for 15–63 days, every hour before
 * that (each sample then stands for 5 or 60 one-minute samples). A year of history costs ~43,000
 * samples per series instead of 525,600.
 */
export function sampleSegments(start: number, end: number, now: number): SampleSegment[] {
  const last = Math.min(end - 1, now);
  const b63 = Math.floor((now - 63 * DAY) / HOUR) * HOUR;
  const b15 = Math.floor((now - 15 * DAY) / (5 * MINUTE)) * 5 * MINUTE;
  const out: SampleSegment[] = [];
  const add = (from: number, to: number, step: number) => {
    // sample times t0 + i·step within [from, to]
    const t0 = Math.ceil(from / step) * step;
    if (to < t0) return;
    out.push({ t0, n: Math.floor((to - t0) / step) + 1, step });
  };
  if (start < b63) add(start, Math.min(last, b63 - 1), HOUR);
  if (last >= b63 && start < b15) add(Math.max(start, b63), Math.min(last, b15 - 1), 5 * MINUTE);
  if (last >= b15) add(Math.max(start, b15), last, MINUTE);
  return out;
}

export function isHighResPeriod(p: number): boolean {
  return p === 1 || p === 5 || p === 10 || p === 20 || p === 30;
}

/** StartTime rounding of §3.3: to the minute (< 15 days old), 5 minutes (15–63 days), the hour (older). */
export function roundStart(start: number, now: number): number {
  const age = now - start;
  const unit = age > 63 * DAY ? HOUR : age > 15 * DAY ? 5 * MINUTE : MINUTE;
  return Math.floor(start / unit) * unit;
}

/** Whether a bucket starting at `t` with this period is still retained (§3.3 retention). */
export function retained(t: number, period: number, now: number): boolean {
  const age = now - t;
  if (age > 455 * DAY) return false;
  if (period < 60) return age <= 3 * HOUR;
  if (period % 3600 === 0) return true;
  if (period % 300 === 0) return age <= 63 * DAY;
  return age <= 15 * DAY;
}

export interface Series {
  /** ascending, ms */
  ts: number[];
  values: number[];
}

export interface AggregateInput {
  start: number;
  end: number;
  /** seconds */
  period: number;
  stats: Stat[];
  now: number;
  minutes?: MinuteSeries | MinuteSeries[];
  stored?: StoredPoint[];
}

export interface Bucket {
  t: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  values?: number[];
}

/** Groups samples into period buckets [start + k·period, …) with start ≤ t < end; keeps retained, non-empty ones. */
export function aggregateBuckets(inp: AggregateInput): Bucket[] {
  const { start, end, now } = inp;
  const pms = inp.period * 1000;
  const nb = Math.max(0, Math.ceil((end - start) / pms));
  const needValues = inp.stats.some((s) => s.kind === 'percentile');
  const count = new Float64Array(nb);
  const sum = new Float64Array(nb);
  const min = new Float64Array(nb).fill(Infinity);
  const max = new Float64Array(nb).fill(-Infinity);
  const values: number[][] | undefined = needValues ? [] : undefined;
  const segs = inp.minutes === undefined ? [] : Array.isArray(inp.minutes) ? inp.minutes : [inp.minutes];
  for (const m of segs) {
    // A sample taken every `step` stands for step/60 s one-minute samples (rolled-up history).
    const w = m.step / MINUTE;
    for (const src of m.sources) {
      for (let i = 0; i < m.n; i++) {
        const v = src[i];
        if (v !== v) continue;
        const t = m.t0 + i * m.step;
        if (t < start || t >= end) continue;
        const b = ((t - start) / pms) | 0;
        count[b] += w;
        sum[b] += v * w;
        if (v < min[b]) min[b] = v;
        if (v > max[b]) max[b] = v;
        if (values) (values[b] ??= []).push(v);
      }
    }
  }
  for (const p of inp.stored ?? []) {
    if (p.ts < start || p.ts >= end) continue;
    const b = Math.floor((p.ts - start) / pms);
    count[b] += p.count;
    sum[b] += p.sum;
    if (p.min < min[b]) min[b] = p.min;
    if (p.max > max[b]) max[b] = p.max;
    if (values) {
      const arr = (values[b] ??= []);
      if (p.values) for (const v of p.values) for (let c = 0; c < Math.max(1, Math.round(p.count)); c++) arr.push(v);
      else arr.push(p.sum / p.count);
    }
  }
  const out: Bucket[] = [];
  for (let b = 0; b < nb; b++) {
    if (count[b] === 0) continue;
    const t = start + b * pms;
    if (!retained(t, inp.period, now)) continue;
    out.push({ t, count: count[b], sum: sum[b], min: min[b], max: max[b], values: values?.[b] });
  }
  return out;
}

export function statValue(b: Bucket, stat: Stat): number {
  switch (stat.kind) {
    case 'Average':
      return b.sum / b.count;
    case 'Minimum':
      return b.min;
    case 'Maximum':
      return b.max;
    case 'Sum':
      return b.sum;
    case 'SampleCount':
      return b.count;
    case 'percentile':
      return percentile(b.values ?? [], stat.p);
  }
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = values.length > 1 ? [...values].sort((a, b) => a - b) : values;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** One statistic over the buckets, rounded to keep responses compact and stable. */
export function aggregate(inp: AggregateInput & { stat: Stat }): Series {
  // Fast path: 1-minute period, a single data-plane source, simple statistic, nothing stored.
  const m = Array.isArray(inp.minutes) ? (inp.minutes.length === 1 ? inp.minutes[0] : undefined) : inp.minutes;
  if (
    m &&
    m.sources.length === 1 &&
    inp.period === 60 &&
    (inp.stored?.length ?? 0) === 0 &&
    inp.stat.kind !== 'SampleCount' &&
    m.step === MINUTE &&
    (inp.start - m.t0) % MINUTE === 0
  ) {
    const src = m.sources[0];
    const ts: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < m.n; i++) {
      const v = src[i];
      if (v !== v) continue;
      const t = m.t0 + i * m.step;
      if (t < inp.start || t >= inp.end || !retained(t, 60, inp.now)) continue;
      ts.push(t);
      values.push(v);
    }
    return { ts, values };
  }
  const buckets = aggregateBuckets({ ...inp, stats: [inp.stat] });
  return { ts: buckets.map((b) => b.t), values: buckets.map((b) => round(statValue(b, inp.stat))) };
}

export function round(v: number): number {
  if (!Number.isFinite(v)) return v;
  return Math.round(v * 1e6) / 1e6;
}

// ---------------------------------------------------------------- metric math

type Value = { kind: 'scalar'; v: number } | { kind: 'series'; s: Series; label: string } | { kind: 'array'; items: { s: Series; label: string }[] };

type Node =
  | { t: 'num'; v: number }
  | { t: 'id'; name: string }
  | { t: 'str'; v: string }
  | { t: 'neg'; e: Node }
  | { t: 'bin'; op: string; l: Node; r: Node }
  | { t: 'call'; fn: string; args: Node[] };

function tokenize(expr: string): string[] {
  const toks: string[] = [];
  const re = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)|([A-Za-z_][A-Za-z0-9_]*)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|([-+*/^(),]))/y;
  let pos = 0;
  while (pos < expr.length) {
    if (/^\s*$/.test(expr.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(expr);
    if (!m) throw new MathError(`Syntax error near "${expr.slice(pos).trim().slice(0, 20)}".`);
    toks.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
    pos = re.lastIndex;
  }
  return toks;
}

export class MathError extends Error {}

export function parseExpression(expr: string): Node {
  const toks = tokenize(expr);
  let i = 0;
  const peek = () => toks[i];
  const eat = (t?: string) => {
    const x = toks[i];
    if (t !== undefined && x !== t) throw new MathError(`Expected "${t}" in expression.`);
    i++;
    return x;
  };
  const primary = (): Node => {
    const x = peek();
    if (x === undefined) throw new MathError('Unexpected end of expression.');
    if (x === '(') {
      eat('(');
      const e = additive();
      eat(')');
      return e;
    }
    if (x === '-') {
      eat();
      return { t: 'neg', e: power() };
    }
    if (x === '+') {
      eat();
      return power();
    }
    if (/^[\d.]/.test(x)) {
      eat();
      return { t: 'num', v: Number(x) };
    }
    if (x[0] === "'" || x[0] === '"') {
      eat();
      return { t: 'str', v: x.slice(1, -1) };
    }
    if (/^[A-Za-z_]/.test(x)) {
      eat();
      if (peek() === '(') {
        eat('(');
        const args: Node[] = [];
        if (peek() !== ')') {
          args.push(additive());
          while (peek() === ',') {
            eat(',');
            args.push(additive());
          }
        }
        eat(')');
        return { t: 'call', fn: x.toUpperCase(), args };
      }
      return { t: 'id', name: x };
    }
    throw new MathError(`Unexpected "${x}" in expression.`);
  };
  const power = (): Node => {
    const l = primary();
    if (peek() === '^') {
      eat();
      return { t: 'bin', op: '^', l, r: power() };
    }
    return l;
  };
  const mult = (): Node => {
    let l = power();
    while (peek() === '*' || peek() === '/') {
      const op = eat();
      l = { t: 'bin', op, l, r: power() };
    }
    return l;
  };
  const additive = (): Node => {
    let l = mult();
    while (peek() === '+' || peek() === '-') {
      const op = eat();
      l = { t: 'bin', op, l, r: mult() };
    }
    return l;
  };
  const root = additive();
  if (i !== toks.length) throw new MathError(`Unexpected "${toks[i]}" in expression.`);
  return root;
}

/** Ids referenced by an expression (for dependency order); METRICS() references every MetricStat. */
export function referencedIds(node: Node, out = new Set<string>()): Set<string> {
  if (node.t === 'id') out.add(node.name);
  else if (node.t === 'neg') referencedIds(node.e, out);
  else if (node.t === 'bin') {
    referencedIds(node.l, out);
    referencedIds(node.r, out);
  } else if (node.t === 'call') for (const a of node.args) referencedIds(a, out);
  return out;
}

export function usesMetrics(node: Node): boolean {
  if (node.t === 'call') return node.fn === 'METRICS' || node.args.some(usesMetrics);
  if (node.t === 'neg') return usesMetrics(node.e);
  if (node.t === 'bin') return usesMetrics(node.l) || usesMetrics(node.r);
  return false;
}

export interface MathContext {
  /** Results of other queries by Id. */
  lookup(id: string): { s: Series; label: string } | undefined;
  /** Every MetricStat result in the request (METRICS()), with labels. */
  metrics(): { s: Series; label: string }[];
  /** The period grid for FILL: start, end (ms), period (s). */
  grid: { start: number; end: number; period: number };
}

function combine(a: Series, b: Series, f: (x: number, y: number) => number): Series {
  const ts: number[] = [];
  const values: number[] = [];
  let j = 0;
  for (let i = 0; i < a.ts.length; i++) {
    const t = a.ts[i];
    while (j < b.ts.length && b.ts[j] < t) j++;
    if (j < b.ts.length && b.ts[j] === t) {
      ts.push(t);
      values.push(f(a.values[i], b.values[j]));
    }
  }
  return { ts, values };
}

function mapSeries(s: Series, f: (x: number) => number): Series {
  return { ts: s.ts, values: s.values.map(f) };
}

const OPS: Record<string, (x: number, y: number) => number> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => x / y,
  '^': (x, y) => x ** y,
};

/** Per-timestamp reduction across several series (union of timestamps). */
function reduceAcross(items: Series[], f: (vals: number[]) => number): Series {
  const byT = new Map<number, number[]>();
  for (const s of items) for (let i = 0; i < s.ts.length; i++) {
    const v = s.values[i];
    if (v !== v) continue;
    let arr = byT.get(s.ts[i]);
    if (!arr) byT.set(s.ts[i], (arr = []));
    arr.push(v);
  }
  const ts = [...byT.keys()].sort((a, b) => a - b);
  return { ts, values: ts.map((t) => f(byT.get(t)!)) };
}

const REDUCERS: Record<string, (v: number[]) => number> = {
  MAX: (v) => Math.max(...v),
  MIN: (v) => Math.min(...v),
  SUM: (v) => v.reduce((a, b) => a + b, 0),
  AVG: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  AVERAGE: (v) => v.reduce((a, b) => a + b, 0) / v.length,
};

export function evaluate(node: Node, ctx: MathContext): Value {
  switch (node.t) {
    case 'num':
      return { kind: 'scalar', v: node.v };
    case 'str':
      throw new MathError('A string is only allowed as a function argument.');
    case 'id': {
      const r = ctx.lookup(node.name);
      if (!r) throw new MathError(`Unrecognized id "${node.name}" in expression.`);
      return { kind: 'series', s: r.s, label: r.label };
    }
    case 'neg': {
      const v = evaluate(node.e, ctx);
      return arith(v, { kind: 'scalar', v: -1 }, '*');
    }
    case 'bin':
      return arith(evaluate(node.l, ctx), evaluate(node.r, ctx), node.op);
    case 'call':
      return call(node, ctx);
  }
}

function arith(a: Value, b: Value, op: string): Value {
  const f = OPS[op];
  if (a.kind === 'array' || b.kind === 'array') {
    const items = a.kind === 'array' ? a.items : (b as { items: { s: Series; label: string }[] }).items;
    const other = a.kind === 'array' ? b : a;
    if (other.kind === 'array') throw new MathError('Arithmetic between two arrays of time series is not supported.');
    return {
      kind: 'array',
      items: items.map((it) => {
        const r = a.kind === 'array' ? arith({ kind: 'series', s: it.s, label: it.label }, other, op) : arith(other, { kind: 'series', s: it.s, label: it.label }, op);
        return { s: (r as { s: Series }).s, label: it.label };
      }),
    };
  }
  if (a.kind === 'scalar' && b.kind === 'scalar') return { kind: 'scalar', v: f(a.v, b.v) };
  if (a.kind === 'series' && b.kind === 'scalar') return { kind: 'series', s: mapSeries(a.s, (x) => f(x, b.v)), label: a.label };
  if (a.kind === 'scalar' && b.kind === 'series') return { kind: 'series', s: mapSeries(b.s, (y) => f(a.v, y)), label: b.label };
  const sa = (a as { s: Series }).s;
  const sb = (b as { s: Series }).s;
  return { kind: 'series', s: combine(sa, sb, f), label: '' };
}

function call(node: Extract<Node, { t: 'call' }>, ctx: MathContext): Value {
  const { fn, args } = node;
  if (fn === 'METRICS') {
    let items = ctx.metrics();
    if (args.length > 1) throw new MathError('METRICS takes at most one argument.');
    if (args.length === 1) {
      if (args[0].t !== 'str') throw new MathError('The argument of METRICS must be a string.');
      const filter = args[0].v;
      items = items.filter((it) => it.label.includes(filter));
    }
    return { kind: 'array', items };
  }
  if (REDUCERS[fn]) {
    if (args.length === 0) throw new MathError(`${fn} needs at least one argument.`);
    const vals = args.map((a) => evaluate(a, ctx));
    const r = REDUCERS[fn];
    if (vals.length === 1 && vals[0].kind === 'series') {
      // MAX(m1): one value over the whole series, drawn at each of its timestamps.
      const s = vals[0].s;
      const finite = s.values.filter((v) => v === v);
      if (finite.length === 0) return { kind: 'series', s: { ts: [], values: [] }, label: '' };
      const x = r(finite);
      return { kind: 'series', s: { ts: s.ts, values: s.ts.map(() => x) }, label: '' };
    }
    if (vals.every((v) => v.kind === 'scalar')) return { kind: 'scalar', v: r(vals.map((v) => (v as { v: number }).v)) };
    const series: Series[] = [];
    for (const v of vals) {
      if (v.kind === 'array') series.push(...v.items.map((i) => i.s));
      else if (v.kind === 'series') series.push(v.s);
      else throw new MathError(`${fn} cannot mix scalars and time series.`);
    }
    return { kind: 'series', s: reduceAcross(series, r), label: '' };
  }
  if (fn === 'ABS' || fn === 'CEIL' || fn === 'FLOOR') {
    if (args.length !== 1) throw new MathError(`${fn} takes one argument.`);
    const g = fn === 'ABS' ? Math.abs : fn === 'CEIL' ? Math.ceil : Math.floor;
    return unary(evaluate(args[0], ctx), g);
  }
  if (fn === 'FILL') {
    if (args.length !== 2) throw new MathError('FILL takes two arguments.');
    const v = evaluate(args[0], ctx);
    const mode = args[1].t === 'id' ? args[1].name.toUpperCase() : undefined;
    const constant = mode === undefined ? evaluate(args[1], ctx) : undefined;
    if (constant && constant.kind !== 'scalar') throw new MathError('The second argument of FILL must be a number, REPEAT or LINEAR.');
    if (mode !== undefined && mode !== 'REPEAT' && mode !== 'LINEAR') throw new MathError('The second argument of FILL must be a number, REPEAT or LINEAR.');
    const fill = (s: Series) => fillSeries(s, ctx.grid, constant ? { value: constant.v } : { mode: mode as 'REPEAT' | 'LINEAR' });
    if (v.kind === 'series') return { kind: 'series', s: fill(v.s), label: v.label };
    if (v.kind === 'array') return { kind: 'array', items: v.items.map((it) => ({ s: fill(it.s), label: it.label })) };
    return v;
  }
  if (fn === 'DIFF' || fn === 'RATE') {
    if (args.length !== 1) throw new MathError(`${fn} takes one argument.`);
    const v = evaluate(args[0], ctx);
    if (v.kind !== 'series') throw new MathError(`${fn} needs a time series.`);
    const ts: number[] = [];
    const values: number[] = [];
    for (let i = 1; i < v.s.ts.length; i++) {
      const d = v.s.values[i] - v.s.values[i - 1];
      ts.push(v.s.ts[i]);
      values.push(fn === 'DIFF' ? d : d / ((v.s.ts[i] - v.s.ts[i - 1]) / 1000));
    }
    return { kind: 'series', s: { ts, values }, label: v.label };
  }
  throw new MathError(`Unsupported function ${fn}.`);
}

function unary(v: Value, g: (x: number) => number): Value {
  if (v.kind === 'scalar') return { kind: 'scalar', v: g(v.v) };
  if (v.kind === 'series') return { kind: 'series', s: mapSeries(v.s, g), label: v.label };
  return { kind: 'array', items: v.items.map((it) => ({ s: mapSeries(it.s, g), label: it.label })) };
}

function fillSeries(s: Series, grid: MathContext['grid'], how: { value: number } | { mode: 'REPEAT' | 'LINEAR' }): Series {
  const pms = grid.period * 1000;
  const have = new Map<number, number>();
  s.ts.forEach((t, i) => have.set(t, s.values[i]));
  const ts: number[] = [];
  const values: number[] = [];
  for (let t = grid.start; t < grid.end; t += pms) {
    ts.push(t);
    const v = have.get(t);
    if (v !== undefined) values.push(v);
    else if ('value' in how) values.push(how.value);
    else values.push(NaN);
  }
  if ('mode' in how) {
    for (let i = 0; i < values.length; i++) {
      if (values[i] === values[i]) continue;
      let prev = i - 1;
      while (prev >= 0 && values[prev] !== values[prev]) prev--;
      let next = i + 1;
      while (next < values.length && (values[next] !== values[next] || !have.has(ts[next]))) next++;
      if (how.mode === 'REPEAT') values[i] = prev >= 0 ? values[prev] : next < values.length ? values[next] : NaN;
      else if (prev >= 0 && next < values.length) values[i] = values[prev] + ((values[next] - values[prev]) * (i - prev)) / (next - prev);
      else values[i] = prev >= 0 ? values[prev] : next < values.length ? values[next] : NaN;
    }
  }
  const outT: number[] = [];
  const outV: number[] = [];
  ts.forEach((t, i) => {
    if (values[i] === values[i]) {
      outT.push(t);
      outV.push(values[i]);
    }
  });
  return { ts: outT, values: outV };
}

/** Evaluates an expression to one series (arrays are only valid as function arguments). */
export function evaluateToSeries(node: Node, ctx: MathContext, scalarTimestamps: () => number[]): { s: Series; label: string } {
  const v = evaluate(node, ctx);
  if (v.kind === 'array') {
    if (v.items.length === 1) return v.items[0];
    throw new MathError('The expression returned more than one time series; use a function such as MAX(...) or SUM(...).');
  }
  if (v.kind === 'scalar') {
    const ts = scalarTimestamps();
    return { s: { ts, values: ts.map(() => v.v) }, label: '' };
  }
  // Non-finite results (division by zero, …) are dropped, as CloudWatch does.
  const ts: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < v.s.ts.length; i++) {
    const x = v.s.values[i];
    if (!Number.isFinite(x)) continue;
    ts.push(v.s.ts[i]);
    values.push(round(x));
  }
  return { s: { ts, values }, label: v.label };
}

export function assertNever(x: never): never {
  throw CwFaults.InternalServiceError(`unexpected ${String(x)}`);
}
