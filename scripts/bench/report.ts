// The bench's figures: a table on stdout, `.bench/latest.json` (one key per figure: value, unit, target,
// met), and the comparison with the previous run's file.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type Op = '<=' | '<' | '>=' | '=';

export interface Figure {
  label: string;
  value: number;
  unit: string;
  /** e.g. { op: '<=', value: 200 } in the figure's unit; absent = informational. */
  target?: { op: Op; value: number };
  note?: string;
}

export interface JsonFigure {
  label: string;
  value: number;
  unit: string;
  target: string | null;
  met: boolean | null;
  note?: string;
}

export function met(f: Figure): boolean | null {
  if (!f.target || !Number.isFinite(f.value)) return f.target ? false : null;
  const { op, value } = f.target;
  return op === '<=' ? f.value <= value : op === '<' ? f.value < value : op === '>=' ? f.value >= value : f.value === value;
}

const OP_TEXT: Record<Op, string> = { '<=': '≤', '<': '<', '>=': '≥', '=': '=' };

function fmt(v: number, unit: string): string {
  if (!Number.isFinite(v)) return 'n/a';
  const digits = Math.abs(v) >= 100 || Number.isInteger(v) ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return `${v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`.trim();
}

function targetText(f: Figure): string {
  return f.target ? `${OP_TEXT[f.target.op]} ${fmt(f.target.value, f.unit)}` : '—';
}

export function printTable(figures: Record<string, Figure>): void {
  const rows = Object.entries(figures).map(([key, f]) => {
    const m = met(f);
    return [f.label, fmt(f.value, f.unit), targetText(f), m === null ? '' : m ? 'yes' : 'NO', f.note ?? '', key];
  });
  const head = ['figure', 'value', 'target', 'met?', 'note'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  w[4] = Math.min(w[4], 70);
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(w[i]) : c.padEnd(w[i]))).join(' │ ');
  console.log(line(head));
  console.log(w.map((n) => '─'.repeat(n)).join('─┼─'));
  for (const r of rows) console.log(line(r.slice(0, 5)));
}

export function toJson(figures: Record<string, Figure>): Record<string, JsonFigure> {
  const out: Record<string, JsonFigure> = {};
  for (const [k, f] of Object.entries(figures)) {
    out[k] = {
      label: f.label,
      value: Number.isFinite(f.value) ? Math.round(f.value * 100) / 100 : NaN,
      unit: f.unit,
      target: f.target ? `${f.target.op} ${f.target.value}` : null,
      met: met(f),
      ...(f.note ? { note: f.note } : {}),
    };
  }
  return out;
}

/** Writes latest.json (keeping the previous one as previous.json) and returns the previous figures, if any. */
export function writeLatest(dir: string, meta: Record<string, unknown>, figures: Record<string, Figure>): Record<string, JsonFigure> | null {
  mkdirSync(dir, { recursive: true });
  const latest = path.join(dir, 'latest.json');
  let previous: Record<string, JsonFigure> | null = null;
  if (existsSync(latest)) {
    try {
      previous = (JSON.parse(readFileSync(latest, 'utf8')) as { figures: Record<string, JsonFigure> }).figures ?? null;
      renameSync(latest, path.join(dir, 'previous.json'));
    } catch {
      previous = null;
    }
  }
  writeFileSync(latest, JSON.stringify({ ...meta, figures: toJson(figures) }, null, 2) + '\n');
  return previous;
}

export function printComparison(previous: Record<string, JsonFigure>, figures: Record<string, Figure>): void {
  const rows: string[][] = [];
  for (const [k, f] of Object.entries(figures)) {
    const p = previous[k];
    if (!p || !Number.isFinite(p.value) || !Number.isFinite(f.value)) continue;
    const delta = p.value === 0 ? (f.value === 0 ? 0 : Infinity) : ((f.value - p.value) / Math.abs(p.value)) * 100;
    const was = p.met === null ? '' : p.met ? 'yes' : 'NO';
    const now = met(f);
    rows.push([f.label, fmt(p.value, f.unit), fmt(f.value, f.unit), Number.isFinite(delta) ? `${delta >= 0 ? '+' : ''}${delta.toFixed(1)} %` : 'new', `${was} → ${now === null ? '' : now ? 'yes' : 'NO'}`]);
  }
  if (!rows.length) return;
  const head = ['figure', 'previous', 'now', 'change', 'met'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 1 && i <= 3 ? c.padStart(w[i]) : c.padEnd(w[i]))).join(' │ ');
  console.log(line(head));
  console.log(w.map((n) => '─'.repeat(n)).join('─┼─'));
  for (const r of rows) console.log(line(r));
}
