// Browser entry of the chart bench (bundled by scripts/bench/charts.ts with esbuild, production React):
// renders the real cluster chart panels (MetricChart → recharts) with a real /api/metrics payload the
// bench fetched, like the cluster page's grid, and records in the page
//   - render() → the first animation frame where every series with points has its line in the DOM
//     (panels mount one per frame, in view first, as on the page);
//   - every main-thread long task (PerformanceObserver 'longtask', ≥ 50 ms) in that time.
// With ?manual it waits for window.__start(), so the bench can read the main thread's CPU time around it.
import { createRoot } from 'react-dom/client';
import { MetricChart } from '@/components/charts/metric-chart';
import { instancePalette } from '@/components/charts/format';
import type { ClusterMetricsResult } from '@/lib/aws/metrics';

type Ok = Extract<ClusterMetricsResult, { ok: true }>;
interface Bench {
  t0?: number;
  drawMs?: number;
  paths?: number;
  long: [number, number][];
}
const w = window as unknown as { __data: Ok; __bench: Bench };
const data = w.__data;
const bench: Bench = (w.__bench = { long: [] });
try {
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) bench.long.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
} catch {
  /* no long task API */
}

const palette = instancePalette(data.panels.flatMap((p) => p.series.flatMap((s) => (s.instance ? [s.instance] : []))));
const expected = data.panels.reduce((n, p) => n + p.series.filter((s) => s.points > 0).length, 0);
const pick = () => undefined;
const root = createRoot(document.getElementById('root')!);
const drawn = () => [...document.querySelectorAll('path.chart-line')].filter((p) => (p.getAttribute('d') ?? '').length > 0).length;

/** Render every panel now; the bench calls it (after reading the main thread's CPU time) or it runs at load. */
function start() {
  const t0 = performance.now();
  bench.t0 = t0;
  root.render(
    <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12, width: 1250 }}>
      {data.panels.map((p) => (
        <MetricChart key={p.id} panel={p} markers={data.markers} window={data.window} palette={palette} onPick={pick} pickHint="Click to backtrack to this moment" />
      ))}
    </div>,
  );
  const check = () => {
    const paths = drawn();
    if (paths >= expected) {
      bench.drawMs = performance.now() - t0;
      bench.paths = paths;
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}
(window as unknown as { __start: () => void }).__start = start;
if (!location.search.includes('manual')) start();
