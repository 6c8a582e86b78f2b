// Chart components side by side, before and after a change, in one run (no server):
//   npx tsx scripts/bench/charts-compare.ts [--ref <git ref>] [--runs 5]
// Uses the payloads the chart bench last saved in .bench/charts/<case>.js (run ./charts-cli.ts once),
// bundles scripts/bench/charts-entry.tsx twice — with components/charts/ as of <ref> (default main) and
// as in the working tree — and alternates the two builds run by run, so both see the same machine load.
// Prints medians of data → all panels drawn, main-thread CPU, longest task, and hover on the 16-instance
// panels (real pointer moves → tooltip, long tasks while hovering).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { launchChromium } from './browser';
import { drawRuns, hover } from './charts';
import { stats } from './http';

const root = path.resolve(__dirname, '../..');
const argOf = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const ref = argOf('ref', 'main');
const runs = Math.max(1, Number(argOf('runs', '5')));
const dir = path.join(root, '.bench', 'charts');
const CASES = ['small_1d', 'big_1w_193', 'big_1w'];

async function bundle(variant: 'before' | 'after'): Promise<void> {
  const esbuild = await import('esbuild');
  const snapshot = path.join(root, '.bench', 'compare-before');
  if (variant === 'before') {
    rmSync(snapshot, { recursive: true, force: true });
    mkdirSync(snapshot, { recursive: true });
    const tar = execFileSync('git', ['archive', ref, 'components/charts'], { cwd: root });
    execFileSync('tar', ['-x', '-C', snapshot], { input: tar });
  }
  await esbuild.build({
    entryPoints: [path.join(root, 'scripts/bench/charts-entry.tsx')],
    bundle: true,
    minify: true,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    tsconfig: path.join(root, 'tsconfig.json'),
    outfile: path.join(dir, `charts-${variant}.js`),
    logLevel: 'error',
    plugins:
      variant === 'before'
        ? [
            {
              name: 'charts-before',
              setup(b) {
                b.onResolve({ filter: /^@\/components\/charts\// }, (a) => {
                  const base = path.join(snapshot, a.path.slice(2));
                  const file = ['.tsx', '.ts'].map((x) => base + x).find(existsSync);
                  return file ? { path: file } : undefined;
                });
              },
            },
          ]
        : [],
  });
}

async function main() {
  for (const c of CASES) if (!existsSync(path.join(dir, `${c}.js`))) throw new Error(`no ${c}.js in ${dir}: run scripts/bench/charts-cli.ts once`);
  await bundle('before');
  await bundle('after');
  const files: Record<string, string> = {};
  for (const v of ['before', 'after'])
    for (const c of CASES) {
      const f = path.join(dir, `${c}-${v}.html`);
      writeFileSync(f, `<!doctype html><html><body style="margin:8px;font-family:sans-serif"><div id="root"></div><script src="${c}.js"></script><script src="charts-${v}.js"></script></body></html>`);
      files[`${c}-${v}`] = f;
    }
  const acc: Record<string, { draw: number[]; cpu: number[]; longest: number[]; hover: number[]; hoverLong: number[] }> = {};
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    for (let r = 0; r < runs; r++)
      for (const c of CASES)
        for (const v of r % 2 ? ['after', 'before'] : ['before', 'after']) {
          const k = `${c}-${v}`;
          acc[k] ??= { draw: [], cpu: [], longest: [], hover: [], hoverLong: [] };
          const d = await drawRuns(page, files[k], 1);
          acc[k].draw.push(...d.drawMs);
          acc[k].cpu.push(...d.cpuMs);
          acc[k].longest.push(...d.longestMs);
          if (c === 'big_1w') {
            await page.waitForTimeout(300);
            const h = await hover(page);
            acc[k].hover.push(...h.ms.map((x) => (Number.isFinite(x) ? x : 1e4)));
            acc[k].hoverLong.push(h.longTasks);
          }
        }
  } finally {
    await browser.close();
  }
  const f = (xs: number[]) => (xs.length ? stats(xs).median.toFixed(0) : '–');
  console.log(`\ncomponents/charts: before = ${ref}, after = working tree; ${runs} renders each, alternating; medians (ms)`);
  console.log('case         variant  drawn   cpu  longest  hover-med  hover-p95  hover-long-tasks');
  for (const c of CASES)
    for (const v of ['before', 'after']) {
      const a = acc[`${c}-${v}`];
      const h = a.hover.length ? stats(a.hover) : null;
      console.log(
        `${c.padEnd(12)} ${v.padEnd(7)} ${f(a.draw).padStart(6)} ${f(a.cpu).padStart(5)} ${f(a.longest).padStart(8)} ${(h ? h.median.toFixed(1) : '–').padStart(10)} ${(h ? h.p95.toFixed(1) : '–').padStart(10)} ${(a.hoverLong.length ? String(a.hoverLong.reduce((x, y) => x + y, 0) / a.hoverLong.length) : '–').padStart(17)}`,
      );
    }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
