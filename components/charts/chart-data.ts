// The server ships each panel in columns (one time axis, one value column per series: a small payload);
// recharts wants one object per sample. This converts once per data change (the callers memoise on the
// panel's `t` and `values`), and finds the value range for the axis. Pure.
import type { ChartPanel } from '@/lib/aws/metrics-views';

/** One recharts row per sample: `{ t, [seriesKey]: value | null }`; null is a gap (not connected). */
export type ChartRow = { t: number } & Record<string, number | null>;

export function toRows(panel: Pick<ChartPanel, 't' | 'values'>, keys: readonly string[]): ChartRow[] {
  const cols = keys.map((k) => panel.values[k] ?? []);
  const rows = new Array<ChartRow>(panel.t.length);
  for (let i = 0; i < panel.t.length; i++) {
    const row = { t: panel.t[i] } as ChartRow;
    for (let k = 0; k < keys.length; k++) {
      const v = cols[k][i];
      row[keys[k]] = v === undefined || v === null || !Number.isFinite(v) ? null : v;
    }
    rows[i] = row;
  }
  return rows;
}

/** Lowest and highest finite value over the given columns. */
export function extent(columns: readonly (readonly (number | null | undefined)[])[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const col of columns)
    for (const v of col) {
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  return [lo, hi];
}

/** Whether any series has a missing sample between two present ones (drawn as a break in the line). */
export function hasGaps(panel: Pick<ChartPanel, 'values'>, keys: readonly string[]): boolean {
  for (const k of keys) {
    const col = panel.values[k] ?? [];
    let seen = false;
    let gap = false;
    for (const v of col) {
      if (v === null || v === undefined) gap ||= seen;
      else if (gap) return true;
      else seen = true;
    }
  }
  return false;
}
