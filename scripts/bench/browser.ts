// The cluster page in real Chromium (Debian's, never a downloaded one): navigation start → every chart
// panel with data has one drawn SVG line path per series (timestamps taken in the page with
// performance.now(), the "done" one at the first animation frame where the condition holds), and the
// main thread's long tasks (≥ 50 ms) up to that moment. The isolated render time of the chart component
// itself is measured by ./render.ts.
import type { Session } from './http';

export interface RenderRun {
  pageLoadMs: number;
  /** Longest main-thread task from navigation to the charts drawn (long tasks ≥ 50 ms; 0 if none). */
  longestTaskMs: number;
  /** Of those, the longest that ended before the chart island's code ran: the page itself (HTML, framework, hydration). */
  pageLongestTaskMs: number;
  /** …and the longest that ended after it: the charts' code, data and panels. */
  chartsLongestTaskMs: number;
  /** Sum of those long tasks: the time the page could not respond to input while loading. */
  longTasksMs: number;
  htmlMs: number;
  panels: number;
  seriesInLargestPanel: number;
  pointsPerSeries: number;
  svgPaths: number;
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-gpu'];

/** Debian's Chromium with the bench's flags (both browser measurements launch it this way). */
export async function launchChromium() {
  const { chromium } = await import('@playwright/test');
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export async function measureChartRender(session: Session, path: string, runs: number): Promise<RenderRun[]> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies(session.cookieList().map((c) => ({ ...c, url: session.baseUrl })));
    await context.addInitScript(() => {
      const w = window as unknown as { __bench: { done: number | null; long: number[][] } };
      w.__bench = { done: null, long: [] };
      try {
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) w.__bench.long.push([e.startTime, e.duration]);
        }).observe({ type: 'longtask', buffered: true });
      } catch {
        /* no long task API */
      }
    });
    const out: RenderRun[] = [];
    for (let i = 0; i < runs; i++) {
      const page = await context.newPage();
      await page.goto(new URL(path, session.baseUrl).toString(), { waitUntil: 'commit', timeout: 60_000 });
      await page.waitForFunction(
        () => {
          const panels = [...document.querySelectorAll('section[data-testid^="chart-"][data-points]')].filter((s) => Number(s.getAttribute('data-points')) > 0);
          if (panels.length === 0) return false;
          for (const p of panels) {
            const series = [...p.querySelectorAll('li[data-testid="series"]')].filter((l) => Number(l.getAttribute('data-points')) > 0).length;
            const paths = [...p.querySelectorAll('path.chart-line')].filter((x) => (x.getAttribute('d') ?? '').length > 0).length;
            if (paths < series) return false;
          }
          const w = window as unknown as { __bench: { done: number | null } };
          w.__bench.done ??= performance.now();
          return true;
        },
        undefined,
        { polling: 'raf', timeout: 60_000 },
      );
      const r = await page.evaluate(() => {
        const w = window as unknown as { __bench: { done: number; long: number[][] } };
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        const panels = [...document.querySelectorAll('section[data-testid^="chart-"][data-points]')].filter((s) => Number(s.getAttribute('data-points')) > 0);
        const seriesCounts = panels.map((p) => p.querySelectorAll('li[data-testid="series"]').length);
        const points = [...document.querySelectorAll('li[data-testid="series"][data-points]')].map((l) => Number(l.getAttribute('data-points')));
        const tasks = w.__bench.long.filter(([start]) => start <= w.__bench.done);
        // The chart island marks when its code starts to run (components/charts/cluster-charts.tsx).
        const island = performance.getEntriesByName('afc:charts-island', 'mark')[0]?.startTime ?? Infinity;
        return {
          longestTaskMs: Math.max(0, ...tasks.map(([, d]) => d)),
          pageLongestTaskMs: Math.max(0, ...tasks.filter(([s, d]) => s + d < island).map(([, d]) => d)),
          chartsLongestTaskMs: Math.max(0, ...tasks.filter(([s, d]) => s + d >= island).map(([, d]) => d)),
          longTasksMs: tasks.reduce((n, [, d]) => n + d, 0),
          pageLoadMs: w.__bench.done,
          htmlMs: nav ? nav.responseEnd : NaN,
          panels: panels.length,
          seriesInLargestPanel: Math.max(0, ...seriesCounts),
          pointsPerSeries: Math.max(0, ...points),
          svgPaths: document.querySelectorAll('path.chart-line').length,
        };
      });
      out.push(r);
      await page.close();
    }
    await context.close();
    return out;
  } finally {
    await browser.close();
  }
}
