/** Human replica lag: undefined = the metric layer failed, null = no data points. */
export function formatLag(ms: number | null | undefined): string {
  if (ms === undefined) return 'lag unavailable';
  if (ms === null) return 'no lag data';
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s lag` : `${Math.round(ms)} ms lag`;
}
