// Browser render time of a cluster's charts in real Chromium (Debian's, never a downloaded one).
//  - page load: navigation start → every chart panel with data has one SVG line path per series;
//  - chart render: the charts' ResizeObserver (recharts' ResponsiveContainer measuring its box after
//    hydration, which is what triggers drawing) → those paths exist, i.e. the React render + commit of all
//    panels. Timestamps are taken in the page (performance.now()), the "done" one at the first animation
//    frame where the condition holds.
import type { Session } from './http';

export interface RenderRun {
  pageLoadMs: number;
  chartRenderMs: number;
  /** Longest main-thread task while the charts render (long tasks ≥ 50 ms; 0 if none). */
  longestTaskMs: number;
  htmlMs: number;
  panels: number;
  seriesInLargestPanel: number;
  pointsPerSeries: number;
  svgPaths: number;
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-gpu'];

export async function measureChartRender(session: Session, path: string, runs: number): Promise<RenderRun[]> {
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies(session.cookieList().map((c) => ({ ...c, url: session.baseUrl })));
    await context.addInitScript(() => {
      const w = window as unknown as { __bench: { ro: number[]; done: number | null } };
      w.__bench = { ro: [], done: null, long: [], surfaces: [] } as never;
      try {
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) (w.__bench as unknown as { long: number[][] }).long.push([e.startTime, e.duration]);
        }).observe({ type: 'longtask', buffered: true });
      } catch {
        /* no long task API */
      }
      const RO = window.ResizeObserver;
      if (RO) {
        window.ResizeObserver = class extends RO {
          constructor(cb: ResizeObserverCallback) {
            super((entries, obs) => {
              // Only recharts' ResponsiveContainer boxes: other observers on the page are not the charts.
              if (entries.some((e) => (e.target as Element).classList?.contains('recharts-responsive-container'))) w.__bench.ro.push(performance.now());
              cb(entries, obs);
            });
          }
        };
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
            const paths = p.querySelectorAll('path.recharts-line-curve').length;
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
        const w = window as unknown as { __bench: { ro: number[]; done: number } };
        const firstRo = w.__bench.ro.length ? w.__bench.ro[0] : NaN;
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        const panels = [...document.querySelectorAll('section[data-testid^="chart-"][data-points]')].filter((s) => Number(s.getAttribute('data-points')) > 0);
        const seriesCounts = panels.map((p) => p.querySelectorAll('li[data-testid="series"]').length);
        const points = [...document.querySelectorAll('li[data-testid="series"][data-points]')].map((l) => Number(l.getAttribute('data-points')));
        const lt = (w.__bench as unknown as { long: number[][] }).long;
        // The longest main-thread task between the charts' first measurement and the paths being drawn.
        const chartTasks = lt.filter(([start, d]) => start + d >= firstRo - 1 && start <= w.__bench.done);
        return {
          longestTaskMs: Math.max(0, ...chartTasks.map(([, d]) => d)),
          pageLoadMs: w.__bench.done,
          chartRenderMs: w.__bench.done - firstRo,
          htmlMs: nav ? nav.responseEnd : NaN,
          panels: panels.length,
          seriesInLargestPanel: Math.max(0, ...seriesCounts),
          pointsPerSeries: Math.max(0, ...points),
          svgPaths: document.querySelectorAll('path.recharts-line-curve').length,
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
