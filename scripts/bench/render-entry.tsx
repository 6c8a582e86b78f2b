// Browser entry of the isolated chart-render bench (bundled by scripts/bench/render.ts): renders the real
// MetricChart component with the real /api/metrics payload the bench fetched, and records the time from
// React's render call to the first animation frame where every series path is in the DOM.
import { createRoot } from 'react-dom/client';
import { MetricChart } from '@/components/charts/metric-chart';
import type { ClusterMetricsResult } from '@/lib/aws/metrics';

type Ok = Extract<ClusterMetricsResult, { ok: true }>;
const w = window as unknown as { __data: Ok; __result?: { ms: number; paths: number; series: number; points: number } };
const data = w.__data;
const mode = new URLSearchParams(location.search).get('mode');
// "one": the panel with the most series (replica lag / throughput: one per instance); "all": every panel.
const largest = [...data.panels].sort((a, b) => b.series.length - a.series.length)[0];
const panels = mode === 'one' ? [largest] : data.panels;
const expected = panels.reduce((n, p) => n + p.series.filter((s) => s.points > 0).length, 0);

const root = createRoot(document.getElementById('root')!);
const t0 = performance.now();
root.render(
  <div style={{ display: 'grid', gridTemplateColumns: mode === 'one' ? '1fr' : '1fr 1fr', gap: 12, width: mode === 'one' ? 620 : 1250 }}>
    {panels.map((p) => (
      <MetricChart key={p.id} panel={p} markers={data.markers} window={data.window} onPick={() => undefined} pickHint="Click to backtrack to this moment" />
    ))}
  </div>,
);
const check = () => {
  const paths = [...document.querySelectorAll('path.chart-line')].filter((p) => (p.getAttribute('d') ?? '').length > 0).length;
  if (paths >= expected) {
    w.__result = { ms: performance.now() - t0, paths, series: Math.max(...panels.map((p) => p.series.length)), points: Math.max(...panels.flatMap((p) => p.series.map((s) => s.points))) };
    return;
  }
  requestAnimationFrame(check);
};
requestAnimationFrame(check);
