// The chart section of `npm run bench` (also `npx tsx --conditions=react-server scripts/bench/charts-cli.ts`):
// recharts render figures in Debian's Chromium, on a production build, for two seeded clusters of the
// local endpoint — 3 instances (Aurora MySQL with backtrack: 7 panels × 3 series) over 1 d and 16
// instances (6 panels × 16 series) over 1 w:
//   - the chart component alone (./charts-entry.tsx, production React, the real /api/metrics payload):
//     data → every panel drawn, and the longest main-thread task in that time (PerformanceObserver
//     'longtask'); the 16-instance cluster is 2 days old, so its week range is drawn as its 2-day history:
//     measured as the page draws it (300 s period) and in the issue's shape (every third sample: 193);
//   - the real cluster pages: navigation → every panel drawn, longest task until then;
//   - hover on the real 16-instance page: 40 real pointer moves (page.mouse.move), once the scroll to the
//     chart has been painted → the tooltip showing the moment under the pointer, and long tasks while hovering.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { launchChromium, measureChartRender } from './browser';
import { stats, type Session } from './http';
import type { Figure } from './report';

export interface ChartBenchCluster {
  id: string;
  region: string;
  engine: string;
  backtrackWindow?: number;
  instances: string[];
}

interface Options {
  session: Session;
  inventory: ChartBenchCluster[];
  root: string;
  runs: number;
  log: (msg: string) => void;
}

type Payload = {
  ok: boolean;
  error?: string;
  window: { start: number; end: number; periodSec: number };
  panels: { id: string; t: number[]; values: Record<string, (number | null)[]>; series: { key: string; points: number }[] }[];
};

const FRAME_MS = 1000 / 60;

/** Every `k`-th sample of each panel (the same data at a k-times longer period). */
function thin(p: Payload, k: number): Payload {
  return {
    ...p,
    window: { ...p.window, periodSec: p.window.periodSec * k },
    panels: p.panels.map((panel) => {
      const keep = panel.t.map((_, i) => i % k === 0);
      const values = Object.fromEntries(Object.entries(panel.values).map(([key, col]) => [key, col.filter((_, i) => keep[i])]));
      return {
        ...panel,
        t: panel.t.filter((_, i) => keep[i]),
        values,
        series: panel.series.map((s) => ({ ...s, points: (values[s.key] ?? []).filter((v) => v !== null).length })),
      };
    }),
  };
}

const shape = (p: Payload) => `${p.panels.length} × ${Math.max(...p.panels.map((x) => x.series.length))} × ${Math.max(...p.panels.map((x) => x.t.length))}`;

interface Draw {
  drawMs: number[];
  longestMs: number[];
  cpuMs: number[];
}

/**
 * Load the component page `runs + 1` times (the first compiles and is not counted) and time render() →
 * every panel drawn; also the main thread's CPU time over the same span (CDP thread ticks), which other
 * work on a shared machine does not inflate the way it inflates wall time.
 */
export async function drawRuns(page: Page, file: string, runs: number): Promise<Draw> {
  const out: Draw = { drawMs: [], longestMs: [], cpuMs: [] };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const threadTime = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN) * 1000;
  for (let i = 0; i <= runs; i++) {
    await page.goto(`file://${file}?manual`);
    await page.waitForFunction(() => typeof (window as unknown as { __start?: unknown }).__start === 'function');
    await page.waitForTimeout(200);
    const cpu0 = await threadTime();
    await page.evaluate(() => (window as unknown as { __start: () => void }).__start());
    await page.waitForFunction(() => (window as unknown as { __bench?: { drawMs?: number } }).__bench?.drawMs, undefined, { timeout: 60_000, polling: 50 });
    const cpu1 = await threadTime();
    // Long tasks are reported after they end: give the observer a frame.
    await page.waitForTimeout(100);
    const r = await page.evaluate(() => {
      const b = (window as unknown as { __bench: { t0: number; drawMs: number; long: [number, number][] } }).__bench;
      // Tasks that overlap render() → drawn (a task that started before t0 and ran into it counts too).
      const tasks = b.long.filter(([s, d]) => s + d >= b.t0 && s <= b.t0 + b.drawMs);
      return { drawMs: b.drawMs, longest: Math.max(0, ...tasks.map(([, d]) => d)) };
    });
    if (i > 0) {
      out.drawMs.push(r.drawMs);
      out.longestMs.push(r.longest);
      out.cpuMs.push(cpu1 - cpu0);
    }
  }
  await cdp.detach();
  return out;
}

/** Real pointer moves across the first chart's plot: move → the tooltip in the DOM with new content. */
export async function hover(page: Page, moves = 40): Promise<{ ms: number[]; longTasks: number; longestMs: number }> {
  await page.evaluate(() => {
    const w = window as unknown as { __hover: { moves: { at: number; shown?: number }[]; long: [number, number][]; from: number } };
    w.__hover = { moves: [], long: [], from: performance.now() };
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) w.__hover.long.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask' });
    let text = '';
    new MutationObserver(() => {
      const t = document.querySelector('[data-testid="chart-tooltip"]')?.textContent ?? '';
      if (t && t !== text) {
        text = t;
        const m = w.__hover.moves[w.__hover.moves.length - 1];
        if (m && m.shown === undefined) m.shown = performance.now();
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
    window.addEventListener('pointermove', (e) => w.__hover.moves.push({ at: e.timeStamp }), { capture: true });
  });
  const plot = page.locator('.chart-plot').first();
  await plot.scrollIntoViewIfNeeded();
  // Scrolling rasterises the newly visible part of the page; let that finish before the first move, so the
  // figure is the hover's own cost (a person scrolls to a chart, then points at it).
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForTimeout(500);
  const box = (await plot.boundingBox())!;
  for (let i = 0; i < moves; i++) {
    // Far enough apart that each move lands on another sample.
    await page.mouse.move(box.x + 90 + ((box.width - 110) * i) / moves, box.y + box.height / 2);
    await page.waitForTimeout(80);
  }
  const r = await page.evaluate(() => (window as unknown as { __hover: { moves: { at: number; shown?: number }[]; long: [number, number][] } }).__hover);
  const ms = r.moves.map((m) => (m.shown === undefined ? Infinity : m.shown - m.at));
  return { ms, longTasks: r.long.length, longestMs: Math.max(0, ...r.long.map(([, d]) => d)) };
}

export async function benchCharts(o: Options): Promise<Record<string, Figure>> {
  const figures: Record<string, Figure> = {};
  const mysql = (c: ChartBenchCluster) => c.engine.startsWith('aurora-mysql');
  const small = o.inventory.find((c) => c.instances.length === 3 && mysql(c) && (c.backtrackWindow ?? 0) > 0) ?? o.inventory.find((c) => c.instances.length === 3);
  const big = o.inventory.find((c) => c.instances.length === 16 && mysql(c) && !c.backtrackWindow) ?? o.inventory.find((c) => c.instances.length === 16);
  if (!small || !big) throw new Error('chart bench: the seeded fleet has no 3-instance or no 16-instance cluster');
  const api = async (c: ChartBenchCluster, range: string) => {
    const res = await o.session.fetch(`/api/metrics/cluster/${c.region}/${c.id}?range=${range}`, { headers: { accept: 'application/json' } });
    const body = (await res.json()) as Payload;
    if (res.status !== 200 || !body.ok) throw new Error(`chart bench: ${c.id}: HTTP ${res.status} ${body.error ?? ''}`);
    return body;
  };
  const smallData = await api(small, '1d');
  const bigData = await api(big, '1w');
  // 2 days at 300 s (577 samples) → every third: 193 samples, the 2 days at 900 s the old page drew.
  const big193 = thin(bigData, Math.max(1, Math.round((Math.max(...bigData.panels.map((p) => p.t.length)) - 1) / 192)));

  const dir = path.join(o.root, '.bench', 'charts');
  mkdirSync(dir, { recursive: true });
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [path.join(o.root, 'scripts/bench/charts-entry.tsx')],
    bundle: true,
    minify: true,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    tsconfig: path.join(o.root, 'tsconfig.json'),
    outfile: path.join(dir, 'charts.js'),
    logLevel: 'error',
  });
  const cases = [
    { key: 'small_1d', label: `${small.instances.length}-instance cluster, 1 d`, data: smallData, target: 250 },
    { key: 'big_1w_193', label: `16-instance cluster, 1 w (its 2-day history at 900 s)`, data: big193, target: 350 },
    { key: 'big_1w', label: `16-instance cluster, 1 w as the page draws it (2 days at ${bigData.window.periodSec} s)`, data: bigData, target: undefined },
  ];
  figures['charts.points_per_series'] = {
    label: 'Chart points per series (16 instances, 1 w)',
    value: Math.max(...bigData.panels.map((p) => p.t.length)),
    unit: 'points',
    target: { op: '<=', value: 1000 },
    note: `period ${bigData.window.periodSec} s; ${Math.max(...bigData.panels.map((p) => p.series.length))} series in the largest panel`,
  };
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    for (const c of cases) {
      writeFileSync(path.join(dir, `${c.key}.js`), `window.__data = ${JSON.stringify(c.data).replace(/</g, '\\u003c')};`);
      const file = path.join(dir, `${c.key}.html`);
      writeFileSync(file, `<!doctype html><html><body style="margin:8px;font-family:sans-serif"><div id="root"></div><script src="${c.key}.js"></script><script src="charts.js"></script></body></html>`);
      o.log(`Chromium: recharts, ${c.label} (${shape(c.data)}), ${o.runs} renders…`);
      const r = await drawRuns(page, file, o.runs);
      const d = stats(r.drawMs);
      const l = stats(r.longestMs);
      figures[`charts.${c.key}.draw_ms`] = {
        label: `recharts ${c.label} (${shape(c.data)}): data → all panels drawn, median of ${r.drawMs.length}`,
        value: d.median,
        unit: 'ms',
        ...(c.target ? { target: { op: '<' as const, value: c.target } } : {}),
        note: `main-thread CPU ${stats(r.cpuMs).median.toFixed(0)} ms; min ${d.min.toFixed(0)}, max ${d.max.toFixed(0)} ms; component alone, production React`,
      };
      figures[`charts.${c.key}.longest_task_ms`] = {
        label: `recharts ${c.label}: longest main-thread task while drawing, median`,
        value: l.median,
        unit: 'ms',
        ...(c.target ? { target: { op: '<' as const, value: 80 } } : {}),
        note: `PerformanceObserver 'longtask' (≥ 50 ms, 0 = none); max ${l.max.toFixed(0)} ms`,
      };
    }
    await page.close();
  } finally {
    await browser.close();
  }

  // The real pages, signed in, through the production server.
  for (const [key, c, range] of [
    ['page_small_1d', small, '1d'],
    ['page_big_1w', big, '1w'],
  ] as const) {
    const url = `/clusters/${c.region}/${c.id}?range=${range}`;
    o.log(`Chromium: ${url}, ${o.runs + 1} loads (the first warms the cache)…`);
    const runs = (await measureChartRender(o.session, url, o.runs + 1)).slice(1);
    const last = runs[runs.length - 1];
    figures[`charts.${key}.load_ms`] = {
      label: `Cluster page, ${c.instances.length} instances, ?range=${range}: navigation → all panels drawn, median`,
      value: stats(runs.map((r) => r.pageLoadMs)).median,
      unit: 'ms',
      note: `HTML at ${stats(runs.map((r) => r.htmlMs)).median.toFixed(0)} ms; ${last.panels} panels, ${last.seriesInLargestPanel} series, ${last.pointsPerSeries} points`,
    };
    figures[`charts.${key}.longest_task_ms`] = {
      label: `Cluster page, ${c.instances.length} instances, ?range=${range}: longest main-thread task while the charts load and draw, median`,
      value: stats(runs.map((r) => r.chartsLongestTaskMs)).median,
      unit: 'ms',
      target: { op: '<', value: 80 },
      note: `from the chart island's code to every panel drawn; max ${stats(runs.map((r) => r.chartsLongestTaskMs)).max.toFixed(0)} ms`,
    };
    figures[`charts.${key}.page_longest_task_ms`] = {
      label: `Cluster page, ${c.instances.length} instances, ?range=${range}: longest main-thread task before the charts (HTML, framework, hydration), median`,
      value: stats(runs.map((r) => r.pageLongestTaskMs)).median,
      unit: 'ms',
      note: `a fresh tab each load; long tasks summed over the whole load ${stats(runs.map((r) => r.longTasksMs)).median.toFixed(0)} ms`,
    };
  }

  o.log('Chromium: hover on the 16-instance page (real pointer moves)…');
  {
    const browser2 = await launchChromium();
    try {
      const context = await browser2.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addCookies(o.session.cookieList().map((c) => ({ ...c, url: o.session.baseUrl })));
      const page = await context.newPage();
      await page.goto(new URL(`/clusters/${big.region}/${big.id}?range=1w`, o.session.baseUrl).toString());
      await page.locator('path.chart-line').first().waitFor({ timeout: 60_000 });
      await page.waitForTimeout(1_500);
      const h = await hover(page);
      const s = stats(h.ms.filter(Number.isFinite));
      const missed = h.ms.filter((x) => !Number.isFinite(x)).length;
      figures['charts.hover.tooltip_ms'] = {
        label: `Hover, 16-instance page: pointer move → tooltip shows that moment, p95 of ${h.ms.length}`,
        value: missed ? Infinity : s.p95,
        unit: 'ms',
        target: { op: '<=', value: Math.round(FRAME_MS * 10) / 10 },
        note: `median ${s.median.toFixed(1)}, max ${s.max.toFixed(1)} ms; the first move (the page's first tooltip) ${Number.isFinite(h.ms[0]) ? h.ms[0].toFixed(1) : '—'} ms (one frame = ${FRAME_MS.toFixed(1)} ms)${missed ? `; ${missed} moves never showed` : ''}`,
      };
      figures['charts.hover.long_tasks'] = {
        label: 'Hover, 16-instance page: long tasks while hovering',
        value: h.longTasks,
        unit: 'tasks',
        target: { op: '=', value: 0 },
        note: h.longTasks ? `longest ${h.longestMs.toFixed(0)} ms` : 'none ≥ 50 ms',
      };
      await context.close();
    } finally {
      await browser2.close();
    }
  }
  return figures;
}
