// Isolated render time of the cluster chart panels in real Chromium: the bench fetches the cluster's
// 7-day chart data from the running console (/api/metrics/…, real shaped data), bundles the real
// MetricChart component with esbuild (production React), and renders it in a blank page — once the
// largest panel alone ("a 16-series × 7-day chart", the figure) and once all panels of the page.
// Timed in the page: root.render() → first animation frame with every series path in the DOM, so the
// figure is React render + commit + style/layout up to the frame, without network or hydration.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Session } from './http';
import { launchChromium } from './browser';

export interface ComponentRender {
  mode: 'one' | 'all';
  ms: number[];
  paths: number;
  series: number;
  points: number;
}

export async function measureComponentRender(session: Session, apiPath: string, runs: number, root: string): Promise<ComponentRender[]> {
  const res = await session.fetch(apiPath, { headers: { accept: 'application/json' } });
  const body = await res.text();
  if (res.status !== 200 || !JSON.parse(body).ok) throw new Error(`render bench: GET ${apiPath} gave HTTP ${res.status}: ${body.slice(0, 200)}`);
  const dir = path.join(root, '.bench', 'render');
  mkdirSync(dir, { recursive: true });
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [path.join(root, 'scripts/bench/render-entry.tsx')],
    bundle: true,
    minify: true,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    tsconfig: path.join(root, 'tsconfig.json'),
    outfile: path.join(dir, 'render.js'),
    logLevel: 'error',
  });
  writeFileSync(path.join(dir, 'data.js'), `window.__data = ${body.replace(/</g, '\\u003c')};`);
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><body style="margin:8px;font-family:sans-serif"><div id="root"></div><script src="data.js"></script><script src="render.js"></script></body></html>');

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const out: ComponentRender[] = [];
    for (const mode of ['one', 'all'] as const) {
      const r: ComponentRender = { mode, ms: [], paths: 0, series: 0, points: 0 };
      // The first load compiles the bundle and is not counted.
      for (let i = 0; i <= runs; i++) {
        await page.goto(`file://${path.join(dir, 'index.html')}?mode=${mode}`);
        const m = (await (await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result, undefined, { timeout: 60_000 })).jsonValue()) as {
          ms: number;
          paths: number;
          series: number;
          points: number;
        };
        if (i > 0) r.ms.push(m.ms);
        Object.assign(r, { paths: m.paths, series: m.series, points: m.points });
      }
      out.push(r);
    }
    return out;
  } finally {
    await browser.close();
  }
}
