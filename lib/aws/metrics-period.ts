// Pure time-range helpers for CloudWatch charts: period choice (≤ ~1,000 points per series, respecting
// CloudWatch retention), window alignment and URL range parsing. No AWS imports: safe anywhere.

const PERIODS = [60, 300, 900, 3600, 21600, 86400] as const;
const MAX_POINTS = 1000;

const DAY = 86_400_000;

/** The smallest retained period allowed for data starting at `start` (CloudWatch retention: 1-minute data 15 days, 5-minute 63 days, 1-hour 455 days). */
function minRetainedPeriod(start: number, now: number): number {
  const age = now - start;
  if (age > 455 * DAY) return 21600;
  if (age > 63 * DAY) return 3600;
  if (age > 15 * DAY) return 300;
  return 60;
}

/**
 * Choose the GetMetricData period (seconds) for [start, end) so a series has at most `maxPoints` points:
 * the first of [60, 300, 900, 3600, 21600, 86400] that is ≥ ceil(range / maxPoints) and allowed by retention.
 * 1 h → 60; 1 d → 300 (1,440 points at 60 s is too many); 1 w → 900; 30 d → 3600.
 */
export function choosePeriod(start: Date | number, end: Date | number, now: Date | number = Date.now(), maxPoints = MAX_POINTS): number {
  const s = +start;
  const e = +end;
  const rangeSec = Math.max(60, (e - s) / 1000);
  const minForPoints = Math.ceil(rangeSec / maxPoints);
  const minForAge = minRetainedPeriod(s, +now);
  for (const p of PERIODS) if (p >= minForPoints && p >= minForAge) return p;
  return PERIODS[PERIODS.length - 1];
}

/** Align a window to the period grid: start floored, end ceiled (end exclusive). Times in ms. */
export function alignWindow(start: number, end: number, periodSec: number): { start: number; end: number } {
  const p = periodSec * 1000;
  const s = Math.floor(start / p) * p;
  let e = Math.ceil(end / p) * p;
  if (e <= s) e = s + p;
  return { start: s, end: e };
}

const RANGE_PRESETS = {
  '1h': 3_600_000,
  '3h': 3 * 3_600_000,
  '12h': 12 * 3_600_000,
  '1d': DAY,
  '3d': 3 * DAY,
  '1w': 7 * DAY,
} as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
const DEFAULT_RANGE: RangePreset = '3h';
/** Longest custom range accepted from the URL. */
const MAX_RANGE_MS = 90 * DAY;
/** Oldest data CloudWatch still has (15 months). */
const MAX_AGE_MS = 455 * DAY;

export interface ParsedRange {
  ok: true;
  start: number;
  end: number;
  /** The preset name, or 'custom'. */
  preset: RangePreset | 'custom';
}
export interface RangeError {
  ok: false;
  error: string;
}

type Params = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function parseTime(raw: string): number | undefined {
  const s = raw.trim();
  if (/^\d{10,13}$/.test(s)) {
    const n = Number(s);
    return s.length <= 10 ? n * 1000 : n;
  }
  // ISO 8601 only (Date.parse accepts too much otherwise).
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s)) return undefined;
  const t = Date.parse(s.includes('T') || s.length === 10 ? s : s.replace(' ', 'T'));
  return Number.isFinite(t) ? t : undefined;
}

/** Parse `?range=3h` or `?start=…&end=…` (ISO 8601 or epoch). Bad input → a message for the chart's place. */
export function parseRange(params: Params, now: number = Date.now()): ParsedRange | RangeError {
  const startRaw = first(params.start);
  const endRaw = first(params.end);
  if (startRaw !== undefined || endRaw !== undefined) {
    if (!startRaw) return { ok: false, error: 'A custom range needs a start time (ISO 8601, e.g. 2026-01-31T10:00Z).' };
    const start = parseTime(startRaw);
    if (start === undefined) return { ok: false, error: `The start time "${startRaw.slice(0, 40)}" is not a valid ISO 8601 time.` };
    let end = now;
    if (endRaw) {
      const e = parseTime(endRaw);
      if (e === undefined) return { ok: false, error: `The end time "${endRaw.slice(0, 40)}" is not a valid ISO 8601 time.` };
      end = e;
    }
    if (end <= start) return { ok: false, error: 'The end of the range must be after its start.' };
    if (start > now) return { ok: false, error: 'The range starts in the future; there is no data yet.' };
    if (end - start > MAX_RANGE_MS) return { ok: false, error: 'The range is too long: choose at most 90 days.' };
    if (now - start > MAX_AGE_MS) return { ok: false, error: 'CloudWatch keeps metrics for 15 months; choose a later start.' };
    if (end - start < 60_000) return { ok: false, error: 'The range must be at least one minute long.' };
    return { ok: true, start, end: Math.min(end, now), preset: 'custom' };
  }
  const r = first(params.range) ?? DEFAULT_RANGE;
  if (!(r in RANGE_PRESETS)) {
    return { ok: false, error: `Unknown range "${r.slice(0, 20)}": use one of ${Object.keys(RANGE_PRESETS).join(', ')} or a custom start/end.` };
  }
  const preset = r as RangePreset;
  return { ok: true, start: now - RANGE_PRESETS[preset], end: now, preset };
}

/** The request's clock, read once per render by server components (kept out of render bodies). */
export function nowMs(): number {
  return Date.now();
}
