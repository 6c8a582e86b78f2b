// The metric-math expression parser (CloudWatch API reference, GetMetricData, Expression): numbers, query
// ids, strings, + - * / ^, unary minus and function calls, into a tree that math-eval.ts evaluates.

export type MathNode =
  | { t: 'num'; v: number }
  | { t: 'id'; name: string }
  | { t: 'str'; v: string }
  | { t: 'neg'; e: MathNode }
  | { t: 'bin'; op: string; l: MathNode; r: MathNode }
  | { t: 'call'; fn: string; args: MathNode[] };

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

export function parseExpression(expr: string): MathNode {
  const toks = tokenize(expr);
  let i = 0;
  const peek = () => toks[i];
  const eat = (t?: string) => {
    const x = toks[i];
    if (t !== undefined && x !== t) throw new MathError(`Expected "${t}" in expression.`);
    i++;
    return x;
  };
  const primary = (): MathNode => {
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
        const args: MathNode[] = [];
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
  const power = (): MathNode => {
    const l = primary();
    if (peek() === '^') {
      eat();
      return { t: 'bin', op: '^', l, r: power() };
    }
    return l;
  };
  const mult = (): MathNode => {
    let l = power();
    while (peek() === '*' || peek() === '/') {
      const op = eat();
      l = { t: 'bin', op, l, r: power() };
    }
    return l;
  };
  const additive = (): MathNode => {
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
export function referencedIds(node: MathNode, out = new Set<string>()): Set<string> {
  if (node.t === 'id') out.add(node.name);
  else if (node.t === 'neg') referencedIds(node.e, out);
  else if (node.t === 'bin') {
    referencedIds(node.l, out);
    referencedIds(node.r, out);
  } else if (node.t === 'call') for (const a of node.args) referencedIds(a, out);
  return out;
}

export function usesMetrics(node: MathNode): boolean {
  if (node.t === 'call') return node.fn === 'METRICS' || node.args.some(usesMetrics);
  if (node.t === 'neg') return usesMetrics(node.e);
  if (node.t === 'bin') return usesMetrics(node.l) || usesMetrics(node.r);
  return false;
}
