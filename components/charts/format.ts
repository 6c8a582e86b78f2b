// Formatting shared by the chart islands and server components (pure).
export type ChartUnit = 'ms' | '/s' | '%' | 'count' | 'min';

export function formatValue(v: number | null | undefined, unit: ChartUnit): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  switch (unit) {
    case 'ms':
      return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v >= 100 ? Math.round(v) : v.toFixed(1)} ms`;
    case '/s':
      return `${v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2)} /s`;
    case '%':
      return `${v.toFixed(1)} %`;
    case 'count':
      return Math.round(v).toLocaleString('en-US');
    case 'min':
      return `${v.toFixed(1)} min`;
  }
}

/**
 * Axis tick label with as many decimals as the tick step needs (step 25 → "25 /s", step 0.25 → "0.25 /s",
 * step 0.025 → "0.025 %"), so neighbouring ticks never print the same text.
 */
// One Intl.NumberFormat per option set: `toLocaleString` with options builds a new formatter on every
// call, which the chart bench measured at tens of ms per page of axis ticks and per tooltip move.
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(min: number, max: number): Intl.NumberFormat {
  const key = `${min}:${max}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: min, maximumFractionDigits: max })));
  return f;
}

export function formatTick(v: number, unit: ChartUnit, step = 1): string {
  if (unit === 'ms' && Math.abs(v) >= 10_000 && step >= 1_000) return formatValue(v, unit);
  let decimals = 0;
  while (decimals < 6 && Math.abs(step * 10 ** decimals - Math.round(step * 10 ** decimals)) > 1e-9 * 10 ** decimals) decimals++;
  const n = numberFormat(decimals, decimals).format(v);
  return unit === 'count' ? n : `${n} ${unit}`;
}

/** Exact value for tooltips (no rounding beyond 3 decimals). */
export function formatExact(v: number | null | undefined, unit: ChartUnit): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'no data';
  const n = Number.isInteger(v) ? numberFormat(0, 0).format(v) : numberFormat(0, 3).format(v);
  return unit === 'count' ? n : `${n} ${unit}`;
}

export function formatTime(t: number, spanMs: number): string {
  const d = new Date(t);
  const hm = d.toISOString().slice(11, 16);
  if (spanMs <= 26 * 3_600_000) return hm;
  return `${d.toISOString().slice(5, 10)} ${hm}`;
}

/** Time axis tick: a tick at midnight UTC on a multi-day range is just its date. */
export function formatTimeTick(t: number, spanMs: number): string {
  if (spanMs > 26 * 3_600_000 && t % 86_400_000 === 0) return new Date(t).toISOString().slice(5, 10);
  return formatTime(t, spanMs);
}

export function formatPeriodText(sec: number): string {
  if (sec < 3600) return `${sec} s`;
  if (sec < 86400) return `${sec / 3600} h`;
  return `${sec / 86400} d`;
}

/** Lag colour class by thresholds (ms). */
export function lagTone(ms: number | null | undefined, t: { warn: number; critical: number }): 'ok' | 'warn' | 'critical' | 'none' {
  if (ms === null || ms === undefined) return 'none';
  if (ms >= t.critical) return 'critical';
  if (ms >= t.warn) return 'warn';
  return 'ok';
}

/** Height of a chart's plot (px), also of its placeholder while it waits for its turn. */
export const PLOT_HEIGHT = 208;

export const SERIES_COLORS = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#0891b2', '#db2777', '#65a30d', '#7c3aed', '#ea580c', '#0d9488', '#4f46e5', '#be123c', '#ca8a04', '#0284c7', '#c026d3', '#15803d'];

export const MARKER_COLORS: Record<string, string> = {
  failover: '#dc2626',
  backtrack: '#7c3aed',
  'reader-added': '#16a34a',
  'reader-removed': '#a16207',
  reboot: '#0891b2',
};

/** One colour per instance, by sorted id: the same in every panel, across refreshes and failovers. */
export function instancePalette(instances: Iterable<string>): Record<string, string> {
  const ids = [...new Set(instances)].sort();
  return Object.fromEntries(ids.map((id, i) => [id, SERIES_COLORS[i % SERIES_COLORS.length]]));
}

/** A series' colour: the cluster aggregate red, an instance its page-wide palette colour, else by position. */
export const seriesColor = (s: { aggregate?: boolean; instance?: string }, i: number, palette?: Record<string, string>) =>
  s.aggregate ? '#dc2626' : ((s.instance ? palette?.[s.instance] : undefined) ?? SERIES_COLORS[i % SERIES_COLORS.length]);

/** "1 point", "288 points": a count with its noun in the right number. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
