// What a page left open costs in CloudWatch: GetMetricData is billed per metric requested ($0.01 per 1,000
// metrics, the CloudWatch pricing page), whatever the time range or the number of datapoints returned. So the
// cost of a refresh is its number of queries, and the monthly cost of a page left open is that number times
// the refreshes in a month. Pure: the server computes the counts, the refresh selectors only format them.
// The server-side metric cache makes N viewers of the same view cost what one costs, so these figures are
// per view, not per viewer.

/** US price of GetMetricData: $0.01 per 1,000 metrics requested. */
export const USD_PER_1000_METRICS = 0.01;
/** A month as the issue and the pricing examples count it: 30 days. */
export const MONTH_MS = 30 * 86_400_000;

/** Refreshes per month at `intervalMs` (0 = off: none). */
export function refreshesPerMonth(intervalMs: number): number {
  return intervalMs > 0 ? MONTH_MS / intervalMs : 0;
}

/** Estimated monthly GetMetricData cost (USD) of `metricsPerRefresh` metrics requested every `intervalMs`. */
export function monthlyCostUsd(metricsPerRefresh: number, intervalMs: number): number {
  if (!Number.isFinite(metricsPerRefresh) || metricsPerRefresh <= 0) return 0;
  return (metricsPerRefresh * refreshesPerMonth(intervalMs) * USD_PER_1000_METRICS) / 1000;
}

/**
 * A background read (not tied to the selector) that a page keeps making while open, e.g. the on-call panel's
 * replica lag: `metrics` requested at most once per `intervalMs` (its cache lifetime).
 */
export interface BackgroundMetricRead {
  metrics: number;
  intervalMs: number;
}

/** Monthly cost of a page left open with auto-refresh at `intervalMs`, plus its background reads. */
export function pageMonthlyCostUsd(metricsPerRefresh: number, intervalMs: number, background: BackgroundMetricRead[] = []): number {
  return monthlyCostUsd(metricsPerRefresh, intervalMs) + background.reduce((s, b) => s + monthlyCostUsd(b.metrics, b.intervalMs), 0);
}

/** "$0.35", "$11.52", "$1,728" — cents below $100, whole dollars above; "< $0.01" for a tiny non-zero cost. */
export function formatUsd(usd: number): string {
  if (usd <= 0) return '$0';
  if (usd < 0.01) return '< $0.01';
  if (usd < 100) return `$${usd.toFixed(2)}`;
  return `$${Math.round(usd).toLocaleString('en-US')}`;
}

/** GetMetricData calls for `series` queries (≤ 500 per call). */
export function metricCallsFor(series: number): number {
  return Math.ceil(Math.max(0, series) / 500);
}
