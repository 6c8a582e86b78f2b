// Metric-math evaluation over query results: arithmetic between scalars, series and arrays of series,
// and the functions METRICS, MAX, MIN, SUM, AVG, ABS, CEIL, FLOOR, FILL, DIFF and RATE.
import { MathError, type MathNode } from './math-parse';
import { round, type Series } from './statistics';

type Value = { kind: 'scalar'; v: number } | { kind: 'series'; s: Series; label: string } | { kind: 'array'; items: { s: Series; label: string }[] };

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

function evaluate(node: MathNode, ctx: MathContext): Value {
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

function call(node: Extract<MathNode, { t: 'call' }>, ctx: MathContext): Value {
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
export function evaluateToSeries(node: MathNode, ctx: MathContext, scalarTimestamps: () => number[]): { s: Series; label: string } {
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
